// The case store: one folder per case under a root (`.escalate/cases` by default, or a shared folder or a
// separate repository). case.json is rewritten atomically; findings.jsonl is only ever appended to, under a
// lock, one fsynced line at a time, so that two windows and a crash lose nothing already written.

import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { Transform } from 'node:stream';
import * as lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { refProblem } from '../git/validate';
import { caseIdProblem } from './ids';
import { foldJournal, parseJournal, type CaseState, type JournalRead } from './journal';
import {
  caseProblem,
  entryProblem,
  normalizeCase,
  SEVERITIES,
  STATUSES,
  validDue,
  type Case,
  type CasePatch,
  type EntryBody,
  type EvidenceEntry,
  type EvidenceKind,
  type FindingData,
  type FindingEntry,
  type JournalEntry,
} from './model';

const fdatasync = promisify(fs.fdatasync);

export const CASE_FILE = 'case.json';
export const JOURNAL_FILE = 'findings.jsonl';
export const EVIDENCE_DIR = 'evidence';
const LOCK_FILE = 'findings.jsonl.lock';
/** A journal line above this is refused: long text belongs in evidence. */
const MAX_LINE = 1 << 20;
/**
 * list() reads case.json files synchronously in batches, yielding between them: on a local disk that is 3–6×
 * faster than node's asynchronous reads (one thread-pool round trip per open, read and close) and keeps the
 * event loop free. A batch slower than SLOW_BATCH_MS means a network folder: the rest is read LIST_CONCURRENCY
 * at a time.
 */
const LIST_BATCH = 128;
const SLOW_BATCH_MS = 64;
const LIST_CONCURRENCY = 64;
/** How far case.json's `updated` may lag the journal before an append rewrites it (each rewrite costs an fsync). */
const TOUCH_AFTER_MS = 15 * 60 * 1000;

export type StoreErrorCode =
  'bad-id' | 'bad-input' | 'duplicate' | 'not-found' | 'corrupt' | 'read-only' | 'locked' | 'io';

/** Why the store refused or failed; `message` is one line a user can act on. */
export class CaseStoreError extends Error {
  constructor(
    message: string,
    readonly code: StoreErrorCode,
  ) {
    super(message);
    this.name = 'CaseStoreError';
  }
}

export interface StoreOptions {
  /** The clock (tests). */
  now?: () => Date;
  /** Who writes: stamped on journal entries as `by`. */
  by?: string;
  /** After how long another process's lock counts as abandoned (a crashed window); at least 2000 ms. */
  lockStaleMs?: number;
}

export interface NewCase {
  id: string;
  title: string;
  customer?: string;
  severity?: Case['severity'];
  status?: Case['status'];
  productVersion?: string | null;
  ref?: string | null;
  refCommit?: string | null;
  workingBranch?: string | null;
  owner?: string | null;
  nextAction?: Case['nextAction'];
}

/** A case folder the store cannot read as a case, and why; the folder is left as it is. */
export interface CaseProblem {
  folder: string;
  message: string;
}

export interface CaseList {
  cases: Case[];
  problems: CaseProblem[];
}

export type EvidenceSource = { path: string } | { name: string; data: Buffer | string };

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Single-line text: titles and names never carry newlines into a report or a branch name. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function cutName(s: string): string {
  const safe = [...s].map((c) => (/^[A-Za-z0-9._-]$/.test(c) ? c : '_')).join('');
  const trimmed = safe.replace(/^[._-]+/, '').slice(0, 100);
  return trimmed === '' ? 'evidence' : trimmed;
}

function guessKind(name: string): EvidenceKind {
  const ext = path.extname(name).toLowerCase();
  if (['.log', '.txt', '.out', '.jsonl'].includes(ext)) return 'log';
  if (['.trace', '.stacktrace', '.tdump', '.crash', '.dmp', '.ips'].includes(ext)) return 'trace';
  return 'other';
}

