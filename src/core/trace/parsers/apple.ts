// Apple crash reports (iOS and macOS `.crash`, the text rendering of `.ips`, PLCrashReporter), uncaught
// NSExceptions as the console prints them, and Swift runtime traps (`Fatal error: …`) in each Swift layout.

import { emptyFrame, type Frame, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { splitLocation } from './native';
import { appendMessage, closeSpans, extendSpan, isBlank, newNode, titleOf, toInt } from './util';

/** `12  UIKit   0x18cb8d418 …`: the frame's index, then the module column. */
const FRAME_HEAD = /^\s*(\d{1,5})[ \t]+(?=\S)/;
const HEX = /^0x[0-9a-fA-F]{1,16}$/;
const OFFSET_VALUE = /^(?:\d{1,12}|0x[0-9a-fA-F]{1,16})$/;

/** `Key:   value` of a report's header, or `Key:` alone opening a block (`Application Specific Information:`). */
const FIELD = /^\s*([A-Za-z][\w /-]{0,60}):(?:[ \t](.*))?$/;
/** Lines that open a new report: inside a report they end the one being built. */
const REPORT_START = /^\s*(?:Incident Identifier:|Process:[ \t]|Exception Type:)/;
const PROCESS = /^\s*Process:[ \t]+\S.*\[\d{1,10}\]$/;
const EXCEPTION_TYPE = /^\s*Exception Type:[ \t]+(?:EXC_|SIG)/;
/** `Thread 0 name:  Dispatch queue: com.apple.main-thread` */
const THREAD_NAME = /^\s*Thread (\d{1,5}) name:(?:[ \t](.*))?$/;
/** `Thread 0 Crashed:`, `Thread 5:`, and macOS 12's `Thread 0 Crashed::  Dispatch queue: …`, `Thread 2:: name`. */
const THREAD = /^\s*Thread (\d{1,5})( Crashed)?:(?::(?:[ \t](.*))?)?$/;
/** What a report prints after its threads: register state, instruction stream, branch state. */
const THREAD_STATE = /^\s*Thread \d{1,5} (?:crashed with |instruction stream|last branch)/;
const LAST_EXCEPTION = /^\s*Last Exception Backtrace:(?:[ \t]+(\(.*))?$/;
const APP_BACKTRACE = /^\s*(Application Specific Backtrace \d{1,4}):$/;
/** Rows under a thread state: `    x0: 0x0000…   x1: …`, instruction bytes `  ff 43 01 d1 …`, `  [b6 fe ff 97]…`. */
const REGISTERS = /^\s+[a-z][a-z0-9]{0,5}: 0x[0-9a-fA-F]/;
const INSTRUCTION_BYTES = /^\s+\[?[0-9a-f]{2}[ \]]/;
const IMAGES = /^\s*Binary Images(?: Description)?:/;
/** `0x10004c000 - 0x100053fff Crashy arm64  <8dc8…> /var/…/Crashy` */
const IMAGE = /^\s*0x[0-9a-fA-F]{1,16}[ \t]{1,40}-[ \t]{1,40}0x[0-9a-fA-F]{1,16}[ \t]+(\S.*)$/;
const ARCH = /^(?:arm64e?|arm64_32|armv\d\w{0,3}|x86_64h?|i386|ppc\w{0,4})$/;
const FIRST_THROW = /^\s*\*\*\* First throw call stack:\s*$/;
const TERMINATING = "*** Terminating app due to uncaught exception '";
/** `libc++abi.dylib: terminating with uncaught exception of type NSException` (and the newer wording). */
const CXX_TERMINATE =
  /^\s*(?:libc\+\+abi(?:\.dylib)?: )?terminating (?:with|due to) uncaught exception of type ([^\s:]+)/;
const STACK_INTRO = /^\s*Current stack trace:$/;

/** Swift's runtime errors as their kind is written. */
const SWIFT_KIND = /^\s*(Fatal error|Precondition failed|Assertion failed|fatal error)(?::(?:[ \t](.*))?)?$/;
/** Swift 5.4+: `MyApp/ViewController.swift:42: Fatal error: …` */
const SWIFT_PATH_FORM =
  /^\s*((?:[A-Za-z]:)?[^:\s][^:]{0,400}):(\d{1,9}): (Fatal error|Precondition failed|Assertion failed)(?:: (.*))?$/;
/** Xcode's banner on the stopped thread: `Thread 1: Fatal error: …`, `Thread 1: EXC_BAD_ACCESS (code=1, …)`. */
const BANNER = /^\s*Thread (\d{1,5}): (\S.*)$/;
const BANNER_EXC = /^(EXC_[A-Z_]{1,40})(?: \((.*)\))?$/;
const BANNER_SIGNAL = /^signal (SIG[A-Z0-9]{1,10})$/;
const LINE_SUFFIX = /, line (\d{1,9})\.?$/;
/** The runtime's own messages, which identify a Swift trap even without its `file, line`. */
const SWIFT_WORDING =
  /^(?:[Uu]nexpectedly found nil while|Index out of range|'try!' expression unexpectedly)/;

export interface AppleFrame {
  frame: Frame;
  index: number;
  /** Has what only a frame has: an offset, a source location or a module base. */
  strong: boolean;
}

/** The address column: whitespace, `0x` and hex digits, then whitespace or the end. */
function findAddress(s: string, from: number): [number, number] | null {
  let i = from;
  while ((i = s.indexOf('0x', i)) >= 0) {
    const before = s.charCodeAt(i - 1);
    if (i > from && (before === 32 || before === 9)) {
      let j = i + 2;
      while (j < s.length && j - i <= 18 && isHexDigit(s.charCodeAt(j))) j++;
      const after = s.charCodeAt(j);
      if (j > i + 2 && j - i <= 18 && (j === s.length || after === 32 || after === 9)) return [i, j];
    }
    i += 2;
  }
  return null;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Index of the `(` that opens the group closing at the end of `s`, or -1. */
function openOfLastGroup(s: string): number {
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 41) depth++;
    else if (c === 40 && --depth === 0) return i;
  }
  return -1;
}

/** Brackets left open in a symbol: the line was cut inside it. */
function unbalanced(s: string): boolean {
  let paren = 0;
  let square = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) paren++;
    else if (c === 41) paren--;
    else if (c === 91) square++;
    else if (c === 93) square--;
  }
  return paren > 0 || square > 0;
}

