// Python tracebacks as the interpreter, the logging module and IPython/Jupyter print them: chained exceptions,
// SyntaxError locations, 3.11+ caret lines, exception groups, and pastes that lost their indentation.

import { emptyFrame, type Frame, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { appendMessage, extendSpan, indentOf, isBlank, newNode, titleOf, toInt } from './util';

/** `Traceback (most recent call last):`, also the header of an exception group (`Exception Group Traceback`). */
const TRACEBACK = /^\s*(?:Exception Group )?Traceback \((?:most recent call|innermost) last\):?$/;
/** The same header after text the log prefix stripper did not know (`Error: Traceback (most recent…`). */
const TRACEBACK_AFTER = /Traceback \((?:most recent call|innermost) last\):$/;
/** IPython's verbose header: `KeyError                                  Traceback (most recent call last)`. */
const IPY_TRACEBACK = /^([A-Za-z_][\w.]*) +Traceback \(most recent call last\)$/;
/** The dashed rule IPython prints above its header. */
const RULE = /^-{20,}$/;
// `s`: a stray U+2028 in a line must not make `(.*)$` fail and backtrack over every `", line ` in it.
const FILE = /^\s*File "(.*)", line (\d+)(?:, in (.*))?$/s;
const FILE_START = /^\s*File "/;
const CONTEXT_MARKER = /^\s*During handling of the above exception, another exception occurred:$/;
const CAUSE_MARKER = /^\s*The above exception was the direct cause of the following exception:$/;
/** 3.11+ position markers under a source line (`~~~^^^~~`), SyntaxError's caret. */
const CARETS = /^\s*[~^][~^ \t]*$/;
const REPEATED = /^\s*\[Previous line repeated (\d+) more times?\]$/;
/** The exception line: `pkg.mod.Type: message`, `Type`, `outer.<locals>.Local: message`. */
const EXCEPTION = /^([A-Za-z_]\w*(?:\.(?:[A-Za-z_]\w*|<locals>))*)(?:: (.*)|:)?$/;

// IPython: numbered context lines, the arrowed one is the frame's line.
const IPY_ARROW = /^-*>\s*(\d+)(?:\s(.*))?$/;
const IPY_CONTEXT = /^\s+\d+(?:\s|$)/;
const IPY_SKIPPED = /^\s*\[\.\.\. skipping /;
/** IPython 8: `File ~/lib/x.py:3802, in Index.get_loc(self, key)`. */
const IPY_FILE = /^\s*File (.+):(\d+)(?:, in (.*))?$/s;
/** IPython 8: `Cell In[3], line 2, in f(x)`; 8.0–8.4: `Input In [4], in <cell line: 1>()`. */
const IPY_CELL = /^\s*(Cell In ?\[\d*\]), line (\d+)(?:, in (.*))?$/;
const IPY_INPUT = /^\s*(Input In ?\[\d*\]), in (.*)$/;
/** What an IPython frame header names: `<module>`, `<cell line: 1>`, `_lookup_single`, `Index.get_loc`. */
const CALLEE = /^(?:<[^<>]*>|[A-Za-z_][\w.]*)/;

// Exception groups: every line of a sub-exception carries a `|` margin, one level deeper per nesting.
const GROUP_SEPARATOR = /^( *)\+(-\+)?-+(?: (\d+|\.\.\.) -+)?$/;
const GROUP_LINE = /^( *)([|+])(?: (.*))?$/;

// Lines that are plainly not part of a traceback: they end a message rather than continue it.
const PROMPT = /^(?:>>>|In \[\d*\]:|Out\[\d*\]:)(?: |$)/;
const SHELL_PROMPT = /^(?:[\w.@~:/-]*\$|[A-Za-z]:\\[^>]*>)(?: |$)/;
const LOG_LEVEL = /^(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)(?::|\s)/;
const OTHER_STACK = /^\s+at \S/;
const FINISHED = /^Process finished with exit code/;

/** Names that start source lines, never exception lines (a flattened paste has only content to go by). */
const NOT_TYPES = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'cls',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'self',
  'try',
  'while',
  'with',
  'yield',
]);

/** Held lines allowed before the builder gives up itself (the scanner's own limit is 12). */
const MAX_HOLDS = 12;
const MAX_MESSAGE_LINES = 30;

interface Exc {
  type: string;
  message: string | null;
}

