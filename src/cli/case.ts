// `escalate case list|show ID|report ID`: the case store from the command line, over the same files the
// editor writes (`.escalate/cases` under the current folder unless --store says otherwise).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { GitError, GitRepo } from '../core/git';
import {
  CaseStore,
  CaseStoreError,
  FINDING_LABELS,
  SEVERITY_LABELS,
  STATUS_LABELS,
  caseRows,
  groupByStatus,
  isOverdue,
  reportText,
  writeReport,
  type Case,
  type CaseSort,
  type CaseState,
  type CurrentFinding,
} from '../core/cases';
import type { CliIO } from './main';

export const CASE_USAGE = `Usage: escalate case <command> [options]

Commands:
  list                 Every case: status, severity, customer, age, last update, next action (overdue marked)
  show ID              One case: its fields, findings (with their entry ids), evidence and journal problems
  report ID            Write the handover (handover.md in the case's folder), code quoted at the case's ref;
                       --customer writes the customer's action plan (action-plan.md) instead

Options:
  --store DIR          The case store (default: .escalate/cases under the current folder)
  --json               list, show: machine-readable output
  --sort KEY           list: severity (default), age or updated
  --customer           report: the customer-facing action plan
  -o, --output FILE    report: write to FILE instead of the case's folder ("-" for standard output)
  --repo DIR           report: a repository to quote code from (repeatable; default: the current folder)
  -h, --help           Show this help`;

interface Args {
  store: string;
  json: boolean;
  sort: CaseSort;
  customer: boolean;
  output: string | undefined;
  repos: string[];
}

function bad(io: CliIO, message: string): number {
  io.stderr.write(`escalate: ${message}\n`);
  return 2;
}

function listLine(r: ReturnType<typeof caseRows>[number]): string {
  const c = r.case;
  const next = c.nextAction
    ? `; next: ${c.nextAction.text}${c.nextAction.due ? ` (due ${c.nextAction.due}${r.overdue ? ', OVERDUE' : ''})` : ''}`
    : '';
  return `  ${c.id}  ${SEVERITY_LABELS[c.severity]}  ${c.customer || '—'}  ${c.title}  (age ${r.ageDays} d, updated ${r.lastUpdate === 'just now' ? r.lastUpdate : `${r.lastUpdate} ago`}${next})\n`;
}

async function list(store: CaseStore, a: Args, io: CliIO): Promise<number> {
  const { cases, problems } = await store.list();
  const now = new Date();
  const rows = caseRows(cases, now, a.sort);
  for (const p of problems) io.stderr.write(`escalate: warning: ${p.message}\n`);
  if (a.json) {
    const out = rows.map((r) => ({ ...r.case, ageDays: r.ageDays, overdue: r.overdue }));
    io.stdout.write(JSON.stringify({ cases: out, problems }) + '\n');
    return 0;
  }
  for (const g of groupByStatus(rows)) {
    io.stdout.write(`${g.label} (${g.rows.length})\n`);
    for (const r of g.rows) io.stdout.write(listLine(r));
  }
  io.stdout.write(`${cases.length} case${cases.length === 1 ? '' : 's'} in ${store.root}\n`);
  return 0;
}

function findingLine(f: CurrentFinding): string {
  const e = f.entry;
  const flags = [e.internal ? 'internal' : '', e.done ? 'done' : ''].filter(Boolean).join(', ');
  const code = e.code ? `  ${e.code.path}:${e.code.startLine}-${e.code.endLine}` : '';
  const text = e.text.trim().split('\n')[0] ?? '';
  return `  [${f.rootId}] ${FINDING_LABELS[e.findingKind]}${flags ? ` (${flags})` : ''}: ${text}${code}\n`;
}

function showText(c: Case, state: CaseState, io: CliIO): void {
  const w = (s: string): void => io.stdout.write(s + '\n');
  w(`${c.id}: ${c.title}`);
  w(`  customer ${c.customer || '—'}; ${SEVERITY_LABELS[c.severity]}; ${STATUS_LABELS[c.status]}`);
  w(
    `  version ${c.productVersion ?? '—'}; ref ${c.ref ?? '—'}${c.refCommit ? ` (${c.refCommit.slice(0, 12)})` : ''}`,
  );
  w(`  branch ${c.workingBranch ?? '—'}; owner ${c.owner ?? '—'}; opened ${c.created}; updated ${c.updated}`);
  if (c.nextAction)
    w(
      `  next action: ${c.nextAction.text}${c.nextAction.due ? ` (due ${c.nextAction.due}${isOverdue(c.nextAction, new Date()) ? ', OVERDUE' : ''})` : ''}`,
    );
  w(`Findings (${state.findings.length})`);
  for (const f of state.findings) io.stdout.write(findingLine(f));
  w(`Evidence (${state.evidence.length})`);
  for (const e of state.evidence) w(`  [${e.id}] ${e.name} (${e.evidenceKind}, ${e.size} bytes) ${e.file}`);
}

