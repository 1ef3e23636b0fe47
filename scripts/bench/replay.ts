// `npm run bench -- replay`: on a generated session (1 GB: ~4.5 million events, 16 threads, variables on most
// events) measures opening it against `wc -l` on the same file in the same run, building the key index, p50/p99
// of the requests a debugger makes at the start, middle and end (after a short warm-up), reverse-continue to a
// breakpoint ~4 million events back, and the peak RSS of a child process doing all that (through
// /usr/bin/time, as resolve.ts does). BENCH_REPLAY_MB=100 for a smaller session. main.ts runs
// `benchReplay()` and hands `--replay-child FILE` to `replayChild`.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SessionFile } from '../../src/core/replay/reader';
import { ReplayRuntime } from '../../src/core/replay/runtime';
import { rng } from './generate';

/** The repository: dist/bench.js sits one level down, this file (run from the sources) two. */
const ROOT = path.resolve(__dirname, path.basename(__dirname) === 'dist' ? '..' : '../..');
const WORK = path.join(ROOT, '.bench');
const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.BENCH_REPLAY_MB ?? 1024);
/** Bump when the generated session changes, so that an old copy is rebuilt rather than measured. */
const GEN_VERSION = 5;
const SEED = 7;
const THREADS = 16;
const PLANTED = { file: 'src/bench/Planted.java', line: 7, function: 'bench.Planted.here' };
/** Requests timed per kind and place. */
const SAMPLES = 200;

interface Manifest {
  version: number;
  bytes: number;
  events: number;
  planted: number;
}

// ---------------------------------------------------------------------------------------------------------
// The session: threads run a small program (calls, returns, lines moving on), recording locals as they go.

interface Fn {
  name: string;
  file: string;
  /** First line of the body; bodies are BODY lines long. */
  line: number;
  /** The functions it calls, each from its own line. */
  callees: number[];
}

interface Frame {
  fn: Fn;
  line: number;
  i: number;
}

const BODY = 30;
const MAX_DEPTH = 3;

/** 300 functions in 40 classes, each calling 3 others from fixed lines (a call graph, as real code has). */
function program(next: () => number): Fn[] {
  const fns: Fn[] = [];
  for (let k = 0; k < 300; k++) {
    const cls = `s${k % 8}.C${k % 40}`;
    const callees = [0, 1, 2].map(() => Math.floor(next() * 300));
    fns.push({
      name: `${cls}.f${k}`,
      file: `s${k % 8}/C${k % 40}.java`,
      line: 10 + Math.floor(next() * 400),
      callees,
    });
  }
  return fns;
}

function frameJson(f: Frame, withLocals: boolean, next: () => number): string {
  const head = `{"function":"${f.fn.name}","file":"${f.fn.file}","line":${f.line}`;
  if (!withLocals) return `${head}}`;
  const order =
    next() < 0.1
      ? `,{"name":"order","value":"Order@${f.i % 97}","type":"Order","children":[{"name":"total","value":"${f.i % 13}","type":"int"}]}`
      : '';
  return `${head},"scopes":[{"name":"Locals","variables":[{"name":"i","value":"${f.i}","type":"int"}${order}]}]}`;
}

class SessionWriter {
  private readonly next = rng(SEED);
  private readonly fns = program(this.next);
  private readonly stacks: Frame[][] = [];
  private t = 0;
  events = 0;

  constructor() {
    for (let k = 0; k < THREADS; k++) {
      const run: Fn = {
        name: 'worker.Main.run',
        file: 'worker/Main.java',
        line: 20,
        callees: [k, k + 100, k + 200],
      };
      this.stacks.push([{ fn: run, line: 20, i: 0 }]);
    }
  }

  header(): string {
    const threads = this.stacks.map((_, k) => ({ id: `w${k}`, name: `worker-${k}` }));
    return JSON.stringify({
      format: 'escalate-session',
      version: 1,
      program: 'bench',
      product: { version: '1.0.0' },
      threads,
      clock: { unit: 'us' },
    });
  }

  private act(stack: Frame[]): void {
    const top = stack[stack.length - 1]!;
    const r = this.next();
    if (r < 0.3 && stack.length < MAX_DEPTH) {
      const c = Math.floor(this.next() * 3);
      const fn = this.fns[top.fn.callees[c] ?? 0]!;
      top.line = top.fn.line + 5 + 7 * c;
      stack.push({ fn, line: fn.line, i: 0 });
    } else if (r < 0.6 && stack.length > 1) {
      stack.pop();
      const caller = stack[stack.length - 1]!;
      caller.line = caller.fn.line + ((caller.line - caller.fn.line + 1) % BODY);
    } else {
      top.line = top.fn.line + ((top.line - top.fn.line + 1) % BODY);
      top.i++;
    }
  }

