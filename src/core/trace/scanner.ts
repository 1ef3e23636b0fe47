// The streaming scan: lines in, traces out, in bounded memory. Every line is cleaned and tested against the
// union of the parsers' triggers; a matching line lets each parser bid, and the most confident one builds
// the trace until it says the trace has ended. Detection is per trace, so one log can mix formats.

import { ByteLineReader, LineSplitter } from './decode';
import type { Trace } from './model';
import { cleanLine, hasEscapedNewlines, splitEscaped, type LogicalLine } from './normalize';
import { Feed, type Start, type TraceBuilder, type TraceParser } from './parser';
import { PARSERS } from './parsers';

/** Lines kept for header look-back. */
const HISTORY = 32;
/** Lines a builder may hold undecided before the trace is ended. */
const MAX_HOLD = 12;
/** A trace longer than this is cut into several, so that memory stays bounded on hostile input. */
const MAX_TRACE_LINES = 20000;

export interface ScanOptions {
  parsers?: readonly TraceParser[];
}

export class TraceScanner {
  private readonly parsers: readonly TraceParser[];
  private readonly trigger: RegExp;
  private active: TraceBuilder | null = null;
  private activeLines = 0;
  private held: LogicalLine[] = [];
  private history: LogicalLine[] = [];
  /** Timestamps of the lines around the active trace's start, to date it. */
  private startLines: LogicalLine[] = [];

  constructor(
    private readonly onTrace: (trace: Trace) => void,
    options: ScanOptions = {},
  ) {
    this.parsers = options.parsers ?? PARSERS;
    this.trigger = new RegExp(this.parsers.map((p) => `(?:${p.trigger.source})`).join('|'));
  }

  /** Feeds one line of the document as read (1-based line number). */
  pushLine(raw: string, docLine: number): void {
    if (raw.length > 16 && hasEscapedNewlines(raw)) {
      const pieces = splitEscaped(raw, docLine);
      if (pieces.length > 1 && pieces.some((p) => this.trigger.test(p.text))) {
        for (const p of pieces) this.push(p);
        return;
      }
    }
    this.push(cleanLine(raw, docLine));
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
  }

  private push(line: LogicalLine): void {
    const builder = this.active;
    if (!builder) {
      this.idle(line);
      return;
    }
    const feed = builder.feed(line);
    if (feed === Feed.Take) {
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

  private idle(line: LogicalLine): void {
    if (this.trigger.test(line.text)) {
      let best: Start | null = null;
      const ctx = { history: this.history };
      for (const p of this.parsers) {
        if (!p.trigger.test(line.text)) continue;
        const start = p.begin(line, ctx);
        if (start && (!best || start.score > best.score)) best = start;
      }
      if (best) {
        this.active = best.builder;
        this.activeLines = 1;
        this.startLines = this.history.slice(-8);
        this.startLines.push(line);
        this.history = [];
        return;
      }
    }
    this.history.push(line);
    if (this.history.length > HISTORY) this.history.shift();
  }

  private finishActive(): void {
    const builder = this.active;
    if (!builder) return;
    this.active = null;
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
      this.onTrace(t);
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

/** Parses a whole text (a pasted trace, a document in the editor). */
export function parseText(text: string, options?: ScanOptions): Trace[] {
  const traces: Trace[] = [];
  const scanner = new TraceScanner((t) => traces.push(t), options);
  const splitter = new LineSplitter((line, no) => scanner.pushLine(line, no));
  splitter.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  splitter.end();
  scanner.end();
  return traces;
}

/** Parses bytes as read from a file: the encoding (UTF-8, UTF-16 with or without BOM) is detected. */
export function parseBytes(bytes: Uint8Array, options?: ScanOptions): Trace[] {
  const traces: Trace[] = [];
  const scanner = new TraceScanner((t) => traces.push(t), options);
  const reader = new ByteLineReader((line, no) => scanner.pushLine(line, no));
  reader.push(bytes);
  reader.end();
  scanner.end();
  return traces;
}
