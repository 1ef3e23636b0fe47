// JVM exceptions (Java, Kotlin, Scala, Groovy) as Throwable.printStackTrace and the logging frameworks write
// them: `Caused by:`, indented `Suppressed:`, `... N more`, packaging data, JPMS module prefixes — and as
// Android, R8, Crashlytics, kotlinx.coroutines and Kotlin/Native print them.

import { emptyFrame, type Frame, type ThreadInfo, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { splitLocation } from './native';
import { appendMessage, closeSpans, extendSpan, indentOf, isBlank, newNode, titleOf, toInt } from './util';

/** `at [loader/][module@ver/]pkg.Class.method(Source)` then optional packaging data. */
const FRAME = /^\s*at\s+([^\s()]+)\(([^()]*)\)(.*)$/;
/**
 * What is inside a JVM frame's parentheses: `File.java:12`, `Unknown Source[:N]`, `Native Method` (ART writes
 * `Native method`), R8's `SourceFile:3`; HotSpot's thread dumps put the module first: `java.base@21/…`.
 */
const SOURCE =
  /^(?:([\w.$-]{1,200}@[^\s/()]{0,100})\/)?(?:(Native [Mm]ethod)|(Unknown Source)(?::(\d+))?|([^\s:]+)(?::(\d+))?)$/;
/** Source names R8 and D8 write instead of a file: the name was stripped (`-renamesourcefileattribute`). */
const STRIPPED_SOURCE = /^(?:SourceFile|[DR]8\$\$SyntheticClass)$/;
/** Crashlytics' console drops `at ` and puts a space before the parentheses: `a.B.c (B.java:46)`. */
const BARE_FRAME = /^\s*([A-Za-z_$][\w$]*(?:\.[\w$<>-]+)+) ?\(([^()]*)\)$/;
/** Kotlin/Native: `at 3   iosApp   0x00000001021f370c kfun:pkg.Class#run(){} + 3580 [(file.kt:3:5)]`. */
const KN_FRAME = /^\s*at (\d{1,6}) +(\S+) +(0x[0-9a-fA-F]{1,16}) +(\S.*)$/;
const KN_OFFSET = /\+ \d{1,20}$/;
/** An address where the symbol would be: the frame was not symbolized. */
const KN_NO_SYMBOL = /^0x[0-9a-fA-F]{1,16}$/;
const PACKAGING = /^\s*(~?)\[([^\]]*)\]/;
const MORE = /^\s*\.\.\. ?(\d+) (?:more|common frames omitted)\s*$/;
const CAUSED = /^(\s*)Caused by: (.*)$/;
/** Crashlytics: `Caused by java.lang.NullPointerException`, no colon. */
const CAUSED_BARE = /^(\s*)Caused by ([A-Za-z_$].*)$/;
const SUPPRESSED = /^(\s*)Suppressed: (.*)$/;
const BOUNDARY = /^\s*\(Coroutine boundary\)$/;
/** kotlinx.coroutines 1.7+ writes its markers as frames of a class that does not exist: the note they mean. */
export const COROUTINE_MARKERS: ReadonlyMap<string, string> = new Map([
  ['_COROUTINE._BOUNDARY._', 'coroutine boundary'],
  ['_COROUTINE._CREATION._', 'coroutine creation'],
]);
const CIRCULAR = /^\[CIRCULAR REFERENCE: ?(.*?)\]?$/;
/**
 * `[Exception in thread "x" ][class ]pkg.Type[: message]` — a qualified name, or a bare …Exception/…Error —
 * also after Crashlytics' `Fatal Exception: ` / `Non-fatal Exception: ` and Kotlin/Native's
 * `Uncaught Kotlin exception: `.
 */
const HEADER =
  /^\s*(?:Exception in thread "([^"]*)" |(?:Fatal|Non-fatal) Exception: |Uncaught Kotlin exception: )?(?:class )?((?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*|[A-Z][\w$]*(?:Exception|Error|Throwable))(?::(?: (.*))?)?$/;
/** Android's crash header above the exception: `FATAL EXCEPTION: main`, then `Process: com.app, PID: 1234`. */
const ANDROID_FATAL = /^\s*(?:\*{3} )?FATAL EXCEPTION(?: IN SYSTEM PROCESS)?: ?(.*)$/;
const ANDROID_PROCESS = /^\s*Process: ([^,\s]*), PID: (\d{1,10})/;
/** CyanogenMod and some vendor ROMs print a line of their own between `Process:` and the exception. */
const ANDROID_EXTRA = /^\s*Theme: /;
const CONSOLE_HEADER = /^\s*(?:Fatal|Non-fatal) Exception: /;
/** A Java method's qualified name starts with a lower-case package; a .NET namespace is capitalized. */
const LOWER_QUALIFIED = /^[a-z][\w$]*\./;

/**
 * Parses a JVM frame line, or returns null. `()` — R8 with the line table stripped — reads like a .NET
 * frame, so it is only a JVM frame where the caller knows it is in a JVM trace (`emptySource`).
 */
