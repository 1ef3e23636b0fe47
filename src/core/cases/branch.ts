// A case's working branch: named from a template, created at the customer's ref, checked out; and the active
// case found from the current branch and recent commits. Git is reached only through GitRepo, which validates.

import Fuse from 'fuse.js';
import { GitError, type GitRepo, type RefInfo, type ResolvedRef } from '../git';
import { refProblem } from '../git/validate';
import { caseIdProblem, idFromBranch, type IdMatcher } from './ids';
import type { Case, Severity } from './model';
import { CaseStoreError, type CaseStore } from './store';

export const DEFAULT_BRANCH_TEMPLATE = 'case/${id}-${slug}';

export type BranchErrorCode =
  | 'bad-template'
  | 'bad-branch'
  | 'unknown-ref'
  | 'dirty'
  | 'branch-exists'
  | 'no-branch'
  | 'detached'
  | 'git';

/** Why a case could not be started, switched to or linked; `message` is one line a user can act on. */
export class CaseBranchError extends Error {
  constructor(
    message: string,
    readonly code: BranchErrorCode,
  ) {
    super(message);
    this.name = 'CaseBranchError';
  }
}

function trimDashes(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s[a] === '-') a++;
  while (b > a && s[b - 1] === '-') b--;
  return s.slice(a, b);
}

/** `NPE on Checkout (prod!)` → `npe-on-checkout-prod`: lower-case ASCII words, at most `max` characters. */
export function slugify(text: string, max = 40): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const slug = trimDashes(ascii.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1);
  const at = cut.lastIndexOf('-');
  return trimDashes(at > max / 2 ? cut.slice(0, at) : cut.slice(0, max));
}

/** Trailing separators left by an empty placeholder (`case/SR-1-`) are dropped. */
function trimEnd(s: string): string {
  let b = s.length;
  while (b > 0 && '-_./'.includes(s[b - 1]!)) b--;
  return s.slice(0, b);
}

/** The working branch's name from a template with `${id}`, `${slug}` (of the title) and `${customer}`. */
export function branchName(template: string, c: { id: string; title: string; customer?: string }): string {
  const idProblem = caseIdProblem(c.id);
  if (idProblem)
    throw new CaseBranchError(`refusing case ID ${JSON.stringify(c.id)}: ${idProblem}`, 'bad-branch');
  const values: Record<string, string> = {
    id: c.id,
    slug: slugify(c.title),
    customer: slugify(c.customer ?? '', 30),
  };
  const placeholder = /\$\{(\w{1,20})\}/g;
  const unknown = [...template.matchAll(placeholder)].map((m) => m[1]!).find((k) => !(k in values));
  const name = trimEnd(template.replace(placeholder, (_m, key: string) => values[key] ?? '')).replace(
    /--+/g,
    '-',
  );
  if (unknown !== undefined)
    throw new CaseBranchError(
      `branch-name template ${JSON.stringify(template)} has an unknown placeholder \${${unknown}} (known: \${id}, \${slug}, \${customer})`,
      'bad-template',
    );
  const problem = refProblem(name) ?? (name === 'HEAD' || name.startsWith('refs/') ? 'it is reserved' : null);
  if (problem)
    throw new CaseBranchError(`branch name ${JSON.stringify(name)} cannot be used: ${problem}`, 'bad-branch');
  return name;
}

export interface RefCandidate extends RefInfo {
  /** Why it is where it is in the list: the version match, or what fuzzy matching found. */
  detail?: string;
}

function versionKey(name: string): number[] {
  return (name.match(/\d+/g) ?? []).map(Number);
}

function newestFirst(a: RefInfo, b: RefInfo): number {
  const x = versionKey(a.name);
  const y = versionKey(b.name);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (y[i] ?? -1) - (x[i] ?? -1);
    if (d !== 0) return d;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

const KIND_ORDER: Record<RefInfo['kind'], number> = { tag: 0, branch: 1, 'remote-branch': 2 };

/**
 * Tags and branches for the "customer's version" pick, best first: what resolveRef makes of `version`
 * (`5.5.1` → `v5.5.1` or `release/5.5`), then fuzzy matches of it (fuse.js), then the other tags newest first,
 * then branches.
 */
export async function refCandidates(repo: GitRepo, version: string): Promise<RefCandidate[]> {
  const refs = await repo.listRefs();
  const v = version.trim();
  const first: RefCandidate[] = [];
  if (v !== '' && refProblem(v) === null) {
    const r = await repo.resolveRef(v).catch((e: unknown) => {
      if (e instanceof GitError) return null;
      throw e;
    });
    const hit = r && refs.find((x) => x.fullName === r.fullName);
    if (r && hit) first.push({ ...hit, detail: r.note ?? `matches ${v}` });
  }
  if (v !== '') {
    const fuse = new Fuse(refs, { keys: ['name'], includeScore: true, threshold: 0.4, ignoreLocation: true });
    for (const m of fuse.search(v, { limit: 20 })) first.push({ ...m.item, detail: `like ${v}` });
  }
  const rest = [...refs].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || newestFirst(a, b));
  const seen = new Set<string>();
  return [...first, ...rest].filter((r) => !seen.has(r.fullName) && seen.add(r.fullName));
}

export interface StartCaseInput {
  id: string;
  title: string;
  customer?: string;
  severity?: Severity;
  productVersion?: string;
  /** The chosen tag, branch or commit; default: what `productVersion` resolves to. */
  ref?: string;
  owner?: string;
}

async function refuseDirty(repo: GitRepo, what: string): Promise<void> {
  if (await repo.isDirty())
    throw new CaseBranchError(
      `${what}: ${repo.root} has uncommitted changes to tracked files; commit or stash them first (nothing was changed)`,
      'dirty',
    );
}

