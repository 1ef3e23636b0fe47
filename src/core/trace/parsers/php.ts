// PHP stack traces as Exception::__toString and the fatal-error handler print them (`#0 file(12): f()`, `Next`
// chains, PHP 5's `exception 'X' with message`), Laravel's and Monolog's log rendering, and Xdebug's stack.

import { emptyFrame, type Frame, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { closeSpans, extendSpan, isBlank, newNode, titleOf, toInt } from './util';

/** `#12 ` then the frame's body. */
const FRAME = /^\s*#(\d{1,6}) (\S.*)$/s;
/** The call site in a frame's body: the first `(line): ` (an `eval()'d code(3): ` path has its own parentheses). */
const CALL_SITE = /\((\d{1,9})\): /;
const INTERNAL = '[internal function]: ';
const STACK_TRACE = /^\s*(?:PHP )?Stack trace:$|^\s*\[stacktrace\]$/;
/** `  thrown in /path/file.php on line 12`: the end of an uncaught exception's report. */
const THROWN = /^\s*thrown in .+ on line \d{1,9}$/;
/** Laravel's log record closes its context after the trace: `"} `. */
const LARAVEL_END = /^"\}(?: \[\])?$/;
/** PHP class names: `Exception`, `Symfony\Component\Debug\Exception\FatalThrowableError`. */
const CLASS = /^\\?[A-Za-z_][\w\\]{0,300}$/;
/** PHP 5: `exception 'RuntimeException' with message 'boom' in /path/x.php:12`. */
const PHP5 = /^exception '([^']{1,300})' with message '/;
/** A class that reads as an exception's when nothing else says so (`Note: see below` is not one). */
const EXCEPTION_NAME = /(?:Exception|Error|Throwable|Failure)$|\\/;
/** Xdebug: `PHP   2. foo() /path/x.php:7`, `    0.0002     393496   2. foo($a = 1) /path/x.php:7`. */
const XDEBUG = /^\s*(?:PHP\s+)?(?:\d+\.\d+\s+\d+\s+)?(\d{1,5})\. (\S.*)$/s;
/** A PHP error's own line: `PHP Fatal error:  Allowed memory size … in /x.php on line 12`. */
const PHP_ERROR = /(Fatal error|Warning|Notice|Parse error|Deprecated|Recoverable fatal error): +(.*)$/s;

interface Header {
  type: string | null;
  message: string | null;
  file: string | null;
  line: number | null;
}

/**
 * `Type: message in file:line` or `Type in file:line` (an empty message), as __toString writes it, or PHP 5's
 * `exception 'Type' with message '…' in file:line`. `bare`: no `Uncaught`/`Next` before it, so the type must
 * read as an exception's.
 */
function parseThrowable(text: string, bare: boolean): Header | null {
  const php5 = PHP5.exec(text);
  if (php5) {
    const rest = text.slice(php5[0].length);
    const end = rest.lastIndexOf("' in ");
    if (end < 0) return null;
    const loc = location(rest.slice(end + 5));
    return { type: php5[1]!, message: rest.slice(0, end), file: loc?.file ?? null, line: loc?.line ?? null };
  }
  const colon = text.indexOf(': ');
  const inFirst = text.indexOf(' in ');
  const hasMessage = colon >= 0 && (inFirst < 0 || colon < inFirst);
  const typeEnd = hasMessage ? colon : inFirst;
  if (typeEnd <= 0) return null;
  const type = text.slice(0, typeEnd);
  if (!CLASS.test(type) || (bare && !EXCEPTION_NAME.test(type))) return null;
  const inLast = text.lastIndexOf(' in ');
  const loc = inLast >= typeEnd ? location(text.slice(inLast + 4)) : null;
  if (!hasMessage && !loc) return null;
  const message = hasMessage ? text.slice(colon + 2, loc ? inLast : undefined) : null;
  return { type, message, file: loc?.file ?? null, line: loc?.line ?? null };
}

/** `file:12` at the end of a header or an Xdebug frame. */
function location(text: string): { file: string; line: number } | null {
  const at = text.lastIndexOf(':');
  if (at <= 0) return null;
  const digits = text.slice(at + 1);
  const line = toInt(digits);
  if (line === null || !/^\d+$/.test(digits)) return null;
  return { file: text.slice(0, at), line };
}