/**
 * Reads a line as an exception line. A class name ends in a capitalised word (`ValueError`,
 * `binascii.Error`); a lowercase one (`socket.timeout`) must be module-qualified and carry a message, so
 * that `pass`, `x` or `self.x: int = 1` echoed as source are not taken for exceptions.
 */
export function parseExceptionLine(text: string): Exc | null {
  const m = EXCEPTION.exec(text.trim());
  if (!m) return null;
  const name = m[1]!;
  const dot = name.indexOf('.');
  if (NOT_TYPES.has(dot < 0 ? name : name.slice(0, dot))) return null;
  const last = name.slice(name.lastIndexOf('.') + 1);
  const c = last.replace(/^_+/, '').charCodeAt(0);
  const capital = c >= 65 && c <= 90;
  if (!capital && (dot < 0 || m[2] === undefined)) return null;
  return { type: name, message: m[2] || null };
}

/** Parses a `File "path", line N[, in func]` frame line, or returns null. */
export function parsePythonFrame(text: string, docLine: number): Frame | null {
  const m = FILE.exec(text);
  if (!m) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.file = m[1]!;
  frame.line = toInt(m[2]);
  frame.function = m[3] ?? null;
  return frame;
}

/** `name(args` or `<module>` as IPython writes a frame's function: the name, and the arguments without parentheses. */
function splitCall(text: string): { fn: string; args: string | null } | null {
  const m = CALLEE.exec(text);
  if (!m) return null;
  const rest = text.slice(m[0].length);
  if (rest === '') return { fn: m[0], args: null };
  if (rest.charCodeAt(0) !== 40 /* ( */) return null;
  // The signature may be cut off (`scatterplot(x, y, ... markers,`): keep what is there.
  return { fn: m[0], args: rest.endsWith(')') ? rest.slice(1, -1) : rest.slice(1) };
}

function callFrame(
  raw: string,
  docLine: number,
  file: string,
  line: number | null,
  call: string | undefined,
): Frame {
  const frame = emptyFrame(raw.trim(), docLine);
  frame.file = file;
  frame.line = line;
  if (call !== undefined) {
    const c = splitCall(call);
    frame.function = c ? c.fn : call;
    frame.args = c ? c.args : null;
  }
  return frame;
}

/** An IPython frame header: the 8.x layouts, or the older `path in func(args)`. */
function parseIpythonFrame(text: string, docLine: number): Frame | null {
  let m = IPY_CELL.exec(text);
  if (m) return callFrame(text, docLine, m[1]!, toInt(m[2]), m[3]);
  m = IPY_INPUT.exec(text);
  if (m) return callFrame(text, docLine, m[1]!, null, m[2]);
  m = IPY_FILE.exec(text);
  if (m) return callFrame(text, docLine, m[1]!, toInt(m[2]), m[3]);
  if (text.length === 0 || isBlank(text.charAt(0))) return null;
  // The path may itself hold ` in ` (`C:\Stuff in progress\x.py in f()`): try each until a callee follows.
  let from = 0;
  for (let n = 0; n < 8; n++) {
    const i = text.indexOf(' in ', from);
    if (i <= 0) return null;
    const call = splitCall(text.slice(i + 4));
    if (call) {
      const frame = emptyFrame(text, docLine);
      frame.file = text.slice(0, i);
      frame.function = call.fn;
      frame.args = call.args;
      return frame;
    }
    from = i + 1;
  }
  return null;
}

interface Header {
  ipython: boolean;
  /** IPython names the type in its header. */
  type: string | null;
  /** Text before `Traceback` that was not a known log prefix: weaker evidence. */
  prefixed: boolean;
}

function parseHeader(text: string): Header | null {
  if (TRACEBACK.test(text)) return { ipython: false, type: null, prefixed: false };
  const ipy = IPY_TRACEBACK.exec(text);
  if (ipy) return { ipython: true, type: ipy[1]!, prefixed: false };
  if (TRACEBACK_AFTER.test(text)) return { ipython: false, type: null, prefixed: true };
  return null;
}

function markerOf(text: string): 'cause' | 'context' | null {
  if (CONTEXT_MARKER.test(text)) return 'context';
  if (CAUSE_MARKER.test(text)) return 'cause';
  return null;
}

/** One exception as printed: its `Traceback` header, frames (outermost first, as printed) and exception line. */
interface Section {
  node: TraceNode;
  frames: Frame[];
  hasException: boolean;
  headed: boolean;
  ipython: boolean;
  /** Indentation of the latest `File` line: deeper lines are its source. */
  fileIndent: number;
  /** The latest frame was the last line taken: a flush-left line may still be its source. */
  sourceOpen: boolean;
  excIndent: number;
  messageLines: number;
}

