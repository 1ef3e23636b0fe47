// JavaScript stacks: V8's `Error.stack` as Node.js and Chrome print it (`node`), and SpiderMonkey / JavaScriptCore
// `fn@url:line:col` stacks plus Firefox DevTools console copies (`gecko`).

import { emptyFrame, type Frame, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import {
  addNote,
  appendMessage,
  closeSpans,
  extendSpan,
  indentOf,
  isBlank,
  newNode,
  openingParen,
  titleOf,
  toInt,
} from './util';

const AT = /^\s*at[ \t]+/;
/** `[Uncaught [(in promise) ]]Type[ [ERR_CODE]][: message]`, the first line of a V8 stack or a console headline. */
const HEADER =
  /^(?:Uncaught (?:\(in promise\) )?)?([A-Z][\w$]{0,100}(?: \[[^\]\s]{1,100}\])?)(?::(?: (.*))?)?$/;
/** XPCOM's `[Exception... "message"  nsresult: "0x80004005 (NS_ERROR_FAILURE)" …]`. */
const XPCOM = /^\[Exception\.\.\. "([^"]*)"\s+nsresult: "([^"]*)"/;
const CAUSE = /^\s*\[cause\]: (.*)$/;
const ERRORS = /^(\s*)\[errors\]: \[$/;
const OMITTED = /^\s*\.\.\. (\d+) lines? matching cause stack trace \.\.\.$/;
const EMITTED = /^\s*Emitted '([^']*)' event(?: on (.+?))? at:$/;
const CARET = /^\s*\^+$/;
const WASM = /^(.+):wasm-function\[(\d+)\]:(0x[0-9a-fA-F]+)$/;
/** A Rust backtrace's numbered frame line, whose `at file:line:col` continuation is not a V8 frame. */
const RUST_FRAME = /^\s*\d+: /;
/** valgrind's `at 0x4C2FB0F: malloc (vg_replace_malloc.c:299)` once its `==pid==` prefix is gone. */
const VALGRIND = /^0x[0-9a-fA-F]+:/;
const ASYNC_ROW = /^\s*\(Async: ([^)]*)\)$/;
const SPACES = / +/;

/** Script names that contain spaces although they are not paths. */
const PSEUDO_FILES = new Set(['<anonymous code>', 'debugger eval code']);
const SAFARI_NAMES = new Set(['global code', 'eval code', 'module code']);

// ---------------------------------------------------------------------------------------------------------------
// Locations

interface Location {
  file: string;
  line: number | null;
  column: number | null;
}

/** Index of the `:` before a run of 1–9 digits that ends `s`, or -1. */
function trailingNumber(s: string): number {
  let i = s.length;
  while (i > 0 && s.charCodeAt(i - 1) >= 48 && s.charCodeAt(i - 1) <= 57) i--;
  const digits = s.length - i;
  return digits >= 1 && digits <= 9 && i > 0 && s.charCodeAt(i - 1) === 58 ? i - 1 : -1;
}

/** Splits `file:line:col`, `file:line` or `file` from the end, so `C:\x.js:1:2` and `https://h:80/x.js:1:2` work. */
function splitLocation(loc: string): Location {
  let file = loc;
  let line: number | null = null;
  let column: number | null = null;
  const a = trailingNumber(file);
  if (a >= 0) {
    const n = toInt(file.slice(a + 1));
    file = file.slice(0, a);
    const b = trailingNumber(file);
    if (b >= 0) {
      line = toInt(file.slice(b + 1));
      column = n;
      file = file.slice(0, b);
    } else {
      line = n;
    }
  }
  return { file, line, column };
}

/** A script URL always has a path: `https://localhost:9080` is a URL cut short, not `https://localhost` line 9080. */
function plausibleFile(file: string): boolean {
  if (file.length === 0) return false;
  const scheme = file.indexOf('://');
  return scheme < 0 || file.indexOf('/', scheme + 3) >= 0;
}

/** Evidence that a location names a script rather than something else followed by a number. */
function pathLike(file: string): boolean {
  return file.includes('/') || file.includes('\\') || PSEUDO_FILES.has(file) || file === '<anonymous>';
}

