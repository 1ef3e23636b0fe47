// Android native crashes: debuggerd / crash_dump tombstones (in files, in logcat, from xCrash) with their
// other threads, and `debuggerd -b` backtrace dumps (`"name" sysTid=N` threads).

import { emptyFrame, type Frame, type ThreadInfo, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { closeSpans, extendSpan, isBlank, newNode, openingParen, titleOf, toInt } from './util';

const STARS = /^\s*\*\*\* \*\*\* \*\*\*/;
const SEPARATOR = /^\s*--- --- ---/;
const FINGERPRINT = /^\s*Build fingerprint: /;
const MAKER = /^\s*Tombstone maker: /;
/** `pid: 958, tid: 960, name: crasher  >>> crasher <<<`; Android 4.0 writes no name. */
const PID = /^\s*pid: (\d{1,10}), tid: (\d{1,10})(.*)$/;
/** `signal 6 (SIGABRT), code -6 (SI_TKILL), fault addr --------` */
const SIGNAL = /^\s*signal (\d{1,3}) \(([A-Z][A-Z0-9]{1,15})\)(?:, )?(.*)$/;
const ABORT = /^\s*Abort message: (.*)$/;
const BACKTRACE = /^\s*backtrace:$/;
/** `#00 pc 000000000004fa04  /system/lib64/libc.so (abort+164) (BuildId: …)`; old ones have two blanks. */
const FRAME = /^\s*#(\d{2,4}) {1,3}pc ([0-9a-fA-F]{1,16})(.*)$/;
/** `debuggerd -b`: `"surfaceflinger" sysTid=1234`. */
const SYSTID = /^"([^"]{0,200})" sysTid=(\d{1,10})(.*)$/;
/** Scudo / GWP-ASan / MTE reports print the block's other stacks under the crashing thread's backtrace. */
const RELATED = /^\s*(deallocated|allocated) by thread (\d{1,10}):$/;
/** A register row: `    x0  0000000000000000  x1 …`, MIPS ` zr 00000000  at …`. */
const REGISTERS = /^\s+[a-z][a-z0-9]{0,5} +[0-9a-fA-F]{8,16}(?: |$)/;
/** `Revision: '0'`, `uid: 10158`, `Cause: null pointer dereference`, xCrash's `App version: '6.1.2'`. */
const FIELD = /^\s*([A-Za-z][\w .-]{0,40}): (.*)$/;
/** `stack:`, `memory near x0 ([anon:libc_malloc]):`, `memory map (1234 entries):`, `open files:`, xCrash's `build id:`. */
const SECTION = /^(?:memory map\b.{0,300}|[a-z][\w ]{0,40}(?: \(.{0,300}\))?:)$/;
/** What follows a tombstone and is not part of it: the process's log, a new crash, xCrash's Java stacks. */
const AFTER =
  /^\s*(?:--------- |logcat:$|java stacktrace:$|Tombstone written to: |Fatal signal \d|Cmd line: |----- (?:pid|end) )/;
const CMD_LINE = /^Cmd line: /;
const DUMP_PID = /^----- pid (\d{1,10}) at /;
const OFFSET = /^offset 0x[0-9a-fA-F]{1,16}$/;
const FN_OFFSET = /\+(\d{1,12})$/;
/** The ` (…)` group at the end of `s` (preceded by a blank), or null. */
function lastGroup(s: string): { inner: string; before: string } | null {
  if (!s.endsWith(')')) return null;
  const open = openingParen(s, s.length - 1);
  if (open <= 0 || s.charCodeAt(open - 1) !== 32) return null;
  return { inner: s.slice(open + 1, -1), before: s.slice(0, open - 1).trimEnd() };
}