/**
 * What follows the address: `symbol + 124`, `symbol + 124 (File.swift:12)`, `symbol (main.m:5)`,
 * `symbol (in MyApp) (main.m:5)`, `0x18a2c0000 + 123456` (no symbol: module base and offset), `???`.
 */
function parseSymbol(frame: Frame, body: string): boolean {
  let s = body;
  const notes: string[] = [];
  let strong = false;
  if (s.endsWith(' [inlined]')) {
    notes.push('inlined');
    s = s.slice(0, -10).trimEnd();
    strong = true;
  }
  for (let k = 0; k < 4; k++) {
    if (s.endsWith(')')) {
      const open = openOfLastGroup(s);
      if (open > 0 && s.charCodeAt(open - 1) === 32) {
        const inner = s.slice(open + 1, -1);
        if (inner.startsWith('in ') && !inner.includes(':')) {
          // atos's `(in MyApp)`: the image the symbol is in, which the module column already names.
          if (frame.module === null) frame.module = inner.slice(3);
          s = s.slice(0, open).trimEnd();
          strong = true;
          continue;
        }
        const loc = frame.file === null ? splitLocation(inner, true) : null;
        if (loc && loc.file.length > 0) {
          frame.file = loc.file;
          frame.line = loc.line;
          frame.column = loc.column;
          s = s.slice(0, open).trimEnd();
          strong = true;
          continue;
        }
      }
    }
    const plus = s.lastIndexOf(' + ');
    if (frame.offset === null && plus >= 0 && OFFSET_VALUE.test(s.slice(plus + 3))) {
      frame.offset = s.slice(plus + 1);
      s = s.slice(0, plus).trimEnd();
      strong = true;
      continue;
    }
    break;
  }
  if (s === '???' || s === '<unavailable>' || s === '') {
    frame.function = null;
    if (s === '???') strong = true;
  } else if (frame.offset !== null && (HEX.test(s) || s === '0' || s === frame.module)) {
    // Not symbolicated: the offset is from the module's load address, which the report gives instead.
    notes.push(`base ${s}`);
    frame.function = null;
  } else {
    frame.function = s;
    if (unbalanced(s)) notes.push('truncated');
  }
  if (notes.length) frame.notes = notes;
  return strong;
}