/** The package a path names literally (`…/node_modules/@scope/pkg/…`, the innermost one), or null. */
function packageOf(file: string): string | null {
  const i = Math.max(file.lastIndexOf('node_modules/'), file.lastIndexOf('node_modules\\'));
  if (i < 0) return null;
  const parts = file.slice(i + 13).split(/[\\/]/);
  const first = parts[0]!;
  // npm names never start with `.` or `_`: `node_modules/.vite/deps/…` is a tool's cache, not a package.
  if (first.length === 0 || first.startsWith('.') || first.startsWith('_')) return null;
  if (first.startsWith('@')) return parts.length >= 3 && parts[1] ? `${first}/${parts[1]}` : null;
  return parts.length >= 2 ? first : null;
}

function setLocation(frame: Frame, loc: Location): void {
  frame.file = loc.file;
  frame.line = loc.line;
  frame.column = loc.column;
  frame.module = packageOf(loc.file);
}

// ---------------------------------------------------------------------------------------------------------------
// Headers

interface Header {
  type: string | null;
  message: string | null;
  /** The type reads as an error class (`…Error`, `…Exception`) or the line is an XPCOM exception. */
  strong: boolean;
}

function errorLike(type: string): boolean {
  const name = type.split(' ', 1)[0]!;
  return name.endsWith('Error') || name.endsWith('Exception');
}

function headerAt(text: string): Header | null {
  const m = HEADER.exec(text);
  if (!m) return null;
  return { type: m[1]!, message: m[2] ?? null, strong: errorLike(m[1]!) };
}

/**
 * Reads a stack's first line. Wrappers in front of the real header are skipped when what follows a `: ` reads as
 * an error: `(node:123) UnhandledPromiseRejectionWarning: TypeError: …`, an app's `Stack: TypeError: …`.
 */
export function parseJsHeader(line: string): Header | null {
  const text = line.trim();
  const x = XPCOM.exec(text);
  if (x) {
    const result = x[2]!;
    const open = result.lastIndexOf('(');
    const name = open >= 0 && result.endsWith(')') ? result.slice(open + 1, -1) : result;
    return { type: name || null, message: x[1]!, strong: true };
  }
  const h = headerAt(text);
  if (h?.strong) return h;
  let from = 0;
  for (let n = 0; n < 4; n++) {
    const p = text.indexOf(': ', from);
    if (p < 0 || p > 300) break;
    const inner = headerAt(text.slice(p + 2));
    if (inner?.strong) return inner;
    from = p + 2;
  }
  return h;
}

/** Jest / Babel code frames (`  3 | foo();`, `> 4 |`, `    |   ^`) between a message and its frames. */
function isCodeFrame(text: string): boolean {
  let t = text.trimStart();
  if (t.startsWith('>')) t = t.slice(1).trimStart();
  let i = 0;
  while (i < t.length && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
  return t.slice(i).trimStart().startsWith('|');
}

interface Found {
  header: Header;
  line: LogicalLine;
  /** Index of the header line in the history. */
  index: number;
  /** Lines between the header and the frames that continue the message. */
  message: LogicalLine[];
  /** The last line above the frames that belongs to the header block. */
  last: LogicalLine;
}

/**
 * Finds the header above a stack's first frame: the nearest line that reads as an error (with the lines between
 * as the rest of a multi-line message, blank lines allowed as Node's assertion messages have them), else the line
 * right above the frames (one blank line between allowed) if it reads as `Name: message`.
 */
function findHeader(history: readonly LogicalLine[], isFrame: (text: string) => boolean): Found | null {
  const below: LogicalLine[] = [];
  let blanks = 0;
  for (let i = history.length - 1, n = 0; i >= 0 && n < 16; i--, n++) {
    const l = history[i]!;
    if (isBlank(l.text)) {
      if (++blanks > 2) break;
      below.unshift(l);
      continue;
    }
    blanks = 0;
    if (isFrame(l.text)) break;
    const h = parseJsHeader(l.text);
    if (h?.strong) {
      const message = below.filter((b) => !isBlank(b.text) && !isCodeFrame(b.text));
      const last = below.filter((b) => !isBlank(b.text)).pop() ?? l;
      return { header: h, line: l, index: i, message, last };
    }
    below.unshift(l);
  }
  let j = history.length - 1;
  if (j >= 0 && isBlank(history[j]!.text)) j--;
  const l = history[j];
  if (!l || isBlank(l.text) || isFrame(l.text)) return null;
  const h = parseJsHeader(l.text);
  return h ? { header: h, line: l, index: j, message: [], last: l } : null;
}

/** The root node from a found header, or a headerless one titled by the first frame. */
function rootFrom(found: Found | null, first: LogicalLine): TraceNode {
  if (!found) {
    const root = newNode(null, null, first.docLine);
    root.title = titleOf(null, first.text.trim());
    return root;
  }
  const root = newNode(found.header.type, found.header.message, found.line.docLine);
  extendSpan(root.span, found.last.docLine);
  for (const l of found.message) appendMessage(root, l.text.trim());
  return root;
}

// ---------------------------------------------------------------------------------------------------------------
// V8 frames

interface V8Frame {
  frame: Frame;
  /** The line ended with ` {`: util.inspect prints the error's own properties after the stack. */
  opens: boolean;
  /** How sure a first frame makes us (see begin). */
  score: number;
}

function count(s: string, code: number): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === code) n++;
  return n;
}

