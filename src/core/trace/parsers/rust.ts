// Rust panics as the standard panic hook prints them (before and after 1.73's header change) and the
// `stack backtrace:` that follows with RUST_BACKTRACE=1 or =full.

import { emptyFrame, type Frame, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { appendMessage, extendSpan, indentOf, isBlank, newNode, titleOf, toInt } from './util';

/** `thread 'main' panicked at …`, `thread '<unnamed>' (1234) panicked at …`, `thread 'x' has overflowed its stack`. */
const HEADER = /^(\s*)thread '(.{0,300}?)'(?: \((\d{1,20})\))? (panicked at|has overflowed its stack)(.*)/;
/** 1.73+: ` src/main.rs:5:5:` with the message on the next line (or joined to it when a paste lost the newline). */
const NEW_LOCATION = /:(\d{1,9}):(\d{1,9}):(?=\s|$)/y;
const BACKTRACE = /^\s*[Ss]tack backtrace:$/;
/** `  12: app::main`, `   0:     0x55d0c3e1b4f3 - std::…::h6a2c1d0f1d3b5f5c`, `  20: 0x7fa1 - <unknown>`. */
const FRAME = /^(\s*)(\d{1,6}): +(.*)/;
const ADDRESS = /^(0x[0-9a-fA-F]{1,16})(?:$| +- +(.*))/;
const AT = /^\s+at (\S.*)$/;
/** The legacy mangling's hash, which changes with every build and says nothing to a reader. */
const HASH = /::(h[0-9a-f]{16})$/;
const LINE_COL = /^(.*?):(\d{1,9})(?::(\d{1,9}))?$/;
const NOTE = /^\s*note: .{0,400}(?:RUST_BACKTRACE|backtrace)/;
const FATAL = /^\s*fatal runtime error: /;
/** A symbol on a line of its own under a numbered frame: an inlined call at the same address. */
const INLINED = /^\s{4,}([<_A-Za-z].*)$/;
const REGISTRY = /[\\/]\.?cargo[\\/]registry[\\/]src[\\/][^\\/]{1,200}[\\/]([^\\/]{1,200})[\\/]/;
const GIT_CHECKOUT = /[\\/]\.?cargo[\\/]git[\\/]checkouts[\\/]([^\\/]{1,200})[\\/]/;

interface Location {
  file: string;
  line: number | null;
  column: number | null;
}

/** `path:line[:col]` (a Windows path keeps its drive colon), or the bare path when there is no line. */
function parseLocation(text: string): Location {
  const m = LINE_COL.exec(text);
  if (m && m[1]!.length > 0) return { file: m[1]!, line: toInt(m[2]), column: toInt(m[3]) };
  return { file: text, line: null, column: null };
}

/** The crate directory of a dependency's path, as written (`tokio-1.28.0`, `wappalyzer-e32a3fb79f4ccad3`). */
function crateOf(file: string): string | null {
  const m = REGISTRY.exec(file) ?? GIT_CHECKOUT.exec(file);
  return m ? m[1]! : null;
}

function setLocation(frame: Frame, loc: Location): void {
  frame.file = loc.file;
  frame.line = loc.line;
  frame.column = loc.column;
  frame.module = crateOf(loc.file);
}

/** A numbered backtrace line, or null. */
export function parseRustFrame(
  text: string,
  docLine: number,
): { frame: Frame; index: number; full: boolean } | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  const frame = emptyFrame(text.trim(), docLine);
  let symbol = m[3]!;
  const addr = ADDRESS.exec(symbol);
  if (addr) {
    frame.address = addr[1]!;
    symbol = addr[2] ?? '';
  } else if (symbol.startsWith('0x')) {
    return null;
  }
  if (!setSymbol(frame, symbol)) return null;
  return { frame, index: toInt(m[2]) ?? 0, full: addr !== null };
}

/** Fills the function from a symbol; false when the text cannot be one (prose after a number and colon). */
function setSymbol(frame: Frame, symbol: string): boolean {
  const s = symbol.trim();
  if (s === '') return frame.address !== null;
  if (s === '<unknown>') {
    (frame.notes ??= []).push('unknown');
    return true;
  }
  // Symbols have no spaces outside `<…>` (`<F as core::ops::FnOnce<()>>::call_once`); a sentence has.
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 60) depth++;
    else if (c === 62 && depth > 0 && s.charCodeAt(i - 1) !== 45 /* `->` */) depth--;
    else if (c === 32 && depth === 0) return false;
  }
  const hash = HASH.exec(s);
  if (hash) {
    frame.function = s.slice(0, hash.index);
    (frame.notes ??= []).push(`hash ${hash[1]!}`);
  } else {
    frame.function = s;
  }
  return true;
}

