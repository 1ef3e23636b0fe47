// Stack traces C++ programs print themselves: boost::stacktrace (` 0# foo(int) at /src/a.cpp:12`) and
// backward-cpp (`Stack trace (most recent call last):`, `#3    Object "/app", at 0x…, in main`, `Source "…"`).

import { emptyFrame, type Frame, type Trace } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { splitLocation } from './native';
import { closeSpans, extendSpan, isBlank, newNode, toInt } from './util';

/** boost::stacktrace: ` 0# name at file:line`, ` 1# name in module`, ` 2# 0x00007F… in module`. */
const BOOST_FRAME = /^\s*(\d{1,4})# (\S.*)$/;
const ADDRESS = /^0x[0-9a-fA-F]{1,16}$/;
/** What follows ` in ` when it is a module: a path or a file name, not a word of prose. */
const MODULE_LIKE = /[/\\.]/;

/** backward-cpp's header; `in thread N` when the trace was taken from a thread other than main. */
const BACKWARD_HEAD = /^\s*Stack trace \(most recent call last\)(?: in thread (\d{1,20}))?:$/;
/** `#3    Object "…"`, `#2    Source "…"`, `#1  | Source "…"` (the call an inlined one was inlined into). */
const BACKWARD_ENTRY = /^\s*#(\d{1,6}) +(?:\| )?((?:Object|Source) ".*)$/;
/** The entry's further lines: `    | Source "…"` (a further inlined call), `      Source "…"` (the code at the pc). */
const BACKWARD_MORE = /^\s+(?:\| )?((?:Object|Source) ".*)$/;
const OBJECT = /^Object "([^"]*)", at ([^,\s]{1,40}), in ?(.*)$/;
const SOURCE = /^Source "([^"]*)", line (\d{1,9}), in ?(.*)$/;
/** psiginfo's line after the trace: `Segmentation fault (Address not mapped to object [0x0])`. */
const SIGNAL = /^([A-Z][A-Za-z/ ]{1,40}) \((.{1,300})\)$/;
/** A snippet line's number and text, after its indent, `|` and `>` marker were taken off. */
const SNIPPET = /^(\d{1,9}):(?: (.*))?$/;

// ---------------------------------------------------------------------------------------------------------
// boost::stacktrace

interface BoostFrame {
  frame: Frame;
  index: number;
  score: number;
}

/** Parses a boost::stacktrace frame; `lenient` (inside a trace) takes any word after ` in ` as its module. */
export function parseBoostFrame(text: string, docLine: number, lenient = false): BoostFrame | null {
  const m = BOOST_FRAME.exec(text);
  if (!m) return null;
  const body = m[2]!;
  const frame = emptyFrame(text.trim(), docLine);
  let fn = body;
  let score = 0;
  const at = body.lastIndexOf(' at ');
  if (at > 0) {
    const loc = splitLocation(body.slice(at + 4), false);
    if (loc) {
      frame.file = loc.file;
      frame.line = loc.line;
      fn = body.slice(0, at);
      score = 9;
    }
  }
  if (score === 0) {
    const inAt = body.lastIndexOf(' in ');
    const mod = inAt > 0 ? body.slice(inAt + 4) : '';
    if ((lenient || MODULE_LIKE.test(mod)) && mod !== '' && !mod.includes(' ')) {
      frame.module = mod;
      fn = body.slice(0, inAt);
      score = 8;
    }
  }
  if (ADDRESS.test(fn)) {
    frame.address = fn;
    score = Math.max(score, 5);
  } else {
    frame.function = fn;
    score = Math.max(score, 3);
  }
  return { frame, index: toInt(m[1]) ?? 0, score };
}

class BoostBuilder implements TraceBuilder {
  private readonly done: Trace[] = [];
  private cur: Trace;
  private lastIndex = -1;

  constructor(private readonly header: LogicalLine | null) {
    this.cur = this.newTrace(header);
  }

