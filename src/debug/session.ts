// The DAP session of `escalate-replay`: requests → the replay runtime (src/core/replay, knows no DAP),
// frames → source at the customer's version (sources.ts). Runs inline in the extension host or standalone.

import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BreakpointEvent,
  DebugSession,
  Handles,
  InitializedEvent,
  OutputEvent,
  ProgressEndEvent,
  ProgressStartEvent,
  ProgressUpdateEvent,
  Scope,
  TerminatedEvent,
  Thread,
  ThreadEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { sameFileDefault } from '../core/replay/breakpoints';
import type { IndexState, LineBreakpoint, ReplayOutput, ReplayRuntime, Stop } from '../core/replay/runtime';
import {
  LaunchError,
  describe,
  openReplay,
  planLaunch,
  type LaunchPlan,
  type OpenedReplay,
  type ReplayLaunchArgs,
} from './launch';
import {
  CAPABILITIES,
  breakpointOf,
  childExpression,
  exceptionFilters,
  isPath,
  outputLine,
  scopeHint,
  stoppedEvent,
} from './present';
import {
  Requests,
  type JumpArgs,
  type Moved,
  type OutputAt,
  type OutputData,
  type Position,
} from './protocol';
import { LineBreakpoints } from './breakpoints';
import { ReplaySources } from './sources';
import { buildTimeline, clockTime, isoTime, type Timeline } from './timeline';

export type { ReplayLaunchArgs } from './launch';

export interface EscalateSessionOptions {
  /**
   * The key index's worker script; default: `replayIndexWorker.js` beside this bundle, else the runtime's.
   */
  workerScript?: string;
  /**
   * Folders to resolve frames in when the launch configuration names none (the extension's workspace
   * folders).
   */
  defaultRepos?: string[];
}

/** A launched replay. */
interface Active {
  plan: LaunchPlan;
  replay: OpenedReplay;
  runtime: ReplayRuntime;
  sources: ReplaySources;
  lines: LineBreakpoints;
  /**
   * Settles once the recorded paths are resolved, so that line breakpoints match by the resolver's answers.
   */
  learnt: Promise<void>;
  timeline: Promise<Timeline> | null;
  closed: boolean;
}

/** A move of the replay (the runtime's, or a few of them). */
type Move = (rt: ReplayRuntime, a: Active) => Promise<Stop>;

/** Error ids of requests other than launch (launch.ts has those). */
const Errors = { noSession: 3001, evaluate: 3002, source: 3003, request: 3004 } as const;

function workerScript(options: EscalateSessionOptions): string | undefined {
  if (options.workerScript) return options.workerScript;
  const beside = path.join(__dirname, 'replayIndexWorker.js');
  return fs.existsSync(beside) ? beside : undefined;
}

export class EscalateDebugSession extends DebugSession {
  private active: Active | null = null;
  private readonly frames = new Handles<{ threadId: number; frameIndex: number }>();
  /** Expressions naming the variables under a reference, for `evaluateName` (watch, copy as expression). */
  private readonly evaluateNames = new Map<number, string>();
  private progress = false;
  private progressShown = false;

  constructor(private readonly options: EscalateSessionOptions = {}) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // --- plumbing --------------------------------------------------------------------------------------------

  private fail(
    response: DebugProtocol.Response,
    e: unknown,
    id: number = Errors.request,
    showUser = true,
  ): void {
    const code = e instanceof LaunchError ? e.id : id;
    this.sendErrorResponse(response, {
      id: code,
      format: '{_message}',
      variables: { _message: describe(e) },
      showUser,
    });
  }

  /** Runs a request's work; whatever it throws becomes an error response, never a crash of the adapter. */
  private handle(response: DebugProtocol.Response, work: (a: Active) => Promise<void> | void): void {
    const a = this.active;
    if (!a) {
      this.fail(response, new Error('No session is being replayed.'), Errors.noSession);
      return;
    }
    void (async () => {
      try {
        await work(a);
      } catch (e) {
        this.fail(response, e);
      }
    })();
  }

  private respond<T extends DebugProtocol.Response>(response: T, body: T['body']): void {
    response.body = body;
    this.sendResponse(response);
  }

  private line(l: number): number {
    return this.convertDebuggerLineToClient(l);
  }

  /** References of the previous position are void once the replay moves. */
  private forgetHandles(): void {
    this.frames.reset();
    this.evaluateNames.clear();
  }

  // --- lifecycle -------------------------------------------------------------------------------------------

