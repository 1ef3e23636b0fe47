// Reports from a case and its journal: the handover for the next engineer (everything, with each finding's code
// quoted as it is at the customer's ref, read in one batch per repository) and the customer's action plan
// (customer-facing kinds only: no observations, internal findings, code, paths or commits).

import * as path from 'node:path';
import { GitError, validatePath, type GitRepo } from '../git';
import { foldJournal, type CaseState, type CurrentFinding, type JournalRead } from './journal';
import { md, mdBlock, mdCode, mdFence } from './markdown';
import {
  CUSTOMER_FACING,
  FINDING_LABELS,
  SEVERITY_LABELS,
  STATUS_LABELS,
  type Case,
  type CodeRef,
  type FindingKind,
  type JournalEntry,
} from './model';
import { permalink } from './permalink';
import type { CaseStore } from './store';
import { isOverdue, since } from './view';

export const HANDOVER_FILE = 'handover.md';
export const ACTION_PLAN_FILE = 'action-plan.md';
/** More lines than this of one finding's code are cut (the link and path say where the rest is). */
const MAX_QUOTED = 60;

export interface ReportOptions {
  /** Repositories to quote code from; a finding's `code.repo` names one by folder name, else the first. */
  repos?: GitRepo[];
  now?: Date;
}

/** A finding's code at the case's ref, or why it could not be quoted. */
interface Quote {
  text: string | null;
  ref: string;
  /** Why there is no text, or what differs from what was recorded. */
  note?: string;
  link?: string | null;
}

interface RepoAtRef {
  repo: GitRepo;
  commit: string | null;
  why?: string;
  remote: string | null;
}

const ORDER: FindingKind[] = ['root-cause', 'workaround', 'action-item', 'question', 'observation'];

function when(iso: string): string {
  return Number.isNaN(Date.parse(iso)) ? md(iso) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function firstLine(text: string, max = 100): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function ago(iso: string, now: Date): string {
  const s = since(iso, now);
  return s === 'just now' || s === '?' ? s : `${s} ago`;
}

const HEADINGS: Record<FindingKind, string> = {
  'root-cause': 'Root cause',
  workaround: 'Workarounds',
  'action-item': 'Action items',
  question: 'Questions for the customer',
  observation: 'Observations',
};

function repoName(r: GitRepo): string {
  return path.basename(r.root);
}

/** Where the case's ref is in one repository: the recorded commit, else the ref by name. */
async function atRef(c: Case, repo: GitRepo): Promise<RepoAtRef> {
  const remote = await repo.remoteUrl().catch(() => null);
  for (const what of [c.refCommit, c.ref]) {
    if (!what) continue;
    try {
      return { repo, commit: (await repo.resolveRef(what)).commit, remote };
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
    }
  }
  const why = c.ref ? `${c.ref} is not in ${repoName(repo)}` : 'the case has no ref';
  return { repo, commit: null, why, remote };
}

function excerpt(lines: readonly string[], code: CodeRef): { text: string; cut: boolean } | null {
  if (code.startLine > lines.length) return null;
  const end = Math.min(code.endLine, lines.length, code.startLine + MAX_QUOTED - 1);
  return { text: lines.slice(code.startLine - 1, end).join('\n'), cut: end < code.endLine };
}

/** Every finding's code at the case's ref: one readFiles per repository for all its findings. */
async function quoteAll(c: Case, findings: CurrentFinding[], repos: GitRepo[]): Promise<Map<string, Quote>> {
  const out = new Map<string, Quote>();
  const withCode = findings.filter((f) => f.entry.code);
  if (withCode.length === 0) return out;
  const refName = c.ref ?? c.refCommit?.slice(0, 12) ?? "the customer's version";
  if (repos.length === 0) {
    for (const f of withCode)
      out.set(f.rootId, { text: null, ref: refName, note: 'no repository to quote from' });
    return out;
  }
  const byRepo = new Map<GitRepo, CurrentFinding[]>();
  for (const f of withCode) {
    const name = f.entry.code!.repo;
    const repo = (name ? repos.find((r) => repoName(r) === name) : undefined) ?? repos[0]!;
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), f]);
  }
  for (const [repo, fs] of byRepo) {
    const at = await atRef(c, repo);
    if (at.commit === null) {
      for (const f of fs) out.set(f.rootId, { text: null, ref: refName, note: at.why! });
      continue;
    }
    const safe = fs.filter((f) => {
      const problem = pathProblem(f.entry.code!.path);
      if (problem) out.set(f.rootId, { text: null, ref: refName, note: problem });
      return problem === null;
    });
    const files = await repo.readFiles(
      at.commit,
      safe.map((f) => f.entry.code!.path),
    );
    // Several findings often quote one file: it is decoded and split once.
    const lines = new Map([...files].map(([p, data]) => [p, data && data.toString('utf8').split('\n')]));
    for (const f of safe) out.set(f.rootId, quoteOne(f.entry.code!, lines, at, refName));
  }
  return out;
}