/** Parses one frame line of a crash report or a console call stack, or returns null. */
export function parseAppleFrame(text: string, docLine: number): AppleFrame | null {
  const m = FRAME_HEAD.exec(text);
  if (!m) return null;
  const from = m[0].length;
  const addr = findAddress(text, from);
  if (!addr) return null;
  const module = text.slice(from, addr[0]).trim();
  if (module.length === 0) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.module = module === '???' ? null : module;
  frame.address = text.slice(addr[0], addr[1]);
  const body = text.slice(addr[1]).trim();
  const strong = parseSymbol(frame, body);
  return { frame, index: toInt(m[1]) ?? 0, strong };
}

/** `(0x1835d2d38 0x182a340a4 …)`: a call stack as bare addresses, possibly over several lines. */
function parseAddressList(
  text: string,
  open: boolean,
): { addresses: string[]; opened: boolean; closed: boolean } | null {
  let s = text.trim();
  let opened = false;
  if (s.startsWith('(')) {
    if (open) return null;
    opened = true;
    s = s.slice(1);
  } else if (!open) {
    return null;
  }
  s = s.trimStart();
  // Cheap refusal of every other line (this is tried on each line of a report's stacks).
  if (s.length > 0 && !s.startsWith('0x') && s !== ')') return null;
  let closed = false;
  if (s.endsWith(')')) {
    closed = true;
    s = s.slice(0, -1);
  }
  const addresses = s.split(/[ \t]+/).filter((a) => a.length > 0);
  for (const a of addresses) if (!HEX.test(a)) return null;
  return { addresses, opened, closed };
}

function addressFrames(addresses: string[], docLine: number): Frame[] {
  return addresses.map((a) => {
    const f = emptyFrame(a, docLine);
    f.address = a;
    return f;
  });
}

interface Terminating {
  type: string;
  message: string | null;
  /** The reason's closing quote was seen (a reason can run over several lines). */
  closed: boolean;
}

/** `*** Terminating app due to uncaught exception 'NSInvalidArgumentException', reason: '…'` anywhere in a line. */
function parseTerminating(text: string): Terminating | null {
  const i = text.indexOf(TERMINATING);
  if (i < 0) return null;
  const rest = text.slice(i + TERMINATING.length);
  const q = rest.indexOf("', reason: '");
  if (q < 0) {
    const end = rest.indexOf("'");
    return end > 0 ? { type: rest.slice(0, end), message: null, closed: true } : null;
  }
  if (q === 0) return null;
  let message = rest.slice(q + 12);
  const closed = message.endsWith("'");
  if (closed) message = message.slice(0, -1);
  return { type: rest.slice(0, q), message, closed };
}

/** The exception named in a report's `Application Specific Information` block, reason lines joined. */
function terminatingIn(block: string | undefined): Terminating | null {
  if (block === undefined) return null;
  const lines = block.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = parseTerminating(lines[i]!);
    if (!t) continue;
    for (let j = i + 1; !t.closed && j < lines.length; j++) {
      let l = lines[j]!;
      t.closed = l.endsWith("'");
      if (t.closed) l = l.slice(0, -1);
      t.message = `${t.message ?? ''}\n${l}`;
    }
    return t;
  }
  return null;
}

interface RuntimeError {
  type: string | null;
  message: string | null;
  /** The failing statement's location as the error states it (and the function, for C's assert). */
  location: Frame | null;
  thread: string | null;
  kind: Trace['kind'];
  title?: string;
  score: number;
}