function entryId(now: Date): string {
  return `${now.getTime().toString(36)}-${randomBytes(4).toString('hex')}`;
}

const EVIDENCE_NAME = /^[0-9a-f]{64}-[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;
const HEX_COMMIT = /^[0-9a-f]{7,64}$/;

function patchProblem(patch: CasePatch): string | null {
  if (patch.title !== undefined && oneLine(patch.title) === '') return 'a case needs a title';
  if (patch.status !== undefined && !STATUSES.includes(patch.status))
    return `unknown status ${JSON.stringify(patch.status)} (known: ${STATUSES.join(', ')})`;
  if (patch.severity !== undefined && !SEVERITIES.includes(patch.severity))
    return `unknown severity ${JSON.stringify(patch.severity)} (known: ${SEVERITIES.join(', ')})`;
  for (const f of ['ref', 'workingBranch'] as const) {
    const v = patch[f];
    if (typeof v === 'string' && refProblem(v)) return `${f}: ${refProblem(v)!}`;
  }
  if (typeof patch.refCommit === 'string' && !HEX_COMMIT.test(patch.refCommit))
    return `refCommit ${JSON.stringify(patch.refCommit)} is not a commit id`;
  if (patch.nextAction && (oneLine(patch.nextAction.text) === '' || !validDue(patch.nextAction.due)))
    return 'a next action needs text and a due date that is YYYY-MM-DD, an ISO time or none';
  return null;
}

export class CaseStore {
  private readonly now: () => Date;
  private readonly stale: number;

  constructor(
    /** Absolute folder holding one folder per case. */
    readonly root: string,
    private readonly options: StoreOptions = {},
  ) {
    this.root = path.resolve(root);
    this.now = options.now ?? (() => new Date());
    this.stale = Math.max(options.lockStaleMs ?? 10000, 2000);
  }

  /** The default store of a workspace folder. */
  static defaultRoot(workspace: string): string {
    return path.join(workspace, '.escalate', 'cases');
  }

  /** Absolute folder of a case (the ID is checked first). */
  caseDir(id: string): string {
    const problem = caseIdProblem(id);
    if (problem) throw new CaseStoreError(`refusing case ID ${JSON.stringify(id)}: ${problem}`, 'bad-id');
    return path.join(this.root, id);
  }

  private fail(e: unknown, what: string): CaseStoreError {
    if (e instanceof CaseStoreError) return e;
    const code = errno(e);
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
      return new CaseStoreError(
        `cannot ${what}: the case store ${this.root} is read-only (${code}); nothing was changed`,
        'read-only',
      );
    if (code === 'ELOCKED')
      return new CaseStoreError(
        `cannot ${what}: another window holds the case's lock; try again (a lock left by a crashed window is taken over after ${this.stale / 1000} s)`,
        'locked',
      );
    if (code === 'ENOSPC') return new CaseStoreError(`cannot ${what}: the disk is full`, 'io');
    if (code === 'ENOTDIR')
      return new CaseStoreError(`cannot ${what}: part of ${this.root} is a file, not a folder`, 'io');
    return new CaseStoreError(`cannot ${what}: ${(e as Error).message}`, 'io');
  }

  // ---------------------------------------------------------------------------------------------------
  // Reading

  /**
   * Every case's case.json, read in parallel (bounded) without touching the journals: what the Cases view
   * shows. Folders that are not cases are reported in `problems` and left alone; hidden folders are skipped.
   */
  async list(): Promise<CaseList> {
    let names: fs.Dirent[];
    try {
      names = await fsp.readdir(this.root, { withFileTypes: true });
    } catch (e) {
      if (errno(e) === 'ENOENT') return { cases: [], problems: [] };
      throw this.fail(e, 'list cases');
    }
    const folders = names
      .filter((d) => (d.isDirectory() || d.isSymbolicLink()) && !d.name.startsWith('.'))
      .map((d) => d.name);
    const out: CaseList = { cases: [], problems: [] };
    let slow = false;
    for (let i = 0; i < folders.length; i += LIST_BATCH) {
      const batch = folders.slice(i, i + LIST_BATCH);
      const t0 = Date.now();
      const texts = slow ? await readAll(this.root, batch) : batch.map((f) => readCaseFileSync(this.root, f));
      // A shared or network folder answers each read slowly: overlap them instead of waiting in turn.
      slow ||= Date.now() - t0 > SLOW_BATCH_MS;
      batch.forEach((folder, k) => {
        const r = this.summaryOf(folder, texts[k]!);
        if ('folder' in r) out.problems.push(r);
        else out.cases.push(r);
      });
      await new Promise((r) => setImmediate(r));
    }
    return out;
  }

  private summaryOf(folder: string, text: string | Error): Case | CaseProblem {
    const idProblem = caseIdProblem(folder);
    if (idProblem) return { folder, message: `${folder}: not a case folder (${idProblem})` };
    if (text instanceof Error) {
      const why = errno(text) === 'ENOENT' ? `has no ${CASE_FILE}` : text.message;
      return { folder, message: `${folder}: ${why}` };
    }
    const parsed = this.parseCase(folder, text);
    return 'problem' in parsed ? { folder, message: parsed.problem } : parsed.case;
  }

  private parseCase(
    folder: string,
    text: string,
  ): { case: Case & Record<string, unknown> } | { problem: string } {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      return {
        problem: `${folder}/${CASE_FILE} is not valid JSON (${(e as Error).message}); fix or restore it`,
      };
    }
    const problem = caseProblem(value);
    if (problem) return { problem: `${folder}/${CASE_FILE} ${problem}; fix or restore it` };
    const c = normalizeCase(value as Record<string, unknown>);
    if (c.id !== folder)
      return {
        problem: `${folder}/${CASE_FILE} says its ID is ${JSON.stringify(c.id)}; the folder and the ID must agree`,
      };
    return { case: c };
  }

  /** The folder name of case `id`: exact, else the one that differs only in case (`sr-1` for `SR-1`). */
  private async folderOf(id: string): Promise<string | null> {
    const dir = this.caseDir(id);
    if (fs.existsSync(path.join(dir, CASE_FILE))) return id;
    let names: string[];
    try {
      names = await fsp.readdir(this.root);
    } catch {
      return null;
    }
    const lower = id.toLowerCase();
    return (
      names.find(
        (n) => n.toLowerCase() === lower && n !== id && fs.existsSync(path.join(this.root, n, CASE_FILE)),
      ) ?? null
    );
  }

  /** Whether a case `id` (or one differing only in letter case) exists. */
  async has(id: string): Promise<boolean> {
    return (await this.folderOf(id)) !== null;
  }

  /** Case `id` as case.json says; CaseStoreError('not-found' | 'corrupt') otherwise. */
  async get(id: string): Promise<Case> {
    return (await this.readCase(id)).case;
  }

  private async readCase(id: string): Promise<{ case: Case & Record<string, unknown>; folder: string }> {
    const folder = await this.folderOf(id);
    if (folder === null) throw new CaseStoreError(`no case ${id} in ${this.root}`, 'not-found');
    let text: string;
    try {
      text = await fsp.readFile(path.join(this.root, folder, CASE_FILE), 'utf8');
    } catch (e) {
      if (errno(e) === 'ENOENT') throw new CaseStoreError(`no case ${id} in ${this.root}`, 'not-found');
      throw this.fail(e, `read case ${id}`);
    }
    const parsed = this.parseCase(folder, text);
    if ('problem' in parsed)
      throw new CaseStoreError(`case ${id}: ${parsed.problem} (Escalate will not overwrite it)`, 'corrupt');
    return { case: parsed.case, folder };
  }

  /** The journal's entries, the lines that are not entries, and a torn last line. Never throws on content. */
  async readJournal(id: string): Promise<JournalRead> {
    return this.journalIn((await this.readCase(id)).folder, id);
  }

  /** The journal of the case in `folder` (already found and read by the caller). */
  private async journalIn(folder: string, id: string): Promise<JournalRead> {
    let data: Buffer;
    try {
      data = await fsp.readFile(path.join(this.root, folder, JOURNAL_FILE));
    } catch (e) {
      if (errno(e) === 'ENOENT') return { entries: [], problems: [], torn: null };
      throw this.fail(e, `read the journal of ${id}`);
    }
    return parseJournal(data);
  }

  /** The case, its journal and what the journal amounts to (current findings, evidence): what reports need. */
  async load(id: string): Promise<{ case: Case; journal: JournalRead; state: CaseState }> {
    const { case: c, folder } = await this.readCase(id);
    const journal = await this.journalIn(folder, id);
    return { case: c, journal, state: foldJournal(journal.entries) };
  }

  /** Absolute path of an evidence file, or null when the entry names anything outside the case's evidence. */
  async evidencePath(id: string, entry: EvidenceEntry): Promise<string | null> {
    const folder = await this.folderOf(id);
    const parts = entry.file.split('/');
    if (folder === null || parts.length !== 2 || parts[0] !== EVIDENCE_DIR || !EVIDENCE_NAME.test(parts[1]!))
      return null;
    return path.join(this.root, folder, EVIDENCE_DIR, parts[1]!);
  }

  // ---------------------------------------------------------------------------------------------------
  // Writing

  /** Creates case `input.id`; refuses an ID in use (also differing only in letter case). */
  async create(input: NewCase): Promise<Case> {
    const dir = this.caseDir(input.id);
    const problem = typeof input.title !== 'string' ? 'a case needs a title' : patchProblem(input);
    if (problem) throw new CaseStoreError(`cannot create case ${input.id}: ${problem}`, 'bad-input');
    const existing = await this.folderOf(input.id).catch(() => null);
    if (existing !== null)
      throw new CaseStoreError(`case ${existing} already exists in ${this.root}`, 'duplicate');
    const now = this.now().toISOString();
    const c: Case = {
      v: 1,
      id: input.id,
      title: oneLine(input.title),
      customer: oneLine(input.customer ?? ''),
      severity: input.severity ?? 'medium',
      status: input.status ?? 'new',
      productVersion: input.productVersion ?? null,
      ref: input.ref ?? null,
      refCommit: input.refCommit ?? null,
      workingBranch: input.workingBranch ?? null,
      owner: input.owner ?? null,
      nextAction: input.nextAction ?? null,
      created: now,
      updated: now,
    };
    try {
      await fsp.mkdir(this.root, { recursive: true });
      await this.reserve(dir, input.id);
      await writeFileAtomic(path.join(dir, CASE_FILE), JSON.stringify(c, null, 2) + '\n');
    } catch (e) {
      throw this.fail(e, `create case ${input.id}`);
    }
    const { v: _v, id: _id, created: _c, updated: _u, ...fields } = c;
    await this.appendEntry(input.id, { kind: 'created', case: fields });
    return c;
  }

  /** Makes the case's folder; an empty one (left by a create that was interrupted) is taken over. */
  private async reserve(dir: string, id: string): Promise<void> {
    try {
      await fsp.mkdir(dir);
    } catch (e) {
      if (errno(e) !== 'EEXIST') throw e;
      if ((await fsp.readdir(dir)).length > 0)
        throw new CaseStoreError(
          `case ${id} already exists in ${this.root} (its folder is not empty)`,
          'duplicate',
        );
    }
  }

  /**
   * Changes case fields: each change is journalled first (status and next-action changes as their own
   * entries), then case.json is rewritten atomically. A case.json that cannot be read is never overwritten.
   */
  async update(id: string, patch: CasePatch, note?: string): Promise<Case> {
    const problem = patchProblem(patch);
    if (problem) throw new CaseStoreError(`cannot update case ${id}: ${problem}`, 'bad-input');
    return this.locked(id, `update case ${id}`, async (folder) => {
      const { case: c } = await this.readCase(folder);
      const bodies = this.changeEntries(c, patch, note);
      if (bodies.length === 0) return c;
      for (const b of bodies) await this.writeLine(folder, b);
      const next = { ...c, ...this.cleanPatch(patch), updated: this.now().toISOString() };
      await writeFileAtomic(path.join(this.root, folder, CASE_FILE), JSON.stringify(next, null, 2) + '\n');
      return next;
    });
  }

  private cleanPatch(patch: CasePatch): CasePatch {
    const out: CasePatch = { ...patch };
    if (patch.title !== undefined) out.title = oneLine(patch.title);
    if (patch.customer !== undefined) out.customer = oneLine(patch.customer);
    return out;
  }

  private changeEntries(c: Case, patch: CasePatch, note?: string): EntryBody[] {
    const out: EntryBody[] = [];
    const clean = this.cleanPatch(patch);
    if (clean.status !== undefined && clean.status !== c.status)
      out.push({ kind: 'status', from: c.status, to: clean.status, ...(note ? { note } : {}) });
    if (clean.nextAction !== undefined && JSON.stringify(clean.nextAction) !== JSON.stringify(c.nextAction))
      out.push({ kind: 'next-action', nextAction: clean.nextAction });
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, v] of Object.entries(clean)) {
      if (k === 'status' || k === 'nextAction' || v === undefined) continue;
      const from = (c as unknown as Record<string, unknown>)[k];
      if (from !== v) changes[k] = { from, to: v };
    }
    if (Object.keys(changes).length) out.push({ kind: 'edited', changes });
    return out;
  }

  /** Appends one journal entry (stamped with v, id, at) under the case's lock. */
  async appendEntry(id: string, body: EntryBody): Promise<JournalEntry> {
    return this.locked(id, `add to case ${id}`, async (folder) => {
      const entry = await this.writeLine(folder, body);
      await this.touch(folder, entry.at);
      return entry;
    });
  }

  /**
   * Moves case.json's `updated` up to a journal entry's time when it lags by more than TOUCH_AFTER_MS, so that
   * the Cases view's "last update" counts findings without an fsynced rewrite per finding. A case.json that
   * cannot be read is left alone: the entry is in the journal either way.
   */
  private async touch(folder: string, at: string): Promise<void> {
    const file = path.join(this.root, folder, CASE_FILE);
    const parsed = this.parseCase(folder, readCaseFileSync(this.root, folder).toString());
    if ('problem' in parsed || Date.parse(at) - Date.parse(parsed.case.updated) <= TOUCH_AFTER_MS) return;
    await writeFileAtomic(file, JSON.stringify({ ...parsed.case, updated: at }, null, 2) + '\n');
  }

  /** Records a finding; `supersedes` makes it a new version of an earlier finding (the earlier one is kept). */
  async appendFinding(id: string, finding: FindingData & { supersedes?: string }): Promise<FindingEntry> {
    if (typeof finding.text !== 'string' || finding.text.trim() === '')
      throw new CaseStoreError('a finding needs text', 'bad-input');
    return (await this.appendEntry(id, { kind: 'finding', ...finding })) as FindingEntry;
  }

  /** Records that a finding or evidence entry no longer stands; the entry itself stays in the journal. */
  async retract(id: string, entryId: string, reason?: string): Promise<JournalEntry> {
    return this.appendEntry(id, { kind: 'retraction', retracts: entryId, ...(reason ? { reason } : {}) });
  }

  private async locked<T>(id: string, what: string, f: (folder: string) => Promise<T>): Promise<T> {
    const folder = await this.folderOf(id);
    if (folder === null) throw new CaseStoreError(`no case ${id} in ${this.root}`, 'not-found');
    const dir = path.join(this.root, folder);
    let release: (() => void) | null = null;
    try {
      release = await this.acquire(dir);
      return await f(folder);
    } catch (e) {
      throw this.fail(e, what);
    } finally {
      try {
        release?.();
      } catch {
        // Already released or taken over as stale: nothing of ours to remove.
      }
    }
  }

  /**
   * The case's lock (a directory, so it works across processes and on shared folders). Only a lock held by
   * someone else is waited for, never a read-only disk; one left by a crashed window is taken over when stale.
   */
  private async acquire(dir: string): Promise<() => void> {
    const deadline = Date.now() + this.stale + 5000;
    for (let wait = 1; ; wait = Math.min(wait * 1.5, 40)) {
      try {
        // Taking the lock is a mkdir and a stat: done synchronously, it costs microseconds, not two round trips.
        return lockfile.lockSync(dir, {
          lockfilePath: path.join(dir, LOCK_FILE),
          realpath: false,
          stale: this.stale,
          // The lock guards a few milliseconds of writing: losing it shows in the write, it is not thrown.
          onCompromised: () => undefined,
        });
      } catch (e) {
        if (errno(e) !== 'ELOCKED' || Date.now() > deadline) throw e;
      }
      await new Promise((r) => setTimeout(r, wait * (0.5 + Math.random())));
    }
  }

  /** Under the lock: sets a torn last line aside, then appends one line with O_APPEND and fsyncs it. */
  private async writeLine(folder: string, body: EntryBody): Promise<JournalEntry> {
    const now = this.now();
    const entry = {
      v: 1,
      id: entryId(now),
      at: now.toISOString(),
      ...(this.options.by ? { by: this.options.by } : {}),
      ...body,
    } as JournalEntry;
    // What this version could not read back is not written: the same checks as for hand-edited lines.
    const problem = entryProblem(entry);
    if (problem) throw new CaseStoreError(`refusing a journal entry: ${problem}`, 'bad-input');
    const line = JSON.stringify(entry) + '\n';
    if (line.length > MAX_LINE)
      throw new CaseStoreError(
        `the entry is ${line.length} characters; the journal takes up to ${MAX_LINE}: add long text as evidence`,
        'bad-input',
      );
    // Small reads and the write are synchronous (microseconds, and no thread-pool round trip each); only the
    // fsync, which waits for the disk, goes to the thread pool.
    const fd = fs.openSync(path.join(this.root, folder, JOURNAL_FILE), 'a+');
    try {
      await this.mendTail(fd, folder);
      fs.writeSync(fd, line);
      await fdatasync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return entry;
  }

  /**
   * A journal whose last byte is not a newline ends in a line a writer did not finish. A complete entry only
   * lacks its newline, which is added; anything else is copied to findings.torn-<time>.jsonl and cut off.
   */
  private async mendTail(fd: number, folder: string): Promise<void> {
    const { size } = fs.fstatSync(fd);
    if (size === 0) return;
    const lastByte = Buffer.alloc(1);
    fs.readSync(fd, lastByte, 0, 1, size - 1);
    if (lastByte[0] === 10) return;
    const start = lastNewline(fd, size);
    const tail = Buffer.alloc(size - start);
    fs.readSync(fd, tail, 0, tail.length, start);
    if (parseJournal(tail).torn === null) {
      fs.writeSync(fd, '\n');
      return;
    }
    const stamp = this.now().toISOString().replace(/[:.]/g, '-');
    await writeFileAtomic(path.join(this.root, folder, `findings.torn-${stamp}.jsonl`), tail);
    fs.ftruncateSync(fd, start);
    await fdatasync(fd);
  }

  /** Writes a file the store derives (a report) into the case's folder, atomically; returns its path. */
  async writeCaseFile(id: string, name: string, text: string): Promise<string> {
    if (name === CASE_FILE || name === JOURNAL_FILE || caseIdProblem(name) !== null)
      throw new CaseStoreError(`refusing to write ${JSON.stringify(name)} in a case folder`, 'bad-input');
    const { folder } = await this.readCase(id);
    const file = path.join(this.root, folder, name);
    try {
      await writeFileAtomic(file, text);
    } catch (e) {
      throw this.fail(e, `write ${name} for case ${id}`);
    }
    return file;
  }

  /**
   * Adds a trace or log to the case: stored once under `evidence/<sha256>-<name>` (the same content added
   * again, under any name, is not copied twice) and recorded in the journal.
   */
  async addEvidence(
    id: string,
    source: EvidenceSource,
    opts: { kind?: EvidenceKind; note?: string } = {},
  ): Promise<{ entry: EvidenceEntry; added: boolean }> {
    const folder = (await this.readCase(id)).folder;
    const name = cutName('path' in source ? path.basename(source.path) : source.name);
    const dir = path.join(this.root, folder, EVIDENCE_DIR);
    let stored: { hash: string; file: string; size: number };
    try {
      await fsp.mkdir(dir, { recursive: true });
      stored = await storeByHash(dir, name, source);
    } catch (e) {
      if (errno(e) === 'ENOENT' && 'path' in source)
        throw new CaseStoreError(`cannot add evidence: no file ${source.path}`, 'bad-input');
      throw this.fail(e, `add evidence to case ${id}`);
    }
    const { evidence } = foldJournal((await this.journalIn(folder, id)).entries);
    const known = evidence.find((e) => e.hash === stored.hash);
    if (known) return { entry: known, added: false };
    const entry = await this.appendEntry(id, {
      kind: 'evidence',
      hash: stored.hash,
      name,
      file: `${EVIDENCE_DIR}/${stored.file}`,
      size: stored.size,
      evidenceKind: opts.kind ?? guessKind(name),
      ...(opts.note ? { note: opts.note } : {}),
    });
    return { entry: entry as EvidenceEntry, added: true };
  }
}