  /** One event line; `planted` puts thread 0 into the planted function for this one event. */
  event(planted: boolean): string {
    const k = planted ? 0 : Math.floor(this.next() * THREADS);
    const stack = this.stacks[k]!;
    this.act(stack);
    const frames = [...stack].reverse();
    if (planted) {
      const fn: Fn = { name: PLANTED.function, file: PLANTED.file, line: 1, callees: [] };
      frames.unshift({ fn, line: PLANTED.line, i: 0 });
    }
    const withLocals = this.next() < 0.9;
    const stackJson = frames.map((f, n) => frameJson(f, withLocals && n === 0, this.next)).join(',');
    const r = this.next();
    const extra =
      r < 0.02
        ? `,"kind":"log","log":{"level":"info","message":"processed batch ${this.events}"}`
        : r < 0.0202
          ? `,"kind":"exception","exception":{"type":"java.lang.IllegalStateException","message":"bad state"}`
          : '';
    this.t += 1 + Math.floor(this.next() * 20);
    this.events++;
    return `{"t":${this.t},"thread":"w${k}","stack":[${stackJson}]${extra}}\n`;
  }
}

/** The first lines of the generated session (header, then `events` events), for the format tests. */
export function generatedLines(events: number): string[] {
  const w = new SessionWriter();
  const lines = [w.header()];
  for (let k = 0; k < events; k++) lines.push(w.event(k === events >> 1).trimEnd());
  return lines;
}

function generate(file: string, bytes: number): Manifest {
  const w = new SessionWriter();
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let planted = -1;
  let chunk = `${w.header()}\n`;
  const flush = (): void => {
    written += fs.writeSync(fd, chunk);
    chunk = '';
  };
  while (written + chunk.length < bytes) {
    const plant = planted < 0 && written >= bytes * 0.1;
    if (plant) planted = w.events;
    chunk += w.event(plant);
    if (chunk.length > 4 * MB) flush();
  }
  flush();
  fs.closeSync(fd);
  const m: Manifest = { version: GEN_VERSION, bytes: fs.statSync(file).size, events: w.events, planted };
  fs.writeFileSync(`${file}.manifest.json`, JSON.stringify(m));
  return m;
}

/** The session file, generated once and reused while its size and generator version match. */
function benchSession(): { file: string; manifest: Manifest } {
  fs.mkdirSync(WORK, { recursive: true });
  const file = path.join(WORK, `replay-${SIZE_MB}mb.jsonl`);
  const mf = `${file}.manifest.json`;
  if (fs.existsSync(file) && fs.existsSync(mf)) {
    const m = JSON.parse(fs.readFileSync(mf, 'utf8')) as Manifest;
    if (m.version === GEN_VERSION && m.bytes === fs.statSync(file).size) return { file, manifest: m };
  }
  process.stderr.write(`generating ${path.relative(ROOT, file)} (${SIZE_MB} MB)…\n`);
  return { file, manifest: generate(file, SIZE_MB * MB) };
}

// ---------------------------------------------------------------------------------------------------------
// Measuring

function row(label: string, value: string, extra = ''): void {
  console.log(`  ${label.padEnd(44)} ${value.padStart(10)}  ${extra}`);
}

const ms = (s: number): string => `${(s * 1000).toFixed(0)} ms`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