  protected override initializeRequest(
    response: DebugProtocol.InitializeResponse,
    args: DebugProtocol.InitializeRequestArguments,
  ): void {
    this.progress = args.supportsProgressReporting === true;
    this.respond(response, { ...response.body, ...CAPABILITIES });
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: ReplayLaunchArgs): void {
    void (async () => {
      try {
        this.active = await this.open(planLaunch(args ?? {}, this.options.defaultRepos ?? []));
      } catch (e) {
        this.fail(response, e);
        return;
      }
      // Configuration (breakpoints) comes after `initialized`: by then the runtime is there to take it.
      this.sendEvent(new InitializedEvent());
      this.sendResponse(response);
    })();
  }

  private async open(plan: LaunchPlan): Promise<Active> {
    let sameFile = sameFileDefault;
    const replay = await openReplay(plan.session, {
      sameFile: (recorded, requested) => sameFile(recorded, requested),
      breakpointsInAnyFrame: plan.anyFrame,
      index: { workerScript: workerScript(this.options) },
      onIndexProgress: (s) => this.indexProgress(s),
      onBreakpointsChanged: (statuses) => this.breakpointsChanged(statuses.map((st) => breakpointOf(st))),
    });
    const runtime = replay.runtime;
    const product = runtime.header.product;
    let sources: ReplaySources;
    try {
      sources = await ReplaySources.open({
        repos: plan.repos,
        ref: plan.ref ?? product?.ref ?? product?.version ?? null,
        explicit: plan.ref !== null,
        mappings: plan.mappings,
      });
    } catch (e) {
      await runtime.close();
      await replay.discard();
      throw e;
    }
    sameFile = sources.sameFile;
    for (const note of [...replay.importNotes, ...sources.notes]) this.console(note);
    this.console(`Replaying ${runtime.eventCount} events; frames resolve at ${sources.label}.`);
    const lines = new LineBreakpoints(runtime, sources);
    const a: Active = {
      plan,
      replay,
      runtime,
      sources,
      lines,
      learnt: Promise.resolve(),
      timeline: null,
      closed: false,
    };
    a.learnt = this.learn(a);
    return a;
  }

  /** Once the index is built: every thread is known, and the recorded paths are resolved for breakpoints. */
  private async learn(a: Active): Promise<void> {
    const { runtime, sources } = a;
    const index = await runtime.whenIndexed();
    if (a.closed) return;
    if (index.state === 'failed')
      this.console(`The session's index failed (${index.error}): moves read events as they go, more slowly.`);
    // Threads first met by the index (a dump names them only in its events) appear in the UI now.
    for (const t of runtime.threads()) this.sendEvent(new ThreadEvent('started', t.id));
    try {
      await sources.learn(runtime.recordedFiles());
    } catch (e) {
      this.console(`Resolving the recorded files failed: ${describe(e)}`);
      return;
    }
    if (!a.closed) this.breakpointsChanged(a.lines.again());
  }

  private console(text: string): void {
    this.sendEvent(new OutputEvent(`${text}\n`, 'console'));
  }

  private indexProgress(s: IndexState): void {
    if (!this.progress) return;
    const id = 'escalate-replay-index';
    if (s.state === 'building' && !this.progressShown) {
      this.progressShown = true;
      this.sendEvent(new ProgressStartEvent(id, 'Indexing the session'));
    } else if (s.state === 'building' && s.total > 0) {
      this.sendEvent(new ProgressUpdateEvent(id, `${Math.round((100 * s.done) / s.total)}%`));
    } else if (s.state !== 'building' && this.progressShown) {
      this.progressShown = false;
      this.sendEvent(new ProgressEndEvent(id, s.error));
    }
  }

  private breakpointsChanged(breakpoints: DebugProtocol.Breakpoint[]): void {
    for (const bp of breakpoints) this.sendEvent(new BreakpointEvent('changed', bp));
  }

