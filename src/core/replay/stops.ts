// What can stop a search: the breakpoints set (line, function, data), the exception filters, and the checks
// of one event against them — memoised per interned stack and per index block, so that most events pass on
// one array read — with their output (logpoints, notices) and hit counts through the whole recording.

import {
  NodeMemo,
  base,
  exceptionMatches,
  functionMatches,
  parseLogMessage,
  type BreakpointBase,
  type DataBreakpointDef,
  type FunctionBreakpointDef,
  type LineBreakpointDef,
  type LogPart,
} from './breakpoints';
import { evaluateAst, truthy, type Ast } from './expr';
import { EXCEPTION, LOG, UNREADABLE, kept, type Columns, type EventKeys, type ThreadRegistry } from './keys';
import type { SessionFile } from './reader';
import type {
  BreakpointStatus,
  DataBreakpoint,
  DataTarget,
  ExceptionFilters,
  FunctionBreakpoint,
  LineBreakpoint,
  ReplayOutput,
  StopReason,
} from './runtime';
import { TimeSlice, type OutputRing } from './search';
import type { StackTable } from './stacks';
import { lookupIn } from './values';
import { DataWatch } from './watch';

/** A reason to stop at an event, and the frame it concerns. */
export interface Found {
  reason: StopReason;
  frameIndex: number;
}

export type Output = OutputRing<ReplayOutput | null>;

function lowerBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** A dataId back to its target; null when it is not one of ours. */
function parseDataId(id: string): DataTarget | null {
  let v: unknown;
  try {
    v = JSON.parse(id);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!isStringArray(o.path) || o.path.length === 0) return null;
  if (o.function !== null && typeof o.function !== 'string') return null;
  if (o.threadId !== undefined && typeof o.threadId !== 'number') return null;
  if (o.scope !== undefined && typeof o.scope !== 'string') return null;
  return { threadId: o.threadId, function: o.function, scope: o.scope, path: o.path };
}

function notice(i: number, text: string): ReplayOutput {
  return { kind: 'notice', level: null, message: text, index: i, threadId: null, source: null };
}

export class StopRules {
  private nextId = 1;
  private readonly lineBps = new Map<string, LineBreakpointDef[]>();
  private fnBps: FunctionBreakpointDef[] = [];
  private watches: DataWatch[] = [];
  private exceptionFilters: { all: boolean; types: string[] } = { all: false, types: [] };
  private lineMemo: NodeMemo<LineBreakpointDef> | null = null;
  private fnMemo: NodeMemo<FunctionBreakpointDef> | null = null;
  /** Per stack node and per index block: 0 not yet known, 1 no breakpoint can match there, 2 one may. */
  private quiet: { table: StackTable; kinds: Uint8Array; blocks: Uint8Array } | null = null;

  constructor(
    private readonly session: SessionFile,
    private readonly registry: ThreadRegistry,
    private readonly sameFile: (recorded: string, requested: string) => boolean,
    private anyFrame: boolean,
    /** The stack table of the index once it is ready (it knows every recorded location), else null. */
    private readonly known: () => StackTable | null,
  ) {}

  // --- setting -----------------------------------------------------------------------------------------------

  private keep<B extends BreakpointBase>(old: readonly B[], spec: string, make: (id: number) => B): B {
    return old.find((b) => b.spec === spec) ?? make(this.nextId++);
  }

  private changed(): void {
    this.lineMemo = null;
    this.fnMemo = null;
    this.quiet = null;
  }

  setLines(file: string, lines: LineBreakpoint[]): BreakpointStatus[] {
    const old = this.lineBps.get(file) ?? [];
    const defs = lines.map((l) => {
      const spec = JSON.stringify([l.line, l.condition, l.hitCondition, l.logMessage]);
      return this.keep(old, spec, (id) => ({
        ...base(id, spec, l.condition, l.hitCondition),
        file,
        line: l.line,
        log: l.logMessage === undefined ? null : parseLogMessage(l.logMessage),
      }));
    });
    if (defs.length > 0) this.lineBps.set(file, defs);
    else this.lineBps.delete(file);
    this.changed();
    return defs.map((d) => this.lineStatus(d));
  }

  setFunctions(breakpoints: FunctionBreakpoint[]): BreakpointStatus[] {
    const old = this.fnBps;
    this.fnBps = breakpoints.map((b) => {
      const spec = JSON.stringify([b.name, b.condition, b.hitCondition]);
      return this.keep(old, spec, (id) => ({ ...base(id, spec, b.condition, b.hitCondition), name: b.name }));
    });
    this.changed();
    return this.fnBps.map((d) => this.functionStatus(d));
  }

  setExceptionFilters(filters: ExceptionFilters): void {
    this.exceptionFilters = { all: filters.all ?? false, types: filters.types ?? [] };
  }

