// The worker side of a parallel scan (see parallel.ts): scans one block, recording its scanner state per
// line for the previous block's worker, then reads on into the next block until its state meets that
// block's recorded state.

import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { ByteLineReader } from './decode';
import type { Trace } from './model';
import type { BlockJob, BlockMessage } from './parallel';
import { TraceScanner } from './scanner';

const READ = 256 * 1024;
/** Lines before a block used to fill the look-back window, so that a block starting idle meets sooner. */
const SEED_LINES = 32;
const BATCH = 256;

/** The last complete lines before `start` (the block is known to start at a line start). */
function seedLines(fd: number, start: number): string[] {
  if (start === 0) return [];
  const from = Math.max(0, start - 64 * 1024);
  const buf = Buffer.allocUnsafe(start - from);
  const n = fs.readSync(fd, buf, 0, buf.length, from);
  const lines = buf
    .subarray(0, n)
    .toString('utf8')
    .split(/\r\n|\n|\r/);
  lines.pop(); // what follows the last newline: the block itself
  if (from > 0) lines.shift(); // probably cut
  return lines.slice(-SEED_LINES);
}

/** Waits until `progress` reports `line` scanned; false when the block ended before it or the scan stopped. */
function waitFor(progress: Int32Array, cancel: Int32Array, line: number): boolean {
  for (;;) {
    const seen = Atomics.load(progress, 0);
    if (seen >= line) return true;
    if (Atomics.load(progress, 1) === 1 || Atomics.load(cancel, 0) === 1) return false;
    Atomics.wait(progress, 0, seen, 50);
  }
}

export function scanBlock(job: BlockJob, post: (m: BlockMessage) => void): void {
  const states = new Uint8Array(job.states);
  const progress = new Int32Array(job.progress);
  const cancel = new Int32Array(job.cancel);
  const nextStates = job.next ? new Uint8Array(job.next.states) : null;
  const nextProgress = job.next ? new Int32Array(job.next.progress) : null;
  const fd = fs.openSync(job.file, 'r');
  let traces: Trace[] = [];
  let startedAt: number[] = [];
  const flush = (): void => {
    if (traces.length === 0) return;
    post({ type: 'traces', block: job.block, traces, startedAt });
    traces = [];
    startedAt = [];
  };

  try {
    let own = true;
    let ownLines = 0;
    let syncLine: number | null = null;
    /** Past the next block's recorded states: no agreement is possible any more, read to the end. */
    let toEnd = job.next === null;
    const scanner = new TraceScanner((t, at) => {
      traces.push(t);
      startedAt.push(at);
      if (traces.length >= BATCH) flush();
    });
    const reader = new ByteLineReader((raw, no, zeroWidth) => {
      if (syncLine !== null) return;
      if (own) {
        if (no < states.length) states[no] = scanner.state;
        if ((no & 1023) === 0) {
          Atomics.store(progress, 0, no);
          Atomics.notify(progress, 0);
        }
      } else if (!toEnd) {
        const j = no - ownLines;
        const state = scanner.state;
        if (j < nextStates!.length && waitFor(nextProgress!, cancel, j)) {
          if (state !== 255 && nextStates![j] === state) {
            syncLine = j;
            return;
          }
        } else {
          toEnd = true;
        }
      }
      scanner.pushLine(raw, no, zeroWidth);
    }, job.start > 0);
    const seeds = seedLines(fd, job.start);
    scanner.seed(seeds, 1 - seeds.length);
    const buf = Buffer.allocUnsafe(READ);
    let pos = job.start;
    for (;;) {
      if (Atomics.load(cancel, 0) === 1) return;
      const limit = own ? job.end : Number.MAX_SAFE_INTEGER;
      const n = fs.readSync(fd, buf, 0, Math.min(READ, limit - pos), pos);
      if (n > 0) {
        pos += n;
        reader.push(buf.subarray(0, n));
        if (syncLine !== null) break;
      }
      if (own && (pos >= job.end || n <= 0)) {
        // The block ends right after a newline, so every one of its lines has been seen.
        own = false;
        ownLines = reader.lines;
        Atomics.store(progress, 0, ownLines);
        Atomics.store(progress, 1, 1);
        Atomics.notify(progress, 0);
        continue;
      }
      if (n <= 0) break;
    }
    if (syncLine === null) {
      reader.end();
      scanner.end();
    }
    flush();
    post({ type: 'done', block: job.block, lines: ownLines, syncLine, linesToEnd: reader.lines });
  } finally {
    fs.closeSync(fd);
    // Whatever happened, the previous block's worker must not wait for this one forever.
    Atomics.store(progress, 1, 1);
    Atomics.notify(progress, 0);
  }
}

/** Entry point when loaded as a worker thread. */
export function runScanWorker(): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', (job: BlockJob) => {
    try {
      scanBlock(job, (m) => port.postMessage(m));
    } catch (e) {
      port.postMessage({ type: 'error', block: job.block, message: (e as Error).stack ?? String(e) });
    }
  });
}
