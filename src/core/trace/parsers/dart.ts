// Dart VM stack traces (`#0      main (file:///a.dart:3:1)`) with their unhandled-exception headers, Flutter's
// boxed error reports, package:stack_trace's terse frames, as consoles, logcat and IDEs print them.

import { emptyFrame, type Frame, type Trace, type TraceNode } from '../model';
import type { LogicalLine } from '../normalize';
import { Feed, type ScanContext, type Start, type TraceBuilder, type TraceParser } from '../parser';
import { addNote, appendMessage, extendSpan, isBlank, newNode, titleOf, toInt } from './util';

const FRAME = /^\s*#(\d{1,6}) +(\S.*)$/;
/** `package:stack_trace`'s terse form: `package:foo/bar.dart 12:5  Foo.bar`, `dart:async  _rootRun`. */
const TERSE = /^\s*(\S{1,1000}) +(?:(\d{1,9})(?::(\d{1,9}))? +)?(\S.*)$/;
const TERSE_FILE = /^(?:package:|dart:|file:|org-dartlang-|https?:)|\.dart$/;
const GAP = /^\s*={3,} asynchronous gap =+$/;
const ASYNC = /^\s*<asynchronous suspension>$/;
/** `...     Normal element mounting (77 frames)`, `...` */
const ELLIPSIS = /^\s*\.\.\.(?:$|\s+(\S.{0,300})$)/;
const FRAMES_COUNT = /\((\d{1,9}) frames?\)$/;
/** `(elided 3 frames from class _AssertionError and package dart:async)`, `(elided one frame from …)`. */
const ELIDED = /^\s*\(elided (\d{1,9}|one) frames? from (.{1,500})\)$/;
const LINE_COL = /^(.*?):(\d{1,9})(?::(\d{1,9}))?$/;
/** `══╡ EXCEPTION CAUGHT BY WIDGETS LIBRARY ╞═══…` and Flutter 3's `======== Exception caught by widgets library ====…`. */
const BOX = /^\s*(?:══╡ .{1,200}? ╞═*|={3,} (?:EXCEPTION|Exception) caught by .{1,200}? =*)$/;
const BOX_END = /^\s*(?:═{10,}|={10,})$/;
const FOLLOWING = /^\s*The following (.{1,200}?) (?:was|were) (?:thrown|caught)/;
const STACK_INTRO = /^\s*When the (?:first )?exception was thrown, this was the stack:?$/;
/** `Unhandled exception:` (dart), `[ERROR:flutter/runtime/…(41)] Unhandled Exception: …` (Flutter engine). */
const UNHANDLED =
  /^\s*(?:\[ERROR:[^\]]{0,200}\] )?(?:Unhandled [Ee]xception|Another exception was thrown):(?: (.*))?$/;
/** What Dart's `toString()` makes of an error: `Exception: boom`, `RangeError (index): …`, `FormatException: …`. */
const TYPED = /^([A-Za-z_$][\w$]{0,200}(?:<[^<>]{0,200}>)?(?: \([^()]{0,100}\))?): (.*)$/;
const CREATOR_INTRO = /^\s*The relevant error-causing widget was:?$/;
/** Flutter 3 repeats the widget before an IDE link (`MaterialApp MaterialApp:file:///…`); older ones do not. */
const CREATOR = /^\s*([A-Za-z_$][\w$]{0,200})(?: [A-Za-z_$][\w$]{0,200}:| )((?:file|package):\S{1,2000})$/;
/** `package:flutter/src/…` names the package, `dart:async/zone.dart` the SDK library; terse frames fold to them. */
const PACKAGE = /^package:([^/]{1,200})(?:\/|$)/;
const DART_LIB = /^(dart:[^/]{1,200})(?:\/|$)/;

function moduleOf(file: string): string | null {
  const m = PACKAGE.exec(file) ?? DART_LIB.exec(file);
  return m ? m[1]! : null;
}

/** A location as the VM writes it: a `.dart` file or a `dart:`/`package:`/`file:` URI, with line and column. */
function setLocation(frame: Frame, loc: string): boolean {
  if (!loc.includes('.dart') && !loc.startsWith('dart:') && !loc.startsWith('package:')) return false;
  const m = LINE_COL.exec(loc);
  if (m && m[1]!.length > 0) {
    frame.file = m[1]!;
    frame.line = toInt(m[2]);
    frame.column = toInt(m[3]);
  } else {
    frame.file = loc;
  }
  frame.module = moduleOf(frame.file);
  return true;
}

