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

const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
const LOGGERS = ['c.a.orders.OrderService', 'c.a.http.Server', 'c.a.db.Pool', 'c.a.auth.TokenFilter', 'main'];
const WORDS =
  'request completed order customer session cache miss hit retry timeout connection pool user id total ms bytes queue'.split(
    ' ',
  );

function logLine(r: () => number, t: number): string {
  const ts = new Date(1764115200000 + t).toISOString().replace('T', ' ').replace('Z', '');
  const level = LEVELS[Math.floor(r() * LEVELS.length)]!;
  const logger = LOGGERS[Math.floor(r() * LOGGERS.length)]!;
  const n = 4 + Math.floor(r() * 14);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(r() * WORDS.length)]!);
  return `${ts} ${level.padEnd(5)} [worker-${Math.floor(r() * 32)}] ${logger} - ${words.join(' ')} id=${Math.floor(r() * 1e6)}`;
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
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let count = 0;
  let t = 0;
  let chunk: string[] = [];
  let chunkLen = 0;
  const flush = () => {
    const s = chunk.join('\n') + '\n';
    fs.writeSync(fd, s);
    written += Buffer.byteLength(s);
    chunk = [];
    chunkLen = 0;
  };
  while (written + chunkLen < bytes) {
    t += Math.floor(r() * 50);
    const l = logLine(r, t);
    chunk.push(l);
    chunkLen += l.length + 1;
    if (r() < p) {
      const tr = pool[Math.floor(r() * pool.length)]!;
      for (const x of tr) {
        chunk.push(x);
        chunkLen += x.length + 1;
      }
      count++;
    }
    if (chunkLen > 1 << 20) flush();
  }
  flush();
  fs.closeSync(fd);
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
