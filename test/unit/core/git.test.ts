// core/git against real repositories built here: refs and versions, trees, files through one cat-file
// process, diffs with renames, line history; and hostile refs and paths, refused without changing anything.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  carryLine,
  carryRange,
  GitError,
  GitRepo,
  parseZeroContextDiff,
  validatePath,
  validateRef,
  type Hunk,
} from '../../../src/core/git';

/** A repository built by the test, with git isolated from the machine's configuration. */
class Fixture {
  private clock = 1_700_000_000;
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.git('init', '-q', '.');
  }

  git(...args: string[]): string {
    this.clock += 60;
    const date = `@${this.clock} +0000`;
    return execFileSync(
      'git',
      [
        '-c',
        'user.name=Test Person',
        '-c',
        'user.email=test@example.com',
        '-c',
        'init.defaultBranch=main',
        '-c',
        'advice.nestedTag=false',
        ...args,
      ],
      {
        cwd: this.dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_AUTHOR_DATE: date,
          GIT_COMMITTER_DATE: date,
        },
      },
    );
  }

  write(file: string, content: string | Buffer): void {
    const full = path.join(this.dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }

  read(file: string): string {
    return fs.readFileSync(path.join(this.dir, file), 'utf8');
  }

  /** Commits everything and returns the new commit's id. */
  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--no-verify', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** Edits lines of a text file: `edit(lines)` returns the new lines. */
  edit(file: string, edit: (lines: string[]) => string[]): void {
    const text = this.read(file);
    this.write(file, `${edit(text.replace(/\n$/, '').split('\n')).join('\n')}\n`);
  }

  status(): string {
    return this.git('--no-optional-locks', 'status', '--porcelain', '--untracked-files=all');
  }

  indexMtime(): number {
    return fs.statSync(path.join(this.dir, '.git', 'index')).mtimeMs;
  }
}

const numbered = (n: number, word = 'line'): string =>
  Array.from({ length: n }, (_, i) => `${word} ${i + 1}`).join('\n') + '\n';

async function rejectsWith(p: Promise<unknown>, code: GitError['code'], message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof GitError, `expected GitError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    assert.ok(!e.message.includes('\n'), `one line: ${JSON.stringify(e.message)}`);
    return true;
  });
}

function throwsWith(f: () => void, code: GitError['code'], message: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof GitError, `expected GitError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    assert.ok(!e.message.includes('\n'), `one line: ${JSON.stringify(e.message)}`);
    return true;
  });
}

const c: Record<string, string> = {};
const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const LARGE = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));

