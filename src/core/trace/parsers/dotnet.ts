// .NET exceptions as Exception.ToString() writes them (Framework and Core, in the runtime's UI languages):
// inner exceptions (` ---> `), async boundaries, AggregateException blocks and Visual Studio's "Copy Details".

import { emptyFrame, type Frame, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { parseJavaFrame } from './java';
import { appendMessage, closeSpans, extendSpan, isBlank, newNode, titleOf, toInt } from './util';

/**
 * `   at Ns.Type.Method(Type arg, …)` then whatever the runtime appended (location, native offset). The "at"
 * word is localized (resource Word_At): English, German, French, Spanish and Italian (`in`), Portuguese,
 * Russian, Chinese (simplified, traditional), Japanese, Korean, Polish, Czech, Dutch, Swedish, Danish and
 * Norwegian. The trigger below repeats the list.
 */
const FRAME = /^\s*(at|bei|à|en|in|em|в|在|於|場所|위치:|w|v|bij|vid|ved)\s+([^\s(]+)\(([^()]*)\)(.*)$/;
const JVM_SOURCE = /^(?:Native Method|Unknown Source)$/;
/** Exceptions of a JVM: their traces may have frames that read like .NET's (`at a.b.C.d()` after R8). */
const JVM_TYPE = /^(?:java|javax|jdk|sun|kotlin|kotlinx|android|androidx|scala|groovy|clojure|dalvik)\./;
/** Words that read as "at" in prose too: a frame with only them and no location is weak evidence. */
const WEAK_AT = new Set(['in', 'en', 'w', 'v', 'em']);
/** ` in <path>` — the in-word is localized (`in`, `dans`, `en`, `位置`, `場所`, `파일`, `na`, `в`…). */
const LOCATION = /^\s+(\S+)\s+(\S.*)$/;
/**
 * The end of the location: `:line 42`, `:Zeile 42.`, `:ligne 42`, `:行号 42`, `: 行 42` (zh-TW), `:줄 42`.
 * Anchored at the end so that a Windows drive colon is never taken for it: the LAST `:<word> N` wins.
 */
const LINE_SUFFIX = /:\s?(\p{L}{1,16})\s(\d{1,9})\.?$/u;
/** .NET 5+ without line information: `in /app/My.dll:token 0x6000001+0x2a`. */
const TOKEN_SUFFIX = /:token (0x[0-9a-fA-F]{1,16})\+(0x[0-9a-fA-F]{1,16})$/;
/** NativeAOT: `at Program.Main(String[] args) + 0x3a`. */
const NATIVE_OFFSET = /^\s+\+\s?(0x[0-9a-fA-F]{1,16})$/;

/** `--- End of inner exception stack trace ---`, `--- End of stack trace from previous location … ---`. */
const SEPARATOR = /^\s*--- ?(\S.*)$/;
/** What tells the inner-exception separator from the async one, in every language the runtime speaks. */
const INNER_WORD = /inner|intern|inre|внутрен|内部|內部|내부|wewnętrzn|vnitřní/i;
/** Remoting / WCF: the client-side frames after the server's. */
const RETHROWN = /^\s*Exception rethrown at \[\d{1,4}\]:?$/;
const SERVER_STACK = /^\s*Server stack trace:?$/;
/** AggregateException.ToString: `---> (Inner Exception #1) Type: message`, localized (`(Interne Ausnahme #0)`). */
const AGGREGATE = /^\s*---> \(([^()#]{1,60})#(\d{1,4})\) ?(.*)$/;
const ARROW = /^\s*---> ?(.*)$/;
/** Visual Studio's exception helper "Copy Details": `  HResult=…`, `  Message=…`, `  StackTrace:`. */
const VS_KEY = /^\s*(?:(HResult|Message|Source|TargetSite|HelpLink)=(.*)|(StackTrace|Data|InnerException):)$/;

/** A dotted type name: `System.IO.FileNotFoundException`, nested `Outer+InnerException`, generic `` Foo`1 ``. */
const QUALIFIED = /(?:[\p{L}_][\p{L}\p{N}_`]*[.+])+[\p{L}_][\p{L}\p{N}_`]*/uy;
const IDENT = /[\p{L}_][\p{L}\p{N}_`]*/uy;
/** Win32Exception, SocketException and SqlException print their code after the type: `(0x80004005)`, `(111)`. */
const CODE = / \((0x[0-9A-Fa-f]{1,16}|-?\d{1,10})\)/y;

/** Parses a .NET frame line, or returns null. */
export function parseDotnetFrame(text: string, docLine: number): Frame | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  const word = m[1]!;
  const args = m[3]!;
  // .NET writes every parameter as `Type name`: one bare token in the parentheses is Java's `File.java:12`
  // or a call in prose, and `/`, `@` or `:` are a JVM's `java.base@11/Native Method`, never .NET's.
  if (args.length > 0 && (!/\s/.test(args) || /[/@:]/.test(args) || JVM_SOURCE.test(args))) return null;
  const fn = m[2]!;
  if (fn.includes('/')) return null;
  const rest = m[4]!;
  const frame = emptyFrame(text.trim(), docLine);
  frame.function = fn;
  frame.args = args;
  if (rest.length === 0) {
    if (word === 'at' && parseJavaFrame(text, docLine)) return null;
    return frame;
  }
  const native = NATIVE_OFFSET.exec(rest);
  if (native) {
    frame.offset = native[1]!;
    return frame;
  }
  const loc = LOCATION.exec(rest);
  if (!loc) return frame;
  const path = loc[2]!;
  const line = LINE_SUFFIX.exec(path);
  if (line) {
    frame.file = path.slice(0, line.index);
    frame.line = toInt(line[2]);
    return frame;
  }
  const token = TOKEN_SUFFIX.exec(path);
  if (token) {
    frame.module = path.slice(0, token.index);
    frame.offset = token[2]!;
    frame.notes = [`token ${token[1]!}`];
    return frame;
  }
  // A location without its line keyword: cut off, or wrapped onto the next line (see DotnetBuilder.rejoin).
  frame.file = path;
  return frame;
}

/** One exception of a header: `Type[ (code)][: message]`. */
export interface Segment {
  type: string;
  code: string | null;
  message: string | null;
}

/** The type at `pos` if what follows it ends a type (`: `, ` ---> `, the end of the line), else null. */
function typeAt(
  text: string,
  pos: number,
  qualifiedOnly: boolean,
): { type: string; code: string | null; end: number } | null {
  QUALIFIED.lastIndex = pos;
  let m = QUALIFIED.exec(text);
  if (!m) {
    if (qualifiedOnly) return null;
    IDENT.lastIndex = pos;
    m = IDENT.exec(text);
    if (!m || !m[0].endsWith('Exception')) return null;
  }
  const type = m[0];
  let end = pos + type.length;
  CODE.lastIndex = end;
  const code = CODE.exec(text);
  if (code) end += code[0].length;
  if (end === text.length || text.startsWith(' ---> ', end))
    return { type, code: code ? code[1]! : null, end };
  if (text.charCodeAt(end) === 58 /* : */ && (end + 1 === text.length || text.charCodeAt(end + 1) === 32)) {
    return { type, code: code ? code[1]! : null, end };
  }
  return null;
}

/** `Type: message ---> Inner: message ---> …` from `pos` on, or null when no type starts there. */
function segmentsAt(text: string, pos: number, qualifiedOnly: boolean): Segment[] | null {
  const segs: Segment[] = [];
  let t = typeAt(text, pos, qualifiedOnly);
  if (!t) return null;
  for (;;) {
    const seg: Segment = { type: t.type, code: t.code, message: null };
    segs.push(seg);
    let i = t.end;
    if (text.charCodeAt(i) === 58) i += 2;
    else if (i === text.length) break;
    const arrow = nextArrow(text, i);
    const message = text.slice(Math.min(i, text.length), arrow ? arrow.at : text.length);
    seg.message = message.length > 0 ? message : null;
    if (!arrow) break;
    t = arrow.next;
  }
  return segs;
}

/** The next ` ---> ` that a type follows: messages may contain arrows of their own. */
function nextArrow(
  text: string,
  from: number,
): { at: number; next: NonNullable<ReturnType<typeof typeAt>> } | null {
  for (let at = text.indexOf(' ---> ', from); at >= 0; at = text.indexOf(' ---> ', at + 1)) {
    const next = typeAt(text, at + 6, false);
    if (next) return { at, next };
  }
  return null;
}

/**
 * An exception header line, after any label the writer put before the type: `Unhandled Exception: `,
 * `Unhandled exception. `, an app's `Exception: `, a localized `Unbehandelte Ausnahme: ` or `未经处理的异常:  `.
 * A dotted type wins over a bare `…Exception` word, so `Exception: System.IO.FileNotFoundException: x` is
 * read as the FileNotFoundException.
 */
export function parseDotnetHeader(text: string): Segment[] | null {
  const starts: number[] = [];
  let p = 0;
  while (p < text.length && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
  starts.push(p);
  const limit = Math.min(text.length - 1, 160);
  for (let i = p; i < limit && starts.length < 8; i++) {
    const c = text.charCodeAt(i);
    const sep = ((c === 58 || c === 46) && text.charCodeAt(i + 1) === 32) || c === 0xff1a; /* ：*/
    if (!sep) continue;
    let s = i + 1;
    while (s < text.length && text.charCodeAt(s) === 32) s++;
    if (s < text.length) starts.push(s);
  }
  for (const s of starts) {
    // After a label, only a type that reads as an exception: `Connecting to db.example.com: timeout` is not one.
    if (s !== p) {
      const t = typeAt(text, s, true);
      if (!t || !t.type.endsWith('Exception')) continue;
    }
    const segs = segmentsAt(text, s, true);
    if (segs) return segs;
  }
  for (const s of starts) {
    const segs = segmentsAt(text, s, false);
    if (segs) return segs;
  }
  return null;
}

/** One exception chain being written: `Outer ---> Inner ---> Innermost`, and which of them gets frames. */
interface Block {
  chain: TraceNode[];
  depth: number;
  /** The block's frames have begun: other lines now end the trace rather than extend a message. */
  inFrames: boolean;
  messageLines: number;
  /** Set by `Message=` in Visual Studio's format: the following lines continue the message. */
  vsMessage: boolean;
}

class DotnetBuilder implements TraceBuilder {
  private readonly root: TraceNode;
  private readonly blocks: Block[];
  /** Codes printed after the type (`SocketException (111)`), kept in the title. */
  private readonly codes = new Map<TraceNode, string>();
  /** Frames whose location lacks its `:line N`, until the next line shows whether it was wrapped. */
  private readonly unfinished = new Set<Frame>();
  private pending: Frame | null = null;
  private boundary: string | null = null;
  private lastLine: number;

  /** The header's exceptions (outermost first), or none when the trace starts at its frames. */
  constructor(segs: Segment[] | null, docLine: number, untitled: string) {
    const block = newBlock();
    this.blocks = [block];
    if (segs) this.extendChain(block, segs, docLine);
    else {
      const node = newNode(null, null, docLine);
      node.title = untitled;
      block.chain.push(node);
    }
    this.root = block.chain[0]!;
    this.lastLine = docLine;
  }

  private get block(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }

  private get current(): TraceNode {
    const b = this.block;
    return b.chain[b.depth]!;
  }

  /** Adds `segs` as a chain of inner exceptions below the block's innermost node. */
  extendChain(block: Block, segs: Segment[], docLine: number): void {
    for (const s of segs) {
      const node = newNode(s.type, s.message, docLine);
      if (s.code !== null) this.codes.set(node, s.code);
      const parent = block.chain[block.chain.length - 1];
      if (parent) {
        node.relation = 'inner';
        parent.causes.push(node);
      }
      block.chain.push(node);
    }
    block.depth = block.chain.length - 1;
  }

  /** A line between a block's header and its first frame: message text, ` ---> Inner`, VS keys. */
  headerLine(line: LogicalLine): boolean {
    const b = this.block;
    const text = line.text;
    const node = b.chain[b.chain.length - 1];
    if (!node || b.messageLines >= 30) return false;
    b.messageLines++;
    this.lastLine = line.docLine;
    const vs = VS_KEY.exec(text);
    if (vs) {
      b.vsMessage = vs[1] === 'Message';
      if (b.vsMessage) appendMessage(node, vs[2]!);
      extendSpan(node.span, line.docLine);
      return true;
    }
    const arrowLine = ARROW.exec(text);
    const segs = arrowLine ? parseDotnetHeader(arrowLine[1]!) : null;
    if (segs) {
      b.vsMessage = false;
      this.extendChain(b, segs, line.docLine);
      return true;
    }
    extendSpan(node.span, line.docLine);
    if (SERVER_STACK.test(text) || isBlank(text)) return true;
    // A message line may end with the inner exception: `Parameter name: x ---> System.IO.IOException: y`.
    const trimmed = text.trim();
    const arrow = nextArrow(trimmed, 0);
    const inner = arrow ? segmentsAt(trimmed, arrow.at + 6, false) : null;
    appendMessage(node, arrow && inner ? trimmed.slice(0, arrow.at) : trimmed);
    if (inner) this.extendChain(b, inner, line.docLine);
    return true;
  }

  /** `--- End of inner exception stack trace ---`: the frames that follow are the next outer exception's. */
  endOfInner(): void {
    this.boundary = null;
    let b = this.block;
    b.inFrames = true;
    if (b.depth === 0 && this.blocks.length > 1) {
      // An AggregateException block closed without its `<---`: the separator belongs to the block's parent.
      this.blocks.pop();
      b = this.block;
    }
    if (b.depth > 0) b.depth--;
  }

  /** `---> (Inner Exception #N) Type: message`: one of an AggregateException's inner exceptions. */
  openAggregate(index: number, text: string, docLine: number): void {
    const parent = this.current;
    const segs = parseDotnetHeader(text);
    const block = newBlock();
    if (segs) {
      const first = segs[0]!;
      // .NET Framework repeats the first inner exception (already written after ` ---> `) as #0.
      const repeated =
        index === 0 &&
        parent.causes.some((c) => c.type === first.type && firstLine(c.message) === firstLine(first.message));
      this.extendChain(block, segs, docLine);
      if (!repeated) {
        block.chain[0]!.relation = 'inner';
        parent.causes.push(block.chain[0]!);
      }
    } else {
      const node = newNode(null, text, docLine);
      node.relation = 'inner';
      parent.causes.push(node);
      block.chain.push(node);
    }
    this.blocks.push(block);
  }

  addFrame(frame: Frame): void {
    if (this.boundary !== null) {
      (frame.notes ??= []).push(this.boundary);
      this.boundary = null;
    }
    const b = this.block;
    b.inFrames = true;
    b.chain[b.depth]!.frames.push(frame);
    if (frame.file !== null && frame.line === null) {
      this.unfinished.add(frame);
      this.pending = frame;
    }
  }

  /**
   * A path wrapped onto the next line (a paste that broke a long line): the frame's location has no line
   * keyword and this line, at column 0, continues a path and ends with one. Only then is it joined.
   */
  private rejoin(frame: Frame, text: string): boolean {
    const c = text.charCodeAt(0);
    if (Number.isNaN(c) || c === 32 || c === 9) return false;
    const line = LINE_SUFFIX.exec(text);
    if (!line || FRAME.test(text) || SEPARATOR.test(text)) return false;
    // The rest of a path (`\Backend\Section.cs`), not a log line that happens to end in `:word N`.
    const tail = text.slice(0, line.index);
    if (!/[\\/.]/.test(tail) || tail.includes(' ---> ') || parseDotnetHeader(text)) return false;
    frame.file = frame.file! + tail;
    frame.line = toInt(line[2]);
    frame.raw = frame.raw + text;
    this.unfinished.delete(frame);
    return true;
  }

  feed(line: LogicalLine): Feed {
    let text = line.text;
    const pending = this.pending;
    this.pending = null;
    if (pending && this.rejoin(pending, text)) {
      this.lastLine = line.docLine;
      return Feed.Take;
    }
    // `<---` closes an AggregateException block, on the block's last line or on a line of its own.
    let close = false;
    if (text.endsWith('<---')) {
      close = true;
      text = text.slice(0, -4);
      if (isBlank(text)) {
        this.closeBlock();
        this.lastLine = line.docLine;
        return Feed.Take;
      }
    }
    const result = this.take(text, line);
    if (result === Feed.Take) {
      this.lastLine = line.docLine;
      if (close) this.closeBlock();
    }
    return result;
  }

  private take(text: string, line: LogicalLine): Feed {
    const frame = parseDotnetFrame(text, line.docLine);
    if (frame) {
      this.addFrame(frame);
      return Feed.Take;
    }
    if (isBlank(text)) return Feed.Hold;
    const agg = AGGREGATE.exec(text);
    if (agg) {
      this.openAggregate(toInt(agg[2]) ?? 0, agg[3]!, line.docLine);
      return Feed.Take;
    }
    const sep = SEPARATOR.exec(text);
    if (sep) {
      if (INNER_WORD.test(sep[1]!)) this.endOfInner();
      else this.boundary = 'async boundary';
      extendSpan(this.current.span, line.docLine);
      return Feed.Take;
    }
    if (RETHROWN.test(text)) {
      this.boundary = 'rethrown';
      extendSpan(this.current.span, line.docLine);
      return Feed.Take;
    }
    if (!this.block.inFrames && this.headerLine({ ...line, text })) return Feed.Take;
    return Feed.End;
  }

  private closeBlock(): void {
    if (this.blocks.length > 1) this.blocks.pop();
    this.boundary = null;
  }

  finish(): Trace[] {
    for (const f of this.unfinished) (f.notes ??= []).push('truncated');
    extendSpan(this.root.span, this.lastLine);
    closeSpans(this.root);
    for (const [node, code] of this.codes) {
      const head = `${node.type ?? ''} (${code})`;
      node.title = node.message ? `${head}: ${firstLine(node.message)}` : head;
    }
    return [{ ...this.root, format: 'dotnet', kind: 'exception' }];
  }
}

function newBlock(): Block {
  return { chain: [], depth: 0, inFrames: false, messageLines: 0, vsMessage: false };
}

function firstLine(message: string | null): string {
  return message === null ? '' : message.split('\n', 1)[0]!;
}

/**
 * The exception header above the first frame: the nearest line that reads as `Ns.Type: message`, with the
 * lines between it and the frame (more message, ` ---> Inner` lines, Visual Studio's `Key=value` lines).
 * In Visual Studio's format the header is the type line right above `HResult=` (or `Message=`), so a
 * message line that happens to read like a type is not taken for it.
 */
function findHeader(history: readonly LogicalLine[]): { segs: Segment[]; lines: LogicalLine[] } | null {
  let i = history.length - 1;
  if (i >= 0 && isBlank(history[i]!.text)) i--;
  const below: LogicalLine[] = [];
  let vs = false;
  for (let n = 0; i >= 0 && n < 24; i--, n++) {
    const l = history[i]!;
    if (isBlank(l.text) || parseDotnetFrame(l.text, l.docLine)) return null;
    const key = VS_KEY.exec(l.text);
    if (key) {
      if (key[3] === 'StackTrace' && below.length === 0) vs = true;
      below.unshift(l);
      continue;
    }
    const sep = SEPARATOR.exec(l.text);
    if (ARROW.test(l.text) || (sep && INNER_WORD.test(sep[1]!))) {
      below.unshift(l);
      continue;
    }
    if (SERVER_STACK.test(l.text)) {
      // Remoting writes a blank line between the message and `Server stack trace:`.
      below.unshift(l);
      if (i > 0 && isBlank(history[i - 1]!.text)) i--;
      continue;
    }
    const under = below[0] ? VS_KEY.exec(below[0].text) : null;
    if (!vs || (under && (under[1] === 'HResult' || under[1] === 'Message'))) {
      const segs = parseDotnetHeader(l.text);
      if (segs) return { segs, lines: [l, ...below] };
    }
    below.unshift(l);
  }
  return null;
}

export const dotnetParser: TraceParser = {
  name: 'dotnet',
  trigger: /^\s*(?:at|bei|à|en|in|em|в|在|於|場所|위치:|w|v|bij|vid|ved)\s+[^\s(]+\(/,
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const frame = parseDotnetFrame(line.text, line.docLine);
    if (!frame) return null;
    // Without a line or offset, only a qualified method starts a trace: `   in Windows(XP edition) the…` is prose.
    if (frame.line === null && frame.offset === null && !frame.function!.includes('.')) return null;
    const found = findHeader(ctx.history);
    if (found ? JVM_TYPE.test(found.segs[0]!.type) : frame.line === null && /^[a-z]/.test(frame.function!)) {
      // `at com.acme.b.a()` under no header, or under a Java exception: an obfuscated JVM frame, not ours.
      return null;
    }
    let builder: DotnetBuilder;
    if (found) {
      builder = new DotnetBuilder(found.segs, found.lines[0]!.docLine, '');
      for (const l of found.lines.slice(1)) {
        const sep = SEPARATOR.exec(l.text);
        if (sep && INNER_WORD.test(sep[1]!)) builder.endOfInner();
        else builder.headerLine(l);
      }
    } else {
      builder = new DotnetBuilder(null, line.docLine, titleOf(null, line.text.trim()));
    }
    builder.addFrame(frame);
    const word = FRAME.exec(line.text)![1]!;
    // A location with a line keyword is unmistakable; `at X.Y()` under an exception header nearly so.
    const score = frame.line !== null ? 10 : found ? 8 : word === 'at' ? 6 : WEAK_AT.has(word) ? 3 : 5;
    return { score, builder };
  },
};