type State = 'start' | 'frames' | 'message';

interface LogPrefix {
  /** Every line of the trace carries a log timestamp (CRI, journald): a timestamp is no new log record. */
  stamped: boolean;
}

/**
 * One chain of exceptions as Python prints it: the innermost cause first, each section separated by a chain
 * marker, the top-level exception last. A group's sub-exceptions are chains of their own.
 */
class Chain {
  readonly sections: Section[] = [];
  private state: State = 'start';
  /** Message lines that read like an exception line (maybe another format's header): held until more follows. */
  private pending: LogicalLine[] = [];
  private sawBlank = false;
  private ruleLine: number | null = null;

  constructor(
    private readonly log: LogPrefix,
    /** A sub-exception of a group may be printed without a traceback (it was never raised). */
    private readonly bareAllowed: boolean,
  ) {}

  get last(): Section | undefined {
    return this.sections[this.sections.length - 1];
  }

  /** The line above the trace's first header that belongs to it (IPython's rule). */
  setRule(docLine: number): void {
    this.ruleLine = docLine;
  }

  private open(start: number, header: Header | null): Section {
    const s: Section = {
      node: newNode(header?.type ?? null, null, this.ruleLine ?? start),
      frames: [],
      hasException: false,
      headed: header !== null,
      ipython: header?.ipython ?? false,
      fileIndent: 0,
      sourceOpen: false,
      excIndent: 0,
      messageLines: 0,
    };
    extendSpan(s.node.span, start);
    this.ruleLine = null;
    this.sections.push(s);
    this.state = 'frames';
    return s;
  }

  /** A chained exception printed without a traceback (`raise X from Y` where Y was never raised). */
  openBare(line: LogicalLine, exc: Exc): void {
    this.setException(this.open(line.docLine, null), exc, line);
  }

  /** The same, found above the trace's first header, followed by its chain marker. */
  openBareCause(line: LogicalLine, exc: Exc, relation: 'cause' | 'context'): void {
    this.openBare(line, exc);
    this.last!.node.relation = relation;
    this.state = 'start';
  }

  private setException(s: Section, exc: Exc, line: LogicalLine): void {
    s.hasException = true;
    s.node.type = exc.type;
    s.node.message = exc.message;
    s.node.title = titleOf(exc.type, exc.message);
    s.excIndent = indentOf(line.text);
    extendSpan(s.node.span, line.docLine);
    this.state = 'message';
    this.sawBlank = false;
  }

  private addFrame(s: Section, frame: Frame, text: string): void {
    s.frames.push(frame);
    s.fileIndent = indentOf(text);
    s.sourceOpen = true;
    extendSpan(s.node.span, frame.docLine);
  }

  /** Lines that plainly belong to something else: the next log record, a prompt, another format's frames. */
  private isNoise(line: LogicalLine): boolean {
    const t = line.text;
    return (
      (line.timestamp !== undefined && !this.log.stamped) ||
      PROMPT.test(t) ||
      SHELL_PROMPT.test(t) ||
      LOG_LEVEL.test(t) ||
      OTHER_STACK.test(t) ||
      FINISHED.test(t) ||
      RULE.test(t)
    );
  }

  feed(line: LogicalLine): Feed {
    if (isBlank(line.text)) {
      if (this.state === 'message') this.sawBlank = true;
      return Feed.Hold;
    }
    if (this.state === 'frames') return this.feedFrames(this.last!, line);
    if (this.state === 'message') return this.feedMessage(this.last!, line);
    return this.feedStart(line);
  }

  /** Before a section: at the trace's start, or after a chain marker. */
  private feedStart(line: LogicalLine): Feed {
    const text = line.text;
    const header = parseHeader(text);
    if (header) {
      this.open(line.docLine, header);
      return Feed.Take;
    }
    if (RULE.test(text) && this.sections.length > 0) {
      this.ruleLine = line.docLine;
      return Feed.Take;
    }
    const frame = parsePythonFrame(text, line.docLine);
    if (frame) {
      // The `Traceback` line is missing (cut off, or a SyntaxError printed without one).
      this.addFrame(this.open(line.docLine, null), frame, text);
      return Feed.Take;
    }
    if (this.sections.length > 0 || this.bareAllowed) {
      const exc = this.isNoise(line) ? null : parseExceptionLine(text);
      if (exc) {
        this.openBare(line, exc);
        return Feed.Take;
      }
    }
    return Feed.End;
  }