/** The history repository: a file edited, renamed and cut down after `base`; tags and release branches. */
function buildHist(dir: string): Fixture {
  const hist = new Fixture(dir);
  const latin1Name = Buffer.concat([
    Buffer.from(path.join(dir, 'bin/caf')),
    Buffer.from([0xe9]),
    Buffer.from('.txt'),
  ]);
  hist.write('src/app.ts', numbered(30));
  hist.write('docs/read me.md', 'spaces in the name\n');
  hist.write('src/ünï/cödé.ts', 'unicode in the name\n');
  hist.write('a/b/c/d/deep.txt', 'deep\n');
  hist.write('img/logo.bin', BINARY);
  hist.write('img/large.bin', LARGE);
  hist.write('tmp/doomed.txt', numbered(6));
  hist.write('notes.txt', 'notes\n');
  hist.write('glob/*.txt', 'a file named with a star\n');
  hist.write('glob/a.txt', 'a\n');
  for (let i = 0; i < 200; i++) hist.write(`many/f${String(i).padStart(3, '0')}.txt`, `file ${i}\n`);
  fs.mkdirSync(path.join(hist.dir, 'bin'), { recursive: true });
  fs.writeFileSync(latin1Name, 'latin-1 name\n');
  fs.symlinkSync('src/app.ts', path.join(hist.dir, 'link-to-app'));
  // A submodule as `git submodule add` leaves it: a .gitmodules entry and a gitlink, which is not a file of this
  // repository.
  hist.write('.gitmodules', '[submodule "sub"]\n\tpath = vendor/sub\n\turl = ../sub.git\n');
  hist.git('add', '-A');
  hist.git('update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/sub`);
  hist.git('commit', '-q', '-m', 'base');
  c.base = hist.git('rev-parse', 'HEAD').trim();
  hist.edit('src/app.ts', (l) => ['new 1', 'new 2', 'new 3', ...l]);
  c.insertAbove = hist.commit('insert three lines at the top');
  hist.edit('src/app.ts', (l) => l.map((s) => (s === 'line 20' ? 'line 20 edited' : s)));
  c.edit20 = hist.commit('edit line 20');
  hist.git('mv', 'src/app.ts', 'src/main.ts');
  c.rename = hist.commit('rename app.ts to main.ts');
  hist.edit('src/main.ts', (l) => l.map((s) => (s === 'line 25' ? 'line 25 edited' : s)));
  c.edit25 = hist.commit('edit line 25 after the rename');
  hist.edit('src/main.ts', (l) => l.filter((s) => s !== 'line 28'));
  c.delete28 = hist.commit('delete line 28');
  hist.edit('tmp/doomed.txt', (l) => l.map((s) => (s === 'line 2' ? 'line 2 edited' : s)));
  c.doomedEdit = hist.commit('edit doomed line 2');
  fs.rmSync(path.join(hist.dir, 'tmp/doomed.txt'));
  c.doomedGone = hist.commit('delete doomed.txt');
  hist.write('glob/a.txt', 'a changed\n');
  c.globEdit = hist.commit('edit glob/a.txt');
  for (let i = 1; i <= 9; i++) {
    hist.write('notes.txt', `notes ${i}\n`);
    c[`t${i}`] = hist.commit(`notes ${i}`);
  }
  const tag = (name: string, at: string, annotated = false): string =>
    annotated ? hist.git('tag', '-a', '-m', `release ${name}`, name, at) : hist.git('tag', name, at);
  const branch = (name: string, at: string): string => hist.git('update-ref', `refs/heads/${name}`, at);
  const remote = (name: string, at: string): string =>
    hist.git('update-ref', `refs/remotes/origin/${name}`, at);
  tag('base', c.base);
  tag('5.4.0', c.t1!);
  tag('v5.5.1', c.t2!, true);
  tag('V5.2.0', c.t3!, true);
  tag('release-5.1.0', c.t4!);
  tag('release/5.0.0', c.t5!);
  tag('rel-4.9.0', c.t6!);
  tag('orders/5.6.0', c.t7!);
  tag('app-5.6.0', c.t8!);
  tag('svc_4.8.0', c.t9!);
  // A tag of a tag: %(*objectname) is still a tag object, so git must peel the rest.
  hist.git('tag', '-a', '-m', 'signed off', 'nested', 'v5.5.1');
  tag('both', c.t1!);
  branch('both', c.t2!);
  branch('release/5.7', c.t3!);
  remote('release/5.7', c.t4!);
  remote('release/5.8', c.t5!);
  branch('release-5.9.1', c.t6!);
  branch('5.10.x', c.t7!);
  branch('releases/6.0', c.t1!);
  branch('release/6.1.x', c.t2!);
  branch('6.2', c.t3!);
  hist.git('gc', '-q');
  return hist;
}

/** The working-tree repository: uncommitted changes of every kind. */
function buildWt(dir: string): Fixture {
  const wt = new Fixture(dir);
  wt.write('same.txt', numbered(10));
  wt.write('mod.txt', numbered(10));
  wt.write('old.txt', numbered(20));
  wt.write('gone.txt', numbered(5));
  wt.write('data.bin', BINARY);
  c.wtBase = wt.commit('working tree base');
  wt.edit('mod.txt', (l) => ['above 1', 'above 2', ...l.map((s) => (s === 'line 8' ? 'line 8 edited' : s))]);
  wt.git('mv', 'old.txt', 'new.txt');
  wt.edit('new.txt', (l) => [...l.map((s) => (s === 'line 3' ? 'line 3 edited' : s)), 'appended']);
  fs.rmSync(path.join(wt.dir, 'gone.txt'));
  wt.write('data.bin', Buffer.concat([BINARY, BINARY]));
  // Stale stat data: a git that refreshed the index would write it back.
  const future = new Date(Date.now() + 3_600_000);
  fs.utimesSync(path.join(wt.dir, 'same.txt'), future, future);
  return wt;
}

describe('core/git', () => {
  const root = fs.mkdtempSync(path.join(tmpdir(), 'escalate-git-'));
  let hist: Fixture;
  let wt: Fixture;
  let repo: GitRepo;
  let wtRepo: GitRepo;
  // Taken before anything of ours runs: every test must leave both repositories as they were built.
  let untouched: { hist: string; wt: string; histIndex: number; wtIndex: number };

  before(async () => {
    hist = buildHist(path.join(root, 'hist'));
    wt = buildWt(path.join(root, 'wt'));
    untouched = {
      hist: hist.status(),
      wt: wt.status(),
      histIndex: hist.indexMtime(),
      wtIndex: wt.indexMtime(),
    };
    repo = await GitRepo.open(hist.dir);
    wtRepo = await GitRepo.open(wt.dir);
  });
  after(() => {
    repo?.close();
    wtRepo?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  describe('pure line arithmetic', () => {
    const DIFF = [
      'diff --git a/x b/x',
      'index 1111111..2222222 100644',
      '--- a/x',
      '+++ b/x',
      '@@ -0,0 +1,3 @@',
      '+a',
      '+@@ -9 +9 @@ a line of the file that looks like a header',
      '+c',
      '@@ -5 +8 @@ func()',
      '-old',
      '+new',
      '@@ -10,2 +12,0 @@',
      '-gone',
      '-gone too',
      '\\ No newline at end of file',
      '',
    ].join('\n');

    it('parseZeroContextDiff reads headers with and without counts, and only headers', () => {
      assert.deepEqual(parseZeroContextDiff(DIFF), [
        { oldStart: 0, oldLines: 0, newStart: 1, newLines: 3 },
        { oldStart: 5, oldLines: 1, newStart: 8, newLines: 1 },
        { oldStart: 10, oldLines: 2, newStart: 12, newLines: 0 },
      ]);
      assert.deepEqual(parseZeroContextDiff(''), []);
    });

    it('carryLine shifts lines outside hunks and gives null for changed or deleted lines', () => {
      const h = parseZeroContextDiff(DIFF);
      assert.deepEqual(carryLine([], 7), { line: 7, changed: false });
      assert.deepEqual(carryLine(h, 1), { line: 4, changed: false }); // three inserted at the top
      assert.deepEqual(carryLine(h, 4), { line: 7, changed: false });
      assert.deepEqual(carryLine(h, 5), { line: null, changed: true }); // replaced
      assert.deepEqual(carryLine(h, 6), { line: 9, changed: false });
      assert.deepEqual(carryLine(h, 10), { line: null, changed: true }); // deleted
      assert.deepEqual(carryLine(h, 11), { line: null, changed: true });
      assert.deepEqual(carryLine(h, 12), { line: 13, changed: false }); // +3, then -2
    });

    it('carryLine: an insertion right after a line does not move it; one before it does', () => {
      const after: Hunk[] = [{ oldStart: 5, oldLines: 0, newStart: 6, newLines: 2 }];
      assert.deepEqual(carryLine(after, 5), { line: 5, changed: false });
      assert.deepEqual(carryLine(after, 6), { line: 8, changed: false });
      const grown: Hunk[] = [{ oldStart: 3, oldLines: 1, newStart: 3, newLines: 4 }];
      assert.deepEqual(carryLine(grown, 3), { line: null, changed: true });
      assert.deepEqual(carryLine(grown, 4), { line: 7, changed: false });
      assert.throws(() => carryLine(grown, 0), RangeError);
      assert.throws(() => carryLine(grown, 1.5), RangeError);
    });

    it('carryRange lands a changed range on the new side and a deleted one across its gap', () => {
      const h = parseZeroContextDiff(DIFF);
      assert.deepEqual(carryRange(h, 1, 4), { start: 4, end: 7 });
      assert.deepEqual(carryRange(h, 5, 5), { start: 8, end: 8 });
      assert.deepEqual(carryRange(h, 10, 11), { start: 12, end: 13 });
      assert.deepEqual(carryRange(h, 4, 10), { start: 7, end: 13 });
      assert.deepEqual(carryRange([{ oldStart: 1, oldLines: 2, newStart: 0, newLines: 0 }], 1, 1), {
        start: 1,
        end: 1,
      });
    });
  });

  describe('validateRef / validatePath', () => {
    it('accept ordinary refs, commit ids and paths', () => {
      for (const r of [
        'v5.5.1',
        'release/5.5',
        'origin/release/5.5',
        'abcd',
        'a'.repeat(64),
        'HEAD',
        'a;b',
        '`id`',
      ])
        validateRef(r);
      for (const p of ['src/a.ts', 'docs/read me.md', 'src/ünï/cödé.ts', 'a;b', '$(x)', 'dir/-x', 'a..b'])
        validatePath(p);
    });

    it('refuse refs git would read as options or revision expressions, saying why', () => {
      const cases: [string, RegExp][] = [
        ['', /may not be empty/],
        [
          '--upload-pack=touch /tmp/x',
          /^refusing ref "--upload-pack=touch \/tmp\/x": a ref may not start with "-"$/,
        ],
        ['-c', /start with "-"/],
        ['a b', /whitespace/],
        ['a\u00a0b', /whitespace/],
        ['a..b', /"\.\."/],
        ['HEAD~1', /"~"/],
        ['HEAD^', /"\^"/],
        ['v1^{commit}', /"\^"/],
        ['HEAD:file', /":"/],
        ['a?', /"\?"/],
        ['a*', /"\*"/],
        ['a[1]', /"\["/],
        ['a\\b', /contain "\\"$/],
        ['HEAD@{1}', /"@\{"/],
        ['@', /"@" alone/],
        ['x.lock', /"\.lock"/],
        ['x.', /end with "\."/],
        ['x/', /end with "\/"/],
        ['/x', /start with "\/"/],
        ['a//b', /"\/\/"/],
        ['a/.b', /start with "\."/],
        ['a.lock/b', /"\.lock"/],
        ['a\u0000b', /control characters \(NUL\)/],
        ['a\nb', /control characters \(a newline\)/],
        ['a\u007fb', /control characters \(U\+007F\)/],
        ['\uFFFD', /U\+FFFD/],
        ['a\uD800b', /lone surrogate/],
        ['a\uDC00', /lone surrogate/],
        ['x'.repeat(256), /at most 255/],
      ];
      for (const [input, message] of cases) throwsWith(() => validateRef(input), 'bad-ref', message);
    });

    it('refuse paths outside the tree or unfit for git, saying why', () => {
      const cases: [string, RegExp][] = [
        ['', /may not be empty/],
        ['/etc/passwd', /not absolute/],
        ['C:\\x', /not absolute/],
        ['c:/x', /not absolute/],
        ['\\\\server\\share', /not absolute/],
        ['../../etc/passwd', /"\.\." part/],
        ['a/../../b', /"\.\." part/],
        ['a\\..\\b', /"\.\." part/],
        ['..', /"\.\." part/],
        ['-rf', /start with "-"/],
        ['a\u0000b', /NUL/],
        ['a\nb', /newline/],
        ['a\rb', /carriage return/],
        ['a\tb', /tab/],
        ['\uFFFD.txt', /U\+FFFD/],
        ['a\uD800', /lone surrogate/],
        ['x'.repeat(4097), /at most 4096/],
      ];
      for (const [input, message] of cases) throwsWith(() => validatePath(input), 'bad-path', message);
    });
  });

  describe('GitRepo.open / head', () => {
    it('finds the top level from a subdirectory', async () => {
      const r = await GitRepo.open(path.join(hist.dir, 'a/b'));
      try {
        assert.equal(r.root, fs.realpathSync(hist.dir));
        assert.ok(path.isAbsolute(r.root));
        assert.equal(await r.head(), c.t9);
      } finally {
        r.close();
      }
    });

    it('refuses a directory that is not in a work tree, a missing one and a .git directory', async () => {
      const plain = fs.mkdtempSync(path.join(root, 'plain-'));
      await rejectsWith(GitRepo.open(plain), 'not-a-repo', /not a git work tree/);
      await rejectsWith(GitRepo.open(path.join(root, 'missing')), 'not-a-repo', /not a directory/);
      await rejectsWith(GitRepo.open(path.join(hist.dir, '.git')), 'not-a-repo', /not a git work tree/);
    });

    it('head() is null in an empty repository, and nothing resolves there', async () => {
      const empty = new Fixture(path.join(root, 'empty'));
      const r = await GitRepo.open(empty.dir);
      try {
        assert.equal(await r.head(), null);
        await rejectsWith(r.resolveRef('5.5.1'), 'unknown-ref', /the repository has no tags/);
        await rejectsWith(r.listTree('HEAD'), 'unknown-ref', /"HEAD" is not a commit here/);
      } finally {
        r.close();
      }
    });
  });

  describe('resolveRef', () => {
    const peeled = (name: string): string => hist.git('rev-parse', `${name}^{commit}`).trim();

    it('explicit names: tags (lightweight, annotated, nested), branches, remote branches, HEAD', async () => {
      assert.deepEqual(await repo.resolveRef('v5.5.1'), {
        input: 'v5.5.1',
        kind: 'tag',
        name: 'v5.5.1',
        fullName: 'refs/tags/v5.5.1',
        commit: c.t2,
        exact: true,
      });
      assert.equal((await repo.resolveRef('5.4.0')).kind, 'tag');
      assert.equal((await repo.resolveRef('5.4.0')).commit, c.t1);
      assert.equal((await repo.resolveRef('nested')).commit, c.t2);
      assert.equal((await repo.resolveRef('refs/tags/nested')).commit, c.t2);
      const b = await repo.resolveRef('release/5.7');
      assert.deepEqual(
        [b.kind, b.name, b.fullName, b.commit],
        ['branch', 'release/5.7', 'refs/heads/release/5.7', c.t3],
      );
      const r = await repo.resolveRef('origin/release/5.8');
      assert.deepEqual([r.kind, r.name, r.commit], ['remote-branch', 'origin/release/5.8', c.t5]);
      assert.equal((await repo.resolveRef('HEAD')).commit, c.t9);
    });

    it('a name that is both a tag and a branch gives the tag, with a note', async () => {
      const r = await repo.resolveRef('both');
      assert.equal(r.kind, 'tag');
      assert.equal(r.commit, c.t1);
      assert.match(r.note ?? '', /both a tag and a branch; using the tag/);
    });

    it('commit ids, full and abbreviated', async () => {
      const short = await repo.resolveRef(c.base!.slice(0, 8));
      assert.deepEqual(
        [short.kind, short.commit, short.fullName, short.exact],
        ['commit', c.base, c.base, true],
      );
      assert.equal(short.name, c.base!.slice(0, 12));
      assert.equal((await repo.resolveRef(c.edit20!)).commit, c.edit20);
      await rejectsWith(repo.resolveRef('0000000000'), 'unknown-ref', /no ref "0000000000"/);
    });

    it('every tag form a version string is matched to, in order', async () => {
      const cases: [string, string, string, RegExp | null][] = [
        ['5.5.1', 'v5.5.1', c.t2!, null],
        ['v5.4.0', '5.4.0', c.t1!, null],
        ['5.2.0', 'V5.2.0', c.t3!, null],
        ['5.1.0', 'release-5.1.0', c.t4!, null],
        ['5.0.0', 'release/5.0.0', c.t5!, null],
        ['4.9.0', 'rel-4.9.0', c.t6!, null],
        ['5.6.0', 'app-5.6.0', c.t8!, /other tags for 5\.6\.0: orders\/5\.6\.0/],
        ['4.8.0', 'svc_4.8.0', c.t9!, null],
      ];
      for (const [input, name, commit, note] of cases) {
        const r = await repo.resolveRef(input);
        assert.deepEqual(
          [r.kind, r.name, r.fullName, r.commit, r.exact],
          ['version-tag', name, `refs/tags/${name}`, commit, true],
        );
        if (note) assert.match(r.note ?? '', note);
        else assert.equal(r.note, undefined, `${input}: ${r.note}`);
      }
    });

    it('a four-part version falls back to its three-part tag, not exact', async () => {
      const r = await repo.resolveRef('5.5.1.1234');
      assert.deepEqual([r.kind, r.name, r.commit, r.exact], ['version-tag', 'v5.5.1', c.t2, false]);
      assert.match(r.note ?? '', /no tag for 5\.5\.1\.1234/);
    });

    it('release branches when no tag matches: local before remote, tip only, with a note', async () => {
      const cases: [string, string, string, string][] = [
        ['5.7.2', 'release/5.7', 'refs/heads/release/5.7', c.t3!],
        ['5.7', 'release/5.7', 'refs/heads/release/5.7', c.t3!],
        ['v5.8.0', 'origin/release/5.8', 'refs/remotes/origin/release/5.8', c.t5!],
        ['5.9.1', 'release-5.9.1', 'refs/heads/release-5.9.1', c.t6!],
        ['5.10.3', '5.10.x', 'refs/heads/5.10.x', c.t7!],
        ['6.0.1', 'releases/6.0', 'refs/heads/releases/6.0', c.t1!],
        ['6.1.0', 'release/6.1.x', 'refs/heads/release/6.1.x', c.t2!],
        ['6.2.5', '6.2', 'refs/heads/6.2', c.t3!],
      ];
      for (const [input, name, fullName, commit] of cases) {
        const r = await repo.resolveRef(input);
        assert.deepEqual(
          [r.kind, r.name, r.fullName, r.commit, r.exact],
          ['version-branch', name, fullName, commit, false],
        );
        assert.match(
          r.note ?? '',
          new RegExp(`no tag for ${input.replace(/^v/, '').replace(/\./g, '\\.')}; using the tip of ${name}`),
        );
      }
      assert.equal(peeled('release/5.7'), c.t3);
    });

    it('nothing matches: unknown-ref naming the closest tags', async () => {
      await assert.rejects(repo.resolveRef('5.5.9'), (e: unknown) => {
        assert.ok(e instanceof GitError && e.code === 'unknown-ref');
        assert.match(e.message, /^no tag or release branch for version "5\.5\.9"; closest tags: v5\.5\.1, /);
        return true;
      });
      await rejectsWith(repo.resolveRef('relase-5.1.0'), 'unknown-ref', /closest tags: release-5\.1\.0/);
      await rejectsWith(
        repo.resolveRef('nosuchthing'),
        'unknown-ref',
        /^no ref "nosuchthing"; closest tags: /,
      );
    });
  });

  describe('listTree', () => {
    it('lists nested, spaced, unicode names and symlinks; not submodules or non-UTF-8 names', async () => {
      const paths = await repo.listTree(c.base!);
      for (const p of ['src/app.ts', 'docs/read me.md', 'src/ünï/cödé.ts', 'a/b/c/d/deep.txt', 'link-to-app'])
        assert.ok(paths.includes(p), p);
      assert.ok(paths.includes('many/f199.txt'));
      assert.ok(!paths.includes('vendor/sub'), 'a gitlink is not a file');
      assert.ok(!paths.some((p) => p.startsWith('bin/')), 'the Latin-1 name cannot be named back to git');
      // git has both; the listing leaves them out on purpose.
      const raw = hist.git('ls-tree', '-r', '--name-only', c.base!);
      assert.match(raw, /vendor\/sub/);
      assert.match(raw, /"bin\/caf\\351\.txt"/);
      assert.equal(paths.length, raw.trim().split('\n').length - 2);
      assert.equal(new Set(paths).size, paths.length);
    });

    it('lists the tree at a ref, not the working tree', async () => {
      const head = await repo.listTree('HEAD');
      assert.ok(
        head.includes('src/main.ts') && !head.includes('src/app.ts') && !head.includes('tmp/doomed.txt'),
      );
      assert.ok((await repo.listTree('base')).includes('tmp/doomed.txt'));
    });
  });

  describe('readFiles', () => {
    it('reads 200 files and more at once through one cat-file process', async () => {
      const many = Array.from({ length: 200 }, (_, i) => `many/f${String(i).padStart(3, '0')}.txt`);
      const want = [
        ...many,
        'img/logo.bin',
        'img/large.bin',
        'link-to-app',
        'nope/missing.txt',
        'many',
        'vendor/sub',
      ];
      const first = repo.catFileStats;
      const got = await repo.readFiles(c.base!, want);
      assert.equal(got.size, want.length);
      many.forEach((p, i) => assert.equal(got.get(p)?.toString('utf8'), `file ${i}\n`, p));
      assert.ok(got.get('img/logo.bin')!.equals(BINARY));
      assert.ok(got.get('img/large.bin')!.equals(LARGE));
      assert.equal(got.get('link-to-app')!.toString('utf8'), 'src/app.ts'); // a symlink's blob is its target
      assert.equal(got.get('nope/missing.txt'), null);
      assert.equal(got.get('many'), null); // a directory
      assert.equal(got.get('vendor/sub'), null); // a submodule
      // Other requests, concurrent ones included, go through the same process.
      const [a, b] = await Promise.all([
        repo.readFiles('HEAD', ['src/main.ts', 'notes.txt']),
        repo.readFiles('base', ['src/app.ts', 'src/main.ts']),
      ]);
      assert.equal(a.get('notes.txt')?.toString(), 'notes 9\n');
      assert.equal(a.get('src/main.ts')?.toString(), hist.read('src/main.ts'));
      assert.equal(b.get('src/app.ts')?.toString(), numbered(30));
      assert.equal(b.get('src/main.ts'), null);
      await repo.listTree('HEAD');
      await repo.diffBetween('base', 'HEAD', 'src/app.ts');
      const after = repo.catFileStats;
      assert.equal(after.starts, 1);
      assert.ok(first.pid === null || first.pid === after.pid);
      assert.ok(after.pid !== null);
      const cmdline = fs.readFileSync(`/proc/${after.pid}/cmdline`, 'utf8').split('\0');
      assert.deepEqual(cmdline.slice(-3, -1), ['cat-file', '--batch']);
    });

    it('an unknown commit is an error, not a map of nulls', async () => {
      await rejectsWith(
        repo.readFiles('no-such-tag', ['notes.txt']),
        'unknown-ref',
        /"no-such-tag" is not a commit/,
      );
    });

    it('close() ends the process, is idempotent, and later reads fail', async () => {
      const r = await GitRepo.open(hist.dir);
      await r.readFiles('HEAD', ['notes.txt']);
      const pid = r.catFileStats.pid!;
      r.close();
      r.close();
      assert.equal(r.catFileStats.pid, null);
      await new Promise((res) => setTimeout(res, 100));
      assert.ok(!fs.existsSync(`/proc/${pid}`) || /\bZ\b/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')));
      await rejectsWith(r.readFiles('HEAD', ['notes.txt']), 'git-failed', /closed/);
    });
  });

  describe('diffToWorkingTree / diffBetween', () => {
    it('unchanged (even with stale stat data)', async () => {
      assert.deepEqual(await wtRepo.diffToWorkingTree(c.wtBase!, 'same.txt'), {
        status: 'unchanged',
        workingPath: 'same.txt',
        hunks: [],
      });
    });

    it('modified: lines inserted above carry a line down; the edited line itself is null', async () => {
      const d = await wtRepo.diffToWorkingTree(c.wtBase!, 'mod.txt');
      assert.equal(d.status, 'modified');
      assert.equal(d.workingPath, 'mod.txt');
      assert.deepEqual(carryLine(d.hunks, 5), { line: 7, changed: false });
      assert.deepEqual(carryLine(d.hunks, 8), { line: null, changed: true });
      assert.deepEqual(carryLine(d.hunks, 10), { line: 12, changed: false });
    });

    it('renamed and edited, not committed (git mv)', async () => {
      const d = await wtRepo.diffToWorkingTree(c.wtBase!, 'old.txt');
      assert.equal(d.status, 'renamed');
      assert.equal(d.workingPath, 'new.txt');
      assert.deepEqual(carryLine(d.hunks, 3), { line: null, changed: true });
      assert.deepEqual(carryLine(d.hunks, 20), { line: 20, changed: false });
    });

    it('renamed and edited, committed', async () => {
      const d = await repo.diffToWorkingTree(c.base!, 'src/app.ts');
      assert.equal(d.status, 'renamed');
      assert.equal(d.workingPath, 'src/main.ts');
      assert.deepEqual(carryLine(d.hunks, 10), { line: 13, changed: false });
      assert.deepEqual(carryLine(d.hunks, 20), { line: null, changed: true });
      assert.deepEqual(carryLine(d.hunks, 28), { line: null, changed: true });
      assert.deepEqual(carryLine(d.hunks, 30), { line: 32, changed: false });
    });

    it('deleted, binary, and a path that is not a file at the ref', async () => {
      assert.deepEqual(await wtRepo.diffToWorkingTree(c.wtBase!, 'gone.txt'), {
        status: 'deleted',
        workingPath: null,
        hunks: [],
      });
      assert.deepEqual(await wtRepo.diffToWorkingTree(c.wtBase!, 'data.bin'), {
        status: 'modified',
        workingPath: 'data.bin',
        hunks: [],
        binary: true,
      });
      await rejectsWith(wtRepo.diffToWorkingTree(c.wtBase!, 'new.txt'), 'bad-path', /no file "new\.txt" at /);
      await rejectsWith(repo.diffToWorkingTree(c.base!, 'many'), 'bad-path', /no file "many"/);
    });

    it('between commits: modified, renamed, deleted, unchanged', async () => {
      const m = await repo.diffBetween(c.base!, c.edit20!, 'src/app.ts');
      assert.equal(m.status, 'modified');
      assert.deepEqual(carryLine(m.hunks, 20), { line: null, changed: true });
      assert.deepEqual(carryLine(m.hunks, 21), { line: 24, changed: false });
      const r = await repo.diffBetween('base', 'HEAD', 'src/app.ts');
      assert.deepEqual([r.status, r.workingPath], ['renamed', 'src/main.ts']);
      const pure = await repo.diffBetween(c.edit20!, c.rename!, 'src/app.ts');
      assert.deepEqual(pure, { status: 'renamed', workingPath: 'src/main.ts', hunks: [] });
      const g = await repo.diffBetween(c.base!, c.doomedGone!, 'tmp/doomed.txt');
      assert.deepEqual(g, { status: 'deleted', workingPath: null, hunks: [] });
      const u = await repo.diffBetween(c.base!, 'v5.5.1', 'docs/read me.md');
      assert.deepEqual(u, { status: 'unchanged', workingPath: 'docs/read me.md', hunks: [] });
    });
    it('a path is a file name, never a pattern: "glob/*.txt" is that file only', async () => {
      assert.equal((await repo.diffBetween(c.base!, 'HEAD', 'glob/a.txt')).status, 'modified');
      assert.deepEqual(await repo.diffBetween(c.base!, 'HEAD', 'glob/*.txt'), {
        status: 'unchanged',
        workingPath: 'glob/*.txt',
        hunks: [],
      });
      assert.deepEqual(await repo.commitsTouching(c.base!, 'glob/*.txt', 1, 1), []);
      assert.equal((await repo.diffToWorkingTree(c.base!, 'glob/*.txt')).status, 'unchanged');
    });
  });

  describe('commitsTouching', () => {
    const subjects = async (start: number, end: number, file = 'src/app.ts'): Promise<string[]> =>
      (await repo.commitsTouching(c.base!, file, start, end)).map((x) => x.subject);

    it('a commit that only inserted lines above does not count; a rename is not a change', async () => {
      assert.deepEqual(await subjects(10, 10), []);
    });

    it('the commit that edited the line counts, with its details', async () => {
      const got = await repo.commitsTouching(c.base!, 'src/app.ts', 20, 20);
      assert.equal(got.length, 1);
      assert.deepEqual(got[0], {
        commit: c.edit20,
        subject: 'edit line 20',
        author: 'Test Person',
        date: hist.git('log', '-1', '--format=%aI', c.edit20!).trim(),
      });
    });

    it('follows the lines through a rename in between', async () => {
      assert.deepEqual(await subjects(25, 25), ['edit line 25 after the rename']);
    });

    it('a range gets every commit in it, newest first; a deleted line, the deleting commit', async () => {
      assert.deepEqual(await subjects(19, 26), ['edit line 25 after the rename', 'edit line 20']);
      assert.deepEqual(await subjects(28, 28), ['delete line 28']);
    });

    it('a file deleted since: the deleting commit, then what touched the lines before', async () => {
      assert.deepEqual(await subjects(2, 2, 'tmp/doomed.txt'), ['delete doomed.txt', 'edit doomed line 2']);
      assert.deepEqual(await subjects(5, 5, 'tmp/doomed.txt'), ['delete doomed.txt']);
    });

    it('nothing since the ref, and bad ranges', async () => {
      assert.deepEqual(await repo.commitsTouching('HEAD', 'src/main.ts', 1, 3), []);
      await assert.rejects(repo.commitsTouching(c.base!, 'src/app.ts', 0, 1), RangeError);
      await assert.rejects(repo.commitsTouching(c.base!, 'src/app.ts', 5, 4), RangeError);
      await rejectsWith(
        repo.commitsTouching(c.base!, 'src/main.ts', 1, 1),
        'bad-path',
        /no file "src\/main\.ts"/,
      );
    });
  });

  describe('what git may run', () => {
    it('ignores the GIT_* variables, editor and pager of whoever started the process', async () => {
      const saved = { ...process.env };
      Object.assign(process.env, {
        GIT_DIR: path.join(wt.dir, '.git'),
        GIT_WORK_TREE: wt.dir,
        GIT_INDEX_FILE: path.join(root, 'no-index'),
        EDITOR: 'vi',
        PAGER: 'less',
      });
      let r: GitRepo | undefined;
      try {
        r = await GitRepo.open(hist.dir);
        assert.equal(r.root, fs.realpathSync(hist.dir));
        assert.ok((await r.listTree('HEAD')).includes('src/main.ts'));
        assert.equal((await r.diffToWorkingTree('HEAD', 'notes.txt')).status, 'unchanged');
      } finally {
        r?.close();
        for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'EDITOR', 'PAGER'])
          delete process.env[k];
        Object.assign(process.env, saved);
      }
    });

    it('runs no program the repository configures (fsmonitor, diff drivers, hooks)', async () => {
      const evil = new Fixture(path.join(root, 'evil'));
      const marks = fs.mkdtempSync(path.join(root, 'evil-marks-'));
      const touch = (name: string): string => `touch '${path.join(marks, name)}'; true`;
      evil.write('f.txt', numbered(5));
      evil.write('.gitattributes', '*.txt diff=evil\n');
      const first = evil.commit('first');
      evil.edit('f.txt', (l) => [...l, 'line 6']);
      evil.commit('second');
      evil.edit('f.txt', (l) => ['line 0', ...l]);
      evil.git('config', 'core.fsmonitor', touch('fsmonitor'));
      evil.git('config', 'diff.external', touch('external'));
      evil.git('config', 'diff.evil.textconv', `${touch('textconv')} cat`);
      evil.git('config', 'core.pager', touch('pager'));
      // Settings that change what git prints: the answers must not depend on them.
      for (const [k, v] of [
        ['diff.interHunkContext', '10'],
        ['color.ui', 'always'],
        ['diff.noprefix', 'true'],
        ['log.follow', 'true'],
        ['log.showSignature', 'true'],
        ['diff.renames', 'false'],
      ])
        evil.git('config', k!, v!);
      const hooks = path.join(evil.dir, '.git', 'hooks');
      for (const hook of ['post-index-change', 'reference-transaction', 'post-checkout']) {
        fs.writeFileSync(path.join(hooks, hook), `#!/bin/sh\n${touch(hook)}\n`, { mode: 0o755 });
      }
      const index = evil.indexMtime();
      const r = await GitRepo.open(evil.dir);
      try {
        const d = await r.diffToWorkingTree(first, 'f.txt');
        assert.equal(d.status, 'modified');
        assert.equal(d.hunks.length, 2, 'two hunks five lines apart stay two');
        assert.deepEqual(carryLine(d.hunks, 3), { line: 4, changed: false });
        assert.equal((await r.diffBetween(first, 'HEAD', 'f.txt')).hunks.length, 1);
        assert.equal((await r.commitsTouching(first, 'f.txt', 5, 5)).length, 0);
        assert.equal((await r.resolveRef('main')).kind, 'branch');
        assert.deepEqual(await r.listTree('HEAD'), ['.gitattributes', 'f.txt']);
        assert.ok((await r.readFiles('HEAD', ['f.txt'])).get('f.txt'));
      } finally {
        r.close();
      }
      assert.deepEqual(fs.readdirSync(marks), []);
      assert.equal(evil.indexMtime(), index);
      // The same diff run plainly does run them: the configuration above is live.
      evil.git('diff', first, '--', 'f.txt');
      assert.ok(fs.readdirSync(marks).includes('external'));
    });
  });

  describe('hostile refs and paths', () => {
    const markers = fs.mkdtempSync(path.join(root, 'markers-'));
    const m = (name: string): string => path.join(markers, name);
    type Outcome = { code: GitError['code']; message: RegExp } | 'absent';
    const refused = (code: GitError['code'], message: RegExp): Outcome => ({ code, message });
    // Each payload with what it must give as a ref and as a path. A payload that is a legal name (`a;b` is a
    // valid ref and file name) is simply not found: unknown-ref, or no such file.
    const PAYLOADS: { input: string; asRef: Outcome; asPath: Outcome }[] = [
      ...[
        `--upload-pack=touch ${m('upload')}`,
        `-c core.pager=touch ${m('pager')}`,
        `--output=${m('output')}`,
      ].map((input) => ({
        input,
        asRef: refused('bad-ref', /may not start with "-"/),
        asPath: refused('bad-path', /may not start with "-"/),
      })),
      {
        input: '../../etc/passwd',
        asRef: refused('bad-ref', /may not contain "\.\."/),
        asPath: refused('bad-path', /"\.\." part/),
      },
      { input: `$(touch ${m('subst')})`, asRef: refused('bad-ref', /whitespace/), asPath: 'absent' },
      { input: '`id`', asRef: refused('unknown-ref', /"`id`"/), asPath: 'absent' },
      { input: `\`touch ${m('tick')}\``, asRef: refused('bad-ref', /whitespace/), asPath: 'absent' },
      { input: 'a;b', asRef: refused('unknown-ref', /"a;b"/), asPath: 'absent' },
      { input: `a;touch${m('semi')}`, asRef: refused('unknown-ref', /"a;touch/), asPath: 'absent' },
      {
        input: 'x'.repeat(300),
        asRef: refused('bad-ref', /at most 255 characters \(this has 300\)/),
        asPath: 'absent',
      },
      {
        input: 'x'.repeat(5000),
        asRef: refused('bad-ref', /at most 255/),
        asPath: refused('bad-path', /at most 4096 characters \(this has 5000\)/),
      },
      {
        input: 'v5.5.1\0--output=x',
        asRef: refused('bad-ref', /\(NUL\)/),
        asPath: refused('bad-path', /\(NUL\)/),
      },
      {
        input: 'notes.txt\nHEAD:src/main.ts',
        asRef: refused('bad-ref', /\(a newline\)/),
        asPath: refused('bad-path', /\(a newline\)/),
      },
      {
        input: 'notes\uFFFD.txt',
        asRef: refused('bad-ref', /U\+FFFD/),
        asPath: refused('bad-path', /U\+FFFD/),
      },
      {
        input: 'notes\uD800.txt',
        asRef: refused('bad-ref', /lone surrogate/),
        asPath: refused('bad-path', /lone surrogate/),
      },
      {
        input: '/etc/passwd',
        asRef: refused('bad-ref', /start with "\/"/),
        asPath: refused('bad-path', /absolute/),
      },
    ];

    before(() => assert.notEqual(untouched.wt, '', 'the working-tree repository has changes to keep'));

    async function check(
      what: string,
      call: () => Promise<unknown>,
      outcome: Outcome,
      absent?: () => Promise<void>,
    ) {
      if (outcome === 'absent') {
        if (absent) return absent();
        return rejectsWith(call(), 'bad-path', /^no file ".*" at [0-9a-f]{12}$/);
      }
      try {
        await rejectsWith(call(), outcome.code, outcome.message);
      } catch (e) {
        throw new Error(`${what}: ${(e as Error).message}`, { cause: e });
      }
    }

    for (const { input, asRef, asPath } of PAYLOADS) {
      const title = JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
      it(`${title} is refused everywhere`, async () => {
        if (asRef !== 'absent' && asRef.code === 'bad-ref')
          throwsWith(() => validateRef(input), 'bad-ref', asRef.message);
        if (asPath !== 'absent') throwsWith(() => validatePath(input), 'bad-path', asPath.message);
        else validatePath(input);
        for (const r of [repo, wtRepo]) {
          const file = r === repo ? 'notes.txt' : 'same.txt';
          const base = r === repo ? c.base! : c.wtBase!;
          await check('resolveRef', () => r.resolveRef(input), asRef);
          await check('listTree', () => r.listTree(input), asRef);
          await check('readFiles ref', () => r.readFiles(input, [file]), asRef);
          await check(
            'readFiles path',
            () => r.readFiles('HEAD', [file, input]),
            asPath,
            async () => {
              const got = await r.readFiles('HEAD', [file, input]);
              assert.equal(got.get(input), null);
              assert.ok(got.get(file));
            },
          );
          await check('diffToWorkingTree ref', () => r.diffToWorkingTree(input, file), asRef);
          await check('diffToWorkingTree path', () => r.diffToWorkingTree(base, input), asPath);
          await check('diffBetween from', () => r.diffBetween(input, 'HEAD', file), asRef);
          await check('diffBetween to', () => r.diffBetween(base, input, file), asRef);
          await check('diffBetween path', () => r.diffBetween(base, 'HEAD', input), asPath);
          await check('commitsTouching ref', () => r.commitsTouching(input, file, 1, 1), asRef);
          await check('commitsTouching path', () => r.commitsTouching(base, input, 1, 1), asPath);
        }
      });
    }

    it('left no trace: no marker file, same status, index untouched, cat-file still serving', async () => {
      assert.deepEqual(fs.readdirSync(markers), []);
      assert.equal(hist.status(), untouched.hist);
      assert.equal(wt.status(), untouched.wt);
      assert.equal(hist.indexMtime(), untouched.histIndex);
      assert.equal(wt.indexMtime(), untouched.wtIndex);
      assert.equal(repo.catFileStats.starts, 1);
      assert.equal((await repo.readFiles('HEAD', ['notes.txt'])).get('notes.txt')?.toString(), 'notes 9\n');
    });
  });
});
