// `npm run bench`: measures `escalate parse` on generated inputs against `grep -c -E` on the same files,
// in the same run, and prints MB/s, peak RSS and the ratio. Figures go into docs/performance.md.

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusTexts, ISSUE2_FAMILIES, writeConcatenated, writeMixedLog } from './generate';

const ROOT = path.resolve(__dirname, '..');
const WORK = path.join(ROOT, '.bench');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus');
const MB = 1024 * 1024;

/** Lines a person would call frames, in the formats of the parse benchmark. */
const FRAME_LIKE = String.raw`^\s*(at |bei |à |File "|#[0-9]+ |frame #|goroutine |Traceback)|\.go:[0-9]+|@.*:[0-9]+:[0-9]+$`;

interface Run {
  seconds: number;
  maxRssMb: number;
  output: string;
}

function time(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && !(cmd === 'grep' && r.status === 1)) {
    throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  }
  const rssLine = r.stderr.trim().split('\n').pop() ?? '0';
  return { seconds, maxRssMb: Number(rssLine) / 1024, output: r.stdout };
}

function ensure(file: string, make: () => void): void {
  if (fs.existsSync(file)) return;
  process.stderr.write(`generating ${path.relative(ROOT, file)}…\n`);
  make();
}

function best(n: number, f: () => Run): Run {
  let b: Run | null = null;
  for (let i = 0; i < n; i++) {
    const r = f();
    if (!b || r.seconds < b.seconds) b = r;
  }
  return b!;
}

function benchParse(label: string, file: string): void {
  const size = fs.statSync(file).size / MB;
  const grep = best(2, () => time('grep', ['-c', '-E', FRAME_LIKE, file]));
  const grepMbs = size / grep.seconds;
  const count = spawnSync('node', [CLI, 'parse', '--json', file], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const traces = (JSON.parse(count.stdout) as { traces: unknown[] }).traces.length;
  console.log(`\n${label}: ${size.toFixed(0)} MB, ${traces} traces found`);
  for (const jobs of [1, 2]) {
    const parse = best(2, () =>
      time('sh', ['-c', `node "${CLI}" parse --jobs ${jobs} --json "$1" > /dev/null`, 'sh', file]),
    );
    const mbs = size / parse.seconds;
    console.log(
      `  escalate parse --json --jobs ${jobs}  ${mbs.toFixed(1).padStart(6)} MB/s  peak RSS ${parse.maxRssMb.toFixed(0).padStart(4)} MB  ${(mbs / grepMbs).toFixed(2)}× grep`,
    );
  }
  console.log(
    `  grep -c -E (floor)               ${grepMbs.toFixed(1).padStart(6)} MB/s  peak RSS ${grep.maxRssMb.toFixed(0).padStart(4)} MB  (${grep.output.trim()} frame-like lines)`,
  );
}

function main(): void {
  fs.mkdirSync(WORK, { recursive: true });
  if (!fs.existsSync(CLI)) execFileSync('node', [path.join(ROOT, 'esbuild.mjs')], { stdio: 'inherit' });
  const traces = corpusTexts(CORPUS, ISSUE2_FAMILIES);
  const mixed = path.join(WORK, 'mixed-200mb.log');
  const concat = path.join(WORK, 'corpus-100mb.txt');
  ensure(mixed, () => writeMixedLog(mixed, 200 * MB, traces, 0.05));
  ensure(concat, () => writeConcatenated(concat, 100 * MB, traces));
  console.log(`node ${process.version}, ${process.arch}; best of 2 runs each`);
  benchParse('(a) 200 MB log, ~5% of lines in traces', mixed);
  benchParse('(b) corpus traces concatenated to 100 MB', concat);
}

main();