/** Laravel / Monolog: `[object] (Type(code: 0): message at /path/file.php:12)`. */
function parseObject(text: string): Header | null {
  const at = text.indexOf('[object] (');
  if (at < 0) return null;
  const body = text.slice(at + 10);
  const code = body.indexOf('(code: ');
  if (code <= 0) return null;
  const type = body.slice(0, code);
  if (!CLASS.test(type)) return null;
  const msgStart = body.indexOf('): ', code);
  if (msgStart < 0) return null;
  let rest = body.slice(msgStart + 3);
  if (rest.endsWith(')')) rest = rest.slice(0, -1);
  const where = rest.lastIndexOf(' at ');
  const loc = where >= 0 ? location(rest.slice(where + 4)) : null;
  return {
    type,
    message: loc ? rest.slice(0, where) : rest,
    file: loc?.file ?? null,
    line: loc?.line ?? null,
  };
}

/**
 * A header line (or the lines of one, joined): an uncaught exception after any prefix (`PHP Fatal error:  `,
 * `[date] `, nginx's `PHP message: `), a `Next` exception, a bare `Type: message in file:line`, Laravel's
 * `[object] (…)`, or a PHP error without an exception.
 */
export function parsePhpHeader(text: string): Header | null {
  const obj = parseObject(text);
  if (obj) return obj;
  const uncaught = text.indexOf('Uncaught ');
  if (uncaught >= 0) return parseThrowable(text.slice(uncaught + 9), false);
  const trimmed = text.trim();
  if (trimmed.startsWith('Next ')) return parseThrowable(trimmed.slice(5), false);
  const t = parseThrowable(trimmed, true);
  if (t) return t;
  const e = PHP_ERROR.exec(text);
  if (e) {
    const body = e[2]!;
    const on = body.lastIndexOf(' on line ');
    const inAt = on >= 0 ? body.lastIndexOf(' in ', on) : -1;
    const line = on >= 0 ? toInt(body.slice(on + 9)) : null;
    if (inAt >= 0 && line !== null) {
      return { type: e[1]!, message: body.slice(0, inAt), file: body.slice(inAt + 4, on), line };
    }
    return { type: e[1]!, message: body, file: null, line: null };
  }
  return null;
}

/** What is left of a JSON string's escaping in a laravel.log record that spans lines. */
function unescapeJson(s: string): string {
  return s.indexOf('\\') < 0 ? s : s.replace(/\\(["\\/])/g, '$1');
}

/** Index of the first `(` outside braces (PHP 8.4 names closures `{closure:App\Foo::bar():12}`). */
function callOpen(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125) depth--;
    else if (c === 40 && depth <= 0) return i;
  }
  return -1;
}

/** `fn(args)`, `fn` (Sentry drops the arguments) or `fn('cut` (a truncated line). */
function setCall(frame: Frame, call: string, json: boolean): void {
  const open = callOpen(call);
  if (open < 0) {
    frame.function = json ? unescapeJson(call) : call;
    return;
  }
  frame.function = json ? unescapeJson(call.slice(0, open)) : call.slice(0, open);
  const closed = call.endsWith(')');
  const args = call.slice(open + 1, closed ? -1 : undefined);
  frame.args = json ? unescapeJson(args) : args;
  if (!closed) frame.notes = ['truncated'];
}

/** Parses a `#N …` frame line; `cut` when the line ends before its call site (a truncated paste). */
export function parsePhpFrame(text: string, docLine: number, json = false): Frame | 'cut' | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  const body = m[2]!;
  const frame = emptyFrame(text.trim(), docLine);
  if (body === '{main}') {
    frame.function = '{main}';
    return frame;
  }
  if (body.startsWith(INTERNAL)) {
    setCall(frame, body.slice(INTERNAL.length), json);
    (frame.notes ??= []).unshift('internal function');
    return frame;
  }
  const site = CALL_SITE.exec(body);
  if (!site) {
    // `#6 /Users/dev/app/vendor...`: cut before its line. A gdb or C++ frame (`#0  0x…`) never reads as a path.
    return /^(?:[A-Za-z]:\\|\/|\.{0,2}[\w-]{1,80}[/\\])/.test(body) && !/^0x/.test(body) ? 'cut' : null;
  }
  const file = body.slice(0, site.index);
  if (file.length === 0) return null;
  frame.file = json ? unescapeJson(file) : file;
  frame.line = toInt(site[1]);
  setCall(frame, body.slice(site.index + site[0].length), json);
  return frame;
}

/** An Xdebug frame: `2. foo($a = 1) /path/x.php:7`. */
function parseXdebugFrame(text: string, docLine: number): Frame | null {
  const m = XDEBUG.exec(text);
  if (!m) return null;
  const body = m[2]!;
  const end = body.lastIndexOf(') ');
  if (end < 0) return null;
  const loc = location(body.slice(end + 2));
  if (!loc) return null;
  const frame = emptyFrame(text.trim(), docLine);
  setCall(frame, body.slice(0, end + 1), false);
  frame.file = loc.file;
  frame.line = loc.line;
  return frame;
}

