// JVM exceptions (Java, Kotlin, Scala, Groovy) as Throwable.printStackTrace and the logging frameworks write
// them: `Caused by:`, indented `Suppressed:`, `... N more`, packaging data, JPMS module prefixes.

import { emptyFrame, type Frame, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { appendMessage, closeSpans, extendSpan, indentOf, isBlank, newNode, titleOf, toInt } from './util';

/** `at [loader/][module@ver/]pkg.Class.method(Source)` then optional packaging data. */
const FRAME = /^\s*at\s+([^\s()]+)\(([^()]*)\)(.*)$/;
/** What is inside a JVM frame's parentheses: `File.java:12`, `Unknown Source`, `Native Method`, `SourceFile:3`. */
const SOURCE = /^(?:(Native Method)|(Unknown Source)(?::(\d+))?|([^\s:]+)(?::(\d+))?)$/;
const PACKAGING = /^\s*(~?)\[([^\]]*)\]/;
const MORE = /^\s*\.\.\. ?(\d+) (?:more|common frames omitted)\s*$/;
const CAUSED = /^(\s*)Caused by: (.*)$/;
const SUPPRESSED = /^(\s*)Suppressed: (.*)$/;
const BOUNDARY = /^\s*\(Coroutine boundary\)$/;
const CIRCULAR = /^\[CIRCULAR REFERENCE: ?(.*?)\]?$/;
/** `[Exception in thread "x" ][class ]pkg.Type[: message]` — a qualified name, or a bare …Exception/…Error. */
const HEADER =
  /^\s*(?:Exception in thread "([^"]*)" )?(?:class )?((?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*|[A-Z][\w$]*(?:Exception|Error|Throwable))(?::(?: (.*))?)?$/;

/** Parses a JVM frame line, or returns null. */
export function parseJavaFrame(text: string, docLine: number): Frame | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  const src = SOURCE.exec(m[2]!.trim());
  if (!src) return null;
  const frame = emptyFrame(text.trim(), docLine);
  const parts = m[1]!.split('/');
  frame.function = parts[parts.length - 1]!;
  if (frame.function.length === 0) return null;
  if (parts.length === 2) frame.module = parts[0] || null;
  else if (parts.length >= 3) frame.module = parts[parts.length - 2] || null;
  const notes: string[] = [];
  if (src[1]) notes.push('native');
  else if (src[2]) {
    notes.push('unknown source');
    frame.line = toInt(src[3]);
  } else {
    frame.file = src[4]!;
    frame.line = toInt(src[5]);
  }
  const pack = PACKAGING.exec(m[3]!);
  if (pack) {
    const jar = pack[2]!.split(':', 1)[0]!;
    if (jar && jar !== '?' && jar !== 'na') frame.module = jar;
    notes.push(`packaging ${pack[1]}[${pack[2]}]`);
  }
  if (notes.length) frame.notes = notes;
  return frame;
}

interface Header {
  thread: string | null;
  type: string;
  message: string | null;
}

export function parseJavaHeader(text: string): Header | null {
  const m = HEADER.exec(text);
  if (!m) return null;
  return { thread: m[1] ?? null, type: m[2]!, message: m[3] ?? null };
}

/** A node from the text after `Caused by: ` / `Suppressed: `. */
function nodeFrom(text: string, docLine: number, relation: TraceNode['relation']): TraceNode {
  const circ = CIRCULAR.exec(text);
  let node: TraceNode;
  if (circ) {
    const h = parseJavaHeader(circ[1]!);
    node = newNode(h?.type ?? null, h?.message ?? null, docLine);
    node.title = text;
  } else {
    const h = parseJavaHeader(text);
    node = h ? newNode(h.type, h.message, docLine) : newNode(null, text, docLine);
  }
  if (relation) node.relation = relation;
  return node;
}

interface Level {
  node: TraceNode;
  indent: number;
}

class JavaBuilder implements TraceBuilder {
  private readonly root: TraceNode;
  private thread: string | null = null;
  /** Chains by indentation: the top-level chain, then each open `Suppressed:` block. */
  private levels: Level[];
  private current: TraceNode;
  /** The current node has a frame: non-frame lines now end the trace rather than extend its message. */
  private inFrames = false;
  private messageLines = 0;
  private boundary = false;

  constructor(root: TraceNode, rootIndent: number, thread: string | null) {
    this.root = root;
    this.thread = thread;
    this.levels = [{ node: root, indent: rootIndent }];
    this.current = root;
  }

