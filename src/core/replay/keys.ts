// The few facts per event that stepping and breakpoints need (thread, interned stack, flags, continuity with
// the thread's previous event), from the worker's index when it is ready, or by parsing events on demand
// until then. Both give the same answers; only the speed differs.

import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  EXCEPTION,
  LOG,
  NO_THREAD,
  SAME_FUNCTION,
  UNREADABLE,
  eventFlags,
  rowEntry,
  type Blocks,
  type IndexData,
  type IndexJob,
  type IndexMessage,
} from './indexWorker';
import type { SessionFile } from './reader';
import { StackTable, continuity } from './stacks';

export { EXCEPTION, LOG, SAME_FUNCTION, UNREADABLE };

/** Runtime thread ids by session thread id: the header's threads first, then in the order they are met. */
export class ThreadRegistry {
  private readonly ids = new Map<string, number>();
  private readonly names: { sessionId: string; name: string }[] = [];

  constructor(headerThreads: readonly { id: string; name?: string }[]) {
    for (const t of headerThreads) this.idOf(t.id, t.name);
  }

  /** The runtime id (1-based) of a session thread, registering it when new. */
  idOf(sessionId: string, name?: string): number {
    let id = this.ids.get(sessionId);
    if (id === undefined) {
      this.names.push({ sessionId, name: name ?? sessionId });
      id = this.names.length;
      this.ids.set(sessionId, id);
    }
    return id;
  }

  all(): { id: number; sessionId: string; name: string }[] {
    return this.names.map((t, i) => ({ id: i + 1, ...t }));
  }

  sessionId(id: number): string | undefined {
    return this.names[id - 1]?.sessionId;
  }
}

/** The index's arrays, for searches that skip uninteresting events without a call per event. */
export interface Columns {
  thread: Uint16Array;
  node: Uint32Array;
  flags: Uint8Array;
  blocks: Blocks;
  /** The thread index of a runtime thread id (-1: none). */
  threadIndex(threadId: number): number;
}

/** Facts per event; `thread` is 0 for an unreadable event (it belongs to no thread). */
export interface EventKeys {
  readonly table: StackTable;
  readonly count: number;
  /** Set once the index is ready. */
  readonly columns: Columns | null;
  thread(i: number): number;
  node(i: number): number;
  flags(i: number): number;
  /** Depth of the caller chain shared with the thread's previous event (0: none, or no previous event). */
  shared(i: number): number;
  /** The thread's latest event at or before i, or -1. */
  latest(thread: number, i: number): number;
}

/** Depth up to which event i's frames are the same calls as in its thread's previous event. */
export function kept(keys: EventKeys, i: number): number {
  return keys.shared(i) + (keys.flags(i) & SAME_FUNCTION ? 1 : 0);
}

/** Keys over the worker's arrays. */
export class IndexedKeys implements EventKeys {
  readonly table: StackTable;
  readonly count: number;
  readonly columns: Columns;
  /** Runtime thread id by thread index. */
  private readonly threadIds: Int32Array;
  /** Thread index by runtime thread id (-1: the index has none). */
  private readonly threadIndex: Int32Array;

  constructor(
    private readonly data: IndexData,
    threads: ThreadRegistry,
  ) {
    this.table = new StackTable(data.stacks);
    this.count = data.thread.length;
    this.threadIds = Int32Array.from(data.threads, (t) => threads.idOf(t));
    this.threadIndex = new Int32Array(threads.all().length + 1).fill(-1);
    this.threadIds.forEach((id, t) => (this.threadIndex[id] = t));
    this.columns = {
      thread: data.thread,
      node: data.node,
      flags: data.flags,
      blocks: data.blocks,
      threadIndex: (id) => this.threadIndex[id] ?? -1,
    };
  }

  thread(i: number): number {
    const t = this.data.thread[i]!;
    return t === NO_THREAD ? 0 : this.threadIds[t]!;
  }

  node(i: number): number {
    return this.data.node[i]!;
  }

  flags(i: number): number {
    return this.data.flags[i]!;
  }

  shared(i: number): number {
    return this.data.shared[i]!;
  }

