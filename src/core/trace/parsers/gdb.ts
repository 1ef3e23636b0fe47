// gdb backtraces (`bt`, `bt full`, `thread apply all bt`, core-file sessions) and the systemd-coredump
// `Stack trace of thread N:` blocks that journalctl and coredumpctl print for the same Linux crashes.

import { emptyFrame, type Frame, type ThreadInfo, type Trace, type TraceKind } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { closeSpans, extendSpan, indentOf, isBlank, newNode, toInt } from './util';
import { findBracket, splitLocation } from './native';

/** `#N`, blanks, then the frame: gdb and systemd-coredump number frames alike. */
const FRAME = /^(\s*)#(\d{1,6})(\s+)(\S.*)$/;
const ADDRESS = /^0x[0-9a-fA-F]{1,16}/;
/** PHP's `#0 /path/file.php(12): f()` and `#1 {main}` share the `#N` numbering; they are not gdb's. */
const PHP_LIKE = /^(?:[^(]*\(\d+\): |\{main\}|\[internal function\])/;
/** Android tombstones: `#00 pc 0001a2b3  /system/lib/libc.so (abort+52)`. */
const TOMBSTONE = /^pc [0-9a-fA-F]/;
/** AddressSanitizer's `(binary+0x1234)` in place of gdb's argument list. */
const MODULE_OFFSET_ARGS = /^[^\s=()]*\+0x[0-9a-fA-F]+$/;
const LIBRARY = /\.(?:so|dylib|dll|exe)(?:\.\d+)*$/i;
const SYMBOL = /^\S+$/;

/** `Thread 21 (Thread 0x7fffa3fff700 (LWP 13608)):`, `Thread 2 (LWP 123):`, `Thread 1 (Thread 0x… (LWP 1) "name"):`. */
const GDB_THREAD = /^\s*Thread (\d{1,9}(?:\.\d{1,9})?) \((.*)\):$/;
const COREDUMP_THREAD = /^\s*Stack trace of thread (\d{1,10}):$/;
/** `Program received signal SIGSEGV, Segmentation fault.`, `Thread 2 "worker" received signal SIGABRT, Aborted.` */
const SIGNAL =
  /^\s*(?:Program|Thread (\d{1,9}(?:\.\d{1,9})?)(?: "([^"]*)")?) (?:received|terminated with) signal ([^\s,]+), (.*)$/;
/** `[Current thread is 1 (Thread 0x… (LWP 627812))]`, `[Switching to Thread 0x… (LWP 27121)]`. */
const CURRENT_THREAD = /^\s*\[(?:Current thread is|Switching to) (.*)\]$/;
/** The program ran on: the stop that produced earlier lines is over. */
const RESUME =
  /^\s*(?:\(gdb\)\s+(?:r|run|c|cont|continue|start|starti|n|next|s|step|finish|kill|k|q|quit)(?:\s|$)|Continuing\.|Starting program: |\[Inferior \d+ \([^)]*\) exited)/;
/** gdb chatter that can sit between the stop location and the backtrace: prompts, `[New Thread …]`, pager. */
const NOISE = /^\s*(?:\(gdb\)|\[.*\]$|```|---Type <return>|--Type <RET>|warning: |Reading symbols from )/;
/** `790\t    new(endNoCheck()) T(t);`: gdb echoes the source line of the frame it stopped in. */
const SOURCE_ECHO = /^(\d{1,9})\s+(\S.*)$/;
const NO_SOURCE = /(?:No such file or directory\.|^in \S+)$/;
/** `bt full` lines that say a frame has no locals to show. */
const NO_LOCALS = /^\s*(?:No locals\.|No symbol table info available\.)$/;
const BT_STOPPED = /^\s*(?:Backtrace stopped: .*|\(More stack frames follow\.\.\.\))$/;

type Mode = 'gdb' | 'coredump';
/** What a frame line still lacks when it was wrapped or cut: the location, the argument list, its end. */
type Need = 'none' | 'location' | 'args' | 'argsOpen';

interface ParsedFrame {
  frame: Frame;
  mode: Mode;
  index: number;
  indent: number;
  need: Need;
  /** `<signal handler called>` and friends: a marker gdb prints in place of a frame. */
  pseudo: boolean;
  score: number;
}

/**
 * Index of the `(` that opens a gdb frame's argument list: the first ` (` outside brackets. Function names
 * bring their own parentheses and templates (`QWaitCondition::wait(QMutex*, unsigned long) ()`,
 * `std::function<void ()>::operator() (this=…)`), so `(` and `<` nest and operator names are skipped.
 */
export function argsOpen(s: string): number {
  let paren = 0;
  let angle = 0;
  return findBracket(s, (i, c) => {
    if (c === 40 /* ( */) {
      if (paren === 0 && angle === 0 && i > 0 && s.charCodeAt(i - 1) === 32) return true;
      paren++;
    } else if (c === 41 /* ) */) {
      if (paren > 0) paren--;
    } else if (c === 60 /* < */) {
      angle++;
    } else if (angle > 0) {
      angle--;
    }
    return false;
  });
}

/** Index of the `)` that closes the argument list opened at `open`, skipping string and char literals. */
function argsClose(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < s.length && s.charCodeAt(i) !== 34) i += s.charCodeAt(i) === 92 ? 2 : 1;
    } else if (c === 39 /* ' */) {
      // gdb prints chars as `40 '('` or `92 '\\'`.
      if (s.charCodeAt(i + 1) === 92) {
        const end = s.indexOf("'", i + 3);
        if (end > 0 && end - i < 12) i = end;
      } else if (s.charCodeAt(i + 2) === 39) {
        i += 2;
      }
    } else if (c === 40) {
      depth++;
    } else if (c === 41) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** gdb's `??` / `???` mean it found no symbol. */
function symbolOrNull(name: string): string | null {
  const n = name.trim();
  return n === '' || n === '??' || n === '???' ? null : n;
}

/** ` at file.c:12`, ` at /usr/lib/libc.so.6` (a library, no line: newer gdb without debug info), ` from lib`. */
function applyTail(frame: Frame, tail: string): Need | 'unknown' {
  if (tail === '') return 'none';
  if (tail === ' at' || tail === ' from') return 'location';
  if (tail.startsWith(' from ')) {
    frame.module = tail.slice(6).trim();
    return 'none';
  }
  if (tail.startsWith(' at ')) {
    const loc = tail.slice(4).trim();
    const split = splitLocation(loc, false);
    if (split) {
      frame.file = split.file;
      frame.line = split.line;
    } else if (LIBRARY.test(loc)) {
      frame.module = loc;
    } else {
      frame.file = loc;
    }
    return 'none';
  }
  return 'unknown';
}

/** The part of a gdb frame after `#N  [0x… in ]`. */
function parseGdbBody(frame: Frame, body: string): { need: Need; pseudo: boolean; score: number } | null {
  if (body.charCodeAt(0) === 60 /* < */) {
    // `<signal handler called>`, `<function called from gdb>`: markers, not functions; cut ones keep their text.
    const close = body.indexOf('>');
    frame.notes = [close > 0 ? body.slice(1, close) : body.slice(1)];
    return { need: 'none', pseudo: true, score: 4 };
  }
  const open = argsOpen(body);
  if (open < 0) {
    if (body.includes('  ')) return null;
    frame.function = symbolOrNull(body);
    return { need: 'args', pseudo: false, score: 3 };
  }
  const name = body.slice(0, open - 1);
  if (name.includes('  ') || TOMBSTONE.test(name) || PHP_LIKE.test(name)) return null;
  frame.function = symbolOrNull(name);
  const close = argsClose(body, open);
  if (close < 0) {
    frame.args = body.slice(open + 1);
    return { need: 'argsOpen', pseudo: false, score: 3 };
  }
  frame.args = body.slice(open + 1, close);
  const tail = applyTail(frame, body.slice(close + 1));
  const located = frame.file !== null || frame.module !== null;
  let score = located ? 8 : 5;
  if (MODULE_OFFSET_ARGS.test(frame.args)) score = 3;
  if (tail === 'unknown') return { need: 'none', pseudo: false, score: Math.min(score, 3) };
  return { need: tail, pseudo: false, score: tail === 'location' ? 7 : score };
}

/** systemd-coredump's `0x00007fb66b09f002 n/a (libc.so.6 + 0x9f002)`, possibly cut by a pager at `>`. */
function parseCoredumpBody(frame: Frame, body: string): number {
  const p = body.indexOf(' (');
  let sym = p >= 0 ? body.slice(0, p) : body;
  let inner = p >= 0 ? body.slice(p + 2) : null;
  let truncated = false;
  if (inner === null && sym.endsWith('>')) {
    sym = sym.slice(0, -1);
    truncated = true;
  }
  if (!SYMBOL.test(sym)) return -1;
  frame.function = sym === 'n/a' ? null : sym;
  let score = 5;
  if (inner !== null) {
    if (inner.endsWith(')')) {
      inner = inner.slice(0, -1);
      const plus = inner.lastIndexOf(' + ');
      if (plus > 0) {
        frame.module = inner.slice(0, plus);
        frame.offset = inner.slice(plus + 1);
        score = 10;
      } else {
        frame.module = inner;
        score = 7;
      }
    } else {
      // `(libj>`: the module name was cut by the pager; a prefix of a name is not a name.
      truncated = true;
    }
  }
  if (truncated) {
    frame.notes = ['truncated'];
    score = 7;
  }
  return score;
}

/** Parses a `#N …` frame line of gdb or systemd-coredump, or returns null. */
export function parseGdbFrame(text: string, docLine: number): ParsedFrame | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  const rest = m[4]!;
  const index = toInt(m[2]) ?? 0;
  const frame = emptyFrame(text.trim(), docLine);
  // gdb pads levels to two columns and one blank (`#0  `, `#12 `); one blank after `#0` is PHP's or a
  // sanitizer's, a wide gap Dart's (`#0      main (file:///…)`).
  const gap = m[3]!;
  const penalty = (m[2]!.length === 1 && gap === ' ') || gap.length > 3 ? 3 : 0;
  const base = { frame, index, indent: indentOf(m[1]!) };
  const addr = ADDRESS.exec(rest);
  if (addr) {
    frame.address = addr[0];
    const after = rest.slice(addr[0].length);
    if (after.startsWith(' in ')) {
      const body = parseGdbBody(frame, after.slice(4));
      if (!body) return null;
      return { ...base, mode: 'gdb', need: body.need, pseudo: body.pseudo, score: body.score + 2 - penalty };
    }
    if (after.charCodeAt(0) !== 32) return null;
    const score = parseCoredumpBody(frame, after.slice(1));
    if (score < 0) return null;
    return { ...base, mode: 'coredump', need: 'none', pseudo: false, score: score - penalty };
  }
  if (PHP_LIKE.test(rest) || TOMBSTONE.test(rest)) return null;
  const body = parseGdbBody(frame, rest);
  if (!body) return null;
  // Without an address gdb always has a location (frame 0 at a line start, inlined frames) or was cut.
  const located = frame.file !== null || frame.module !== null;
  const score = body.need === 'location' || (body.need === 'none' && located) ? body.score : 2;
  return { ...base, mode: 'gdb', need: body.need, pseudo: body.pseudo, score: score - penalty };
}

interface Signal {
  title: string;
  type: string;
  message: string;
  docLine: number;
  thread: ThreadInfo | null;
}

function parseSignal(l: LogicalLine): Signal | null {
  const m = SIGNAL.exec(l.text);
  if (!m) return null;
  // `Segmentation fault.`: the period is gdb's sentence, not part of strsignal's text.
  const message = m[4]!.endsWith('.') ? m[4]!.slice(0, -1) : m[4]!;
  const thread = m[1] !== undefined ? { name: m[2] ?? null, id: m[1], state: null } : null;
  return { title: l.text.trim(), type: m[3]!, message, docLine: l.docLine, thread };
}

/** The kernel thread id (LWP) a gdb thread description names, if any. */
function lwpOf(desc: string): string | null {
  const i = desc.indexOf('LWP ');
  if (i < 0) return null;
  let j = i + 4;
  while (j < desc.length && desc.charCodeAt(j) >= 48 && desc.charCodeAt(j) <= 57) j++;
  return j > i + 4 ? desc.slice(i + 4, j) : null;
}

/**
 * A gdb thread header's identity. The id is the LWP (the kernel thread id, which systemd-coredump's
 * `Stack trace of thread N`, /proc and application logs also use) when gdb names one, else gdb's own number.
 */
function gdbThread(m: RegExpExecArray): ThreadInfo {
  const desc = m[2]!;
  let name: string | null = null;
  if (desc.endsWith('"')) {
    const q = desc.lastIndexOf(' "', desc.length - 2);
    if (q >= 0) name = desc.slice(q + 2, -1);
  }
  return { name, id: lwpOf(desc) ?? m[1]!, state: null };
}

interface Open {
  trace: Trace;
  /** Under a `Thread N (…):` / `Stack trace of thread N:` header (never a crash, never merged). */
  headed: boolean;
  lastIndex: number;
  /** Indentation of the last frame's `#`: `bt full` locals sit deeper. */
  frameIndent: number;
  need: Need;
  joins: number;
  /** The stop location gdb printed before the user's `bt` printed it again as `#0`. */
  preview: Frame | null;
  /** The frame an echoed source line belongs to: the last one printed. */
  echo: Frame | null;
}

function openOf(trace: Trace, headed: boolean): Open {
  return { trace, headed, lastIndex: -1, frameIndent: 0, need: 'none', joins: 0, preview: null, echo: null };
}

function makeTrace(mode: Mode, kind: TraceKind, docLine: number, signal: Signal | null): Trace {
  const node = newNode(signal?.type ?? null, signal?.message ?? null, docLine);
  if (signal) node.title = signal.title;
  return { ...node, format: mode, kind };
}

class GdbBuilder implements TraceBuilder {
  private readonly done: Trace[] = [];
  private cur: Open;
  /** Frames still waiting for the rest of a wrapped line; those never completed were cut. */
  private readonly incomplete = new Set<Frame>();
  /** Thread named by `[Current thread is …]` / `[Switching to …]`: the crashed one. */
  private crashThread: ThreadInfo | null;

  constructor(
    private readonly mode: Mode,
    private readonly signal: Signal | null,
    header: { text: string; docLine: number; thread: ThreadInfo } | null,
    crashThread: ThreadInfo | null,
  ) {
    this.crashThread = crashThread;
    this.cur = header ? this.headed(header.text, header.docLine, header.thread) : this.bare(-1);
  }

  private headed(text: string, docLine: number, thread: ThreadInfo): Open {
    const trace = makeTrace(this.mode, 'thread', docLine, null);
    trace.title = text.trim().replace(/:$/, '');
    trace.thread = thread;
    return openOf(trace, true);
  }

  /** A backtrace without a header: gdb's is a stopped program (a crash), coredump's a dump cut above it. */
  private bare(docLine: number): Open {
    const signal = this.mode === 'gdb' ? this.signal : null;
    const start = signal && docLine < 0 ? signal.docLine : docLine;
    const trace = makeTrace(this.mode, this.mode === 'gdb' ? 'crash' : 'thread', start, signal);
    return openOf(trace, false);
  }

  private next(open: Open): void {
    this.done.push(this.cur.trace);
    this.cur = open;
  }

  addFrame(p: ParsedFrame): void {
    const open = this.cur;
    const frames = open.trace.frames;
    if (open.trace.span.start < 0) open.trace.span = { start: p.frame.docLine, end: p.frame.docLine };
    const f = p.frame;
    // An address-less frame below another is one gdb inlined into its caller's frame.
    if (this.mode === 'gdb' && f.address === null && !p.pseudo && p.index > 0 && frames.length > 0) {
      (f.notes ??= []).push('inlined');
    }
    const pv = open.preview;
    if (pv && p.index === 0 && pv.source !== undefined && pv.file === f.file && pv.line === f.line) {
      f.source = pv.source;
    }
    frames.push(f);
    open.echo = f;
    if (p.need !== 'none') this.incomplete.add(f);
    open.lastIndex = p.index;
    open.frameIndent = p.indent;
    open.need = p.need;
    open.joins = 0;
    extendSpan(open.trace.span, f.docLine);
  }

  private frame(p: ParsedFrame): Feed {
    if (p.mode !== this.mode) return Feed.End;
    const open = this.cur;
    const frames = open.trace.frames;
    if (frames.length === 0 || p.index > open.lastIndex) {
      this.addFrame(p);
      return Feed.Take;
    }
    if (p.index === 0 && this.mode === 'gdb' && !open.headed && frames.length === 1) {
      // gdb printed where it stopped, then the user's `bt` printed that frame again with the rest.
      open.preview = frames.pop()!;
      this.addFrame(p);
      return Feed.Take;
    }
    // `frame 1`, `up`, a second `bt`: gdb prints frames of this backtrace again (with their source line).
    const f = p.frame;
    const same = frames.find(
      (g) => g.address === f.address && g.function === f.function && g.file === f.file,
    );
    if (same && this.mode === 'gdb') {
      open.echo = same;
      extendSpan(open.trace.span, f.docLine);
      return Feed.Take;
    }
    if (p.index !== 0) return Feed.End;
    this.next(this.bare(p.frame.docLine));
    this.addFrame(p);
    return Feed.Take;
  }

  /** A line that completes the last frame: a hard-wrapped location or argument list, gdb's own `    at …`. */
  private continues(text: string, last: Frame): boolean {
    const open = this.cur;
    if (this.mode !== 'gdb' || open.joins >= 4) return false;
    const t = text.trim();
    switch (open.need) {
      case 'location':
        return !FRAME.test(text) && !GDB_THREAD.test(text) && !t.startsWith('(gdb)');
      case 'args':
        return t.charCodeAt(0) === 40;
      case 'argsOpen':
        return !FRAME.test(text) && !GDB_THREAD.test(text) && !NOISE.test(text);
      default:
        return (
          last.file === null &&
          last.module === null &&
          (t.startsWith('at ') || t.startsWith('from ')) &&
          t.length > 5
        );
    }
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (isBlank(text)) return Feed.Hold;
    const open = this.cur;
    const last = open.trace.frames[open.trace.frames.length - 1];
    if (last && this.continues(text, last)) {
      const joined = parseGdbFrame(`${last.raw} ${text.trim()}`, last.docLine);
      if (joined && joined.mode === 'gdb') {
        const joins = open.joins + 1;
        this.incomplete.delete(open.trace.frames.pop()!);
        this.addFrame({ ...joined, indent: open.frameIndent });
        open.joins = joins;
        extendSpan(open.trace.span, line.docLine);
        return Feed.Take;
      }
    }
    const p = parseGdbFrame(text, line.docLine);
    if (p) return this.frame(p);
    const th = GDB_THREAD.exec(text);
    if (th) {
      if (this.mode !== 'gdb') return Feed.End;
      this.next(this.headed(text, line.docLine, gdbThread(th)));
      return Feed.Take;
    }
    const st = COREDUMP_THREAD.exec(text);
    if (st) {
      if (this.mode !== 'coredump') return Feed.End;
      this.next(this.headed(text, line.docLine, { name: null, id: st[1]!, state: null }));
      return Feed.Take;
    }
    if (last && this.mode === 'gdb') {
      const t = text.trim();
      const src = SOURCE_ECHO.exec(t);
      const echo = open.echo ?? last;
      if (src && toInt(src[1]) === echo.line) {
        if (!NO_SOURCE.test(src[2]!) && echo.source === undefined) echo.source = src[2]!;
        extendSpan(open.trace.span, line.docLine);
        return Feed.Take;
      }
      if (NO_LOCALS.test(text) || indentOf(text) >= open.frameIndent + 6) {
        // `bt full`: the frame's locals, kept with the frame they belong to.
        const notes = (last.notes ??= []);
        if (notes.length < 500) notes.push(t);
        extendSpan(open.trace.span, line.docLine);
        return Feed.Take;
      }
      if (BT_STOPPED.test(text)) {
        (last.notes ??= []).push(t);
        extendSpan(open.trace.span, line.docLine);
        return Feed.Take;
      }
    }
    if (RESUME.test(text) || SIGNAL.test(text)) return Feed.End;
    const cur = CURRENT_THREAD.exec(text);
    if (cur) {
      const id = lwpOf(cur[1]!);
      if (id !== null) this.crashThread = { name: this.crashThread?.name ?? null, id, state: null };
      return Feed.Hold;
    }
    return NOISE.test(text) ? Feed.Hold : Feed.End;
  }

  finish(): Trace[] {
    this.done.push(this.cur.trace);
    for (const f of this.incomplete) (f.notes ??= []).push('truncated');
    const out: Trace[] = [];
    for (const t of this.done) {
      if (t.span.start < 0) continue;
      closeSpans(t);
      if (t.title === '' && t.frames.length > 0) t.title = t.frames[0]!.raw;
      if (t.kind === 'crash' && !t.thread && this.crashThread) t.thread = { ...this.crashThread };
      out.push(t);
    }
    return out;
  }
}

/** Up to two blank lines back from the end of the history: where a thread header sits above its frames. */
function headerAbove(history: readonly LogicalLine[]): LogicalLine | null {
  for (let i = history.length - 1, n = 0; i >= 0 && n < 3; i--, n++) {
    const l = history[i]!;
    if (!isBlank(l.text)) return l;
  }
  return null;
}

/** The signal a bare backtrace belongs to, unless the program was resumed since. */
function signalAbove(history: readonly LogicalLine[]): { signal: Signal | null; thread: ThreadInfo | null } {
  let lwp: string | null = null;
  for (let i = history.length - 1; i >= 0; i--) {
    const l = history[i]!;
    if (RESUME.test(l.text)) break;
    const signal = parseSignal(l);
    if (signal) {
      const thread = signal.thread ?? (lwp !== null ? { name: null, id: null, state: null } : null);
      if (thread && lwp !== null) thread.id = lwp;
      return { signal, thread };
    }
    if (lwp === null) {
      const cur = CURRENT_THREAD.exec(l.text);
      if (cur) lwp = lwpOf(cur[1]!);
    }
  }
  return { signal: null, thread: lwp !== null ? { name: null, id: lwp, state: null } : null };
}

export const gdbParser: TraceParser = {
  name: 'gdb',
  trigger: /^\s*#\d{1,6}\s/,
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const p = parseGdbFrame(line.text, line.docLine);
    if (!p || p.score < 4) return null;
    const above = headerAbove(ctx.history);
    let builder: GdbBuilder;
    let score = p.score;
    if (p.mode === 'coredump') {
      const st = above ? COREDUMP_THREAD.exec(above.text) : null;
      const header = st
        ? { text: above!.text, docLine: above!.docLine, thread: { name: null, id: st[1]!, state: null } }
        : null;
      builder = new GdbBuilder('coredump', null, header, null);
    } else {
      const th = above ? GDB_THREAD.exec(above.text) : null;
      if (th) {
        builder = new GdbBuilder(
          'gdb',
          null,
          { text: above!.text, docLine: above!.docLine, thread: gdbThread(th) },
          null,
        );
        score += 1;
      } else {
        const { signal, thread } = signalAbove(ctx.history);
        if (signal) score += 1;
        builder = new GdbBuilder('gdb', signal, null, thread);
      }
    }
    builder.addFrame(p);
    return { score: Math.min(score, 10), builder };
  },
};