  setAnyFrame(any: boolean): void {
    if (any === this.anyFrame) return;
    this.anyFrame = any;
    this.changed();
    // Hits counted under the other rule no longer hold.
    for (const defs of this.lineBps.values()) for (const d of defs) delete d.hits;
  }

  setData(breakpoints: DataBreakpoint[]): BreakpointStatus[] {
    const old = this.watches;
    const statuses: BreakpointStatus[] = [];
    this.watches = [];
    this.changed();
    for (const b of breakpoints) {
      const target = parseDataId(b.dataId);
      if (!target) {
        statuses.push({
          id: this.nextId++,
          verified: false,
          message: 'not a data breakpoint of this session',
        });
        continue;
      }
      const spec = JSON.stringify([b.dataId, b.condition, b.hitCondition]);
      const watch =
        old.find((w) => w.def.spec === spec) ?? new DataWatch(this.dataDef(spec, target, b), this.session);
      this.watches.push(watch);
      const error = watch.def.error;
      statuses.push(
        error ? { id: watch.def.id, verified: false, message: error } : { id: watch.def.id, verified: true },
      );
    }
    return statuses;
  }

  private dataDef(spec: string, target: DataTarget, b: DataBreakpoint): DataBreakpointDef {
    return {
      ...base(this.nextId++, spec, b.condition, b.hitCondition),
      threadId: target.threadId,
      function: target.function,
      scope: target.scope,
      path: target.path,
      description: target.path.join('.'),
    };
  }

  // --- verification ----------------------------------------------------------------------------------------

  private lineStatus(d: LineBreakpointDef): BreakpointStatus {
    if (d.error) return { id: d.id, verified: false, line: d.line, message: d.error };
    const t = this.known();
    if (!t || this.recorded(t, (f) => t.line(f) === d.line && this.sameFile(t.fileName(f) ?? '', d.file))) {
      return { id: d.id, verified: true, line: d.line };
    }
    return { id: d.id, verified: false, line: d.line, message: 'no event of this session is at this line' };
  }

  private functionStatus(d: FunctionBreakpointDef): BreakpointStatus {
    if (d.error) return { id: d.id, verified: false, message: d.error };
    const t = this.known();
    if (!t || this.recorded(t, (f) => functionMatches(t.functionName(f) ?? '', d.name))) {
      return { id: d.id, verified: true };
    }
    return { id: d.id, verified: false, message: 'no event of this session is in this function' };
  }

  private recorded(t: StackTable, test: (frame: number) => boolean): boolean {
    for (let f = 0; f < t.frames; f++) if (test(f)) return true;
    return false;
  }

  /** Line and function breakpoints as verified now (after the index came). */
  statuses(): BreakpointStatus[] {
    const lines = [...this.lineBps.values()].flat().map((d) => this.lineStatus(d));
    return [...lines, ...this.fnBps.map((d) => this.functionStatus(d))];
  }

  // --- matching ----------------------------------------------------------------------------------------------

  private lineMatches(keys: EventKeys): NodeMemo<LineBreakpointDef> {
    if (this.lineMemo?.table !== keys.table) {
      const byLine = new Map<number, LineBreakpointDef[]>();
      for (const defs of this.lineBps.values()) {
        for (const d of defs) if (!d.error) byLine.set(d.line, [...(byLine.get(d.line) ?? []), d]);
      }
      const t = keys.table;
      const ofFrame = (f: number): LineBreakpointDef[] => {
        const file = t.fileName(f);
        const here = byLine.get(t.line(f) ?? -1);
        return file === null || !here ? [] : here.filter((d) => this.sameFile(file, d.file));
      };
      this.lineMemo = new NodeMemo(t, ofFrame, this.anyFrame);
    }
    return this.lineMemo;
  }

  private functionMatches(keys: EventKeys): NodeMemo<FunctionBreakpointDef> {
    if (this.fnMemo?.table !== keys.table) {
      const t = keys.table;
      const defs = this.fnBps.filter((d) => !d.error);
      const ofFrame = (f: number): FunctionBreakpointDef[] => {
        const name = t.functionName(f);
        return name === null ? [] : defs.filter((d) => functionMatches(name, d.name));
      };
      this.fnMemo = new NodeMemo(t, ofFrame, true);
    }
    return this.fnMemo;
  }

