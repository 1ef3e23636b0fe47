// lldb backtraces (`bt`, `bt all`, `thread backtrace all`, the stop report after `run`): `* thread #1, …`
// headers and `frame #N: 0x… module`function + offset at file:line:col` frames, old and new layouts.

import { emptyFrame, type Frame, type ThreadInfo, type Trace } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { findBracket, splitLocation } from './native';
import { closeSpans, extendSpan, isBlank, newNode, toInt } from './util';

/** `* thread #1, queue = '…', stop reason = …`, old `* thread #1: tid = 0x44b9e9, 0x…, …`, `  thread #3, name = 'x'`. */
const THREAD = /^\s*(\*\s+)?thread #(\d{1,6})(?:[:,]\s?(.*))?$/;
/** `  * frame #0: 0x0000000100003f4c a.out`main at main.c:5:3`, `frame #0: 0x0000002000000020`. */
const FRAME = /^\s*(?:\*\s+)?frame #(\d{1,6}): (0x[0-9a-fA-F]{1,16})(?: (.*))?$/;
const DIGITS = /^\d{1,12}$/;
/** `argc=1, argv=0x…`: lldb shows a function's arguments in its name when it has debug info. */
const ARGS_LIKE = /^[A-Za-z_$][\w$]*=/;
/** `-> 5   \t  *p = 1;`: the current line of the source listing lldb prints under a stop. */
const SOURCE_POINTER = /^\s*->\s+(\d{1,9})\s+(\S.*)$/;
/** The other lines of that listing (`   4   \t…`) and its column marker (`     ^`). */
const SOURCE_LISTING = /^\s*(?:\d{1,9}(?:\s|$)|\^$)/;
/** The program ran on: what lldb prints next belongs to another stop. */
const RESUME =
  /^\s*\(lldb\)\s+(?:r|run|c|continue|process (?:continue|launch)|n|next|s|step|finish|thread step-\w+)(?:\s|$)/;
/** Chatter between the stop report and the user's `bt`: prompts, failed commands, fences, `Target 0: (x) stopped.` */
const NOISE = /^\s*(?:\(lldb\)|error: |warning: |```|Target \d{1,4}: \(.*\) stopped\.$)/;

/** Bracket depth left open at the end of a frame's text (operator names aside): it was broken mid-name. */
function unbalanced(s: string): boolean {
  let paren = 0;
  let angle = 0;
  findBracket(s, (_i, c) => {
    if (c === 40) paren++;
    else if (c === 41) paren--;
    else if (c === 60) angle++;
    else angle--;
    return false;
  });
  return paren !== 0 || angle !== 0;
}

interface ParsedFrame {
  frame: Frame;
  index: number;
  /** Ends as a complete frame does: ` + N`, ` at file:line`, or an address or module alone. */
  complete: boolean;
  score: number;
}

/** `module`function + offset at file:line:col [opt]` after the address. */
function parseBody(frame: Frame, body: string): boolean {
  const bt = body.indexOf('`');
  if (bt < 0) {
    const plus = body.lastIndexOf(' + ');
    if (plus > 0 && DIGITS.test(body.slice(plus + 3))) {
      frame.offset = body.slice(plus + 1);
      frame.module = body.slice(0, plus);
    } else {
      frame.module = body || null;
    }
    return true;
  }
  frame.module = body.slice(0, bt) || null;
  let fn = body.slice(bt + 1);
  const notes: string[] = [];
  let complete = false;
  for (;;) {
    if (fn.endsWith(' [opt]')) {
      notes.unshift('optimized');
      fn = fn.slice(0, -6);
    } else if (fn.endsWith(' [artificial]')) {
      notes.unshift('artificial');
      fn = fn.slice(0, -13);
    } else {
      break;
    }
    complete = true;
  }
  const at = fn.lastIndexOf(' at ');
  const loc = at >= 0 ? splitLocation(fn.slice(at + 4), true) : null;
  if (loc) {
    frame.file = loc.file;
    frame.line = loc.line;
    frame.column = loc.column;
    fn = fn.slice(0, at);
    complete = true;
  }
  const plus = fn.lastIndexOf(' + ');
  if (plus > 0 && DIGITS.test(fn.slice(plus + 3))) {
    frame.offset = fn.slice(plus + 1);
    fn = fn.slice(0, plus);
    complete = true;
  }
  // `outer [inlined] inner`: the code at this pc and its line belong to `inner`, inlined into `outer`.
  const inl = fn.indexOf(' [inlined] ');
  if (inl >= 0) {
    notes.unshift('inlined', `inlined into ${fn.slice(0, inl)}`);
    fn = fn.slice(inl + 11);
  }
  if (fn.endsWith(')')) {
    let depth = 0;
    for (let i = fn.length - 1; i >= 0; i--) {
      const c = fn.charCodeAt(i);
      if (c === 41) depth++;
      else if (c === 40 && --depth === 0) {
        const inner = fn.slice(i + 1, -1);
        if (ARGS_LIKE.test(inner)) {
          frame.args = inner;
          fn = fn.slice(0, i);
        }
        break;
      }
    }
  }
  frame.function = fn || null;
  if (notes.length) frame.notes = notes;
  return complete;
}

export function parseLldbFrame(text: string, docLine: number): ParsedFrame | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.address = m[2]!;
  const body = m[3] ?? '';
  const complete = body === '' || parseBody(frame, body) || !unbalanced(body);
  const score = frame.function !== null ? 10 : frame.module !== null ? 7 : 6;
  return { frame, index: toInt(m[1]) ?? 0, complete, score };
}

