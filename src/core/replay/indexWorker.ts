// The key index of a session, built in a worker thread: one streaming pass that parses every event once and
// keeps a few numbers per event (thread, interned stack, flags, how the stack continues the thread's previous
// one) in typed arrays, so that stepping and breakpoints run over arrays instead of re-reading the file.

import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { SessionEvent } from './format';
import { NewlineFinder, SCAN_SPAN } from './newlines';
import { MAX_LINE } from './reader';
import { normalizeEvent } from './normalize';
import { StackTable, continuity, type StackTableData } from './stacks';

/** Event flags (one byte per event). */
export const EXCEPTION = 1;
export const LOG = 2;
export const UNREADABLE = 4;
/** The frame just below the shared caller chain is the same function as in the thread's previous event. */
export const SAME_FUNCTION = 8;

/** The flags an event carries by itself (SAME_FUNCTION depends on the thread's previous event). */
export function eventFlags(e: SessionEvent): number {
  return (e.exception ? EXCEPTION : 0) | (e.log ? LOG : 0);
}

/** Thread indexes are 16-bit. */
const MAX_THREADS = 65535;
/** Distinct stacks kept at most (about 18 bytes each while building): past it the index gives up. */
const MAX_NODES = 8_000_000;

export interface IndexJob {
  file: string;
  /** Events' byte range and count (SessionFile.span). */
  start: number;
  end: number;
  count: number;
  /** The header's thread ids: they take the first thread indexes. */
  threads: string[];
  /** Events per block to start with (default 4096; small values let tests cross many blocks). */
  blockEvents?: number;
  /** Row entries (blocks × threads) before blocks double in size (default 2,000,000; for tests). */
  rowEntries?: number;
}

export interface IndexData {
  /** Session thread ids by thread index. */
  threads: string[];
  /** Per event: thread index (65535 = none: unreadable). */
  thread: Uint16Array;
  node: Uint32Array;
  flags: Uint8Array;
  /** Per event: depth of the caller chain shared with the thread's previous event (stacks.continuity). */
  shared: Uint16Array;
  stacks: StackTableData;
  blocks: Blocks;
}

/**
 * The events in blocks of `every` (block r: events r·every … (r+1)·every − 1, the last one partial), each with
 * a row of one entry per thread known at its end. They let lookups start from a checkpoint and let searches
 * pass whole blocks in which nothing can stop them.
 */
export interface Blocks {
  every: number;
  rowStart: Int32Array;
  /** Per row entry: the thread's latest event up to the block's end (-1: none yet). */
  latest: Int32Array;
  /** Per row entry: the least stack depth, and the least kept() (keys.ts), of the thread's events in the block (NONE: it has none). */
  minDepth: Uint16Array;
  minKept: Uint16Array;
  /** Per block: its events' flags or-ed, and how many are logs. */
  flags: Uint8Array;
  logs: Uint32Array;
}

export type IndexMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; data: IndexData }
  | { type: 'error'; message: string };

const READ = 4 * 1024 * 1024;
const PROGRESS_EVERY = 64 * 1024 * 1024;
export const NO_THREAD = 0xffff;

/** Row entries kept at most (blocks × threads); past it, blocks double in size. */
const MAX_ROW_ENTRIES = 2_000_000;
/** A thread absent from a block, in minDepth / minKept. */
export const ABSENT = 0xffff;

/** The entry of thread index t in block `row`'s row, or -1 when the row has none (the thread came later). */
export function rowEntry(blocks: Blocks, row: number, t: number): number {
  if (t < 0 || row < 0 || row >= blocks.rowStart.length) return -1;
  const at = blocks.rowStart[row]! + t;
  return at < (blocks.rowStart[row + 1] ?? blocks.latest.length) ? at : -1;
}

/** Builds Blocks as events come, in order. */
class BlockRows {
  constructor(
    public every: number,
    private readonly maxEntries: number,
  ) {}

  private rows: number[] = [];
  private latest: number[] = [];
  private minDepth: number[] = [];
  private minKept: number[] = [];
  private flags: number[] = [];
  private logs: number[] = [];
  private depthNow: number[] = [];
  private keptNow: number[] = [];
  private flagsNow = 0;
  private logsNow = 0;

  /** Event i (thread index t, or -1 for none) has been seen; `lastEvent` is each thread's latest event. */
  add(i: number, t: number, depth: number, kept: number, flags: number, lastEvent: readonly number[]): void {
    if (t >= 0) {
      while (this.depthNow.length <= t) {
        this.depthNow.push(ABSENT);
        this.keptNow.push(ABSENT);
      }
      this.depthNow[t] = Math.min(this.depthNow[t]!, depth);
      this.keptNow[t] = Math.min(this.keptNow[t]!, kept);
    }
    this.flagsNow |= flags;
    if (flags & LOG) this.logsNow++;
    if ((i + 1) % this.every === 0) this.close(lastEvent);
  }