/** `msg: file X.swift, line N` (Swift before 5.4), `(cond), function f, file x.c, line N.` (Apple's C assert). */
function splitFileLine(
  body: string,
  raw: string,
  docLine: number,
): { message: string | null; location: Frame } | null {
  const ln = LINE_SUFFIX.exec(body);
  if (!ln) return null;
  const head = body.slice(0, ln.index);
  const frame = emptyFrame(raw, docLine);
  frame.line = toInt(ln[1]);
  frame.notes = ['reported location'];
  let message: string | null;
  if (head.startsWith('file ')) {
    frame.file = head.slice(5);
    message = null;
  } else {
    const swift = head.lastIndexOf(': file ');
    if (swift > 0) {
      frame.file = head.slice(swift + 7);
      message = head.slice(0, swift);
    } else {
      const file = head.lastIndexOf(', file ');
      const fn = head.lastIndexOf(', function ', file);
      if (file < 0 || fn < 0 || !ln[0].endsWith('.')) return null;
      frame.file = head.slice(file + 7);
      frame.function = head.slice(fn + 11, file);
      message = head.slice(0, fn);
    }
  }
  if (frame.file === null || frame.file.length === 0) return null;
  return { message: message || null, location: frame };
}

/** A Swift runtime error line (or Xcode's banner for a stopped thread), or null. */
function parseRuntimeError(text: string, docLine: number): RuntimeError | null {
  const raw = text.trim();
  const path = SWIFT_PATH_FORM.exec(text);
  if (path) {
    const location = emptyFrame(raw, docLine);
    location.file = path[1]!;
    location.line = toInt(path[2]);
    location.notes = ['reported location'];
    return { type: path[3]!, message: path[4] || null, location, thread: null, kind: 'crash', score: 10 };
  }
  let body = text;
  let thread: string | null = null;
  const banner = BANNER.exec(text);
  if (banner) {
    thread = banner[1]!;
    body = banner[2]!;
    const exc = BANNER_EXC.exec(body);
    const sig = exc ? null : BANNER_SIGNAL.exec(body);
    if (exc || sig) {
      const type = exc ? exc[1]! : sig![1]!;
      return {
        type,
        message: exc?.[2] ?? null,
        location: null,
        thread,
        kind: 'crash',
        title: body,
        score: 9,
      };
    }
    if (body.length > 2 && body.startsWith('"') && body.endsWith('"')) {
      // Xcode 12+ shows an uncaught exception's reason on the thread, quoted.
      const message = body.slice(1, -1);
      return { type: null, message, location: null, thread, kind: 'exception', score: 8 };
    }
  }
  const k = SWIFT_KIND.exec(body);
  if (!k) return null;
  const type = k[1]!;
  const rest = k[2]?.trim() ?? '';
  const split = splitFileLine(rest, raw, docLine);
  if (split) {
    // Swift writes `: file X, line N`; Apple's libc `, function f, file X, line N.`; MSVC's `, file X, line N`
    // (not Apple's) has neither.
    const cAssert = split.location.function !== null;
    return {
      type,
      message: split.message,
      location: split.location,
      thread,
      kind: 'crash',
      score: cAssert ? 8 : 10,
    };
  }
  // Without a location the line could be any program's: only Swift's own wording (or Xcode's banner) is sure.
  if (thread === null && !SWIFT_WORDING.test(rest)) return null;
  return { type, message: rest || null, location: null, thread, kind: 'crash', score: 10 };
}

/** A runtime error line, then the stack the runtime may print under it (`Current stack trace:` on Linux). */
class RuntimeBuilder implements TraceBuilder {
  private readonly trace: Trace;
  private lastIndex = -1;
  private intro = false;

  constructor(err: RuntimeError, docLine: number) {
    const node = newNode(err.type, err.message, docLine);
    this.trace = { ...node, format: 'apple', kind: err.kind };
    if (err.title !== undefined) this.trace.title = err.title;
    if (err.thread !== null) this.trace.thread = { name: null, id: err.thread, state: 'crashed' };
    if (err.location) this.trace.frames.push(err.location);
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (isBlank(text)) return Feed.Hold;
    if (!this.intro && this.lastIndex < 0 && STACK_INTRO.test(text)) {
      this.intro = true;
      extendSpan(this.trace.span, line.docLine);
      return Feed.Take;
    }
    const p = parseAppleFrame(text, line.docLine);
    if (p && p.index > this.lastIndex && (this.lastIndex >= 0 || this.intro || p.index === 0)) {
      this.trace.frames.push(p.frame);
      this.lastIndex = p.index;
      return Feed.Take;
    }
    return Feed.End;
  }

