// JVM thread dumps, one trace per thread: jstack / jcmd Thread.print / kill -3 (JDK 5–21+), jstack -F, ThreadInfo,
// VisualVM, Android ART, kotlinx.coroutines dumps; a dump's deadlock report is one more trace.

import { emptyFrame, type Frame, type LockInfo, type ThreadInfo, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { COROUTINE_MARKERS, parseJavaFrame } from './java';
import { closeSpans, extendSpan, isBlank, newNode, toInt } from './util';

/** `"name" …fields… status [0x…]`: the thread's name, then what the dump says about it. */
const THREAD = /^\s*"([^"]{0,500})"(?: (.*))?$/;
/**
 * One header field: `#12`, `[30467]` (JDK 19+: the OS thread id), `daemon`, `key=value`, VisualVM's
 * `- Thread t@12`.
 */
const FIELD =
  /^(?:#(\d{1,19})|\[(\d{1,19})\]|(daemon)|([A-Za-z_]\w{0,40})=(\S{0,200})|- Thread t@(\d{1,19}))(?: +|$)/;
/** HotSpot's last known Java stack pointer ends the header: `[0x000000002476f000]` (JDK 5: a range). */
const LAST_SP = /^\[(0x[0-9a-fA-F]{1,16}(?:\.\.0x[0-9a-fA-F]{1,16})?)\]$/;
/** ART and ThreadInfo write the state in the header, capitalized (`Native`, `TimedWaiting`, `BLOCKED`). */
const HEADER_STATE = /^[A-Z][A-Za-z_]{0,40}(?=\s|$)/;
/** `"Thread-1":` — a thread of the deadlock report, or a dump cut to its deadlock section. */
const NAME_ONLY = /^\s*"([^"]{0,500})":$/;
const STATE = /^\s*java\.lang\.Thread\.State: ([A-Z_]{1,40})(?: (.*))?$/;
/** jstack -F (JDK 6–8): `Thread 7943: (state = BLOCKED)`. */
const FORCED = /^\s*Thread (\d{1,19}): \(state = ([A-Z_]{1,40})\)$/;
/** jstack -F and jhsdb frames: ` - java.lang.Object.wait(long) @bci=0, line=502 (Interpreted frame)`. */
const FORCED_FRAME =
  /^\s*- ([^\s()]{1,1000})\(([^()]{0,1000})\) @bci=(\d{1,9})(?:, line=(\d{1,9}))?(?: \(([^()]{0,200})\))?$/;
/** kotlinx.coroutines' DebugProbes: `Coroutine "coroutine#1":DeferredCoroutine{Active}@1e4a7dd4, state: SUSPENDED`. */
const COROUTINE = /^\s*Coroutine (?:"([^"]{0,300})":)?(\S{1,300}), state: ([A-Z_]{1,40})$/;
/** ART's native frames: `native: #00 pc 000000000004af10  /apex/…/libc.so (syscall+32)`. */
const NATIVE = /^\s*native: #(\d{1,5}) pc ([0-9a-fA-F]{1,16}) +(\S.*)$/;
const LOCK =
  /^\s*-\s{1,2}(locked|waiting on|waiting to lock|waiting to re-lock in wait\(\)|waiting to re-lock|parking to wait for|eliminated|sleeping on|blocked on)\s+(\S.*)$/;