/** What is inside a V8 frame's parentheses: `file:line:col`, `native`, `<anonymous>`, `index 0`, `eval at …`. */
function parenLocation(frame: Frame, loc: string): number {
  if (loc === 'native') {
    addNote(frame, 'native');
    return 6;
  }
  if (loc === '<anonymous>' || loc === 'unknown location') {
    addNote(frame, loc);
    return 6;
  }
  if (loc.startsWith('index ') && toInt(loc.slice(6)) !== null) {
    addNote(frame, loc);
    return 6;
  }
  if (loc.startsWith('eval at ')) {
    // `eval at f (file:1:2), <anonymous>:1:1`: the innermost parentheses hold where the eval was called
    // from, which is a real file; the position inside the evaluated code goes to the notes.
    addNote(frame, 'eval');
    const close = loc.indexOf(')');
    const open = close >= 0 ? loc.lastIndexOf('(', close) : -1;
    const comma = loc.lastIndexOf('), ');
    if (comma >= 0) addNote(frame, `eval code ${loc.slice(comma + 3)}`);
    if (open >= 0) {
      const inner = splitLocation(loc.slice(open + 1, close));
      if (inner.line !== null && plausibleFile(inner.file)) setLocation(frame, inner);
    }
    return 8;
  }
  const wasm = WASM.exec(loc);
  if (wasm) {
    frame.file = wasm[1]!;
    frame.offset = wasm[3]!;
    addNote(frame, `wasm-function[${wasm[2]!}]`);
    return 8;
  }
  const l = splitLocation(loc);
  if (l.line === null || !plausibleFile(l.file)) return 0;
  setLocation(frame, l);
  return l.column !== null ? 10 : 8;
}

/**
 * Parses a V8 frame line, or returns null. Java (`at a.B.c(B.java:1)`, no space before the parenthesis) and
 * .NET (`at A.B() in x.cs:line 3`) frames are not V8 frames.
 */
export function parseV8Frame(text: string, docLine: number, inProps = false): V8Frame | null {
  const at = AT.exec(text);
  if (!at) return null;
  let body = text.slice(at[0].length).trim();
  let opens = false;
  if (body.endsWith(' {')) {
    body = body.slice(0, -2).trimEnd();
    opens = true;
  } else if (inProps && body.endsWith(',')) {
    body = body.slice(0, -1);
  }
  const frame = emptyFrame(text.trim(), docLine);
  let score: number;
  if (body.endsWith(')')) {
    const open = openingParen(body);
    if (open <= 0 || body.charCodeAt(open - 1) !== 32) return null;
    let fn = body.slice(0, open).trim();
    if (fn.startsWith('async ')) {
      addNote(frame, 'async');
      fn = fn.slice(6).trim();
    }
    if (fn.startsWith('new ')) {
      addNote(frame, 'constructor');
      fn = fn.slice(4).trim();
    }
    if (fn.endsWith(']')) {
      const alias = fn.lastIndexOf(' [as ');
      if (alias > 0) {
        addNote(frame, fn.slice(alias + 2, -1));
        fn = fn.slice(0, alias);
      }
    }
    if (fn.length === 0 || VALGRIND.test(fn)) return null;
    frame.function = fn;
    score = parenLocation(frame, body.slice(open + 1, -1));
    if (score === 0) return null;
  } else {
    // `at file:line:col`: an anonymous function. A `(` without its `)` is a frame cut mid-line: dropped.
    if (body.startsWith('async ')) {
      addNote(frame, 'async');
      body = body.slice(6).trim();
    }
    if (count(body, 40) > count(body, 41)) return null;
    if (body === '<anonymous>') {
      addNote(frame, '<anonymous>');
      return { frame, opens, score: 0 };
    }
    const l = splitLocation(body);
    if (l.line === null || !plausibleFile(l.file)) return null;
    setLocation(frame, l);
    score = l.column === null ? 0 : pathLike(l.file) ? 9 : 7;
  }
  return { frame, opens, score };
}