  /** From the first event: stop there, or run to the first stop (`stopOnEntry: false`). */
  private async begin(rt: ReplayRuntime, a: Active): Promise<Stop> {
    const entry = await rt.restart();
    return a.plan.stopOnEntry ? entry : rt.continue({ fromStart: true });
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    if (this.active) void this.travel(this.active, (rt, a) => this.begin(rt, a));
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    this.moveAndRespond(response, (rt, a) => this.begin(rt, a));
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(
    response: DebugProtocol.DisconnectResponse,
    args: DebugProtocol.DisconnectArguments,
    request?: DebugProtocol.Request,
  ): void {
    void this.closeReplay().finally(() => super.disconnectRequest(response, args, request));
  }

  /** Stops the replay: closes the session and the repositories, removes an imported session's temp file. */
  async closeReplay(): Promise<void> {
    const a = this.active;
    this.active = null;
    if (!a) return;
    a.closed = true;
    try {
      await a.runtime.close();
    } finally {
      a.sources.close();
      await a.replay.discard();
    }
  }

  override dispose(): void {
    void this.closeReplay();
    super.dispose();
  }

  // --- moves -----------------------------------------------------------------------------------------------

  /** Answers at once (the client shows the threads running) and reports the stop when the move is done. */
  private moveAndRespond(response: DebugProtocol.Response, go: Move): void {
    this.handle(response, (a) => {
      this.sendResponse(response);
      void this.travel(a, go);
    });
  }

  /** A step of one thread (it must be one of the session's). */
  private step(
    response: DebugProtocol.Response,
    threadId: unknown,
    go: (rt: ReplayRuntime, threadId: number) => Promise<Stop>,
  ): void {
    this.handle(response, (a) => {
      const id = Number(threadId);
      if (!a.runtime.threads().some((t) => t.id === id))
        throw new Error(`No thread ${String(threadId)} in this session.`);
      this.sendResponse(response);
      void this.travel(a, (rt) => go(rt, id));
    });
  }

  /**
   * Runs a move, then writes the output it passed, `answer`s the request that asked for it (when it waits for
   * the outcome) and sends the stop; a failure stops the replay where it is.
   */
  private async travel(a: Active, go: Move, answer?: (stop: Stop) => void): Promise<void> {
    this.forgetHandles();
    let stop: Stop;
    try {
      // A line breakpoint must not be passed because its file's recorded paths are not resolved yet.
      if (a.lines.any) await this.learnt(a);
      stop = await go(a.runtime, a);
      await this.writeOutput(a, stop);
    } catch (e) {
      this.sendEvent(new OutputEvent(`(replay) ${describe(e)}\n`, 'stderr'));
      stop = this.here(a.runtime);
    }
    answer?.(stop);
    this.sendEvent(stoppedEvent(stop, a.runtime.eventCount));
  }

  private async learnt(a: Active): Promise<void> {
    const index = a.runtime.indexState();
    if (index.state === 'building' && index.total > 0)
      this.console(
        `(replay) Line breakpoints wait for the session's index ` +
          `(${Math.round((100 * index.done) / index.total)}% built).`,
      );
    await a.learnt;
  }

  /** A stop where the replay is (after a move failed). */
  private here(rt: ReplayRuntime): Stop {
    const threadId = rt.currentThreadId;
    return {
      reason: { kind: 'pause' },
      index: rt.position,
      threadId,
      frameIndex: 0,
      output: [],
      omittedOutput: 0,
    };
  }

  private async writeOutput(a: Active, stop: Stop): Promise<void> {
    if (stop.omittedOutput > 0)
      this.console(`(replay) ${stop.omittedOutput} earlier output lines of this move are not shown`);
    const names = new Map(a.runtime.threads().map((t) => [t.id, t.name]));
    for (const o of stop.output) this.sendEvent(await this.outputEvent(a, o, names));
  }

  private async outputEvent(
    a: Active,
    o: ReplayOutput,
    names: Map<number, string>,
  ): Promise<DebugProtocol.OutputEvent> {
    const { category, text } = outputLine(o, o.threadId === null ? null : (names.get(o.threadId) ?? null));
    const data: OutputData = { eventIndex: o.index };
    const e = new OutputEvent(`${text}\n`, category, data) as DebugProtocol.OutputEvent;
    if (o.source) {
      const [place] = await a.sources.place([{ function: null, ...o.source }]);
      const source = place ? a.sources.source(place) : undefined;
      if (source) {
        e.body.source = source;
        const line = place!.line ?? o.source.line;
        if (line !== null) e.body.line = this.line(line);
      }
    }
    return e;
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.moveAndRespond(response, (rt) => rt.continue());
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.moveAndRespond(response, (rt) => rt.reverseContinue());
  }

  protected override nextRequest(
    response: DebugProtocol.NextResponse,
    args: DebugProtocol.NextArguments,
  ): void {
    this.step(response, args.threadId, (rt, id) => rt.next(id));
  }

  protected override stepInRequest(
    response: DebugProtocol.StepInResponse,
    args: DebugProtocol.StepInArguments,
  ): void {
    this.step(response, args.threadId, (rt, id) => rt.stepIn(id));
  }

  protected override stepOutRequest(
    response: DebugProtocol.StepOutResponse,
    args: DebugProtocol.StepOutArguments,
  ): void {
    this.step(response, args.threadId, (rt, id) => rt.stepOut(id));
  }

  protected override stepBackRequest(
    response: DebugProtocol.StepBackResponse,
    args: DebugProtocol.StepBackArguments,
  ): void {
    this.step(response, args.threadId, (rt, id) => rt.stepBack(id));
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.active?.runtime.pause();
    this.sendResponse(response);
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    const a = (args ?? {}) as Record<string, unknown>;
    switch (command) {
      case Requests.reverseStepIn:
        return this.step(response, a.threadId, (rt, id) => rt.reverseStepIn(id));
      case Requests.reverseStepOut:
        return this.step(response, a.threadId, (rt, id) => rt.reverseStepOut(id));
      case Requests.jump:
        return this.jump(response, a);
      case Requests.outputAt:
        return this.outputAt(response, Number(a.index));
      case Requests.timeline:
        return this.handle(response, async (x) => this.respond(response, await this.timeline(x)));
      case Requests.position:
        return this.handle(response, (x) => this.respond(response, this.position(x)));
      case Requests.breakpointsInAnyFrame:
        return this.handle(response, (x) => {
          x.runtime.setBreakpointsInAnyFrame(a.any === true);
          this.respond(response, {});
        });
      default:
        super.customRequest(command, response, args);
    }
  }

  /** Moves, then answers with where the move ended (for the caller's UI), before the `stopped` event. */
  private moveThenAnswer(
    response: DebugProtocol.Response,
    plan: (a: Active) => Move | string,
    body: (a: Active, stop: Stop) => Moved,
  ): void {
    this.handle(response, async (a) => {
      const go = plan(a);
      if (typeof go === 'string') throw new Error(go);
      await this.travel(a, go, (stop) => this.respond(response, body(a, stop)));
    });
  }

  private jump(response: DebugProtocol.Response, args: JumpArgs): void {
    this.moveThenAnswer(
      response,
      ({ runtime }) => {
        if (typeof args.index === 'number') return (rt) => rt.jumpToIndex(args.index!);
        if (args.time === undefined) return 'escalate/jump needs an index or a time';
        const t = clockTime(runtime.header, args.time);
        return typeof t === 'string' ? t : (rt) => rt.jumpToTime(t);
      },
      (_, s) => ({ index: s.index, threadId: s.threadId }),
    );
  }

  private outputAt(response: DebugProtocol.Response, index: number): void {
    this.moveThenAnswer(
      response,
      ({ runtime }) =>
        Number.isInteger(index) && index >= 0 && index < runtime.eventCount
          ? (rt) => rt.jumpToIndex(index)
          : `No event ${index} in this session.`,
      (a, s): OutputAt => ({
        index: s.index,
        threadId: s.threadId,
        output: a.runtime.outputAt(index)?.message ?? null,
      }),
    );
  }

  // --- where the replay is ---------------------------------------------------------------------------------

  /** Built once the index knows every thread, then kept (only the position changes). */
  private timeline(a: Active): Promise<Timeline> {
    const rt = a.runtime;
    a.timeline ??= rt.whenIndexed().then(() => {
      const threads = new Map(rt.threads().map((t) => [t.sessionId, t]));
      return buildTimeline({
        header: rt.header,
        eventCount: rt.eventCount,
        event: (i) => rt.session.event(i),
        threadOf: (sessionId) => threads.get(sessionId) ?? { id: 0, name: sessionId },
      });
    });
    return a.timeline.then((t) => ({ ...t, position: rt.position }));
  }

  private position(a: Active): Position {
    const rt = a.runtime;
    const r = rt.eventCount > 0 ? rt.session.event(rt.position) : null;
    const time = r?.ok ? r.event.t : null;
    return {
      index: rt.position,
      eventCount: rt.eventCount,
      threadId: rt.currentThreadId,
      time,
      date: time === null ? null : isoTime(rt.header, time),
      input: a.plan.session,
      session: a.replay.file,
      imported: a.replay.temp !== null,
      ref: a.sources.label,
      case: a.plan.caseId,
      indexing: rt.indexState(),
    };
  }

  // --- threads, stacks, variables --------------------------------------------------------------------------

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const threads = this.active?.runtime.threads() ?? [];
    this.respond(response, { threads: threads.map((t) => new Thread(t.id, t.name)) });
  }