  private marker(s: Section, relation: 'cause' | 'context'): Feed {
    this.flush();
    s.node.relation = relation;
    this.state = 'start';
    this.sawBlank = false;
    return Feed.Take;
  }

  private feedFrames(s: Section, line: LogicalLine): Feed {
    const text = line.text;
    const relation = markerOf(text);
    if (relation) return this.marker(s, relation);
    // A new traceback without a chain marker is a separate trace.
    if (parseHeader(text)) return Feed.End;
    const frame = parsePythonFrame(text, line.docLine);
    if (frame) {
      this.addFrame(s, frame, text);
      return Feed.Take;
    }
    const last = s.frames[s.frames.length - 1];
    if (FILE_START.test(text)) {
      // A frame line cut off mid-line (a truncated paste): too little is left to be sure of, so it is dropped.
      s.sourceOpen = false;
      extendSpan(s.node.span, line.docLine);
      return Feed.Take;
    }
    if (s.ipython && this.ipythonLine(s, line, last)) return Feed.Take;
    if (CARETS.test(text)) {
      s.sourceOpen = false;
      extendSpan(s.node.span, line.docLine);
      return Feed.Take;
    }
    const rep = REPEATED.exec(text);
    if (rep) {
      if (last) (last.notes ??= []).push(`repeated ${rep[1]} more times`);
      s.sourceOpen = false;
      extendSpan(s.node.span, line.docLine);
      return Feed.Take;
    }
    // IPython's own frames show context lines instead; a `File "…"` frame among them (a SyntaxError) has source.
    if (last && (!s.ipython || FILE_START.test(last.raw))) {
      if (indentOf(text) > s.fileIndent) {
        // Deeper than its `File` line: the echoed source (3.13 echoes several lines of a long expression).
        const src = text.trim();
        last.source = last.source === undefined ? src : `${last.source}\n${src}`;
        s.sourceOpen = false;
        extendSpan(s.node.span, line.docLine);
        return Feed.Take;
      }
      // Flattened paste: the line right after a `File` line is its source unless it reads as the exception.
      if (s.sourceOpen && !this.isNoise(line) && !parseExceptionLine(text)) {
        last.source = text.trim();
        s.sourceOpen = false;
        extendSpan(s.node.span, line.docLine);
        return Feed.Take;
      }
    }
    if (this.isNoise(line)) return Feed.End;
    const exc = parseExceptionLine(text);
    if (exc) {
      this.setException(s, exc, line);
      return Feed.Take;
    }
    if (s.ipython) {
      const f = parseIpythonFrame(text, line.docLine);
      if (f) {
        this.addFrame(s, f, text);
        return Feed.Take;
      }
    }
    return Feed.End;
  }

  /** IPython's numbered context lines and its 8.x frame headers. */
  private ipythonLine(s: Section, line: LogicalLine, last: Frame | undefined): boolean {
    const text = line.text;
    const arrow = IPY_ARROW.exec(text);
    if (arrow) {
      if (last) {
        last.line ??= toInt(arrow[1]);
        const src = arrow[2]?.trim();
        if (src) last.source = src;
      }
      extendSpan(s.node.span, line.docLine);
      return true;
    }
    if (IPY_CONTEXT.test(text) || IPY_SKIPPED.test(text)) {
      extendSpan(s.node.span, line.docLine);
      return true;
    }
    if (IPY_CELL.test(text) || IPY_INPUT.test(text) || IPY_FILE.test(text)) {
      const f = parseIpythonFrame(text, line.docLine);
      if (f) this.addFrame(s, f, text);
      return f !== null;
    }
    return false;
  }

  /** After the exception line: continuation lines of the message, a chain marker, or the end. */
  private feedMessage(s: Section, line: LogicalLine): Feed {
    const text = line.text;
    const relation = markerOf(text);
    if (relation) return this.marker(s, relation);
    if (this.sawBlank) return Feed.End;
    if (parseHeader(text) || FILE_START.test(text) || this.isNoise(line)) return Feed.End;
    if (s.messageLines >= MAX_MESSAGE_LINES) return Feed.End;
    s.messageLines++;
    if (indentOf(text) <= s.excIndent && parseExceptionLine(text)) {
      // `DETAIL: …` continues a message, but `java.lang.Error: boom` may head the next trace of another format.
      this.pending.push(line);
      return Feed.Hold;
    }
    this.flush();
    this.continueMessage(s, line);
    return Feed.Take;
  }