  finish(): Trace[] {
    closeSpans(this.trace);
    return [this.trace];
  }
}

type ConsoleState = 'reason' | 'head' | 'stack' | 'list' | 'after';

/** The console's uncaught NSException: the `*** Terminating app…` line and `*** First throw call stack:`. */
class ConsoleBuilder implements TraceBuilder {
  private readonly trace: Trace;
  private state: ConsoleState;
  private reasonLines = 0;

  constructor(head: Terminating | null, docLine: number, state: ConsoleState) {
    const node = newNode(head?.type ?? null, head?.message ?? null, docLine);
    this.trace = { ...node, format: 'apple', kind: 'exception' };
    if (!head) this.trace.title = '*** First throw call stack';
    this.state = state;
  }

  private take(docLine: number): Feed {
    extendSpan(this.trace.span, docLine);
    return Feed.Take;
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    const blank = isBlank(text);
    switch (this.state) {
      case 'reason': {
        if (FIRST_THROW.test(text)) {
          this.state = 'stack';
          return this.take(line.docLine);
        }
        if (++this.reasonLines > 50) return Feed.End;
        let l = text.trim();
        if (l.endsWith("'")) {
          l = l.slice(0, -1);
          this.state = 'head';
        }
        appendMessage(this.trace, l);
        return this.take(line.docLine);
      }
      case 'head':
        if (blank) return Feed.Hold;
        if (FIRST_THROW.test(text)) {
          this.state = 'stack';
          return this.take(line.docLine);
        }
        return Feed.End;
      case 'stack':
      case 'list': {
        if (blank) return Feed.Hold;
        const list = parseAddressList(text, this.state === 'list');
        if (list) {
          this.trace.frames.push(...addressFrames(list.addresses, line.docLine));
          this.state = list.closed ? 'after' : 'list';
          return this.take(line.docLine);
        }
        const p = parseAppleFrame(text, line.docLine);
        if (p) {
          this.trace.frames.push(p.frame);
          return this.take(line.docLine);
        }
        return this.state === 'list' || this.trace.frames.length > 0
          ? this.after(text, line.docLine)
          : Feed.End;
      }
      case 'after':
        return blank ? Feed.Hold : this.after(text, line.docLine);
    }
  }

  /** After the stack: the C++ runtime's own `terminating with uncaught exception of type NSException`. */
  private after(text: string, docLine: number): Feed {
    const m = CXX_TERMINATE.exec(text);
    if (!m) return Feed.End;
    if (this.trace.type === null) {
      this.trace.type = m[1]!;
      this.trace.title = titleOf(this.trace.type, this.trace.message);
    }
    this.state = 'after';
    this.trace.span.end = docLine;
    return Feed.Take;
  }

  finish(): Trace[] {
    closeSpans(this.trace);
    return [this.trace];
  }
}

interface Section {
  kind: 'backtrace' | 'thread' | 'bare';
  /** `Last Exception Backtrace`, `Application Specific Backtrace 1`. */
  label: string;
  index: string | null;
  name: string | null;
  crashed: boolean;
  start: number;
  end: number;
  frames: Frame[];
  /** Inside a `(` … `)` list of addresses. */
  list: boolean;
  lastIndex: number;
}

type Phase = 'header' | 'sections' | 'tail' | 'images';

function section(kind: Section['kind'], label: string, start: number): Section {
  return {
    kind,
    label,
    index: null,
    name: null,
    crashed: false,
    start,
    end: start,
    frames: [],
    list: false,
    lastIndex: -1,
  };
}

/** Header fields above a line that opened a report mid-header (`Exception Type:` without `Incident Identifier:`). */
function fieldsAbove(history: readonly LogicalLine[]): LogicalLine[] {
  const out: LogicalLine[] = [];
  let blanks = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const l = history[i]!;
    if (isBlank(l.text)) {
      // The header's groups are one blank line apart; two end it.
      if (++blanks > 1) break;
      continue;
    }
    if (!FIELD.test(l.text)) break;
    blanks = 0;
    out.unshift(l);
  }
  return out;
}

/**
 * One crash report: its header, then the Last Exception Backtrace and each thread as a section, then the
 * register state and Binary Images (read, not frames). Each section becomes a trace.
 */