/** `<0x0000000740cfd400> (a com.acme.Resource)`, `<no object reference available>`, ART's `… held by thread 23`. */
const LOCK_OBJECT = /^<([^<>]{0,200})>(?: \(a ([^()]{1,300})\))?/;
/** ThreadInfo.toString names the lock by class and identity hash: `java.lang.Object@1b6d3586`. */
const LOCK_HASH = /^([\w$.]{1,300})@([0-9a-fA-F]{1,16})/;
const SYNCHRONIZERS = /^\s*(?:Locked ownable synchronizers:|Number of locked synchronizers = \d{1,9})$/;
const LIST_ITEM = /^\s*- (\S.*)$/;
/** ThreadInfo.toString stops after 8 frames with a line of its own. */
const TRUNCATED = /^\s*\.\.\.$/;
const KERNEL = /^\s*kernel: /;
/** ART's notes in place of a stack: `(no managed stack frames)`, `(native stack unavailable)`. */
const NOTE = /^\s+\([a-z][a-z ]{0,60}\)$/;
const NUMBER = /^(?:\d{1,19}|0x[0-9a-fA-F]{1,16})$/;
const DEADLOCK = /^\s*Found one Java-level deadlock:$/;
const DEADLOCK_STACKS = /^\s*Java stack information for the threads listed above:$/;
const DEADLOCK_COUNT = /^\s*Found \d{1,9} deadlocks?\.$/;
const RULE = /^\s*={3,}$/;
/** Lines of a thread's header the dump writes before the frames (ART's `| key=value`, `No compile task`). */
const MAX_EXTRA = 12;

/** A lock line under a frame (`- locked <0x…> (a java.lang.Object)`), or null. */
export function parseLockLine(text: string): LockInfo | null {
  const m = LOCK.exec(text);
  if (!m) return null;
  const action = m[1]!.startsWith('waiting to re-lock') ? 'waiting to re-lock' : m[1]!;
  const what = m[2]!;
  const obj = LOCK_OBJECT.exec(what);
  if (obj) {
    // `<no object reference available>`, `<owner is scalar replaced>`: no address, as the dump says.
    const address = /\s/.test(obj[1]!) || obj[1]!.length === 0 ? null : obj[1]!;
    return { action, address, className: obj[2] ?? null };
  }
  const hash = LOCK_HASH.exec(what);
  if (hash) return { action, address: hash[2]!, className: hash[1]! };
  return { action, address: null, className: null };
}

/** Index of the `(` that the final `)` of `s` closes, or -1. */
function openingParen(s: string): number {
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 41) depth++;
    else if (c === 40 && --depth === 0) return i;
  }
  return -1;
}

/** An ART native frame: pc, library, then `(symbol+offset)`, `(offset 0x…)`, `(BuildId: …)` groups. */
export function parseArtNativeFrame(text: string, docLine: number): Frame | null {
  const m = NATIVE.exec(text);
  if (!m) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.address = m[2]!;
  const notes = ['native'];
  let rest = m[3]!;
  let symbol: string | null = null;
  for (let n = 0; n < 4 && rest.endsWith(')'); n++) {
    const open = openingParen(rest);
    if (open <= 0) break;
    const inner = rest.slice(open + 1, -1);
    rest = rest.slice(0, open).trimEnd();
    if (inner.startsWith('BuildId: ') || inner.startsWith('offset ')) notes.push(inner);
    else symbol = inner;
  }
  frame.module = rest.length ? rest : null;
  if (symbol !== null) {
    const plus = symbol.lastIndexOf('+');
    if (plus > 0 && /^\d{1,12}$/.test(symbol.slice(plus + 1))) {
      frame.offset = symbol.slice(plus);
      symbol = symbol.slice(0, plus);
    }
    frame.function = symbol;
  }
  frame.notes = notes;
  return frame;
}

/** A `jstack -F` / `jhsdb jstack` frame: method, parameter types, bytecode index and line, frame kind. */
export function parseForcedFrame(text: string, docLine: number): Frame | null {
  const m = FORCED_FRAME.exec(text);
  if (!m) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.function = m[1]!;
  frame.args = m[2]!;
  frame.line = toInt(m[4]);
  frame.notes = [`bci=${m[3]!}`];
  if (m[5]) frame.notes.push(m[5]);
  return frame;
}

