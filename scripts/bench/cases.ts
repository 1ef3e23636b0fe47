// `npm run bench -- cases`: the case store at 10,000 cases and 100,000 findings in a temp folder — loading the
// Cases view (list()), appending a finding, and a handover for a 500-finding case with its code quoted from a
// real git repository — each against a baseline measured in the same run on the same files.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitRepo } from '../../src/core/git';
import {
  CaseStore,
  FINDING_KINDS,
  SEVERITIES,
  caseRows,
  groupByStatus,
  handoverReport,
  type Case,
  type JournalEntry,
} from '../../src/core/cases';
import { rng } from './generate';

const CASES = 10_000;
const FINDINGS = 100_000;
const BIG = 500;
const APPENDS = 500;
const FILES = 60;
const LINES = 400;
const RUNS = 7;
const BIG_ID = 'SR-100000';

const STATUSES = [
  'new',
  'investigating',
  'waiting-customer',
  'waiting-product',
  'hotfix-requested',
  'resolved',
] as const;

const now = (): bigint => process.hrtime.bigint();
const msSince = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6;

function row(label: string, value: string, extra = ''): void {
  console.log(`  ${label.padEnd(44)} ${value.padStart(10)}  ${extra}`);
}

const ms = (x: number): string => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Bench',
      GIT_AUTHOR_EMAIL: 'bench@example.com',
      GIT_COMMITTER_NAME: 'Bench',
      GIT_COMMITTER_EMAIL: 'bench@example.com',
    },
  });
}

function sourceFile(i: number, later: boolean): string {
  const out = [`package com.acme.svc${i};`, '', `public class Service${i} {`];
  for (let l = out.length + 1; l <= LINES; l++)
    out.push(
      later && l % 50 === 0
        ? `    // changed after 5.5.1 at line ${l}`
        : `    int line${l}() { return ${l}; }`,
    );
  return out.join('\n') + '\n';
}

/** A product repository at v5.5.1 with a later commit that changes lines, so quotes must come from the tag. */
function makeRepo(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const write = (later: boolean): void => {
    for (let i = 0; i < FILES; i++) {
      const p = path.join(dir, 'src', `svc${i}`, `Service${i}.java`);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, sourceFile(i, later));
    }
  };
  write(false);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', '5.5.1');
  git(dir, 'tag', 'v5.5.1');
  const commit = git(dir, 'rev-parse', 'HEAD').trim();
  write(true);
  git(dir, 'commit', '-qam', 'later');
  git(dir, 'remote', 'add', 'origin', 'git@github.com:acme/orders.git');
  return commit;
}

function caseJson(i: number, r: () => number, refCommit: string): Case {
  const id = `SR-${100000 + i}`;
  const created = new Date(Date.UTC(2025, 0, 1) + Math.floor(r() * 400) * 86_400_000).toISOString();
  return {
    v: 1,
    id,
    title: `Checkout fails with error ${i} after upgrade`,
    customer: `Customer ${i % 700}`,
    severity: SEVERITIES[i % 4]!,
    status: STATUSES[i % STATUSES.length]!,
    productVersion: '5.5.1',
    ref: 'v5.5.1',
    refCommit,
    workingBranch: `case/${id}-checkout-fails`,
    owner: `engineer${i % 40}`,
    nextAction: i % 3 ? { text: 'Send the patched build', due: `2026-0${1 + (i % 9)}-15` } : null,
    created,
    updated: created,
  };
}

function finding(k: number, at: string, r: () => number): JournalEntry {
  const file = Math.floor(r() * FILES);
  const start = 4 + Math.floor(r() * (LINES - 20));
  return {
    v: 1,
    id: `f${k.toString(36)}-${Math.floor(r() * 1e8).toString(16)}`,
    at,
    kind: 'finding',
    findingKind: FINDING_KINDS[k % FINDING_KINDS.length]!,
    text: `Finding ${k}: the order total is computed before the discount is applied (seen in trace ${k % 97}).`,
    ...(k % 2 === 0
      ? {
          code: {
            path: `src/svc${file}/Service${file}.java`,
            startLine: start,
            endLine: start + Math.floor(r() * 8),
          },
        }
      : {}),
  };
}

/** Writes the store directly (no fsync per file): what it holds is what the editor would have written. */
function generate(root: string, refCommit: string): void {
  const r = rng(4711);
  let left = FINDINGS;
  for (let i = 0; i < CASES; i++) {
    const c = caseJson(i, r, refCommit);
    const dir = path.join(root, c.id);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'case.json'), JSON.stringify(c, null, 2) + '\n');
    const n = i === 0 ? BIG : Math.min(left, Math.ceil((FINDINGS - BIG) / (CASES - 1)));
    left -= n;
    const { v: _v, id: _id, created: _c, updated: _u, ...fields } = c;
    const lines = [JSON.stringify({ v: 1, id: `c${i}`, at: c.created, kind: 'created', case: fields })];
    for (let k = 0; k < n; k++) lines.push(JSON.stringify(finding(k, c.created, r)));
    fs.writeFileSync(path.join(dir, 'findings.jsonl'), lines.join('\n') + '\n');
  }
}