  private continueMessage(s: Section, line: LogicalLine): void {
    // Keep the line as written (PostgreSQL's caret is aligned with tabs), less the exception line's indentation.
    const text = line.text;
    let cut = 0;
    let width = 0;
    while (cut < text.length) {
      const c = text.charCodeAt(cut);
      const w = c === 32 ? width + 1 : c === 9 ? width + 8 - (width % 8) : -1;
      if (w < 0 || w > s.excIndent) break;
      width = w;
      cut++;
    }
    appendMessage(s.node, text.slice(cut));
    extendSpan(s.node.span, line.docLine);
  }

  /** Held message lines become part of the message (more of it followed, or the input ended). */
  flush(): void {
    const s = this.last;
    if (s) for (const l of this.pending) this.continueMessage(s, l);
    this.pending = [];
  }

  /** The node of the section being printed (an exception group's, when its sub-exceptions start). */
  current(): TraceNode | null {
    return this.last?.node ?? null;
  }

  /** Nests the sections: the last printed is the top, each one's cause is the section printed before it. */
  result(): TraceNode | null {
    const nodes: TraceNode[] = [];
    for (const s of this.sections) {
      if (!s.hasException && s.frames.length === 0) continue;
      const node = s.node;
      node.frames = s.frames.reverse();
      if (!s.hasException && node.type === null) {
        node.title = s.headed
          ? 'Traceback (most recent call last)'
          : (node.frames[node.frames.length - 1]?.raw ?? '');
      }
      nodes.push(node);
    }
    const root = nodes[nodes.length - 1];
    if (!root) return null;
    for (let i = nodes.length - 1; i > 0; i--) nodes[i]!.causes.unshift(nodes[i - 1]!);
    delete root.relation;
    extendSpan(root.span, nodes[0]!.span.start);
    return root;
  }
}

/** An open exception-group margin: lines with `|` at `col` belong to `chain`. */
interface Lane {
  col: number;
  chain: Chain;
  /** The group the chain is a sub-exception of (null for the top-level group's own lines). */
  group: TraceNode | null;
}

class PythonBuilder implements TraceBuilder {
  readonly top: Chain;
  private lanes: Lane[] = [];
  private holds = 0;
  /** The builder said End: held lines were handed back to the scanner and are not part of the trace. */
  private ended = false;

  private readonly log: LogPrefix;
  /** Non-blank lines fed: the second decides whether timestamps mark new records (the first may be a log
   * record's own line that happens to hold the header). */
  private lines = 0;

  constructor(stamped: boolean) {
    this.log = { stamped };
    this.top = new Chain(this.log, false);
  }

  feed(line: LogicalLine): Feed {
    if (!isBlank(line.text) && ++this.lines === 2) this.log.stamped &&= line.timestamp !== undefined;
    const r = this.route(line);
    if (r === Feed.Hold) {
      // Past the scanner's hold limit the trace would be ended without this builder knowing.
      if (this.holds >= MAX_HOLDS) return this.end();
      this.holds++;
      return Feed.Hold;
    }
    if (r === Feed.End) return this.end();
    this.holds = 0;
    return Feed.Take;
  }

  private end(): Feed {
    this.ended = true;
    return Feed.End;
  }

  /** Sends a line to the chain its group margin says it belongs to. */
  private route(line: LogicalLine): Feed {
    const text = line.text;
    if (this.lanes.length > 0) {
      const sep = GROUP_SEPARATOR.exec(text);
      if (sep) {
        this.separator(sep[1]!.length, sep[2] !== undefined, sep[3], line.docLine);
        return Feed.Take;
      }
    }
    const g = GROUP_LINE.exec(text);
    if (g) {
      const col = g[1]!.length;
      const payload: LogicalLine = { ...line, text: g[3] ?? '' };
      if (g[2] === '+') {
        if (this.lanes.length === 0 && TRACEBACK.test(payload.text)) {
          // The top-level group: its own lines carry the first margin but belong to the top chain.
          this.lanes.push({ col, chain: this.top, group: null });
          return this.top.feed(payload);
        }
      } else {
        const i = this.laneAt(col);
        if (i >= 0) {
          this.closeFrom(i + 1);
          const r = this.lanes[i]!.chain.feed(payload);
          // Inside a group's margins everything is the group's, even what a chain makes nothing of.
          return r === Feed.End ? Feed.Take : r;
        }
      }
    }
    if (this.lanes.length > 0 && !isBlank(text)) this.closeFrom(0);
    return this.top.feed(line);
  }