/** Function names have no spaces, except the VM's `new ` and `<anonymous closure>`. */
function saneFunction(fn: string): boolean {
  const bare = fn.replace('new ', '').split('<anonymous closure>').join('');
  return bare.length > 0 && !/\s/.test(bare);
}

/** `#0      f (package:x/y.dart:12:5)`, or `#2      new Foo` whose location an IDE put on the next line. */
export function parseDartFrame(
  text: string,
  docLine: number,
): { frame: Frame; index: number; located: boolean } | null {
  const m = FRAME.exec(text);
  if (!m) return null;
  const body = m[2]!;
  const frame = emptyFrame(text.trim(), docLine);
  const open = body.lastIndexOf(' (');
  if (open > 0 && body.endsWith(')')) {
    const fn = body.slice(0, open).trim();
    if (!saneFunction(fn) || !setLocation(frame, body.slice(open + 2, -1).trim())) return null;
    frame.function = fn;
    return { frame, index: toInt(m[1]) ?? 0, located: true };
  }
  if (open > 0) {
    // Cut inside the location: what there is of it, noted.
    const fn = body.slice(0, open).trim();
    if (!saneFunction(fn) || body.includes(')')) return null;
    frame.function = fn;
    setLocation(frame, body.slice(open + 2).trim());
    frame.notes = ['truncated'];
    return { frame, index: toInt(m[1]) ?? 0, located: false };
  }
  if (!saneFunction(body) || body.includes('(') || body.includes(':')) return null;
  frame.function = body.trim();
  return { frame, index: toInt(m[1]) ?? 0, located: false };
}

/** A terse frame, or null. */
export function parseTerseFrame(text: string, docLine: number): Frame | null {
  const m = TERSE.exec(text);
  if (!m || !TERSE_FILE.test(m[1]!)) return null;
  const fn = m[4]!.trim();
  if (!saneFunction(fn)) return null;
  const frame = emptyFrame(text.trim(), docLine);
  frame.function = fn;
  frame.file = m[1]!;
  frame.line = toInt(m[2]);
  frame.column = toInt(m[3]);
  frame.module = moduleOf(frame.file);
  return frame;
}

/** The line after an IDE-split frame: `package:flutter/…/widgets/basic.dart:3575`. */
function locationLine(text: string): string | null {
  const t = text.trim();
  if (t.includes(' ') || !t.includes('.dart')) return null;
  return t;
}

/** Flutter's `The following X was thrown` names the error, or says `assertion` / `message` for its own kinds. */
function typeFromFollowing(what: string): string | null {
  if (what === 'assertion') return 'AssertionError';
  if (what === 'message') return null;
  return what.endsWith(' object') ? what.slice(0, -7) : what;
}

function typedMessage(node: TraceNode, text: string): void {
  const m = TYPED.exec(text);
  if (m && node.type === null && node.message === null) {
    node.type = m[1]!;
    appendMessage(node, m[2]!);
  } else {
    appendMessage(node, text);
  }
}

/** Lines of a Flutter report before its stack: the message, hints, the widget, diagnostics properties. */
const MAX_REPORT_TEXT = 200;

type State = 'box' | 'sentence' | 'message' | 'details' | 'frames' | 'after';

class DartBuilder implements TraceBuilder {
  readonly node: TraceNode;
  private state: State;
  private readonly boxed: boolean;
  private lastIndex = -1;
  /** `<asynchronous suspension>` / elisions seen since the last frame: notes for the next one. */
  private notes: string[] = [];
  /** A frame whose location an IDE moved to the next line. */
  private split: Frame | null = null;
  private lines = 0;
  private terse = false;
  private creatorNext = false;
  /** Open brackets in the `The following …` sentence so far. */
  private depth = 0;

  constructor(node: TraceNode, boxed: boolean) {
    this.node = node;
    this.boxed = boxed;
    this.state = boxed ? 'box' : 'frames';
  }