/** ART's `| group="main" sCount=1 … schedstat=( 1 2 3 ) … held mutexes=` fields, into `attrs`. */
function artFields(text: string, attrs: Record<string, string>): void {
  const bar = text.indexOf('|');
  const s = text.slice(bar + 1);
  const held = s.indexOf('held mutexes=');
  const end = held >= 0 ? held : s.length;
  if (held >= 0) attrs['held mutexes'] = s.slice(held + 13).trim();
  let i = 0;
  while (i < end) {
    const eq = s.indexOf('=', i);
    if (eq < 0 || eq >= end) break;
    const key = s.slice(i, eq).trim();
    let j = eq + 1;
    const open = s.charCodeAt(j);
    const close = open === 34 /* " */ ? '"' : open === 40 /* ( */ ? ')' : ' ';
    const stop = close === ' ' ? s.indexOf(' ', j) : s.indexOf(close, j + 1);
    j = stop < 0 || stop > end ? end : close === ' ' ? stop : stop + 1;
    if (key.length > 0 && !key.includes(' ')) attrs[key] = s.slice(eq + 1, j).trim();
    i = j;
  }
}

/** The header's fields, in `attrs`; returns what is left (the status text). */
function headerFields(rest: string, attrs: Record<string, string>): string {
  for (let n = 0; n < 40 && rest.length > 0; n++) {
    const f = FIELD.exec(rest);
    if (!f) break;
    if (f[1] !== undefined) attrs['#'] = f[1];
    else if (f[2] !== undefined) attrs.os_thread_id = f[2];
    else if (f[3] !== undefined) attrs.daemon = 'true';
    else if (f[4] !== undefined) attrs[f[4]] = f[5]!;
    else attrs['t@'] = f[6]!;
    rest = rest.slice(f[0].length);
  }
  const open = rest.endsWith(']') ? rest.lastIndexOf('[') : -1;
  const sp = open >= 0 ? LAST_SP.exec(rest.slice(open)) : null;
  if (sp) {
    attrs.last_Java_sp = sp[1]!;
    rest = rest.slice(0, open);
  }
  return rest.trim();
}

interface Header {
  thread: ThreadInfo;
  attrs: Record<string, string>;
  /** What the header says after the fields (`waiting on condition`, `Native`, `BLOCKED on …`). */
  status: string;
  /** Only a name (`"Thread-1":`): a trace only if frames follow. */
  nameOnly: boolean;
  /** The title when the header line itself reads best (`Thread 7943: (state = BLOCKED)`). */
  title?: string;
}

/** Reads a thread header of any of the layouts, or returns null. */
export function parseThreadHeader(text: string): Header | null {
  const attrs: Record<string, string> = {};
  const thread: ThreadInfo = { name: null, id: null, state: null, attrs };
  const t = THREAD.exec(text);
  if (t) {
    thread.name = t[1]!;
    const status = headerFields((t[2] ?? '').trimStart(), attrs);
    // Only the fields tell a thread header from a quoted string at the start of a log line: every layout
    // writes a thread number or address (`#N`, `tid=`, `nid=`, `Id=`, `t@N`).
    // ART's threads outside the VM have only a priority: `"binder:1234_1" prio=5 (not attached)`.
    const number = attrs['#'] ?? attrs.tid ?? attrs.nid ?? attrs.Id ?? attrs['t@'];
    const unattached = status === '(not attached)' && attrs.prio !== undefined;
    if (!unattached && (number === undefined || !NUMBER.test(number))) return null;
    if (status.length > 0) attrs.status = status;
    // The VM's number for the thread: HotSpot's `#N`, ThreadInfo's `Id=N`, VisualVM's `t@N`, ART's `tid=N`.
    const tid = attrs.tid;
    thread.id =
      attrs['#'] ?? attrs.Id ?? attrs['t@'] ?? (tid !== undefined && /^\d+$/.test(tid) ? tid : null);
    const state = HEADER_STATE.exec(status);
    if (state) thread.state = state[0];
    return { thread, attrs, status, nameOnly: false };
  }
  const n = NAME_ONLY.exec(text);
  if (n) {
    thread.name = n[1]!;
    return { thread, attrs, status: '', nameOnly: true };
  }
  const forced = FORCED.exec(text);
  if (forced) {
    thread.id = forced[1]!;
    thread.state = forced[2]!;
    return { thread, attrs, status: forced[2]!, nameOnly: false, title: text.trim() };
  }
  const co = COROUTINE.exec(text);
  if (co) {
    thread.name = co[1] ?? null;
    thread.state = co[3]!;
    attrs.job = co[2]!;
    return { thread, attrs, status: co[3]!, nameOnly: false, title: text.trim() };
  }
  return null;
}

