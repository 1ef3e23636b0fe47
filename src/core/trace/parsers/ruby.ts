// Ruby backtraces as the interpreter prints uncaught exceptions (before and after 3.4's quoting change, 2.5–2.7's
// reversed `Traceback` order, causes), and as Rails, pry, loggers and error pages list `file:line:in 'method'`.

import { emptyFrame, type Frame, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { appendMessage, closeSpans, extendSpan, isBlank, newNode, titleOf, toInt } from './util';

/** A class as Ruby names it: `RuntimeError`, `ActiveRecord::RecordNotFound`, `Errno::ENOENT`. */
const CLASS = /^[A-Z]\w{0,200}(?:::[A-Z]\w{0,200}){0,20}$/;
/** A class that reads as an exception by its name (a bare `Foo: bar` line is not enough). */
const EXCEPTION_NAME = /(?:Error|Exception|Interrupt|Exit|Iteration)$|::/;
/** `NameError: message` (pry, irb, loggers, error trackers). */
const TYPE_COLON = /^\s*([A-Z]\w{0,200}(?:::[A-Z]\w{0,200}){0,20}): (.*)$/;
/** Rails' log line above a request's backtrace: `NoMethodError (undefined method 'x' for nil):`. */
const RAILS_HEADER = /^\s*([A-Z]\w{0,200}(?:::[A-Z]\w{0,200}){0,20}) \((.*)\):$/;
/** `\t ... 12 levels...`: frames the writer left out. */
const LEVELS = /^\s*\.\.\. (\d{1,9}) levels\.\.\.$/;
/** did_you_mean's block: `Did you mean?  greeting`, further candidates aligned under the first. */
const DID_YOU_MEAN = /^\s*Did you mean\?/;
/** error_highlight's marker line under the echoed source line. */
const CARETS = /^\s*\^+\s*$/;
/** Rails' backtrace cleaner names a gem by name and version: `actionpack (7.0.4) lib/action_controller/metal.rb`. */
const CLEANED_GEM = /^([\w.-]{1,100}) \(([\w.-]{1,40})\) (\S.*)$/;
/** A gem's directory in an installed path: `/gems/rack-2.2.3/lib/…`, `bundler/gems/rails-8a1b2c3d4e5f/…`. */
const GEM_DIR = /\/gems\/([A-Za-z][\w.-]{0,100}-[\w.]{1,60})\//;
/** Elixir and Erlang frames rendered the Ruby way by error trackers are not Ruby's. */
const BEAM_FILE = /\.(?:ex|exs|erl|hrl)$/;
const ARITY = /\/\d{1,3}$/;
/** The number before a reversed frame's `from`, at the end of the text before it. */
const NUMBERED = /(?:^|\s)(\d{1,6}): $/;

/** What a `file:line:in 'label'` line says. */
interface RubyLine {
  frame: Frame;
  /** `from` (uncaught-exception backtrace) or `N: from` (2.5–2.7's reversed order) before the location. */
  from: boolean;
  /** The number of a reversed (`N: from`) frame. */
  number: number | null;
  /** Text after the label's closing quote: a header's `: message (Class)`, or ''. */
  rest: string;
}

/**
 * Where the location starts in `head` (the text before `:in `): after the last `: `, tab or run of spaces, so
 * that a prefix the log stripper left (`all-ruby`'s version column, `pid=1 WARN: `) is not taken for the path.
 */
function locationStart(head: string): number {
  let start = 0;
  const colon = head.lastIndexOf(': ');
  if (colon >= 0) start = colon + 2;
  for (let i = head.length - 1; i > start; i--) {
    const c = head.charCodeAt(i);
    if (c === 9 || (c === 32 && head.charCodeAt(i - 1) === 32)) {
      start = i + 1;
      break;
    }
  }
  while (start < head.length && (head.charCodeAt(start) === 32 || head.charCodeAt(start) === 9)) start++;
  // One space can still separate a word from the path (`ruby-3.4.0-preview1 -e:1`): a path that has a space
  // of its own (`C:/Program Files/x.rb`, `/Users/J Doe/x.rb`) has a separator before it.
  const space = head.lastIndexOf(' ');
  if (space > start && !CLEANED_GEM.test(head.slice(start))) {
    const before = head.slice(start, space);
    if (before.indexOf('/') < 0 && before.indexOf('\\') < 0 && !before.startsWith('from')) return space + 1;
  }
  return start;
}

/** Parses a line holding `file:line[:col]:in 'label'` (backtick-opened before Ruby 3.4), or returns null. */
export function parseRubyLine(text: string, docLine: number): RubyLine | null {
  let at = text.indexOf(":in '");
  const tick = text.indexOf(':in `');
  if (tick >= 0 && (at < 0 || tick < at)) at = tick;
  if (at < 0) return null;
  const close = text.indexOf("'", at + 5);
  if (close < 0) return null;
  const label = text.slice(at + 5, close);
  if (label.length === 0) return null;
  const head = text.slice(0, at);
  const start = locationStart(head);
  let loc = head.slice(start);
  let from = false;
  let number: number | null = null;
  if (loc.startsWith('from ')) {
    loc = loc.slice(5).trimStart();
    from = true;
    // 2.5–2.7's reversed order numbers the frames: `\t2: from t.rb:7:in ...`.
    const n = NUMBERED.exec(head.slice(0, start));
    if (n) number = toInt(n[1]);
  }
  let colon = loc.lastIndexOf(':');
  if (colon <= 0) return null;
  let line = toInt(loc.slice(colon + 1));
  let column: number | null = null;
  if (line === null) return null;
  let file = loc.slice(0, colon);
  // Error trackers append a column: `app.rb:12:5:in 'save'`.
  colon = file.lastIndexOf(':');
  if (colon > 0) {
    const l = toInt(file.slice(colon + 1));
    if (l !== null && /^\d+$/.test(file.slice(colon + 1))) {
      column = line;
      line = l;
      file = file.slice(0, colon);
    }
  }
  if (file.length === 0 || BEAM_FILE.test(file) || ARITY.test(label)) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.function = label;
  frame.line = line;
  frame.column = column;
  const gem = CLEANED_GEM.exec(file);
  if (gem) {
    frame.module = `${gem[1]!} (${gem[2]!})`;
    frame.file = gem[3]!;
  } else {
    frame.file = file;
    const dir = GEM_DIR.exec(file);
    if (dir) frame.module = dir[1]!;
  }
  return { frame, from, number, rest: text.slice(close + 1) };
}

interface Header {
  type: string | null;
  message: string | null;
}

/** `: message (Class)` after a header's label; `unhandled exception` when the message was empty. */
function headerOf(rest: string): Header | null {
  if (!rest.startsWith(': ')) return null;
  const body = rest.slice(2);
  if (body.endsWith(')')) {
    const open = body.lastIndexOf(' (');
    if (open >= 0) {
      const cls = body.slice(open + 2, -1);
      if (CLASS.test(cls)) return { type: cls, message: body.slice(0, open) };
    }
  }
  return { type: null, message: body };
}

/** A header line without a location, above a backtrace: pry's `NameError: …`, Rails' `NoMethodError (…):`. */
function parseBareHeader(text: string): Header | null {
  const rails = RAILS_HEADER.exec(text);
  if (rails) return { type: rails[1]!, message: rails[2]! };
  const m = TYPE_COLON.exec(text);
  if (m && EXCEPTION_NAME.test(m[1]!)) return { type: m[1]!, message: m[2]! };
  return null;
}

/** A file Ruby would run: what makes a bare `file:line:in 'x'` line convincing. */
function rubyish(file: string | null): boolean {
  if (file === null) return false;
  return /\.(?:rb|rake|ru|gemspec|erb|haml|slim|builder|jbuilder|rabl)$|^\((?:pry|irb|eval)\)$|^-e$|^\(irb#?\d*\)$/.test(
    file,
  );
}

interface Node {
  node: TraceNode;
  /** Frames printed `N: from` (outermost first), with the header after them. */
  numbered: Frame[];
}

class RubyBuilder implements TraceBuilder {
  private readonly nodes: Node[] = [];
  private current: Node;
  /** Between a header and its first frame: lines kept aside until a frame shows they belong to the message. */
  private inMessage: boolean;
  private pending: LogicalLine[] = [];
  private inDidYouMean = false;
  /** A blank line since the last frame: a header after it starts another trace, not a cause. */
  private blank = false;

  constructor(first: TraceNode, inMessage: boolean) {
    this.current = { node: first, numbered: [] };
    this.nodes.push(this.current);
    this.inMessage = inMessage;
  }

  addFrame(r: RubyLine): void {
    this.commitPending();
    this.inMessage = false;
    this.inDidYouMean = false;
    this.blank = false;
    if (r.number !== null) this.current.numbered.push(r.frame);
    else this.current.node.frames.push(r.frame);
    extendSpan(this.current.node.span, r.frame.docLine);
  }

  /** A header line: the current node's own (after 2.5–2.7's numbered frames), or a cause (3.1+ prints them). */
  header(r: RubyLine, h: Header): void {
    const node = this.current.node;
    if (this.current.numbered.length > 0 && node.type === null && node.frames.length === 0) {
      node.type = h.type;
      node.message = h.message;
      node.title = titleOf(h.type, h.message);
      node.frames.push(r.frame);
      extendSpan(node.span, r.frame.docLine);
    } else {
      const cause = newNode(h.type, h.message, r.frame.docLine);
      cause.relation = 'cause';
      cause.frames.push(r.frame);
      this.current = { node: cause, numbered: [] };
      this.nodes.push(this.current);
      this.inMessage = true;
    }
    this.pending = [];
    this.blank = false;
  }

  /** Message lines held so far are the message's after all; error_highlight's source line goes to frame 0. */
  private commitPending(): void {
    const node = this.current.node;
    const lines = this.pending;
    this.pending = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      extendSpan(node.span, l.docLine);
      if (isBlank(l.text)) continue;
      const next = lines[i + 1];
      if (next && CARETS.test(next.text)) {
        const f = node.frames[0];
        if (f && f.source === undefined) f.source = l.text.trim();
        i++;
        continue;
      }
      appendMessage(node, l.text.trim());
    }
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    const r = parseRubyLine(text, line.docLine);
    if (r) {
      const h = r.from ? null : headerOf(r.rest);
      if (h && h.type !== null) {
        if (this.blank) return Feed.End;
        this.header(r, h);
        return Feed.Take;
      }
      if (r.rest.length > 0 && !r.from) return Feed.End;
      this.addFrame(r);
      return Feed.Take;
    }
    const levels = LEVELS.exec(text);
    if (levels) {
      const node = this.current.node;
      node.omittedFrames = (node.omittedFrames ?? 0) + (toInt(levels[1]) ?? 0);
      extendSpan(node.span, line.docLine);
      return Feed.Take;
    }
    if (this.inMessage) {
      if (DID_YOU_MEAN.test(text) || (this.inDidYouMean && /^\s/.test(text) && !isBlank(text))) {
        // Suggestions, not message: the pending lines before them are.
        this.commitPending();
        this.inDidYouMean = true;
        extendSpan(this.current.node.span, line.docLine);
        return Feed.Take;
      }
      if (CARETS.test(text) && this.pending.length > 0) {
        this.pending.push(line);
        this.commitPending();
        return Feed.Take;
      }
      this.inDidYouMean = false;
      if (this.pending.length < 30) {
        this.pending.push(line);
        return Feed.Hold;
      }
      return Feed.End;
    }
    if (isBlank(text)) {
      this.blank = true;
      return Feed.Hold;
    }
    return Feed.End;
  }

  finish(): Trace[] {
    for (const n of this.nodes) {
      // 2.5–2.7 printed the outermost frame first, numbered down to 1 just above the header's line.
      for (let i = n.numbered.length - 1; i >= 0; i--) n.node.frames.push(n.numbered[i]!);
      for (const f of n.numbered) extendSpan(n.node.span, f.docLine);
    }
    const root = this.nodes[0]!.node;
    for (let i = 1; i < this.nodes.length; i++) this.nodes[i - 1]!.node.causes.push(this.nodes[i]!.node);
    closeSpans(root);
    return [{ ...root, format: 'ruby', kind: 'exception' }];
  }
}

