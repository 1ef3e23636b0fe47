// The captured-session format (docs/session-format.md): JSON Lines, one header object, then one event per line
// in time order. These types are the contract between importers, the reader, the replay runtime and the adapter.

/** The header's `format` value; readers accept any header whose `version` major they know. */
export const SESSION_FORMAT = 'escalate-session';
export const SESSION_VERSION = 1;

/** Units of `Event.t`. `seq` is a plain counter (dumps taken at unknown times). */
export type ClockUnit = 'ns' | 'us' | 'ms' | 's' | 'seq';

export interface SessionThread {
  /** Stable id within the session; events name it. Strings so goroutine numbers, tids and names all fit. */
  id: string;
  name?: string;
}

export interface SessionHeader {
  format: typeof SESSION_FORMAT;
  version: number;
  /** The program captured (`orders-service`, a command line). */
  program?: string;
  /** The customer's product version and, when known, the ref of its build. */
  product?: { version?: string; ref?: string };
  /** Threads known up front; events may name more (readers add them as they meet them). */
  threads: SessionThread[];
  clock: {
    unit: ClockUnit;
    /** Wall-clock time of `t = 0`, ISO 8601, when the capture had one. */
    origin?: string;
  };
  /** Where the session came from: `{ importer: 'dumps', files: [...] }`; free-form. */
  source?: Record<string, unknown>;
}

/** A recorded value. Values are strings as the capture printed them; nested objects and arrays via children. */
export interface SessionVariable {
  name: string;
  value: string;
  type?: string;
  children?: SessionVariable[];
}

export interface SessionScope {
  /** `Locals`, `Arguments`, `Fields`, `Record`… */
  name: string;
  variables: SessionVariable[];
}

/** A frame as in the trace model (only the fields a capture carries), innermost first in `Event.stack`. */
export interface SessionFrame {
  function: string | null;
  file: string | null;
  line: number | null;
  column?: number | null;
  module?: string | null;
  /** Scopes recorded for this frame at this event. */
  scopes?: SessionScope[];
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface SessionEvent {
  /** Time on the header's clock; non-decreasing through the file. */
  t: number;
  /** A thread id (need not be in the header). */
  thread: string;
  /** Innermost first; may be empty (a log line without a location). */
  stack: SessionFrame[];
  /** What happened: a sample/dump of the stack, a log record, an exception thrown, or a function entry/exit. */
  kind?: 'sample' | 'log' | 'exception' | 'enter' | 'exit';
  /** Thread state as captured (`RUNNABLE`, `BLOCKED`, `chan receive`). */
  state?: string;
  log?: { level: LogLevel; message: string; logger?: string };
  exception?: { type: string; message?: string };
}