async function show(store: CaseStore, id: string, a: Args, io: CliIO): Promise<number> {
  const { case: c, journal, state } = await store.load(id);
  const problems = [
    ...journal.problems.map((p) => `findings.jsonl line ${p.line} skipped: ${p.error}`),
    ...(journal.torn
      ? [
          `findings.jsonl line ${journal.torn.line} is unfinished (an interrupted write); it is set aside on the next change`,
        ]
      : []),
    ...state.problems,
  ];
  for (const p of problems) io.stderr.write(`escalate: warning: ${c.id}: ${p}\n`);
  if (a.json) {
    const findings = state.findings.map((f) => ({
      ...f.entry,
      id: f.rootId,
      versionId: f.entry.id,
      firstAt: f.firstAt,
    }));
    io.stdout.write(JSON.stringify({ case: c, findings, evidence: state.evidence, problems }) + '\n');
    return 0;
  }
  showText(c, state, io);
  return 0;
}

async function openRepos(dirs: string[], explicit: boolean): Promise<GitRepo[]> {
  const repos: GitRepo[] = [];
  for (const d of dirs) {
    try {
      repos.push(await GitRepo.open(d));
    } catch (e) {
      // The current folder need not be a repository; one the user named must be.
      if (explicit || !(e instanceof GitError)) {
        for (const r of repos) r.close();
        throw e;
      }
    }
  }
  return repos;
}

async function report(store: CaseStore, id: string, a: Args, io: CliIO): Promise<number> {
  const repos = a.customer ? [] : await openRepos(a.repos.length ? a.repos : ['.'], a.repos.length > 0);
  try {
    if (a.output === undefined) {
      const { file } = await writeReport(store, id, { customer: a.customer, repos });
      io.stdout.write(`${path.relative('.', file) || file}\n`);
      return 0;
    }
    const { text } = await reportText(store, id, { customer: a.customer, repos });
    if (a.output === '-') io.stdout.write(text);
    else fs.writeFileSync(a.output, text);
    return 0;
  } finally {
    for (const r of repos) r.close();
  }
}

function parse(argv: string[]): { args: Args; positionals: string[]; help: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      store: { type: 'string' },
      json: { type: 'boolean', default: false },
      sort: { type: 'string', default: 'severity' },
      customer: { type: 'boolean', default: false },
      output: { type: 'string', short: 'o' },
      repo: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!['severity', 'age', 'updated'].includes(values.sort))
    throw new Error(`--sort wants severity, age or updated, not ${JSON.stringify(values.sort)}`);
  const args: Args = {
    store: values.store ?? CaseStore.defaultRoot(process.cwd()),
    json: values.json,
    sort: values.sort as CaseSort,
    customer: values.customer,
    output: values.output,
    repos: values.repo,
  };
  return { args, positionals, help: values.help };
}

/** `escalate case …` with the arguments after `case`; 0 on success, 2 with a one-line message otherwise. */
export async function caseCommand(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    return bad(io, (e as Error).message);
  }
  const { args, positionals, help } = parsed;
  const [command, id, ...extra] = positionals;
  if (help || command === undefined) {
    io.stdout.write(CASE_USAGE + '\n');
    return help ? 0 : 2;
  }
  const store = new CaseStore(args.store);
  try {
    if (command === 'list')
      return extra.length || id !== undefined
        ? bad(io, 'case list takes no arguments')
        : await list(store, args, io);
    if (command !== 'show' && command !== 'report')
      return bad(io, `unknown case command '${command}' (try escalate case --help)`);
    if (id === undefined || extra.length) return bad(io, `case ${command} needs one case ID`);
    return command === 'show' ? await show(store, id, args, io) : await report(store, id, args, io);
  } catch (e) {
    if (e instanceof CaseStoreError || e instanceof GitError) return bad(io, e.message);
    if ((e as NodeJS.ErrnoException).code !== undefined) return bad(io, (e as Error).message);
    throw e;
  }
}