  private laneAt(col: number): number {
    for (let i = this.lanes.length - 1; i >= 0; i--) if (this.lanes[i]!.col === col) return i;
    return -1;
  }

  /** `+-+---- 1 ----` opens the first sub-exception, `+---- 2 ----` the next, `+--------` closes the list. */
  private separator(col: number, first: boolean, title: string | undefined, docLine: number): void {
    if (first) {
      const owner = this.laneAt(col);
      if (owner < 0) return;
      this.closeFrom(owner + 1);
      const group = this.lanes[owner]!.chain.current();
      if (!group) return;
      extendSpan(group.span, docLine);
      this.lanes.push({ col: col + 2, chain: new Chain(this.log, true), group });
      return;
    }
    const i = this.laneAt(col);
    if (i < 0) return;
    const group = this.lanes[i]!.group;
    this.closeFrom(i);
    if (!group) return;
    extendSpan(group.span, docLine);
    if (title !== undefined) this.lanes.push({ col, chain: new Chain(this.log, true), group });
  }

  /** Closes the lanes from index `i` on, attaching each sub-exception to its group. */
  private closeFrom(i: number, flush = true): void {
    while (this.lanes.length > i) {
      const lane = this.lanes.pop()!;
      if (!lane.group) continue;
      if (flush) lane.chain.flush();
      const node = lane.chain.result();
      if (node) {
        node.relation = 'inner';
        lane.group.causes.push(node);
      }
    }
  }

  finish(): Trace[] {
    // Lines held at the end of the input were never handed back: they are the message's last lines.
    if (!this.ended) this.top.flush();
    this.closeFrom(0, !this.ended);
    const root = this.top.result();
    if (!root) return [];
    endSpans(root);
    return [{ ...root, format: 'python', kind: 'exception' }];
  }
}

/**
 * Extends each node's span to the end of what hangs off it. Python prints a cause before the exception it
 * caused, so util's closeSpans (which also moves a start back to a cause's end) does not fit.
 */
function endSpans(node: TraceNode): number {
  for (const c of node.causes) node.span.end = Math.max(node.span.end, endSpans(c));
  for (const f of node.frames) node.span.end = Math.max(node.span.end, f.docLine);
  return node.span.end;
}

/**
 * A chained exception printed without a traceback just above the first `Traceback` line:
 * `ValueError: x`, a blank, `The above exception was the direct cause…`, a blank.
 */
function bareCauseAbove(
  history: readonly LogicalLine[],
): { line: LogicalLine; exc: Exc; relation: 'cause' | 'context' } | null {
  let i = history.length - 1;
  while (i >= 0 && isBlank(history[i]!.text)) i--;
  const relation = i >= 0 ? markerOf(history[i]!.text) : null;
  if (!relation) return null;
  i--;
  while (i >= 0 && isBlank(history[i]!.text)) i--;
  const line = history[i];
  const exc = line ? parseExceptionLine(line.text) : null;
  return line && exc ? { line, exc, relation } : null;
}

export const pythonParser: TraceParser = {
  name: 'python',
  // `Traceback` may follow an IPython type name or an unknown prefix; bounded so a long line costs little.
  trigger: /^\s*(?:File "|Traceback \()/,
  // A traceback header can follow other text on its line (`ERROR:root:Traceback …`, a prompt).
  scanTriggers: [
    { needle: 'Traceback (', pattern: /^.{0,160}Traceback \((?:most recent call|innermost) last\)/ },
  ],
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const text = line.text;
    const builder = new PythonBuilder(line.timestamp !== undefined);
    const group = GROUP_LINE.exec(text);
    const header = parseHeader(text);
    let score: number;
    if (group && group[2] === '+' && TRACEBACK.test(group[3] ?? '')) {
      score = 10;
    } else if (header) {
      score = header.prefixed ? 7 : 10;
      const above = ctx.history[ctx.history.length - 1];
      if (header.ipython && above && RULE.test(above.text)) builder.top.setRule(above.docLine);
      const bare = header.ipython ? null : bareCauseAbove(ctx.history);
      if (bare) builder.top.openBareCause(bare.line, bare.exc, bare.relation);
    } else {
      const frame = parsePythonFrame(text, line.docLine);
      if (!frame) return null;
      // Without its `Traceback` line a frame is still distinctive; a SyntaxError location less so.
      score = frame.function !== null ? 8 : 5;
    }
    if (builder.feed(line) !== Feed.Take) return null;
    return { score, builder };
  },
};