  /** Closes the block under way; the last, partial one is `final` (blocks then stay as they are). */
  close(lastEvent: readonly number[], final = false): void {
    this.rows.push(this.latest.length);
    lastEvent.forEach((e, t) => {
      this.latest.push(e);
      this.minDepth.push(this.depthNow[t] ?? ABSENT);
      this.minKept.push(this.keptNow[t] ?? ABSENT);
    });
    this.flags.push(this.flagsNow);
    this.logs.push(this.logsNow);
    this.depthNow = [];
    this.keptNow = [];
    this.flagsNow = 0;
    this.logsNow = 0;
    if (!final && this.latest.length > this.maxEntries) this.sparser();
  }

  /** Doubles the block size: blocks 2r and 2r+1 become block r (a last odd one goes on as the open block). */
  private sparser(): void {
    const old = { rows: this.rows, latest: this.latest, minDepth: this.minDepth, minKept: this.minKept };
    const { flags, logs } = this;
    const row = (r: number): { from: number; to: number } => ({
      from: old.rows[r]!,
      to: old.rows[r + 1] ?? old.latest.length,
    });
    this.rows = [];
    this.latest = [];
    this.minDepth = [];
    this.minKept = [];
    this.flags = [];
    this.logs = [];
    for (let r = 0; r + 1 < old.rows.length; r += 2) {
      const a = row(r);
      const b = row(r + 1);
      this.rows.push(this.latest.length);
      for (let t = 0; t < b.to - b.from; t++) {
        const inA = a.from + t < a.to;
        this.latest.push(old.latest[b.from + t]!);
        this.minDepth.push(Math.min(old.minDepth[b.from + t]!, inA ? old.minDepth[a.from + t]! : ABSENT));
        this.minKept.push(Math.min(old.minKept[b.from + t]!, inA ? old.minKept[a.from + t]! : ABSENT));
      }
      this.flags.push(flags[r]! | flags[r + 1]!);
      this.logs.push(logs[r]! + logs[r + 1]!);
    }
    if (old.rows.length % 2 === 1) {
      // The last block's pair is the block under way: it starts from that block's figures.
      const last = row(old.rows.length - 1);
      const depth = old.minDepth.slice(last.from, last.to);
      const kept = old.minKept.slice(last.from, last.to);
      this.depthNow = depth.map((d, t) => Math.min(d, this.depthNow[t] ?? ABSENT));
      this.keptNow = kept.map((k, t) => Math.min(k, this.keptNow[t] ?? ABSENT));
      this.flagsNow |= flags[old.rows.length - 1]!;
      this.logsNow += logs[old.rows.length - 1]!;
    }
    this.every *= 2;
  }

  result(): Blocks {
    return {
      every: this.every,
      rowStart: Int32Array.from(this.rows),
      latest: Int32Array.from(this.latest),
      minDepth: Uint16Array.from(this.minDepth),
      minKept: Uint16Array.from(this.minKept),
      flags: Uint8Array.from(this.flags),
      logs: Uint32Array.from(this.logs),
    };
  }
}

class Builder {
  readonly table = new StackTable();
  readonly threadIds = new Map<string, number>();
  readonly threads: string[] = [];
  readonly thread: Uint16Array;
  readonly node: Uint32Array;
  readonly flags: Uint8Array;
  readonly shared: Uint16Array;
  private lastNode: number[] = [];
  private lastEvent: number[] = [];
  private readonly blocks: BlockRows;
  n = 0;

  constructor(readonly job: IndexJob) {
    this.blocks = new BlockRows(Math.max(1, job.blockEvents ?? 4096), job.rowEntries ?? MAX_ROW_ENTRIES);
    this.thread = new Uint16Array(job.count);
    this.node = new Uint32Array(job.count);
    this.flags = new Uint8Array(job.count);
    this.shared = new Uint16Array(job.count);
    for (const t of job.threads) this.threadIndex(t);
  }

  private threadIndex(id: string): number {
    let t = this.threadIds.get(id);
    if (t === undefined) {
      t = this.threads.length;
      if (t >= MAX_THREADS) throw new Error(`more than ${MAX_THREADS} threads`);
      this.threads.push(id);
      this.threadIds.set(id, t);
      this.lastNode.push(-1);
      this.lastEvent.push(-1);
    }
    return t;
  }

  line(text: string): void {
    const i = this.n++;
    if (i >= this.job.count) throw new Error('the file has more events than when it was opened');
    const r = normalizeEvent(text, false);
    if (!r.ok) {
      this.unreadable(i);
      return;
    }
    const e = r.event;
    const t = this.threadIndex(e.thread);
    const node = this.table.intern(e.stack);
    if (this.table.size > MAX_NODES) throw new Error(`more than ${MAX_NODES} distinct stacks`);
    let flags = eventFlags(e);
    const prev = this.lastNode[t]!;
    let kept = 0;
    if (prev >= 0) {
      const c = continuity(this.table, node, prev);
      this.shared[i] = c.shared;
      if (c.sameFunction) flags |= SAME_FUNCTION;
      kept = c.shared + (c.sameFunction ? 1 : 0);
    }
    this.thread[i] = t;
    this.node[i] = node;
    this.flags[i] = flags;
    this.lastNode[t] = node;
    this.lastEvent[t] = i;
    this.blocks.add(i, t, this.table.depth(node), kept, flags, this.lastEvent);
  }