  latest(thread: number, i: number): number {
    const t = this.threadIndex[thread] ?? -1;
    if (t < 0 || i < 0) return -1;
    const col = this.data.thread;
    const blocks = this.data.blocks;
    const last = Math.min(i, this.count - 1);
    const floor = Math.floor((last + 1) / blocks.every) * blocks.every;
    for (let k = last; k >= floor; k--) if (col[k] === t) return k;
    const at = rowEntry(blocks, floor / blocks.every - 1, t);
    return at < 0 ? -1 : blocks.latest[at]!;
  }
}

interface Facts {
  thread: number;
  node: number;
  flags: number;
}

const FACTS_CACHE = 1 << 16;

/** Keys by parsing events on demand (while the index is being built, or when it is off). */
export class OnDemandKeys implements EventKeys {
  readonly table = new StackTable();
  readonly columns = null;
  private readonly cache = new Map<number, Facts>();
  private readonly sharedCache = new Map<number, number>();

  constructor(
    private readonly session: SessionFile,
    private readonly threads: ThreadRegistry,
  ) {}

  get count(): number {
    return this.session.eventCount;
  }

  private facts(i: number): Facts {
    let f = this.cache.get(i);
    if (f) return f;
    const r = this.session.event(i);
    f = r.ok
      ? {
          thread: this.threads.idOf(r.event.thread),
          node: this.table.intern(r.event.stack),
          flags: eventFlags(r.event),
        }
      : { thread: 0, node: 0, flags: UNREADABLE };
    if (this.cache.size >= FACTS_CACHE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(i, f);
    return f;
  }

  thread(i: number): number {
    return this.facts(i).thread;
  }

  node(i: number): number {
    return this.facts(i).node;
  }

  flags(i: number): number {
    const f = this.facts(i);
    return f.flags | (this.continuityOf(i) < 0 ? SAME_FUNCTION : 0);
  }

  shared(i: number): number {
    return Math.abs(this.continuityOf(i)) - 1;
  }

  /** shared+1, negated when the next frame down is the same function (one number, to cache it). */
  private continuityOf(i: number): number {
    let c = this.sharedCache.get(i);
    if (c !== undefined) return c;
    const f = this.facts(i);
    const prev = f.thread === 0 ? -1 : this.latest(f.thread, i - 1);
    c = 1;
    if (prev >= 0) {
      const r = continuity(this.table, f.node, this.facts(prev).node);
      c = r.sameFunction ? -(r.shared + 1) : r.shared + 1;
    }
    if (this.sharedCache.size >= FACTS_CACHE) this.sharedCache.delete(this.sharedCache.keys().next().value!);
    this.sharedCache.set(i, c);
    return c;
  }

  latest(thread: number, i: number): number {
    for (let k = Math.min(i, this.count - 1); k >= 0; k--) if (this.facts(k).thread === thread) return k;
    return -1;
  }
}

/** Where the bundled worker is: next to the bundle in dist/, or in dist/ when running from the sources. */
export function defaultWorkerScript(): string {
  const dir =
    path.basename(__dirname) === 'dist' ? __dirname : path.join(__dirname, '..', '..', '..', 'dist');
  return path.join(dir, 'replayIndexWorker.js');
}

export interface IndexBuild {
  done: Promise<IndexData>;
  stop(): Promise<void>;
}

/** Starts the index worker for a session. */
export function startIndex(
  session: SessionFile,
  workerScript: string,
  onProgress: (done: number, total: number) => void,
  sizes: Pick<IndexJob, 'blockEvents' | 'rowEntries'> = {},
): IndexBuild {
  const span = session.span;
  const job: IndexJob = {
    file: session.path,
    start: span.start,
    end: span.end,
    count: span.count,
    threads: session.header.threads.map((t) => t.id),
    ...sizes,
  };
  const worker = new Worker(workerScript, {
    workerData: job,
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  const done = new Promise<IndexData>((resolve, reject) => {
    worker.on('message', (m: IndexMessage) => {
      if (m.type === 'progress') onProgress(m.done, m.total);
      else if (m.type === 'done') resolve(m.data);
      else reject(new Error(m.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the index worker exited (${code})`)));
  });
  return {
    done,
    stop: async () => {
      await worker.terminate();
    },
  };
}