  private take(line: LogicalLine): Feed {
    extendSpan(this.node.span, line.docLine);
    return Feed.Take;
  }

  addFrame(frame: Frame, index: number, located: boolean): void {
    for (const n of this.notes) addNote(frame, n);
    this.notes = [];
    this.node.frames.push(frame);
    this.lastIndex = index;
    this.split = located ? null : frame;
    this.state = 'frames';
  }

  addTerse(frame: Frame): void {
    this.addFrame(frame, this.lastIndex, true);
    this.terse = true;
  }

  /**
   * Flutter wraps `The following … was thrown building Foo(dirty, state: …):` at 100 columns: it ends with
   * the colon that introduces the error, outside the widget description's brackets.
   */
  private sentenceEnds(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 40 || c === 91 || c === 123) this.depth++;
      else if ((c === 41 || c === 93 || c === 125) && this.depth > 0) this.depth--;
    }
    return this.depth === 0 && text.trimEnd().endsWith(':');
  }

  /** `  MaterialApp MaterialApp:file:///…/lib/main.dart:23:12`: where the app created the failing widget. */
  private creator(text: string, docLine: number): void {
    const m = CREATOR.exec(text);
    if (!m) return;
    const frame = emptyFrame(text.trim(), docLine);
    if (!setLocation(frame, m[2]!)) return;
    frame.function = m[1]!;
    const node = newNode(null, null, docLine);
    node.title = m[1]!;
    node.frames.push(frame);
    node.relation = 'related';
    node.role = 'error-causing widget';
    (this.node.related ??= []).push(node);
  }

  private omitted(n: number, note: string): void {
    this.node.omittedFrames = (this.node.omittedFrames ?? 0) + n;
    this.notes.push(note);
  }

  feed(line: LogicalLine): Feed {
    const text = line.text;
    if (++this.lines > 5000) return Feed.End;
    if (this.state === 'frames' || this.state === 'after') return this.feedFrames(line, text);
    // A report whose stack and closing rule never came (a cut paste) must not swallow the log after it.
    if (this.lines > MAX_REPORT_TEXT) return Feed.End;
    if (BOX.test(text)) return Feed.End;
    if (BOX_END.test(text)) {
      this.state = 'after';
      return this.take(line);
    }
    if (STACK_INTRO.test(text)) {
      this.state = 'frames';
      return this.take(line);
    }
    const frame = parseDartFrame(text, line.docLine);
    if (frame?.located) {
      this.addFrame(frame.frame, frame.index, true);
      return this.take(line);
    }
    switch (this.state) {
      case 'box': {
        const following = FOLLOWING.exec(text);
        if (following) {
          this.node.type = typeFromFollowing(following[1]!);
          this.state = this.sentenceEnds(text) ? 'message' : 'sentence';
        } else if (!isBlank(text)) {
          // A report without the usual sentence: its first paragraph is the message.
          appendMessage(this.node, text.trim());
          this.state = 'message';
        }
        break;
      }
      case 'sentence':
        if (this.sentenceEnds(text) || this.lines > 6) this.state = 'message';
        break;
      case 'message':
        if (isBlank(text)) {
          if (this.node.message !== null) this.state = 'details';
        } else {
          appendMessage(this.node, text.trim());
        }
        break;
      case 'details':
        if (CREATOR_INTRO.test(text)) this.creatorNext = true;
        else if (this.creatorNext && !isBlank(text)) {
          this.creatorNext = false;
          this.creator(text, line.docLine);
        }
        break;
    }
    this.node.title = titleOf(this.node.type, this.node.message);
    return this.take(line);
  }

  private feedFrames(line: LogicalLine, text: string): Feed {
    const parsed = parseDartFrame(text, line.docLine);
    if (parsed) {
      if (this.state === 'after' || (parsed.index <= this.lastIndex && !this.terse)) return Feed.End;
      this.addFrame(parsed.frame, parsed.index, parsed.located);
      return this.take(line);
    }
    if (this.split) {
      const loc = locationLine(text);
      const frame = this.split;
      this.split = null;
      if (loc !== null && setLocation(frame, loc)) {
        frame.raw = `${frame.raw}\n${text.trim()}`;
        return this.take(line);
      }
    }
    if (this.state === 'after') return Feed.End;
    const terse = this.terse || this.node.frames.length === 0 ? parseTerseFrame(text, line.docLine) : null;
    if (terse) {
      this.addTerse(terse);
      return this.take(line);
    }
    if (ASYNC.test(text) || (this.terse && GAP.test(text))) {
      this.notes.push('async');
      return this.take(line);
    }
    const elided = ELIDED.exec(text);
    if (elided) {
      this.omitted(
        elided[1] === 'one' ? 1 : (toInt(elided[1]) ?? 0),
        `elided ${elided[1]!} frames from ${elided[2]!}`,
      );
      return this.take(line);
    }
    const ellipsis = ELLIPSIS.exec(text);
    if (ellipsis) {
      const what = ellipsis[1] ?? '';
      const count = FRAMES_COUNT.exec(what);
      this.omitted(count ? (toInt(count[1]) ?? 0) : 0, what === '' ? 'elided' : `elided: ${what}`);
      return this.take(line);
    }
    if (this.boxed && BOX_END.test(text)) {
      this.state = 'after';
      return this.take(line);
    }
    if (BOX.test(text)) return Feed.End;
    // The rest of a Flutter report (the render object being laid out…) or another logger's line: kept only
    // if more of the trace follows.
    return Feed.Hold;
  }

  finish(): Trace[] {
    const last = this.node.frames[this.node.frames.length - 1];
    if (last && this.split === last && !last.notes?.includes('truncated')) addNote(last, 'truncated');
    this.node.title = titleOf(this.node.type, this.node.message);
    // Without a header, the first frame is what a reader would quote (as for a headless Java stack).
    if (this.node.title === '')
      this.node.title = this.node.frames[0]?.raw.split('\n', 1)[0] ?? 'Flutter error';
    return [{ ...this.node, format: 'dart', kind: 'exception' }];
  }
}

