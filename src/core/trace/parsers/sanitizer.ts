// Memory and thread error reports: the sanitizers' (ASan, TSan, MSan, LSan, UBSan, HWASan) and Valgrind's
// (Memcheck, Helgrind, DRD). One trace per error, with every stack of the report kept under its role.

import {
  emptyFrame,
  type Frame,
  type ThreadInfo,
  type Trace,
  type TraceKind,
  type TraceNode,
} from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { splitLocation } from './native';
import { closeSpans, extendSpan, isBlank, newNode, openingParen, toInt } from './util';

/** Lines a report may hold undecided (labels, address descriptions) before a frame or SUMMARY confirms them. */
const MAX_PENDING = 12;
/** Description lines kept in a report's message. */
const MAX_MESSAGE_LINES = 40;

// ---------------------------------------------------------------------------------------------------------
// Sanitizers

/** `==1234==`: the process id a sanitizer puts before the lines of its own. */
const PID = /^==(\d{1,10})==/;
/**
 * `[==1234==][ERROR: |WARNING: ]AddressSanitizer: rest`, `==1234==AddressSanitizer CHECK failed: rest`.
 * `ING: ` is what log-prefix stripping leaves of `WARNING: ` behind a timestamp (it takes `WARN` as the level).
 */
const HEADER =
  /^(?:==(\d{1,10})==)?(?:(ERROR|WARNING|ING): )?([A-Z][A-Za-z]{0,20}Sanitizer)(?:: | (CHECK failed): ?)(.*)$/;
/** UBSan: `/src/a.cc:12:3: runtime error: signed integer overflow: …`, `<unknown>: runtime error: …`. */
const RUNTIME_ERROR = /^(?:((?:[A-Za-z]:)?[^:]{1,1000}(?::\d{1,9}){1,2})|<unknown>): runtime error: (.*)$/;
/** `#0 0x4f1234 in foo(int) /src/a.cc:12:3`, `#1 _dl_deallocate_tls <null> (ld.so+0x139a7)` (TSan: no pc). */
const FRAME = /^(\s*)#(\d{1,6}) (\S.*)$/;
/** The pc that ASan, MSan, LSan and UBSan print: `0x… in …`, `0x… in` (no symbol), `0x…  (bin+0x…)`. */
const PC = /^(0x[0-9a-fA-F]{1,16})(?:( in)(?: |$)| +|$)/;
const HEX = /^0x[0-9a-fA-F]{1,16}$/;
const MODULE_OFFSET = /^\+0x[0-9a-fA-F]{1,16}$/;
/** A drive-letter path, which may contain blanks: `main C:\Program Files\app\a.cpp:5`. */
const DRIVE_PATH = / [A-Za-z]:[\\/]/;
/** The old runtime's `__interceptor_free _asan_rtl_`: a symbol, then the module it lives in. */
const BARE_WORD = /^[\w.+-]{1,200}$/;
/** `T7880)` at the end of a SEGV header, `thread T0` in an access line. */
const HEADER_THREAD = / (T\d{1,9})\)$/;
const LABEL_THREAD = /\bthread (T\d{1,9})\b/;
/** ASan's shadow memory dump and legend, HWASan's tag dump and registers: not frames, part of the report. */
const SHADOW_HEAD =
  /^(?:Shadow bytes around the buggy address|Shadow byte legend|Memory tags around the buggy address|Tags for short granules|Registers where the failure occurred|See https?:\/\/clang\.llvm\.org\/)/;
