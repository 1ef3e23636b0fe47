// The streaming scan: lines in, traces out, in bounded memory. Every line is tested against the union of
// the parsers' triggers (on the raw line where it has nothing to decode); a matching line lets each parser
// bid, and the most confident one builds the trace until it says the trace has ended. Detection is per
// trace, so one log can mix formats.

import { ByteLineReader, LineSplitter } from './decode';
import type { Trace } from './model';
import {
  cleanLine,
  hasEscapedNewlines,
  prefixEnd,
  splitEscaped,
  type LogicalLine,
  streamKey,
} from './normalize';
import { Feed, type ScanTrigger, type Start, type TraceBuilder, type TraceParser } from './parser';
import { PARSERS } from './parsers';
import { structuredRecord } from './structured';

/** Lines kept for header look-back. */
const HISTORY = 32;
/** Lines a builder may hold undecided before the trace is ended. */
const MAX_HOLD = 12;
/** A trace longer than this is cut into several, so that memory stays bounded on hostile input. */
const MAX_TRACE_LINES = 20000;

export interface ScanOptions {
  parsers?: readonly TraceParser[];
  /** Read lines of other writers (pids, tids) interleaved into a trace as their own streams; default true. */
  streams?: boolean;
}

/** Writers followed at once; lines of further ones are scanned with the main stream. */
const MAX_STREAMS = 16;
/** A writer silent for this many lines has finished its trace (it will not be continued). */
const STREAM_IDLE = 64;

const COMPILED = new WeakMap<
  readonly TraceParser[],
  {
    trigger: RegExp;
    stickyTrigger: RegExp;
    scanTriggers: readonly ScanTrigger[];
    needles: RegExp | null;
  }
>();

export class TraceScanner {
  private readonly parsers: readonly TraceParser[];
  private readonly trigger: RegExp;
  /** The same union, sticky: tried at the message start of a raw line without cleaning it first. */
  private readonly stickyTrigger: RegExp;
  private readonly scanTriggers: readonly ScanTrigger[];
  /** Every scan trigger's needle in one search (one regular expression beats a dozen indexOf calls). */
  private readonly needles: RegExp | null;
  private active: TraceBuilder | null = null;
  private activeLines = 0;
  private held: LogicalLine[] = [];
  /**
   * Recent unclaimed lines as a ring (a shift() per line would move the whole window each time). Plain
   * lines are kept raw and cleaned only if a parser looks back at them.
   */
  private ring: (LogicalLine | string | undefined)[] = new Array<LogicalLine | string | undefined>(HISTORY);
  private ringDoc: number[] = new Array<number>(HISTORY).fill(0);
  /** The raw line of each entry (its prefix names its writer). */
  private ringRaw: string[] = new Array<string>(HISTORY).fill('');
  private ringEnd = 0;
  private ringSize = 0;
  /** Timestamps of the lines around the active trace's start, to date it. */
  private startLines: LogicalLine[] = [];
  /** Document line of the line that started the active trace. */
  private startedAt = 0;
  /** The raw line being pushed (its prefix tells its writer). */
  private currentRaw = '';
  /** The writer (see streamKey) of the line that started the active trace, when its prefix names one. */
  private activeKey: string | null = null;
  /** Scanners for other writers whose lines come between the active trace's lines. */
  private streams: Map<string, TraceScanner> | null = null;
  private othersBefore: [string, number][] = [];
  /** Lines of the active trace without and with a log timestamp. */
  private unstampedLines = 0;
  private stampedLines = 0;
  private readonly routing: boolean;
  /** The last document line this scanner was given. */
  private lastLine = 0;

  constructor(
    /** Receives each trace and the document line whose trigger started it (for parallel scans' merging). */
    private readonly onTrace: (trace: Trace, startedAt: number) => void,
    options: ScanOptions = {},
  ) {
    this.parsers = options.parsers ?? PARSERS;
    this.routing = options.streams !== false;
    // Compiling the unions costs more than parsing a pasted trace: they are made once per parser list.
    let compiled = COMPILED.get(this.parsers);
    if (!compiled) {
      const trigger = triggerUnion(this.parsers);
      compiled = {
        trigger,
        stickyTrigger: new RegExp(trigger.source.slice(1), 'y'),
        scanTriggers: this.parsers.flatMap((p) => p.scanTriggers ?? []),
        needles: needleUnion(this.parsers),
      };
      COMPILED.set(this.parsers, compiled);
    }
    this.trigger = compiled.trigger;
    this.stickyTrigger = compiled.stickyTrigger;
    this.scanTriggers = compiled.scanTriggers;
    // Global: lastIndex is where the search starts, so each scanner has its own copy.
    this.needles = compiled.needles && new RegExp(compiled.needles);
  }