  private newTrace(header: LogicalLine | null): Trace {
    const node = newNode(null, null, header ? header.docLine : -1);
    if (header) node.title = header.text.trim().replace(/:$/, '');
    return { ...node, format: 'cpp', kind: 'crash' };
  }

  addFrame(p: BoostFrame): void {
    if (p.index <= this.lastIndex) {
      this.done.push(this.cur);
      this.cur = this.newTrace(null);
    }
    const t = this.cur;
    if (t.span.start < 0) t.span = { start: p.frame.docLine, end: p.frame.docLine };
    t.frames.push(p.frame);
    this.lastIndex = p.index;
    extendSpan(t.span, p.frame.docLine);
  }

  feed(line: LogicalLine): Feed {
    if (isBlank(line.text)) return Feed.Hold;
    const p = parseBoostFrame(line.text, line.docLine, true);
    if (!p || (p.index === 0 && p.score < 5)) return Feed.End;
    this.addFrame(p);
    return Feed.Take;
  }

  finish(): Trace[] {
    this.done.push(this.cur);
    for (const t of this.done) {
      closeSpans(t);
      if (t.title === '' && t.frames[0]) t.title = t.frames[0].raw;
    }
    return this.done.filter((t) => t.frames.length > 0);
  }
}

/** The line right above the frames when it introduces them (`Backtrace:`): the trace's title. */
function boostHeader(history: readonly LogicalLine[]): LogicalLine | null {
  const l = history[history.length - 1];
  if (!l || isBlank(l.text) || l.text.length > 200 || !l.text.trimEnd().endsWith(':')) return null;
  return BOOST_FRAME.test(l.text) ? null : l;
}

// ---------------------------------------------------------------------------------------------------------
// backward-cpp

interface Entry {
  index: number;
  /** The entry's frames in document order: outermost inlined call first, the frame's own location last. */
  frames: Frame[];
  object: Frame | null;
}

function objectFrame(text: string, body: string, docLine: number): Frame | null {
  const m = OBJECT.exec(body);
  if (!m) return null;
  const frame = emptyFrame(text.trim(), docLine);
  const obj = m[1]!;
  // `[0xffffffffffffffff]` and `""`: backward's placeholders for an address it found in no object.
  frame.module = obj === '' || (obj.startsWith('[0x') && obj.endsWith(']')) ? null : obj;
  frame.address = m[2]!;
  frame.function = m[3]!.trim() || null;
  return frame;
}

function sourceFrame(text: string, body: string, docLine: number): Frame | null {
  const m = SOURCE.exec(body);
  if (!m) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.file = m[1]!;
  frame.line = toInt(m[2]);
  let fn = m[3]!;
  if (fn.endsWith(']')) {
    const b = fn.lastIndexOf(' [0x');
    if (b >= 0) {
      frame.address = fn.slice(b + 2, -1);
      fn = fn.slice(0, b);
    }
  }
  frame.function = fn.trim() || null;
  return frame;
}

/** A snippet line (`      >  12:   return *p;`, `    |    11: `): its number, text and whether it is marked. */
function snippet(text: string): { marked: boolean; code: string } | null {
  let t = text.trimStart();
  if (t.startsWith('|')) t = t.slice(1).trimStart();
  const marked = t.startsWith('>');
  if (marked) t = t.slice(1).trimStart();
  const m = SNIPPET.exec(t);
  return m ? { marked, code: (m[2] ?? '').trim() } : null;
}

class BackwardBuilder implements TraceBuilder {
  private readonly entries: Entry[] = [];
  private readonly trace: Trace;
  /** The frame the next snippet lines belong to. */
  private echo: Frame | null = null;
  private signalled = false;

  constructor(header: LogicalLine | null, thread: string | null, docLine: number) {
    const node = newNode(null, null, header ? header.docLine : docLine);
    this.trace = { ...node, format: 'cpp', kind: 'crash' };
    if (thread !== null) this.trace.thread = { name: null, id: thread, state: null };
  }