interface Header {
  indent: number;
  thread: string;
  threadId: string | null;
  /** `panicked at` or `has overflowed its stack`. */
  what: string;
  message: string | null;
  location: Location | null;
  /** The message goes on: 1.73+ (on the next lines), or an old-style quoted message with a newline in it. */
  more: 'none' | 'new' | 'old';
}

/** The location after an old-style message: `', src/main.rs:5:5` ends the line. */
function oldTail(text: string): { message: string; location: Location } | null {
  const at = text.lastIndexOf("', ");
  if (at < 0) return null;
  const loc = parseLocation(text.slice(at + 3));
  if (loc.line === null) return null;
  // A path with spaces (`C:\Users\John Doe\…`) still starts like a path, not like words of a message.
  const space = loc.file.indexOf(' ');
  if (space >= 0 && !/[\\/]/.test(loc.file.slice(0, space))) return null;
  return { message: text.slice(0, at), location: loc };
}

export function parseRustHeader(text: string): Header | null {
  const m = HEADER.exec(text);
  if (!m) return null;
  const header: Header = {
    indent: indentOf(m[1]!),
    thread: m[2]!,
    threadId: m[3] ?? null,
    what: m[4]!,
    message: null,
    location: null,
    more: 'none',
  };
  const rest = m[5]!;
  if (header.what !== 'panicked at') {
    if (rest !== '') return null;
    header.message = text.trim();
    return header;
  }
  if (rest.startsWith(" '")) {
    const body = rest.slice(2);
    const tail = oldTail(body);
    if (tail) {
      header.message = tail.message;
      header.location = tail.location;
    } else {
      // `panic!("a\nb")` before 1.73: the quoted message runs on until `', file:line`.
      header.message = body;
      header.more = 'old';
    }
    return header;
  }
  if (!rest.startsWith(' ')) return null;
  for (let i = rest.indexOf(':'); i >= 0; i = rest.indexOf(':', i + 1)) {
    NEW_LOCATION.lastIndex = i;
    const loc = NEW_LOCATION.exec(rest);
    if (!loc) continue;
    header.location = { file: rest.slice(1, i), line: toInt(loc[1]), column: toInt(loc[2]) };
    const after = rest.slice(NEW_LOCATION.lastIndex).trim();
    if (after !== '') header.message = after;
    else header.more = 'new';
    return header;
  }
  // A header cut before its location.
  header.location = rest.trim() === '' ? null : parseLocation(rest.trim());
  return header;
}

/** Removes up to `columns` of leading indentation (tabs count to the next multiple of 8, as in indentOf). */
function dedent(text: string, columns: number): string {
  let w = 0;
  let i = 0;
  while (i < text.length && w < columns) {
    const c = text.charCodeAt(i);
    if (c === 32) w++;
    else if (c === 9) w += 8 - (w % 8);
    else break;
    i++;
  }
  return i === 0 ? text : text.slice(i);
}

type State = 'old-message' | 'new-message' | 'after-header' | 'frames';

class RustBuilder implements TraceBuilder {
  private readonly node: TraceNode;
  private readonly header: Header | null;
  private state: State;
  /** Lines of a 1.73+ message not yet known to be the message (Hold): kept if the panic goes on. */
  private pending: string[] = [];
  private messageLines = 0;
  private lastIndex = -1;
  /** Frames printed for one address (inlined calls first), closed when the next number starts. */
  private group: Frame[] = [];
  private afterNote = false;

  constructor(header: Header | null, docLine: number) {
    this.header = header;
    if (header && header.what === 'panicked at') {
      this.node = newNode('panic', header.message, docLine);
    } else {
      this.node = newNode(null, header ? header.message : null, docLine);
    }
    this.state = header === null ? 'frames' : header.more === 'old' ? 'old-message' : 'after-header';
    if (header?.more === 'new') this.state = 'new-message';
  }

  private take(line: LogicalLine): Feed {
    extendSpan(this.node.span, line.docLine);
    return Feed.Take;
  }

  private flushPending(): void {
    for (const p of this.pending) if (!isBlank(p)) this.message(p);
    this.pending = [];
  }

  /** A message line, less the indentation the whole panic has (a re-indented paste keeps `  left:` as is). */
  private message(text: string): void {
    this.messageLines++;
    appendMessage(this.node, dedent(text, this.header?.indent ?? 0));
  }

  private closeGroup(): void {
    for (let i = 0; i < this.group.length - 1; i++) (this.group[i]!.notes ??= []).push('inlined');
    this.group = [];
  }

