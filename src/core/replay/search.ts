// The mechanics of a search through a session: the stepping rules (by stack depth and call continuity),
// passing whole blocks of the index in which nothing can stop a search, and the log output of what was passed.

import { setImmediate as giveWay } from 'node:timers/promises';
import { ABSENT, rowEntry } from './indexWorker';
import { LOG, kept, type Columns, type EventKeys } from './keys';

/** A search gives way to the event loop after this long, so that a pause gets through. */
const SLICE_MS = 15;

/** Paces a long search: `due()` is cheap and says when to give way; `giveWay()` says whether to stop. */
export class TimeSlice {
  private since = Date.now();
  private calls = 0;

  constructor(private readonly signal: AbortSignal) {}

  due(): boolean {
    return (++this.calls & 0x3ff) === 0 && Date.now() - this.since > SLICE_MS;
  }

  /** Lets other work run; true when the search was cancelled meanwhile. */
  async giveWay(): Promise<boolean> {
    await giveWay();
    this.since = Date.now();
    return this.signal.aborted;
  }
}

export type StepKind = 'in' | 'next' | 'out' | 'back' | 'reverse-in' | 'reverse-out';

/** One search: from an event, one way, until a stop or a step's target. */
export interface Scan {
  from: number;
  dir: 1 | -1;
  /** An event not checked for breakpoints (a reverse step's own current event). */
  skip: number;
  /** A step's target test (called for every event the search looks at, in order). */
  until: ((i: number) => boolean) | null;
  /**
   * Whether a block in which the stepped thread's least depth and least kept() are these (ABSENT: it has no
   * event there) holds no target; when it says so, the rule's state moves on as if the block had been seen.
   */
  passes: (minDepth: number, minKept: number) => boolean;
  /** The stepped thread (the thread a step's end or start stop shows). */
  thread: number | null;
}

/** A continue: every thread, no target. */
export function runScan(from: number, dir: 1 | -1): Scan {
  return { from, dir, skip: -1, until: null, passes: () => true, thread: null };
}

/**
 * A step of `threadId` from `pos`, whose current event is `c` (-1: none yet). Forwards, an event of the thread
 * is the target when it is shallow enough, or when the frame the step is about is no longer the same call
 * (kept() below its depth). Backwards the same, except that whether a call goes on is known from the later
 * event: `chain` is kept() of the thread's event after the one looked at.
 */
export function stepScan(keys: EventKeys, kind: StepKind, threadId: number, pos: number, c: number): Scan {
  const d = c >= 0 ? keys.table.depth(keys.node(c)) : 0;
  const depth = (i: number): number => keys.table.depth(keys.node(i));
  const mine = (i: number): boolean => keys.thread(i) === threadId;
  const any = d === 0 || kind === 'in' || kind === 'reverse-in';
  /** An event at this depth or shallower is a target, and so is one whose kept() (or chain) is below it. */
  const level = kind === 'next' || kind === 'back' ? d : d - 1;
  if (kind === 'in' || kind === 'next' || kind === 'out') {
    const rule = any ? () => true : (i: number) => depth(i) <= level || kept(keys, i) < level;
    return {
      from: pos + 1,
      dir: 1,
      skip: -1,
      until: (i) => mine(i) && rule(i),
      passes: (md, mk) => md === ABSENT || (!any && md > level && mk >= level),
      thread: threadId,
    };
  }
  let chain = c >= 0 ? kept(keys, c) : 0;
  const rule = any ? () => true : (i: number) => depth(i) <= level || chain < level;
  return {
    from: pos - 1,
    dir: -1,
    skip: c,
    until: (i) => {
      if (i === c || !mine(i)) return false;
      const stop = rule(i);
      chain = kept(keys, i);
      return stop;
    },
    passes: (md, mk) => {
      if (md === ABSENT) return true;
      if (any || md <= level || mk < level || chain < level) return false;
      // Every kept() in the block is ≥ mk ≥ level, so the chain after it compares the same as the real one.
      chain = mk;
      return true;
    },
    thread: threadId,
  };
}

/** The block an event is in and that block's range. */
export function blockOf(cols: Columns, i: number, count: number): { b: number; first: number; last: number } {
  const every = cols.blocks.every;
  const b = Math.floor(i / every);
  return { b, first: b * every, last: Math.min((b + 1) * every, count) - 1 };
}

/** The stepped thread's figures in a block's row (ABSENT when the thread has none there). */
export function threadFigures(cols: Columns, b: number, t: number): { minDepth: number; minKept: number } {
  const at = rowEntry(cols.blocks, b, t);
  if (at < 0) return { minDepth: ABSENT, minKept: ABSENT };
  return { minDepth: cols.blocks.minDepth[at]!, minKept: cols.blocks.minKept[at]! };
}

/** Output kept during a search: the last `max` pushed (nearest the stop); logs are read only when kept. */
export class OutputRing<T> {
  private readonly items: { index: number; item: T }[] = [];
  private next = 0;
  total = 0;
  /** Recorded logs met (counted here, read after the stop). */
  logs = 0;

  constructor(private readonly max: number) {}

  push(index: number, item: T): void {
    this.total++;
    if (this.max <= 0) return;
    if (this.items.length < this.max) this.items.push({ index, item });
    else {
      this.items[this.next] = { index, item };
      this.next = (this.next + 1) % this.max;
    }
  }

  /** In push order. */
  kept(): { index: number; item: T }[] {
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }
}

/** How many log events [lo, hi] holds, but `skip`: whole blocks by their count. */
export function countLogs(cols: Columns, count: number, lo: number, hi: number, skip: number): number {
  const { every, logs } = cols.blocks;
  let total = skip >= lo && skip <= hi && cols.flags[skip]! & LOG ? -1 : 0;
  for (let b = Math.floor(lo / every); lo <= hi && b * every <= hi; b++) {
    const { first, last } = blockOf(cols, b * every, count);
    if (first >= lo && last <= hi) total += logs[b]!;
    else for (let i = Math.max(first, lo); i <= Math.min(last, hi); i++) if (cols.flags[i]! & LOG) total++;
  }
  return total;
}

/**
 * The `max` log events of [lo, hi] (but `skip`) nearest one end (`fromHi`: the last ones), in event order.
 * With the index, blocks without logs are passed whole.
 */
export function nearestLogs(
  keys: EventKeys,
  lo: number,
  hi: number,
  skip: number,
  fromHi: boolean,
  max: number,
): number[] {
  const cols = keys.columns;
  const found: number[] = [];
  const dir = fromHi ? -1 : 1;
  for (let i = fromHi ? hi : lo; found.length < max && i >= lo && i <= hi; i += dir) {
    if (cols) {
      const { b, first, last } = blockOf(cols, i, keys.count);
      if (cols.blocks.logs[b] === 0) {
        i = fromHi ? first : last;
        continue;
      }
    }
    if (i !== skip && keys.flags(i) & LOG) found.push(i);
  }
  return fromHi ? found.reverse() : found;
}