function since(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function wcLines(file: string): { seconds: number; lines: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('wc', ['-l', file], { encoding: 'utf8' });
  const seconds = since(t0);
  if (r.status !== 0) throw new Error(`wc failed: ${r.stderr}`);
  return { seconds, lines: Number(r.stdout.trim().split(/\s/)[0]) };
}

async function openOnce(file: string): Promise<{ seconds: number; events: number }> {
  const t0 = process.hrtime.bigint();
  const r = await SessionFile.open(file);
  const seconds = since(t0);
  if (!r.ok) throw new Error(r.error.message);
  const events = r.session.eventCount;
  r.session.close();
  return { seconds, events };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/** p50 / p99 in ms of one kind of request. */
function quantiles(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `${percentile(s, 50).toFixed(2)} / ${percentile(s, 99).toFixed(2)}`;
}

const KINDS = [
  'stackTrace',
  'variables',
  'next',
  'stepIn',
  'stepOut',
  'stepBack',
  'reverseStepIn',
  'reverseStepOut',
] as const;
type Kind = (typeof KINDS)[number];

async function timed(f: () => unknown): Promise<number> {
  const t0 = process.hrtime.bigint();
  await f();
  return since(t0) * 1000;
}

/** What the adapter asks after a stop: the stack, then every scope's variables and their first children. */
function variablesRequest(rt: ReplayRuntime): void {
  for (const scope of rt.scopes(rt.currentThreadId, 0)) {
    for (const v of rt.variables(scope.variablesReference))
      if (v.variablesReference) rt.variables(v.variablesReference);
  }
}

async function request(rt: ReplayRuntime, kind: Kind): Promise<void> {
  const t = rt.currentThreadId;
  if (kind === 'stackTrace') rt.stack(t);
  else if (kind === 'variables') variablesRequest(rt);
  else await rt[kind](t);
}

async function latencies(rt: ReplayRuntime, events: number): Promise<void> {
  const places: [string, number][] = [
    ['start', 1000],
    ['middle', Math.floor(events / 2)],
    ['end', events - 1000 - SAMPLES * 7],
  ];
  // Warm-up away from the places measured, so that the first samples do not time the JIT compiling the code.
  for (let k = 0; k < 20; k++) {
    for (const kind of KINDS) {
      await rt.jumpToIndex(Math.floor(events / 4) + k * 101);
      await request(rt, kind);
    }
  }
  const head = places.map(([p]) => p.padStart(14)).join('');
  console.log(`  p50 / p99 ms per request (${SAMPLES} each, after a warm-up)${head}`);
  for (const kind of KINDS) {
    const cells: string[] = [];
    for (const [, at] of places) {
      const samples: number[] = [];
      for (let k = 0; k < SAMPLES; k++) {
        await rt.jumpToIndex(at + k * 7);
        samples.push(await timed(() => request(rt, kind)));
      }
      cells.push(quantiles(samples).padStart(14));
    }
    console.log(`  ${kind.padEnd(44)}${cells.join('')}`);
  }
}

async function openRuntime(file: string): Promise<{ rt: ReplayRuntime; indexSeconds: number }> {
  const r = await ReplayRuntime.open(file);
  if (!r.ok) throw new Error(r.error.message);
  const t0 = process.hrtime.bigint();
  const state = await r.runtime.whenIndexed();
  if (state.state !== 'ready') throw new Error(`index ${state.state}: ${state.error ?? ''}`);
  return { rt: r.runtime, indexSeconds: since(t0) };
}

/** From the last event back to the planted breakpoint; the stop must be exactly there. */
async function reverseToPlanted(rt: ReplayRuntime, m: Manifest): Promise<number> {
  rt.setBreakpoints(PLANTED.file, [{ line: PLANTED.line }]);
  await rt.jumpToIndex(m.events - 1);
  const t0 = process.hrtime.bigint();
  const stop = await rt.reverseContinue();
  const seconds = since(t0);
  if (stop.reason.kind !== 'breakpoint' || stop.index !== m.planted) {
    throw new Error(`reverse-continue stopped at ${stop.index} (${stop.reason.kind}), not at ${m.planted}`);
  }
  rt.setBreakpoints(PLANTED.file, []);
  return seconds;
}

/** `--replay-child FILE`: open, index, a few requests and the reverse-continue; reports its peak RSS. */
export async function replayChild(file: string): Promise<void> {
  const manifest = JSON.parse(fs.readFileSync(`${file}.manifest.json`, 'utf8')) as Manifest;
  const { rt } = await openRuntime(file);
  for (const at of [1000, Math.floor(manifest.events / 2), manifest.events - 1000]) {
    await rt.jumpToIndex(at);
    for (const kind of KINDS) await request(rt, kind);
  }
  await reverseToPlanted(rt, manifest);
  process.stdout.write(JSON.stringify({ maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB }));
  await rt.close();
}

/** Peak RSS of a child through /usr/bin/time (Linux keeps the high-water mark across fork, so not directly). */
function childRss(file: string): number {
  const argv = [...process.execArgv, process.argv[1]!, '--replay-child', file];
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...argv], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`replay child failed: ${r.stderr.slice(0, 2000)}`);
  return Number(r.stderr.trim().split('\n').pop()) / 1024;
}

export async function benchReplay(): Promise<void> {
  const { file, manifest } = benchSession();
  console.log(
    `\nreplay on ${path.relative(ROOT, file)}: ${(manifest.bytes / MB).toFixed(0)} MB, ${manifest.events} events, ` +
      `${THREADS} threads`,
  );
  let wc = wcLines(file);
  let open = await openOnce(file);
  for (let k = 1; k < 3; k++) {
    const w = wcLines(file);
    const o = await openOnce(file);
    if (w.seconds < wc.seconds) wc = w;
    if (o.seconds < open.seconds) open = o;
  }
  if (open.events !== manifest.events)
    throw new Error(`opened ${open.events} events, wrote ${manifest.events}`);
  row(
    'open (offsets of every event)',
    ms(open.seconds),
    `${ratio(open.seconds, wc.seconds)} wc -l (target ≤ 1.5×)`,
  );
  row('wc -l (baseline, best of 3)', ms(wc.seconds), `${wc.lines} lines`);
  const { rt, indexSeconds } = await openRuntime(file);
  row(
    'key index (worker thread, after open)',
    ms(indexSeconds),
    `${(manifest.bytes / MB / indexSeconds).toFixed(0)} MB/s`,
  );
  await latencies(rt, manifest.events);
  const back = await reverseToPlanted(rt, manifest);
  row(
    `reverse-continue to a breakpoint ${((manifest.events - 1 - manifest.planted) / 1e6).toFixed(1)}M events back`,
    ms(back),
    '(target < 200 ms)',
  );
  await rt.close();
  row('peak RSS: open + index + requests + reverse', `${childRss(file).toFixed(0)} MB`, '(target < 200 MB)');
}