  addFrame(frame: Frame, index: number): void {
    if (index !== this.lastIndex) this.closeGroup();
    this.lastIndex = index;
    this.group.push(frame);
    this.node.frames.push(frame);
    this.state = 'frames';
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    // The closing `', file:line` of a quoted message may never come (a cut paste): the panic's tail ends it.
    if (this.state === 'old-message' && !BACKTRACE.test(text) && !NOTE.test(text)) {
      if (HEADER.test(text) || this.messageLines >= 50) return Feed.End;
      const tail = oldTail(text);
      if (tail) {
        this.message(tail.message);
        if (this.header) this.header.location = tail.location;
        this.state = 'after-header';
      } else {
        this.message(text);
      }
      return this.take(line);
    }
    if (HEADER.test(text)) return Feed.End;
    if (BACKTRACE.test(text)) {
      if (this.state === 'frames' && this.node.frames.length > 0) return Feed.End;
      this.flushPending();
      this.state = 'frames';
      return this.take(line);
    }
    if (NOTE.test(text) || (FATAL.test(text) && this.header?.what !== 'panicked at')) {
      this.flushPending();
      if (this.state === 'new-message') this.state = 'after-header';
      // Since 1.x the note closes the backtrace; the oldest releases printed it before `stack backtrace:`.
      if (this.node.frames.length > 0) this.afterNote = true;
      return this.take(line);
    }
    if (this.state === 'new-message') return this.feedMessage(line);
    if (isBlank(text)) return Feed.Hold;
    if (this.state === 'after-header') return Feed.End;
    return this.feedFrames(line);
  }

  /** 1.73+: the lines after the header are the message, until the note or the backtrace. */
  private feedMessage(line: LogicalLine): Feed {
    const text = line.text;
    if (this.node.message === null && this.pending.length === 0 && !isBlank(text)) {
      this.message(text.trim());
      return this.take(line);
    }
    if (this.messageLines >= 50) return Feed.End;
    // Indented lines continue the message (`  left: 1` / ` right: 2` under `assertion failed`); other lines,
    // and any after a blank line, only do if the panic's note or backtrace follows them.
    if (!isBlank(text) && indentOf(text) > (this.header?.indent ?? 0) && !this.pending.some(isBlank)) {
      this.flushPending();
      this.message(text);
      return this.take(line);
    }
    this.pending.push(text);
    return Feed.Hold;
  }

  private feedFrames(line: LogicalLine): Feed {
    const text = line.text;
    const parsed = parseRustFrame(text, line.docLine);
    if (parsed) {
      // Numbers only grow (inlined calls repeat one); a new 0 is another backtrace.
      if (parsed.index < this.lastIndex || (parsed.index === 0 && this.lastIndex > 0) || this.afterNote)
        return Feed.End;
      this.addFrame(parsed.frame, parsed.index);
      return this.take(line);
    }
    const last = this.node.frames[this.node.frames.length - 1];
    if (!last || this.afterNote) return Feed.Hold;
    const at = AT.exec(text);
    if (at) {
      if (last.file === null) {
        setLocation(last, parseLocation(at[1]!.trim()));
        last.raw = `${last.raw}\n${text.trim()}`;
      }
      return this.take(line);
    }
    const inl = INLINED.exec(text);
    if (inl && indentOf(text) >= 6) {
      const frame = emptyFrame(text.trim(), line.docLine);
      frame.address = last.address;
      if (setSymbol(frame, inl[1]!)) {
        this.group.push(frame);
        this.node.frames.push(frame);
        return this.take(line);
      }
    }
    // Another thread's log line in the middle of the backtrace: a later frame takes it in.
    return Feed.Hold;
  }

  finish(): Trace[] {
    this.closeGroup();
    const node = this.node;
    const loc = this.header?.location ?? null;
    // Without a backtrace the panic's location is all there is to go to.
    if (node.frames.length === 0 && loc) {
      const frame = emptyFrame(
        `${loc.file}${loc.line !== null ? `:${loc.line}` : ''}${loc.column !== null ? `:${loc.column}` : ''}`,
        node.span.start,
      );
      setLocation(frame, loc);
      frame.notes = ['panic location'];
      node.frames.push(frame);
    }
    node.title = this.header ? titleOf(node.type, node.message) : 'stack backtrace';
    const trace: Trace = { ...node, format: 'rust', kind: 'crash' };
    if (this.header) trace.thread = { name: this.header.thread, id: this.header.threadId, state: null };
    return [trace];
  }
}

export const rustParser: TraceParser = {
  name: 'rust',
  trigger: /^\s*(?:thread '|[Ss]tack backtrace:|\d{1,6}: +0x[0-9a-fA-F]{1,16} - )/,
  begin(line: LogicalLine): Start | null {
    const header = parseRustHeader(line.text);
    if (header) return { score: 10, builder: new RustBuilder(header, line.docLine) };
    if (BACKTRACE.test(line.text)) return { score: 5, builder: new RustBuilder(null, line.docLine) };
    // A full backtrace whose header was cut off.
    const parsed = parseRustFrame(line.text, line.docLine);
    if (!parsed || !parsed.full) return null;
    const builder = new RustBuilder(null, line.docLine);
    builder.addFrame(parsed.frame, parsed.index);
    return { score: 6, builder };
  },
};