  /**
   * Feeds one line of the document as read (1-based line number). `zeroWidth: false` promises the line has
   * no zero-width characters (see mayHaveZeroWidth), which lets it skip that work.
   */
  pushLine(raw: string, docLine: number, zeroWidth = true): void {
    this.lastLine = docLine;
    if (this.streams !== null) this.reapStreams(docLine);
    if (
      this.routing &&
      (this.activeKey !== null || this.streams !== null) &&
      this.route(raw, docLine, zeroWidth)
    ) {
      return;
    }
    this.currentRaw = raw;
    const escaped = raw.length > 16 && hasEscapedNewlines(raw);
    const record = raw.charCodeAt(0) === 123; /* { */
    // The common case — no trace under way, a line with nothing to decode — is decided on the raw line:
    // only if its message could start a trace is it cleaned and offered to the parsers.
    if (
      this.active === null &&
      !zeroWidth &&
      !escaped &&
      !record &&
      raw.indexOf('&') < 0 &&
      raw.indexOf('\x1b') < 0
    ) {
      if (!this.mayTrigger(raw, prefixEnd(raw))) {
        this.remember(raw, docLine);
        return;
      }
    }
    if (record && raw.length > 16) {
      // A JSON Lines record whose exception is in a field: its lines, all at the record's line.
      const lines = structuredRecord(raw, docLine);
      if (lines !== null && lines.some((l) => this.triggered(l.text))) {
        for (const l of lines) this.push(l);
        return;
      }
    }
    if (escaped) {
      const pieces = splitEscaped(raw, docLine);
      if (pieces.length > 1 && pieces.some((p) => this.triggered(p.text))) {
        for (const p of pieces) this.push(p);
        return;
      }
    }
    this.push(cleanLine(raw, docLine, zeroWidth));
  }

  /** Hands a line of another writer to that writer's scanner; false when it belongs to this one. */
  private route(raw: string, docLine: number, zeroWidth: boolean): boolean {
    const key = streamKey(raw);
    if (key === null) return false;
    let sub = this.streams?.get(key);
    const foreign = this.activeKey !== null && key !== this.activeKey;
    if (!sub) {
      if (!foreign) return false;
      this.streams ??= new Map();
      if (this.streams.size >= MAX_STREAMS) return false;
      sub = new TraceScanner(this.onTrace, { parsers: this.parsers, streams: false });
      // The writer's earlier lines went into this scanner's window: they are the new one's look-back.
      sub.seedFrom(this.othersBefore.filter(([raw]) => streamKey(raw) === key));
      this.streams.set(key, sub);
    } else if (sub.active === null && !foreign) {
      return false;
    }
    sub.pushLine(raw, docLine, zeroWidth);
    return true;
  }

  /** Raw lines of the window written by writers other than `key`, with their document lines. */
  private rawHistoryOfOthers(key: string): [string, number][] {
    const out: [string, number][] = [];
    for (let i = this.ringSize; i > 0; i--) {
      const k = (this.ringEnd - i + HISTORY) % HISTORY;
      const other = streamKey(this.ringRaw[k]!);
      if (other !== null && other !== key) out.push([this.ringRaw[k]!, this.ringDoc[k]!]);
    }
    return out;
  }

  private seedFrom(lines: [string, number][]): void {
    for (const [raw, docLine] of lines) this.remember(raw, docLine);
  }

  /** Ends the traces of writers that have gone quiet, and forgets them. */
  private reapStreams(docLine: number): void {
    for (const [key, sub] of this.streams!) {
      if (docLine - sub.lastLine <= STREAM_IDLE) continue;
      sub.end();
      this.streams!.delete(key);
    }
    if (this.streams!.size === 0) this.streams = null;
  }

  private streamActive(): boolean {
    if (this.streams === null) return false;
    for (const s of this.streams.values()) if (s.active !== null) return true;
    return false;
  }