function readCaseFileSync(root: string, folder: string): string | Error {
  try {
    return fs.readFileSync(path.join(root, folder, CASE_FILE), 'utf8');
  } catch (e) {
    return e as Error;
  }
}

/** The case.json texts of `folders`, LIST_CONCURRENCY reads at a time. */
async function readAll(root: string, folders: string[]): Promise<(string | Error)[]> {
  const out = new Array<string | Error>(folders.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < folders.length) {
      const i = next++;
      out[i] = await fsp.readFile(path.join(root, folders[i]!, CASE_FILE), 'utf8').catch((e: Error) => e);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LIST_CONCURRENCY, folders.length) }, worker));
  return out;
}

/** Offset just after the last newline before `size` (0 when there is none), read backwards in blocks. */
function lastNewline(fd: number, size: number): number {
  const block = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; end -= block.length) {
    const start = Math.max(0, end - block.length);
    fs.readSync(fd, block, 0, end - start, start);
    const at = block.subarray(0, end - start).lastIndexOf(10);
    if (at >= 0) return start + at + 1;
  }
  return 0;
}

/** Copies the source into `dir` while hashing it, then names it by the hash (or drops it if that is there). */
async function storeByHash(
  dir: string,
  name: string,
  source: EvidenceSource,
): Promise<{ hash: string; file: string; size: number }> {
  const tmp = path.join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
  const hash = createHash('sha256');
  let size = 0;
  try {
    if ('path' in source) {
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(fs.createReadStream(source.path), tap, fs.createWriteStream(tmp, { flags: 'wx' }));
    } else {
      const data = Buffer.from(source.data);
      hash.update(data);
      size = data.length;
      await fsp.writeFile(tmp, data, { flag: 'wx' });
    }
    const fh = await fsp.open(tmp, 'r');
    await fh.sync().finally(() => fh.close());
    const digest = hash.digest('hex');
    const existing = (await fsp.readdir(dir)).find((f) => f.startsWith(`${digest}-`));
    if (existing) {
      await fsp.rm(tmp, { force: true });
      return { hash: digest, file: existing, size };
    }
    const file = `${digest}-${name}`;
    await fsp.rename(tmp, path.join(dir, file));
    return { hash: digest, file, size };
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}