class ReportBuilder implements TraceBuilder {
  private readonly fields: Record<string, string> = {};
  private start: number;
  private headerEnd: number;
  /** The multi-line field being read (`Application Specific Information`). */
  private block: string | null = null;
  private blockLines = 0;
  private readonly sections: Section[] = [];
  private cur: Section | null = null;
  private pendingName: { index: string; name: string | null; docLine: number } | null = null;
  private phase: Phase = 'header';
  private readonly images = new Map<string, string>();

  constructor(docLine: number) {
    this.start = docLine;
    this.headerEnd = docLine;
  }

  /** A header line (`Key:  value`), or a continuation of the open block. */
  field(text: string, docLine: number): boolean {
    // A block runs to the next blank line, whatever its lines say (`BUG IN CLIENT OF LIBDISPATCH: …`).
    const m = this.block === null ? FIELD.exec(text) : null;
    if (m) {
      const key = m[1]!.trim();
      const value = m[2]?.trim() ?? '';
      if (!(key in this.fields)) this.fields[key] = value;
      this.block = value === '' && this.fields[key] === '' ? key : null;
      this.blockLines = 0;
    } else if (this.block !== null && this.blockLines < 200) {
      const prev = this.fields[this.block]!;
      this.fields[this.block] = prev === '' ? text.trim() : `${prev}\n${text.trim()}`;
      this.blockLines++;
    } else {
      return false;
    }
    if (docLine < this.start) this.start = docLine;
    if (docLine > this.headerEnd) this.headerEnd = docLine;
    return true;
  }

  open(s: Section): void {
    this.close();
    this.cur = s;
    this.sections.push(s);
    this.phase = 'sections';
    this.block = null;
  }

  close(): void {
    this.cur = null;
  }

  addFrames(frames: Frame[], docLine: number): void {
    const s = this.cur!;
    s.frames.push(...frames);
    s.end = docLine;
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (isBlank(text)) {
      this.block = null;
      return Feed.Hold;
    }
    if (this.phase === 'images') return this.image(text);
    if (
      REPORT_START.test(text) &&
      (this.phase !== 'header' || (FIELD.exec(text)?.[1]?.trim() ?? '') in this.fields)
    ) {
      return Feed.End;
    }
    if (this.sectionHeader(text, line.docLine)) return Feed.Take;
    const cur = this.cur;
    if (cur) {
      const list = parseAddressList(text, cur.list);
      if (list) {
        cur.list = !list.closed;
        this.addFrames(addressFrames(list.addresses, line.docLine), line.docLine);
        return Feed.Take;
      }
      const p = parseAppleFrame(text, line.docLine);
      if (p) {
        // Numbering that starts over without a header is another stack pasted under this one.
        if (p.index === 0 && cur.lastIndex >= 0 && !cur.list) this.open(section('bare', '', line.docLine));
        this.cur!.lastIndex = p.index;
        this.addFrames([p.frame], line.docLine);
        return Feed.Take;
      }
    }
    if (this.phase === 'header') return this.field(text, line.docLine) ? Feed.Take : Feed.Hold;
    if (this.phase === 'tail') {
      if (REGISTERS.test(text) || INSTRUCTION_BYTES.test(text) || FIELD.test(text)) return Feed.Take;
    }
    // A line a copy broke or a log interleaved: kept aside until the report goes on (or ends).
    return Feed.Hold;
  }

  /** Opens what a section header line names; false if the line is not one. */
  private sectionHeader(text: string, docLine: number): boolean {
    const name = THREAD_NAME.exec(text);
    if (name) {
      this.close();
      this.pendingName = { index: name[1]!, name: name[2]?.trim() || null, docLine };
      this.phase = 'sections';
      return true;
    }
    const th = THREAD.exec(text);
    if (th) {
      const pending = this.pendingName?.index === th[1] ? this.pendingName : null;
      const s = section('thread', `Thread ${th[1]!}`, pending?.docLine ?? docLine);
      s.index = th[1]!;
      s.crashed = th[2] !== undefined;
      s.name = th[3]?.trim() || pending?.name || null;
      this.pendingName = null;
      this.open(s);
      return true;
    }
    const leb = LAST_EXCEPTION.exec(text);
    if (leb) {
      this.open(section('backtrace', 'Last Exception Backtrace', docLine));
      // iOS 6's reports put the address list on the header line itself.
      const list = leb[1] !== undefined ? parseAddressList(leb[1], false) : null;
      if (list) {
        this.cur!.list = !list.closed;
        this.addFrames(addressFrames(list.addresses, docLine), docLine);
      }
      return true;
    }
    const asb = APP_BACKTRACE.exec(text);
    if (asb) {
      this.open(section('backtrace', asb[1]!, docLine));
      return true;
    }
    if (THREAD_STATE.test(text)) {
      this.close();
      this.phase = 'tail';
      return true;
    }
    if (IMAGES.test(text)) {
      this.close();
      this.phase = 'images';
      return true;
    }
    return false;
  }

