// What `escalate-replay` adds to the Debug Adapter Protocol: its custom requests with their arguments and
// answers, for the extension's commands and webviews (docs/replay.md describes them for users).

import type { IndexState } from '../core/replay/runtime';
import type { Timeline } from './timeline';

export const DEBUG_TYPE = 'escalate-replay';

export const Requests = {
  /** `{ threadId }`: the thread's previous event (DAP has no reverse step in). */
  reverseStepIn: 'reverseStepIn',
  /** `{ threadId }`: back to where the current frame was entered from its caller. */
  reverseStepOut: 'reverseStepOut',
  /** JumpArgs → Moved: to an event by index, or to the latest event at or before a time. */
  jump: 'escalate/jump',
  /** `{ index }` (an output line's `data.eventIndex`) → OutputAt: to the event that wrote the line. */
  outputAt: 'escalate/outputAt',
  /** No arguments → Timeline: thread lanes, time range, exception and log markers, the position. */
  timeline: 'escalate/timeline',
  /** No arguments → Position. */
  position: 'escalate/position',
  /** `{ any }`: line breakpoints match any frame of a stack (the setting changed), or the innermost only. */
  breakpointsInAnyFrame: 'escalate/breakpointsInAnyFrame',
} as const;

export interface JumpArgs {
  /** An event index (0-based). */
  index?: number;
  /** A time on the session's clock (its units), or an ISO 8601 date when the clock has an origin. */
  time?: number | string;
}

/** The answer of a jump: where the replay stopped (a `stopped` event with reason `goto` follows). */
export interface Moved {
  index: number;
  threadId: number;
}

export interface OutputAt extends Moved {
  /** The log line the event wrote, if it is a log event. */
  output: string | null;
}

/** Where a replay is, and what it replays. */
export interface Position {
  index: number;
  eventCount: number;
  threadId: number;
  /** The event's time on the session's clock, and as a date when the clock has an origin. */
  time: number | null;
  date: string | null;
  /** The file launched, and the session replayed (a temporary import when `imported`). */
  input: string;
  session: string;
  imported: boolean;
  /** The ref frames resolve at (`v5.5.1`, `HEAD`). */
  ref: string;
  case: string | null;
  /** The key index: while it builds, moves parse events on demand (correct, slower). */
  indexing: IndexState;
}

/** `data` of every output event the replay writes: the event to jump to with `escalate/outputAt`. */
export interface OutputData {
  eventIndex: number;
}

export type { Timeline };
