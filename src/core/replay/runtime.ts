// The replay runtime: a position in a captured session and a debugger's operations over it (threads, stacks,
// recorded variables, stepping by stack depth both ways, breakpoints on recorded values). Knows nothing of DAP.

import * as fs from 'node:fs';
import { setImmediate as giveWay } from 'node:timers/promises';
import { sameFileDefault } from './breakpoints';
import { compile, evaluateAst, variablePath, type Value } from './expr';
import type { LogLevel, SessionEvent, SessionFrame, SessionHeader } from './format';
import {
  EXCEPTION,
  IndexedKeys,
  OnDemandKeys,
  UNREADABLE,
  ThreadRegistry,
  defaultWorkerScript,
  startIndex,
  type Columns,
  type EventKeys,
  type IndexBuild,
} from './keys';
import { SessionFile, type EventRead, type SessionOpenError, type SessionOpenOptions } from './reader';
import {
  OutputRing,
  TimeSlice,
  blockOf,
  countLogs,
  nearestLogs,
  runScan,
  stepScan,
  threadFigures,
  type Scan,
  type StepKind,
} from './search';
import { StopRules, type Found, type Output } from './stops';
import { Handles, lookupIn, type Handle } from './values';

// ---------------------------------------------------------------------------------------------------------
// What the runtime shows

/**
 * A thread of the session. `id` is the runtime's number for it (1, 2, …: the header's threads in order, then
 * threads met in events); `sessionId` is the id the session records.
 */
export interface ReplayThread {
  id: number;
  sessionId: string;
  name: string;
}

/** A frame of a thread's stack at the position; index 0 is innermost. */
export interface ReplayFrame {
  index: number;
  /** The function as recorded, or `<unknown>`. */
  name: string;
  function: string | null;
  /** The path exactly as recorded (the adapter resolves it to source). */
  file: string | null;
  line: number | null;
  column: number | null;
  module: string | null;
}

/**
 * What a thread shows at the position: its latest event at or before the position. `eventIndex` is null (and
 * `frames` empty) when the thread has no event yet, or when that event's line is unreadable (then `error`).
 */
export interface ReplayStack {
  threadId: number;
  eventIndex: number | null;
  frames: ReplayFrame[];
  /** Thread state as recorded (`RUNNABLE`, `chan receive`). */
  state: string | null;
  error?: string;
}

/** A recorded scope of a frame; its variables come from `variables(variablesReference)`. */
export interface ReplayScope {
  name: string;
  variablesReference: number;
  /** Variables in the scope. */
  count: number;
}

/**
 * A recorded variable. `variablesReference` > 0 when it has children (0 otherwise); references are valid until
 * the position next changes, as in DAP.
 */
export interface ReplayVariable {
  name: string;
  value: string;
  type: string | null;
  variablesReference: number;
  /** Children, for paging. */
  count: number;
}

export type EvaluateResult =
  | { ok: true; value: string; type: string | null; variablesReference: number; count: number }
  | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------
// Breakpoints

/**
 * A line breakpoint as the editor sets it. `condition` and `logMessage` use the expression language of
 * `evaluate` (a log message interpolates `{expr}`); `hitCondition` is `N`, `>= N` (also `>`, `<=`, `<`, `==`)
 * or `% N`. Hits count through the recording from its start, whatever the direction of travel: `5` stops at
 * the fifth time the breakpoint is hit in the session.
 */