  unreadable(i: number): void {
    this.thread[i] = NO_THREAD;
    this.flags[i] = UNREADABLE;
    this.blocks.add(i, -1, 0, 0, UNREADABLE, this.lastEvent);
  }

  result(): IndexData {
    if (this.n !== this.job.count) throw new Error('the file has fewer events than when it was opened');
    if (this.n % this.blocks.every !== 0) this.blocks.close(this.lastEvent, true);
    return {
      threads: this.threads,
      thread: this.thread,
      node: this.node,
      flags: this.flags,
      shared: this.shared,
      stacks: this.table.toData(),
      blocks: this.blocks.result(),
    };
  }
}

/** Splits [start, end) of the file into lines as the reader does (blank lines skipped, CR dropped). */
class Lines {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Inside a line longer than MAX_LINE: its bytes are dropped and it counts as unreadable. */
  private tooLong = false;

  constructor(
    private readonly onLine: (text: string) => void,
    private readonly onTooLong: () => void,
  ) {}

  /** The lines ending in b[0, n); `finder` (input 0 holding b) finds newlines 16 bytes at a time. */
  chunk(b: Buffer, n: number, finder: NewlineFinder | null): void {
    let i = 0;
    if (finder) {
      for (let from = 0; from < n; from += SCAN_SPAN) {
        const after = finder.find(0, from, Math.min(n, from + SCAN_SPAN));
        for (let x = 0; x < after.length; x++) {
          this.end(b, i, after[x]! - 1);
          i = after[x]!;
        }
      }
    } else {
      for (let j = b.indexOf(10); j >= 0 && j < n; j = b.indexOf(10, j + 1)) {
        this.end(b, i, j);
        i = j + 1;
      }
    }
    this.keep(b.subarray(i, n));
  }

  finish(): void {
    if (this.carryBytes > 0 || this.tooLong) this.end(Buffer.alloc(0), 0, 0);
  }

  private keep(part: Buffer): void {
    if (part.length === 0 || this.tooLong) return;
    this.carryBytes += part.length;
    if (this.carryBytes > MAX_LINE) {
      this.tooLong = true;
      this.carry = [];
      this.carryBytes = 0;
      return;
    }
    this.carry.push(Buffer.from(part));
  }

  private end(b: Buffer, from: number, to: number): void {
    if (this.tooLong) {
      this.tooLong = false;
      this.onTooLong();
      return;
    }
    let line = b;
    if (this.carryBytes > 0) {
      line = Buffer.concat([...this.carry, b.subarray(from, to)]);
      this.carry = [];
      this.carryBytes = 0;
      from = 0;
      to = line.length;
    }
    if (to > from && line[to - 1] === 13) to--;
    if (to > from) this.onLine(line.toString('utf8', from, to));
  }
}

/** Builds the index of one session file (synchronously: it runs on the worker's own thread). */
function buildIndex(job: IndexJob, onProgress: (done: number, total: number) => void): IndexData {
  const builder = new Builder(job);
  const lines = new Lines(
    (text) => builder.line(text),
    () => builder.unreadable(builder.n++),
  );
  const fd = fs.openSync(job.file, 'r');
  try {
    const finder = NewlineFinder.create(READ);
    const buf = finder ? finder.inputs[0] : Buffer.allocUnsafe(READ);
    let reported = 0;
    for (let pos = job.start; pos < job.end;) {
      const n = fs.readSync(fd, buf, 0, Math.min(READ, job.end - pos), pos);
      if (n <= 0) break;
      lines.chunk(buf, n, finder);
      pos += n;
      if (pos - reported >= PROGRESS_EVERY) {
        reported = pos;
        onProgress(pos - job.start, job.end - job.start);
      }
    }
    lines.finish();
  } finally {
    fs.closeSync(fd);
  }
  return builder.result();
}

function transfers(d: IndexData): ArrayBuffer[] {
  const s = d.stacks;
  const b = d.blocks;
  const arrays = [d.thread, d.node, d.flags, d.shared, s.parent, s.frame, s.depth, s.frameFunction];
  arrays.push(s.frameFile, s.frameLine, b.rowStart, b.latest, b.minDepth, b.minKept, b.flags, b.logs);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** The worker's entry: builds the index for `workerData` and posts it back (arrays transferred, not copied). */
export function runIndexWorker(): void {
  const port = parentPort;
  if (!port) return;
  const post = (m: IndexMessage, list: ArrayBuffer[] = []): void => port.postMessage(m, list);
  try {
    const data = buildIndex(workerData as IndexJob, (done, total) => post({ type: 'progress', done, total }));
    post({ type: 'done', data }, transfers(data));
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}