  /** A Binary Images line: its name and path are kept to name the frames' modules' files. */
  private image(text: string): Feed {
    const m = IMAGE.exec(text);
    if (!m) return text.trim() === 'EOF' ? Feed.Take : Feed.End;
    let rest = m[1]!;
    if (rest.startsWith('+')) rest = rest.slice(1);
    const uuid = rest.indexOf(' <');
    const close = uuid >= 0 ? rest.indexOf('> ', uuid) : -1;
    if (close < 0) return Feed.Take;
    const path = rest.slice(close + 2).trim();
    let name = rest.slice(0, uuid).trim();
    if (name.endsWith(')')) {
      const open = openOfLastGroup(name);
      if (open > 0) name = name.slice(0, open).trim();
    }
    const sp = name.lastIndexOf(' ');
    if (sp > 0 && ARCH.test(name.slice(sp + 1))) name = name.slice(0, sp).trim();
    if (path.length > 0 && path !== '???') {
      if (!this.images.has(name)) this.images.set(name, path);
      const base = path.slice(path.lastIndexOf('/') + 1);
      if (!this.images.has(base)) this.images.set(base, path);
    }
    return Feed.Take;
  }

  /** Starts the report at a frame with no header above it (a pasted stack). */
  bare(p: AppleFrame, docLine: number): void {
    this.open(section('bare', '', docLine));
    this.cur!.lastIndex = p.index;
    this.addFrames([p.frame], docLine);
  }

  finish(): Trace[] {
    const f = this.fields;
    const excType = f['Exception Type'] ?? null;
    const codes = f['Exception Codes'];
    // Codes that are only numbers say nothing a reader would quote; `KERN_INVALID_ADDRESS at 0x0` does.
    const wordyCodes = codes !== undefined && /[G-WYZg-wyz_]/.test(codes) ? codes : undefined;
    const crashMessage =
      f['Exception Subtype'] ??
      f['Exception Reason'] ??
      f['Exception Message'] ??
      wordyCodes ??
      f['Termination Reason'] ??
      null;
    const terminating = terminatingIn(f['Application Specific Information']);
    const crashedIndex = /^\d{1,5}/.exec(f['Triggered by Thread'] ?? f['Crashed Thread'] ?? '')?.[0] ?? null;
    const explicit = this.sections.some((s) => s.crashed);
    const hasHeader = Object.keys(f).length > 0;

    const traces: Trace[] = [];
    for (const s of this.sections) {
      const crashed = s.crashed || (!explicit && s.kind === 'thread' && s.index === crashedIndex);
      let trace: Trace;
      if (s.kind === 'backtrace') {
        const type = terminating?.type ?? excType;
        const message = terminating ? terminating.message : crashMessage;
        trace = this.trace(s, 'exception', type, message);
        if (type === null && message === null) trace.title = s.label;
        trace.role = 'last-exception';
      } else if (crashed || s.kind === 'bare') {
        trace = this.trace(s, 'crash', excType, excType !== null ? crashMessage : null);
        if (excType === null) {
          trace.title =
            s.kind === 'bare' ? (s.frames[0]?.raw.replace(/\s+/g, ' ') ?? '') : `Thread ${s.index!} Crashed`;
        }
        if (s.kind === 'thread') {
          trace.thread = { name: s.name, id: s.index, state: 'crashed' };
          if (hasHeader) trace.thread.attrs = { ...f };
        }
      } else {
        // A thread with nothing under it is a mention, not a stack.
        if (s.frames.length === 0) continue;
        trace = this.trace(s, 'thread', null, null);
        trace.title = s.name ? `${s.label}: ${s.name}` : s.label;
        trace.thread = { name: s.name, id: s.index, state: null };
      }
      traces.push(trace);
    }
    if (traces.length === 0 && excType !== null) {
      const node = newNode(excType, crashMessage, this.start);
      node.span.end = this.headerEnd;
      traces.push({ ...node, format: 'apple', kind: 'crash' });
    }
    if (traces.length === 0) return [];
    // The report's header opens the span of its first trace (whichever section comes first).
    const first = traces[0]!;
    if (hasHeader) first.span.start = Math.min(first.span.start, this.start);
    if (this.images.size > 0) {
      for (const t of traces) {
        for (const fr of t.frames) {
          const path = fr.module !== null ? this.images.get(fr.module) : undefined;
          if (path !== undefined) fr.notes = [...(fr.notes ?? []), `image ${path}`];
        }
      }
    }
    for (const t of traces) closeSpans(t);
    return traces;
  }