/** The part after the pc: `  /path/lib.so (offset 0x1000) (func+12) (BuildId: ab12)`, innermost group last. */
function parseFrameBody(frame: Frame, body: string): void {
  let s = body.trim();
  const notes: string[] = [];
  let g = lastGroup(s);
  if (g && g.inner.startsWith('BuildId: ')) {
    notes.unshift(g.inner);
    s = g.before;
    g = lastGroup(s);
  }
  if (g && !OFFSET.test(g.inner) && g.inner !== 'deleted' && g.before !== '') {
    const m = FN_OFFSET.exec(g.inner);
    frame.function = (m ? g.inner.slice(0, m.index) : g.inner) || null;
    if (m) frame.offset = `+${m[1]!}`;
    s = g.before;
    g = lastGroup(s);
  } else if (!s.endsWith(')') && s.lastIndexOf(' (') > 0) {
    // Cut inside the symbol's parentheses: a prefix of a name is not a name.
    s = s.slice(0, s.lastIndexOf(' ('));
    notes.push('truncated');
    g = lastGroup(s);
  }
  if (g && OFFSET.test(g.inner)) {
    // The library is mapped from inside a file (an APK): where its ELF starts in that file.
    notes.unshift(g.inner);
    s = g.before;
  }
  if (s === '<unknown>') notes.unshift('unknown');
  else if (s !== '') frame.module = s;
  if (notes.length) frame.notes = notes;
}

/** Parses a tombstone backtrace line, or returns null. */
export function parseTombstoneFrame(text: string, docLine: number): { frame: Frame; index: number } | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  const rest = m[3]!;
  // The map name is set off by blanks; anything else glued to the pc is not this format.
  if (rest !== '' && rest.charCodeAt(0) !== 32) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.address = m[2]!;
  parseFrameBody(frame, rest);
  return { frame, index: toInt(m[1]) ?? 0 };
}

/** `'value'` → `value`: tombstones quote header values. */
function unquote(v: string): string {
  return v.length >= 2 && v.startsWith("'") && v.endsWith("'") ? v.slice(1, -1) : v;
}

/** The thread a `pid: …, tid: …` line names. */
function pidThread(m: RegExpExecArray): ThreadInfo {
  const rest = m[3]!;
  const attrs: Record<string, string> = { pid: m[1]! };
  let name: string | null = null;
  const arrows = rest.indexOf('>>> ');
  const close = rest.lastIndexOf(' <<<');
  if (arrows >= 0 && close > arrows) attrs['process'] = rest.slice(arrows + 4, close);
  if (rest.startsWith(', name: ')) {
    const end = arrows >= 0 ? arrows : rest.length;
    name = rest.slice(8, end).trim() || null;
  }
  return { name, id: m[2]!, state: null, attrs };
}

type Mode = 'header' | 'abort' | 'backtrace' | 'section';

interface Open {
  trace: Trace;
  /** Where frames go: the trace, or one of its related stacks. */
  node: TraceNode;
  thread: ThreadInfo | null;
  /** The `pid: …` line as written: a thread's title. */
  header: string | null;
  attrs: Record<string, string>;
  signalLine: string | null;
  signalRest: string | null;
  abort: string | null;
  cause: string | null;
  lastIndex: number;
  /** Separator / `pid:` / `sysTid` header: another thread of the dump, not the crashing one. */
  other: boolean;
}

function openAt(docLine: number, other: boolean): Open {
  const node = newNode(null, null, docLine);
  const trace: Trace = { ...node, format: 'tombstone', kind: other ? 'thread' : 'crash' };
  return {
    trace,
    node: trace,
    thread: null,
    header: null,
    attrs: {},
    signalLine: null,
    signalRest: null,
    abort: null,
    cause: null,
    lastIndex: -1,
    other,
  };
}

const MAX_ATTRS = 40;

class TombstoneBuilder implements TraceBuilder {
  /** `debuggerd -b`: the process the dump's header names, for each of its threads. */
  process: Record<string, string> = {};
  private readonly done: Open[] = [];
  private cur: Open;
  private mode: Mode = 'header';
  private frames = 0;

  constructor(docLine: number, other: boolean) {
    this.cur = openAt(docLine, other);
  }

  private take(docLine: number): Feed {
    extendSpan(this.cur.trace.span, docLine);
    if (this.cur.node !== this.cur.trace) extendSpan(this.cur.node.span, docLine);
    return Feed.Take;
  }

  private next(docLine: number, other: boolean): void {
    this.done.push(this.cur);
    this.cur = openAt(docLine, other);
    this.mode = 'header';
  }

  /** An open that has seen nothing but its own first line can still take a header of any kind. */
  private fresh(): boolean {
    const c = this.cur;
    return c.trace.frames.length === 0 && c.thread === null && c.signalLine === null;
  }

  field(key: string, value: string): void {
    const attrs = this.cur.attrs;
    if (Object.keys(attrs).length < MAX_ATTRS && !(key in attrs)) attrs[key] = unquote(value);
  }

