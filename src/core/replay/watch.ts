// A data breakpoint at work: which events record the watched variable (its function's frame on its thread),
// its value there, and whether that value differs from the previous recording — "where did this come from".

import type { DataBreakpointDef } from './breakpoints';
import { NodeMemo } from './breakpoints';
import type { EventKeys } from './keys';
import type { SessionFile } from './reader';
import { TimeSlice } from './search';
import type { StackTable } from './stacks';
import { valueKey, variableAt } from './values';

export interface Recording {
  index: number;
  frameIndex: number;
  /** Comparable value (children included) and the value to show. */
  key: string;
  shown: string;
}

export interface Change {
  frameIndex: number;
  oldValue: string;
  newValue: string;
}

export class DataWatch {
  private memo: NodeMemo<true> | null = null;
  /** The latest recording at or before `from` (null: none); saves re-scanning when scans go one way. */
  private known: { from: number; rec: Recording | null } | null = null;

  constructor(
    readonly def: DataBreakpointDef,
    private readonly session: SessionFile,
  ) {}

  /** The frame index of a stack node that may record the variable, or -1 (any thread). */
  private frameOf(table: StackTable, node: number): number {
    if (this.def.function === null) return table.depth(node) > 0 ? 0 : -1;
    if (this.memo?.table !== table) {
      const wanted = this.def.function;
      this.memo = new NodeMemo(table, (f) => (table.functionName(f) === wanted ? [true] : []), true);
    }
    const hits = this.memo.get(node);
    return hits ? table.depth(node) - hits[0]!.depth : -1;
  }

  /** Whether a stack could hold the watched frame (on some thread). */
  mayRecordAt(table: StackTable, node: number): boolean {
    return this.frameOf(table, node) >= 0;
  }

  /** The frame index that may record the variable at event i, or -1 (cheap: no parsing). */
  candidate(keys: EventKeys, i: number): number {
    const thread = keys.thread(i);
    if (thread === 0 || (this.def.threadId !== undefined && thread !== this.def.threadId)) return -1;
    return this.frameOf(keys.table, keys.node(i));
  }

  /** The recording at event i, if it is one (parses the event). */
  recordingAt(keys: EventKeys, i: number): Recording | null {
    const frameIndex = this.candidate(keys, i);
    if (frameIndex < 0) return null;
    const r = this.session.event(i);
    const frame = r.ok ? r.event.stack[frameIndex] : undefined;
    const v = frame ? variableAt(frame, this.def.scope, this.def.path) : undefined;
    return v ? { index: i, frameIndex, key: valueKey(v), shown: v.value } : null;
  }

  /** The latest recording before event i; scans back in slices, giving way to the event loop between them. */
  async previous(keys: EventKeys, i: number, signal: AbortSignal): Promise<Recording | null | 'aborted'> {
    const target = i - 1;
    const known = this.known;
    if (known && known.from >= target && (known.rec === null || known.rec.index <= target)) return known.rec;
    const stopAt = known && known.from < target ? known.from : -1;
    let found: Recording | null | undefined;
    const slice = new TimeSlice(signal);
    for (let k = target; k > stopAt && found === undefined; k--) {
      found = this.recordingAt(keys, k) ?? undefined;
      if (slice.due() && (await slice.giveWay())) return 'aborted';
    }
    const rec = found ?? (known && stopAt >= 0 ? known.rec : null);
    this.known = { from: target, rec };
    return rec;
  }

  /** Whether event i records a value that differs from the previous recording. */
  async changeAt(keys: EventKeys, i: number, signal: AbortSignal): Promise<Change | null | 'aborted'> {
    const rec = this.recordingAt(keys, i);
    if (!rec) return null;
    const prev = await this.previous(keys, i, signal);
    if (prev === 'aborted') return prev;
    if (!prev || prev.key === rec.key) return null;
    return { frameIndex: rec.frameIndex, oldValue: prev.shown, newValue: rec.shown };
  }
}
