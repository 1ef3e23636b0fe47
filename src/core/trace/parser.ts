// The contract between the scanner and the format parsers: each parser is a small line-oriented state
// machine that the scanner starts when a line looks like the start (or first frame) of its format.

import type { LogicalLine } from './normalize';
import type { Trace } from './model';

/** What a builder says about the line it was offered. */
export const enum Feed {
  /** The line belongs to the trace. */
  Take,
  /** Not yet known (a blank line inside a trace, noise between frames): keep it aside; a later Take absorbs it. */
  Hold,
  /** The line is not part of the trace: the trace is complete, the line (and held lines) are scanned anew. */
  End,
}

/** Builds one trace (or one dump's traces) from consecutive lines. */
export interface TraceBuilder {
  feed(line: LogicalLine): Feed;
  /** Called once, when the builder has said End or the input ended. */
  finish(): Trace[];
}

export interface ScanContext {
  /** Lines before the current one that no trace claimed, oldest first (a bounded window): where headers are. */
  readonly history: readonly LogicalLine[];
}

export interface Start {
  /** How sure the parser is that this is its format; the highest score wins. */
  score: number;
  builder: TraceBuilder;
}

export interface ScanTrigger {
  /** A substring every line the pattern matches must contain. */
  needle: string;
  /** Anchored (`^`) and linear, like a trigger. */
  pattern: RegExp;
}

export interface TraceParser {
  /** Family name, for messages and tests. */
  readonly name: string;
  /**
   * A cheap test that a line may start a trace of this format or be one of its frames. Tested on every line
   * of a log as part of one union, so it must be anchored (`^`) and fail within the first few characters
   * of an ordinary line; begin() is only called when it (or a scan trigger) matches.
   */
  readonly trigger: RegExp;
  /**
   * Tests that have to look further into the line (`fn@url:1:2`, `… Traceback (most recent call last):`).
   * Each runs only on lines that contain its needle, found with indexOf, which keeps ordinary lines cheap.
   */
  readonly scanTriggers?: readonly ScanTrigger[];
  /** Starts a builder if `line` opens a trace of this format (headers may be taken from ctx.history). */
  begin(line: LogicalLine, ctx: ScanContext): Start | null;
}
