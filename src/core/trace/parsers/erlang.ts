// Erlang and Elixir crashes: Elixir's `** (Error) msg` with `(app vsn) file:line: Mod.fun/2` frames and the
// Logger reports around it; Erlang's `=ERROR REPORT====` / `=CRASH REPORT====` whose stacktraces are terms
// (`{M,F,A,[{file,…},{line,…}]}`), the shell's `** exception error:`, and error trackers' Ruby-like rendering.

import { emptyFrame, type Frame, type ThreadInfo, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { appendMessage, closeSpans, extendSpan, indentOf, isBlank, newNode, titleOf, toInt } from './util';

// ---------------------------------------------------------------------------------------------------------------
// Elixir

/** `** (RuntimeError) boom`, `** (exit) exited in: …`, `** (EXIT from #PID<0.95.0>) shell process exited…`. */
const EX_HEADER = /^(\s*)\*\* \(([^()]{1,200}(?:\([^()]{0,100}\))?)\)(?: (.*))?$/;
/** `(my_app 0.1.0) `, `(stdlib 4.3) `, `(gen_magic) `: the OTP application and its version. */
const APP = /^\(([a-z_][\w]{0,100}(?: [\w.+~-]{1,60})?)\) /;
/** What Exception.format_stacktrace_entry puts before `: `: `lib/a.ex:12`, `gen_server.erl:1123`, `iex:3`. */
const ELIXIR_LOCATION = /^([^\s()]{1,1000}?)(?::(\d{1,9}))?(?::(\d{1,9}))?$/;
const SOURCE_EXT = /\.(?:ex|exs|erl|hrl|eex|heex|leex|xrl|yrl|sface)$/;
/** Function as Elixir writes one: `MyApp.fun/2`, `:gen_server.try_dispatch/4`, `anonymous fn/2 in …`, `(test)`. */
const ELIXIR_FN = /^(?:anonymous fn|\((?:test|module|file|function)\)|[:"A-Za-z_+\-*/<>=!&|^~.@]|-)/;
/** Logger report fields after the stacktrace: `Last message: …`, `State: …`, `Client #PID<…> is alive`. */
const FIELD =
  /^\s*(?:Last message|State:|Client |Function:|Args:|Parent:|Neighbours|Queue|Process Label|Initial [Cc]all|Ancestors|code:|Process #PID|Module:|Data:)/;
const STACKTRACE = /^\s*stacktrace:$/;
const ANONYMOUS = /^anonymous fn\/\d{1,3} in /;
/** `MyApp.Mod.`, `:gen_server.`, `:"Elixir.Foo".` */
const MODULE_PREFIX = /^(?:[A-Z]\w{0,100}(?:\.[A-Z]\w{0,100}){0,20}|:[a-z_][\w@]{0,100}|:"[^"]{1,200}")\./;
const ARITY = /\/\d{1,3}$/;
const CLIENT = /^\s*Client (\S{1,100}) is (alive|dead)/;
/** Honeybadger and other trackers print Elixir frames like Ruby: ``lib/a.ex:92:in `add_idea!/2'``. */
const RUBY_STYLE = /^\s*(\S{1,1000}?\.(?:ex|exs|erl|hrl|eex|heex)):(\d{1,9}):in [`']([^`']{1,1000})'$/;
/** An error tracker's `FunctionClauseError: no function clause matching in :lib.is_op/2` headline. */
const TYPED = /^\s*([A-Z][\w]{0,100}(?:\.[A-Z][\w]{0,100}){0,10}): (.*)$/;
/** `17:13:47.808 [error] GenServer #PID<0.199.0> terminating` and its relatives (normalize may leave the time). */
const PROCESS_LINE = /(?:GenServer|gen_statem|GenStateMachine|Task|Agent|Process|gen_event handler) /;
const PID = /(?:#PID)?<\d{1,10}\.\d{1,10}\.\d{1,10}>/;

/**
 * An Elixir stacktrace line. `need` says how much evidence the caller wants: the application (a line on its
 * own), the application or a file (under a header), or nothing but an unmistakable `Mod.fun/2` (indented
 * under a header's frames, for modules that belong to no application).
 */
export function parseElixirFrame(
  text: string,
  docLine: number,
  need: 'app' | 'app-or-file' | 'any',
): Frame | null {
  const t = text.trim();
  let rest = t;
  let module: string | null = null;
  const app = APP.exec(t);
  if (app) {
    module = app[1]!;
    rest = t.slice(app[0].length);
  } else if (need === 'app') {
    return null;
  }
  const frame = emptyFrame(t, docLine);
  frame.module = module;
  const colon = rest.indexOf(': ');
  if (colon > 0) {
    const loc = ELIXIR_LOCATION.exec(rest.slice(0, colon));
    if (loc && (loc[2] !== undefined || SOURCE_EXT.test(loc[1]!))) {
      frame.file = loc[1]!;
      frame.line = toInt(loc[2]);
      frame.column = toInt(loc[3]);
      rest = rest.slice(colon + 2);
    }
  }
  if (frame.file === null && ((module === null && need !== 'any') || !looksLikeMfa(rest))) return null;
  if (!ELIXIR_FN.test(rest) || rest.startsWith('**')) return null;
  setElixirFunction(frame, rest);
  return frame;
}

/**
 * Without a file, only a function that is unmistakably Elixir's makes a frame: `Mod.fun/2`, `:mod.fun(…)`,
 * `anonymous fn/1 in Mod.fun/2` (`(gdb) run` and `(lldb) frame variable` start with a word in parentheses too).
 */
function looksLikeMfa(fn: string): boolean {
  const anon = ANONYMOUS.exec(fn);
  const rest = anon ? fn.slice(anon[0].length) : fn;
  const mod = MODULE_PREFIX.exec(rest);
  if (!mod) return false;
  const tail = rest.slice(mod[0].length);
  const open = tail.indexOf('(');
  return open > 0 ? !tail.slice(0, open).includes(' ') : ARITY.test(tail) && !tail.includes(' ');
}

/** `Mod.fun/2` as written; `Mod.fun(args)` split into function and arguments. */
function setElixirFunction(frame: Frame, fn: string): void {
  const open = fn.indexOf('(');
  if (open > 0 && !fn.startsWith('anonymous fn/') && fn.charCodeAt(open - 1) !== 32) {
    frame.function = fn.slice(0, open);
    if (fn.endsWith(')')) {
      frame.args = fn.slice(open + 1, -1);
    } else {
      // Logger cut the argument dump (its truncation limit) before the closing parenthesis.
      frame.args = fn.slice(open + 1);
      frame.notes = ['truncated'];
    }
  } else {
    frame.function = fn;
  }
}

function parseRubyStyle(text: string, docLine: number): Frame | null {
  const m = RUBY_STYLE.exec(text);
  if (!m) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.file = m[1]!;
  frame.line = toInt(m[2]);
  frame.function = m[3]!;
  return frame;
}

/** `GenServer :"name" terminating`: the process, by registered name and/or pid. */
function processOf(text: string): ThreadInfo | null {
  const t = text.trim();
  const kw = PROCESS_LINE.exec(t);
  if (!kw) return null;
  let end = -1;
  for (const tail of [' terminating', ' raised an exception', ' crashed', ' started from ']) {
    const i = t.indexOf(tail, kw.index);
    if (i >= 0 && (end < 0 || i < end)) end = i;
  }
  if (end < 0) return null;
  const name = t.slice(kw.index + kw[0].length, end).trim();
  const pid = PID.exec(name) ?? PID.exec(t.slice(0, kw.index));
  const named = name !== '' && !PID.test(name) ? name : null;
  return { name: named, id: pid ? pid[0] : null, state: null };
}

type ExState = 'message' | 'frames' | 'fields';

class ElixirBuilder implements TraceBuilder {
  private readonly root: TraceNode;
  private readonly baseIndent: number;
  /** The chain of `** (…)` headers, outermost first, each with its indentation. */
  private chain: { node: TraceNode; indent: number }[];
  private current: TraceNode;
  private state: ExState;
  private messageLines = 0;
  private thread: ThreadInfo | null = null;
  private client: TraceNode | null = null;
  /** Frames come as an error tracker renders them (``lib/a.ex:92:in `fun/2'``). */
  private readonly tracker: boolean;

  constructor(root: TraceNode, baseIndent: number, state: ExState, tracker = false) {
    this.tracker = tracker;
    this.root = root;
    this.current = root;
    this.baseIndent = baseIndent;
    this.chain = [{ node: root, indent: baseIndent }];
    this.state = state;
  }

  setProcess(line: LogicalLine, thread: ThreadInfo): void {
    this.thread = thread;
    extendSpan(this.root.span, line.docLine);
  }

  /**
   * A frame belongs to the innermost exception printed left of it: under `** (exit) exited in: …` the caller's
   * frames are indented once, the wrapped exception's own frames under its indented header.
   */
  addFrame(frame: Frame, indent: number): void {
    this.state = 'frames';
    if (this.client) {
      this.client.frames.push(frame);
      return;
    }
    let owner = this.chain[0]!.node;
    for (const c of this.chain) if (c.indent < indent) owner = c.node;
    owner.frames.push(frame);
  }

  private take(line: LogicalLine): Feed {
    extendSpan(this.root.span, line.docLine);
    return Feed.Take;
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (isBlank(text)) return Feed.Hold;
    // Logger does not prefix the lines of a report: a timestamped line at the margin is the next record.
    if (line.timestamp !== undefined && indentOf(text) === 0) return Feed.End;
    const header = EX_HEADER.exec(text);
    if (header) {
      // `** (exit) exited in: GenServer.call(…)` wraps the exception printed indented under it.
      const indent = indentOf(header[1]!);
      if (this.state !== 'message' || indent <= this.baseIndent) return Feed.End;
      const node = newNode(header[2]!, header[3] ?? null, line.docLine);
      node.relation = 'cause';
      this.current.causes.push(node);
      this.current = node;
      this.chain.push({ node, indent });
      this.messageLines = 0;
      return this.take(line);
    }
    // Frames are indented under their header; a bare `:erlang.+(1, :a)` needs to be, to be told from prose.
    const frame =
      parseElixirFrame(text, line.docLine, indentOf(text) >= this.baseIndent + 4 ? 'any' : 'app-or-file') ??
      (this.tracker ? parseRubyStyle(text, line.docLine) : null);
    if (frame && (this.state !== 'fields' || this.client)) {
      this.addFrame(frame, indentOf(text));
      return this.take(line);
    }
    const client = CLIENT.exec(text);
    if (client && this.state !== 'message') {
      if (client[2] === 'alive') {
        const node = newNode(null, null, line.docLine);
        node.title = `Client ${client[1]!}`;
        node.relation = 'related';
        node.role = 'client';
        (this.root.related ??= []).push(node);
        this.client = node;
      }
      this.state = 'fields';
      return this.take(line);
    }
    if (STACKTRACE.test(text)) {
      // ExUnit: `code: …` then `stacktrace:` and the frames.
      this.state = 'frames';
      this.client = null;
      return this.take(line);
    }
    if (FIELD.test(text)) {
      this.state = 'fields';
      this.client = null;
      return this.take(line);
    }
    if (this.state === 'message' && this.messageLines < 30) {
      this.messageLines++;
      if (text.trim() !== this.current.message) appendMessage(this.current, text.trim());
      return this.take(line);
    }
    // A long `State:` term wrapped onto indented lines.
    if (this.state === 'fields' && indentOf(text) > this.baseIndent + 1) return this.take(line);
    return Feed.End;
  }

  finish(): Trace[] {
    closeSpans(this.root);
    let format: 'elixir' | 'erlang' = 'elixir';
    if (this.tracker) {
      // A tracker's rendering says nothing of the language but its files.
      const files = this.root.frames.map((f) => f.file ?? '');
      if (!files.some((f) => f.endsWith('.ex') || f.endsWith('.exs'))) format = 'erlang';
    }
    // Without a header, the first frame is what a reader would quote (as for a headless Java stack).
    if (this.root.title === '') this.root.title = this.root.frames[0]?.raw.split('\n', 1)[0] ?? '';
    const trace: Trace = { ...this.root, format, kind: 'exception' };
    if (this.thread) trace.thread = this.thread;
    return [trace];
  }
}

/** Above `** (Error)`: the Logger line naming the crashed process. */
function processAbove(history: readonly LogicalLine[]): { line: LogicalLine; thread: ThreadInfo } | null {
  const prev = history[history.length - 1];
  if (!prev || prev.text.length > 2000) return null;
  const thread = processOf(prev.text);
  return thread ? { line: prev, thread } : null;
}

/** Above a tracker's first frame: `Type: message`, then maybe a blank line and the message again. */
function typedAbove(
  history: readonly LogicalLine[],
): { line: LogicalLine; type: string; message: string } | null {
  for (let i = history.length - 1, n = 0; i >= 0 && n < 4; i--, n++) {
    const m = TYPED.exec(history[i]!.text);
    if (m) return { line: history[i]!, type: m[1]!, message: m[2]! };
  }
  return null;
}

export const elixirParser: TraceParser = {
  name: 'elixir',
  trigger: /^\s*(?:\*\* \(|\([a-z_]\w{0,100}(?: [\w.+~-]{1,60})?\) )/,
  scanTriggers: [{ needle: ':in ', pattern: /^\s*\S{1,1000}?\.(?:ex|exs|erl|hrl|eex|heex):\d{1,9}:in [`']/ }],
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const text = line.text;
    const header = EX_HEADER.exec(text);
    if (header) {
      const root = newNode(header[2]!, header[3] ?? null, line.docLine);
      const builder = new ElixirBuilder(root, indentOf(header[1]!), 'message');
      const above = processAbove(ctx.history);
      if (above) builder.setProcess(above.line, above.thread);
      return { score: 10, builder };
    }
    const frame = parseElixirFrame(text, line.docLine, 'app');
    if (frame) {
      const root = newNode(null, null, line.docLine);
      const builder = new ElixirBuilder(root, indentOf(text), 'frames');
      builder.addFrame(frame, indentOf(text));
      return { score: frame.file !== null && frame.line !== null ? 8 : 6, builder };
    }
    const ruby = parseRubyStyle(text, line.docLine);
    if (ruby) {
      const typed = typedAbove(ctx.history);
      const root = typed
        ? newNode(typed.type, typed.message, typed.line.docLine)
        : newNode(null, null, line.docLine);
      const builder = new ElixirBuilder(root, 0, 'frames', true);
      builder.addFrame(ruby, indentOf(text));
      return { score: 10, builder };
    }
    return null;
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Erlang terms

interface Term {
  kind: 'atom' | 'number' | 'string' | 'tuple' | 'list' | 'opaque';
  start: number;
  end: number;
  items: Term[];
  closed: boolean;
}

/** Deeper terms are skipped as text: a stack overflow must not be an attack. */
const MAX_DEPTH = 100;

/** A tolerant reader of printed Erlang terms: cut or garbled input yields what was there, never an error. */
class TermReader {
  pos = 0;
  constructor(readonly src: string) {}

  private skipSpace(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  private leaf(kind: Term['kind'], start: number): Term {
    return { kind, start, end: this.pos, items: [], closed: true };
  }

  /** Skips a quoted run (`"…"` or `'…'`) from its opening quote. */
  private quoted(q: number): void {
    const s = this.src;
    this.pos++;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 92) this.pos += 2;
      else if (c === q) {
        this.pos++;
        return;
      } else this.pos++;
    }
  }

  /** `<<"abc">>`, `<0.1.0>`, `#Port<0.4172>`: skipped to their closing `>`. */
  private angled(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 34) this.quoted(34);
      else if (c === 62 /* > */) {
        this.pos++;
        if (s.charCodeAt(this.pos) === 62) this.pos++;
        return;
      } else if (c === 10 || c === 123 || c === 91) return;
      else this.pos++;
    }
  }

  read(depth = 0): Term {
    this.skipSpace();
    const s = this.src;
    const start = this.pos;
    const c = s.charCodeAt(this.pos);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      if (depth >= MAX_DEPTH) {
        this.pos++;
        return this.leaf('opaque', start);
      }
      return this.container(c === 123 ? 'tuple' : 'list', c === 123 ? 125 : 93, depth);
    }
    if (c === 35 /* # */) {
      // `#{…}` maps and `#rec{…}` records read as tuples; `#Port<…>`, `#Ref<…>`, `#Fun<…>` as text.
      let i = this.pos + 1;
      while (i < s.length && /[\w@]/.test(s[i]!)) i++;
      if (s.charCodeAt(i) === 123 && depth < MAX_DEPTH) {
        this.pos = i;
        const t = this.container('tuple', 125, depth);
        t.start = start;
        return t;
      }
      this.pos = i;
      if (s.charCodeAt(i) === 60) this.angled();
      return this.leaf('opaque', start);
    }
    if (c === 34 /* " */) {
      this.quoted(34);
      return this.leaf('string', start);
    }
    if (c === 39 /* ' */) {
      this.quoted(39);
      return this.leaf('atom', start);
    }
    if (c === 60 /* < */) {
      this.angled();
      return this.leaf('opaque', start);
    }
    if ((c >= 48 && c <= 57) || (c === 45 && /\d/.test(s[this.pos + 1] ?? ''))) {
      this.pos++;
      while (this.pos < s.length && /[\w.#+-]/.test(s[this.pos]!)) this.pos++;
      return this.leaf('number', start);
    }
    if (c === 36 /* $ */) {
      this.pos += s.charCodeAt(this.pos + 1) === 92 ? 3 : 2;
      return this.leaf('number', start);
    }
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
      while (this.pos < s.length && /[\w@]/.test(s[this.pos]!)) this.pos++;
      return this.leaf(c >= 97 && c <= 122 ? 'atom' : 'opaque', start);
    }
    // Punctuation and anything else: one character of text, so that every call makes progress.
    if (this.pos < s.length) this.pos++;
    return this.leaf('opaque', start);
  }

  private container(kind: 'tuple' | 'list', close: number, depth: number): Term {
    const s = this.src;
    const term: Term = { kind, start: this.pos, end: this.pos, items: [], closed: false };
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.pos >= s.length) break;
      const c = s.charCodeAt(this.pos);
      if (c === close) {
        this.pos++;
        term.closed = true;
        break;
      }
      if (c === 125 || c === 93 || c === 41) {
        // A bracket that closes something else: the printer cut this term short.
        break;
      }
      if (c === 44 /* , */ || c === 124 /* | */) {
        this.pos++;
        continue;
      }
      if (
        (c === 61 && s.charCodeAt(this.pos + 1) === 62) ||
        (c === 58 && s.charCodeAt(this.pos + 1) === 61)
      ) {
        this.pos += 2;
        continue;
      }
      const item = this.read(depth + 1);
      if (item.kind !== 'opaque' || item.end > item.start + 1 || /[\w"'<#]/.test(s[item.start] ?? '')) {
        term.items.push(item);
      }
    }
    term.end = this.pos;
    return term;
  }
}

/** `{Module, Function, Arity | Args, Location}`, or a cut one that got as far as its arity. */
function isFrameTuple(t: Term): boolean {
  if (t.kind !== 'tuple') return false;
  const [m, f, a, loc] = t.items;
  if (!m || !f || !a || m.kind !== 'atom' || f.kind !== 'atom') return false;
  if (a.kind !== 'number' && a.kind !== 'list') return false;
  if (t.items.length === 3) return !t.closed;
  if (t.items.length !== 4 || loc!.kind !== 'list') return false;
  return loc!.items.every((i) => i.kind === 'tuple' && i.items[0]?.kind === 'atom');
}

function isStack(t: Term): boolean {
  return t.kind === 'list' && t.items.length > 0 && isFrameTuple(t.items[0]!);
}

/**
 * The first stack in `roots`, taking each root in turn and, inside it, the shallowest stack first (a reason's
 * own stack before those of the terms it carries).
 */
function findStack(roots: readonly Term[], claimed: Set<Term>): { stack: Term; parent: Term | null } | null {
  for (const root of roots) {
    let level: { term: Term; parent: Term | null }[] = [{ term: root, parent: null }];
    for (let depth = 0; level.length > 0 && depth < MAX_DEPTH; depth++) {
      const next: { term: Term; parent: Term | null }[] = [];
      for (const { term, parent } of level) {
        if (isStack(term) && !claimed.has(term)) return { stack: term, parent };
        for (const item of term.items) next.push({ term: item, parent: term });
      }
      level = next;
    }
  }
  return null;
}

/** Maps offsets in the joined body back to document lines. */
class Body {
  text = '';
  private starts: number[] = [];
  private lines: number[] = [];

  add(text: string, docLine: number): void {
    if (this.text.length > 0) this.text += '\n';
    this.starts.push(this.text.length);
    this.lines.push(docLine);
    this.text += text;
  }

  docLineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.lines[lo] ?? 0;
  }

  slice(t: Term): string {
    return this.text.slice(t.start, t.end);
  }
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/** A term the pretty-printer broke over lines, on one line. */
function oneLine(s: string): string {
  return s.indexOf('\n') < 0
    ? s
    : s
        .split('\n')
        .map((l) => l.trim())
        .join(' ');
}

function termFrame(t: Term, body: Body): Frame {
  const frame = emptyFrame(body.slice(t), body.docLineAt(t.start));
  const [m, f, a, loc] = t.items;
  const mf = `${body.slice(m!)}:${body.slice(f!)}`;
  if (a!.kind === 'list') {
    frame.function = mf;
    frame.args = oneLine(body.slice(a!).slice(1, a!.closed ? -1 : undefined));
  } else {
    frame.function = `${mf}/${body.slice(a!)}`;
  }
  for (const item of loc?.items ?? []) {
    const key = body.slice(item.items[0]!);
    const value = item.items[1];
    if (!value) continue;
    if (key === 'file' && value.kind === 'string' && value.closed) frame.file = unquote(body.slice(value));
    else if (key === 'line' && value.kind === 'number') frame.line = toInt(body.slice(value));
    else if (key === 'line' && value.kind === 'tuple' && value.items.length === 2) {
      frame.line = toInt(body.slice(value.items[0]!));
      frame.column = toInt(body.slice(value.items[1]!));
    }
  }
  if (!t.closed) frame.notes = ['truncated'];
  return frame;
}

/**
 * A node for one stacktrace: its reason is the term before it in the tuple that holds it (`{badarith, Stack}`,
 * `{{badmatch, 2}, Stack}`). Stacks inside the reason are what it wraps (causes); stacks inside a frame's
 * arguments are errors being handled when this one happened (`terminate/2` called with the first crash).
 */
function stackNode(
  stack: Term,
  parent: Term | null,
  body: Body,
  claimed: Set<Term>,
  depth: number,
): TraceNode {
  claimed.add(stack);
  const index = parent ? parent.items.indexOf(stack) : -1;
  const reason = index > 0 ? parent!.items[index - 1]! : null;
  let type: string | null = null;
  let message: string | null = null;
  if (reason?.kind === 'atom') {
    type = body.slice(reason);
  } else if (reason?.kind === 'tuple' && reason.items[0]?.kind === 'atom') {
    type = body.slice(reason.items[0]);
    const rest = reason.items.slice(1).map((i) => oneLine(body.slice(i)));
    if (rest.length) message = rest.join(', ');
  } else if (reason) {
    message = oneLine(body.slice(reason));
  }
  const node = newNode(type, message, body.docLineAt(stack.start));
  for (const item of stack.items) if (isFrameTuple(item)) node.frames.push(termFrame(item, body));
  if (depth < 20) {
    if (reason) {
      const inner = findStack([reason], claimed);
      if (inner) {
        const cause = stackNode(inner.stack, inner.parent, body, claimed, depth + 1);
        cause.relation = 'cause';
        node.causes.push(cause);
      }
    }
    for (const item of stack.items) {
      const args = item.items[2];
      if (!isFrameTuple(item) || args?.kind !== 'list') continue;
      const inner = findStack([args], claimed);
      if (inner) {
        const ctx = stackNode(inner.stack, inner.parent, body, claimed, depth + 1);
        ctx.relation = 'context';
        node.causes.push(ctx);
      }
    }
  }
  if (node.title === '') node.title = node.frames[0]?.function ?? 'stacktrace';
  return node;
}

// ---------------------------------------------------------------------------------------------------------------
// Erlang reports

/** `=ERROR REPORT==== 31-Mar-2015::10:18:25 ===`, `=CRASH REPORT====…`, `=SUPERVISOR REPORT====…`. */
const REPORT = /^\s*=(ERROR|CRASH|SUPERVISOR|WARNING) REPORT=+(?: (.{0,80}?) =+)?$/;
const ANY_REPORT = /^\s*=[A-Z]{1,20} REPORT=/;
/** The shell's `** exception error: …` and a crash report's `exception exit: …`. */
const EXCEPTION = /^(\s*)(?:\*\* )?exception (error|exit|throw): ?(.*)$/;
/** `in function  foo:bar/1 (foo.erl, line 5)`, `in call from …`, `in operator  +/2`. */
const IN_FUNCTION = /^\s*in (function|call from|operator) +(\S{1,1000})(?: \((.{1,1000})\))?$/;
const ERL_LOCATION = /^(.{1,1000}?)(?:, line (\d{1,9})|:(\d{1,9})(?::(\d{1,9}))?)$/;
const CALLED_AS = /^\s*called as (.*)$/;
const GENERIC_SERVER =
  /^\s*\*\* (?:Generic server|State machine|gen_event handler) (.{1,300}?) (?:terminating|crashed)/;
const REGISTERED = /^\s*registered_name: (\S{1,300})$/;
const CRASHER_PID = /^\s*pid: (<\d{1,10}\.\d{1,10}\.\d{1,10}>)$/;
const ERROR_IN_PROCESS = /^Error in process (\S{1,100})/;
/** A frame's location term, the evidence of an Erlang stacktrace inside any line. */
const FILE_TERM = '{file,"';

type ReportMode = 'report' | 'shell' | 'inline';

class ErlangBuilder implements TraceBuilder {
  private readonly lines: LogicalLine[] = [];
  private readonly mode: ReportMode;
  private readonly indent: number;
  /** Open brackets in the body so far, outside strings: a term still being printed. */
  private depth = 0;
  private inString = 0;
  private blank = false;

  constructor(mode: ReportMode, first: LogicalLine) {
    this.mode = mode;
    this.indent = indentOf(first.text);
    this.add(first);
  }

  private add(line: LogicalLine): void {
    this.lines.push(line);
    const s = line.text;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (this.inString) {
        if (c === 92) i++;
        else if (c === this.inString) this.inString = 0;
      } else if (c === 34 || c === 39) this.inString = c;
      else if (c === 123 || c === 91) this.depth++;
      else if ((c === 125 || c === 93) && this.depth > 0) this.depth--;
    }
    // Quotes do not span lines in printed terms; an odd one (`$"`) must not swallow the rest.
    this.inString = 0;
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (this.lines.length >= 5000) return Feed.End;
    if (ANY_REPORT.test(text)) return Feed.End;
    if (isBlank(text)) {
      this.blank = true;
      return Feed.Hold;
    }
    const inTerm = this.depth > 0;
    const wasBlank = this.blank;
    this.blank = false;
    if (!inTerm && wasBlank) return Feed.End;
    // Reports end where the log's next record starts: a timestamped line at the margin.
    if (!inTerm && line.timestamp !== undefined && indentOf(text) === 0 && !text.startsWith('**'))
      return Feed.End;
    let take: boolean;
    switch (this.mode) {
      case 'report':
        take = true;
        break;
      case 'shell':
        take = inTerm || indentOf(text) > this.indent;
        break;
      case 'inline':
        take = inTerm || (indentOf(text) > 0 && text.includes(FILE_TERM));
        break;
    }
    if (!take) return Feed.End;
    this.add(line);
    return Feed.Take;
  }

  finish(): Trace[] {
    const first = this.lines[0]!;
    const thread = this.threadOf();
    const body = new Body();
    let exception: { line: number; cls: string; reason: string; offset: number } | null = null;
    const calls: Frame[] = [];
    let lastCall: Frame | null = null;
    for (const l of this.lines) {
      const ex = EXCEPTION.exec(l.text);
      const inFn = IN_FUNCTION.exec(l.text);
      const called = CALLED_AS.exec(l.text);
      if (ex && !exception) {
        const reasonStart = body.text.length + (body.text.length > 0 ? 1 : 0);
        body.add(ex[3]!, l.docLine);
        exception = { line: l.docLine, cls: ex[2]!, reason: ex[3]!, offset: reasonStart };
      } else if (inFn) {
        lastCall = callFrame(inFn, l);
        calls.push(lastCall);
        body.add('', l.docLine);
      } else if (called && lastCall) {
        lastCall.args = callArgs(called[1]!);
        lastCall.raw = `${lastCall.raw}\n${l.text.trim()}`;
        body.add('', l.docLine);
      } else {
        // SASL prefixes every line of a gen_server report with `** `.
        const t = l.text.replace(/^\s*\*\* ?/, '');
        body.add(t, l.docLine);
      }
    }
    const terms = readTerms(body.text);
    const claimed = new Set<Term>();
    const found = exception ? null : findStack(terms, claimed);
    let root: TraceNode;
    if (exception) {
      const ex = exception;
      root = newNode(ex.cls, ex.reason.trim() || null, ex.line);
      root.frames = calls;
      const reasonTerm = terms.find((t) => t.start >= ex.offset);
      const inner = reasonTerm ? findStack([reasonTerm], claimed) : null;
      if (inner) {
        const cause = stackNode(inner.stack, inner.parent, body, claimed, 0);
        cause.relation = 'cause';
        root.causes.push(cause);
        // `exception exit: {badarith,[…]}`: the reason's headline, not the first line of its term.
        if (ex.reason.trimStart().startsWith('{')) root.message = cause.title;
      }
    } else if (found) {
      root = stackNode(found.stack, found.parent, body, claimed, 0);
    } else if (calls.length > 0) {
      root = newNode(null, null, first.docLine);
      root.frames = calls;
    } else {
      return [];
    }
    // Another stack in the report: the client's (`** Client <0.80.0> stacktrace`) or one more term.
    for (let more = findStack(terms, claimed), n = 0; more && n < 20; more = findStack(terms, claimed), n++) {
      const node = stackNode(more.stack, more.parent, body, claimed, 0);
      node.relation = 'related';
      const before = body.text.slice(Math.max(0, more.stack.start - 200), more.stack.start);
      const intro = before.slice(before.lastIndexOf('\n', before.trimEnd().length - 1) + 1).trim();
      node.role = intro.includes('Client') ? 'client' : 'stack';
      if (intro !== '' && node.type === null) node.title = intro;
      (root.related ??= []).push(node);
    }
    root.span = { start: first.docLine, end: this.lines[this.lines.length - 1]!.docLine };
    closeSpans(root);
    const report = REPORT.exec(first.text);
    if (root.type === null && root.message === null && report) root.title = `${report[1]!} REPORT`;
    else root.title = titleOf(root.type, root.message) || root.title;
    const trace: Trace = { ...root, format: 'erlang', kind: this.mode === 'shell' ? 'exception' : 'crash' };
    if (thread) trace.thread = thread;
    return [trace];
  }

  private threadOf(): ThreadInfo | null {
    let name: string | null = null;
    let id: string | null = null;
    for (const l of this.lines.slice(0, 40)) {
      const at = l.text.indexOf('Error in process ');
      const gs = GENERIC_SERVER.exec(l.text) ?? (at >= 0 ? ERROR_IN_PROCESS.exec(l.text.slice(at)) : null);
      const reg = REGISTERED.exec(l.text);
      const pid = CRASHER_PID.exec(l.text);
      if (gs) {
        if (PID.test(gs[1]!)) id ??= gs[1]!;
        else name ??= gs[1]!;
      }
      if (reg && reg[1] !== '[]') name ??= reg[1]!;
      if (pid) id ??= pid[1]!;
    }
    return name !== null || id !== null ? { name, id, state: null } : null;
  }
}

function readTerms(text: string): Term[] {
  const reader = new TermReader(text);
  const terms: Term[] = [];
  // Terms start at `{` or `[`; the prose between them (`Last message in was`) is skipped.
  for (let i = 0; i < text.length;) {
    const next = nextOpen(text, i);
    if (next < 0) break;
    reader.pos = next;
    const t = reader.read();
    terms.push(t);
    i = Math.max(reader.pos, next + 1);
  }
  return terms;
}

function nextOpen(text: string, from: number): number {
  const a = text.indexOf('{', from);
  const b = text.indexOf('[', from);
  if (a < 0) return b;
  if (b < 0) return a;
  return Math.min(a, b);
}

function callFrame(m: RegExpExecArray, line: LogicalLine): Frame {
  const frame = emptyFrame(line.text.trim(), line.docLine);
  frame.function = m[2]!;
  if (m[1] === 'operator') frame.notes = ['operator'];
  const loc = m[3] !== undefined ? ERL_LOCATION.exec(m[3]) : null;
  if (loc) {
    frame.file = loc[1]!;
    frame.line = toInt(loc[2] ?? loc[3]);
    frame.column = toInt(loc[4]);
  }
  return frame;
}

/** `called as lists:nth(5,[1,2])` → `5,[1,2]`; an operator's `1 + a` as written. */
function callArgs(text: string): string {
  const open = text.indexOf('(');
  return open > 0 && text.endsWith(')') ? text.slice(open + 1, -1) : text;
}

export const erlangParser: TraceParser = {
  name: 'erlang',
  trigger: /^\s*(?:=[A-Z]{1,20} REPORT=|(?:\*\* )?exception (?:error|exit|throw):)/,
  scanTriggers: [{ needle: FILE_TERM, pattern: /^.{0,2000}\{file,"[^"]{1,1000}"\},\{line,\d/ }],
  begin(line: LogicalLine): Start | null {
    const text = line.text;
    if (REPORT.test(text)) return { score: 10, builder: new ErlangBuilder('report', line) };
    if (ANY_REPORT.test(text)) return null;
    if (EXCEPTION.test(text)) return { score: 9, builder: new ErlangBuilder('shell', line) };
    if (text.includes(FILE_TERM)) return { score: 7, builder: new ErlangBuilder('inline', line) };
    return null;
  },
};