interface Header {
  index: string;
  title: string;
  type: string | null;
  message: string | null;
  crash: boolean;
  thread: ThreadInfo;
  /** Named fields (`stop reason`, `tid`, `name`, `queue`) that only lldb's thread lines carry. */
  fields: boolean;
}

/** The quoted value of `key = '…'` in a thread line's fields. */
function quoted(fields: string, key: string): string | null {
  const k = fields.indexOf(`${key} = '`);
  if (k < 0 || (k > 0 && fields.charCodeAt(k - 1) !== 32)) return null;
  const from = k + key.length + 4;
  let end = fields.indexOf("', ", from);
  if (end < 0) end = fields.endsWith("'") ? fields.length - 1 : fields.length;
  return fields.slice(from, end);
}

/** `EXC_BAD_ACCESS (code=1, address=0x0)`, `signal SIGSEGV: invalid address (…)`, `breakpoint 1.1`. */
function splitReason(reason: string): { type: string; message: string | null } {
  const s = reason.startsWith('signal ') ? reason.slice(7) : reason;
  const colon = s.indexOf(': ');
  const paren = s.indexOf(' (');
  if (paren > 0 && (colon < 0 || paren < colon) && s.endsWith(')')) {
    return { type: s.slice(0, paren), message: s.slice(paren + 2, -1) };
  }
  if (colon > 0) return { type: s.slice(0, colon), message: s.slice(colon + 2) };
  return { type: s, message: null };
}

function parseThread(text: string): Header | null {
  const m = THREAD.exec(text);
  if (!m) return null;
  const fields = m[3] ?? '';
  const r = fields.indexOf('stop reason = ');
  const reason = r >= 0 ? fields.slice(r + 14) : null;
  const parts = reason !== null ? splitReason(reason) : null;
  const line = text.trim().replace(/^\*\s+/, '');
  return {
    index: m[2]!,
    // The thread's id is lldb's index (`thread #3`): only the old layout also printed the system `tid`.
    thread: { name: quoted(fields, 'name'), id: m[2]!, state: null },
    title: reason ?? line,
    type: parts?.type ?? null,
    message: parts?.message ?? null,
    // The selected thread (`*`) or one with a stop reason is where the program stopped.
    crash: m[1] !== undefined || reason !== null,
    fields:
      reason !== null ||
      fields.includes('tid = ') ||
      fields.includes("name = '") ||
      fields.includes("queue = '"),
  };
}

interface Open {
  trace: Trace;
  /** lldb's thread index from the header, null for frames without one. */
  index: string | null;
  lastIndex: number;
  complete: boolean;
  joins: number;
  /** Frame #0 of the stop report, replaced when `bt` prints the same thread again. */
  preview: Frame | null;
  /** The frame a source listing belongs to: the last one printed. */
  echo: Frame | null;
}

class LldbBuilder implements TraceBuilder {
  private readonly done: Trace[] = [];
  private cur: Open;

  constructor(header: Header | null, docLine: number) {
    this.cur = this.open(header, docLine);
  }

