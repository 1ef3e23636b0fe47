// Generates the benchmark inputs: realistic logs with traces mixed in, deterministic for a given seed.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Small deterministic PRNG (mulberry32), so every run measures the same file. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every family in the corpus (every folder). */
export function allFamilies(corpusDir: string): string[] {
  return fs
    .readdirSync(corpusDir)
    .filter((d) => fs.statSync(path.join(corpusDir, d)).isDirectory())
    .sort();
}

export function corpusTexts(corpusDir: string, families: readonly string[]): string[] {
  const out: string[] = [];
  for (const fam of families) {
    const dir = path.join(corpusDir, fam);
    for (const f of fs.readdirSync(dir).sort()) {
      if (f.endsWith('.txt')) out.push(fs.readFileSync(path.join(dir, f), 'utf8'));
    }
  }
  return out;
}

/** What ordinary log lines are made of. */
export interface Vocabulary {
  levels: readonly string[];
  words: readonly string[];
}

export const VOCABULARY: Vocabulary = {
  levels: ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'],
  words:
    'request completed order customer session cache miss hit retry timeout connection pool user id total ms bytes queue'.split(
      ' ',
    ),
};
const LOGGERS = ['c.a.orders.OrderService', 'c.a.http.Server', 'c.a.db.Pool', 'c.a.auth.TokenFilter', 'main'];

/** The log's timestamp `t` milliseconds after its start, as logback writes it. */
export function timestamp(t: number): string {
  return new Date(1764115200000 + t).toISOString().replace('T', ' ').replace('Z', '');
}

/** One ordinary logback-style line. */
export function logLine(r: () => number, t: number, vocabulary: Vocabulary = VOCABULARY): string {
  const { levels, words } = vocabulary;
  const level = levels[Math.floor(r() * levels.length)]!;
  const logger = LOGGERS[Math.floor(r() * LOGGERS.length)]!;
  const n = 4 + Math.floor(r() * 14);
  const message: string[] = [];
  for (let i = 0; i < n; i++) message.push(words[Math.floor(r() * words.length)]!);
  return `${timestamp(t)} ${level.padEnd(5)} [worker-${Math.floor(r() * 32)}] ${logger} - ${message.join(' ')} id=${Math.floor(r() * 1e6)}`;
}

/** Writes lines to a file in 1 MB batches, counting lines and bytes. */
export class LineWriter {
  private readonly fd: number;
  private batch: string[] = [];
  private batchLength = 0;
  /** Bytes written so far, including the batch not yet flushed. */
  bytes = 0;
  lines = 0;

  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  push(line: string): void {
    this.batch.push(line);
    this.batchLength += line.length + 1;
    this.bytes += Buffer.byteLength(line) + 1;
    this.lines++;
    if (this.batchLength > 1 << 20) this.flush();
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    fs.writeSync(this.fd, this.batch.join('\n') + '\n');
    this.batch = [];
    this.batchLength = 0;
  }
}

/**
 * Writes a log of about `bytes` bytes where about `traceShare` of the lines are inside traces taken from
 * `traces`. Returns the number of traces written.
 */
export function writeMixedLog(
  file: string,
  bytes: number,
  traces: readonly string[],
  traceShare: number,
  seed = 1,
): number {
  const r = rng(seed);
  const pool = traces.map((t) => t.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n'));
  const avgLen = pool.reduce((s, t) => s + t.length, 0) / pool.length;
  // Chance after an ordinary line that a trace follows, so that traceShare of all lines are trace lines.
  const p = traceShare / (1 - traceShare) / avgLen;
  const out = new LineWriter(file);
  let count = 0;
  let t = 0;
  while (out.bytes < bytes) {
    t += Math.floor(r() * 50);
    out.push(logLine(r, t));
    if (r() < p) {
      for (const x of pool[Math.floor(r() * pool.length)]!) out.push(x);
      count++;
    }
  }
  out.close();
  return count;
}

/** Concatenates the traces, separated by a blank line, until the file reaches `bytes`. */
export function writeConcatenated(file: string, bytes: number, traces: readonly string[]): void {
  const block = traces.map((t) => t.replace(/\n+$/, '') + '\n\n').join('');
  const fd = fs.openSync(file, 'w');
  let written = 0;
  while (written < bytes) {
    fs.writeSync(fd, block);
    written += Buffer.byteLength(block);
  }
  fs.closeSync(fd);
}