/** `  rax = 0x0000000000000000  rbx = …` under `==1==Register values:`. */
const REGISTER = /^\s*[a-z][a-z0-9]{1,4} = 0x/;
/** ASan's list of a stack frame's objects (`This frame has 3 object(s):`, `    [32, 36) 'a' (line 4)`), its hints. */
const FRAME_OBJECTS = /^\s*(?:This frame has \d{1,6} object|\[\d{1,12}, \d{1,12}\) '|HINT: )/;
/** TSan's separator around each report. */
const SEPARATOR = /^={10,200}$/;

/** What a stack is, from the line that introduces it. */
const SANITIZER_ROLES: readonly (readonly [RegExp, string])[] = [
  [/^(?:READ|WRITE|Read|Write|Atomic read|Atomic write) of size /, 'access'],
  [/^Previous (?:atomic )?(?:read|write) of size /, 'previous-access'],
  [/^freed by thread |^freed here/, 'free'],
  [/^(?:previously )?allocated (?:by thread |here)|^Location is heap block /, 'allocation'],
  [/^Thread T\d{1,9}\b.* created (?:by|at) /, 'thread-creation'],
  [/^Mutex M\d{1,9}\b/, 'mutex'],
  [/^Uninitiali[sz]ed value was created /, 'origin'],
  [/^Uninitiali[sz]ed value was stored /, 'store'],
  [/^(?:Direct|Indirect) leak of /, 'leak'],
  [/^Address 0x[0-9a-fA-F]{1,16} is located in stack of thread /, 'stack-frame'],
];

function roleOf(label: string, roles: readonly (readonly [RegExp, string])[]): string | null {
  for (const [re, role] of roles) if (re.test(label)) return role;
  return null;
}

/** A label as a node's words: trimmed, without the colon that introduces the stack. */
function labelText(text: string): string {
  const t = text.trim();
  return t.endsWith(':') ? t.slice(0, -1) : t;
}

/** `(module+0xoff)`, `(0xaddr)`, `(<unknown module>)` after a sanitizer frame's symbol; false if not one. */
function applyModuleGroup(frame: Frame, inner: string): boolean {
  if (inner === '<unknown module>') return true;
  if (HEX.test(inner)) {
    frame.address ??= inner;
    return true;
  }
  const plus = inner.lastIndexOf('+0x');
  if (plus <= 0 || !MODULE_OFFSET.test(inner.slice(plus))) return false;
  frame.module = inner.slice(0, plus);
  frame.offset = inner.slice(plus);
  return true;
}

function looksLocation(loc: string): boolean {
  if (loc === '<null>') return true;
  if (loc.endsWith(')')) return false;
  return loc.includes('/') || loc.includes('\\') || splitLocation(loc, false) !== null;
}

function setLocation(frame: Frame, loc: string): void {
  if (loc === '<null>') return;
  const split = splitLocation(loc, true);
  if (split) {
    frame.file = split.file;
    frame.line = split.line;
    frame.column = split.column;
  } else {
    frame.file = loc;
  }
}

const nullable = (s: string): string | null => (s === '' || s === '<null>' ? null : s);

/** The symbolized part of a frame: `function [location] [(module+0xoff)] [(BuildId: …)]`. */
function parseSymbolized(frame: Frame, rest: string): void {
  let s = rest;
  if (s.endsWith(')')) {
    const b = s.lastIndexOf(' (BuildId: ');
    if (b >= 0) {
      frame.notes = [s.slice(b + 2, -1)];
      s = s.slice(0, b);
    }
  }
  if (s.endsWith(')')) {
    const open = openingParen(s);
    if (
      open >= 0 &&
      (open === 0 || s.charCodeAt(open - 1) === 32) &&
      applyModuleGroup(frame, s.slice(open + 1, -1))
    ) {
      s = s.slice(0, open).trimEnd();
    }
  }
  const sp = s.lastIndexOf(' ');
  if (sp < 0) {
    frame.function = nullable(s);
    return;
  }
  const loc = s.slice(sp + 1);
  let fn = s.slice(0, sp);
  if (looksLocation(loc)) {
    let file = loc;
    const drive = DRIVE_PATH.exec(fn);
    if (drive && loc !== '<null>') {
      file = s.slice(drive.index + 1);
      fn = s.slice(0, drive.index);
    }
    frame.function = nullable(fn);
    setLocation(frame, file);
    return;
  }
  if (
    frame.module === null &&
    BARE_WORD.test(fn) &&
    BARE_WORD.test(loc) &&
    loc !== 'const' &&
    loc !== 'volatile'
  ) {
    frame.function = fn;
    frame.module = loc;
    return;
  }
  frame.function = nullable(s);
}

interface SanFrame {
  frame: Frame;
  index: number;
  /** How sure a frame alone (no header above it) is a sanitizer's. */
  score: number;
}

/** Parses a sanitizer stack frame line, or returns null. */
export function parseSanitizerFrame(text: string, docLine: number): SanFrame | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  const body = m[3]!;
  const frame = emptyFrame(text.trim(), docLine);
  const pc = PC.exec(body);
  let rest = body;
  if (pc) {
    frame.address = pc[1]!;
    rest = body.slice(pc[0].length);
  }
  parseSymbolized(frame, rest);
  const located = frame.line !== null || frame.module !== null || frame.offset !== null;
  let score = 4;
  if (pc && (pc[2] !== undefined || rest === '' || rest.startsWith('(')) && located) score = 8;
  else if (!pc && frame.function !== null && frame.line !== null && frame.module !== null) score = 8;
  return { frame, index: toInt(m[2]) ?? 0, score };
}