  protected override stackTraceRequest(
    response: DebugProtocol.StackTraceResponse,
    args: DebugProtocol.StackTraceArguments,
  ): void {
    this.handle(response, async (a) => {
      const stack = a.runtime.stack(args.threadId);
      if (stack.error !== undefined) {
        const id = this.frames.create({ threadId: args.threadId, frameIndex: 0 });
        const frame: DebugProtocol.StackFrame = { id, name: `<${stack.error}>`, line: 0, column: 0 };
        this.respond(response, { stackFrames: [{ ...frame, presentationHint: 'label' }], totalFrames: 1 });
        return;
      }
      const start = args.startFrame ?? 0;
      const shown = stack.frames.slice(start, args.levels ? start + args.levels : undefined);
      // Only the frames asked for are resolved: a recorded stack can be 65,535 frames deep.
      const places = await a.sources.place(shown);
      const stackFrames = shown.map((f, i) => {
        const place = places[i]!;
        const line = place.line ?? f.line;
        const source = a.sources.source(place);
        const frame: DebugProtocol.StackFrame = {
          id: this.frames.create({ threadId: args.threadId, frameIndex: f.index }),
          name: f.name,
          line: line === null ? 0 : this.line(line),
          column: line === null ? 0 : this.convertDebuggerColumnToClient(place.column ?? f.column ?? 1),
          ...(source ? { source } : {}),
        };
        if (f.module) frame.moduleId = f.module;
        return frame;
      });
      this.respond(response, { stackFrames, totalFrames: stack.frames.length });
    });
  }

