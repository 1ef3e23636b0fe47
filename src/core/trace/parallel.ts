// A scan of a large file on several cores. The file is cut into blocks at line starts; worker threads scan
// the blocks at once, each as if the scan started idle there. That guess may be wrong (a block can start
// inside a trace), so each worker, after its block, reads on into the next one until its own scanner state
// equals the state the next block's worker had at the same line (see TraceScanner.state): from there on
// the two agree, so the next block's traces are taken from that line on and its earlier ones dropped.
// Traces come out in document order, with the same line numbers a sequential scan gives.

import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { detectEncoding, looksBinary } from './decode';
import { openInput, scanFile, type AsyncScanOptions, type FileScanResult } from './file';
import type { Trace, TraceNode } from './model';

/** Lines per block whose scanner state is recorded for the previous block's worker to meet. */
const MAX_STATE_LINES = 1 << 20;

export interface ParallelScanOptions extends AsyncScanOptions {
  /** The bundled worker (`dist/scanWorker.js`). */
  workerScript: string;
  /** Worker threads; default: the cores available, at most 4. */
  workers?: number;
  /** Bytes per block; default 16 MB. */
  blockBytes?: number;
  /** Files smaller than this are scanned on one thread; default 4 blocks. */
  minBytes?: number;
}

/** What the coordinator sends a worker for one block. */
export interface BlockJob {
  type: 'scan';
  block: number;
  file: string;
  start: number;
  end: number;
  /** Scanner state per line of this block (index = line), written by this block's worker. */
  states: SharedArrayBuffer;
  /** [lines scanned so far, 1 when the block is done] for this block. */
  progress: SharedArrayBuffer;
  /** The same for the next block, which this worker reads on into; null for the last block. */
  next: { states: SharedArrayBuffer; progress: SharedArrayBuffer } | null;
  /** Int32 [1 = stop]. */
  cancel: SharedArrayBuffer;
}

/** What a worker sends back. */
export type BlockMessage =
  | { type: 'traces'; block: number; traces: Trace[]; startedAt: number[] }
  | {
      type: 'done';
      block: number;
      /** Lines in the block's own range. */
      lines: number;
      /** Line of the next block (1-based) from which the next block's traces are right; null: read to the end. */
      syncLine: number | null;
      /** With syncLine null: every line read, from the block's start to the end of the file. */
      linesToEnd: number;
    }
  | { type: 'error'; block: number; message: string };

interface Block {
  start: number;
  end: number;
  states?: SharedArrayBuffer;
  progress?: SharedArrayBuffer;
  traces: { trace: Trace; startedAt: number }[];
  done?: { lines: number; syncLine: number | null; linesToEnd: number };
}

/** Finds block boundaries: the first line start at or after each multiple of blockBytes. */
function boundaries(fd: number, size: number, blockBytes: number): number[] {
  const starts = [0];
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (let target = blockBytes; target < size;) {
    let pos = target;
    let found = -1;
    while (found < 0 && pos < size && pos - target < 4 * 1024 * 1024) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n <= 0) break;
      const i = buf.subarray(0, n).indexOf(10);
      if (i >= 0) found = pos + i + 1;
      else pos += n;
    }
    if (found < 0 || found >= size) break;
    if (found > starts[starts.length - 1]!) starts.push(found);
    target = Math.max(found, target + blockBytes);
  }
  return starts;
}

function shiftNode(node: TraceNode, by: number): void {
  node.span.start += by;
  node.span.end += by;
  for (const f of node.frames) f.docLine += by;
  for (const c of node.causes) shiftNode(c, by);
  for (const c of node.suppressed) shiftNode(c, by);
  for (const c of node.related ?? []) shiftNode(c, by);
}

/**
 * Scans a file on several cores when it is large and UTF-8 (UTF-16 and small files take the one-thread
 * path, which gives the same traces).
 */
