// Traces as crash-reporting services render them where no language's parser reads them: Sentry, Application
// Insights, App Center (Mono frames, bug-tracker issues), Bugsnag, Honeybadger — each in its language's format.

import { allFrames, emptyFrame, type FormatId, type Frame, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { parseDotnetFrame, parseDotnetHeader } from './dotnet';
import { parseJavaFrame } from './java';
import { parseV8Frame } from './node';
import { parsePhpFrame } from './php';
import { parseRubyLine } from './ruby';
import { appendMessage, closeSpans, extendSpan, isBlank, newNode, titleOf, toInt } from './util';

// ---------------------------------------------------------------------------------------------------------
// Shared

/** The language a file belongs to, by its extension; null when the extension says nothing. */
function formatOfFile(file: string | null): FormatId | null {
  if (file === null) return null;
  const dot = file.lastIndexOf('.');
  if (dot < 0 || file.length - dot > 8) return null;
  switch (file.slice(dot + 1).toLowerCase()) {
    case 'py':
      return 'python';
    case 'rb':
    case 'rake':
    case 'erb':
      return 'ruby';
    case 'php':
    case 'inc':
    case 'phtml':
      return 'php';
    case 'js':
    case 'mjs':
    case 'cjs':
    case 'jsx':
    case 'ts':
    case 'tsx':
    case 'vue':
    case 'svelte':
      return 'node';
    case 'java':
    case 'kt':
    case 'kts':
    case 'scala':
    case 'groovy':
    case 'clj':
      return 'java';
    case 'cs':
    case 'vb':
    case 'fs':
      return 'dotnet';
    case 'go':
      return 'go';
    case 'swift':
    case 'm':
    case 'mm':
      return 'apple';
    case 'ex':
    case 'exs':
      return 'elixir';
    case 'erl':
    case 'hrl':
      return 'erlang';
    case 'dart':
      return 'dart';
    case 'rs':
      return 'rust';
    case 'c':
    case 'cc':
    case 'cpp':
    case 'cxx':
    case 'h':
    case 'hpp':
      return 'cpp';
    default:
      return null;
  }
}

/** The format most of the frames' files name, or `fallback`. */
function formatOfFrames(frames: readonly Frame[], fallback: FormatId): FormatId {
  const votes = new Map<FormatId, number>();
  let best: FormatId = fallback;
  let most = 0;
  for (const f of frames) {
    const fmt = formatOfFile(f.file);
    if (fmt === null) continue;
    const n = (votes.get(fmt) ?? 0) + 1;
    votes.set(fmt, n);
    if (n > most) {
      most = n;
      best = fmt;
    }
  }
  return best;
}

/** The line right above `line` in the history, if nothing another trace claimed lies between them. */
function lineAbove(history: readonly LogicalLine[], docLine: number, back = 1): LogicalLine | null {
  const l = history[history.length - back];
  return l && l.docLine >= docLine - back ? l : null;
}

/** `at fn(File.java:12)` from a frame written without `at` (`fn (File.java:12);`): App Center's bug tracker. */
const BARE_JVM_FRAME = /^\s*([^\s()]{1,1000}) \(([^()]{0,1000})\);?$/;

function parseBareJvmFrame(text: string, docLine: number): Frame | null {
  const m = BARE_JVM_FRAME.exec(text);
  if (!m) return null;
  const f = parseJavaFrame(`at ${m[1]!}(${m[2]!})`, docLine);
  if (!f) return null;
  f.raw = text.trim();
  return f;
}

/** A node chain `nodes[0]` (outermost) → `nodes[1]` → …, each the cause of the one before. */
function chain(nodes: readonly TraceNode[], relation: TraceNode['relation']): TraceNode {
  for (let i = 1; i < nodes.length; i++) {
    nodes[i]!.relation = relation;
    nodes[i - 1]!.causes.push(nodes[i]!);
  }
  return nodes[0]!;
}

function trace(root: TraceNode, format: FormatId): Trace {
  closeSpans(root);
  return { ...root, format, kind: 'exception' };
}

// ---------------------------------------------------------------------------------------------------------
// Application Insights: the portal's call stack (`at M (Assembly, Version=…: file:line)`, `Inner exception T
// handled at M:`) and exception rows holding the `details` JSON with its `parsedStack`.

const AI_FRAME = /^\s*at (\S{1,2000}) \((.*)\)$/s;
const AI_INNER = /^\s*Inner exception (\S{1,500}) handled at (\S{1,2000}?):?$/;

function parseAiFrame(text: string, docLine: number): Frame | null {
  const m = AI_FRAME.exec(text);
  if (!m) return null;
  const inner = m[2]!;
  const token = inner.indexOf('PublicKeyToken=');
  if (token < 0 || inner.indexOf(', Version=') < 0) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.function = m[1]!;
  const sep = inner.indexOf(': ', token);
  if (sep < 0) {
    frame.module = inner;
    return frame;
  }
  frame.module = inner.slice(0, sep);
  const loc = inner.slice(sep + 2);
  const colon = loc.lastIndexOf(':');
  const line = colon > 0 ? toInt(loc.slice(colon + 1)) : null;
  frame.file = line !== null ? loc.slice(0, colon) : loc;
  frame.line = line;
  return frame;
}

class AppInsightsBuilder implements TraceBuilder {
  private readonly nodes: TraceNode[];
  private current: TraceNode;

  constructor(root: TraceNode) {
    this.nodes = [root];
    this.current = root;
  }

  addFrame(frame: Frame): void {
    this.current.frames.push(frame);
  }

  feed(line: LogicalLine): Feed {
    const frame = parseAiFrame(line.text, line.docLine);
    if (frame) {
      this.addFrame(frame);
      return Feed.Take;
    }
    const inner = AI_INNER.exec(line.text);
    if (inner) {
      const node = newNode(inner[1]!, null, line.docLine);
      this.nodes.push(node);
      this.current = node;
      return Feed.Take;
    }
    return isBlank(line.text) ? Feed.Hold : Feed.End;
  }

  finish(): Trace[] {
    const root = chain(this.nodes, 'inner');
    return [trace(root, formatOfFrames(root.frames, 'dotnet'))];
  }
}

/** A `Type:` / `Type: message` line above App Insights' call stack. */
function aiHeader(text: string, docLine: number): TraceNode | null {
  const segs = parseDotnetHeader(text);
  const s = segs?.[0];
  if (s) return newNode(s.type, s.message || null, docLine);
  const m = /^\s*([\w.+`]{1,300}):$/.exec(text);
  return m ? newNode(m[1]!, null, docLine) : null;
}

interface AiDetail {
  id?: unknown;
  outerId?: unknown;
  type?: unknown;
  message?: unknown;
  parsedStack?: unknown;
}

interface AiStackFrame {
  level?: unknown;
  method?: unknown;
  assembly?: unknown;
  fileName?: unknown;
  line?: unknown;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : null;
}

/** The `details` array of an exception row, as JSON (CSV exports double its quotes). */
function parseDetails(text: string): AiDetail[] | null {
  let s = text;
  if (s.indexOf('""parsedStack""') >= 0) s = s.replace(/""/g, '"');
  const start = s.indexOf('[{');
  const end = s.lastIndexOf('}]');
  if (start < 0 || end < start) return null;
  try {
    const v: unknown = JSON.parse(s.slice(start, end + 2));
    return Array.isArray(v) ? (v as AiDetail[]) : null;
  } catch {
    return null;
  }
}

function detailNode(d: AiDetail, docLine: number): TraceNode {
  const node = newNode(str(d.type), str(d.message), docLine);
  const stack = Array.isArray(d.parsedStack) ? (d.parsedStack as AiStackFrame[]) : [];
  const frames = stack
    .map((sf, i) => ({ sf, level: typeof sf.level === 'number' ? sf.level : i }))
    .sort((a, b) => a.level - b.level);
  for (const { sf } of frames) {
    // The frame's own object is its text: the row can be long, and every frame would repeat it.
    const f = emptyFrame(JSON.stringify(sf), docLine);
    f.function = str(sf.method);
    f.module = str(sf.assembly);
    f.file = str(sf.fileName);
    // The telemetry writes 0 for "no line".
    f.line = typeof sf.line === 'number' && sf.line > 0 ? sf.line : null;
    node.frames.push(f);
  }
  return node;
}

/** One exception row: the outermost exception, with the ones whose `outerId` names it as inner exceptions. */
function detailsTrace(details: AiDetail[], line: LogicalLine, title: TraceNode | null): Trace | null {
  const byId = new Map<string, { d: AiDetail; node: TraceNode }>();
  const all = details.map((d) => ({ d, node: detailNode(d, line.docLine) }));
  for (const e of all) {
    const id = str(e.d.id);
    if (id !== null) byId.set(id, e);
  }
  let root: TraceNode | null = null;
  for (const e of all) {
    const outer = str(e.d.outerId);
    const parent = outer !== null ? byId.get(outer) : undefined;
    if (parent && parent !== e) {
      e.node.relation = 'inner';
      parent.node.causes.push(e.node);
    } else root ??= e.node;
  }
  if (!root) return null;
  if (title) {
    extendSpan(root.span, title.span.start);
    if (root.type === null) {
      root.type = title.type;
      root.message = title.message;
      root.title = title.title;
    }
  }
  const frames = [...allFrames(root)];
  const dotnet = frames.some((f) => f.module?.includes('Version=') ?? false);
  return trace(root, dotnet ? 'dotnet' : formatOfFrames(frames, 'dotnet'));
}

/** A row of an exception copied from the portal's table: `outerType<TAB>System.X` or `| outerType | System.X |`. */
const ROW = /^\s{0,8}\|?\s{0,8}(\w{1,40})\s{0,8}[\t|]/;

/** The rows above a `details` row: `outerType` / `outerMessage` (or `type` / `message`), tab- or `|`-separated. */
function rowsAbove(history: readonly LogicalLine[], docLine: number): TraceNode | null {
  let type: string | null = null;
  let message: string | null = null;
  let first = docLine;
  for (let i = history.length - 1, n = 0; i >= 0 && n < 30; i--, n++) {
    const l = history[i]!;
    if (l.docLine < first - 1) break;
    const m = ROW.exec(l.text);
    if (!m) break;
    first = l.docLine;
    const key = m[1]!;
    let value = l.text.slice(m[0].length).trim();
    if (value.endsWith('|')) value = value.slice(0, -1).trim();
    if (value.length === 0) continue;
    if (key === 'outerType' || (key === 'type' && type === null)) type = value;
    if (key === 'outerMessage' || (key === 'message' && message === null)) message = value;
  }
  if (type === null && message === null) return null;
  return newNode(type, message, first);
}

/** A builder for a trace read whole from its first line. */
class DoneBuilder implements TraceBuilder {
  constructor(private readonly traces: Trace[]) {}
  feed(): Feed {
    return Feed.End;
  }
  finish(): Trace[] {
    return this.traces;
  }
}

// ---------------------------------------------------------------------------------------------------------
// App Center (Xamarin): Mono's frames, `at M (args) [0x0001a] in file:42`, `<0x… + 0x…>`, `(wrapper …)`.

const MONO_FRAME = /^\s*at (?:\(wrapper ([\w-]{1,40})\) )?(\S.*)$/s;
const IL_OFFSET = /^ \[(0x[0-9a-fA-F]{1,16})\]/;
const NATIVE_OFFSET = /^ <(0x[0-9a-fA-F]{1,16}) \+ (0x[0-9a-fA-F]{1,16})>/;
const MONO_SEPARATOR = /^\s*--- ?(End of .*)$/;
const MONO_ARROW = /^\s*---> (.*)$/s;

/** Index of the `)` that closes the `(` at `open`, or -1. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41 && --depth === 0) return i;
  }
  return -1;
}

export function parseMonoFrame(text: string, docLine: number): Frame | null {
  const m = MONO_FRAME.exec(text);
  if (!m) return null;
  const wrapper = m[1];
  const body = m[2]!;
  const open = wrapper ? body.indexOf('(') : body.indexOf(' (');
  if (open <= 0) return null;
  const argsAt = wrapper ? open : open + 1;
  const close = closing(body, argsAt);
  if (close < 0) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.function = body.slice(0, open);
  frame.args = body.slice(argsAt + 1, close);
  let rest = body.slice(close + 1);
  const il = IL_OFFSET.exec(rest);
  const native = il ? null : NATIVE_OFFSET.exec(rest);
  // Mono's mark: the IL offset, a native address, or a runtime wrapper. Without one it is another runtime's.
  if (!il && !native && !wrapper) return null;
  if (wrapper) frame.notes = [`wrapper ${wrapper}`];
  if (il) {
    frame.offset = il[1]!;
    rest = rest.slice(il[0].length);
  } else if (native) {
    frame.address = native[1]!;
    frame.offset = native[2]!;
    rest = rest.slice(native[0].length);
  }
  if (rest.startsWith(' in ')) {
    const loc = rest.slice(4);
    const colon = loc.lastIndexOf(':');
    const file = colon > 0 ? loc.slice(0, colon) : loc;
    const line = colon > 0 ? toInt(loc.slice(colon + 1)) : null;
    // `<2f3f…>:0` / `<filename unknown>:0`: no source information, only the assembly's id.
    if (!file.startsWith('<')) {
      frame.file = line !== null ? file : loc;
      frame.line = line;
      if (line === null) frame.notes = [...(frame.notes ?? []), 'truncated'];
    }
  }
  return frame;
}

class MonoBuilder implements TraceBuilder {
  /** Outermost first; frames go to `nodes[depth]` (the innermost first, as .NET prints them). */
  private readonly nodes: TraceNode[];
  private depth: number;
  private boundary = false;
  private inFrames = false;

  constructor(nodes: TraceNode[]) {
    this.nodes = nodes;
    this.depth = nodes.length - 1;
  }

  addFrame(frame: Frame): void {
    if (this.boundary) {
      frame.notes = [...(frame.notes ?? []), 'async boundary'];
      this.boundary = false;
    }
    this.nodes[this.depth]!.frames.push(frame);
    this.inFrames = true;
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    const frame = parseMonoFrame(text, line.docLine);
    if (frame) {
      this.addFrame(frame);
      return Feed.Take;
    }
    const sep = MONO_SEPARATOR.exec(text);
    if (sep) {
      if (/inner exception/i.test(sep[1]!)) {
        if (this.depth > 0) this.depth--;
      } else this.boundary = true;
      extendSpan(this.nodes[this.depth]!.span, line.docLine);
      return Feed.Take;
    }
    const arrow = this.inFrames ? null : MONO_ARROW.exec(text);
    const segs = arrow ? parseDotnetHeader(arrow[1]!) : null;
    if (segs) {
      for (const s of segs) this.nodes.push(newNode(s.type, s.message, line.docLine));
      this.depth = this.nodes.length - 1;
      return Feed.Take;
    }
    return isBlank(text) ? Feed.Hold : Feed.End;
  }

  finish(): Trace[] {
    return [trace(chain(this.nodes, 'inner'), 'dotnet')];
  }
}

/** The exception line above Mono's frames: `System.Exception: outer ---> System.IO.IOException: inner`. */
function monoHeader(history: readonly LogicalLine[], docLine: number): TraceNode[] | null {
  const above = lineAbove(history, docLine);
  const segs = above ? parseDotnetHeader(above.text) : null;
  if (!above || !segs) return null;
  return segs.map((s) => newNode(s.type, s.message, above.docLine));
}

// ---------------------------------------------------------------------------------------------------------
// Frame lists: Bugsnag's `    app/x.rb:12 - method`, Honeybadger's `line 12 of [PROJECT_ROOT]/x.rb: method`,
// App Center's bug-tracker `com.x.Y.z (Y.java:12);`. Innermost first; the language from the files.

const BUGSNAG_FRAME = /^\s{0,8}(\S.{0,2000}?) - (.*)$/s;
const HONEYBADGER_FRAME = /^\s*line (\d{1,9}) of (.*)$/s;
const BUGSNAG_TYPE = /^\*\*([^*]{1,500})\*\*(?: in \*\*[^*]*\*\*)?$/;

function parseBugsnagFrame(text: string, docLine: number): Frame | null {
  const m = BUGSNAG_FRAME.exec(text);
  if (!m) return null;
  let loc = m[1]!;
  let colon = loc.lastIndexOf(':');
  if (colon <= 0) return null;
  let line = toInt(loc.slice(colon + 1));
  if (line === null || !/^\d+$/.test(loc.slice(colon + 1))) return null;
  loc = loc.slice(0, colon);
  let column: number | null = null;
  colon = loc.lastIndexOf(':');
  if (colon > 0 && /^\d{1,9}$/.test(loc.slice(colon + 1))) {
    column = line;
    line = toInt(loc.slice(colon + 1));
    loc = loc.slice(0, colon);
  }
  const frame = emptyFrame(text.trim(), docLine);
  frame.file = loc;
  frame.line = line;
  frame.column = column;
  frame.function = m[2]! || null;
  return frame;
}

function parseHoneybadgerFrame(text: string, docLine: number): Frame | null {
  const m = HONEYBADGER_FRAME.exec(text);
  if (!m) return null;
  const rest = m[2]!;
  const sep = rest.indexOf(': ');
  // `line 3 of the config is wrong` is prose: a frame names a path and then its method.
  if (sep <= 0 || !/[/\\]|\.\w{1,8}$/.test(rest.slice(0, sep))) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.line = toInt(m[1]);
  frame.file = rest.slice(0, sep);
  frame.function = rest.slice(sep + 2) || null;
  return frame;
}

function parseAppCenterFrame(text: string, docLine: number): Frame | null {
  if (!text.endsWith(';')) return null;
  return parseBareJvmFrame(text, docLine);
}

type FrameParser = (text: string, docLine: number) => Frame | null;

class ListBuilder implements TraceBuilder {
  /** App Center's `### Reason ###` section names the type after the frames. */
  private reason: 'none' | 'heading' | 'done' = 'none';

  constructor(
    private readonly node: TraceNode,
    private readonly parse: FrameParser,
    private readonly fallback: FormatId,
    /** App Center separates its frames with blank lines. */
    private readonly spaced: boolean,
  ) {}

  feed(line: LogicalLine): Feed {
    const text = line.text;
    const frame = this.reason === 'none' ? this.parse(text, line.docLine) : null;
    if (frame) {
      this.node.frames.push(frame);
      return Feed.Take;
    }
    if (isBlank(text)) return Feed.Hold;
    if (this.spaced && this.reason === 'none' && /^#{1,6} ?Reason ?#{0,6}$/.test(text.trim())) {
      this.reason = 'heading';
      extendSpan(this.node.span, line.docLine);
      return Feed.Take;
    }
    if (this.reason === 'heading') {
      const type = text.trim();
      this.node.type = type;
      this.node.title = titleOf(type, this.node.message);
      this.reason = 'done';
      extendSpan(this.node.span, line.docLine);
      return Feed.Take;
    }
    return Feed.End;
  }

  finish(): Trace[] {
    if (this.node.frames.length === 0) return [];
    return [trace(this.node, formatOfFrames(this.node.frames, this.fallback))];
  }
}

/** Bugsnag's issue body above its stack: `**Type** in **context**`, then the message. */
function bugsnagHeader(history: readonly LogicalLine[], docLine: number): TraceNode | null {
  let below = docLine;
  const lines: LogicalLine[] = [];
  for (let i = history.length - 1, n = 0; i >= 0 && n < 12; i--, n++) {
    const l = history[i]!;
    if (l.docLine < below - 1) return null;
    below = l.docLine;
    const m = BUGSNAG_TYPE.exec(l.text.trim());
    if (m) {
      const node = newNode(m[1]!, null, l.docLine);
      for (const x of lines) {
        if (isBlank(x.text) || x.text.startsWith('[View on Bugsnag]')) break;
        appendMessage(node, x.text.trim());
      }
      return node;
    }
    lines.unshift(l);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Sentry: `Sentry Issue: [ID](link)` bodies and alert mails. Each exception is `Type: value` and up to five
// in-app frames, oldest exception first (the last is the one raised); `(N additional frame(s) were not
// displayed)` before the frames means oldest frame first, after them newest first. Frames are written the
// language's way, or Python's (`File "x", line 3, in f`) for languages without a template of their own.

const SENTRY_ISSUE = /^\s*Sentry Issue: /;
const SENTRY_ORDER = /^\s*Stacktrace \(most recent call (first|last)\):$/;
const ADDITIONAL = /^\s*\((\d{1,9}) additional frame\(s\) were not displayed\)$/;
const ELLIPSIS = /^\s*\.\.\.$/;
const FENCE = /^\s*(?:```\w*|~~~|\{code(?::[^}]*)?\}|\{noformat\}|<\/?pre>)$/;
/** Sentry's Python-style template: `File "x", line 3, in f`, `Module "m"`, `?`, each part optional. */
const PY_FRAME =
  /^(\s*)(?:File "([^"]*)"|Module "([^"]*)"|\?)(?:, line (\d{1,9}))?(?:, col (\d{1,9}))?(?:, in (.*))?$/s;
/** Sentry's raw JavaScript view: `  at fn(file:line:col)` (no space before the parenthesis), `  at ? (file…)`. */
const JS_RAW_FRAME = /^\s*at (?:\? \(|([^\s(]{1,2000})\()(.*):(\d{1,9}):(\d{1,9})\)$/s;

interface SentryFrame {
  frame: Frame;
  format: FormatId | null;
  python: boolean;
  indent: number;
}

function parsePyStyleFrame(text: string, docLine: number): SentryFrame | null {
  const m = PY_FRAME.exec(text);
  if (!m || (m[2] === undefined && m[3] === undefined && m[6] === undefined)) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.file = m[2] ?? null;
  frame.module = m[3] ?? null;
  frame.line = toInt(m[4]);
  frame.column = toInt(m[5]);
  frame.function = m[6] ?? null;
  return { frame, format: null, python: true, indent: m[1]!.length };
}

function parseJsRawFrame(text: string, docLine: number): SentryFrame | null {
  const m = JS_RAW_FRAME.exec(text);
  if (!m) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.function = m[1] ?? null;
  frame.file = m[2]!;
  frame.line = toInt(m[3]);
  frame.column = toInt(m[4]);
  return { frame, format: 'node', python: false, indent: 0 };
}

/** A frame in any of the renderings Sentry uses. */
function parseSentryFrame(text: string, docLine: number): SentryFrame | null {
  const py = parsePyStyleFrame(text, docLine);
  if (py) return py;
  const java = parseJavaFrame(text, docLine);
  if (java) return { frame: java, format: 'java', python: false, indent: 0 };
  const dotnet = parseDotnetFrame(text, docLine);
  if (dotnet) return { frame: dotnet, format: 'dotnet', python: false, indent: 0 };
  const v8 = parseV8Frame(text, docLine);
  if (v8 && v8.score > 0) return { frame: v8.frame, format: 'node', python: false, indent: 0 };
  const js = parseJsRawFrame(text, docLine);
  if (js) return js;
  const ruby = parseRubyLine(text, docLine);
  if (ruby && ruby.rest === '') return { frame: ruby.frame, format: 'ruby', python: false, indent: 0 };
  const php = parsePhpFrame(text, docLine);
  if (php && php !== 'cut') return { frame: php, format: 'php', python: false, indent: 0 };
  return null;
}

interface SentryBlock {
  node: TraceNode;
  format: FormatId | null;
  python: boolean;
  /** Oldest frame first (Python's way, or `(N additional…)` before the frames). */
  oldestFirst: boolean | null;
  lastFrame: SentryFrame | null;
}

class SentryBuilder implements TraceBuilder {
  private readonly blocks: SentryBlock[] = [];
  private block: SentryBlock | null = null;
  /** Lines of a block's header, kept aside until its first frame shows it is one. */
  private pending: LogicalLine[] = [];
  private readonly order: boolean | null;
  private started = false;
  /** A blank line since the last line taken. */
  private blank = false;

  constructor(
    /** `Stacktrace (most recent call first|last):` said the order. */
    order: 'first' | 'last' | null,
    /** The event's message line (alert mails): the title of a stack without an exception. */
    private readonly title: TraceNode | null,
    private readonly startLine: number,
  ) {
    this.order = order === null ? null : order === 'last';
  }

  private open(lines: readonly LogicalLine[]): SentryBlock {
    const first = lines[0];
    const docLine = first?.docLine ?? this.startLine;
    let node: TraceNode;
    if (first) {
      const text = first.text.trim();
      const colon = text.indexOf(': ');
      const type = colon > 0 ? text.slice(0, colon) : text;
      node = /^[\w.$:\\<>`+-]{1,300}$/.test(type)
        ? newNode(type, colon > 0 ? text.slice(colon + 2) : null, docLine)
        : newNode(null, text, docLine);
      for (const l of lines.slice(1)) appendMessage(node, l.text.trim());
      for (const l of lines) extendSpan(node.span, l.docLine);
    } else if (this.title) {
      node = newNode(this.title.type, this.title.message, this.title.span.start);
    } else node = newNode(null, null, docLine);
    const block: SentryBlock = {
      node,
      format: null,
      python: false,
      oldestFirst: this.order,
      lastFrame: null,
    };
    this.blocks.push(block);
    this.block = block;
    return block;
  }

  addFrame(f: SentryFrame): void {
    const block = this.block && this.pending.length === 0 ? this.block : this.open(this.pending);
    this.pending = [];
    if (block.node.frames.length === 0 && block.node.title === '') block.node.title = f.frame.raw;
    block.node.frames.push(f.frame);
    block.format ??= f.format;
    block.python ||= f.python;
    block.lastFrame = f;
    extendSpan(block.node.span, f.frame.docLine);
  }

  feed(line: LogicalLine): Feed {
    const r = this.take(line);
    if (r === Feed.Take) this.blank = false;
    return r;
  }

  private take(line: LogicalLine): Feed {
    const text = line.text;
    const block = this.block;
    if (!this.started) {
      // Between `Sentry Issue:` and the first exception: blank lines and a code fence.
      if (isBlank(text) || FENCE.test(text)) return Feed.Take;
      this.started = true;
    }
    // Python-style frames echo the source line under them, indented further.
    const last = block?.lastFrame;
    if (last?.python && this.pending.length === 0 && !isBlank(text)) {
      const indent = /^\s*/.exec(text)![0].length;
      if (indent > last.indent && !PY_FRAME.test(text) && last.frame.source === undefined) {
        last.frame.source = text.trim();
        extendSpan(block!.node.span, line.docLine);
        return Feed.Take;
      }
    }
    const f = parseSentryFrame(text, line.docLine);
    if (f) {
      this.addFrame(f);
      return Feed.Take;
    }
    const more = ADDITIONAL.exec(text);
    if (more) {
      const b = this.pending.length > 0 || !this.block ? this.open(this.pending) : this.block;
      this.pending = [];
      b.node.omittedFrames = toInt(more[1]) ?? 0;
      b.oldestFirst ??= b.node.frames.length === 0;
      extendSpan(b.node.span, line.docLine);
      return Feed.Take;
    }
    if (ELLIPSIS.test(text) && block && this.pending.length === 0) {
      extendSpan(block.node.span, line.docLine);
      return Feed.Take;
    }
    if (isBlank(text)) {
      this.blank = true;
      return Feed.Hold;
    }
    if (FENCE.test(text) || this.pending.length >= 10) return Feed.End;
    // Another exception's `Type: value` (or more lines of its value), after the blank line that separates
    // exceptions: kept aside until its frames come.
    if (this.block && this.pending.length === 0 && !this.blank) return Feed.End;
    this.pending.push(line);
    return Feed.Hold;
  }

  finish(): Trace[] {
    // A block whose header never got a frame is not the trace's (the held lines are scanned again).
    const blocks = this.blocks.filter((b) => b.node.frames.length > 0 || b.node.omittedFrames !== undefined);
    if (blocks.length === 0) return [];
    let format: FormatId = 'python';
    for (const b of blocks) {
      const fmt = b.format ?? formatOfFrames(b.node.frames, 'python');
      format = fmt;
      // Python's template lists the oldest call first for Python events; other languages' newest first.
      const oldest = b.oldestFirst ?? (b.python && fmt === 'python');
      if (oldest) b.node.frames.reverse();
    }
    // Oldest exception first: the last one is what was raised; each wraps the one before it.
    const root = chain(blocks.map((b) => b.node).reverse(), 'cause');
    if (this.title && root.type === null && root.message === null) {
      root.message = this.title.message;
      root.type = this.title.type;
      root.title = this.title.title;
      extendSpan(root.span, this.title.span.start);
    }
    extendSpan(root.span, this.startLine);
    return [trace(root, format)];
  }
}

/** `Type: value` as Sentry writes an exception's first line. */
function sentryHeaderLine(text: string): boolean {
  const t = text.trim();
  const colon = t.indexOf(': ');
  const type = colon > 0 ? t.slice(0, colon) : t;
  return /^[A-Za-z_$][\w.$:\\<>`+-]{0,300}$/.test(type) && !/^(?:File|Module|at|from)$/.test(type);
}

// ---------------------------------------------------------------------------------------------------------

/** Lines that open a service rendering, or one of its first frames (each is checked again in begin). */
const TRIGGER =
  /^(?:\s*(?:Sentry Issue: |Stacktrace \(most recent call |\(\d{1,9} additional frame|line \d{1,9} of |#{2,3} ?Stacktrace|File "|Module "|at (?:\(wrapper |\? \(|[^\s(]{1,1000} ?\())| {2,8}\S[^ ]{0,400}[A-Za-z]:\d{1,7} - )/;

export const servicesParser: TraceParser = {
  name: 'services',
  trigger: TRIGGER,
  scanTriggers: [{ needle: '"parsedStack"', pattern: /^.*?"parsedStack"/ }],
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const text = line.text;
    const docLine = line.docLine;
    const trimmed = text.trim();

    if (SENTRY_ISSUE.test(text)) return { score: 10, builder: new SentryBuilder(null, null, docLine) };
    const order = SENTRY_ORDER.exec(text);
    if (order) {
      // Alert mails put the event's message two lines up: `message`, a blank, `Stacktrace (…):`.
      const above = lineAbove(ctx.history, docLine);
      const msg = above && isBlank(above.text) ? lineAbove(ctx.history, docLine, 2) : above;
      const title = msg && !isBlank(msg.text) ? newNode(null, msg.text.trim(), msg.docLine) : null;
      const start = title ? title.span.start : docLine;
      return { score: 10, builder: new SentryBuilder(order[1] as 'first' | 'last', title, start) };
    }
    const js = parseJsRawFrame(text, docLine);
    if (ADDITIONAL.test(text) || PY_FRAME.test(text) || js) {
      // Sentry's text without its issue line: the exception's `Type: value` right above the frames (a
      // Python traceback has its `Traceback` line there), or above `(N additional frame(s)…)`. Its raw
      // JavaScript frames are Sentry's alone, with or without the line above.
      const above = lineAbove(ctx.history, docLine);
      const header = above && sentryHeaderLine(above.text) ? above : null;
      if (!header && !js) return null;
      if (!js && !ADDITIONAL.test(text) && !parsePyStyleFrame(text, docLine)) return null;
      const builder = new SentryBuilder(null, null, header?.docLine ?? docLine);
      if (header) builder.feed(header);
      builder.feed(line);
      return { score: 9, builder };
    }

    const honey = parseHoneybadgerFrame(text, docLine);
    if (honey) {
      const node = newNode(null, null, docLine);
      node.title = titleOf(null, trimmed);
      node.frames.push(honey);
      return { score: 9, builder: new ListBuilder(node, parseHoneybadgerFrame, 'ruby', false) };
    }
    if (/^#{2,3} ?Stacktrace ?#{0,3}$/.test(trimmed)) {
      const appCenter = trimmed.startsWith('###');
      const node = appCenter
        ? newNode(null, null, docLine)
        : (bugsnagHeader(ctx.history, docLine) ?? newNode(null, null, docLine));
      if (node.type === null) node.title = trimmed;
      extendSpan(node.span, docLine);
      const parse = appCenter ? parseAppCenterFrame : parseBugsnagFrame;
      return { score: 10, builder: new ListBuilder(node, parse, appCenter ? 'java' : 'ruby', appCenter) };
    }

    const mono = parseMonoFrame(text, docLine);
    if (mono) {
      const nodes = monoHeader(ctx.history, docLine) ?? [newNode(null, null, docLine)];
      if (nodes[0]!.type === null) nodes[0]!.title = titleOf(null, trimmed);
      const builder = new MonoBuilder(nodes);
      builder.addFrame(mono);
      return { score: 10, builder };
    }
    const ai = parseAiFrame(text, docLine);
    if (ai) {
      const above = lineAbove(ctx.history, docLine);
      const node = (above && aiHeader(above.text, above.docLine)) ?? newNode(null, null, docLine);
      if (node.type === null) node.title = titleOf(null, trimmed);
      const builder = new AppInsightsBuilder(node);
      builder.addFrame(ai);
      return { score: 10, builder };
    }
    if (text.indexOf('"parsedStack"') >= 0) {
      const details = parseDetails(text);
      const t = details ? detailsTrace(details, line, rowsAbove(ctx.history, docLine)) : null;
      return t ? { score: 10, builder: new DoneBuilder([t]) } : null;
    }

    const bug = parseBugsnagFrame(text, docLine);
    if (bug && /^ {2,8}\S/.test(text) && formatOfFile(bug.file) !== null) {
      const node = bugsnagHeader(ctx.history, docLine) ?? newNode(null, null, docLine);
      if (node.type === null) node.title = titleOf(null, trimmed);
      node.frames.push(bug);
      return {
        score: node.type !== null ? 9 : 6,
        builder: new ListBuilder(node, parseBugsnagFrame, 'ruby', false),
      };
    }
    return null;
  },
};