  /** Opens a `Caused by:` (attached to the chain at its indentation) or a `Suppressed:` block. */
  header(kind: 'cause' | 'suppressed', indent: number, text: string, docLine: number): void {
    const node = nodeFrom(text, docLine, kind);
    if (kind === 'cause') {
      let i = this.levels.length - 1;
      while (i > 0 && this.levels[i]!.indent > indent) i--;
      this.levels[i]!.node.causes.push(node);
      this.levels.length = i + 1;
      this.levels[i] = { node, indent: this.levels[i]!.indent };
    } else {
      let i = this.levels.length - 1;
      while (i > 0 && this.levels[i]!.indent >= indent) i--;
      this.levels[i]!.node.suppressed.push(node);
      this.levels.length = i + 1;
      this.levels.push({ node, indent });
    }
    this.current = node;
    this.inFrames = false;
    this.messageLines = 0;
  }

  addFrame(frame: Frame): void {
    if (this.boundary) {
      (frame.notes ??= []).push('coroutine boundary');
      this.boundary = false;
    }
    this.current.frames.push(frame);
    this.inFrames = true;
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    const frame = parseJavaFrame(text, line.docLine);
    if (frame) {
      this.addFrame(frame);
      return Feed.Take;
    }
    if (isBlank(text)) return Feed.Hold;
    const more = MORE.exec(text);
    if (more) {
      this.current.omittedFrames = toInt(more[1]) ?? 0;
      extendSpan(this.current.span, line.docLine);
      return Feed.Take;
    }
    const caused = CAUSED.exec(text);
    if (caused) {
      this.header('cause', indentOf(caused[1]!), caused[2]!, line.docLine);
      return Feed.Take;
    }
    const sup = SUPPRESSED.exec(text);
    if (sup) {
      this.header('suppressed', indentOf(sup[1]!), sup[2]!, line.docLine);
      return Feed.Take;
    }
    if (BOUNDARY.test(text)) {
      this.boundary = true;
      extendSpan(this.current.span, line.docLine);
      return Feed.Take;
    }
    // Before a node's first frame, further lines continue its (multi-line) message.
    if (!this.inFrames && this.messageLines < 30) {
      this.messageLines++;
      appendMessage(this.current, text.trim());
      extendSpan(this.current.span, line.docLine);
      return Feed.Take;
    }
    return Feed.End;
  }

  finish(): Trace[] {
    closeSpans(this.root);
    const trace: Trace = { ...this.root, format: 'java', kind: 'exception' };
    if (this.thread !== null) trace.thread = { name: this.thread, id: null, state: null };
    return [trace];
  }
}

/**
 * Finds the exception header above the first frame (or `Caused by:` line): the nearest line that reads as
 * `pkg.Type: message`, with the lines between it and the frame as the rest of a multi-line message.
 * One blank line right above the frames is allowed (some loggers print one).
 */
function findHeader(history: readonly LogicalLine[]): { header: Header; lines: LogicalLine[] } | null {
  let i = history.length - 1;
  if (i >= 0 && isBlank(history[i]!.text)) i--;
  const below: LogicalLine[] = [];
  for (let n = 0; i >= 0 && n < 12; i--, n++) {
    const l = history[i]!;
    if (isBlank(l.text)) return null;
    if (parseJavaFrame(l.text, l.docLine)) return null;
    const h = parseJavaHeader(l.text);
    if (h) return { header: h, lines: [l, ...below] };
    below.unshift(l);
  }
  return null;
}

export const javaParser: TraceParser = {
  name: 'java',
  trigger: /^\s*(?:at\s+[^\s()]+\(|Caused by: )/,
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const frame = parseJavaFrame(line.text, line.docLine);
    const caused = frame ? null : CAUSED.exec(line.text);
    if (!frame && !caused) return null;
    const found = findHeader(ctx.history);
    let root: TraceNode;
    let rootIndent = 0;
    let thread: string | null = null;
    if (found) {
      const first = found.lines[0]!;
      root = newNode(found.header.type, found.header.message, first.docLine);
      thread = found.header.thread;
      rootIndent = indentOf(first.text);
      for (const l of found.lines.slice(1)) appendMessage(root, l.text.trim());
      extendSpan(root.span, found.lines[found.lines.length - 1]!.docLine);
    } else if (caused) {
      // A chain whose top was cut off: the first `Caused by:` is the top.
      root = nodeFrom(caused[2]!, line.docLine, undefined);
    } else {
      root = newNode(null, null, line.docLine);
      root.title = titleOf(null, line.text.trim());
    }
    const builder = new JavaBuilder(root, rootIndent, thread);
    if (frame) builder.addFrame(frame);
    else if (found) builder.header('cause', indentOf(caused![1]!), caused![2]!, line.docLine);
    // A frame with a source file and line is unmistakable; a bare header guess is less so.
    const score = frame ? (frame.file ? 10 : 8) : found ? 6 : 3;
    return { score, builder };
  },
};