// ---------------------------------------------------------------------------------------------------------------
// The V8 builder

class NodeBuilder implements TraceBuilder {
  private readonly root: TraceNode;
  private current: TraceNode;
  /** Open `{` / `[` of a util.inspect property block printed after the stack (`{ code: 'X', [cause]: … }`). */
  private depth = 0;
  private propLines = 0;
  /** The node whose `[errors]: [` array (AggregateError) is open, and that line's indentation. */
  private errors: { node: TraceNode; indent: number } | null = null;
  /** `Emitted 'error' event on Socket instance at:`: the frames after it say where the event was emitted. */
  private emitted: string | null = null;

  constructor(root: TraceNode) {
    this.root = root;
    this.current = root;
  }

  add(parsed: V8Frame): void {
    if (this.emitted !== null) addNote(parsed.frame, this.emitted);
    this.current.frames.push(parsed.frame);
    if (parsed.opens) this.depth++;
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (isBlank(text)) return Feed.Hold;
    const parsed = parseV8Frame(text, line.docLine, this.depth > 0);
    if (parsed) {
      this.add(parsed);
      return Feed.Take;
    }
    const omitted = OMITTED.exec(text);
    if (omitted) {
      this.current.omittedFrames = (this.current.omittedFrames ?? 0) + (toInt(omitted[1]) ?? 0);
      extendSpan(this.current.span, line.docLine);
      return Feed.Take;
    }
    const cause = CAUSE.exec(text);
    if (cause) {
      let rest = cause[1]!;
      const opens = rest.endsWith(' {') || rest === '{';
      if (opens) rest = rest.slice(0, -1).trimEnd();
      const h = parseJsHeader(rest);
      if (h) {
        const node = newNode(h.type, h.message, line.docLine);
        node.relation = 'cause';
        this.current.causes.push(node);
        this.current = node;
      }
      if (opens) this.depth++;
      extendSpan(this.current.span, line.docLine);
      return Feed.Take;
    }
    const emitted = EMITTED.exec(text);
    if (emitted && this.depth === 0) {
      this.emitted = `emitted '${emitted[1]!}' event${emitted[2] ? ` on ${emitted[2]}` : ''}`;
      extendSpan(this.current.span, line.docLine);
      return Feed.Take;
    }
    if (this.depth > 0 && this.propLines++ < 500) {
      this.property(text, line.docLine);
      return Feed.Take;
    }
    return Feed.End;
  }

  /** A line of the property block: braces are counted, AggregateError's `[errors]` become inner nodes. */
  private property(text: string, docLine: number): void {
    const t = text.trim();
    const indent = indentOf(text);
    const errors = ERRORS.exec(text);
    if (errors) {
      this.errors = { node: this.current, indent };
      this.depth++;
    } else if (this.errors && indent > this.errors.indent && !t.startsWith(']')) {
      const h = parseJsHeader(t.endsWith(' {') ? t.slice(0, -2) : t);
      if (h?.strong) {
        const node = newNode(h.type, h.message, docLine);
        node.relation = 'inner';
        this.errors.node.causes.push(node);
        this.current = node;
      }
    }
    if (t.startsWith('}') || t.startsWith(']')) {
      this.depth--;
      if (this.errors && t.startsWith(']') && indent <= this.errors.indent) {
        this.current = this.errors.node;
        this.errors = null;
      }
    }
    if (!errors && (t.endsWith('{') || t.endsWith('['))) this.depth++;
    extendSpan(this.current.span, docLine);
  }

  finish(): Trace[] {
    closeSpans(this.root);
    return [{ ...this.root, format: 'node', kind: 'exception' }];
  }
}

/**
 * Node's uncaught-exception preamble above the header: `/path/index.js:9`, the source line, a caret line and a
 * blank line. It is part of the trace (the span starts at the `path:line` line); its source line becomes the
 * `source` of the first frame when that frame is the same file and line.
 */