  /** Adds an entry's line (`Object "…"` / `Source "…"`); false when it is neither. */
  add(text: string, body: string, docLine: number, index: number | null): boolean {
    const f = body.startsWith('Object') ? objectFrame(text, body, docLine) : sourceFrame(text, body, docLine);
    if (!f) return false;
    if (index !== null) this.entries.push({ index, frames: [], object: null });
    const e = this.entries[this.entries.length - 1];
    if (!e) return false;
    if (body.startsWith('Object')) e.object = f;
    else e.frames.push(f);
    this.echo = f;
    extendSpan(this.trace.span, docLine);
    return true;
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (isBlank(text)) return Feed.Hold;
    if (this.signalled) return Feed.End;
    const entry = BACKWARD_ENTRY.exec(text);
    if (entry) {
      const ok = this.add(text, entry[2]!, line.docLine, toInt(entry[1]) ?? 0);
      return ok ? Feed.Take : Feed.End;
    }
    const more = BACKWARD_MORE.exec(text);
    if (more && this.entries.length > 0) {
      return this.add(text, more[1]!, line.docLine, null) ? Feed.Take : Feed.End;
    }
    const snip = this.echo ? snippet(text) : null;
    if (snip) {
      if (snip.marked && this.echo!.source === undefined && snip.code !== '') this.echo!.source = snip.code;
      extendSpan(this.trace.span, line.docLine);
      return Feed.Take;
    }
    const sig = this.entries.length > 0 ? SIGNAL.exec(text.trim()) : null;
    if (sig) {
      this.trace.type = sig[1]!;
      this.trace.message = sig[2]!;
      this.trace.title = text.trim();
      this.signalled = true;
      extendSpan(this.trace.span, line.docLine);
      return Feed.Take;
    }
    return Feed.End;
  }

  finish(): Trace[] {
    const entries = this.entries;
    if (entries.length === 0) return [];
    // backward-cpp prints the outermost call first (its header says so): frames go innermost first.
    const first = entries[0]!;
    const last = entries[entries.length - 1]!;
    if (first.index > last.index) entries.reverse();
    const t = this.trace;
    for (const e of entries) {
      const fs = e.frames;
      // Inlined calls: the first source line names the function the pc is in, the later ones what was
      // inlined into it, down to the code at the pc.
      for (let i = 1; i < fs.length; i++) (fs[i]!.notes ??= []).push('inlined');
      const obj = e.object;
      if (obj && fs[0]) {
        // The object line and the source lines describe one frame: the binary and pc, then the source.
        fs[0].address ??= obj.address;
        for (const f of fs) f.module = obj.module;
      } else if (obj) {
        fs.push(obj);
      }
      for (let i = fs.length - 1; i >= 0; i--) t.frames.push(fs[i]!);
    }
    if (t.title === '') t.title = t.frames[0]?.raw ?? 'Stack trace (most recent call last)';
    closeSpans(t);
    return [t];
  }
}

export const cppParser: TraceParser = {
  name: 'cpp',
  trigger: /^\s*(?:\d{1,4}# |#\d{1,6} +(?:\| )?(?:Object|Source) "|Stack trace \(most recent call last\))/,
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const text = line.text;
    const head = BACKWARD_HEAD.exec(text);
    if (head) return { score: 9, builder: new BackwardBuilder(line, head[1] ?? null, line.docLine) };
    const entry = BACKWARD_ENTRY.exec(text);
    if (entry) {
      const builder = new BackwardBuilder(null, null, line.docLine);
      if (!builder.add(text, entry[2]!, line.docLine, toInt(entry[1]) ?? 0)) return null;
      return { score: 9, builder };
    }
    const p = parseBoostFrame(text, line.docLine);
    if (!p || p.score < 5) return null;
    const builder = new BoostBuilder(boostHeader(ctx.history));
    builder.addFrame(p);
    return { score: p.score, builder };
  },
};