/** The frame forms a thread's stack may hold. */
function threadFrame(text: string, docLine: number): Frame | null {
  return (
    parseJavaFrame(text, docLine, true) ??
    parseArtNativeFrame(text, docLine) ??
    parseForcedFrame(text, docLine)
  );
}

/** A stack with its lock lines under the frames; shared by threads and the deadlock report's stacks. */
class Stack {
  private marker: string | null = null;

  constructor(readonly node: TraceNode) {}

  /** Takes a frame or a lock line; false if the line is neither. */
  take(text: string, docLine: number): boolean {
    const frame = threadFrame(text, docLine);
    if (frame) {
      const marker = frame.function !== null ? COROUTINE_MARKERS.get(frame.function) : undefined;
      if (marker !== undefined) {
        this.marker = marker;
      } else {
        if (this.marker !== null) {
          (frame.notes ??= []).push(this.marker);
          this.marker = null;
        }
        this.node.frames.push(frame);
      }
      extendSpan(this.node.span, docLine);
      return true;
    }
    const lock = text.indexOf('-') >= 0 ? parseLockLine(text) : null;
    if (lock) {
      const last = this.node.frames[this.node.frames.length - 1];
      if (last) (last.locks ??= []).push(lock);
      extendSpan(this.node.span, docLine);
      return true;
    }
    return false;
  }
}

class ThreadBuilder implements TraceBuilder {
  private readonly node: TraceNode;
  private readonly stack: Stack;
  private extra = 0;
  private synchronizers: string[] | null = null;

  constructor(
    private readonly header: Header,
    docLine: number,
  ) {
    this.node = newNode(null, null, docLine);
    this.stack = new Stack(this.node);
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (isBlank(text)) return Feed.Hold;
    const attrs = this.header.attrs;
    if (this.synchronizers !== null) {
      const item = LIST_ITEM.exec(text);
      if (item) {
        this.synchronizers.push(item[1]!);
        return this.took(line);
      }
      return Feed.End;
    }
    if (this.stack.take(text, line.docLine)) return Feed.Take;
    if (SYNCHRONIZERS.test(text)) {
      this.synchronizers = [];
      return this.took(line);
    }
    if (this.header.nameOnly) return Feed.End;
    const state = STATE.exec(text);
    if (state && this.header.thread.state === null) {
      this.header.thread.state = state[1]!;
      attrs['java.lang.Thread.State'] = state[2] ? `${state[1]!} ${state[2].trim()}` : state[1]!;
      return this.took(line);
    }
    if (TRUNCATED.test(text) || KERNEL.test(text) || NOTE.test(text)) return this.took(line);
    // Before the frames: the runtime's notes on the thread, indented under its header.
    if (this.node.frames.length === 0 && this.extra < MAX_EXTRA && /^\s/.test(text)) {
      this.extra++;
      if (/^\s*\|/.test(text)) artFields(text, attrs);
      return this.took(line);
    }
    return Feed.End;
  }

  private took(line: LogicalLine): Feed {
    extendSpan(this.node.span, line.docLine);
    return Feed.Take;
  }

  finish(): Trace[] {
    const { thread, attrs, status, nameOnly, title } = this.header;
    if (nameOnly && this.node.frames.length === 0) return [];
    if (this.synchronizers !== null) attrs['Locked ownable synchronizers'] = this.synchronizers.join('\n');
    if (Object.keys(attrs).length === 0) delete thread.attrs;
    const said = attrs['java.lang.Thread.State'] ?? status;
    const who = `"${thread.name ?? ''}"`;
    this.node.title = title ?? (said ? `${who} ${said}` : who);
    closeSpans(this.node);
    return [{ ...this.node, format: 'jstack', kind: 'thread', thread }];
  }
}