/** The header above a bare stack: `Unhandled exception:` and the error, or the error line alone. */
function findHeader(history: readonly LogicalLine[], node: TraceNode): void {
  const below: LogicalLine[] = [];
  for (let i = history.length - 1, n = 0; i >= 0 && n < 10; i--, n++) {
    const l = history[i]!;
    const text = l.text;
    if (isBlank(text)) break;
    const u = UNHANDLED.exec(text);
    if (u) {
      node.span.start = l.docLine;
      const lines = u[1] ? [u[1], ...below.map((b) => b.text.trim())] : below.map((b) => b.text.trim());
      for (const t of lines) typedMessage(node, t);
      return;
    }
    below.unshift(l);
  }
  // No `Unhandled exception:`: the line right above, when it reads like an error's toString().
  const prev = history[history.length - 1];
  if (prev) {
    const text = prev.text.trim();
    if (TYPED.test(text)) {
      node.span.start = prev.docLine;
      typedMessage(node, text);
    }
  }
}

export const dartParser: TraceParser = {
  name: 'dart',
  trigger:
    /^(?:\s*(?:#\d{1,6} |══╡ |={3,} (?:EXCEPTION|Exception) caught)|[VDIWEFA]\/flutter {0,4}\(|flutter: |\s*(?:package|dart):)/,
  scanTriggers: [{ needle: '.dart ', pattern: /^\s*\S{1,1000}\.dart \d{1,9}(?::\d{1,9})? / }],
  begin(line: LogicalLine, ctx: ScanContext): Start | null {
    const text = line.text;
    if (BOX.test(text)) {
      const node = newNode(null, null, line.docLine);
      return { score: 10, builder: new DartBuilder(node, true) };
    }
    const parsed = parseDartFrame(text, line.docLine);
    if (parsed) {
      const node = newNode(null, null, line.docLine);
      findHeader(ctx.history, node);
      const builder = new DartBuilder(node, false);
      builder.addFrame(parsed.frame, parsed.index, parsed.located);
      return { score: parsed.located ? 10 : 2, builder };
    }
    const terse = parseTerseFrame(text, line.docLine);
    if (terse && (terse.line !== null || terse.file?.startsWith('package:'))) {
      const node = newNode(null, null, line.docLine);
      const builder = new DartBuilder(node, false);
      builder.addTerse(terse);
      return { score: terse.line !== null ? 7 : 4, builder };
    }
    return null;
  },
};
