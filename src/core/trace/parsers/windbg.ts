// Windows debugger stacks — WinDbg / cdb / kd `k`-family output, `~*k` thread lists and `!analyze -v` reports —
// and Breakpad / rust-minidump `minidump_stackwalk` output in its human and machine (`-m`) forms.

import { emptyFrame, type Frame, type ThreadInfo, type Trace, type TraceKind } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { closeSpans, extendSpan, isBlank, newNode, titleOf, toInt } from './util';

// ---------------------------------------------------------------------------------------------------------
// WinDbg frames

/** A stack column: `0034ef5c`, `00000000`0027e500`, `0000000140144e62`. */
const ADDR = /^[0-9a-fA-F]{8}(?:`?[0-9a-fA-F]{8})?$/;
/** The `kn` frame number: two or more hex digits (`00`, `1a`, `100`). */
const FRAME_NO = /^[0-9a-fA-F]{2,4}$/;
/** What an inline frame shows in place of an address: `--------`--------`. */
const NO_ADDR = /^-{8}(?:`-{8})?$/;
/** `kf`'s memory column: a small hex distance. */
const MEMORY = /^[0-9a-fA-F]{1,6}$/;
/** The module before `!` or `+0x`: a file name without its extension (`KERNELBASE`, `js_dbg_32`, `clr`). */
const MODULE = /^[\w.$~-]{1,200}$/;
const OFFSET = /\+0x[0-9a-fA-F]{1,16}$/;
const BARE_ADDRESS = /^0x[0-9a-fA-F`]{1,17}$/;
const SOURCE_LINE = /^\d{1,9}$/;
/** What `kv` and kernel stacks append to a call site: `(FPO: [0,0,0])`, `(TrapFrame @ fffff…)`, `(CONV: stdcall)`. */
const ANNOTATION = /^(?:FPO:|TrapFrame @|CONV:|Inline Function @|Inline Function$)/;

interface WinFrame {
  frame: Frame;
  index: number | null;
  /** The call site opened an argument list that continues on the next lines (`kP`). */
  open: string | null;
}

/** The `(` opening the group that the `)` at `end` closes, or -1. */
function groupOpen(s: string, end: number): number {
  let depth = 0;
  for (let i = end; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 41) depth++;
    else if (c === 40 && --depth === 0) return i;
  }
  return -1;
}

/** More `(` than `)`: a `kP` argument list that goes on over the next lines. */
function opensArgs(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) depth--;
  }
  return depth > 0;
}

/** `module!function(args)+0x1d [file @ line]`, `module+0x1234`, `0x1f6a167c`; false when it is none of them. */
function parseCallSite(frame: Frame, site: string): boolean {
  let s = site.trim();
  const notes: string[] = [];
  if (cutInBrackets(s)) {
    // Cut inside `[file @ line]`: a prefix of a path is not a path.
    s = s.slice(0, s.lastIndexOf(' [')).trimEnd();
    notes.push('truncated');
  }
  for (let n = 0; n < 4; n++) {
    if (s.endsWith(']')) {
      const open = s.lastIndexOf(' [');
      const inner = open > 0 ? s.slice(open + 2, -1) : '';
      const at = inner.lastIndexOf(' @ ');
      if (at > 0 && SOURCE_LINE.test(inner.slice(at + 3))) {
        frame.file = inner.slice(0, at);
        frame.line = toInt(inner.slice(at + 3));
        s = s.slice(0, open).trimEnd();
        continue;
      }
    } else if (s.endsWith(')')) {
      const open = groupOpen(s, s.length - 1);
      const inner = open > 0 ? s.slice(open + 1, -1) : '';
      if (open > 0 && s.charCodeAt(open - 1) === 32 && ANNOTATION.test(inner)) {
        notes.unshift(inner);
        s = s.slice(0, open).trimEnd();
        continue;
      }
    }
    break;
  }
  const off = OFFSET.exec(s);
  if (off) {
    frame.offset = off[0];
    s = s.slice(0, off.index);
  }
  const bang = s.indexOf('!');
  if (bang > 0) {
    const mod = s.slice(0, bang);
    if (!MODULE.test(mod)) return false;
    frame.module = mod;
    let fn = s.slice(bang + 1);
    if (fn.endsWith(')')) {
      // `kp`/`kP` print the arguments: `GetMessageW(struct tagMSG * lpMsg = 0x0012fe04, …)`.
      const open = groupOpen(fn, fn.length - 1);
      if (open > 0 && !fn.slice(0, open).endsWith('operator')) {
        frame.args = fn.slice(open + 1, -1);
        fn = fn.slice(0, open);
      }
    }
    frame.function = fn || null;
  } else if (off) {
    if (!MODULE.test(s)) return false;
    frame.module = s;
  } else if (BARE_ADDRESS.test(s)) {
    frame.address = s;
  } else {
    return false;
  }
  if (notes.length) frame.notes = notes;
  return true;
}

/** The text ends inside an opened ` [`: the line was cut there. */
function cutInBrackets(s: string): boolean {
  const open = s.lastIndexOf(' [');
  return open > 0 && s.indexOf(']', open) < 0;
}