/**
 * `Found one Java-level deadlock:`: which thread waits for which lock held by which, then (after `Java stack
 * information for the threads listed above:`) the stacks of those threads. One trace: the cycle is its
 * message, each thread is a related stack (role `deadlock`) titled by its name.
 */
class DeadlockBuilder implements TraceBuilder {
  private readonly root: TraceNode;
  private readonly threads: TraceNode[] = [];
  private stacks: boolean;
  /** The entry being read; `lines` counts its lines in the cycle (two or three in any real report). */
  private current: { node: TraceNode; stack: Stack | null; lines: number } | null = null;
  private done = false;

  constructor(docLine: number, stacks: boolean) {
    this.root = newNode(null, null, docLine);
    this.root.related = this.threads;
    this.stacks = stacks;
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (this.done) return Feed.End;
    if (isBlank(text)) return Feed.Hold;
    if (RULE.test(text)) return this.took(line);
    if (DEADLOCK.test(text)) return Feed.End;
    if (DEADLOCK_STACKS.test(text)) {
      this.stacks = true;
      this.current = null;
      return this.took(line);
    }
    if (DEADLOCK_COUNT.test(text)) {
      this.done = true;
      return this.took(line);
    }
    const name = NAME_ONLY.exec(text);
    if (name) {
      this.open(name[1]!, line.docLine);
      return this.took(line);
    }
    const cur = this.current;
    if (cur?.stack) {
      if (cur.stack.take(text, line.docLine)) return this.took(line);
    } else if (cur && /^\s/.test(text) && ++cur.lines <= 8) {
      const node = cur.node;
      node.message = node.message === null ? text.trim() : `${node.message}\n${text.trim()}`;
      extendSpan(node.span, line.docLine);
      return this.took(line);
    }
    return Feed.End;
  }

  /** A thread's entry: in the cycle, a new thread; among the stacks, the thread the cycle named. */
  private open(name: string, docLine: number): void {
    const title = `"${name}"`;
    let node = this.stacks ? this.threads.find((t) => t.title === title && t.frames.length === 0) : undefined;
    if (node) {
      node.span = { start: docLine, end: docLine };
    } else {
      node = newNode(null, null, docLine);
      node.relation = 'related';
      node.role = 'deadlock';
      this.threads.push(node);
    }
    node.title = title;
    this.current = { node, stack: this.stacks ? new Stack(node) : null, lines: 0 };
  }

  private took(line: LogicalLine): Feed {
    extendSpan(this.root.span, line.docLine);
    return Feed.Take;
  }

  finish(): Trace[] {
    const root = this.root;
    const names = this.threads.map((t) => t.title).join(', ');
    root.title = names ? `Found one Java-level deadlock: ${names}` : 'Found one Java-level deadlock';
    const cycle = this.threads
      .filter((t) => t.message !== null)
      .map((t) => `${t.title}: ${t.message!.replace(/\n/g, ' ')}`);
    root.message = cycle.length ? cycle.join('\n') : null;
    closeSpans(root);
    return [{ ...root, format: 'jstack', kind: 'thread' }];
  }
}

export const jstackParser: TraceParser = {
  name: 'jstack',
  trigger:
    /^\s*(?:"[^"]{0,500}"(?: #\d| \[\d| daemon | prio=| os_prio=| tid=| Id=| - Thread t@|:$)|Thread \d{1,19}: \(state = |Coroutine [^,]{1,300}, state: |Found one Java-level deadlock:|Java stack information for the threads)/,
  begin(line: LogicalLine, _ctx: ScanContext): Start | null {
    const text = line.text;
    if (DEADLOCK.test(text)) return { score: 10, builder: new DeadlockBuilder(line.docLine, false) };
    if (DEADLOCK_STACKS.test(text)) return { score: 8, builder: new DeadlockBuilder(line.docLine, true) };
    const header = parseThreadHeader(text);
    if (!header) return null;
    // `"name":` alone may be a quoted key; a header with fields is unmistakable.
    return { score: header.nameOnly ? 4 : 10, builder: new ThreadBuilder(header, line.docLine) };
  },
};