  /**
   * The scanner's state between lines, as one number: 255 while a trace is being built, otherwise the
   * number of lines in the look-back window. Two scanners reading the same lines with equal states at the
   * same line behave identically from there on (the window holds the same lines), which is what lets a
   * parallel scan find where a speculative scan of a later block agrees with the real one.
   */
  get state(): number {
    return this.active || this.streamActive() ? 255 : this.ringSize;
  }

  /** Fills the look-back window with the lines before a block (a speculative scan's starting point). */
  seed(lines: readonly string[], firstDocLine: number): void {
    lines.forEach((raw, i) => this.remember(raw, firstDocLine + i));
  }

  /** Ends the input: the trace under construction is complete. */
  end(): void {
    while (this.active) {
      const held = this.held;
      this.held = [];
      this.finishActive();
      // Held lines were not part of the trace after all; they may start another one.
      for (const l of held) this.push(l);
    }
    for (const s of this.streams?.values() ?? []) s.end();
    this.streams = null;
  }

  private push(line: LogicalLine): void {
    const builder = this.active;
    if (!builder) {
      this.idle(line);
      return;
    }
    // A trace printed as plain text into a log (its lines mostly without the log's prefix) ends at the next
    // log record: a line with a timestamp whose message is not indented. A builder that would wait for more
    // (a cut report, a cause without frames) must not take the records after it, and the traces in them.
    const plainText = this.unstampedLines >= 2 && this.unstampedLines > this.stampedLines;
    const feed =
      plainText && line.timestamp !== undefined && !startsIndented(line.text) ? Feed.End : builder.feed(line);
    if (feed === Feed.Take) {
      if (line.timestamp === undefined) this.unstampedLines++;
      else this.stampedLines++;
      this.held.length = 0;
      if (++this.activeLines >= MAX_TRACE_LINES) this.finishActive();
      return;
    }
    if (feed === Feed.Hold && this.held.length < MAX_HOLD) {
      this.held.push(line);
      return;
    }
    const rescan = this.held;
    this.held = [];
    rescan.push(line);
    this.finishActive();
    for (const l of rescan) this.push(l);
  }

  /** A cheap over-approximation of `triggered` on a raw line whose message starts at `at`. */
  private mayTrigger(raw: string, at: number): boolean {
    this.stickyTrigger.lastIndex = at;
    if (this.stickyTrigger.test(raw)) return true;
    if (this.needles === null) return false;
    this.needles.lastIndex = at;
    return this.needles.test(raw);
  }

  private triggered(text: string): boolean {
    return this.trigger.test(text) || scanTriggered(this.scanTriggers, text);
  }

  private idle(line: LogicalLine): void {
    if (this.triggered(line.text)) {
      let best: Start | null = null;
      const key = this.routing ? streamKey(this.currentRaw) : null;
      const history = this.history(key);
      const ctx = { history };
      for (const p of this.parsers) {
        if (!parserTriggered(p, line.text)) continue;
        const start = p.begin(line, ctx);
        if (start && (!best || start.score > best.score)) best = start;
      }
      if (best) {
        this.active = best.builder;
        this.activeLines = 1;
        this.startLines = history.slice(-8);
        this.startLines.push(line);
        this.startedAt = line.docLine;
        this.activeKey = key;
        this.unstampedLines = line.timestamp === undefined ? 1 : 0;
        this.stampedLines = 1 - this.unstampedLines;
        // Other writers' lines just before the trace: the look-back of their own traces, if they start one.
        this.othersBefore = key !== null ? this.rawHistoryOfOthers(key) : [];
        this.ringSize = 0;
        return;
      }
    }
    this.remember(line, line.docLine);
  }

  /** Adds a line to the look-back window: cleaned, or raw (cleaned if a parser ever looks back at it). */
  private remember(line: LogicalLine | string, docLine: number): void {
    this.ring[this.ringEnd] = line;
    this.ringDoc[this.ringEnd] = docLine;
    this.ringRaw[this.ringEnd] = typeof line === 'string' ? line : this.currentRaw;
    this.ringEnd = (this.ringEnd + 1) % HISTORY;
    if (this.ringSize < HISTORY) this.ringSize++;
  }