function plainRead(root: string): number {
  let n = 0;
  for (const f of fs.readdirSync(root))
    n += (JSON.parse(fs.readFileSync(path.join(root, f, 'case.json'), 'utf8')) as Case).id.length;
  return n;
}

async function benchList(store: CaseStore): Promise<void> {
  const times: number[] = [];
  const listOnly: number[] = [];
  const base: number[] = [];
  let shown = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = now();
    const { cases } = await store.list();
    listOnly.push(msSince(t0));
    shown = groupByStatus(caseRows(cases, new Date())).reduce((s, g) => s + g.rows.length, 0);
    times.push(msSince(t0));
    const t1 = now();
    plainRead(store.root);
    base.push(msSince(t1));
  }
  const med = pct(times, 50);
  const b = pct(base, 50);
  row(
    `Cases view data (list + rows), ${shown} cases`,
    ms(med),
    `median of ${RUNS}; first ${ms(times[0]!)}; target < 300 ms ${med < 300 ? 'ok' : 'MISSED'}`,
  );
  row('  of which list()', ms(pct(listOnly, 50)), `${ratio(pct(listOnly, 50), b)} the baseline`);
  row('  baseline: readdir + readFileSync + JSON.parse', ms(b), `view data is ${ratio(med, b)} the baseline`);
}

async function timeEach(n: number, f: (i: number) => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = now();
    await f(i);
    out.push(msSince(t0));
  }
  return out;
}

async function benchAppend(store: CaseStore, dir: string): Promise<void> {
  const burst = await timeEach(APPENDS, (i) =>
    store.appendFinding('SR-100001', { findingKind: 'observation', text: `burst ${i}` }),
  );
  // Each of these cases was last updated long ago: the append also moves case.json's `updated` (an fsync more).
  const spread = await timeEach(APPENDS, (i) =>
    store.appendFinding(`SR-${100002 + i}`, { findingKind: 'observation', text: `spread ${i}` }),
  );
  const file = path.join(dir, 'plain.jsonl');
  const line =
    JSON.stringify({ v: 1, id: 'x', at: new Date().toISOString(), kind: 'finding', text: 'plain' }) + '\n';
  const bare = await timeEach(APPENDS, () => fs.appendFileSync(file, line));
  const synced = await timeEach(APPENDS, () => {
    const fd = fs.openSync(file, 'a');
    fs.writeSync(fd, line);
    fs.fdatasyncSync(fd);
    fs.closeSync(fd);
  });
  const p50 = pct(burst, 50);
  row(
    `appendFinding, ${APPENDS} to one case`,
    ms(p50),
    `p50; p99 ${ms(pct(burst, 99))}; target < 5 ms ${p50 < 5 ? 'ok' : 'MISSED'}`,
  );
  row(
    `appendFinding, ${APPENDS} to different cases`,
    ms(pct(spread, 50)),
    `p50; p99 ${ms(pct(spread, 99))} (also rewrites case.json's last update)`,
  );
  row(
    '  baseline: fs.appendFileSync',
    ms(pct(bare, 50)),
    `p50; p99 ${ms(pct(bare, 99))}; append is ${ratio(p50, pct(bare, 50))}`,
  );
  row(
    '  baseline: open + write + fdatasync + close',
    ms(pct(synced, 50)),
    `p50; p99 ${ms(pct(synced, 99))}; append is ${ratio(p50, pct(synced, 50))}`,
  );
}

async function benchHandover(store: CaseStore, repo: GitRepo): Promise<void> {
  const times: number[] = [];
  const base: number[] = [];
  let size = 0;
  let quoted = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = now();
    const { case: c, journal } = await store.load(BIG_ID);
    const text = await handoverReport(c, journal, { repos: [repo] });
    times.push(msSince(t0));
    size = text.length;
    quoted = text.split('```java').length - 1;
    const t1 = now();
    const entries = fs
      .readFileSync(path.join(store.root, BIG_ID, 'findings.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as JournalEntry);
    const paths = entries.flatMap((e) => (e.kind === 'finding' && e.code ? [e.code.path] : []));
    await repo.readFiles(c.refCommit!, paths);
    base.push(msSince(t1));
  }
  const med = pct(times, 50);
  row(
    `handover, ${BIG} findings, ${quoted} quotes`,
    ms(med),
    `median of ${RUNS}; first ${ms(times[0]!)}; ${(size / 1024).toFixed(0)} KB; target < 500 ms ${med < 500 ? 'ok' : 'MISSED'}`,
  );
  row(
    '  baseline: JSON.parse lines + readFiles at ref',
    ms(pct(base, 50)),
    `handover is ${ratio(med, pct(base, 50))} the baseline`,
  );
}

export async function benchCases(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'escalate-bench-'));
  try {
    const t0 = now();
    const refCommit = makeRepo(path.join(dir, 'repo'));
    const root = path.join(dir, 'cases');
    generate(root, refCommit);
    console.log(
      `\ncase store: ${CASES} cases, ${FINDINGS} findings in ${root} (generated in ${ms(msSince(t0))})`,
    );
    const store = new CaseStore(root);
    await benchList(store);
    await benchAppend(store, dir);
    const repo = await GitRepo.open(path.join(dir, 'repo'));
    try {
      await benchHandover(store, repo);
    } finally {
      repo.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