interface SanHeader {
  pid: string | null;
  /** `ERROR` / `WARNING` was written: the line is surely a report's start. */
  keyword: boolean;
  title: string;
  type: string | null;
  message: string | null;
  thread: string | null;
  /** UBSan's `file:line:col` before `runtime error:`. */
  location: string | null;
}

/** `heap-use-after-free on address …` → type `heap-use-after-free`, message `on address …`. */
function splitKind(rest: string): { type: string | null; message: string | null } {
  let cut = rest.length;
  for (const sep of [' on ', ': ', ' (']) {
    const i = rest.indexOf(sep);
    if (i > 0 && i < cut) cut = i;
  }
  const type = rest.slice(0, cut);
  let message = rest.slice(cut).trimStart();
  if (message.startsWith(': ')) message = message.slice(2);
  return { type: type || null, message: message || null };
}

export function parseSanitizerHeader(line: string): SanHeader | null {
  const text = line.trim();
  const m = HEADER.exec(text);
  if (m) {
    const rest = m[5]!;
    const keyword = m[2] !== undefined || m[4] !== undefined;
    // The runtime's asides (`ThreadSanitizer: reported 2 warnings`, `…: while reporting a bug found another
    // one. Ignoring.`) read like headers without the ERROR / WARNING keyword.
    if (!keyword && (m[1] !== undefined || rest.startsWith('reported ') || rest === '')) return null;
    const { type, message } = m[4] !== undefined ? { type: m[4], message: rest || null } : splitKind(rest);
    const th = HEADER_THREAD.exec(rest);
    const title = text.slice((m[1] !== undefined ? m[1].length + 4 : 0) + (m[2] ? m[2].length + 2 : 0));
    return { pid: m[1] ?? null, keyword, title, type, message, thread: th ? th[1]! : null, location: null };
  }
  const r = RUNTIME_ERROR.exec(text);
  if (!r) return null;
  const message = r[2]! || null;
  return {
    pid: null,
    keyword: true,
    title: message ? `runtime error: ${message}` : 'runtime error',
    type: 'runtime error',
    message,
    thread: null,
    location: r[1] ?? null,
  };
}

/** Frames sharing one pc (or module offset) are inlined into the last of them: the symbolizer's way. */
function markInlined(frames: Frame[]): void {
  const key = (f: Frame): string | null =>
    f.address ?? (f.module !== null && f.offset !== null ? `${f.module}${f.offset}` : null);
  for (let i = 0; i + 1 < frames.length; i++) {
    const k = key(frames[i]!);
    if (k !== null && k === key(frames[i + 1]!)) (frames[i]!.notes ??= []).push('inlined');
  }
}

interface Report {
  trace: Trace;
  /** Description lines: the access line, the address's whereabouts, the signal's cause, hints. */
  lines: string[];
  headline: string;
  headerMessage: string | null;
}

class SanitizerBuilder implements TraceBuilder {
  private readonly done: Report[] = [];
  private report: Report;
  /** The node frames go to: the trace itself for the report's first stack, then related stacks. */
  private stack: TraceNode | null = null;
  private lastIndex = -1;
  /** Lines not yet known to be a stack's label or a description; held until a frame or SUMMARY decides. */
  private pending: LogicalLine[] = [];
  private readonly leakReport: boolean;
  private leaks = 0;
  private summary = false;
  private shadow = false;
  private registers = false;
  private closed = false;

  constructor(
    private readonly header: SanHeader,
    docLine: number,
    label: LogicalLine | null,
  ) {
    this.report = this.newReport(header.type, header.message, header.title, docLine);
    if (header.thread !== null) this.report.trace.thread = { name: null, id: header.thread, state: null };
    this.leakReport = header.type === 'detected memory leaks';
    if (label) this.pending.push(label);
  }

  private newReport(type: string | null, message: string | null, title: string, docLine: number): Report {
    const node = newNode(type, message, docLine);
    node.title = title;
    const trace: Trace = { ...node, format: 'sanitizer', kind: 'crash' };
    return { trace, lines: [], headline: title, headerMessage: message };
  }