/** Index of the next non-blank character at or after `i`. */
function skipBlanks(s: string, i: number): number {
  while (i < s.length && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
  return i;
}

function tokenEnd(s: string, i: number): number {
  while (i < s.length && s.charCodeAt(i) !== 32 && s.charCodeAt(i) !== 9) i++;
  return i;
}

/**
 * Parses a `k`-family frame line: optional frame number, address columns (Child-SP / ChildEBP, RetAddr,
 * args, `:` separators), then the call site. `callSiteOnly` allows `kc`'s lines, which have no columns.
 */
export function parseWindbgFrame(text: string, docLine: number, callSiteOnly = false): WinFrame | null {
  let i = skipBlanks(text, 0);
  let index: number | null = null;
  let columns = 0;
  const notes: string[] = [];
  let e = tokenEnd(text, i);
  let tok = text.slice(i, e);
  if (FRAME_NO.test(tok)) {
    index = Number.parseInt(tok, 16);
    i = skipBlanks(text, e);
    e = tokenEnd(text, i);
    tok = text.slice(i, e);
    // `kf`: the distance to the previous frame, blank for the first one.
    if (MEMORY.test(tok) && !ADDR.test(tok)) {
      const j = skipBlanks(text, e);
      if (ADDR.test(text.slice(j, tokenEnd(text, j)))) {
        i = j;
        e = tokenEnd(text, i);
        tok = text.slice(i, e);
      }
    }
  }
  if (text.startsWith('(Inline', i)) {
    // `(Inline Function) --------`-------- module!fn`: a frame the compiler inlined into its caller.
    const close = text.indexOf(')', i);
    if (close < 0) return null;
    i = skipBlanks(text, close + 1);
    notes.push('inlined');
    e = tokenEnd(text, i);
    tok = text.slice(i, e);
  }
  for (let n = 0; n < 12 && (ADDR.test(tok) || tok === ':' || NO_ADDR.test(tok)); n++) {
    if (tok !== ':') columns++;
    i = skipBlanks(text, e);
    e = tokenEnd(text, i);
    tok = text.slice(i, e);
  }
  if (columns === 0 && !callSiteOnly) return null;
  const site = text.slice(i);
  if (site === '') return null;
  const frame = emptyFrame(text.trim(), docLine);
  if (notes.length) frame.notes = notes;
  if (opensArgs(site)) return { frame, index, open: site };
  if (!parseCallSite(frame, site)) return null;
  if (notes.length) frame.notes = [...notes, ...(frame.notes ?? []).filter((n) => n !== 'inlined')];
  return { frame, index, open: null };
}

// ---------------------------------------------------------------------------------------------------------
// WinDbg sessions and !analyze

/** `0:000> `, `0:000:x86> `, `1: kd> `, `kd> `: the debugger's prompt, and the command typed after it. */
const PROMPT = /^\s{0,4}(?:(\d{1,4}):(\d{3,5})(?::\w{1,8})?|\d{1,4}: ?kd|kd)> ?(.*)$/;
/** `kb`, `kn 50`, `~*kv`, `~#kn`, `~3s; k`: a command that prints a stack. */
const K_COMMAND = /(?:^|[;\s])(?:~[\d*#.]{1,5}\s?)?k[bpPvcnfLM]{0,6}(?:\s|$)/;
/** ` # Child-SP          RetAddr           Call Site`, `ChildEBP RetAddr  Args to Child`, `RetAddr : Args…`. */
const COLUMNS = /^\s{0,4}(?:#\s{1,4})?(?:Memory\s{1,4})?(?:ChildEBP|Child-SP|RetAddr)\b/;
const CALL_SITE_ONLY = /^\s{0,4}(?:#\s{1,4})?Call Site$/;
/** `.  0  Id: 1a2c.1a30 Suspend: 1 Teb: 000000e3`8f2ad000 Unfrozen "name"` (`#`: the faulting thread). */
const THREAD = /^\s{0,4}([.#])?\s{0,4}(\d{1,5}) {1,4}Id: ([0-9a-fA-F]{1,8})\.([0-9a-fA-F]{1,8})(.*)$/;
const BANNER = /^\*\s+(Exception|Bugcheck) Analysis\s+\*$/;
const STACK_TEXT = /^STACK_TEXT:/;
/** Fields that only `!analyze -v` prints: a report pasted without its banner starts with one of them. */
const ANALYSIS_FIELD =
  /^(?:STACK_TEXT|FAULTING_IP|EXCEPTION_RECORD|FILE_IN_CAB|KEY_VALUES_STRING|BUGCHECK_CODE|FAILURE_BUCKET_ID):/;
/** `FAILURE_BUCKET_ID:  NULL_POINTER_READ_c0000005_x.exe!f`, `FAULTING_IP: ` (value on the next line). */
const FIELD = /^([A-Z][A-Z0-9_]{1,60}):(?:\s+(.*))?$/;
/** `   ExceptionCode: c0000005 (Access violation)` in the exception record. */
const EXCEPTION_CODE = /^\s*ExceptionCode: ([0-9a-fA-F]{8})(?: \((.*)\))?$/;
const ATTEMPT = /^Attempt to \w+ (?:from|to) address /;
/** A bugcheck's name line under the banner: `IRQL_NOT_LESS_OR_EQUAL (a)`. */
const BUGCHECK = /^([A-Z][A-Z0-9_]{2,80}) \(([0-9a-fA-F]{1,8})\)$/;
/** Report lines that are not fields: `ExceptionFlags: 0`, `Arg1: …`, `    Key  : Analysis.CPU.mSec`. */
const KEY_VALUE = /^\s*[A-Za-z][\w[\] ]{0,40}: /;
/** Register dumps (`eax=00000000 ebx=…`, `iopl=0  nv up`), disassembly and memory rows, `module!fn+0x12:`. */
const DEBUGGER_OUTPUT =
  /^\s{0,2}(?:[a-z][a-z0-9]{1,4}=[0-9a-fA-F]|[0-9a-fA-F]{8}(?:`[0-9a-fA-F]{8})?\s|[\w.$~-]{1,200}!\S|\*)/;
const SOURCE_LISTING = /^>?\s{0,8}\d{1,7}: /;
const WARNING = /^\s*(?:WARNING: |\*\*\* (?:ERROR|WARNING): |Unable to )/;
const FOLLOWUP = /^Followup:/;
const RULE = /^-{9,}$/;
/** A Java or .NET frame: another parser's trace follows the report. */
const FOREIGN = /^\s+at\s/;

interface Stack {
  frames: Frame[];
  start: number;
  end: number;
  /** From `~*k`: the thread the stack belongs to, and its header line. */
  thread: ThreadInfo | null;
  title: string | null;
  faulting: boolean;
}

interface Analysis {
  start: number;
  end: number;
  attrs: Record<string, string>;
  type: string | null;
  message: string | null;
  title: string | null;
  /** Where the type came from: a bugcheck name or exception code beats the `*_STR` fields. */
  rank: number;
  stack: Stack | null;
  /** Under a `Bugcheck Analysis` banner: its name line comes first, then its explanation. */
  bugcheck: 'name' | 'description' | null;
  ended: boolean;
}

type Mode = 'session' | 'analysis' | 'stack';

const MAX_ATTRS = 60;

class WindbgBuilder implements TraceBuilder {
  private readonly stacks: Stack[] = [];
  private analysis: Analysis | null = null;
  private mode: Mode = 'session';
  private stack: Stack | null = null;
  private callSiteOnly = false;
  /** A `kP` frame whose argument list continues on the following lines. */
  private pending: { frame: Frame; site: string; lines: number } | null = null;
  /** The thread header (`~*k`) or prompt that the next stack belongs to. */
  private nextThread: { info: ThreadInfo; title: string; faulting: boolean; line: number } | null = null;
  private promptThread: string | null = null;
  private commandLine: number | null = null;
  private lastIndex = -1;

  /** The prompt line of the command whose output follows: where that output's trace starts. */
  command(docLine: number): void {
    this.commandLine = docLine;
  }

  /** Report lines above the one that started the builder (fields a paste began with). */
  report(lines: readonly LogicalLine[]): void {
    this.startAnalysis(lines[0]!.docLine);
    for (const l of lines) this.feed(l);
  }

  startAnalysis(docLine: number): void {
    this.analysis = {
      start: docLine,
      end: docLine,
      attrs: {},
      type: null,
      message: null,
      title: null,
      rank: 0,
      stack: null,
      bugcheck: null,
      ended: false,
    };
    this.mode = 'analysis';
  }

  /** Starts a stack under a column header (or at its first frame when the header was not copied). */
  startStack(docLine: number, fromAnalysis: boolean): void {
    const header = fromAnalysis ? null : this.nextThread;
    const start = !fromAnalysis && this.commandLine !== null && header === null ? this.commandLine : docLine;
    const stack: Stack = {
      frames: [],
      start: header ? Math.min(header.line, start) : start,
      end: docLine,
      thread: header?.info ?? null,
      title: header?.title ?? null,
      faulting: header?.faulting ?? false,
    };
    if (!header && !fromAnalysis && this.promptThread !== null) {
      stack.thread = { name: null, id: null, state: null, attrs: { '#': this.promptThread } };
    }
    this.nextThread = null;
    this.commandLine = null;
    this.stack = stack;
    this.lastIndex = -1;
    this.mode = 'stack';
    if (fromAnalysis && this.analysis) this.analysis.stack = stack;
    else this.stacks.push(stack);
  }

  private touch(docLine: number): Feed {
    if (this.stack && this.mode === 'stack') this.stack.end = Math.max(this.stack.end, docLine);
    if (this.analysis && !this.analysis.ended) this.analysis.end = Math.max(this.analysis.end, docLine);
    return Feed.Take;
  }

  addFrame(p: WinFrame): void {
    const stack = this.stack!;
    stack.frames.push(p.frame);
    if (p.open !== null) this.pending = { frame: p.frame, site: p.open, lines: 0 };
    if (p.index !== null) this.lastIndex = p.index;
    stack.end = Math.max(stack.end, p.frame.docLine);
    if (this.analysis && !this.analysis.ended) this.analysis.end = Math.max(this.analysis.end, stack.end);
  }

  /** A `kP` argument line: joined to its frame until the list closes. */
  private continueArgs(text: string, docLine: number): Feed {
    const p = this.pending!;
    p.site = `${p.site} ${text.trim()}`;
    p.frame.raw = `${p.frame.raw} ${text.trim()}`;
    p.lines++;
    if (!opensArgs(p.site) || p.lines > 64) {
      this.pending = null;
      if (!parseCallSite(p.frame, p.site.replace(/\( /, '('))) (p.frame.notes ??= []).push('truncated');
    }
    return this.touch(docLine);
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    const doc = line.docLine;
    if (this.pending) {
      if (!isBlank(text)) return this.continueArgs(text, doc);
      (this.pending.frame.notes ??= []).push('truncated');
      this.pending = null;
    }
    if (isBlank(text)) {
      if (this.mode === 'stack') this.mode = this.analysis && !this.analysis.ended ? 'analysis' : 'session';
      return Feed.Hold;
    }
    if (this.mode === 'stack') {
      const p = parseWindbgFrame(text, doc, this.callSiteOnly);
      if (p) {
        // Numbering starts again: the user printed another stack without its header.
        if (p.index === 0 && this.lastIndex >= 0) this.startStack(doc, false);
        this.addFrame(p);
        return Feed.Take;
      }
      if (WARNING.test(text)) return this.touch(doc);
      this.mode = this.analysis && !this.analysis.ended ? 'analysis' : 'session';
    }
    if (FOREIGN.test(text)) return Feed.End;
    if (BANNER.test(text)) {
      if (this.analysis) return Feed.End;
      this.startAnalysis(this.commandLine ?? doc);
      if (text.includes('Bugcheck')) this.analysis!.bugcheck = 'name';
      return this.touch(doc);
    }
    const prompt = PROMPT.exec(text);
    if (prompt) {
      if (this.analysis && !this.analysis.ended) this.analysis.ended = true;
      this.mode = 'session';
      if (prompt[2] !== undefined) this.promptThread = prompt[2];
      const cmd = prompt[3]!;
      if (cmd.startsWith('!analyze')) {
        if (this.analysis) return Feed.End;
        this.commandLine = doc;
        return Feed.Take;
      }
      this.commandLine = K_COMMAND.test(cmd) ? doc : null;
      return Feed.Take;
    }
    const th = THREAD.exec(text);
    if (th) {
      this.nextThread = { ...windbgThread(th), line: doc };
      return Feed.Take;
    }
    if (COLUMNS.test(text) || CALL_SITE_ONLY.test(text)) {
      this.callSiteOnly = CALL_SITE_ONLY.test(text);
      this.startStack(doc, false);
      return Feed.Take;
    }
    if (this.mode === 'analysis') return this.analysisLine(text, doc);
    const p = parseWindbgFrame(text, doc);
    if (p && (p.frame.module !== null || p.index !== null)) {
      this.callSiteOnly = false;
      this.startStack(doc, false);
      this.addFrame(p);
      return Feed.Take;
    }
    if (ANALYSIS_FIELD.test(text)) {
      // Report fields without the banner (a report pasted from its middle).
      if (this.analysis) return Feed.End;
      this.startAnalysis(doc);
      return this.analysisLine(text, doc);
    }
    return Feed.Hold;
  }

  private analysisLine(text: string, doc: number): Feed {
    const a = this.analysis!;
    if (a.bugcheck === 'name' && !text.startsWith('*')) {
      const b = BUGCHECK.exec(text);
      a.bugcheck = null;
      if (b) {
        this.setType(b[1]!, null, 4);
        a.title = text.trim();
        a.attrs['BUGCHECK_CODE'] ??= b[2]!;
        a.bugcheck = 'description';
        return this.touch(doc);
      }
    } else if (a.bugcheck === 'description') {
      // The bugcheck's explanation, hard-wrapped, up to its `Arguments:`.
      if (!text.startsWith('Arguments:') && !FIELD.test(text)) {
        a.message = a.message === null ? text.trim() : `${a.message} ${text.trim()}`;
        return this.touch(doc);
      }
      a.bugcheck = null;
    }
    if (STACK_TEXT.test(text)) {
      this.callSiteOnly = false;
      this.startStack(doc, true);
      this.mode = 'stack';
      this.touch(doc);
      return Feed.Take;
    }
    const f = FIELD.exec(text);
    if (f) {
      this.field(f[1]!, f[2]?.trim() ?? '');
      return this.touch(doc);
    }
    const code = EXCEPTION_CODE.exec(text);
    if (code) {
      this.setType(code[1]!, code[2] ?? null, 3);
      return this.touch(doc);
    }
    if (ATTEMPT.test(text)) {
      if (a.rank === 3 && a.message !== null && !a.message.includes('\n')) a.message += `\n${text.trim()}`;
      return this.touch(doc);
    }
    if (FOLLOWUP.test(text)) {
      a.attrs['Followup'] ??= text.slice(9).trim();
      return this.touch(doc);
    }
    if (RULE.test(text)) {
      const t = this.touch(doc);
      if ('Followup' in a.attrs) {
        a.ended = true;
        this.mode = 'session';
      }
      return t;
    }
    const indented = text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9;
    if (indented || KEY_VALUE.test(text) || DEBUGGER_OUTPUT.test(text) || SOURCE_LISTING.test(text)) {
      return this.touch(doc);
    }
    return Feed.Hold;
  }

  private setType(type: string, message: string | null, rank: number): void {
    const a = this.analysis!;
    if (rank <= a.rank) return;
    a.type = type;
    a.message = message;
    a.rank = rank;
  }

  private field(key: string, value: string): void {
    const a = this.analysis!;
    if (value !== '' && value.length <= 500 && Object.keys(a.attrs).length < MAX_ATTRS && !(key in a.attrs)) {
      a.attrs[key] = value;
    }
    if (value === '') return;
    if (key === 'EXCEPTION_CODE_STR') {
      this.setType(value, null, 2);
    } else if (key === 'BUGCHECK_STR') {
      this.setType(value, null, 1);
    }
  }

  finish(): Trace[] {
    if (this.pending) (this.pending.frame.notes ??= []).push('truncated');
    const out: Trace[] = [];
    const emitted: { trace: Trace; sites: string[] }[] = [];
    let crash = false;
    const a = this.analysis;
    let rest = this.stacks;
    if (a) {
      let stack = a.stack;
      if ((!stack || stack.frames.length === 0) && rest.length > 0 && rest[0]!.start > a.start) {
        // `!analyze -v` without a STACK_TEXT, then `k`: that stack is the analysed one.
        stack = rest[0]!;
        rest = rest.slice(1);
      }
      if (a.type !== null || (stack && stack.frames.length > 0)) {
        const t = analysisTrace(a, stack);
        out.push(t);
        emitted.push({ trace: t, sites: callSites(t.frames) });
        crash = true;
      }
    }
    for (const s of rest) {
      if (s.frames.length === 0) continue;
      const sites = callSites(s.frames);
      // Threads of a `~*k` list are never one another's repeats: idle workers share their stacks.
      const dup = s.title !== null ? -1 : emitted.findIndex((e) => samePrefix(e.sites, sites));
      if (dup >= 0) {
        // The same stack printed again (`kb` after `kn`, `k` after `!analyze`): one trace, not two. What
        // the second printing adds about a frame (`.lines` source, `kp` arguments) is kept.
        const kept = emitted[dup]!.trace;
        kept.frames.forEach((f, i) => enrich(f, s.frames[i]));
        if (dup === emitted.length - 1) extendSpan(kept.span, s.end);
        continue;
      }
      // Under a `~*k` thread header only the faulting thread (`#`) is the crash; a bare stack is the crash
      // unless the report already has one (`!analyze`), then it is one more thread's stack.
      const headed = s.title !== null;
      const kind: TraceKind = !crash && (headed ? s.faulting : true) ? 'crash' : 'thread';
      if (kind === 'crash') crash = true;
      const node = newNode(null, null, s.start);
      node.frames = s.frames;
      node.span.end = s.end;
      node.title = s.title ?? callSiteTitle(s.frames[0]!);
      const t: Trace = { ...node, format: 'windbg', kind };
      if (s.thread) t.thread = s.thread;
      closeSpans(t);
      out.push(t);
      emitted.push({ trace: t, sites });
    }
    return out;
  }
}

function enrich(f: Frame, again: Frame | undefined): void {
  if (!again) return;
  if (f.file === null && again.file !== null) {
    f.file = again.file;
    f.line = again.line;
  }
  if (f.args === null && again.args !== null) f.args = again.args;
}

function callSiteTitle(f: Frame): string {
  if (f.module !== null && f.function !== null) return `${f.module}!${f.function}${f.offset ?? ''}`;
  if (f.module !== null) return `${f.module}${f.offset ?? ''}`;
  return f.address ?? f.raw;
}

function callSites(frames: Frame[]): string[] {
  return frames.map((f) => `${f.module}!${f.function}${f.offset}@${f.address}`);
}

function samePrefix(a: string[], b: string[]): boolean {
  const n = Math.min(a.length, b.length);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function analysisTrace(a: Analysis, stack: Stack | null): Trace {
  const error = a.attrs['ERROR_CODE'];
  if (a.rank === 2 && a.message === null && error !== undefined) {
    // `(NTSTATUS) 0xc0000409 - The system detected an overrun…`: the description of EXCEPTION_CODE_STR's code.
    const dash = error.indexOf(' - ');
    if (dash > 0) a.message = error.slice(dash + 3).trim() || null;
  }
  const node = newNode(a.type, a.message, a.start);
  if (a.title !== null) node.title = a.title;
  else if (a.type === null) node.title = stack?.frames[0] ? callSiteTitle(stack.frames[0]) : '';
  node.span.end = Math.max(a.end, stack?.end ?? 0);
  if (stack) {
    node.frames = stack.frames;
    extendSpan(node.span, stack.start);
  }
  applyFaultingSource(a, node.frames);
  const t: Trace = { ...node, format: 'windbg', kind: 'crash' };
  const id = a.attrs['FAULTING_THREAD'] ?? null;
  t.thread = { name: null, id, state: null, attrs: { ...a.attrs } };
  closeSpans(t);
  return t;
}

/** `FAULTING_SOURCE_FILE` / `_LINE_NUMBER` name the source of the frame `SYMBOL_STACK_INDEX` points at. */
function applyFaultingSource(a: Analysis, frames: Frame[]): void {
  const file = a.attrs['FAULTING_SOURCE_FILE'];
  const line = toInt(a.attrs['FAULTING_SOURCE_LINE_NUMBER']);
  if (file === undefined || line === null) return;
  let target: Frame | undefined;
  const index = a.attrs['SYMBOL_STACK_INDEX'];
  if (index !== undefined && /^[0-9a-fA-F]{1,4}$/.test(index)) target = frames[Number.parseInt(index, 16)];
  const symbol = a.attrs['SYMBOL_NAME'];
  if (symbol !== undefined) {
    // `foo!main+12`: the function after the module, without its offset.
    const bang = symbol.indexOf('!');
    const plus = symbol.lastIndexOf('+');
    const fn = symbol.slice(bang + 1, plus > bang ? plus : undefined);
    if (target?.function !== fn) target = frames.find((f) => f.function === fn) ?? target;
  }
  if (target && target.file === null) {
    target.file = file;
    target.line = line;
    (target.notes ??= []).push('source from FAULTING_SOURCE_FILE');
  }
}

function windbgThread(m: RegExpExecArray): { info: ThreadInfo; title: string; faulting: boolean } {
  const rest = m[5]!;
  const attrs: Record<string, string> = { '#': m[2]!, pid: m[3]! };
  let name: string | null = null;
  const q = rest.indexOf(' "');
  if (q >= 0 && rest.endsWith('"')) name = rest.slice(q + 2, -1);
  const words = (q >= 0 ? rest.slice(0, q) : rest).trim().split(/ +/);
  for (let i = 0; i + 1 < words.length; i += 2) {
    const k = words[i]!;
    if (k.endsWith(':')) attrs[k.slice(0, -1)] = words[i + 1]!;
  }
  const state = words.find((w) => w === 'Frozen' || w === 'Unfrozen') ?? null;
  if (state) attrs['state'] = state;
  return {
    info: { name, id: m[4]!, state: null, attrs },
    title: m[0].trim(),
    faulting: m[1] === '#',
  };
}

export const windbgParser: TraceParser = {
  name: 'windbg',
  trigger:
    /^(?:\s{0,4}(?:#\s{1,4})?(?:Memory\s{1,4})?(?:ChildEBP|Child-SP|RetAddr|Call Site$)|STACK_TEXT:|FAULTING_IP:|EXCEPTION_RECORD:|FILE_IN_CAB:|KEY_VALUES_STRING:|BUGCHECK_CODE:|\*\s+(?:Exception|Bugcheck) Analysis|\s{0,4}[.#]?\s{0,4}\d{1,5} {1,4}Id: [0-9a-fA-F])/,
  scanTriggers: [
    // A frame line pasted without its column header: `00 0034e7f8 766319fc ntdll!Foo+0x15`.
    { needle: '+0x', pattern: /^\s{0,8}(?:[0-9a-fA-F]{2,4} {1,8})?[0-9a-fA-F]{8}[ `]/ },
  ],
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const text = line.text;
    const doc = line.docLine;
    const b = new WindbgBuilder();
    if (BANNER.test(text)) return { score: 10, builder: withFirst(b, line, promptAbove(ctx.history, true)) };
    const above = promptAbove(ctx.history, false);
    if (COLUMNS.test(text) || CALL_SITE_ONLY.test(text) || THREAD.test(text)) {
      return { score: 9, builder: withFirst(b, line, above) };
    }
    if (ANALYSIS_FIELD.test(text)) {
      const report = reportAbove(ctx.history);
      if (report.length > 0) b.report(report);
      return { score: 8, builder: withFirst(b, line, null) };
    }
    const p = parseWindbgFrame(text, doc);
    if (!p || p.open !== null) return null;
    const f = p.frame;
    // `module!fn+0x12` after address columns is unmistakable; a bare address or module+offset is weaker.
    if (f.function === null || f.offset === null) return null;
    return { score: f.file !== null ? 10 : 9, builder: withFirst(b, line, above) };
  },
};

/** The builder after its first line; the prompt line just above becomes the start of the trace. */
function withFirst(b: WindbgBuilder, line: LogicalLine, prompt: number | null): WindbgBuilder {
  if (prompt !== null) b.command(prompt);
  b.feed(line);
  return b;
}

/**
 * The `!analyze` fields right above a STACK_TEXT or other report field that started a trace (a report
 * pasted from its middle): the run of report-like lines up to the first field in it.
 */
function reportAbove(history: readonly LogicalLine[]): LogicalLine[] {
  let first = -1;
  for (let i = history.length - 1; i >= 0; i--) {
    const t = history[i]!.text;
    if (FIELD.test(t)) first = i;
    else if (!isBlank(t) && !reportLike(t)) break;
  }
  return first < 0 ? [] : history.slice(first);
}

function reportLike(t: string): boolean {
  const c = t.charCodeAt(0);
  return (
    c === 32 ||
    c === 9 ||
    KEY_VALUE.test(t) ||
    DEBUGGER_OUTPUT.test(t) ||
    SOURCE_LISTING.test(t) ||
    ATTEMPT.test(t) ||
    RULE.test(t)
  );
}

/**
 * Where the output that starts at the current line began: the prompt just above that printed it
 * (`0:000> kb`, `0:000> !analyze -v`), or the top of the report's asterisk box.
 */
function promptAbove(history: readonly LogicalLine[], boxed: boolean): number | null {
  let box: number | null = null;
  for (let i = history.length - 1, n = 0; i >= 0 && n < 4; i--, n++) {
    const l = history[i]!;
    const m = PROMPT.exec(l.text);
    if (m) {
      const cmd = m[3]!;
      return cmd.startsWith('!analyze') || K_COMMAND.test(cmd) ? l.docLine : box;
    }
    if (!boxed || !l.text.startsWith('*')) break;
    box = l.docLine;
  }
  return box;
}

// ---------------------------------------------------------------------------------------------------------
// minidump_stackwalk

/** ` 0  libxul.so!foo [file.cpp : 123 + 0x5]`, `10  kernel32.dll + 0x17034`, ` 3  0x7f0000001234`. */
const MD_FRAME = /^\s{0,4}(\d{1,5}) {2}(\S.*)$/;
/** `    rax = 0x0000000000000000   rdx = …` */
const MD_REGISTERS = /^\s+[a-z][a-z0-9]{0,6} = 0x[0-9a-fA-F]/;
const MD_FOUND_BY = /^\s+Found by: (.*)$/;
const MD_HEADER = /^(Operating system|CPU|GPU|Crash reason|Crash address|Process uptime|Assertion): ?(.*)$/;
const MD_END = /^(?:Loaded modules:|Unloaded modules:|Unimplemented streams encountered:)/;
/** Machine form: `0|1|XUL|function|file|line|offset`. */
const MD_MACHINE_FRAME = /^(\d{1,5})\|(\d{1,5})\|(.*)$/;
const MD_MACHINE_HEADER = /^(OS|CPU|GPU|Crash|Module)\|(.*)$/;
const MD_LINE_OFFSET = /^(\d{1,9})(?: \+ (0x[0-9a-fA-F]{1,16}))?$/;
const MD_OFFSET = / \+ (0x[0-9a-fA-F]{1,16})$/;

interface MdThread {
  index: string;
  info: ThreadInfo;
  title: string;
  crashed: boolean;
}

/** `Thread 0 (crashed)`, `Thread 1`, rust-minidump's `Thread 0 GeckoMain (crashed) - tid: 1234`. */
function parseMdThread(text: string): MdThread | null {
  if (!text.startsWith('Thread ')) return null;
  let i = 7;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === 7 || i > 13) return null;
  const index = text.slice(7, i);
  let rest = text.slice(i).trimEnd();
  let tid: string | null = null;
  const t = rest.lastIndexOf(' - tid: ');
  if (t >= 0) {
    tid = rest.slice(t + 8).trim();
    if (!/^\S{1,20}$/.test(tid)) return null;
    rest = rest.slice(0, t);
  }
  let crashed = false;
  const open = rest.lastIndexOf(' (');
  if (open >= 0 && rest.endsWith(')')) {
    const state = rest.slice(open + 2, -1);
    if (state !== 'crashed' && state !== 'requested dump, did not crash') return null;
    crashed = state === 'crashed';
    rest = rest.slice(0, open);
  }
  const name = rest.trim();
  // Breakpad writes nothing after the number but `(crashed)`; names only come with rust-minidump's tid.
  if (tid === null && name !== '') return null;
  if (name.endsWith(':') || name.startsWith('(')) return null;
  const attrs: Record<string, string> = { '#': index };
  return {
    index,
    info: { name: name || null, id: tid ?? index, state: null, attrs },
    title: text.trim(),
    crashed,
  };
}

function parseMdFrame(text: string, docLine: number): { frame: Frame; index: number } | null {
  const m = MD_FRAME.exec(text);
  if (!m) return null;
  const frame = emptyFrame(text.trim(), docLine);
  let s = m[2]!;
  if (cutInBrackets(s)) {
    s = s.slice(0, s.lastIndexOf(' ['));
    frame.notes = ['truncated'];
  } else if (s.endsWith(']')) {
    const open = s.lastIndexOf(' [');
    const inner = open > 0 ? s.slice(open + 2, -1) : '';
    const sep = inner.lastIndexOf(' : ');
    const lo = sep > 0 ? MD_LINE_OFFSET.exec(inner.slice(sep + 3)) : null;
    if (!lo) return null;
    frame.file = inner.slice(0, sep);
    frame.line = toInt(lo[1]);
    if (lo[2] !== undefined) frame.offset = `+ ${lo[2]}`;
    s = s.slice(0, open);
  } else {
    const off = MD_OFFSET.exec(s);
    if (off) {
      frame.offset = `+ ${off[1]!}`;
      s = s.slice(0, off.index);
    }
  }
  const bang = s.indexOf('!');
  if (bang > 0) {
    frame.module = s.slice(0, bang);
    frame.function = s.slice(bang + 1) || null;
  } else if (s.startsWith('0x')) {
    const sp = s.indexOf(' ');
    frame.address = sp > 0 ? s.slice(0, sp) : s;
    if (!/^0x[0-9a-fA-F]{1,16}$/.test(frame.address)) return null;
    if (sp > 0) (frame.notes ??= []).push(s.slice(sp + 1).replace(/^\((.*)\)$/, '$1'));
  } else if (frame.offset !== null) {
    frame.module = s;
  } else {
    return null;
  }
  return { frame, index: toInt(m[1]) ?? 0 };
}

interface MdOpen {
  trace: Trace;
  index: string;
  crashed: boolean;
}

class MinidumpBuilder implements TraceBuilder {
  private readonly opens: MdOpen[] = [];
  private cur: MdOpen | null = null;
  private readonly header: Record<string, string> = {};
  private crashThread: string | null = null;
  private headerStart: number | null = null;
  private lastKey: string | null = null;

  constructor(private readonly machine: boolean) {}

  thread(th: MdThread, docLine: number): void {
    const node = newNode(null, null, docLine);
    node.title = th.title;
    const trace: Trace = { ...node, format: 'minidump', kind: 'thread', thread: th.info };
    this.cur = { trace, index: th.index, crashed: th.crashed };
    this.opens.push(this.cur);
  }

  headerLine(key: string, value: string, docLine: number): void {
    this.headerStart ??= docLine;
    if (!(key in this.header)) this.header[key] = value.trim();
    this.lastKey = key;
  }

  private take(docLine: number): Feed {
    if (this.cur) extendSpan(this.cur.trace.span, docLine);
    return Feed.Take;
  }

  feed(line: LogicalLine): Feed {
    return this.machine ? this.feedMachine(line) : this.feedHuman(line);
  }

  private feedHuman(line: LogicalLine): Feed {
    const text = line.text;
    const doc = line.docLine;
    if (isBlank(text)) return Feed.Hold;
    const th = parseMdThread(text);
    if (th) {
      this.thread(th, doc);
      return Feed.Take;
    }
    const cur = this.cur;
    if (cur) {
      const f = parseMdFrame(text, doc);
      if (f) {
        if (f.index === 0 && cur.trace.frames.length > 0) return Feed.End;
        cur.trace.frames.push(f.frame);
        return this.take(doc);
      }
      const last = cur.trace.frames[cur.trace.frames.length - 1];
      const found = MD_FOUND_BY.exec(text);
      if (found && last) {
        if (found[1] === 'inlining') (last.notes ??= []).push('inlined');
        else (last.notes ??= []).push(`found by ${found[1]!}`);
        return this.take(doc);
      }
      if (MD_REGISTERS.test(text) || text.trim() === '<no frames>') return this.take(doc);
      if (MD_END.test(text)) return Feed.End;
      return Feed.Hold;
    }
    const h = MD_HEADER.exec(text);
    if (h) {
      this.headerLine(h[1]!, h[2]!, doc);
      return Feed.Take;
    }
    // `Operating system: Linux` continues on indented lines; so do the crash address's notes.
    if ((text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9) && this.lastKey !== null) return Feed.Take;
    return Feed.Hold;
  }

  private feedMachine(line: LogicalLine): Feed {
    const text = line.text;
    const doc = line.docLine;
    if (isBlank(text)) return Feed.Hold;
    const h = MD_MACHINE_HEADER.exec(text);
    if (h) {
      if (this.opens.length > 0 && h[1] !== 'Module') return Feed.End;
      this.headerStart ??= doc;
      if (h[1] === 'Crash') {
        const parts = h[2]!.split('|');
        this.header['Crash reason'] = parts[0] ?? '';
        if (parts[1]) this.header['Crash address'] = parts[1];
        if (parts[2] !== undefined && /^\d{1,5}$/.test(parts[2])) this.crashThread = parts[2];
      } else if (h[1] !== 'Module') {
        this.header[h[1]!] = h[2]!
          .split('|')
          .filter((p) => p !== '')
          .join(' ');
      }
      return this.take(doc);
    }
    const m = MD_MACHINE_FRAME.exec(text);
    if (!m) return Feed.End;
    const fields = m[3]!.split('|');
    if (fields.length < 5) return Feed.End;
    const [mod, fn, file, ln, off] = fields as [string, string, string, string, string];
    if (!this.cur || this.cur.index !== m[1]) {
      const index = m[1]!;
      this.thread(
        {
          index,
          info: { name: null, id: index, state: null, attrs: { '#': index } },
          title: `Thread ${index}`,
          crashed: this.crashThread === index,
        },
        doc,
      );
    }
    const frame = emptyFrame(text.trim(), doc);
    frame.module = mod || null;
    frame.function = fn || null;
    frame.file = file || null;
    frame.line = toInt(ln);
    frame.offset = off || null;
    this.cur!.trace.frames.push(frame);
    return this.take(doc);
  }

  finish(): Trace[] {
    const out: Trace[] = [];
    // The first thread marked crashed (or the one the machine form's Crash line names) is the crash.
    let crash = this.opens.find((o) => o.crashed) ?? null;
    if (!crash && this.crashThread !== null)
      crash = this.opens.find((o) => o.index === this.crashThread) ?? null;
    for (const o of this.opens) {
      const t = o.trace;
      if (o === crash) {
        t.kind = 'crash';
        const reason = this.header['Crash reason'] || null;
        const assertion = this.header['Assertion'] || null;
        t.type = reason;
        t.message = assertion;
        if (reason !== null || assertion !== null) t.title = titleOf(reason, assertion);
        const attrs = { ...(t.thread?.attrs ?? {}) };
        for (const [k, v] of Object.entries(this.header)) if (v !== '') attrs[k] ??= v;
        t.thread = { ...t.thread!, attrs };
        // The report's header (crash reason, OS) belongs with the crash.
        if (this.headerStart !== null && this.headerStart < t.span.start && this.opens[0] === o) {
          t.span.start = this.headerStart;
        }
      }
      if (t.frames.length === 0 && o !== crash) continue;
      closeSpans(t);
      out.push(t);
    }
    return out;
  }
}

/** Breakpad's `Thread 1` says little alone; begin only when a frame of its own format can follow. */
export const minidumpParser: TraceParser = {
  name: 'minidump',
  trigger: /^(?:Thread \d|Crash reason: |Operating system: |\d{1,5}\|\d{1,5}\||(?:OS|Crash)\|)/,
  begin(line: LogicalLine): Start | null {
    const text = line.text;
    const doc = line.docLine;
    const th = parseMdThread(text);
    if (th) {
      const b = new MinidumpBuilder(false);
      b.thread(th, doc);
      const score = th.crashed || th.info.id !== th.index ? 7 : 3;
      return { score, builder: b };
    }
    const h = MD_HEADER.exec(text);
    if (h) {
      const b = new MinidumpBuilder(false);
      b.headerLine(h[1]!, h[2]!, doc);
      return { score: 7, builder: b };
    }
    if (MD_MACHINE_HEADER.test(text) || MD_MACHINE_FRAME.test(text)) {
      const m = MD_MACHINE_FRAME.exec(text);
      if (m && m[3]!.split('|').length < 5) return null;
      const b = new MinidumpBuilder(true);
      b.feed(line);
      return { score: m ? 8 : 6, builder: b };
    }
    return null;
  },
};