function preamble(history: readonly LogicalLine[], headerIndex: number, root: TraceNode): void {
  let i = headerIndex - 1;
  if (i >= 0 && isBlank(history[i]!.text)) i--;
  const caret = history[i];
  const source = history[i - 1];
  const where = history[i - 2];
  if (!caret || !source || !where || !CARET.test(caret.text) || isBlank(source.text)) return;
  const loc = splitLocation(where.text.trim());
  if (loc.line === null || loc.column !== null || loc.file.length === 0) return;
  extendSpan(root.span, where.docLine);
  const first = root.frames[0];
  if (first && first.file === loc.file && first.line === loc.line) first.source = source.text;
}

function isV8Frame(text: string): boolean {
  return parseV8Frame(text, 0) !== null;
}

export const nodeParser: TraceParser = {
  name: 'node',
  trigger: /^\s*at[ \t]/,
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const parsed = parseV8Frame(line.text, line.docLine);
    if (!parsed || parsed.score === 0) return null;
    const prev = ctx.history[ctx.history.length - 1];
    if (!line.text.includes('(') && prev && RUST_FRAME.test(prev.text)) return null;
    const found = findHeader(ctx.history, isV8Frame);
    const root = rootFrom(found, line);
    const builder = new NodeBuilder(root);
    builder.add(parsed);
    if (found) preamble(ctx.history, found.index, root);
    // A header that reads as an error makes a weaker first frame (`at foo (native)`) convincing.
    const score = found?.header.strong ? Math.max(parsed.score, 8) : parsed.score;
    return { score, builder };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// SpiderMonkey / JavaScriptCore `Error.stack`

/** A file after `@` or in a console row: no spaces, unless it is a pseudo name or an eval chain (`a.js line 2 > eval`). */
function geckoFile(file: string): boolean {
  if (!plausibleFile(file)) return false;
  if (!file.includes(' ')) return true;
  return PSEUDO_FILES.has(file) || file.includes(' > ');
}

/** Parses `fn@url:line:col` (Firefox, Safari), or returns null. Async frames read `promise callback*fn@…`. */
export function parseGeckoFrame(text: string, docLine: number): Frame | null {
  const t = text.trim();
  const at = t.indexOf('@');
  if (at < 0) return null;
  let fn = t.slice(0, at);
  const loc = t.slice(at + 1);
  const frame = emptyFrame(t, docLine);
  const star = fn.indexOf('*');
  if (star >= 0) {
    const cause = fn.slice(0, star);
    addNote(frame, 'async');
    if (cause !== 'async') addNote(frame, cause);
    fn = fn.slice(star + 1);
  }
  if (fn.includes(' ') ? !SAFARI_NAMES.has(fn) : fn.includes('\t') || fn.includes(':')) return null;
  frame.function = fn || null;
  if (loc === '[native code]') {
    addNote(frame, 'native');
    return frame;
  }
  const l = splitLocation(loc);
  if (l.line === null || !geckoFile(l.file)) return null;
  setLocation(frame, l);
  return frame;
}

/** A Firefox console location: `url:line[:col]`, one token, or a pseudo name such as `<anonymous code>`. */
function consoleLocation(text: string): Location | null {
  const l = splitLocation(text);
  return l.line !== null && geckoFile(l.file) ? l : null;
}

/**
 * Parses Firefox console rows, `fn url:line`: one per line, or several on one line when a paste flattened them.
 * A pair cut off at the end of the line is dropped; anything else that is not a pair rejects the line.
 */
export function parseConsoleRows(text: string, docLine: number): Frame[] | null {
  const tokens = text.trim().split(SPACES);
  const frames: Frame[] = [];
  let i = 0;
  while (i < tokens.length) {
    const fn = tokens[i]!;
    if (fn === 'at' || fn.length === 0) return null;
    let loc: Location | null = null;
    let j = i + 1;
    for (; j < tokens.length && j <= i + 5; j++) {
      loc = consoleLocation(tokens.slice(i + 1, j + 1).join(' '));
      if (loc) break;
    }
    if (!loc) {
      if (frames.length > 0 && tokens.length - i <= 2) break;
      return null;
    }
    const frame = emptyFrame(tokens.slice(i, j + 1).join(' '), docLine);
    frame.function = fn === '<anonymous>' ? null : fn;
    setLocation(frame, loc);
    frames.push(frame);
    i = j + 1;
  }
  return frames.length ? frames : null;
}

/** A row of the console format that reads as a script location, which is what begin() needs to see. */
function convincingRows(frames: readonly Frame[]): boolean {
  return frames.every((f) => f.file !== null && (pathLike(f.file) || f.file.includes('://')));
}

class GeckoBuilder implements TraceBuilder {
  private readonly root: TraceNode;
  private readonly console: boolean;
  /** Firefox's console prints a first block, the throw location alone on a line, then the whole stack again. */
  private location: Location | null = null;
  private second: Frame[] | null = null;
  private asyncNote: string | null = null;

  constructor(root: TraceNode, console: boolean) {
    this.root = root;
    this.console = console;
  }

  add(frames: Frame[]): void {
    const into = this.second ?? this.root.frames;
    for (const f of frames) {
      if (this.asyncNote !== null) {
        addNote(f, 'async');
        addNote(f, this.asyncNote);
        this.asyncNote = null;
      }
      into.push(f);
    }
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (isBlank(text)) return Feed.Hold;
    if (!this.console) {
      const f = parseGeckoFrame(text, line.docLine);
      if (!f) return Feed.End;
      this.add([f]);
      return Feed.Take;
    }
    const asyncRow = ASYNC_ROW.exec(text);
    if (asyncRow) {
      this.asyncNote = asyncRow[1]!;
      extendSpan(this.root.span, line.docLine);
      return Feed.Take;
    }
    if (this.second === null && this.root.frames.length > 0) {
      const loc = consoleLocation(text.trim());
      if (loc && loc.column !== null && indentOf(text) === 0) {
        this.location = loc;
        this.second = [];
        extendSpan(this.root.span, line.docLine);
        return Feed.Take;
      }
    }
    const rows = parseConsoleRows(text, line.docLine);
    if (!rows) return Feed.End;
    this.add(rows);
    return Feed.Take;
  }

  finish(): Trace[] {
    const root = this.root;
    const second = this.second;
    if (second && second.length > 0) {
      // The block above the location line repeats the start of the one below it: a reader sees one stack.
      const same = (a: Frame, b: Frame): boolean =>
        a.function === b.function && a.file === b.file && a.line === b.line;
      const first = root.frames;
      const prefix = first.length <= second.length && first.every((f, i) => same(f, second[i]!));
      root.frames = prefix ? second : [...first, ...second];
    }
    const top = root.frames[0];
    const loc = this.location;
    if (top && loc && top.file === loc.file && top.line === loc.line && top.column === null) {
      top.column = loc.column;
    }
    closeSpans(root);
    return [{ ...root, format: 'gecko', kind: 'exception' }];
  }
}

function isGeckoFrame(text: string): boolean {
  return parseGeckoFrame(text, 0) !== null || parseConsoleRows(text, 0) !== null;
}

export const geckoParser: TraceParser = {
  name: 'gecko',
  // Console rows (`    fn url:12`) are indented; `fn@url:1:2` stacks are found through their `@`.
  trigger: /^\s+\S+ \S+(?: \S+)?:\d+(?::\d+)?(?: |$)/,
  scanTriggers: [{ needle: '@', pattern: /^[^@]*@.*[\d\]]$/ }],
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const frame = parseGeckoFrame(line.text, line.docLine);
    if (frame) {
      // `bob@example.com:25` is not a frame: a first frame needs line and column (Firefox and Safari print
      // both), or `[native code]` under a headline that reads as an error.
      const found = findHeader(ctx.history, isGeckoFrame);
      let score = 0;
      if (frame.column !== null) score = frame.file && pathLike(frame.file) ? 9 : 7;
      else if (frame.file === null && found?.header.strong) score = 5;
      if (score === 0) return null;
      const builder = new GeckoBuilder(rootFrom(found, line), false);
      builder.add([frame]);
      return { score, builder };
    }
    const rows = parseConsoleRows(line.text, line.docLine);
    if (!rows || !convincingRows(rows)) return null;
    // One `fn url:line` row is common enough in ordinary logs that it needs a headline that reads as an error
    // right above it; a line of several such pairs is a flattened console copy.
    const found = findHeader(ctx.history, isGeckoFrame);
    const near = found && found.last === ctx.history[found.index] && found.index >= ctx.history.length - 2;
    if (!(near && found.header.strong) && rows.length < 3) return null;
    const builder = new GeckoBuilder(rootFrom(near ? found : null, line), true);
    builder.add(rows);
    return { score: near ? 7 : 5, builder };
  },
};