  private describe(text: string, docLine: number): void {
    const r = this.report;
    if (r.lines.length < MAX_MESSAGE_LINES) r.lines.push(text);
    extendSpan(r.trace.span, docLine);
  }

  private commitPending(): void {
    for (const l of this.pending) this.describe(l.text.trim(), l.docLine);
    this.pending = [];
  }

  /** Starts the stack a frame belongs to, labelled by the last undecided line above it. */
  private openStack(f: SanFrame): void {
    const label = this.pending.pop() ?? null;
    this.commitPending();
    const text = label ? labelText(label.text) : null;
    const role = text !== null ? roleOf(text, SANITIZER_ROLES) : null;
    if (this.leakReport && role === 'leak' && label && text !== null) {
      // Each leak is its own trace: leaks are separate bugs, grouped and triaged one by one.
      const kind = text.startsWith('Direct') ? 'Direct leak' : 'Indirect leak';
      const message = text.slice(kind.length).trim() || null;
      if (this.leaks > 0 || this.report.trace.frames.length > 0) {
        this.done.push(this.report);
        this.report = this.newReport(kind, message, text, label.docLine);
      } else {
        const t = this.report.trace;
        t.type = kind;
        t.message = message;
        this.report.headline = text;
        this.report.headerMessage = message;
        extendSpan(t.span, label.docLine);
      }
      this.leaks++;
      this.report.trace.role = 'leak';
      this.stack = this.report.trace;
      return;
    }
    const trace = this.report.trace;
    if (this.stack === null) {
      // The report's first stack is the trace's own: where the bad access (or signal) happened.
      this.stack = trace;
      trace.role = role ?? 'access';
      if (label && text !== null) {
        this.describe(text, label.docLine);
        if (trace.role !== 'access') return;
        const th = LABEL_THREAD.exec(text);
        if (th) trace.thread = { name: null, id: th[1]!, state: null };
        else if (text.includes(' by main thread'))
          trace.thread = { name: 'main thread', id: null, state: null };
      }
      return;
    }
    const node = newNode(null, text, label ? label.docLine : f.frame.docLine);
    node.relation = 'related';
    node.role = role ?? text ?? 'related';
    (trace.related ??= []).push(node);
    this.stack = node;
  }

  addFrame(f: SanFrame): void {
    if (this.stack === null || this.pending.length > 0 || f.index <= this.lastIndex) this.openStack(f);
    this.stack!.frames.push(f.frame);
    this.lastIndex = f.index;
    extendSpan(this.report.trace.span, f.frame.docLine);
  }

  private take(docLine: number): Feed {
    extendSpan(this.report.trace.span, docLine);
    return Feed.Take;
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (isBlank(text)) return Feed.Hold;
    if (this.closed) return Feed.End;
    const f = parseSanitizerFrame(text, line.docLine);
    if (f) {
      if (this.summary) return Feed.End;
      this.shadow = this.registers = false;
      this.addFrame(f);
      return Feed.Take;
    }
    const h = parseSanitizerHeader(text);
    if (h && h.keyword) return Feed.End;
    if (this.shadow) {
      const c = text.charCodeAt(0);
      if (c === 32 || c === 9 || text.startsWith('=>')) return this.take(line.docLine);
      this.shadow = false;
    }
    if (SHADOW_HEAD.test(text)) {
      this.commitPending();
      this.shadow = true;
      return this.take(line.docLine);
    }
    if (this.registers && REGISTER.test(text)) return this.take(line.docLine);
    this.registers = false;
    const pid = PID.exec(text.trimStart());
    if (pid) {
      // Another process's lines interleaved with the report are not part of it.
      if (this.header.pid !== null && pid[1] !== this.header.pid) return Feed.Hold;
      const body = text.trimStart().slice(pid[0].length).trim();
      this.commitPending();
      if (body === 'ABORTING') {
        this.summary = true;
        return this.take(line.docLine);
      }
      if (body.startsWith('Register values')) this.registers = true;
      else if (!this.summary) this.describe(body, line.docLine);
      return this.take(line.docLine);
    }
    if (text.startsWith('SUMMARY: ')) {
      this.commitPending();
      this.summary = true;
      return this.take(line.docLine);
    }
    if (this.summary) {
      if (text === 'Exiting') return this.take(line.docLine);
      if (SEPARATOR.test(text)) {
        this.closed = true;
        return this.take(line.docLine);
      }
      return Feed.End;
    }
    if (FRAME_OBJECTS.test(text)) {
      // Known description lines, taken at once: a frame can have more objects than lines may be held.
      this.commitPending();
      this.describe(text.trim(), line.docLine);
      return this.take(line.docLine);
    }
    if (text.endsWith('Sanitizer can not provide additional info.')) {
      this.commitPending();
      return this.take(line.docLine);
    }
    // UBSan goes on after a runtime error: only its notes and a stack belong to the report.
    if (this.header.location !== null && !text.includes(': note: ') && this.stack === null) return Feed.End;
    if (this.pending.length >= MAX_PENDING) return Feed.End;
    this.pending.push(line);
    return Feed.Hold;
  }