function nodeFor(h: Header | null, lines: readonly LogicalLine[], json: boolean): TraceNode {
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  const un = (s: string | null): string | null => (s !== null && json ? unescapeJson(s) : s);
  const node = newNode(un(h?.type ?? null), un(h?.message ?? null), first.docLine);
  extendSpan(node.span, last.docLine);
  if (h?.file) {
    const site = emptyFrame(lines.map((l) => l.text.trim()).join('\n'), last.docLine);
    site.file = un(h.file);
    site.line = h.line;
    site.notes = ['throw site'];
    node.frames.push(site);
  }
  return node;
}

/** Whether a header's lines hold a JSON-encoded log record (laravel.log), so that frames are unescaped. */
function isJson(lines: readonly LogicalLine[]): boolean {
  return lines.some((l) => l.text.indexOf('"exception":"') >= 0);
}

class PhpBuilder implements TraceBuilder {
  /** Nodes in document order. */
  private readonly nodes: TraceNode[] = [];
  private current: TraceNode;
  /** PHP's own `Next` chains print the innermost first; Laravel's `[previous exception]` the outermost. */
  private innermostFirst = true;
  /** Lines of a header being read (`Next …`, `[previous exception] …`), until its `Stack trace:` line. */
  private headerLines: LogicalLine[] | null = null;
  /** A frame cut before its call site: the next line may hold the rest (a wrap inserted when it was stored). */
  private cut: LogicalLine | null = null;
  private done = false;
  private blanks = 0;

  constructor(
    first: TraceNode,
    private readonly json: boolean,
  ) {
    this.current = first;
    this.nodes.push(first);
  }

  addFrame(frame: Frame): void {
    this.current.frames.push(frame);
    extendSpan(this.current.span, frame.docLine);
  }

  /** Handles a line that may be a frame; false if it is not one. */
  frameLine(line: LogicalLine): boolean {
    const f = parsePhpFrame(line.text, line.docLine, this.json);
    if (f === null) return false;
    this.cut = null;
    if (f === 'cut') {
      this.cut = line;
      extendSpan(this.current.span, line.docLine);
    } else this.addFrame(f);
    return true;
  }

  private openHeader(lines: LogicalLine[], previous: boolean): boolean {
    const h = parsePhpHeader(lines.map((l) => l.text.trim()).join('\n'));
    if (!h) return false;
    const node = nodeFor(h, lines, this.json);
    if (previous) this.innermostFirst = false;
    this.nodes.push(node);
    this.current = node;
    return true;
  }

  feed(line: LogicalLine): Feed {
    if (this.done) return Feed.End;
    const text = line.text;
    if (this.cut) {
      const cut = this.cut;
      this.cut = null;
      // Only across a real line break: pieces of one JSON-escaped line were split at an escape, not wrapped.
      if (line.docLine > cut.docLine && !FRAME.test(text) && !isBlank(text)) {
        const joined = parsePhpFrame(cut.text + text.trim(), cut.docLine, this.json);
        if (joined && joined !== 'cut') {
          this.addFrame(joined);
          extendSpan(this.current.span, line.docLine);
          return Feed.Take;
        }
      }
    }
    if (this.headerLines) {
      if (STACK_TRACE.test(text) || FRAME.test(text)) {
        const lines = this.headerLines;
        this.headerLines = null;
        const previous = lines[0]!.text.indexOf('[previous exception]') >= 0;
        if (!this.openHeader(lines, previous)) return Feed.End;
        if (STACK_TRACE.test(text)) {
          extendSpan(this.current.span, line.docLine);
          return Feed.Take;
        }
      } else if (this.headerLines.length < 30 && !isBlank(text)) {
        this.headerLines.push(line);
        return Feed.Hold;
      } else return Feed.End;
    }
    if (this.frameLine(line)) {
      this.blanks = 0;
      return Feed.Take;
    }
    if (isBlank(text)) {
      // One blank line separates a `Next` exception from the one before it.
      return ++this.blanks > 2 ? Feed.End : Feed.Hold;
    }
    this.blanks = 0;
    const trimmed = text.trim();
    if (STACK_TRACE.test(text)) {
      extendSpan(this.current.span, line.docLine);
      return Feed.Take;
    }
    if (THROWN.test(text)) {
      extendSpan(this.current.span, line.docLine);
      this.done = true;
      return Feed.Take;
    }
    if (LARAVEL_END.test(trimmed)) {
      extendSpan(this.current.span, line.docLine);
      this.done = true;
      return Feed.Take;
    }
    if (trimmed.startsWith('Next ') || trimmed.startsWith('[previous exception] ')) {
      this.headerLines = [line];
      return Feed.Hold;
    }
    return Feed.End;
  }