  private frameOf(frameId: number): { threadId: number; frameIndex: number } {
    const at = this.frames.get(frameId);
    if (!at) throw new Error('The frame is gone: the replay has moved since.');
    return at;
  }

  protected override scopesRequest(
    response: DebugProtocol.ScopesResponse,
    args: DebugProtocol.ScopesArguments,
  ): void {
    this.handle(response, (a) => {
      const { threadId, frameIndex } = this.frameOf(args.frameId);
      const scopes = a.runtime.scopes(threadId, frameIndex).map((s) => {
        this.evaluateNames.set(s.variablesReference, '');
        const scope = new Scope(s.name, s.variablesReference, false) as DebugProtocol.Scope;
        scope.namedVariables = s.count;
        const hint = scopeHint(s.name);
        if (hint) scope.presentationHint = hint;
        return scope;
      });
      this.respond(response, { scopes });
    });
  }

  protected override variablesRequest(
    response: DebugProtocol.VariablesResponse,
    args: DebugProtocol.VariablesArguments,
  ): void {
    this.handle(response, (a) => {
      const parent = this.evaluateNames.get(args.variablesReference);
      const list = a.runtime.variables(args.variablesReference, args.start ?? 0, args.count || undefined);
      const variables = list.map((v): DebugProtocol.Variable => {
        const evaluateName = parent === undefined ? undefined : childExpression(parent, v.name);
        if (v.variablesReference > 0 && evaluateName !== undefined)
          this.evaluateNames.set(v.variablesReference, evaluateName);
        return {
          name: v.name,
          value: v.value,
          variablesReference: v.variablesReference,
          ...(v.type !== null ? { type: v.type } : {}),
          ...(v.count > 0 ? { namedVariables: v.count } : {}),
          ...(evaluateName !== undefined ? { evaluateName } : {}),
        };
      });
      this.respond(response, { variables });
    });
  }

  protected override evaluateRequest(
    response: DebugProtocol.EvaluateResponse,
    args: DebugProtocol.EvaluateArguments,
  ): void {
    this.handle(response, (a) => {
      const at = args.frameId !== undefined ? this.frameOf(args.frameId) : null;
      const rt = a.runtime;
      const r = rt.evaluate(args.expression, at?.threadId ?? rt.currentThreadId, at?.frameIndex ?? 0);
      if (!r.ok) {
        this.fail(response, new Error(r.error), Errors.evaluate, args.context !== 'hover');
        return;
      }
      const expression = args.expression.trim();
      if (r.variablesReference > 0 && isPath(expression))
        this.evaluateNames.set(r.variablesReference, expression);
      this.respond(response, {
        result: r.value,
        variablesReference: r.variablesReference,
        ...(r.type !== null ? { type: r.type } : {}),
        ...(r.count > 0 ? { namedVariables: r.count } : {}),
      });
    });
  }