  /**
   * Breakpoints whose location matches at event i by their kind's rule, with the matching frame: a line
   * breakpoint at the innermost frame, or at an outer frame whose call or line is new since the thread's
   * previous event; a function breakpoint where its call is new.
   */
  private located<B>(
    keys: EventKeys,
    i: number,
    kind: 'line' | 'function',
  ): { bp: B; frameIndex: number }[] | null {
    const node = keys.node(i);
    const memo = (kind === 'line'
      ? this.lineMatches(keys)
      : this.functionMatches(keys)) as unknown as NodeMemo<B>;
    const hits = memo.get(node);
    if (!hits) return null;
    const depth = keys.table.depth(node);
    const fresh = kind === 'line' ? keys.shared(i) : kept(keys, i);
    const out: { bp: B; frameIndex: number }[] = [];
    for (const h of hits) {
      const ok = kind === 'line' ? h.depth === depth || h.depth > fresh : h.depth > fresh;
      if (ok && !out.some((o) => o.bp === h.bp)) out.push({ bp: h.bp, frameIndex: depth - h.depth });
    }
    return out.length > 0 ? out : null;
  }

  /** Per stack node of the index: 0 not yet known, 1 no breakpoint can match there, 2 one may. */
  nodeKinds(keys: EventKeys): Uint8Array {
    if (this.quiet?.table !== keys.table) {
      const blocks = new Uint8Array(keys.columns?.blocks.flags.length ?? 0);
      this.quiet = { table: keys.table, kinds: new Uint8Array(keys.table.size), blocks };
    }
    return this.quiet.kinds;
  }

  classify(keys: EventKeys, node: number, kinds: Uint8Array): number {
    const may =
      this.lineMatches(keys).get(node) !== null ||
      this.functionMatches(keys).get(node) !== null ||
      this.watches.some((w) => w.mayRecordAt(keys.table, node));
    kinds[node] = may ? 2 : 1;
    return kinds[node];
  }

  /** Whether a search can pass a block of the index whole: nothing in it can stop it. */
  blockQuiet(keys: EventKeys, cols: Columns, b: number, first: number, last: number): boolean {
    const f = this.exceptionFilters;
    const stopping = UNREADABLE | (f.all || f.types.length > 0 ? EXCEPTION : 0);
    if (cols.blocks.flags[b]! & stopping) return false;
    if (this.lineBps.size === 0 && this.fnBps.length === 0 && this.watches.length === 0) return true;
    const kinds = this.nodeKinds(keys);
    const blocks = this.quiet!.blocks;
    if (blocks[b] === 0) {
      let quiet = true;
      for (let i = first; quiet && i <= last; i++) {
        const n = cols.node[i]!;
        quiet = (kinds[n] || this.classify(keys, n, kinds)) === 1;
      }
      blocks[b] = quiet ? 1 : 2;
    }
    return blocks[b] === 1;
  }

  // --- checking one event ------------------------------------------------------------------------------------

  /** The condition at the breakpoint's frame: true, false, or why it could not be evaluated. */
  private condition(ast: Ast, i: number, frameIndex: number): boolean | string {
    const r = this.session.event(i);
    const frame = r.ok ? r.event.stack[frameIndex] : undefined;
    const v = evaluateAst(ast, (name) => lookupIn(frame, name));
    return v.ok ? truthy(v.value) : v.error;
  }

  /** Condition and hit condition; a condition that fails to evaluate is false, said once as a notice. */
  private passes(
    bp: BreakpointBase,
    i: number,
    frameIndex: number,
    out: Output | null,
    counting = true,
  ): boolean {
    if (bp.condition) {
      const c = this.condition(bp.condition, i, frameIndex);
      if (typeof c === 'string') {
        if (out && !bp.noticed) {
          bp.noticed = true;
          out.push(i, notice(i, `breakpoint ${bp.id}: condition not evaluated here (${c})`));
        }
        return false;
      }
      if (!c) return false;
    }
    return !counting || !bp.hit || bp.hit(lowerBound(bp.hits ?? [], i) + 1);
  }

  private logpoint(parts: LogPart[], i: number, frameIndex: number): ReplayOutput {
    const r = this.session.event(i);
    const event = r.ok ? r.event : null;
    const frame = event?.stack[frameIndex];
    const text = parts.map((p) => {
      if ('text' in p) return p.text;
      if ('error' in p) return `{${p.error}}`;
      const v = evaluateAst(p.expr, (name) => lookupIn(frame, name));
      return v.ok ? (v.value.kind === 'variable' ? v.value.variable.value : v.value.text) : `{${v.error}}`;
    });
    return {
      kind: 'logpoint',
      level: null,
      message: text.join(''),
      index: i,
      threadId: event ? this.registry.idOf(event.thread) : null,
      source: frame?.file ? { file: frame.file, line: frame.line, column: frame.column ?? null } : null,
    };
  }