function pathProblem(p: string): string | null {
  try {
    validatePath(p);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function quoteOne(code: CodeRef, files: Map<string, string[] | null>, at: RepoAtRef, ref: string): Quote {
  const lines = files.get(code.path);
  if (!lines) return { text: null, ref, note: `${code.path} is not in ${ref}` };
  const ex = excerpt(lines, code);
  if (!ex) return { text: null, ref, note: `${code.path} has fewer than ${code.startLine} lines in ${ref}` };
  const link = at.remote ? permalink(at.remote, at.commit!, code.path, code) : null;
  const notes: string[] = [];
  if (ex.cut) notes.push(`the first ${MAX_QUOTED} lines of ${code.endLine - code.startLine + 1}`);
  if (code.excerpt !== undefined && code.excerpt.trimEnd() !== ex.text.trimEnd())
    notes.push(
      `the excerpt recorded with the finding${code.ref ? ` at ${code.ref}` : ''} differs: the code here is the customer's`,
    );
  return { text: ex.text, ref, link, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

function originLine(f: CurrentFinding): string | null {
  const o = f.entry.from;
  if (!o) return null;
  switch (o.type) {
    case 'frame':
      return `From frame ${mdCode(firstLine(o.frame, 200))}${o.trace ? ` of ${md(firstLine(o.trace))}` : ''}`;
    case 'trace':
      return `From trace ${md(firstLine(o.title))}`;
    case 'log':
      return `From log line ${mdCode(firstLine(o.text, 200))}${o.file ? ` (${md(o.file)}${o.line ? `:${o.line}` : ''})` : ''}`;
    default:
      return null;
  }
}

function codeSection(code: CodeRef, q: Quote | undefined): string[] {
  const where = `${mdCode(code.path)} lines ${code.startLine}–${code.endLine}`;
  if (!q) return [];
  const link = q.link ? ` ([link](<${q.link}>))` : '';
  const out = [`${where} at ${mdCode(q.ref)}${link}:`, ''];
  if (q.text !== null) out.push(mdFence(q.text, code.path));
  else if (code.excerpt)
    out.push(
      `Not quoted: ${md(q.note ?? '')}. As recorded${code.ref ? ` at ${mdCode(code.ref)}` : ''}:`,
      '',
      mdFence(code.excerpt, code.path),
    );
  else out.push(`Not quoted: ${md(q.note ?? '')}.`);
  if (q.text !== null && q.note) out.push('', `*Note: ${md(q.note)}.*`);
  return out;
}

function findingSection(f: CurrentFinding, n: number, quotes: Map<string, Quote>): string[] {
  const e = f.entry;
  const flags = [
    e.internal ? 'internal' : '',
    e.done ? 'done' : '',
    f.earlier.length ? `edited ${f.earlier.length}×` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const title = firstLine(e.text);
  const out = [`#### ${n}. ${md(title)}`, '', `*${when(f.firstAt)}${flags ? ` · ${flags}` : ''}*`];
  // The heading says it all when the text is one short line.
  if (title !== e.text.trim()) out.push('', mdBlock(e.text));
  const origin = originLine(f);
  if (origin) out.push('', origin);
  if (e.code) out.push('', ...codeSection(e.code, quotes.get(f.rootId)));
  return [...out, ''];
}

function timelineLine(e: JournalEntry, kinds: Map<string, FindingKind>): string {
  const at = when(e.at);
  switch (e.kind) {
    case 'created':
      return `- ${at} — case opened: ${md(e.case.title)}`;
    case 'status':
      return `- ${at} — status ${e.from ? `${STATUS_LABELS[e.from] ?? md(String(e.from))} → ` : ''}${STATUS_LABELS[e.to]}${e.note ? `: ${md(e.note)}` : ''}`;
    case 'next-action':
      return e.nextAction
        ? `- ${at} — next action: ${md(e.nextAction.text)}${e.nextAction.due ? ` (due ${md(e.nextAction.due)})` : ''}`
        : `- ${at} — next action cleared`;
    case 'edited':
      return `- ${at} — edited ${Object.keys(e.changes).map(md).join(', ')}`;
    case 'finding':
      return `- ${at} — ${FINDING_LABELS[e.findingKind].toLowerCase()} ${e.supersedes ? 'edited' : 'added'}: ${md(firstLine(e.text))}`;
    case 'retraction': {
      const k = kinds.get(e.retracts);
      return `- ${at} — ${k ? FINDING_LABELS[k].toLowerCase() : 'entry'} ${md(e.retracts)} retracted${e.reason ? `: ${md(e.reason)}` : ''}`;
    }
    case 'evidence':
      return `- ${at} — evidence added: ${md(e.name)} (${e.evidenceKind}, ${e.size} bytes)`;
  }
}

function header(c: Case, now: Date): string[] {
  const ref = c.ref
    ? `${mdCode(c.ref)}${c.refCommit ? ` (commit ${mdCode(c.refCommit.slice(0, 12))})` : ''}`
    : 'not set';
  return [
    `- **Customer:** ${md(c.customer) || '—'}`,
    `- **Severity:** ${SEVERITY_LABELS[c.severity]}`,
    `- **Status:** ${STATUS_LABELS[c.status]}`,
    `- **Owner:** ${md(c.owner ?? '') || '—'}`,
    `- **Product version:** ${md(c.productVersion ?? '') || '—'}; **ref:** ${ref}`,
    `- **Working branch:** ${c.workingBranch ? mdCode(c.workingBranch) : '—'}`,
    `- **Opened:** ${when(c.created)} (${ago(c.created, now)}); **last update:** ${when(c.updated)}`,
  ];
}

function nextActionLine(c: Case, now: Date): string {
  const n = c.nextAction;
  if (!n) return 'No next action is set.';
  const due = n.due ? ` — due ${md(n.due)}${isOverdue(n, now) ? ' **(overdue)**' : ''}` : '';
  return `${md(n.text)}${due}`;
}

function open(state: CaseState, kind: FindingKind): CurrentFinding[] {
  return state.findings.filter((f) => f.entry.findingKind === kind && !f.entry.done);
}

function firstSteps(c: Case, state: CaseState, now: Date): string[] {
  const steps: string[] = [];
  if (c.nextAction) steps.push(nextActionLine(c, now));
  const questions = open(state, 'question');
  if (questions.length)
    steps.push(
      `Chase the customer's answers to ${questions.length} open question${questions.length === 1 ? '' : 's'} (below).`,
    );
  for (const a of open(state, 'action-item')) steps.push(md(firstLine(a.entry.text)));
  if (!state.findings.some((f) => f.entry.findingKind === 'root-cause'))
    steps.push('No root cause is recorded: start from the evidence and the observations below.');
  if (steps.length === 0) steps.push('Review the findings below and set a next action.');
  return steps.map((s, i) => `${i + 1}. ${s}`);
}

function summary(c: Case, state: CaseState): string[] {
  const roots = state.findings.filter((f) => f.entry.findingKind === 'root-cause');
  const lead = roots.length
    ? `Root cause: ${roots.map((r) => md(firstLine(r.entry.text, 200))).join('; ')}`
    : 'No root cause recorded yet.';
  const counts = `${state.findings.length} finding${state.findings.length === 1 ? '' : 's'}, ${state.evidence.length} piece${state.evidence.length === 1 ? '' : 's'} of evidence, ${open(state, 'question').length} open question${open(state, 'question').length === 1 ? '' : 's'}.`;
  return [`${md(c.title)}. ${lead}`, '', counts];
}

function problemsSection(journal: JournalRead, state: CaseState): string[] {
  const lines = [
    ...journal.problems.map((p) => `- findings.jsonl line ${p.line} skipped: ${md(p.error)}`),
    ...(journal.torn
      ? [
          `- findings.jsonl line ${journal.torn.line} is unfinished (a write was interrupted): ${mdCode(journal.torn.text)}`,
        ]
      : []),
    ...state.problems.map((p) => `- ${md(p)}`),
  ];
  return lines.length ? ['## Journal problems', '', ...lines, ''] : [];
}

/** The document from its blocks, with never more than one blank line between them. */
function lines(blocks: string[]): string {
  const kept = blocks.filter((b, i) => b !== '' || (i > 0 && blocks[i - 1] !== ''));
  while (kept.at(-1) === '') kept.pop();
  return kept.join('\n') + '\n';
}

/** The handover: everything the next engineer needs, code quoted at the customer's ref. */
export async function handoverReport(
  c: Case,
  journal: JournalRead,
  opts: ReportOptions = {},
): Promise<string> {
  return handover(c, journal, foldJournal(journal.entries), opts);
}

async function handover(
  c: Case,
  journal: JournalRead,
  state: CaseState,
  opts: ReportOptions,
): Promise<string> {
  const now = opts.now ?? new Date();
  const quotes = await quoteAll(c, state.findings, opts.repos ?? []);
  const out = [
    `# Handover: ${md(c.id)} — ${md(c.title)}`,
    '',
    ...header(c, now),
    '',
    '## Summary',
    '',
    ...summary(c, state),
    '',
  ];
  out.push(
    '## Status and next action',
    '',
    `${STATUS_LABELS[c.status]}. Next action: ${nextActionLine(c, now)}`,
    '',
  );
  out.push('## What to do first', '', ...firstSteps(c, state, now), '');
  out.push('## Findings', '');
  if (state.findings.length === 0) out.push('No findings yet.', '');
  for (const kind of ORDER) {
    const fs = state.findings.filter((f) => f.entry.findingKind === kind);
    if (fs.length === 0) continue;
    out.push(`### ${HEADINGS[kind]}`, '');
    fs.forEach((f, i) => out.push(...findingSection(f, i + 1, quotes)));
  }
  const questions = open(state, 'question');
  out.push(
    '## Open questions',
    '',
    ...(questions.length ? questions.map((q) => `- ${md(firstLine(q.entry.text, 300))}`) : ['None.']),
    '',
  );
  out.push(
    '## Evidence',
    '',
    ...(state.evidence.length
      ? state.evidence.map(
          (e) =>
            `- ${md(e.name)} (${e.evidenceKind}, ${e.size} bytes, added ${when(e.at)}): ${mdCode(e.file)}`,
        )
      : ['None attached.']),
    '',
  );
  const kinds = new Map<string, FindingKind>();
  for (const e of journal.entries) if (e.kind === 'finding') kinds.set(e.id, e.findingKind);
  out.push('## Timeline', '', ...journal.entries.map((e) => timelineLine(e, kinds)), '');
  out.push(...problemsSection(journal, state));
  return lines(out);
}

function customerItems(state: CaseState, kind: FindingKind, openOnly = false): CurrentFinding[] {
  return state.findings.filter(
    (f) =>
      f.entry.findingKind === kind &&
      CUSTOMER_FACING.has(kind) &&
      !f.entry.internal &&
      !(openOnly && f.entry.done),
  );
}

/** The customer's action plan: what was found, the workaround, the next steps and what is needed from them. */
export function customerReport(c: Case, journal: JournalRead, opts: { now?: Date } = {}): string {
  return actionPlan(c, foldJournal(journal.entries), opts.now ?? new Date());
}

function actionPlan(c: Case, state: CaseState, now: Date): string {
  const section = (title: string, items: CurrentFinding[], empty: string, numbered = false): string[] => [
    `## ${title}`,
    '',
    ...(items.length
      ? items.map((f, i) => `${numbered ? `${i + 1}.` : '-'} ${mdBlock(f.entry.text, '   ').trimStart()}`)
      : [empty]),
    '',
  ];
  return lines([
    `# Action plan: ${md(c.id)} — ${md(c.title)}`,
    '',
    `- **Customer:** ${md(c.customer) || '—'}`,
    `- **Product version:** ${md(c.productVersion ?? '') || '—'}`,
    `- **Status:** ${STATUS_LABELS[c.status]}`,
    `- **Prepared:** ${now.toISOString().slice(0, 10)}`,
    '',
    ...section('What we found', customerItems(state, 'root-cause'), 'We are still investigating the cause.'),
    ...section('Workaround', customerItems(state, 'workaround'), 'No workaround is available yet.'),
    ...section('Next steps', customerItems(state, 'action-item', true), 'No open steps.', true),
    ...section(
      'What we need from you',
      customerItems(state, 'question', true),
      'Nothing at the moment.',
      true,
    ),
  ]);
}

/** The handover (or with `customer`, the action plan) of case `id`, from one read of the case and its journal. */
export async function reportText(
  store: CaseStore,
  id: string,
  opts: ReportOptions & { customer?: boolean } = {},
): Promise<{ case: Case; text: string }> {
  // load() has folded the journal already: the reports take its state rather than fold it again.
  const { case: c, journal, state } = await store.load(id);
  const text = opts.customer
    ? actionPlan(c, state, opts.now ?? new Date())
    : await handover(c, journal, state, opts);
  return { case: c, text };
}

/** Writes the handover (or with `customer`, the action plan) into the case's folder, atomically. */
export async function writeReport(
  store: CaseStore,
  id: string,
  opts: ReportOptions & { customer?: boolean } = {},
): Promise<{ file: string; text: string }> {
  const { case: c, text } = await reportText(store, id, opts);
  const file = await store.writeCaseFile(c.id, opts.customer ? ACTION_PLAN_FILE : HANDOVER_FILE, text);
  return { file, text };
}