  protected override exceptionInfoRequest(
    response: DebugProtocol.ExceptionInfoResponse,
    args: DebugProtocol.ExceptionInfoArguments,
  ): void {
    this.handle(response, (a) => {
      const ex = a.runtime.exceptionInfo(args.threadId);
      if (!ex) throw new Error("The thread's event at this position is not an exception.");
      const frames = a.runtime.stack(args.threadId).frames;
      const stackTrace = frames.map((f) => `\tat ${f.name} (${f.file ?? '?'}:${f.line ?? '?'})`).join('\n');
      this.respond(response, {
        exceptionId: ex.type,
        description: ex.message ?? undefined,
        breakMode: 'always',
        details: { typeName: ex.type, fullTypeName: ex.type, message: ex.message ?? undefined, stackTrace },
      });
    });
  }

  // --- sources ---------------------------------------------------------------------------------------------

  protected override sourceRequest(
    response: DebugProtocol.SourceResponse,
    args: DebugProtocol.SourceArguments,
  ): void {
    this.handle(response, async (a) => {
      const reference = args.source?.sourceReference ?? args.sourceReference;
      let content: string;
      try {
        content = await a.sources.content(reference);
      } catch (e) {
        this.fail(response, e, Errors.source);
        return;
      }
      this.respond(response, { content });
    });
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    this.handle(response, async (a) => {
      await a.learnt;
      const places = await Promise.all(a.runtime.recordedFiles().map((f) => a.sources.placeOfFile(f)));
      const seen = new Set<string>();
      const sources: DebugProtocol.Source[] = [];
      for (const p of places) {
        const key = p.kind === 'unresolved' ? `\0${p.file}` : p.key;
        const source = a.sources.source(p);
        if (seen.has(key) || !source) continue;
        seen.add(key);
        sources.push(source);
      }
      this.respond(response, { sources });
    });
  }

  // --- breakpoints -----------------------------------------------------------------------------------------

  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    this.handle(response, async (a) => {
      const requested: DebugProtocol.SourceBreakpoint[] =
        args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
      const lines: LineBreakpoint[] = requested.map((b) => ({
        line: this.convertClientLineToDebugger(b.line),
        ...(b.condition ? { condition: b.condition } : {}),
        ...(b.hitCondition ? { hitCondition: b.hitCondition } : {}),
        ...(b.logMessage !== undefined ? { logMessage: b.logMessage } : {}),
      }));
      // Once the index is built resolving the recorded paths is quick: wait, and answer verified or not.
      if (a.runtime.indexState().state !== 'building') await a.learnt;
      const breakpoints = await a.lines.set(args.source, lines);
      for (const bp of breakpoints) if (bp.line !== undefined) bp.line = this.line(bp.line);
      this.respond(response, { breakpoints });
    });
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): void {
    this.handle(response, (a) => {
      const statuses = a.runtime.setFunctionBreakpoints(args.breakpoints);
      this.respond(response, { breakpoints: statuses.map((s) => breakpointOf(s)) });
    });
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    this.handle(response, (a) => {
      const { filters, statuses } = exceptionFilters(args);
      a.runtime.setExceptionFilters(filters);
      this.respond(response, { breakpoints: statuses });
    });
  }

  protected override dataBreakpointInfoRequest(
    response: DebugProtocol.DataBreakpointInfoResponse,
    args: DebugProtocol.DataBreakpointInfoArguments,
  ): void {
    this.handle(response, (a) => {
      const info =
        args.variablesReference === undefined
          ? null
          : a.runtime.dataBreakpointInfo(args.variablesReference, args.name);
      this.respond(
        response,
        info
          ? { dataId: info.dataId, description: info.description, accessTypes: ['write'], canPersist: false }
          : {
              dataId: null,
              description: `${args.name} is not a recorded variable of a frame: it cannot be watched`,
            },
      );
    });
  }

  protected override setDataBreakpointsRequest(
    response: DebugProtocol.SetDataBreakpointsResponse,
    args: DebugProtocol.SetDataBreakpointsArguments,
  ): void {
    this.handle(response, (a) => {
      const statuses = a.runtime.setDataBreakpoints(args.breakpoints);
      this.respond(response, { breakpoints: statuses.map((s) => breakpointOf(s)) });
    });
  }
}