export interface LineBreakpoint {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface FunctionBreakpoint {
  /** Matches a recorded function name exactly, or its last `.`/`::`-separated part(s): `save` matches `Repo.save`. */
  name: string;
  condition?: string;
  hitCondition?: string;
}

/** Which recorded exceptions stop a continue or a step: none, all, or those whose type matches one of `types`. */
export interface ExceptionFilters {
  all?: boolean;
  /** Exact type, or its last dotted part (`IOException` matches `java.io.IOException`). */
  types?: string[];
}

/** A data breakpoint: stop where the recorded value of a variable changes. */
export interface DataBreakpoint {
  /** From `dataBreakpointInfo`, or built with `dataBreakpointId`. */
  dataId: string;
  condition?: string;
  hitCondition?: string;
}

/** What a data breakpoint watches: a variable of a function's frame, by its path within a scope. */
export interface DataTarget {
  /** The thread's runtime id; undefined: the variable in that function on any thread. */
  threadId?: number;
  function: string | null;
  /** The scope's name (`Locals`); undefined: the first scope that has the variable. */
  scope?: string;
  /** Names from the scope down: `['order', 'total']`. */
  path: string[];
}

export interface DataBreakpointInfo {
  dataId: string;
  description: string;
}

/** The outcome of setting one breakpoint. `verified` is false when the session never records the location. */
export interface BreakpointStatus {
  id: number;
  verified: boolean;
  line?: number;
  message?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Stops and output

/** Why the position is where it is after a move. */
export type StopReason =
  | { kind: 'entry' }
  | { kind: 'step' }
  /** jumpToIndex / jumpToTime. */
  | { kind: 'goto' }
  | { kind: 'breakpoint'; breakpointIds: number[] }
  | { kind: 'function-breakpoint'; breakpointIds: number[] }
  | { kind: 'data-breakpoint'; breakpointId: number; oldValue: string; newValue: string }
  | { kind: 'exception'; type: string; message: string | null }
  /** A forward move ran off the last event: the position is the last event. */
  | { kind: 'end' }
  /** A backward move ran off the first event: the position is the first event. */
  | { kind: 'start' }
  /** The move was cancelled (pause or its signal): the position is the last event it examined. */
  | { kind: 'pause' };

/**
 * A line of output: a recorded log event passed by a move, a logpoint's message, or a notice from the runtime
 * (a breakpoint condition that failed to evaluate). `index` is the event it belongs to, so that the UI can
 * jump there; `source` is that event's innermost located frame.
 */
export interface ReplayOutput {
  kind: 'log' | 'logpoint' | 'notice';
  level: LogLevel | null;
  message: string;
  index: number;
  threadId: number | null;
  source: { file: string; line: number | null; column: number | null } | null;
}

/**
 * The result of every move. `threadId` is the thread to show (the event's thread; for a step, the stepped
 * thread); `frameIndex` the frame to focus (a breakpoint matched in an outer frame). `output` holds, in event
 * order, the logs and logpoints of the events passed — (old, new] forwards, [new, old) backwards — at most
 * `maxOutput` of them, those nearest the stop; `omittedOutput` counts the rest.
 */
export interface Stop {
  reason: StopReason;
  index: number;
  threadId: number;
  frameIndex: number;
  output: ReplayOutput[];
  omittedOutput: number;
}

// ---------------------------------------------------------------------------------------------------------
// Options and state

export interface IndexState {
  /** `off`: not built (option); `building`: moves parse events on demand meanwhile, correct but slower. */
  state: 'off' | 'building' | 'ready' | 'failed';
  /** Bytes indexed of `total`. */
  done: number;
  total: number;
  error?: string;
}

export interface ReplayRuntimeOptions {
  /**
   * Whether a recorded path names the editor's file. Default: after normalising separators, one path ends with
   * the other on a segment boundary (both directions). The adapter passes resolved-source matching here.
   */
  sameFile?: (recorded: string, requested: string) => boolean;
  /** Line breakpoints match any frame of a stack, not only the innermost (default false). */
  breakpointsInAnyFrame?: boolean;
  /**
   * The key index's worker script (`dist/replayIndexWorker.js`; default: resolved next to the bundle, as the CLI
   * does for scanWorker), or false to never build it (everything then parses on demand). `blockEvents` and
   * `rowEntries` size the index's blocks (for tests: indexWorker.ts).
   */
  index?: { workerScript?: string; blockEvents?: number; rowEntries?: number } | false;
  onIndexProgress?: (state: IndexState) => void;
  /** Called when the index changes whether breakpoints are verified (it knows every recorded location). */
  onBreakpointsChanged?: (statuses: BreakpointStatus[]) => void;
  /** Output lines kept per move (default 100): reading each costs a line read and parse. */
  maxOutput?: number;
}

/** Options of a move. Long searches yield to the event loop now and then, so a pause or abort is seen. */
export interface MoveOptions {
  signal?: AbortSignal;
  /** `continue` only: examine the first event too, as a replay launched without stopping on entry must. */
  fromStart?: boolean;
}

export type ReplayOpenResult = { ok: true; runtime: ReplayRuntime } | { ok: false; error: SessionOpenError };

// ---------------------------------------------------------------------------------------------------------
// Internals

const DEFAULT_MAX_OUTPUT = 100;
/** Flags that make an event worth a closer look once the index is ready (logs are gathered after the stop). */
const QUIET_MASK = EXCEPTION | UNREADABLE;

/** A frame of a thread's event at the position. */
interface FrameAt {
  index: number;
  frame: SessionFrame;
  threadId: number;
  frameIndex: number;
}

function toFrame(f: SessionFrame, index: number): ReplayFrame {
  return {
    index,
    name: f.function ?? '<unknown>',
    function: f.function,
    file: f.file,
    line: f.line,
    column: f.column ?? null,
    module: f.module ?? null,
  };
}

function sourceOf(e: SessionEvent): ReplayOutput['source'] {
  const f = e.stack.find((x) => x.file !== null);
  return f ? { file: f.file!, line: f.line, column: f.column ?? null } : null;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------------------------------------

/**
 * A replay of one session. The position is an event index; the current thread is that event's thread (or the
 * thread last stepped). Each thread shows its latest event at or before the position.
 *
 * Stepping is per thread, by stack depth: step in = the thread's next event; next = its next event at the same
 * depth or shallower, or one where the current frame is no longer the same call; step out = its next event
 * shallower than now, or one where the caller's frame is no longer the same call. "The same call" compares
 * the thread's consecutive events: same caller chain (lines included), same function. The reverse moves
 * mirror them backwards. Continue and reverse-continue run across all threads. Every move, steps included,
 * stops early at a breakpoint, data breakpoint or (filtered) exception on any thread, as a live debugger
 * does; the event a step lands on reports its breakpoint if it has one.
 *
 * Line breakpoints match an event whose innermost frame is at the line; with "any frame", also an event where
 * an outer frame at the line is new (its caller chain or line changed since the thread's previous event).
 * Function breakpoints match where a call of the function is entered (its frame is new in the thread).
 *
 * Queries are synchronous (one event parsed, cached); moves are async, run one at a time, and take a signal.
 */
export class ReplayRuntime {
  private readonly registry: ThreadRegistry;
  private keys: EventKeys;
  private index: IndexState;
  private build: IndexBuild | null = null;
  private readonly indexed: Promise<IndexState>;
  private closed = false;
  private pos = 0;
  private thread = 0;
  private readonly handles = new Handles();
  private readonly maxOutput: number;
  private readonly rules: StopRules;
  private moving: AbortController | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /** Opens a session file and starts building its index (unless `options.index` is false). */
  static async open(
    file: string,
    options: ReplayRuntimeOptions & SessionOpenOptions = {},
  ): Promise<ReplayOpenResult> {
    const r = await SessionFile.open(file, options);
    return r.ok ? { ok: true, runtime: new ReplayRuntime(r.session, options) } : r;
  }

  /** A runtime over an open session, positioned at its first event. */
  constructor(
    readonly session: SessionFile,
    private readonly options: ReplayRuntimeOptions = {},
  ) {
    this.registry = new ThreadRegistry(session.header.threads);
    this.keys = new OnDemandKeys(session, this.registry);
    this.rules = new StopRules(
      session,
      this.registry,
      options.sameFile ?? sameFileDefault,
      options.breakpointsInAnyFrame ?? false,
      () => (this.index.state === 'ready' ? this.keys.table : null),
    );
    this.maxOutput = options.maxOutput ?? DEFAULT_MAX_OUTPUT;
    const span = session.span;
    this.index = { state: 'off', done: 0, total: span.end - span.start };
    this.indexed =
      options.index === false || span.count === 0
        ? Promise.resolve(this.index)
        : this.startIndexing(options.index?.workerScript ?? defaultWorkerScript(), options.index ?? {});
    this.settle(0);
  }

  get header(): SessionHeader {
    return this.session.header;
  }

  get eventCount(): number {
    return this.session.eventCount;
  }

  /** The current event index (0 for an empty session, whose moves all stop at `end`/`start`). */
  get position(): number {
    return this.pos;
  }

  /** The thread to show: that of the position's event, or the one last stepped. */
  get currentThreadId(): number {
    return this.thread;
  }

  indexState(): IndexState {
    return { ...this.index };
  }

  /** Resolves when the index is ready, failed or off. */
  whenIndexed(): Promise<IndexState> {
    return this.indexed;
  }

  /** Stops the index worker and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.moving?.abort();
    await this.build?.stop();
    await this.queue.catch(() => undefined);
    this.session.close();
  }

  private setIndex(state: IndexState): IndexState {
    this.index = state;
    this.options.onIndexProgress?.({ ...state });
    return state;
  }

  private startIndexing(
    script: string,
    sizes: { blockEvents?: number; rowEntries?: number },
  ): Promise<IndexState> {
    const total = this.index.total;
    this.setIndex({ state: 'building', done: 0, total });
    if (!fs.existsSync(script)) {
      return Promise.resolve(
        this.setIndex({ state: 'failed', done: 0, total, error: `no index worker at ${script}` }),
      );
    }
    const onProgress = (done: number): void => void this.setIndex({ state: 'building', done, total });
    const build = startIndex(this.session, script, onProgress, sizes);
    this.build = build;
    const finish = (): void => {
      this.build = null;
      void build.stop();
    };
    return build.done.then(
      (data) => {
        finish();
        if (this.closed) return this.index;
        this.keys = new IndexedKeys(data, this.registry);
        this.setIndex({ state: 'ready', done: total, total });
        this.options.onBreakpointsChanged?.(this.rules.statuses());
        return this.index;
      },
      (e: unknown) => {
        finish();
        return this.closed
          ? this.index
          : this.setIndex({ state: 'failed', done: 0, total, error: message(e) });
      },
    );
  }

  /** Moves the position to event i (clamped); the current thread follows when the event names one. */
  private settle(i: number, threadId?: number): void {
    const count = this.keys.count;
    this.pos = count === 0 ? 0 : Math.max(0, Math.min(count - 1, i));
    const t = threadId ?? (count === 0 ? 0 : this.keys.thread(this.pos));
    this.thread = t || this.thread || (this.registry.all()[0]?.id ?? 0);
    this.handles.clear();
  }

  // --- queries at the position -----------------------------------------------------------------------------

  /** All threads known so far (the header's, then those met in events; complete once the index is ready). */
  threads(): ReplayThread[] {
    return this.registry.all();
  }

  /** The distinct file paths recorded in frames (complete once the index is ready; before, those met so far). */
  recordedFiles(): string[] {
    const t = this.keys.table;
    const files = new Set<string>();
    for (let f = 0; f < t.frames; f++) {
      const name = t.fileName(f);
      if (name !== null) files.add(name);
    }
    return [...files];
  }

  private latestOf(threadId: number): number {
    return this.keys.count === 0 ? -1 : this.keys.latest(threadId, this.pos);
  }

  /** The thread's event at the position, parsed; null when it has none yet or it cannot be read. */
  private eventOf(threadId: number): { index: number; event: SessionEvent } | null {
    const i = this.latestOf(threadId);
    if (i < 0) return null;
    const r = this.session.event(i);
    return r.ok ? { index: i, event: r.event } : null;
  }

  stack(threadId: number): ReplayStack {
    const i = this.latestOf(threadId);
    if (i < 0) return { threadId, eventIndex: null, frames: [], state: null };
    const r = this.session.event(i);
    if (!r.ok) return { threadId, eventIndex: null, frames: [], state: null, error: r.message };
    return { threadId, eventIndex: i, frames: r.event.stack.map(toFrame), state: r.event.state ?? null };
  }

  private frameAt(threadId: number, frameIndex: number): FrameAt | null {
    const at = this.eventOf(threadId);
    const frame = at?.event.stack[frameIndex];
    return at && frame ? { index: at.index, frame, threadId, frameIndex } : null;
  }

  scopes(threadId: number, frameIndex: number): ReplayScope[] {
    const at = this.frameAt(threadId, frameIndex);
    if (!at) return [];
    return (at.frame.scopes ?? []).map((s) => ({
      name: s.name,
      count: s.variables.length,
      variablesReference: this.handles.ref({
        threadId,
        event: at.index,
        frameIndex,
        function: at.frame.function,
        scope: s.name,
        path: [],
        children: s.variables,
      }),
    }));
  }

  /** Children of a scope or variable reference; `start`/`count` page them. Unknown references give []. */
  variables(reference: number, start = 0, count?: number): ReplayVariable[] {
    const h = this.handles.get(reference);
    if (!h) return [];
    const end = count === undefined ? h.children.length : start + count;
    return h.children.slice(start, end).map((v) => ({
      name: v.name,
      value: v.value,
      type: v.type ?? null,
      count: v.children?.length ?? 0,
      variablesReference: v.children?.length
        ? this.handles.ref({ ...h, path: [...h.path, v.name], children: v.children })
        : 0,
    }));
  }

  /**
   * Evaluates over the recorded values of a frame (default: the current thread's innermost frame):
   * identifiers (looked up in the frame's scopes in order), `a.b`, `a[0]`, `a["k"]`, number/string/true/false/
   * null literals, `== != < <= > >= && || !` and parentheses. Two values compare as numbers when both read as
   * numbers, otherwise as strings. Never evaluates code; errors come back as `{ ok: false }`.
   */
  evaluate(expression: string, threadId = this.thread, frameIndex = 0): EvaluateResult {
    const c = compile(expression);
    if (!c.ok) return c;
    const at = this.frameAt(threadId, frameIndex);
    const r = evaluateAst(c.ast, (name) => lookupIn(at?.frame, name));
    if (!r.ok) return r;
    return this.shown(r.value, at, variablePath(c.ast));
  }

  private shown(value: Value, at: FrameAt | null, path: string[] | null): EvaluateResult {
    if (value.kind === 'computed') {
      return { ok: true, value: value.text, type: value.type, variablesReference: 0, count: 0 };
    }
    const v = value.variable;
    const children = v.children ?? [];
    const scope =
      path && at ? at.frame.scopes?.find((s) => s.variables.some((x) => x.name === path[0])) : undefined;
    const handle: Handle | null =
      at && children.length > 0
        ? {
            threadId: at.threadId,
            event: at.index,
            frameIndex: at.frameIndex,
            function: at.frame.function,
            // An expression that is not a plain path cannot be watched: its handle names no scope.
            scope: scope && path ? scope.name : '',
            path: scope && path ? path : [],
            children,
            detached: !(scope && path),
          }
        : null;
    return {
      ok: true,
      value: v.value,
      type: v.type ?? null,
      variablesReference: handle ? this.handles.ref(handle) : 0,
      count: children.length,
    };
  }

  /** The exception recorded at the thread's event at the position, if it is one. */
  exceptionInfo(threadId: number): { type: string; message: string | null } | null {
    const ex = this.eventOf(threadId)?.event.exception;
    return ex ? { type: ex.type, message: ex.message ?? null } : null;
  }

  /** The output line of a log event (null for other events), so the UI can show the moment a line was written. */
  outputAt(index: number): ReplayOutput | null {
    return this.logOutput(this.session.event(index, false));
  }

  private logOutput(r: EventRead): ReplayOutput | null {
    if (!r.ok || !r.event.log) return null;
    return {
      kind: 'log',
      level: r.event.log.level,
      message: r.event.log.message,
      index: r.index,
      threadId: this.registry.idOf(r.event.thread),
      source: sourceOf(r.event),
    };
  }

  // --- breakpoints -----------------------------------------------------------------------------------------

  /** Replaces the line breakpoints of one editor file (`file` as the editor names it). */
  setBreakpoints(file: string, lines: LineBreakpoint[]): BreakpointStatus[] {
    return this.rules.setLines(file, lines);
  }

  setFunctionBreakpoints(breakpoints: FunctionBreakpoint[]): BreakpointStatus[] {
    return this.rules.setFunctions(breakpoints);
  }

  setExceptionFilters(filters: ExceptionFilters): void {
    this.rules.setExceptionFilters(filters);
  }

  /** Line breakpoints match any frame, not only the innermost. */
  setBreakpointsInAnyFrame(any: boolean): void {
    this.rules.setAnyFrame(any);
  }

  /** A data breakpoint id for a variable shown under `reference` (a scope or a variable), or null. */
  dataBreakpointInfo(reference: number, name: string): DataBreakpointInfo | null {
    const h = this.handles.get(reference);
    if (!h || h.detached || !h.children.some((c) => c.name === name)) return null;
    const target: DataTarget = {
      threadId: h.threadId,
      function: h.function,
      scope: h.scope,
      path: [...h.path, name],
    };
    const thread = this.registry.sessionId(h.threadId) ?? String(h.threadId);
    return {
      dataId: dataBreakpointId(target),
      description: `${target.path.join('.')} in ${h.function ?? 'the frame'} (thread ${thread})`,
    };
  }

  /** Replaces all data breakpoints. */
  setDataBreakpoints(breakpoints: DataBreakpoint[]): BreakpointStatus[] {
    return this.rules.setData(breakpoints);
  }

  // --- moves -------------------------------------------------------------------------------------------------

  /** Runs moves one at a time; each gets a signal that `pause()` or the caller's signal aborts. */
  private move(options: MoveOptions | undefined, run: (signal: AbortSignal) => Promise<Stop>): Promise<Stop> {
    const go = async (): Promise<Stop> => {
      const controller = new AbortController();
      const outer = options?.signal;
      const onAbort = (): void => controller.abort();
      outer?.addEventListener('abort', onAbort);
      if (outer?.aborted || this.closed) controller.abort();
      this.moving = controller;
      try {
        const stop = await run(controller.signal);
        this.settle(stop.index, stop.threadId);
        return stop;
      } finally {
        outer?.removeEventListener('abort', onAbort);
        if (this.moving === controller) this.moving = null;
      }
    };
    const result = this.queue.then(go, go);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The far end of the block that starts at i (in the search's direction), if the search can pass it whole. */
  private passBlock(keys: EventKeys, cols: Columns, plan: Scan, i: number): number {
    const { b, first, last } = blockOf(cols, i, keys.count);
    if (i !== (plan.dir > 0 ? first : last)) return -1;
    if (!this.rules.blockQuiet(keys, cols, b, first, last)) return -1;
    if (plan.thread !== null) {
      const t = threadFigures(cols, b, cols.threadIndex(plan.thread));
      if (!plan.passes(t.minDepth, t.minKept)) return -1;
    }
    return plan.dir > 0 ? last : first;
  }

  /** The stop, with the output of the events passed: [from, end] one way or the other. */
  private finish(keys: EventKeys, plan: Scan, end: number, at: number, found: Found, out: Output): Stop {
    const kind = found.reason.kind;
    const stepping =
      plan.thread !== null && (kind === 'step' || kind === 'end' || kind === 'start' || kind === 'pause');
    const threadId = stepping ? plan.thread! : keys.count > 0 ? keys.thread(at) || this.thread : this.thread;
    const lo = Math.max(0, plan.dir > 0 ? plan.from : end);
    const hi = Math.min(keys.count - 1, plan.dir > 0 ? end : plan.from);
    const cols = keys.columns;
    // Recorded logs are found after the stop (with the index, whole blocks are passed by their count); they
    // go first so that, within one event, a log comes before a logpoint's line, as the scan met them.
    const logs = lo <= hi ? nearestLogs(keys, lo, hi, plan.skip, plan.dir > 0, this.maxOutput) : [];
    let items = [...logs.map((index) => ({ index, item: null })), ...out.kept()];
    const total =
      out.total + (cols ? (lo <= hi ? countLogs(cols, keys.count, lo, hi, plan.skip) : 0) : out.logs);
    // In event order; the ones nearest the stop when there are too many.
    items.sort((a, b) => a.index - b.index);
    if (items.length > this.maxOutput)
      items = plan.dir > 0 ? items.slice(-this.maxOutput) : items.slice(0, this.maxOutput);
    const output = items
      .map((o) => o.item ?? this.outputAt(o.index))
      .filter((o): o is ReplayOutput => o !== null);
    return {
      reason: found.reason,
      index: at,
      threadId,
      frameIndex: found.frameIndex,
      output,
      omittedOutput: total - output.length,
    };
  }

  private async scan(plan: Scan, signal: AbortSignal): Promise<Stop> {
    const keys = this.keys;
    const out = new OutputRing<ReplayOutput | null>(this.maxOutput);
    const cols = keys.columns;
    const reached = (i: number, found: Found): Stop => this.finish(keys, plan, i, i, found, out);
    // Paused at i: the last event looked at is the one before it (none: the position stays).
    const paused = (i: number): Stop =>
      this.finish(
        keys,
        plan,
        i - plan.dir,
        i === plan.from ? this.pos : i - plan.dir,
        { reason: { kind: 'pause' }, frameIndex: 0 },
        out,
      );
    if (signal.aborted || !(await this.rules.prepareHits(keys, signal))) return paused(plan.from);
    const stepped = cols && plan.thread !== null ? cols.threadIndex(plan.thread) : -1;
    const kinds = this.rules.nodeKinds(keys);
    const slice = new TimeSlice(signal);
    for (let i = plan.from; i >= 0 && i < keys.count; i += plan.dir) {
      if (slice.due() && (await slice.giveWay())) return paused(i);
      if (cols) {
        const far = this.passBlock(keys, cols, plan, i);
        if (far >= 0) {
          i = far;
          continue;
        }
        // Single events go by unparsed too: no output or exception, not the stepped thread, and no
        // breakpoint can match their stack.
        if ((cols.flags[i]! & QUIET_MASK) === 0 && cols.thread[i] !== stepped) {
          const n = cols.node[i]!;
          if ((kinds[n] || this.rules.classify(keys, n, kinds)) === 1) continue;
        }
      }
      if (i !== plan.skip) {
        let found = this.rules.checkEvent(keys, i, out, cols === null);
        if (!found && this.rules.watching) {
          const d = await this.rules.dataAt(keys, i, out, signal);
          if (d === 'aborted') return paused(i);
          found = d;
        }
        if (found) return reached(i, found);
      }
      if (plan.until?.(i)) return reached(i, { reason: { kind: 'step' }, frameIndex: 0 });
    }
    const edge = plan.dir > 0 ? Math.max(0, keys.count - 1) : 0;
    return reached(edge, { reason: { kind: plan.dir > 0 ? 'end' : 'start' }, frameIndex: 0 });
  }

  private step(kind: StepKind, threadId: number, options?: MoveOptions): Promise<Stop> {
    return this.move(options, (signal) =>
      this.scan(stepScan(this.keys, kind, threadId, this.pos, this.latestOf(threadId)), signal),
    );
  }

  continue(options?: MoveOptions): Promise<Stop> {
    const from = options?.fromStart ? 0 : this.pos + 1;
    return this.move(options, (signal) => this.scan(runScan(from, 1), signal));
  }

  reverseContinue(options?: MoveOptions): Promise<Stop> {
    return this.move(options, (signal) => this.scan(runScan(this.pos - 1, -1), signal));
  }

  /** Step over: the thread's next event at the current depth or shallower, or outside the current call. */
  next(threadId: number, options?: MoveOptions): Promise<Stop> {
    return this.step('next', threadId, options);
  }

  /** The thread's next event. */
  stepIn(threadId: number, options?: MoveOptions): Promise<Stop> {
    return this.step('in', threadId, options);
  }

  /** The thread's next event shallower than now, or outside the caller's call. */
  stepOut(threadId: number, options?: MoveOptions): Promise<Stop> {
    return this.step('out', threadId, options);
  }

  /** Reverse of `next`. */
  stepBack(threadId: number, options?: MoveOptions): Promise<Stop> {
    return this.step('back', threadId, options);
  }

  /** The thread's previous event. */
  reverseStepIn(threadId: number, options?: MoveOptions): Promise<Stop> {
    return this.step('reverse-in', threadId, options);
  }

  /** Reverse of `stepOut`: back to where the current frame was entered from its caller. */
  reverseStepOut(threadId: number, options?: MoveOptions): Promise<Stop> {
    return this.step('reverse-out', threadId, options);
  }

  private placed(i: number, kind: 'goto' | 'entry'): Stop {
    const keys = this.keys;
    const index = keys.count === 0 ? 0 : Math.max(0, Math.min(keys.count - 1, i));
    const threadId = (keys.count === 0 ? 0 : keys.thread(index)) || this.thread;
    return { reason: { kind }, index, threadId, frameIndex: 0, output: [], omittedOutput: 0 };
  }

  /** Moves to an event (clamped to the session); reason `goto`. */
  jumpToIndex(index: number): Promise<Stop> {
    return this.move(undefined, () =>
      Promise.resolve(this.placed(Number.isFinite(index) ? Math.trunc(index) : 0, 'goto')),
    );
  }

  /** Moves to the latest event at or before `t` (header clock units), or the first event; reason `goto`. */
  jumpToTime(t: number, options?: MoveOptions): Promise<Stop> {
    return this.move(options, async (signal) => {
      const i = await this.timeIndex(t, signal);
      return i === null ? this.placed(this.pos, 'goto') : this.placed(i, 'goto');
    });
  }

  /** Binary search on recorded times (events read on demand; unreadable ones are stepped over). */
  private async timeIndex(t: number, signal: AbortSignal): Promise<number | null> {
    let lo = 0;
    let hi = this.session.eventCount;
    while (lo < hi) {
      if (signal.aborted) return null;
      const mid = (lo + hi) >>> 1;
      let k = mid;
      let r = this.session.event(k);
      while (!r.ok && k + 1 < hi) r = this.session.event(++k);
      if (!r.ok) hi = mid;
      else if (r.event.t <= t) lo = k + 1;
      else hi = mid;
      await giveWay();
    }
    return Math.max(0, lo - 1);
  }

  /** Back to the first event; reason `entry`. */
  restart(): Promise<Stop> {
    return this.move(undefined, () => Promise.resolve(this.placed(0, 'entry')));
  }

  /** Cancels the move under way, which then stops with reason `pause`. */
  pause(): void {
    this.moving?.abort();
  }
}

/** The dataId of a data breakpoint on a variable (for a watch the adapter builds itself). */
export function dataBreakpointId(target: DataTarget): string {
  return JSON.stringify(target);
}
