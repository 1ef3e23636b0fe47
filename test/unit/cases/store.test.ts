// The case store on real files: atomic case.json writes, duplicate and hostile IDs, appends from two real
// processes at once, a process killed mid-stream, a torn last line, a read-only store and hand-edited nonsense.

import * as assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CaseStore,
  CaseStoreError,
  foldJournal,
  parseJournal,
  type FindingEntry,
  type JournalEntry,
} from '../../../src/core/cases';
import { removeTempDirs, tempDir } from './tmp';

const APPENDER = path.join(__dirname, 'appender.ts');
const ID = 'SR-123456';

async function rejects(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CaseStoreError, `expected a CaseStoreError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

function appender(root: string, tag: string, count: string, startAt = 0, mode = ''): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', APPENDER, root, ID, tag, count, String(startAt), mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** Resolves once the child has printed `line` (its stdout is read as it comes). */
function waitFor(child: ChildProcess, done: (out: string) => boolean): Promise<string> {
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (done(out)) resolve(out);
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', () => (done(out) ? resolve(out) : reject(new Error(`child exited: ${err}`))));
  });
}

function acks(out: string): number {
  return out.split('\n').filter((l) => l.startsWith('ack ')).length;
}

function texts(entries: readonly JournalEntry[]): string[] {
  return entries.filter((e): e is FindingEntry => e.kind === 'finding').map((e) => e.text);
}

describe('case store', function () {
  this.timeout(60000);
  let root: string;
  let store: CaseStore;
  after(removeTempDirs);

  beforeEach(async () => {
    root = path.join(tempDir(), 'cases');
    store = new CaseStore(root, { lockStaleMs: 2000 });
    await store.create({ id: ID, title: 'NPE on checkout', customer: 'Acme', severity: 'high' });
  });

  describe('case.json', () => {
    it('creates the layout: case.json and a journal starting with the created entry', async () => {
      const c = JSON.parse(fs.readFileSync(path.join(root, ID, 'case.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      assert.equal(c['id'], ID);
      assert.equal(c['status'], 'new');
      assert.equal(c['severity'], 'high');
      const j = await store.readJournal(ID);
      assert.equal(j.entries.length, 1);
      assert.equal(j.entries[0]!.kind, 'created');
      assert.equal(j.entries[0]!.v, 1);
      assert.deepEqual(fs.readdirSync(path.join(root, ID)).sort(), ['case.json', 'findings.jsonl']);
    });

    it('updates atomically: readers never see a partial file, no temp files stay, unknown fields are kept', async () => {
      const file = path.join(root, ID, 'case.json');
      const c = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      fs.writeFileSync(file, JSON.stringify({ ...c, fromANewerVersion: { keep: true } }));
      let reads = 0;
      let reading = true;
      const reader = (async () => {
        while (reading) {
          const text = fs.readFileSync(file, 'utf8');
          assert.equal((JSON.parse(text) as { id: string }).id, ID);
          reads++;
          await new Promise((r) => setImmediate(r));
        }
      })();
      for (let i = 0; i < 60; i++)
        await store.update(ID, { owner: `engineer ${i}`, title: `NPE ${'x'.repeat(i * 50)}` });
      reading = false;
      await reader;
      assert.ok(reads > 10, `only ${reads} reads interleaved`);
      const after = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      assert.equal(after['owner'], 'engineer 59');
      assert.deepEqual(after['fromANewerVersion'], { keep: true });
      assert.deepEqual(fs.readdirSync(path.join(root, ID)).sort(), ['case.json', 'findings.jsonl']);
    });

    it('journals status, next-action and field changes before rewriting case.json', async () => {
      await store.update(ID, { status: 'investigating' }, 'reproduced');
      await store.update(ID, { nextAction: { text: 'Call the customer', due: '2026-02-01' }, owner: 'dana' });
      const kinds = (await store.readJournal(ID)).entries.map((e) => e.kind);
      assert.deepEqual(kinds, ['created', 'status', 'next-action', 'edited']);
      const status = (await store.readJournal(ID)).entries[1]!;
      assert.deepEqual(status.kind === 'status' && [status.from, status.to, status.note], [
        'new',
        'investigating',
        'reproduced',
      ]);
      const c = await store.get(ID);
      assert.equal(c.status, 'investigating');
      assert.deepEqual(c.nextAction, { text: 'Call the customer', due: '2026-02-01' });
    });

    it('refuses a duplicate ID, also one differing only in letter case, and keeps the first', async () => {
      const before = fs.readFileSync(path.join(root, ID, 'case.json'), 'utf8');
      await rejects(store.create({ id: ID, title: 'again' }), 'duplicate', /SR-123456 already exists/);
      await rejects(store.create({ id: 'sr-123456', title: 'again' }), 'duplicate', /already exists/);
      assert.equal(fs.readFileSync(path.join(root, ID, 'case.json'), 'utf8'), before);
      assert.equal((await store.get('sr-123456')).title, 'NPE on checkout');
    });

    it('refuses hostile IDs before touching the disk', async () => {
      for (const [id, why] of [
        ['..', /may not contain "\.\."|may not start/],
        ['a/b', /slashes/],
        ['../escape', /slashes/],
        ['-rf', /may not start with "-"/],
        ['SR\u00001', /control characters/],
        ['x'.repeat(65), /at most 64/],
        ['CON', /reserved device name/],
        ['', /empty/],
        ['SR 1', /may only hold/],
      ] as const)
        await rejects(store.create({ id, title: 't' }), 'bad-id', why);
      assert.deepEqual(fs.readdirSync(root), [ID]);
    });

    it('a corrupt case.json is a clear error, is listed as a problem and is never overwritten', async () => {
      await store.create({ id: 'CASE-4711', title: 'Other' });
      const file = path.join(root, ID, 'case.json');
      fs.writeFileSync(file, '{"id": "SR-123456", "title": ');
      await rejects(store.get(ID), 'corrupt', /case\.json is not valid JSON.*will not overwrite/);
      await rejects(store.update(ID, { status: 'closed' }), 'corrupt', /not valid JSON/);
      const f = await store.appendFinding(ID, { findingKind: 'observation', text: 'still recorded' });
      assert.equal(f.text, 'still recorded');
      assert.equal(fs.readFileSync(file, 'utf8'), '{"id": "SR-123456", "title": ');
      const { cases, problems } = await store.list();
      assert.deepEqual(
        cases.map((c) => c.id),
        ['CASE-4711'],
      );
      assert.equal(problems.length, 1);
      assert.match(problems[0]!.message, /^SR-123456\/case\.json is not valid JSON/);
    });
  });

  describe('journal', () => {
    it('edits and deletions are new entries: earlier lines stay byte for byte', async () => {
      const a = await store.appendFinding(ID, { findingKind: 'observation', text: 'NPE in OrderService' });
      const b = await store.appendFinding(ID, { findingKind: 'question', text: 'Which JDK?' });
      const journal = path.join(root, ID, 'findings.jsonl');
      const before = fs.readFileSync(journal, 'utf8');
      await store.appendFinding(ID, {
        findingKind: 'root-cause',
        text: 'Null customer on guest checkout',
        supersedes: a.id,
      });
      await store.retract(ID, b.id, 'answered on the call');
      const after = fs.readFileSync(journal, 'utf8');
      assert.ok(after.startsWith(before));
      const state = foldJournal((await store.readJournal(ID)).entries);
      assert.equal(state.findings.length, 1);
      assert.equal(state.findings[0]!.rootId, a.id);
      assert.equal(state.findings[0]!.entry.findingKind, 'root-cause');
      assert.deepEqual(
        state.findings[0]!.earlier.map((e) => e.text),
        ['NPE in OrderService'],
      );
      assert.ok(state.retracted.has(b.id));
    });

    it('refuses entries it could not read back, writing nothing', async () => {
      const journal = path.join(root, ID, 'findings.jsonl');
      const before = fs.readFileSync(journal, 'utf8');
      await rejects(
        store.appendFinding(ID, { findingKind: 'rumour' as 'observation', text: 'x' }),
        'bad-input',
        /refusing a journal entry: finding of unknown kind/,
      );
      await rejects(
        store.appendFinding(ID, {
          findingKind: 'observation',
          text: 'x',
          code: { path: 'a.ts', startLine: 5, endLine: 2 },
        }),
        'bad-input',
        /code has no valid line range/,
      );
      await rejects(
        store.appendFinding(ID, { findingKind: 'observation', text: '  ' }),
        'bad-input',
        /needs text/,
      );
      await rejects(store.update(ID, { status: 'done' as 'closed' }), 'bad-input', /unknown status "done"/);
      await rejects(store.update(ID, { nextAction: { text: 'x', due: 'someday' } }), 'bad-input', /due date/);
      assert.equal(fs.readFileSync(journal, 'utf8'), before);
    });

    it('parallel appends in one process all land, one line each', async () => {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          store.appendFinding(ID, { findingKind: 'observation', text: `p${i}` }),
        ),
      );
      const j = await store.readJournal(ID);
      assert.equal(j.entries.length, 41);
      assert.deepEqual(j.problems, []);
      assert.deepEqual(texts(j.entries).sort(), Array.from({ length: 40 }, (_, i) => `p${i}`).sort());
    });

    it('appends from two processes at once: 2 × 500 well-formed lines, interleaved, none lost', async () => {
      const startAt = Date.now() + 3000;
      const a = appender(root, 'A', '500', startAt);
      const b = appender(root, 'B', '500', startAt);
      const [ca, cb] = await Promise.all([exited(a), exited(b)]);
      assert.deepEqual([ca, cb], [0, 0]);
      const text = fs.readFileSync(path.join(root, ID, 'findings.jsonl'), 'utf8');
      const lines = text.split('\n');
      assert.equal(lines.pop(), '');
      assert.equal(lines.length, 1001);
      for (const l of lines) JSON.parse(l);
      const j = parseJournal(text);
      assert.deepEqual(j.problems, []);
      assert.equal(j.torn, null);
      const t = texts(j.entries);
      for (const tag of ['A', 'B'])
        assert.deepEqual(
          t.filter((x) => x.startsWith(`${tag} `)),
          Array.from({ length: 500 }, (_, i) => `${tag} #${i + 1}`),
        );
      const switches = t.filter((x, i) => i > 0 && x[0] !== t[i - 1]![0]).length;
      assert.ok(switches > 10, `the two writers hardly overlapped (${switches} switches)`);
    });

    it('a process killed mid-stream loses nothing it was told was written; the store works on', async () => {
      const child = appender(root, 'K', 'forever');
      const out = await waitFor(child, (o) => acks(o) >= 150);
      child.kill('SIGKILL');
      await exited(child);
      const acked = acks(out);
      const j = await store.readJournal(ID);
      assert.deepEqual(j.problems, []);
      const t = texts(j.entries);
      assert.ok(t.length >= acked, `${t.length} lines for ${acked} acknowledged appends`);
      assert.deepEqual(
        t.slice(0, acked),
        Array.from({ length: acked }, (_, i) => `K #${i + 1}`),
      );
      // The killed writer may have died holding the lock: it is taken over once stale.
      await store.appendFinding(ID, { findingKind: 'observation', text: 'after the crash' });
      const again = await store.readJournal(ID);
      assert.equal(texts(again.entries).at(-1), 'after the crash');
      assert.equal(again.torn, null);
    });

    it('a torn last line is reported, then set aside by the next append; its neighbours stay', async () => {
      const child = appender(root, 'T', '20', 0, 'tear');
      await waitFor(child, (o) => o.includes('torn\n'));
      child.kill('SIGKILL');
      await exited(child);
      const j = await store.readJournal(ID);
      assert.equal(j.entries.length, 21);
      assert.deepEqual(j.torn, {
        line: 22,
        text: '{"v":1,"id":"torn","at":"2026-01-01T00:00:00Z","kind":"find',
      });
      await store.appendFinding(ID, { findingKind: 'observation', text: 'next' });
      const after = await store.readJournal(ID);
      assert.equal(after.torn, null);
      assert.deepEqual(after.problems, []);
      assert.deepEqual(texts(after.entries), [
        ...Array.from({ length: 20 }, (_, i) => `T #${i + 1}`),
        'next',
      ]);
      const aside = fs.readdirSync(path.join(root, ID)).filter((f) => f.startsWith('findings.torn-'));
      assert.equal(aside.length, 1);
      assert.equal(
        fs.readFileSync(path.join(root, ID, aside[0]!), 'utf8'),
        '{"v":1,"id":"torn","at":"2026-01-01T00:00:00Z","kind":"find',
      );
    });

    it('a complete last entry that only lost its newline is kept and terminated', async () => {
      const journal = path.join(root, ID, 'findings.jsonl');
      const line = JSON.stringify({
        v: 1,
        id: 'x1',
        at: '2026-01-01T00:00:00Z',
        kind: 'finding',
        findingKind: 'observation',
        text: 'no newline',
      });
      fs.appendFileSync(journal, line);
      assert.equal((await store.readJournal(ID)).torn, null);
      await store.appendFinding(ID, { findingKind: 'observation', text: 'after' });
      assert.deepEqual(texts((await store.readJournal(ID)).entries), ['no newline', 'after']);
      assert.equal(
        fs.readdirSync(path.join(root, ID)).filter((f) => f.startsWith('findings.torn-')).length,
        0,
      );
    });

    it('hand-edited nonsense in the middle is reported by line number and skipped, neighbours kept', async () => {
      await store.appendFinding(ID, { findingKind: 'observation', text: 'before' });
      const journal = path.join(root, ID, 'findings.jsonl');
      fs.appendFileSync(
        journal,
        'this is not json\n{"v":2,"id":"n","at":"x","kind":"finding"}\n\n{"v":1,"id":"q","at":"x","kind":"mystery"}\n',
      );
      await store.appendFinding(ID, { findingKind: 'observation', text: 'after' });
      const j = await store.readJournal(ID);
      assert.deepEqual(texts(j.entries), ['before', 'after']);
      assert.deepEqual(
        j.problems.map((p) => [p.line, p.error.slice(0, 30)]),
        [
          [3, "not JSON (Unexpected token 'h'"],
          [4, 'format version 2 (this Escalat'],
          [6, 'unknown kind "mystery"'],
        ],
      );
    });

    it("moves case.json's last update with the journal, at most once per 15 minutes", async () => {
      let now = new Date('2026-03-01T10:00:00Z');
      const s = new CaseStore(path.join(tempDir(), 'c'), { now: () => now });
      await s.create({ id: 'CASE-1', title: 't' });
      now = new Date('2026-03-01T10:05:00Z');
      await s.appendFinding('CASE-1', { findingKind: 'observation', text: 'a' });
      assert.equal((await s.get('CASE-1')).updated, '2026-03-01T10:00:00.000Z');
      now = new Date('2026-03-01T10:20:00Z');
      await s.appendFinding('CASE-1', { findingKind: 'observation', text: 'b' });
      assert.equal((await s.get('CASE-1')).updated, '2026-03-01T10:20:00.000Z');
    });
  });

  describe('evidence', () => {
    it('stores a file once by content hash and records it in the journal', async () => {
      const src = path.join(tempDir(), 'app.log');
      fs.writeFileSync(src, 'java.lang.NullPointerException\n\tat a.B.c(B.java:1)\n');
      const first = await store.addEvidence(ID, { path: src });
      assert.equal(first.added, true);
      assert.match(first.entry.hash, /^[0-9a-f]{64}$/);
      assert.equal(first.entry.file, `evidence/${first.entry.hash}-app.log`);
      assert.equal(first.entry.evidenceKind, 'log');
      const again = await store.addEvidence(ID, { name: 'renamed.txt', data: fs.readFileSync(src) });
      assert.equal(again.added, false);
      assert.equal(again.entry.id, first.entry.id);
      assert.deepEqual(fs.readdirSync(path.join(root, ID, 'evidence')), [`${first.entry.hash}-app.log`]);
      const p = await store.evidencePath(ID, first.entry);
      assert.equal(fs.readFileSync(p!, 'utf8'), fs.readFileSync(src, 'utf8'));
      const expected = execFileSync('sha256sum', [src], { encoding: 'utf8' }).split(' ')[0];
      assert.equal(first.entry.hash, expected);
    });

    it('refuses evidence entries that point outside the case and names that are not plain', async () => {
      const { entry } = await store.addEvidence(ID, { name: '../../etc/passwd', data: 'x' });
      assert.match(entry.file, /^evidence\/[0-9a-f]{64}-etc_passwd$/);
      assert.equal(await store.evidencePath(ID, { ...entry, file: '../../../etc/passwd' }), null);
      assert.equal(await store.evidencePath(ID, { ...entry, file: 'evidence/../case.json' }), null);
    });

    it('a missing source file is a clear error', async () => {
      await rejects(
        store.addEvidence(ID, { path: '/nonexistent/trace.log' }),
        'bad-input',
        /no file \/nonexistent/,
      );
    });
  });

  describe('hand-edited folders', () => {
    it('lists what it can and names each folder it cannot read', async () => {
      fs.mkdirSync(path.join(root, 'not a case'));
      fs.mkdirSync(path.join(root, 'CASE-1'));
      fs.mkdirSync(path.join(root, 'CASE-2'));
      fs.writeFileSync(
        path.join(root, 'CASE-2', 'case.json'),
        JSON.stringify({
          id: 'CASE-2',
          title: 't',
          customer: '',
          created: 'x',
          updated: 'x',
          status: 'pending',
          severity: 'low',
        }),
      );
      fs.mkdirSync(path.join(root, 'CASE-3'));
      fs.writeFileSync(
        path.join(root, 'CASE-3', 'case.json'),
        JSON.stringify({
          id: 'CASE-9',
          title: 't',
          customer: '',
          created: 'x',
          updated: 'x',
          status: 'new',
          severity: 'low',
        }),
      );
      fs.mkdirSync(path.join(root, 'CASE-4'));
      fs.writeFileSync(path.join(root, 'CASE-4', 'case.json'), '[1, 2]');
      fs.mkdirSync(path.join(root, '.git'));
      const { cases, problems } = await store.list();
      assert.deepEqual(
        cases.map((c) => c.id),
        [ID],
      );
      assert.deepEqual(problems.map((p) => p.message).sort(), [
        'CASE-1: has no case.json',
        'CASE-2/case.json has an unknown status "pending" (known: new, investigating, waiting-customer, waiting-product, hotfix-requested, handed-over, resolved, closed); fix or restore it',
        'CASE-3/case.json says its ID is "CASE-9"; the folder and the ID must agree',
        'CASE-4/case.json is not a JSON object; fix or restore it',
        'not a case: not a case folder (a case ID may only hold letters, digits, ".", "_" and "-" (not " "))',
      ]);
      await rejects(store.update('CASE-2', { status: 'closed' }), 'corrupt', /unknown status "pending"/);
    });

    it('an empty folder left by an interrupted create is taken over; a non-empty one is not', async () => {
      fs.mkdirSync(path.join(root, 'CASE-5'));
      const c = await store.create({ id: 'CASE-5', title: 'takes over' });
      assert.equal(c.id, 'CASE-5');
      fs.mkdirSync(path.join(root, 'CASE-6'));
      fs.writeFileSync(path.join(root, 'CASE-6', 'findings.jsonl'), '');
      await rejects(store.create({ id: 'CASE-6', title: 't' }), 'duplicate', /not empty/);
    });
  });

  describe('a store it cannot write', () => {
    it('a store under a file is a clear error', async () => {
      const file = path.join(tempDir(), 'file');
      fs.writeFileSync(file, '');
      const s = new CaseStore(path.join(file, 'cases'));
      await rejects(s.create({ id: 'CASE-1', title: 't' }), 'io', /part of .*file\/cases is a file/);
      assert.deepEqual(
        await s.list().catch((e: Error) => e.message),
        'cannot list cases: part of ' + path.join(file, 'cases') + ' is a file, not a folder',
      );
    });

    it('on a read-only store every write is refused with a clear message and nothing stored changes', async function () {
      await store.appendFinding(ID, { findingKind: 'observation', text: 'kept' });
      const files = ['case.json', 'findings.jsonl'].map((f) => path.join(root, ID, f));
      const before = files.map((f) => fs.readFileSync(f, 'utf8'));
      const undo = makeReadOnly(root);
      if (!undo) return this.skip();
      try {
        await rejects(
          store.create({ id: 'CASE-2', title: 't' }),
          'read-only',
          /the case store .* is read-only \((EACCES|EPERM|EROFS)\); nothing was changed/,
        );
        await rejects(
          store.appendFinding(ID, { findingKind: 'observation', text: 'x' }),
          'read-only',
          /read-only/,
        );
        await rejects(store.update(ID, { status: 'closed' }), 'read-only', /read-only/);
        await rejects(store.addEvidence(ID, { name: 'a.log', data: 'x' }), 'read-only', /read-only/);
        assert.deepEqual(
          (await store.list()).cases.map((c) => c.id),
          [ID],
        );
      } finally {
        undo();
      }
      assert.deepEqual(
        files.map((f) => fs.readFileSync(f, 'utf8')),
        before,
      );
    });
  });
});

/**
 * Makes a folder tree unwritable. As root chmod does not stop writes, so the immutable attribute does (chattr);
 * null where neither works, and the test is skipped.
 */
function makeReadOnly(dir: string): (() => void) | null {
  if (process.getuid?.() !== 0) {
    const all = (d: string): string[] => [
      d,
      ...fs
        .readdirSync(d, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? all(path.join(d, e.name)) : [path.join(d, e.name)])),
    ];
    const paths = all(dir);
    for (const p of paths) fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o555 : 0o444);
    return () => paths.forEach((p) => fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644));
  }
  try {
    execFileSync('chattr', ['-R', '+i', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  return () => execFileSync('chattr', ['-R', '-i', dir], { stdio: 'ignore' });
}
