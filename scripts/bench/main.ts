// `npm run bench`: measures `escalate buckets` on a generated 2 GB log against `grep -c` (a floor) and lnav
// (the peer an engineer would otherwise load the log into), on the same file in the same run; checks that
// the buckets are exactly the planted crashes; and compares per-trace parsing of V8 stacks with the npm
// packages stacktrace-parser and error-stack-parser. Figures go into docs/performance.md.
//
// BENCH_MB=500 npm run bench   — a smaller log (the default is 2048 MB).
// npm run bench -- scan | resolve | cases | replay | editor   — only one suite (resolve.ts has the resolver's:
// index, resolve, carry; cases.ts the case store's; replay.ts a 1 GB session's; editor.ts the editor's, measured
// in a real VS Code).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBytes, BucketCollector } from '../../src/core/trace';
import { writeCrashLog, type Manifest } from './crashes';
import { benchCases } from './cases';
import { benchEditor } from './editor';
import { benchReplay, replayChild } from './replay';
import { benchResolve, resolveChild } from './resolve';
import { compareV8 } from './v8';

const ROOT = path.resolve(__dirname, '..');
const WORK = path.join(ROOT, '.bench');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus');
const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.BENCH_MB ?? 2048);
const DISTINCT = 400;

/** Lines a person would call frames, in the formats of the log. */
const FRAME_LIKE = String.raw`^\s*(at |File "|#[0-9]+ |from |goroutine |Traceback|[0-9]+: )|\.go:[0-9]+|\.rb:[0-9]+:in `;

interface Run {
  seconds: number;
  maxRssMb: number;
  output: string;
}

function time(cmd: string, args: string[]): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && !(cmd === 'grep' && r.status === 1)) {
    throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  }
  const rssLine = r.stderr.trim().split('\n').pop() ?? '0';
  return { seconds, maxRssMb: Number(rssLine) / 1024, output: r.stdout };
}

function best(n: number, f: () => Run): Run {
  let b: Run | null = null;
  for (let i = 0; i < n; i++) {
    const r = f();
    if (!b || r.seconds < b.seconds) b = r;
  }
  return b!;
}

function background(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const fam of fs.readdirSync(CORPUS).sort()) {
    const dir = path.join(CORPUS, fam);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (f.endsWith('.txt'))
        out.push({ file: `${fam}/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') });
    }
  }
  return out;
}

function line(label: string, mbs: number, rss: number, extra: string): void {
  console.log(
    `  ${label.padEnd(34)} ${mbs.toFixed(1).padStart(7)} MB/s  peak RSS ${rss.toFixed(0).padStart(5)} MB  ${extra}`,
  );
}

interface BucketJson {
  signature: string;
  count: number;
  first: { line: number };
  last: { line: number };
}

/** Compares the buckets with what was planted; returns a one-line verdict. */
function verify(buckets: BucketJson[], manifest: Manifest, bg: { file: string; text: string }[]): string {
  const byFirst = new Map(buckets.map((b) => [b.first.line, b]));
  let ok = 0;
  const wrong: string[] = [];
  const matched = new Set<string>();
  for (const p of manifest.planted) {
    if (p.lines.length === 0) continue;
    const b = byFirst.get(p.lines[0]!);
    if (b && b.count === p.lines.length && b.last.line === p.lines[p.lines.length - 1]) {
      ok++;
      matched.add(b.signature);
    } else {
      wrong.push(`${p.family}#${p.id} (planted ${p.lines.length}, got ${b ? b.count : 'no bucket'})`);
    }
  }
  // Background: the signatures the corpus files have on their own.
  const expectedBg = new Set<string>();
  const files = new Set(manifest.background.map((b) => b.file));
  for (const b of bg) {
    if (!files.has(b.file)) continue;
    const c = new BucketCollector();
    for (const t of parseBytes(Buffer.from(b.text, 'utf8'))) c.add(t, b.file);
    for (const x of c.result()) expectedBg.add(x.signature);
  }
  const others = buckets.filter((b) => !matched.has(b.signature));
  const unexpected = others.filter((b) => !expectedBg.has(b.signature));
  const planted = manifest.planted.filter((p) => p.lines.length > 0).length;
  let verdict = `planted crashes: ${ok}/${planted} buckets exact (count, first, last)`;
  if (wrong.length) verdict += `; WRONG: ${wrong.slice(0, 8).join(', ')}${wrong.length > 8 ? ', …' : ''}`;
  verdict += `\n  background corpus traces: ${others.length - unexpected.length}/${expectedBg.size} of their own signatures found, ${unexpected.length} other buckets`;
  return verdict;
}