export async function scanFileParallel(
  file: string,
  onTrace: (trace: Trace) => void,
  options: ParallelScanOptions,
): Promise<FileScanResult> {
  const { fd, head } = openInput(file);
  let size: number;
  let starts: number[];
  const blockBytes = Math.max(options.blockBytes ?? 16 * 1024 * 1024, 64 * 1024);
  try {
    size = fs.fstatSync(fd).size;
    starts = size >= (options.minBytes ?? 4 * blockBytes) ? boundaries(fd, size, blockBytes) : [0];
  } finally {
    fs.closeSync(fd);
  }
  const workers = Math.max(
    1,
    Math.min(options.workers ?? Math.min(availableParallelism(), 4), starts.length),
  );
  const guess = detectEncoding(head);
  if (workers < 2 || guess.encoding !== 'utf-8' || looksBinary(head)) return scanFile(file, onTrace, options);

  const blocks: Block[] = starts.map((start, i) => ({ start, end: starts[i + 1] ?? size, traces: [] }));
  const cancel = new SharedArrayBuffer(4);
  const stopAll = () => Atomics.store(new Int32Array(cancel), 0, 1);
  const ensureShared = (b: Block): { states: SharedArrayBuffer; progress: SharedArrayBuffer } => {
    b.states ??= new SharedArrayBuffer(Math.min(MAX_STATE_LINES, b.end - b.start) + 2);
    b.progress ??= new SharedArrayBuffer(8);
    return { states: b.states, progress: b.progress };
  };

  return new Promise<FileScanResult>((resolve, reject) => {
    const pool: Worker[] = [];
    const idle: Worker[] = [];
    let nextBlock = 0;
    let emitBlock = 0;
    /** Traces of the block being emitted count from this line on (earlier ones the previous worker had). */
    let fromLine = Number.NEGATIVE_INFINITY;
    let offset = 0;
    let read = 0;
    let finished = false;

    const finish = (error?: Error): void => {
      if (finished) return;
      finished = true;
      stopAll();
      options.signal?.removeEventListener('abort', onAbort);
      for (const w of pool) void w.terminate();
      if (error) reject(error);
      else resolve({ bytes: size, lines: offset, encoding: 'utf-8', binary: false });
    };
    const onAbort = (): void =>
      finish(options.signal?.reason instanceof Error ? options.signal.reason : new Error('aborted'));
    options.signal?.addEventListener('abort', onAbort);

    const dispatch = (): void => {
      // Keep the look-ahead bounded, so that buffered traces of finished blocks stay few.
      while (idle.length > 0 && nextBlock < blocks.length && nextBlock < emitBlock + 2 * pool.length) {
        const i = nextBlock++;
        const b = blocks[i]!;
        const own = ensureShared(b);
        const next = blocks[i + 1];
        const job: BlockJob = {
          type: 'scan',
          block: i,
          file,
          start: b.start,
          end: b.end,
          states: own.states,
          progress: own.progress,
          next: next ? ensureShared(next) : null,
          cancel,
        };
        idle.pop()!.postMessage(job);
      }
    };

    const emit = (): void => {
      while (!finished && emitBlock < blocks.length) {
        const b = blocks[emitBlock]!;
        if (!b.done) return;
        for (const { trace, startedAt } of b.traces) {
          if (startedAt < fromLine) continue;
          shiftNode(trace, offset);
          onTrace(trace);
        }
        b.traces = [];
        read += b.end - b.start;
        options.onProgress?.(Math.min(read, size), size);
        if (b.done.syncLine === null) {
          // This worker read on to the end of the file (the last block, or no agreement was found): the
          // later blocks' results are not needed.
          offset += b.done.linesToEnd;
          emitBlock = blocks.length;
          break;
        }
        offset += b.done.lines;
        fromLine = b.done.syncLine;
        emitBlock++;
      }
      if (emitBlock >= blocks.length) finish();
    };

    const onMessage = (w: Worker, msg: BlockMessage): void => {
      if (finished) return;
      const b = blocks[msg.block]!;
      if (msg.type === 'traces') {
        msg.traces.forEach((trace, i) => b.traces.push({ trace, startedAt: msg.startedAt[i]! }));
      } else if (msg.type === 'done') {
        b.done = { lines: msg.lines, syncLine: msg.syncLine, linesToEnd: msg.linesToEnd };
        idle.push(w);
        emit();
        dispatch();
      } else {
        finish(new Error(msg.message));
      }
    };

    for (let i = 0; i < workers; i++) {
      const w = new Worker(options.workerScript, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
      w.on('message', (m: BlockMessage) => onMessage(w, m));
      w.on('error', (e) => finish(e));
      w.on('exit', (code) => {
        if (!finished && code !== 0) finish(new Error(`scan worker exited with ${code}`));
      });
      pool.push(w);
      idle.push(w);
    }
    dispatch();
  });
}