/**
 * The header above a backtrace that starts with a frame: pry's `NameError: …` with did_you_mean's lines under
 * it, or Rails' `NoMethodError (…):` and the blank line after it.
 */
function findHeader(
  history: readonly LogicalLine[],
  docLine: number,
): { header: Header; lines: LogicalLine[] } | null {
  let i = history.length - 1;
  let blanks = 0;
  let next = docLine;
  const below: LogicalLine[] = [];
  for (let n = 0; i >= 0 && n < 12; i--, n++) {
    const l = history[i]!;
    // The history skips lines another trace claimed: the header must sit right above.
    if (l.docLine < next - 1) return null;
    next = l.docLine;
    const text = l.text;
    if (isBlank(text)) {
      if (++blanks > 1) return null;
      continue;
    }
    if (parseRubyLine(text, l.docLine)) return null;
    const h = parseBareHeader(text);
    if (h) return { header: h, lines: [l, ...below] };
    below.unshift(l);
  }
  return null;
}

export const rubyParser: TraceParser = {
  name: 'ruby',
  trigger: /^\s*\d{1,6}: from /,
  // Every Ruby frame and header holds `:in ` and an opening quote; a log prefix may come first.
  scanTriggers: [
    { needle: ':in `', pattern: /^.{0,600}?:\d{1,9}:in `/ },
    { needle: ":in '", pattern: /^.{0,600}?:\d{1,9}:in '/ },
  ],
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const text = line.text;
    const r = parseRubyLine(text, line.docLine);
    if (!r) return null;
    const h = r.from ? null : headerOf(r.rest);
    if (h) {
      const node = newNode(h.type, h.message, line.docLine);
      node.frames.push(r.frame);
      // `path:1:in 'x': text` without `(Class)` is weaker: a log line can read like that.
      return {
        score: h.type !== null ? 10 : rubyish(r.frame.file) ? 6 : 3,
        builder: new RubyBuilder(node, true),
      };
    }
    if (r.rest.length > 0) return null;
    const found = findHeader(ctx.history, line.docLine);
    let node: TraceNode;
    if (found) {
      node = newNode(found.header.type, found.header.message, found.lines[0]!.docLine);
      let suggestions = false;
      for (const l of found.lines.slice(1)) {
        extendSpan(node.span, l.docLine);
        const t = l.text;
        if (DID_YOU_MEAN.test(t)) suggestions = true;
        else if (!suggestions || !/^\s/.test(t)) {
          suggestions = false;
          appendMessage(node, t.trim());
        }
      }
    } else {
      node = newNode(null, null, line.docLine);
      node.title = titleOf(null, text.trim());
    }
    const builder = new RubyBuilder(node, false);
    builder.addFrame(r);
    const score = rubyish(r.frame.file) ? (r.from ? 10 : 9) : r.from ? 8 : 5;
    return { score, builder };
  },
};