  pid(m: RegExpExecArray, text: string): void {
    const th = pidThread(m);
    this.cur.thread = th;
    this.cur.header = text.trim();
    Object.assign(this.cur.attrs, th.attrs);
  }

  signal(m: RegExpExecArray, text: string): void {
    const c = this.cur;
    c.signalLine = text.trim();
    c.trace.type = m[2]!;
    c.signalRest = m[3]!.trim() || null;
  }

  addFrame(frame: Frame, index: number): void {
    this.cur.node.frames.push(frame);
    this.cur.lastIndex = index;
    this.mode = 'backtrace';
    this.frames++;
    this.take(frame.docLine);
  }

  private abortLine(text: string): void {
    const c = this.cur;
    const t = text.trimEnd();
    const closed = t.endsWith("'");
    c.abort = `${c.abort ?? ''}\n${(closed ? t.slice(0, -1) : t).trim()}`;
    if (closed || c.abort.length > 4000) this.mode = 'header';
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (isBlank(text)) return Feed.Hold;
    const doc = line.docLine;
    const c = this.cur;
    if (this.mode === 'abort') {
      if (!REGISTERS.test(text) && !BACKTRACE.test(text) && !FRAME.test(text)) {
        this.abortLine(text);
        return this.take(doc);
      }
      this.mode = 'header';
    }
    const frame = parseTombstoneFrame(text, doc);
    if (frame) {
      // Numbering starts again without a thread header: another crash (its own trace).
      if (frame.index <= c.lastIndex && c.node.frames.length > 0) return Feed.End;
      this.addFrame(frame.frame, frame.index);
      return Feed.Take;
    }
    if (STARS.test(text) || AFTER.test(text)) return Feed.End;
    if (SEPARATOR.test(text)) {
      this.next(doc, true);
      return this.take(doc);
    }
    const pid = PID.exec(text);
    if (pid) {
      if (c.thread !== null || c.trace.frames.length > 0) this.next(doc, true);
      this.pid(pid, text);
      return this.take(doc);
    }
    const sys = SYSTID.exec(text);
    if (sys) {
      if (!this.fresh()) this.next(doc, true);
      this.cur.other = true;
      this.cur.trace.kind = 'thread';
      this.cur.thread = { name: sys[1]!, id: sys[2]!, state: null };
      Object.assign(this.cur.attrs, this.process);
      this.cur.trace.title = text.trim();
      return this.take(doc);
    }
    if (FINGERPRINT.test(text) || MAKER.test(text)) {
      if (this.frames > 0 || c.other || 'Build fingerprint' in c.attrs) return Feed.End;
    }
    const sig = SIGNAL.exec(text);
    if (sig) {
      if (c.signalLine !== null || c.trace.frames.length > 0) return Feed.End;
      this.signal(sig, text);
      return this.take(doc);
    }
    const abort = ABORT.exec(text);
    if (abort && c.abort === null) {
      const v = abort[1]!;
      if (v.startsWith("'") && !(v.length > 1 && v.endsWith("'"))) {
        c.abort = v.slice(1);
        this.mode = 'abort';
      } else {
        c.abort = unquote(v);
      }
      return this.take(doc);
    }
    if (BACKTRACE.test(text)) {
      c.node = c.trace;
      c.lastIndex = -1;
      this.mode = 'backtrace';
      return this.take(doc);
    }
    const rel = RELATED.exec(text);
    if (rel && c.trace.frames.length > 0) {
      const node = newNode(null, null, doc);
      node.title = text.trim().replace(/:$/, '');
      node.relation = 'related';
      node.role = rel[1] === 'allocated' ? 'allocation' : 'free';
      (c.trace.related ??= []).push(node);
      c.node = node;
      c.lastIndex = -1;
      this.mode = 'backtrace';
      return this.take(doc);
    }
    const indented = text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9;
    if (!indented && SECTION.test(text)) {
      this.mode = 'section';
      return this.take(doc);
    }
    if (this.mode === 'section' && (indented || text.startsWith('--->'))) return this.take(doc);
    if (this.mode === 'header') {
      if (REGISTERS.test(text)) return this.take(doc);
      const f = FIELD.exec(text);
      if (f) {
        if (f[1] === 'Cause' && c.cause === null) c.cause = f[2]!;
        this.field(f[1]!, f[2]!);
        return this.take(doc);
      }
      if (indented && c.signalLine !== null) return this.take(doc);
    }
    return Feed.Hold;
  }