  private trace(s: Section, kind: Trace['kind'], type: string | null, message: string | null): Trace {
    const node: TraceNode = newNode(type, message, s.start);
    node.span.end = s.end;
    node.frames = s.frames;
    return { ...node, format: 'apple', kind };
  }
}

export const appleParser: TraceParser = {
  name: 'apple',
  trigger:
    /^\s*(?:\d{1,5}[ \t]+\S.{0,200}?[ \t]0x[0-9a-fA-F]|Incident Identifier:|Process:[ \t]|Exception Type:|Last Exception Backtrace:|Thread \d{1,5}(?: Crashed| name)?:|\*\*\* First throw call stack:|\(0x[0-9a-fA-F]{1,16}[ )]|(?:Fatal error|Precondition failed|Assertion failed|fatal error):)/,
  scanTriggers: [
    { needle: TERMINATING, pattern: /^.*?\*\*\* Terminating app due to uncaught exception '/ },
    {
      needle: '.swift:',
      pattern:
        /^\s*(?:[A-Za-z]:)?[^:\s][^:]{0,400}:\d{1,9}: (?:Fatal error|Precondition failed|Assertion failed)/,
    },
  ],
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const text = line.text;
    const doc = line.docLine;
    const c = text.trimStart().charCodeAt(0);
    if (c >= 48 && c <= 57) {
      const p = parseAppleFrame(text, doc);
      if (p?.strong) {
        const builder = new ReportBuilder(doc);
        builder.bare(p, doc);
        return { score: 9, builder };
      }
    }
    const term = parseTerminating(text);
    if (term) return { score: 10, builder: new ConsoleBuilder(term, doc, term.closed ? 'head' : 'reason') };
    if (FIRST_THROW.test(text)) return { score: 10, builder: new ConsoleBuilder(null, doc, 'stack') };
    const err = parseRuntimeError(text, doc);
    if (err) return { score: err.score, builder: new RuntimeBuilder(err, doc) };
    const list = parseAddressList(text, false);
    if (list) {
      if (list.addresses.length < 3) return null;
      const builder = new ConsoleBuilder(null, doc, 'stack');
      builder.feed(line);
      return { score: 6, builder };
    }
    let score = 0;
    const trimmed = text.trimStart();
    if (trimmed.startsWith('Incident Identifier:')) score = 10;
    else if (trimmed.startsWith('Process:')) score = PROCESS.test(text) ? 9 : 0;
    else if (trimmed.startsWith('Exception Type:')) score = EXCEPTION_TYPE.test(text) ? 9 : 0;
    else if (LAST_EXCEPTION.test(text)) score = 10;
    else {
      const th = THREAD.exec(text);
      if (th) score = th[2] !== undefined ? 10 : 6;
      else if (THREAD_NAME.test(text)) score = 8;
    }
    if (score === 0) return null;
    const builder = new ReportBuilder(doc);
    if (trimmed.startsWith('Exception Type:')) {
      for (const l of fieldsAbove(ctx.history)) builder.field(l.text, l.docLine);
    }
    builder.feed(line);
    return { score, builder };
  },
};
