// Case ↔ branch on real repositories: Start Case from a version creates the working branch at the tag's commit
// and checks it out; a dirty tree, hostile IDs and refs, and taken names are refused with nothing changed.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { GitRepo } from '../../../src/core/git';
import {
  CaseBranchError,
  CaseStore,
  CaseStoreError,
  branchName,
  detectActiveCase,
  idMatcher,
  linkCurrentBranch,
  refCandidates,
  slugify,
  startCase,
  switchCase,
} from '../../../src/core/cases';
import { TempRepo, body } from '../resolve/fixture';
import { removeTempDirs, tempDir } from './tmp';

const FILE = 'src/main/java/com/acme/OrderService.java';

async function refused(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof CaseBranchError || e instanceof CaseStoreError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

describe('case branches', function () {
  this.timeout(60000);
  let t: TempRepo;
  let repo: GitRepo;
  let store: CaseStore;
  let v551: string;
  let head: string;

  beforeEach(async () => {
    t = new TempRepo('orders', tempDir());
    t.write({ [FILE]: body(['package com.acme;', 'class OrderService {'], 40) });
    t.commit('initial');
    t.tag('v5.5.0');
    t.replace(FILE, 10, '    // 5.5.1 fix');
    v551 = t.commit('5.5.1');
    t.tag('v5.5.1', true);
    t.replace(FILE, 12, '    // later work');
    head = t.commit('later');
    t.tag('v5.6.0');
    t.branch('release/5.6');
    repo = await GitRepo.open(t.dir);
    store = new CaseStore(path.join(tempDir(), 'cases'));
  });
  afterEach(() => repo.close());
  after(removeTempDirs);

  const input = {
    id: 'SR-123456',
    title: 'NPE on Checkout (prod!)',
    customer: 'Acme Bank',
    productVersion: '5.5.1',
  };

  it("Start Case from a version: the branch is made at the tag's commit and checked out", async () => {
    const r = await startCase(store, repo, input);
    assert.equal(r.branch, 'case/SR-123456-npe-on-checkout-prod');
    assert.equal(r.ref.name, 'v5.5.1');
    assert.equal(r.ref.commit, v551);
    assert.equal(t.git('rev-parse', 'HEAD').trim(), v551);
    assert.equal(t.git('symbolic-ref', '--short', 'HEAD').trim(), 'case/SR-123456-npe-on-checkout-prod');
    const c = await store.get('SR-123456');
    assert.deepEqual(
      [c.ref, c.refCommit, c.workingBranch, c.productVersion, c.customer],
      ['v5.5.1', v551, 'case/SR-123456-npe-on-checkout-prod', '5.5.1', 'Acme Bank'],
    );
  });

  it('an explicit ref wins over the version, and the template may name the customer', async () => {
    const r = await startCase(store, repo, { ...input, ref: 'v5.5.0' }, 'esc/${customer}/${id}');
    assert.equal(r.branch, 'esc/acme-bank/SR-123456');
    assert.equal(t.git('rev-parse', 'HEAD').trim(), t.git('rev-parse', 'v5.5.0').trim());
  });

  it('refuses on a dirty tree: no case, no branch, nothing checked out', async () => {
    t.replace(FILE, 5, '    // uncommitted');
    await refused(
      startCase(store, repo, input),
      'dirty',
      /has uncommitted changes to tracked files; commit or stash them first \(nothing was changed\)/,
    );
    assert.equal(await store.has('SR-123456'), false);
    assert.equal(t.git('branch', '--list', 'case/*').trim(), '');
    assert.equal(t.git('symbolic-ref', '--short', 'HEAD').trim(), 'main');
  });

  it('untracked files do not make the tree dirty', async () => {
    t.write({ 'notes.txt': 'scratch' });
    const r = await startCase(store, repo, input);
    assert.equal(t.git('rev-parse', 'HEAD').trim(), r.ref.commit);
  });

  it('refuses an unknown version and hostile refs before creating anything', async () => {
    await refused(
      startCase(store, repo, { ...input, productVersion: '9.9.9' }),
      'unknown-ref',
      /no tag or release branch for version "9\.9\.9"; closest tags: /,
    );
    for (const ref of ['--output=/tmp/pwned', 'v5.5.0..v5.6.0', 'HEAD@{1}', 'main:secret', 'a b'])
      await refused(startCase(store, repo, { ...input, ref }), 'unknown-ref', /refusing ref/);
    await refused(
      startCase(store, repo, { ...input, ref: 'no-such-branch' }),
      'unknown-ref',
      /no ref "no-such-branch"/,
    );
    assert.equal((await store.list()).cases.length, 0);
    assert.equal(t.git('branch', '--list').trim(), '* main\n  release/5.6'.trim());
  });

  it('refuses hostile IDs and a duplicate case', async () => {
    for (const id of ['--upload-pack=x', '../x', 'a/b', 'SR 1'])
      await refused(startCase(store, repo, { ...input, id }), 'bad-id', /refusing case ID/);
    await startCase(store, repo, input);
    t.git('checkout', '-q', 'main');
    await refused(startCase(store, repo, input), 'duplicate', /already exists/);
  });

  it('refuses a branch name that is taken', async () => {
    t.branch('case/SR-123456-npe-on-checkout-prod');
    await refused(startCase(store, repo, input), 'branch-exists', /exists already/);
    assert.equal(await store.has('SR-123456'), false);
  });

  it("Switch Case checks out the case's branch, creating it at the case's ref when this clone lacks it", async () => {
    await startCase(store, repo, input);
    await startCase(store, repo, {
      ...input,
      id: 'CASE-4711',
      title: 'Slow export',
      productVersion: '5.6.0',
    });
    assert.equal(t.git('rev-parse', 'HEAD').trim(), head);
    const back = await switchCase(store, repo, 'SR-123456');
    assert.equal(back.created, false);
    assert.equal(t.git('symbolic-ref', '--short', 'HEAD').trim(), 'case/SR-123456-npe-on-checkout-prod');
    t.git('branch', '-D', 'case/CASE-4711-slow-export');
    const made = await switchCase(store, repo, 'CASE-4711');
    assert.equal(made.created, true);
    assert.equal(t.git('rev-parse', 'HEAD').trim(), head);
  });

  it('Switch Case refuses a dirty tree and a case without a branch', async () => {
    await store.create({ id: 'CASE-1', title: 'no branch' });
    await refused(switchCase(store, repo, 'CASE-1'), 'no-branch', /has no working branch/);
    await startCase(store, repo, input);
    t.git('checkout', '-q', 'main');
    t.replace(FILE, 5, '    // uncommitted');
    await refused(switchCase(store, repo, 'SR-123456'), 'dirty', /uncommitted/);
    assert.equal(t.git('symbolic-ref', '--short', 'HEAD').trim(), 'main');
  });

  it('Link Current Branch records the branch and journals the change', async () => {
    await store.create({ id: 'INC0012345', title: 'Timeouts' });
    t.git('checkout', '-q', '-b', 'bugfix/timeouts');
    const c = await linkCurrentBranch(store, repo, 'INC0012345');
    assert.equal(c.workingBranch, 'bugfix/timeouts');
    const last = (await store.readJournal('INC0012345')).entries.at(-1)!;
    assert.deepEqual(last.kind === 'edited' && last.changes, {
      workingBranch: { from: null, to: 'bugfix/timeouts' },
    });
    t.git('checkout', '-q', '--detach');
    await refused(linkCurrentBranch(store, repo, 'INC0012345'), 'detached', /HEAD is detached/);
  });

  it('detects the active case from a linked branch, the branch name, then recent commit messages', async () => {
    const { matcher } = idMatcher();
    await startCase(store, repo, input);
    const cases = (await store.list()).cases;
    assert.deepEqual(await detectActiveCase(repo, matcher, cases), {
      id: 'SR-123456',
      source: 'linked',
      branch: 'case/SR-123456-npe-on-checkout-prod',
      known: true,
    });
    t.git('checkout', '-q', '-b', 'bugfix/inc0012345-retry', 'main');
    assert.deepEqual(await detectActiveCase(repo, matcher, cases), {
      id: 'INC0012345',
      source: 'branch',
      branch: 'bugfix/inc0012345-retry',
      known: false,
    });
    t.git('checkout', '-q', '-b', 'topic', 'main');
    t.write({ 'a.txt': '1' });
    const commit = t.commit('Fix NPE (sr-123456)\n\nGuard the null customer.');
    t.write({ 'b.txt': '1' });
    t.commit('Unrelated tidy-up');
    assert.deepEqual(await detectActiveCase(repo, matcher, cases), {
      id: 'SR-123456',
      source: 'commit',
      branch: 'topic',
      commit,
      known: true,
    });
    t.git('checkout', '-q', 'main');
    assert.equal(await detectActiveCase(repo, matcher, cases), null);
  });

  it('ranks ref candidates from the version string', async () => {
    const refs = await refCandidates(repo, '5.5.1');
    assert.equal(refs[0]!.name, 'v5.5.1');
    assert.equal(refs[0]!.kind, 'tag');
    assert.deepEqual(
      refs.map((r) => [r.name, r.detail]),
      [
        ['v5.5.1', 'matches 5.5.1'],
        ['v5.5.0', 'like 5.5.1'],
        ['v5.6.0', 'like 5.5.1'],
        ['release/5.6', undefined],
        ['main', undefined],
      ],
    );
    assert.equal(new Set(refs.map((r) => r.fullName)).size, refs.length);
    assert.equal((await refCandidates(repo, 'release'))[0]!.name, 'release/5.6');
    const all = await refCandidates(repo, '');
    assert.deepEqual(
      all.map((r) => r.name),
      ['v5.6.0', 'v5.5.1', 'v5.5.0', 'release/5.6', 'main'],
    );
  });

  it('the GitRepo methods cases use refuse option-like names and answer plainly on odd repositories', async () => {
    for (const bad of ['--force', '-b', 'a..b', 'x y'])
      await assert.rejects(
        repo.createBranch(bad, v551),
        (e: Error) => e.name === 'GitError' && /refusing ref/.test(e.message),
      );
    await assert.rejects(repo.checkout('--detach'), /refusing ref "--detach": a ref may not start with "-"/);
    await assert.rejects(
      repo.createBranch('topic', 'no-such-commit'),
      /"no-such-commit" is not a commit here/,
    );
    assert.equal(await repo.remoteUrl(), null);
    t.git('checkout', '-q', '--detach');
    assert.equal(await repo.currentBranch(), null);
    const empty = new TempRepo('empty', tempDir());
    const e = await GitRepo.open(empty.dir);
    try {
      assert.deepEqual(await e.recentCommitMessages(5), []);
      assert.equal(await e.currentBranch(), 'main');
      assert.equal(await e.isDirty(), false);
      assert.deepEqual(await e.listRefs(), []);
    } finally {
      e.close();
    }
  });

  it('branch names from templates: slugs, unknown placeholders, names git would refuse', () => {
    assert.equal(slugify('Über-Fehler: Zahlung schlägt fehl!'), 'uber-fehler-zahlung-schlagt-fehl');
    assert.equal(slugify('a'.repeat(30) + ' ' + 'b'.repeat(30)), 'a'.repeat(30));
    assert.equal(branchName('case/${id}-${slug}', { id: 'SR-1', title: '日本語' }), 'case/SR-1');
    assert.throws(
      () => branchName('case/${id}-${owner}', { id: 'SR-1', title: 't' }),
      /unknown placeholder \$\{owner\}/,
    );
    assert.throws(
      () => branchName('case..${id}', { id: 'SR-1', title: 't' }),
      /cannot be used: a ref may not contain "\.\."/,
    );
    assert.throws(() => branchName('-${id}', { id: 'SR-1', title: 't' }), /may not start with "-"/);
  });
});