  finish(): Trace[] {
    // The thrown exception is the trace's top; the ones it wraps hang off it as causes, like Java's.
    const order = this.innermostFirst ? [...this.nodes].reverse() : this.nodes;
    const root = order[0]!;
    for (let i = 1; i < order.length; i++) {
      const c = order[i]!;
      c.relation = 'cause';
      order[i - 1]!.causes.push(c);
    }
    closeSpans(root);
    return [{ ...root, format: 'php', kind: 'exception' }];
  }
}

/** Xdebug lists the outermost call (`{main}`) first. */
class XdebugBuilder implements TraceBuilder {
  constructor(private readonly node: TraceNode) {}

  feed(line: LogicalLine): Feed {
    const f = parseXdebugFrame(line.text, line.docLine);
    if (!f) return Feed.End;
    this.node.frames.push(f);
    extendSpan(this.node.span, line.docLine);
    return Feed.Take;
  }

  finish(): Trace[] {
    const site = this.node.frames.filter((f) => f.notes?.[0] === 'throw site');
    const calls = this.node.frames.filter((f) => f.notes?.[0] !== 'throw site').reverse();
    this.node.frames = [...site, ...calls];
    closeSpans(this.node);
    return [{ ...this.node, format: 'php', kind: 'exception' }];
  }
}

/**
 * The header above the first frame, with its `Stack trace:` line: the lines from the one that starts the
 * header to the one above `Stack trace:` (a message can span lines). Without a `Stack trace:` line (Sentry's
 * raw view), only the line right above the frame.
 */
function findHeader(history: readonly LogicalLine[], docLine: number): LogicalLine[] | null {
  let i = history.length - 1;
  const last = history[i];
  if (!last || last.docLine < docLine - 1) return null;
  if (!STACK_TRACE.test(last.text)) {
    return parsePhpHeader(last.text) ? [last] : null;
  }
  i--;
  const lines: LogicalLine[] = [];
  let below = last.docLine;
  for (let n = 0; i >= 0 && n < 12; i--, n++) {
    const l = history[i]!;
    // The history skips lines another trace claimed: a header must sit right above.
    if (l.docLine < below - 1 || isBlank(l.text) || FRAME.test(l.text)) return null;
    below = l.docLine;
    lines.unshift(l);
    if (parsePhpHeader(lines.map((x) => x.text.trim()).join('\n'))) {
      // The nearest line that reads as a header's start on its own wins over a longer join.
      if (parsePhpHeader(l.text)) return lines;
    }
  }
  return null;
}

export const phpParser: TraceParser = {
  name: 'php',
  // The call site must be on the line: `#0 C:\Users\x\Desktop` alone (a Windows path whose `\repos` was taken
  // for a JSON escape and split there) is no frame.
  trigger: /^\s*#\d{1,6} (?:\[internal function\]|\{main\}|.{1,2000}?\(\d{1,9}\): )/,
  scanTriggers: [{ needle: '{main}()', pattern: /^.{0,80}?\d{1,5}\. \{main\}\(\) / }],
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const text = line.text;
    const x = parseXdebugFrame(text, line.docLine);
    if (x && x.function === '{main}') {
      const above = ctx.history[ctx.history.length - 1];
      const twoUp = ctx.history[ctx.history.length - 2];
      let node: TraceNode;
      const adjacent = above?.docLine === line.docLine - 1 && twoUp?.docLine === line.docLine - 2;
      if (adjacent && STACK_TRACE.test(above.text) && parsePhpHeader(twoUp.text)) {
        node = nodeFor(parsePhpHeader(twoUp.text), [twoUp], false);
        extendSpan(node.span, above.docLine);
      } else {
        node = newNode(null, null, line.docLine);
        node.title = titleOf(null, text.trim());
      }
      const builder = new XdebugBuilder(node);
      builder.feed(line);
      return { score: 9, builder };
    }
    const f = parsePhpFrame(text, line.docLine);
    if (f === null || f === 'cut') return null;
    const found = findHeader(ctx.history, line.docLine);
    const json = found ? isJson(found) : false;
    let node: TraceNode;
    if (found) {
      node = nodeFor(parsePhpHeader(found.map((l) => l.text.trim()).join('\n')), found, json);
      const st = ctx.history[ctx.history.length - 1]!;
      extendSpan(node.span, st.docLine);
    } else {
      node = newNode(null, null, line.docLine);
      node.title = titleOf(null, text.trim());
    }
    const builder = new PhpBuilder(node, json);
    builder.frameLine(line);
    // `#0 /path/x.php(12): f()` is unmistakable; `[internal function]` nearly so; `{main}` alone is weak.
    const score = f.file !== null ? 10 : f.notes?.[0] === 'internal function' ? 9 : found ? 7 : 3;
    return { score, builder };
  },
};