  /**
   * The unclaimed lines before the current one, oldest first (raw ones cleaned once, on first look); with
   * a writer, only its lines and lines that name no writer.
   */
  private history(key: string | null = null): LogicalLine[] {
    const out: LogicalLine[] = [];
    for (let i = this.ringSize; i > 0; i--) {
      const k = (this.ringEnd - i + HISTORY) % HISTORY;
      if (key !== null) {
        const other = streamKey(this.ringRaw[k]!);
        if (other !== null && other !== key) continue;
      }
      let entry = this.ring[k]!;
      if (typeof entry === 'string') this.ring[k] = entry = cleanLine(entry, this.ringDoc[k]!);
      out.push(entry);
    }
    return out;
  }

  private finishActive(): void {
    const builder = this.active;
    if (!builder) return;
    this.active = null;
    this.activeKey = null;
    let traces: Trace[];
    try {
      traces = builder.finish();
    } catch {
      // A parser bug must not lose the rest of the document; the lines are simply not a trace.
      traces = [];
    }
    for (const t of traces) {
      if (t.timestamp === undefined) {
        const ts = this.timestampFor(t.span.start);
        if (ts !== undefined) t.timestamp = ts;
      }
      this.onTrace(t, this.startedAt);
    }
  }

  /** The timestamp of the trace's first line, or of the log record line just above it. */
  private timestampFor(start: number): string | undefined {
    const lines = this.startLines;
    for (let i = lines.length - 1; i >= 0; i--) {
      const l = lines[i]!;
      if (l.docLine > start) continue;
      if (l.timestamp !== undefined) return l.timestamp;
      if (l.docLine < start - 1) return undefined;
    }
    return undefined;
  }
}

function startsIndented(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 32 || c === 9;
}

function scanTriggered(triggers: readonly ScanTrigger[], text: string): boolean {
  for (const s of triggers) if (text.indexOf(s.needle) >= 0 && s.pattern.test(text)) return true;
  return false;
}

/** Whether a line triggers this parser: its anchored trigger or one of its scan triggers. */
export function parserTriggered(p: TraceParser, text: string): boolean {
  return p.trigger.test(text) || scanTriggered(p.scanTriggers ?? [], text);
}

/**
 * One regular expression matching where any parser's trigger matches. Triggers are anchored at the line
 * start (a unit test checks it); an anchored union lets the engine try position 0 only, which is what
 * keeps the scan of ordinary log lines cheap.
 */
export function triggerUnion(parsers: readonly TraceParser[]): RegExp {
  return new RegExp(`^(?:${parsers.map((p) => p.trigger.source.replace(/^\^/, '')).join('|')})`);
}

/** The scan triggers' needles as one global search, or null when no parser has scan triggers. */
function needleUnion(parsers: readonly TraceParser[]): RegExp | null {
  const needles = [...new Set(parsers.flatMap((p) => (p.scanTriggers ?? []).map((s) => s.needle)))];
  if (needles.length === 0) return null;
  return new RegExp(needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}

/** A scanner fed by a byte reader: what every scan of bytes (a buffer, a file) starts from. */
export function lineScanner(
  onTrace: (trace: Trace, startedAt: number) => void,
  options?: ScanOptions,
): { scanner: TraceScanner; reader: ByteLineReader } {
  const scanner = new TraceScanner(onTrace, options);
  const reader = new ByteLineReader((line, no, zeroWidth) => scanner.pushLine(line, no, zeroWidth));
  return { scanner, reader };
}

/** Parses a whole text (a pasted trace, a document in the editor). */
export function parseText(text: string, options?: ScanOptions): Trace[] {
  const traces: Trace[] = [];
  const scanner = new TraceScanner((t) => traces.push(t), options);
  const splitter = new LineSplitter((line, no, zeroWidth) => scanner.pushLine(line, no, zeroWidth));
  splitter.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  splitter.end();
  scanner.end();
  return traces;
}

/** Parses bytes as read from a file: the encoding (UTF-8, UTF-16 with or without BOM) is detected. */
export function parseBytes(bytes: Uint8Array, options?: ScanOptions): Trace[] {
  const traces: Trace[] = [];
  const { scanner, reader } = lineScanner((t) => traces.push(t), options);
  reader.push(bytes);
  reader.end();
  scanner.end();
  return traces;
}