  finish(): Trace[] {
    this.done.push(this.report);
    const out: Trace[] = [];
    for (const r of this.done) {
      const t = r.trace;
      if (t.frames.length === 0 && !t.related?.length) {
        if (this.header.location !== null && this.done.length === 1) {
          // A runtime error printed without a stack: its location is the one frame there is.
          const f = emptyFrame(this.header.location, t.span.start);
          setLocation(f, this.header.location);
          t.frames.push(f);
          t.role = 'access';
        } else if (!this.header.keyword) {
          continue;
        }
      }
      const lines = r.headerMessage !== null ? [r.headerMessage, ...r.lines] : r.lines;
      t.message = lines.length > 0 ? lines.join('\n') : null;
      t.title = r.headline;
      markInlined(t.frames);
      for (const rel of t.related ?? []) markInlined(rel.frames);
      closeSpans(t);
      out.push(t);
    }
    return out;
  }
}

/** The line right above a headerless stack, if it reads as one of a report's stack labels. */
function labelAbove(history: readonly LogicalLine[]): LogicalLine | null {
  const l = history[history.length - 1];
  if (!l || isBlank(l.text) || l.text.length > 300) return null;
  const t = labelText(l.text);
  return roleOf(t, SANITIZER_ROLES) !== null || / (?:here|at|from):$/.test(l.text) ? l : null;
}

export const sanitizerParser: TraceParser = {
  name: 'sanitizer',
  trigger:
    /^\s*(?:==\d{1,10}==(?:ERROR: |WARNING: |[A-Z][A-Za-z]{0,20}Sanitizer )|(?:(?:ERROR|WARNING|ING): )?(?:Address|Thread|Memory|Leak|UndefinedBehavior|HWAddress)Sanitizer: |#\d{1,6} )/,
  scanTriggers: [
    {
      needle: ': runtime error: ',
      pattern: /^\s{0,40}(?:(?:[A-Za-z]:)?[^:\s][^:]{0,1000}(?::\d{1,9}){1,2}|<unknown>): runtime error: /,
    },
  ],
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const text = line.text;
    const h = text.trimStart().startsWith('#') ? null : parseSanitizerHeader(text);
    if (h) {
      const builder = new SanitizerBuilder(h, line.docLine, null);
      return { score: h.keyword ? 10 : 6, builder };
    }
    const f = parseSanitizerFrame(text, line.docLine);
    if (!f || f.score < 7) return null;
    // A stack pasted without its report's first line.
    const label = labelAbove(ctx.history);
    const title = label ? labelText(label.text) : f.frame.raw;
    const header: SanHeader = {
      pid: null,
      keyword: true,
      title,
      type: null,
      message: null,
      thread: null,
      location: null,
    };
    const builder = new SanitizerBuilder(header, label ? label.docLine : line.docLine, label);
    builder.addFrame(f);
    return { score: f.score, builder };
  },
};

// ---------------------------------------------------------------------------------------------------------
// Valgrind