export function parseJavaFrame(text: string, docLine: number, emptySource = false): Frame | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  const inner = m[2]!.trim();
  if (inner.length === 0 && !emptySource) return null;
  const src = inner.length === 0 ? null : SOURCE.exec(inner);
  if (!src && inner.length > 0) return null;
  const frame = emptyFrame(text.trim(), docLine);
  const parts = m[1]!.split('/');
  frame.function = parts[parts.length - 1]!;
  if (frame.function.length === 0) return null;
  if (parts.length === 2) frame.module = parts[0] || null;
  else if (parts.length >= 3) frame.module = parts[parts.length - 2] || null;
  const notes: string[] = [];
  if (!src) notes.push('no source');
  else {
    if (src[1]) frame.module = src[1].split('@', 1)[0]!;
    if (src[2]) notes.push('native');
    else if (src[3]) {
      notes.push('unknown source');
      frame.line = toInt(src[4]);
    } else if (src[5] === 'lambda') {
      notes.push('lambda');
    } else if (STRIPPED_SOURCE.test(src[5]!)) {
      notes.push(`source file stripped (${src[5]!})`);
      frame.line = toInt(src[6]);
    } else {
      frame.file = src[5]!;
      frame.line = toInt(src[6]);
    }
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

/** A Crashlytics console frame (`pkg.Class.method (File.java:12)`, no `at`), or null. */
function parseBareFrame(text: string, docLine: number): Frame | null {
  const m = BARE_FRAME.exec(text);
  if (!m) return null;
  const frame = parseJavaFrame(`at ${m[1]!}(${m[2]!})`, docLine);
  if (frame) frame.raw = text.trim();
  return frame;
}

/**
 * A Kotlin/Native frame, or null: index, binary, address, then the symbol (`kfun:` Kotlin functions with
 * their parameter types and `{}` return type, or a native symbol), `+ offset`, and with debug information
 * `(file.kt:line:column)`.
 */
export function parseKotlinNativeFrame(text: string, docLine: number): Frame | null {
  const m = KN_FRAME.exec(text);
  if (!m) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.module = m[2]!;
  frame.address = m[3]!;
  let sym = m[4]!;
  const open = sym.lastIndexOf(' (');
  if (open > 0 && sym.endsWith(')') && KN_OFFSET.test(sym.slice(0, open))) {
    const loc = sym.slice(open + 2, -1);
    const where = splitLocation(loc, true);
    if (where && where.file !== '<unknown>') {
      frame.file = where.file;
      frame.line = where.line;
      frame.column = where.column;
    }
    sym = sym.slice(0, open);
  }
  if (KN_OFFSET.test(sym)) {
    const plus = sym.lastIndexOf(' + ');
    frame.offset = sym.slice(plus + 1);
    sym = sym.slice(0, plus);
  }
  if (sym.startsWith('kfun:')) {
    sym = sym.slice(5);
    const paren = sym.indexOf('(');
    if (paren > 0) {
      const close = sym.indexOf('){', paren);
      frame.args = sym.slice(paren + 1, close >= 0 ? close : sym.endsWith(')') ? -1 : undefined);
      sym = sym.slice(0, paren);
    }
  }
  frame.function = sym.length && !KN_NO_SYMBOL.test(sym) ? sym : null;
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
  private thread: ThreadInfo | null;
  /** Chains by indentation: the top-level chain, then each open `Suppressed:` block. */
  private levels: Level[];
  private current: TraceNode;
  /** The current node has a frame: non-frame lines now end the trace rather than extend its message. */
  private inFrames = false;
  private messageLines = 0;
  /** What the next frame follows: a coroutine boundary or creation marker. */
  private marker: string | null = null;
  /** Started on a Crashlytics header: frames may lack `at `, and nothing but frames may follow the header. */
  private readonly console: boolean;

  constructor(root: TraceNode, rootIndent: number, thread: ThreadInfo | null, console = false) {
    this.root = root;
    this.thread = thread;
    this.levels = [{ node: root, indent: rootIndent }];
    this.current = root;
    this.console = console;
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
    // kotlinx.coroutines' marker "frames" stand for a line of their own: the note goes on the frame after.
    const marker = frame.function !== null ? COROUTINE_MARKERS.get(frame.function) : undefined;
    if (marker !== undefined) {
      this.marker = marker;
      extendSpan(this.current.span, frame.docLine);
      this.inFrames = true;
      return;
    }
    if (this.marker !== null) {
      (frame.notes ??= []).push(this.marker);
      this.marker = null;
    }
    this.current.frames.push(frame);
    this.inFrames = true;
  }

  /** Any frame form this trace may hold. */
  frameOf(text: string, docLine: number): Frame | null {
    return (
      parseJavaFrame(text, docLine, true) ??
      (this.console ? parseBareFrame(text, docLine) : null) ??
      parseKotlinNativeFrame(text, docLine)
    );
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    const frame = this.frameOf(text, line.docLine);
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
    const caused = CAUSED.exec(text) ?? (this.console ? CAUSED_BARE.exec(text) : null);
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
      this.marker = 'coroutine boundary';
      extendSpan(this.current.span, line.docLine);
      return Feed.Take;
    }
    // Before a node's first frame, further lines continue its (multi-line) message — except under a
    // console header, which is taken on its word alone: only frames may confirm it.
    if (!this.inFrames && !this.console && this.messageLines < 30) {
      this.messageLines++;
      appendMessage(this.current, text.trim());
      extendSpan(this.current.span, line.docLine);
      return Feed.Take;
    }
    return Feed.End;
  }

  finish(): Trace[] {
    if (this.console && !hasFrames(this.root)) return [];
    closeSpans(this.root);
    const trace: Trace = { ...this.root, format: 'java', kind: 'exception' };
    if (this.thread !== null) trace.thread = this.thread;
    return [trace];
  }
}