function benchBuckets(): void {
  const log = path.join(WORK, `crashes-${SIZE_MB}mb.log`);
  const manifestFile = `${log}.manifest.json`;
  const bg = background();
  if (!fs.existsSync(log) || !fs.existsSync(manifestFile)) {
    process.stderr.write(
      `generating ${path.relative(ROOT, log)} (${SIZE_MB} MB, ${DISTINCT} distinct crashes)…\n`,
    );
    const m = writeCrashLog(log, SIZE_MB * MB, DISTINCT, bg);
    fs.writeFileSync(manifestFile, JSON.stringify(m));
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const size = fs.statSync(log).size / MB;
  const traces = manifest.planted.reduce((s, p) => s + p.lines.length, 0);
  console.log(
    `\nescalate buckets on ${size.toFixed(0)} MB (${manifest.lines} lines, ${traces} planted crashes of ${DISTINCT} kinds, ${manifest.background.reduce((s, b) => s + b.count, 0)} corpus traces)`,
  );
  const runs: { label: string; run: Run }[] = [];
  for (const jobs of [1, 2]) {
    const run = best(2, () => time('node', [CLI, 'buckets', '--json', '--jobs', String(jobs), log]));
    runs.push({ label: `escalate buckets --jobs ${jobs}`, run });
  }
  const grep = best(2, () => time('grep', ['-c', '-E', FRAME_LIKE, log]));
  let lnav: Run | null = null;
  if (spawnSync('lnav', ['-V']).status === 0) {
    lnav = time('lnav', ['-n', '-c', ';SELECT count(*) FROM all_logs', log]);
  }
  const grepMbs = size / grep.seconds;
  const lnavMbs = lnav ? size / lnav.seconds : null;
  for (const { label, run } of runs) {
    const mbs = size / run.seconds;
    line(
      label,
      mbs,
      run.maxRssMb,
      `${(mbs / grepMbs).toFixed(2)}× grep${lnavMbs ? `, ${(mbs / lnavMbs).toFixed(2)}× lnav` : ''}`,
    );
  }
  line('grep -c -E frame-like (floor)', grepMbs, grep.maxRssMb, `(${grep.output.trim()} lines)`);
  if (lnav && lnavMbs)
    line(
      'lnav -n (load + count all_logs)',
      lnavMbs,
      lnav.maxRssMb,
      `(${lnav.output.trim().split('\n').pop()?.trim()} log lines)`,
    );
  else console.log('  lnav: not installed (apt-get install lnav)');
  const out = JSON.parse(runs[runs.length - 1]!.run.output) as { buckets: BucketJson[] };
  console.log(`  ${out.buckets.length} buckets; ${verify(out.buckets, manifest, bg)}`);
}

function benchScan(): void {
  fs.mkdirSync(WORK, { recursive: true });
  if (!fs.existsSync(CLI)) throw new Error('run npm run build first');
  console.log(`node ${process.version}, ${process.arch}; best of 2 runs (lnav: 1)`);
  benchBuckets();
  compareV8(path.join(CORPUS, 'nodejs'));
}

async function main(): Promise<void> {
  const what = process.argv[2] ?? 'all';
  // The resolver suite measures peak RSS in child processes of this same script.
  if (what === '--replay-child') return replayChild(process.argv[3]!);
  if (what.endsWith('-child')) return resolveChild(what);
  if (!['all', 'scan', 'resolve', 'editor', 'cases', 'replay'].includes(what)) {
    console.error(`unknown suite ${what}: npm run bench [-- scan|resolve|cases|replay|editor]`);
    process.exitCode = 2;
    return;
  }
  if (what !== 'all') console.log(`node ${process.version}, ${process.arch}`);
  if (what === 'all' || what === 'scan') benchScan();
  if (what === 'all' || what === 'resolve') {
    fs.mkdirSync(WORK, { recursive: true });
    await benchResolve();
  }
  if (what === 'all' || what === 'cases') await benchCases();
  if (what === 'all' || what === 'replay') await benchReplay();
  if (what === 'all' || what === 'editor') benchEditor();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