/** `==1234== ` (and `--time-stamp=yes`'s `00:00:00:01.234 `) before every line of a Valgrind report. */
const VG_PREFIX = /^\s{0,40}==(\d{1,10})==(?:[ \t](?:\d\d:\d\d:\d\d:\d\d\.\d{3} )?|$)/;
/** `-v` chatter (`--1234-- REDIR: …`) and the core's own `**1234**` lines: between and around reports. */
const VG_NOISE = /^\s{0,40}(?:--\d{1,10}--|\*\*\d{1,10}\*\*)(?: |$)/;
/** `at 0x4C2ECF0: free (vg_replace_malloc.c:530)`, `by 0x1085D1: ??? (in /home/user/a.out)`. */
const VG_FRAME = /^\s*(at|by) (0x[0-9A-Fa-f]{1,16}):(?: (.*))?$/;
/** `1 errors in context 1 of 1:` (the `-v` error summary repeats each error under it). */
const VG_CONTEXT = /^\s*[\d,]{1,20} errors? in context /;
/** Lines of an error that may follow a blank line (Helgrind and DRD separate their sections). */
const VG_CONTINUE =
  /^\s*(?:This conflicts with |Address 0x|Block was alloc'd|Uninitialised value was created|Lock at 0x|Locks held:|Other segment (?:start|end)|Allocation context:)/;
/** `40 (24 direct, 16 indirect) bytes in 1 blocks are definitely lost in loss record 2 of 2`. */
const VG_LEAK =
  /^[\d,]{1,20} (?:\([\d,]{1,20} direct, [\d,]{1,20} indirect\) )?bytes in [\d,]{1,20} blocks are (definitely lost|indirectly lost|possibly lost|still reachable) in loss record /;
const VG_THREAD_CREATED = /^Thread (#\d{1,9}) was created$/;
const VG_BY_THREAD = /\bby thread (#\d{1,9})\b/;

function vgRole(label: string): string {
  if (label.endsWith(" free'd")) return 'free';
  if (label.endsWith(" alloc'd") || label.startsWith("Block was alloc'd")) return 'allocation';
  if (label.startsWith('Uninitialised value was created')) return 'origin';
  if (label.startsWith('This conflicts with a previous')) return 'previous-access';
  if (label.startsWith('Lock at 0x')) return 'mutex';
  return label;
}

/** Parses a Valgrind frame (without its `==pid==` prefix), or returns null. */
export function parseValgrindFrame(
  body: string,
  raw: string,
  docLine: number,
): { frame: Frame; at: boolean } | null {
  const m = VG_FRAME.exec(body);
  if (!m) return null;
  const frame = emptyFrame(raw.trim(), docLine);
  frame.address = m[2]!;
  let fn = (m[3] ?? '').trim();
  if (fn.endsWith(')')) {
    const open = openingParen(fn);
    if (open > 0 && fn.charCodeAt(open - 1) === 32) {
      const loc = fn.slice(open + 1, -1);
      if (loc.startsWith('in ')) {
        frame.module = loc.slice(3);
        fn = fn.slice(0, open - 1);
      } else {
        const split = splitLocation(loc, false);
        if (split) {
          frame.file = split.file;
          frame.line = split.line;
          fn = fn.slice(0, open - 1);
        }
      }
    }
  }
  frame.function = fn === '' || fn === '???' ? null : fn;
  return { frame, at: m[1] === 'at' };
}

interface VgLine {
  pid: string | null;
  body: string;
}

function vgLine(text: string): VgLine | null {
  const p = VG_PREFIX.exec(text);
  return p ? { pid: p[1]!, body: text.slice(p[0].length) } : null;
}

class ValgrindBuilder implements TraceBuilder {
  private stack: TraceNode;
  /** Non-frame lines since the last frame: the next stack's label, or descriptions of the error. */
  private pending: { text: string; docLine: number }[] = [];
  private readonly lines: string[] = [];
  /** A blank report line since the last line taken: only a continuation of the error may follow. */
  private blank = false;

  constructor(
    private readonly pid: string | null,
    private readonly trace: Trace,
    headerMessage: string[],
  ) {
    this.stack = trace;
    this.lines.push(...headerMessage);
  }

  addFrame(f: { frame: Frame; at: boolean }): boolean {
    if (this.stack.frames.length > 0 && (f.at || this.pending.length > 0)) {
      // Helgrind puts `Locks held: …` between a stack's label and its frames: it goes with the label.
      let i = this.pending.length - 1;
      while (i > 0 && this.pending[i]!.text.trimStart().startsWith('Locks held:')) i--;
      const label = this.pending[i];
      if (label === undefined) return false;
      const after = this.pending.slice(i + 1).map((p) => p.text.trim());
      this.pending.length = i;
      this.flushPending();
      const text = labelText(label.text);
      const node = newNode(null, [text, ...after].join('\n'), label.docLine);
      node.title = text;
      node.relation = 'related';
      node.role = vgRole(text);
      (this.trace.related ??= []).push(node);
      this.stack = node;
    } else {
      this.flushPending();
    }
    this.stack.frames.push(f.frame);
    extendSpan(this.trace.span, f.frame.docLine);
    return true;
  }

  private flushPending(): void {
    for (const p of this.pending) if (this.lines.length < MAX_MESSAGE_LINES) this.lines.push(p.text.trim());
    this.pending = [];
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    let body = text;
    if (this.pid !== null) {
      const v = vgLine(text);
      if (!v) return VG_NOISE.test(text) ? Feed.Hold : Feed.End;
      if (v.pid !== this.pid) return Feed.End;
      body = v.body;
    } else if (PID.test(text.trimStart())) {
      return Feed.End;
    }
    if (isBlank(body)) {
      this.blank = true;
      return Feed.Hold;
    }
    const f = parseValgrindFrame(body, text, line.docLine);
    if (f) {
      if (this.blank || !this.addFrame(f)) return Feed.End;
      return Feed.Take;
    }
    // A pasted report without prefixes: only the lines Valgrind itself writes in an error belong to it.
    if ((this.blank || this.pid === null) && !VG_CONTINUE.test(body)) return Feed.End;
    this.blank = false;
    if (this.pending.length >= MAX_PENDING) return Feed.End;
    this.pending.push({ text: body, docLine: line.docLine });
    extendSpan(this.trace.span, line.docLine);
    return Feed.Take;
  }

  finish(): Trace[] {
    this.flushPending();
    this.trace.message = this.lines.length > 0 ? this.lines.join('\n') : null;
    closeSpans(this.trace);
    return [this.trace];
  }
}

/**
 * The error's first lines above its first frame: consecutive report lines of the same process, up to a
 * blank one (Valgrind separates errors with an empty `==pid== ` line), `-v` chatter or the error summary.
 */
function vgHeader(history: readonly LogicalLine[], pid: string | null): LogicalLine[] {
  const out: LogicalLine[] = [];
  const max = pid !== null ? 6 : 1;
  for (let i = history.length - 1; i >= 0 && out.length < max; i--) {
    const l = history[i]!;
    const v = vgLine(l.text);
    if (pid !== null ? !v || v.pid !== pid : v !== null) break;
    const body = v ? v.body : l.text;
    if (isBlank(body) || VG_FRAME.test(body) || VG_CONTEXT.test(body)) break;
    out.unshift({ ...l, text: body.trim() });
  }
  return out;
}

function valgrindTrace(header: LogicalLine[], docLine: number): { trace: Trace; rest: string[] } {
  const first = header[0];
  const headline = first ? first.text : null;
  const rest = header.slice(1).map((l) => l.text);
  let kind: TraceKind = 'crash';
  let type = headline;
  let role = 'access';
  let thread: ThreadInfo | null = null;
  if (headline !== null) {
    const leak = VG_LEAK.exec(headline);
    const created = VG_THREAD_CREATED.exec(headline);
    if (leak) {
      type = leak[1]!;
      role = 'leak';
      rest.unshift(headline);
    } else if (created) {
      kind = 'thread';
      type = null;
      role = 'thread-creation';
      thread = { name: null, id: created[1]!, state: null };
    } else {
      const by = VG_BY_THREAD.exec(headline);
      if (by) thread = { name: null, id: by[1]!, state: null };
    }
  }
  const node = newNode(type, null, first ? first.docLine : docLine);
  node.title = headline ?? '';
  node.role = role;
  const trace: Trace = { ...node, format: 'valgrind', kind };
  if (thread) trace.thread = thread;
  return { trace, rest };
}

export const valgrindParser: TraceParser = {
  name: 'valgrind',
  trigger:
    /^\s{0,40}(?:==\d{1,10}==(?: \d\d:\d\d:\d\d:\d\d\.\d{3})?\s{0,12})?(?:at|by) 0x[0-9A-Fa-f]{1,16}: /,
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const v = vgLine(line.text);
    const pid = v ? v.pid : null;
    const f = parseValgrindFrame(v ? v.body : line.text, line.text, line.docLine);
    if (!f) return null;
    const header = vgHeader(ctx.history, pid);
    const { trace, rest } = valgrindTrace(header, line.docLine);
    if (trace.title === '') trace.title = f.frame.raw;
    const builder = new ValgrindBuilder(pid, trace, rest);
    builder.addFrame(f);
    let score = pid !== null ? (header.length > 0 ? 10 : 8) : header.length > 0 ? 8 : 6;
    if (!f.at) score -= 2;
    return { score, builder };
  },
};