  /** Line breakpoints (logpoints write and go on) and function breakpoints at event i. */
  private breakpointsAt(keys: EventKeys, i: number, out: Output): Found | null {
    let found: Found | null = null;
    for (const { bp, frameIndex } of this.located<LineBreakpointDef>(keys, i, 'line') ?? []) {
      if (!this.passes(bp, i, frameIndex, out)) continue;
      if (bp.log) out.push(i, this.logpoint(bp.log, i, frameIndex));
      else if (found?.reason.kind === 'breakpoint') found.reason.breakpointIds.push(bp.id);
      else found = { reason: { kind: 'breakpoint', breakpointIds: [bp.id] }, frameIndex };
    }
    if (found) return found;
    for (const { bp, frameIndex } of this.located<FunctionBreakpointDef>(keys, i, 'function') ?? []) {
      if (!this.passes(bp, i, frameIndex, out)) continue;
      if (found?.reason.kind === 'function-breakpoint') found.reason.breakpointIds.push(bp.id);
      else found = { reason: { kind: 'function-breakpoint', breakpointIds: [bp.id] }, frameIndex };
    }
    return found;
  }

  private exceptionAt(i: number): Found | null {
    const f = this.exceptionFilters;
    if (!f.all && f.types.length === 0) return null;
    const r = this.session.event(i);
    const ex = r.ok ? r.event.exception : undefined;
    if (!ex || !(f.all || f.types.some((t) => exceptionMatches(ex.type, t)))) return null;
    return { reason: { kind: 'exception', type: ex.type, message: ex.message ?? null }, frameIndex: 0 };
  }

  /**
   * Everything at event i but data breakpoints: output is pushed (recorded logs are only counted, when
   * `logs`: they are read after the stop), a stop returned.
   */
  checkEvent(keys: EventKeys, i: number, out: Output, logs: boolean): Found | null {
    const flags = keys.flags(i);
    if (flags & UNREADABLE) {
      const r = this.session.event(i);
      out.push(i, notice(i, r.ok ? `event ${i} is unreadable` : r.message));
      return null;
    }
    if (logs && flags & LOG) out.logs++;
    return this.breakpointsAt(keys, i, out) ?? (flags & EXCEPTION ? this.exceptionAt(i) : null);
  }

  get watching(): boolean {
    return this.watches.length > 0;
  }

  /** Data breakpoints at event i (parses the event when it may record a watched variable). */
  async dataAt(
    keys: EventKeys,
    i: number,
    out: Output,
    signal: AbortSignal,
  ): Promise<Found | null | 'aborted'> {
    for (const w of this.watches) {
      if (w.def.error || w.candidate(keys, i) < 0) continue;
      const change = await w.changeAt(keys, i, signal);
      if (change === 'aborted') return change;
      if (!change || !this.passes(w.def, i, change.frameIndex, out)) continue;
      const reason: StopReason = { kind: 'data-breakpoint', breakpointId: w.def.id, ...change };
      return { reason, frameIndex: change.frameIndex };
    }
    return null;
  }

  // --- hit counts ----------------------------------------------------------------------------------------------

  /** Every event in session order where `test` holds; null if cancelled. */
  private async collect(
    keys: EventKeys,
    signal: AbortSignal,
    test: (i: number) => boolean | Promise<boolean>,
  ): Promise<number[] | null> {
    const hits: number[] = [];
    const slice = new TimeSlice(signal);
    for (let i = 0; i < keys.count; i++) {
      if (slice.due() && (await slice.giveWay())) return null;
      const hit = test(i);
      if (hit === true || (hit !== false && (await hit))) hits.push(i);
    }
    return hits;
  }

  /** Hit counts run through the whole recording: the hits of each breakpoint with a hit condition, once. */
  async prepareHits(keys: EventKeys, signal: AbortSignal): Promise<boolean> {
    const held = (bp: BreakpointBase, kind: 'line' | 'function') => (i: number) =>
      (this.located<BreakpointBase>(keys, i, kind) ?? []).some(
        (h) => h.bp === bp && this.passes(bp, i, h.frameIndex, null, false),
      );
    const jobs: { bp: BreakpointBase; test: (i: number) => boolean | Promise<boolean> }[] = [];
    for (const d of [...this.lineBps.values()].flat()) jobs.push({ bp: d, test: held(d, 'line') });
    for (const d of this.fnBps) jobs.push({ bp: d, test: held(d, 'function') });
    for (const w of this.watches) {
      const test = async (i: number): Promise<boolean> => {
        if (w.candidate(keys, i) < 0) return false;
        const c = await w.changeAt(keys, i, signal);
        return c !== null && c !== 'aborted' && this.passes(w.def, i, c.frameIndex, null, false);
      };
      jobs.push({ bp: w.def, test });
    }
    for (const { bp, test } of jobs) {
      if (!bp.hit || bp.error || bp.hits) continue;
      const hits = await this.collect(keys, signal, test);
      if (!hits) return false;
      bp.hits = hits;
    }
    return true;
  }
}