  finish(): Trace[] {
    this.done.push(this.cur);
    const out: Trace[] = [];
    for (const o of this.done) {
      const t = o.trace;
      if (t.frames.length === 0 && o.signalLine === null) continue;
      const message = o.abort ?? o.cause ?? o.signalRest;
      t.message = message;
      if (o.signalLine !== null) {
        t.title = o.abort !== null || o.cause !== null ? titleOf(t.type, message) : o.signalLine;
      } else if (t.title === '') {
        t.title = o.header ?? t.frames[0]?.raw ?? '';
      }
      const attrs = { ...o.attrs };
      if (o.thread) t.thread = { ...o.thread, attrs };
      else if (Object.keys(attrs).length > 0) t.thread = { name: null, id: null, state: null, attrs };
      if (t.thread && Object.keys(attrs).length === 0) delete t.thread.attrs;
      closeSpans(t);
      out.push(t);
    }
    return out;
  }
}

/** `----- pid 4321 at 2024-03-01 12:00:00 -----` and `Cmd line: …` above a `debuggerd -b` dump's threads. */
function dumpHeader(history: readonly LogicalLine[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = history.length - 1, n = 0; i >= 0 && n < 8; i--, n++) {
    const t = history[i]!.text;
    const pid = DUMP_PID.exec(t);
    if (pid) {
      out['pid'] = pid[1]!;
      break;
    }
    if (CMD_LINE.test(t)) out['Cmd line'] = t.slice(10).trim();
  }
  return out;
}

/** The document line of the nearest non-blank line above (two blanks at most) if it matches `re`. */
function lineAbove(history: readonly LogicalLine[], re: RegExp): number | null {
  for (let i = history.length - 1, n = 0; i >= 0 && n < 3; i--, n++) {
    const t = history[i]!.text;
    if (isBlank(t)) continue;
    return re.test(t) ? history[i]!.docLine : null;
  }
  return null;
}

export const tombstoneParser: TraceParser = {
  name: 'tombstone',
  trigger:
    /^(?:\s*\*\*\* \*\*\* \*\*\*|\s*Build fingerprint: |Tombstone maker: |\s*pid: \d{1,10}, tid: \d|\s*signal \d{1,3} \(SIG|\s*#\d{2,4} {1,3}pc [0-9a-fA-F]|"[^"]{0,200}" sysTid=\d)/,
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const text = line.text;
    const doc = line.docLine;
    const frame = parseTombstoneFrame(text, doc);
    if (frame) {
      const start = lineAbove(ctx.history, BACKTRACE) ?? doc;
      const b = new TombstoneBuilder(start, false);
      b.addFrame(frame.frame, frame.index);
      return { score: frame.frame.module !== null ? 10 : 7, builder: b };
    }
    if (STARS.test(text)) return { score: 10, builder: new TombstoneBuilder(doc, false) };
    if (FINGERPRINT.test(text) || MAKER.test(text)) {
      // ANR traces and `debuggerd -b` dumps print the fingerprint under `Cmd line:`; their threads start
      // their own traces.
      if (lineAbove(ctx.history, CMD_LINE)) return null;
      const b = new TombstoneBuilder(doc, false);
      const f = FIELD.exec(text);
      if (f) b.field(f[1]!, f[2]!);
      return { score: 9, builder: b };
    }
    const pid = PID.exec(text);
    if (pid) {
      if (!pid[3]!.includes('>>> ')) return null;
      const sep = lineAbove(ctx.history, SEPARATOR);
      const b = new TombstoneBuilder(sep ?? doc, sep !== null);
      b.pid(pid, text);
      return { score: 9, builder: b };
    }
    const sig = SIGNAL.exec(text);
    if (sig) {
      const b = new TombstoneBuilder(doc, false);
      b.signal(sig, text);
      return { score: 8, builder: b };
    }
    if (SYSTID.test(text)) {
      const b = new TombstoneBuilder(doc, true);
      b.process = dumpHeader(ctx.history);
      b.feed({ ...line, text });
      return { score: 8, builder: b };
    }
    return null;
  },
};