  private open(h: Header | null, docLine: number): Open {
    const node = newNode(h?.type ?? null, h?.message ?? null, docLine);
    const trace: Trace = { ...node, format: 'lldb', kind: h?.crash ? 'crash' : 'thread' };
    if (h) {
      trace.title = h.title;
      trace.thread = h.thread;
    }
    return {
      trace,
      index: h?.index ?? null,
      lastIndex: -1,
      complete: true,
      joins: 0,
      preview: null,
      echo: null,
    };
  }

  private header(h: Header, line: LogicalLine): void {
    const open = this.cur;
    if (open.index === h.index && open.trace.frames.length <= 1) {
      // The stop report showed this thread and its frame #0; `bt` shows them again with the rest.
      open.preview = open.trace.frames.pop() ?? null;
      const fresh = this.open(h, open.trace.span.start);
      fresh.trace.span.end = line.docLine;
      fresh.preview = open.preview;
      this.cur = fresh;
      return;
    }
    this.done.push(open.trace);
    this.cur = this.open(h, line.docLine);
  }

  addFrame(p: ParsedFrame): void {
    const open = this.cur;
    const f = p.frame;
    const pv = open.preview;
    if (pv && p.index === 0 && pv.source !== undefined && pv.address === f.address) f.source = pv.source;
    open.trace.frames.push(f);
    open.echo = f;
    open.lastIndex = p.index;
    open.complete = p.complete;
    open.joins = 0;
    extendSpan(open.trace.span, f.docLine);
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (isBlank(text)) return Feed.Hold;
    const open = this.cur;
    const frames = open.trace.frames;
    const last = frames[frames.length - 1];
    const p = parseLldbFrame(text, line.docLine);
    const h = p ? null : parseThread(text);
    if (last && !p && !h && !open.complete && open.joins < 8 && !NOISE.test(text)) {
      // A long template name broken by the copy: the line goes on where the previous one stopped.
      const joined = parseLldbFrame(last.raw + text, last.docLine);
      if (joined) {
        const joins = open.joins + 1;
        frames.pop();
        this.addFrame({ ...joined, index: open.lastIndex });
        open.joins = joins;
        extendSpan(open.trace.span, line.docLine);
        return Feed.Take;
      }
    }
    if (p) {
      if (frames.length === 0 || p.index > open.lastIndex) {
        this.addFrame(p);
        return Feed.Take;
      }
      // `frame select 1`, `up`: lldb prints a frame of this backtrace again, with its source listing.
      const f = p.frame;
      const same = frames.find((g) => g.address === f.address && g.function === f.function);
      if (same) {
        open.echo = same;
        extendSpan(open.trace.span, line.docLine);
        return Feed.Take;
      }
      if (p.index !== 0) return Feed.End;
      this.done.push(open.trace);
      this.cur = this.open(null, line.docLine);
      this.addFrame(p);
      return Feed.Take;
    }
    if (h) {
      this.header(h, line);
      return Feed.Take;
    }
    if (last) {
      const src = SOURCE_POINTER.exec(text);
      const echo = open.echo ?? last;
      if (src && toInt(src[1]) === echo.line) {
        echo.source ??= src[2]!.trim();
        extendSpan(open.trace.span, line.docLine);
        return Feed.Take;
      }
      if (SOURCE_LISTING.test(text)) return Feed.Hold;
    }
    if (RESUME.test(text)) return Feed.End;
    return NOISE.test(text) ? Feed.Hold : Feed.End;
  }

  finish(): Trace[] {
    this.done.push(this.cur.trace);
    const out: Trace[] = [];
    for (const t of this.done) {
      // A bare `thread #N` line with nothing under it is a mention, not a stack.
      if (t.frames.length === 0 && t.type === null) continue;
      closeSpans(t);
      if (t.title === '' && t.frames.length > 0) t.title = t.frames[0]!.raw;
      out.push(t);
    }
    return out;
  }
}

export const lldbParser: TraceParser = {
  name: 'lldb',
  trigger: /^\s*(?:\*\s+)?(?:thread|frame) #\d/,
  begin(line: LogicalLine, _ctx: ScanContext): Start | null {
    const p = parseLldbFrame(line.text, line.docLine);
    if (p) {
      const builder = new LldbBuilder(null, line.docLine);
      builder.addFrame(p);
      return { score: p.score, builder };
    }
    const h = parseThread(line.text);
    if (!h) return null;
    return { score: h.fields ? 9 : 4, builder: new LldbBuilder(h, line.docLine) };
  },
};