async function branchExists(repo: GitRepo, name: string): Promise<boolean> {
  return (await repo.listRefs()).some((r) => r.fullName === `refs/heads/${name}`);
}

async function resolveFor(repo: GitRepo, what: string, action: string): Promise<ResolvedRef> {
  try {
    return await repo.resolveRef(what);
  } catch (e) {
    if (e instanceof GitError) throw new CaseBranchError(`${action}: ${e.message}`, 'unknown-ref');
    throw e;
  }
}

/**
 * Start Case: checks everything first (ID, duplicate, the ref, a clean tree, a free branch name), then records
 * the case, creates its working branch at the ref's commit and checks it out.
 */
export async function startCase(
  store: CaseStore,
  repo: GitRepo,
  input: StartCaseInput,
  template = DEFAULT_BRANCH_TEMPLATE,
): Promise<{ case: Case; branch: string; ref: ResolvedRef }> {
  const action = `cannot start case ${input.id}`;
  store.caseDir(input.id);
  if (await store.has(input.id))
    throw new CaseStoreError(`${action}: it already exists in ${store.root}`, 'duplicate');
  const what = (input.ref ?? input.productVersion ?? '').trim();
  if (what === '')
    throw new CaseBranchError(`${action}: give the customer's version or a ref`, 'unknown-ref');
  const ref = await resolveFor(repo, what, action);
  const branch = branchName(template, input);
  await refuseDirty(repo, action);
  if (await branchExists(repo, branch))
    throw new CaseBranchError(
      `${action}: branch ${branch} exists already (link it with Link Current Branch to Case)`,
      'branch-exists',
    );
  const c = await store.create({
    id: input.id,
    title: input.title,
    customer: input.customer ?? '',
    severity: input.severity ?? 'medium',
    productVersion: input.productVersion ?? null,
    ref: ref.name,
    refCommit: ref.commit,
    workingBranch: branch,
    owner: input.owner ?? null,
  });
  await gitStep(`case ${input.id} was created, but`, async () => {
    await repo.createBranch(branch, ref.commit);
    await repo.checkout(branch);
  });
  return { case: c, branch, ref };
}

async function gitStep(what: string, f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (e instanceof GitError) throw new CaseBranchError(`${what} ${e.message}`, 'git');
    throw e;
  }
}

/**
 * Switch Case: checks out the case's working branch. A branch this clone does not have (the case came from a
 * shared store) is created from the remote branch of that name, else at the case's ref.
 */
export async function switchCase(
  store: CaseStore,
  repo: GitRepo,
  id: string,
): Promise<{ case: Case; created: boolean }> {
  const c = await store.get(id);
  const action = `cannot switch to case ${c.id}`;
  if (!c.workingBranch)
    throw new CaseBranchError(
      `${action}: it has no working branch (use Link Current Branch to Case)`,
      'no-branch',
    );
  await refuseDirty(repo, action);
  const branch = c.workingBranch;
  const refs = await repo.listRefs();
  let created = false;
  if (!refs.some((r) => r.fullName === `refs/heads/${branch}`)) {
    const remote = refs.find((r) => r.kind === 'remote-branch' && r.name.endsWith(`/${branch}`) && r.commit);
    const from =
      remote?.commit ?? c.refCommit ?? (c.ref ? (await resolveFor(repo, c.ref, action)).commit : null);
    if (!from)
      throw new CaseBranchError(
        `${action}: branch ${branch} does not exist and the case has no ref`,
        'no-branch',
      );
    await gitStep(`${action}:`, () => repo.createBranch(branch, from));
    created = true;
  }
  await gitStep(`${action}:`, () => repo.checkout(branch));
  return { case: c, created };
}

/** Link Current Branch to Case: the checked-out branch becomes the case's working branch (journalled). */
export async function linkCurrentBranch(store: CaseStore, repo: GitRepo, id: string): Promise<Case> {
  const branch = await repo.currentBranch();
  if (branch === null)
    throw new CaseBranchError(
      `cannot link a branch to case ${id}: HEAD is detached (check out a branch)`,
      'detached',
    );
  return store.update(id, { workingBranch: branch });
}

export interface ActiveCase {
  id: string;
  /** `linked`: a case's working branch; `branch`: an ID in the branch name; `commit`: in a recent commit message. */
  source: 'linked' | 'branch' | 'commit';
  branch: string | null;
  commit?: string;
  /** The case is in the list given. */
  known: boolean;
}

/**
 * The case being worked on: the case whose working branch is checked out, else the ID in the branch name, else
 * the newest of the last `commits` commits whose message names a case in `cases` (any ID when `cases` is empty).
 */
export async function detectActiveCase(
  repo: GitRepo,
  matcher: IdMatcher,
  cases: readonly Case[] = [],
  commits = 10,
): Promise<ActiveCase | null> {
  const branch = await repo.currentBranch();
  const byId = new Map(cases.map((c) => [c.id.toUpperCase(), c]));
  const linked = branch === null ? undefined : cases.find((c) => c.workingBranch === branch);
  if (linked) return { id: linked.id, source: 'linked', branch, known: true };
  const fromBranch = branch === null ? null : idFromBranch(branch, matcher);
  if (fromBranch !== null) {
    const known = byId.get(fromBranch.toUpperCase());
    return { id: known?.id ?? fromBranch, source: 'branch', branch, known: known !== undefined };
  }
  for (const { commit, message } of await repo.recentCommitMessages(commits)) {
    for (const m of matcher.findAll(message)) {
      const known = byId.get(m.id.toUpperCase());
      if (known || cases.length === 0)
        return { id: known?.id ?? m.id, source: 'commit', branch, commit, known: known !== undefined };
    }
  }
  return null;
}