function hasFrames(node: TraceNode): boolean {
  return node.frames.length > 0 || node.causes.some(hasFrames) || node.suppressed.some(hasFrames);
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

/**
 * Android's header above a crash (`FATAL EXCEPTION: main`, `Process: com.app, PID: 1234`), looked for above
 * document line `above`; blank lines are skipped (pastes that double-space logcat).
 */
function findAndroidHeader(
  history: readonly LogicalLine[],
  above: number,
): { thread: ThreadInfo; start: number } | null {
  let i = history.length - 1;
  while (i >= 0 && history[i]!.docLine >= above) i--;
  let name: string | null = null;
  const attrs: Record<string, string> = {};
  let start = 0;
  for (let n = 0; i >= 0 && n < 8; i--, n++) {
    const l = history[i]!;
    if (isBlank(l.text) || ANDROID_EXTRA.test(l.text)) continue;
    const p = ANDROID_PROCESS.exec(l.text);
    if (p && start === 0) {
      attrs.Process = p[1]!;
      attrs.PID = p[2]!;
      start = l.docLine;
      continue;
    }
    const f = ANDROID_FATAL.exec(l.text);
    if (f) {
      name = f[1]!.trim() || null;
      start = l.docLine;
    }
    break;
  }
  if (start === 0) return null;
  const thread: ThreadInfo = { name, id: null, state: null };
  if (attrs.Process !== undefined) thread.attrs = attrs;
  return { thread, start };
}

/** A Crashlytics console header (`Caused by java.lang.X`, `Fatal Exception: java.lang.X: …`), taken on trial. */
function beginConsole(line: LogicalLine): Start | null {
  const text = line.text;
  const caused = CAUSED_BARE.exec(text);
  const h = caused ? parseJavaHeader(caused[2]!) : CONSOLE_HEADER.test(text) ? parseJavaHeader(text) : null;
  if (!h || h.thread !== null) return null;
  const root = newNode(h.type, h.message, line.docLine);
  return { score: 4, builder: new JavaBuilder(root, indentOf(text), null, true) };
}

export const javaParser: TraceParser = {
  name: 'java',
  trigger: /^\s*(?:at\s+(?:[^\s()]+\(|\d{1,6} +\S+ +0x)|Caused by:? |(?:Fatal|Non-fatal) Exception: )/,
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    let frame = parseJavaFrame(line.text, line.docLine, true);
    // `at b.a.c()` is R8 without a line table, unless it reads as .NET (whose namespaces are capitalized).
    if (frame?.notes?.[0] === 'no source' && !LOWER_QUALIFIED.test(frame.function!)) frame = null;
    frame ??= parseKotlinNativeFrame(line.text, line.docLine);
    const caused = frame ? null : CAUSED.exec(line.text);
    if (!frame && !caused) return beginConsole(line);
    const found = findHeader(ctx.history);
    let root: TraceNode;
    let rootIndent = 0;
    let thread: ThreadInfo | null = null;
    if (found) {
      const first = found.lines[0]!;
      root = newNode(found.header.type, found.header.message, first.docLine);
      if (found.header.thread !== null) thread = { name: found.header.thread, id: null, state: null };
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
    const android = findAndroidHeader(ctx.history, root.span.start);
    if (android) {
      extendSpan(root.span, android.start);
      thread = { ...android.thread, name: thread?.name ?? android.thread.name };
    }
    const builder = new JavaBuilder(root, rootIndent, thread);
    if (frame) builder.addFrame(frame);
    else if (found) builder.header('cause', indentOf(caused![1]!), caused![2]!, line.docLine);
    // A frame with a source file and line is unmistakable (so is Kotlin/Native's `kfun:`); a bare header
    // guess is less so, and `at a.b()` under a header could still be .NET's (which then outbids it).
    let score = found ? 6 : 3;
    if (frame) {
      if (frame.file || frame.raw.includes(' kfun:')) score = 10;
      else if (frame.notes?.[0] === 'no source') score = 5;
      else score = frame.address === null ? 8 : 6;
    }
    return { score, builder };
  },
};
