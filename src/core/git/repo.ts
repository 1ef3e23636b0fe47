// A repository as the product reads it: refs, trees, files, diffs and line history at the customer's
// version. Every ref and path is validated, then reaches git only after `--end-of-options` or `--`.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import * as path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { CatFileBatch } from './catfile';
import { carryRange, parseZeroContextDiff } from './lines';
import {
  closestTags,
  FOR_EACH_REF_FORMAT,
  kindOf,
  matchExplicit,
  matchVersion,
  parseForEachRef,
  versionsOf,
  type RefInfo,
  type RefMatch,
} from './refs';
import { GitError, type CommitInfo, type FileDiff, type ResolvedRef } from './types';
import { quote, refProblem, validatePath, validateRef } from './validate';

// Settings that would run a program (fsmonitor, hooks) or reach the network are overridden whatever the
// repository's or the user's configuration says. `git diff` against the working tree rewrites the index when
// it meets stat-only changes, GIT_OPTIONAL_LOCKS or not; diff.autoRefreshIndex=false is what stops it.
const CONFIG = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'protocol.allow=never',
  'diff.autoRefreshIndex=false',
];
const CONFIG_ARGS = CONFIG.flatMap((c) => ['-c', c]);

const OUR_ENV: Record<string, string> = {
  // Commands that refresh the index as a side effect leave it alone (`git diff` needs the setting above).
  GIT_OPTIONAL_LOCKS: '0',
  GIT_TERMINAL_PROMPT: '0',
  GIT_NO_REPLACE_OBJECTS: '1',
  // Paths are file names, never pathspec magic (`:(exclude)`, `*`).
  GIT_LITERAL_PATHSPECS: '1',
  // A partial clone would fetch a missing blob on demand (git ≥ 2.44 obeys this; protocol.allow stops older).
  GIT_NO_LAZY_FETCH: '1',
  LC_ALL: 'C',
};

// Variables git (or simple-git's guard) treats as programs to run or places to read config from: the ambient
// values belong to whoever started the editor, not to this repository.
const DROPPED_ENV = /^(GIT_.*|EDITOR|VISUAL|PAGER|PREFIX|SSH_ASKPASS|LESS|LV)$/i;

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !DROPPED_ENV.test(k)) env[k] = v;
  return { ...env, ...OUR_ENV };
}

const DIFF_FLAGS = ['--no-ext-diff', '--no-textconv', '--no-color'];
// A user's diff.interHunkContext would merge nearby hunks: the unchanged lines between would read as changed.
const ZERO_CONTEXT = ['-U0', '--inter-hunk-context=0'];
const LOG_FLAGS = [
  '--no-color',
  '--no-show-signature',
  '--no-notes',
  '--no-ext-diff',
  '--no-textconv',
  '--no-follow',
];
const COMMIT_FORMAT = '--format=%x1e%H%x1f%P%x1f%an%x1f%aI%x1f%s';
const FULL_OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const HEX = /^[0-9a-fA-F]{4,64}$/;

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

function gitMessage(e: unknown): string {
  return firstLine(e instanceof Error ? e.message : String(e)).replace(/^(fatal|error): /, '');
}

/** Characters (or a leading `-`, or `..`) that make a name worth validatePath's full check. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const SUSPICIOUS = /[\x01-\x1f\x7f\uFFFD\uD800-\uDFFF]|(?:^|\0)-|\.\./;

const PLAIN_PATH = /^\w[\w ./+@=,#%&()[\]{}~!$;'-]*$/;

/** Whether validatePath accepts `p`: a name from git that this module could hand back to it. */
function readable(p: string): boolean {
  // Most names are plain ASCII; only the others pay for validatePath's full set of checks.
  if (PLAIN_PATH.test(p) && p.length <= 4096 && !p.includes('..')) return true;
  try {
    validatePath(p);
    return true;
  } catch {
    return false;
  }
}

function parseCommits(text: string): (CommitInfo & { parents: string[] })[] {
  return text
    .split('\x1e')
    .slice(1)
    .map((rec) => {
      const [commit = '', parents = '', author = '', date = '', subject = ''] = rec.split('\x1f');
      return {
        commit,
        parents: parents.split(' ').filter(Boolean),
        author,
        date,
        subject: subject.trimEnd(),
      };
    });
}

function countLines(data: Buffer): number {
  if (data.length === 0) return 0;
  let n = 0;
  for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) n++;
  return data[data.length - 1] === 10 ? n : n + 1;
}

function simple(dir: string, env: NodeJS.ProcessEnv): SimpleGit {
  return simpleGit({
    baseDir: dir,
    config: CONFIG,
    // simple-git refuses these settings by default because a hostile value would run a program; ours turn
    // that off. Nothing else is unlocked: refs and paths never reach git as options.
    unsafe: { allowUnsafeFsMonitor: true, allowUnsafeHooksPath: true, allowUnsafeProtocolOverride: true },
    allowEnvironment: Object.keys(OUR_ENV),
  }).env(env);
}

export class GitRepo {
  private readonly cat: CatFileBatch;
  /** Full commit ids known to exist: an id names the same commit forever. */
  private readonly knownCommits = new Set<string>();

  private constructor(
    /** Absolute top level of the work tree. */
    readonly root: string,
    private readonly git: SimpleGit,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.cat = new CatFileBatch(root, CONFIG_ARGS, env);
  }

  /** The repository whose work tree holds `dir`; GitError('not-a-repo') otherwise (bare repos included). */
  static async open(dir: string): Promise<GitRepo> {
    const abs = path.resolve(dir);
    let isDir = false;
    try {
      isDir = fs.statSync(abs).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw new GitError(`not a git work tree: ${abs} is not a directory`, 'not-a-repo');
    const env = gitEnv();
    let out: string;
    try {
      out = await simple(abs, env).raw(['rev-parse', '--is-inside-work-tree', '--show-toplevel']);
    } catch (e) {
      throw new GitError(`not a git work tree: ${abs} (${gitMessage(e)})`, 'not-a-repo');
    }
    const [inside, top] = out.split('\n');
    if (inside !== 'true' || !top) throw new GitError(`not a git work tree: ${abs}`, 'not-a-repo');
    const root = path.resolve(top);
    return new GitRepo(root, simple(root, env), env);
  }

  /** For diagnostics and tests: the cat-file process's id and how many were started. */
  get catFileStats(): { pid: number | null; starts: number } {
    return { pid: this.cat.pid, starts: this.cat.starts };
  }

  private async run(args: string[]): Promise<string> {
    try {
      return await this.git.raw(args);
    } catch (e) {
      throw new GitError(`git ${args[0]} failed: ${gitMessage(e)}`, 'git-failed');
    }
  }

  /** The full id of the commit `ref` names (validated); GitError('unknown-ref') when there is none. */
  private async commitOf(ref: string): Promise<string> {
    validateRef(ref);
    if (this.knownCommits.has(ref)) return ref;
    const [reply] = await this.cat.request([`${ref}^{commit}`]);
    if (!reply?.found) {
      const why = reply?.reason === 'ambiguous' ? 'is ambiguous: give more digits' : 'is not a commit here';
      throw new GitError(`${quote(ref)} ${why}`, 'unknown-ref');
    }
    if (FULL_OID.test(ref)) this.knownCommits.add(ref);
    this.knownCommits.add(reply.oid);
    return reply.oid;
  }

  /** Commit of HEAD, null in an empty repository. */
  async head(): Promise<string | null> {
    const [reply] = await this.cat.request(['HEAD^{commit}']);
    return reply?.found ? reply.oid : null;
  }

  /**
   * A tag, branch, remote branch or commit id, else a bare version (`5.5.1`, `v5.5`, `5.5.1.1234`) matched
   * to the tags and release branches a release process makes. GitError('unknown-ref') names the closest tags.
   */
  async resolveRef(what: string): Promise<ResolvedRef> {
    validateRef(what);
    const refs = await this.allRefs();
    const found = matchExplicit(what, refs);
    if (found) return this.finish(what, found);
    if (HEX.test(what) || what === 'HEAD') {
      const [reply] = await this.cat.request([`${what}^{commit}`]);
      if (reply?.found) {
        const name = what === 'HEAD' ? 'HEAD' : reply.oid.slice(0, 12);
        return { input: what, kind: 'commit', name, fullName: reply.oid, commit: reply.oid, exact: true };
      }
      if (reply?.reason === 'ambiguous')
        throw new GitError(`commit id ${quote(what)} is ambiguous: give more digits`, 'unknown-ref');
    }
    const version = matchVersion(what, refs);
    if (version) return this.finish(what, version);
    const tags = [...refs.keys()].filter((r) => r.startsWith('refs/tags/')).map((r) => r.slice(10));
    const near = closestTags(what, tags);
    const asked = versionsOf(what)
      ? `no tag or release branch for version ${quote(what)}`
      : `no ref ${quote(what)}`;
    const hint = near.length ? `closest tags: ${near.join(', ')}` : 'the repository has no tags';
    throw new GitError(`${asked}; ${hint}`, 'unknown-ref');
  }

  private async finish(input: string, m: RefMatch): Promise<ResolvedRef> {
    let commit = m.record.commit;
    if (commit === null) {
      // A tag of a tag, or of something that is not a commit: let git peel it all the way.
      const [reply] = await this.cat.request([`${m.fullName}^{commit}`]);
      if (!reply?.found) throw new GitError(`${m.name} does not point at a commit`, 'unknown-ref');
      commit = reply.oid;
    }
    const { record: _record, ...rest } = m;
    return { input, ...rest, commit };
  }

  /**
   * Every file path at `commit`: blobs, symlinks included, submodules not. Names validatePath would refuse
   * are left out so that every path listed can be read back: above all names that are not UTF-8, which a
   * string cannot name (they decode to U+FFFD), and names holding a newline or starting with `-`.
   */
  async listTree(commit: string): Promise<string[]> {
    const paths: string[] = [];
    await this.listTreeChunks(commit, (names) => {
      for (const n of names) paths.push(n);
    });
    return paths;
  }

  /**
   * Lists the files at `commit` as git writes them, handing each chunk of names to `onNames` while git is still
   * walking the tree, so that whoever indexes them works alongside git instead of after it. Submodule gitlinks
   * (named in `.gitmodules`) and names validatePath would refuse (not UTF-8, control characters, a leading `-`)
   * are left out. A gitlink without a `.gitmodules` entry (a broken submodule) is listed; reading it gives null.
   */
  async listTreeChunks(commit: string, onNames: (names: string[]) => void): Promise<number> {
    const oid = await this.commitOf(commit);
    const gitlinks = new Set<string>();
    const [modules] = await this.cat.request([`${oid}:.gitmodules`]);
    if (modules?.found && modules.type === 'blob') {
      for (const line of modules.data.toString('utf8').split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0 && line.slice(0, eq).trim() === 'path') gitlinks.add(line.slice(eq + 1).trim());
      }
    }
    // `--name-only` is the listing git writes fastest (the long form or --format cost it 1.2–1.4×). Spawned
    // directly rather than through simple-git, which hands output over only once the process has ended.
    // ls-tree takes no `--`: after --end-of-options a `--` would be read as a path and match nothing.
    const args = [
      ...CONFIG_ARGS,
      'ls-tree',
      '-r',
      '-z',
      '--name-only',
      '--full-tree',
      '--end-of-options',
      oid,
    ];
    let count = 0;
    await new Promise<void>((resolve, reject) => {
      const child = spawn('git', args, { cwd: this.root, env: this.env, shell: false, windowsHide: true });
      const decoder = new StringDecoder('utf8');
      let rest = '';
      let err = '';
      const take = (text: string, last: boolean): void => {
        const names = (rest + text).split('\0');
        rest = last ? '' : names.pop()!;
        // One scan of the whole chunk for what could make a name unreadable; only then name by name.
        const suspicious = SUSPICIOUS.test(text);
        const keep = names.filter(
          (n) =>
            n !== '' &&
            n.length <= 4096 &&
            (!suspicious || readable(n)) &&
            (gitlinks.size === 0 || !gitlinks.has(n)),
        );
        count += keep.length;
        if (keep.length > 0) onNames(keep);
      };
      child.stdout.on('data', (chunk: Buffer) => take(decoder.write(chunk), false));
      child.stderr.on('data', (chunk: Buffer) => {
        if (err.length < 4096) err += chunk.toString('utf8');
      });
      child.on('error', (e) => reject(new GitError(`git ls-tree failed: ${e.message}`, 'git-failed')));
      child.on('close', (code) => {
        if (code !== 0) {
          reject(
            new GitError(
              `git ls-tree failed: ${firstLine(err).replace(/^(fatal|error): /, '')}`,
              'git-failed',
            ),
          );
          return;
        }
        take(decoder.end(), true);
        resolve();
      });
    });
    return count;
  }

  /** The contents of `paths` at `commit`, all through the one cat-file process; null where no file is. */
  async readFiles(commit: string, paths: string[]): Promise<Map<string, Buffer | null>> {
    validateRef(commit);
    for (const p of paths) validatePath(p);
    const oid = await this.commitOf(commit);
    const unique = [...new Set(paths)];
    const replies = await this.cat.request(unique.map((p) => `${oid}:${p}`));
    return new Map(
      unique.map((p, i) => [p, replies[i]?.found && replies[i].type === 'blob' ? replies[i].data : null]),
    );
  }

  private async isFile(oid: string, file: string): Promise<boolean> {
    const [reply] = await this.cat.request([`${oid}:${file}`]);
    return reply?.found === true && reply.type === 'blob';
  }

  /** How `path` at `commit` differs in the working tree (tracked and staged files), renames followed. */
  async diffToWorkingTree(commit: string, path: string): Promise<FileDiff> {
    validateRef(commit);
    validatePath(path);
    return this.diffFile(await this.commitOf(commit), null, path);
  }

  /**
   * Every file that differs between `commit` and the working tree, keyed by its path at `commit` (files not in
   * the map are unchanged). Two processes for the whole tree instead of one or three per file: what carrying
   * the frames of many files costs. The name-status list and the patch come from the same diff pipeline, so
   * their files are in the same order; paths are taken from the NUL-separated list, never parsed from patch
   * headers (which quote and can be ambiguous).
   */
  async diffAllToWorkingTree(commit: string): Promise<Map<string, FileDiff>> {
    validateRef(commit);
    const oid = await this.commitOf(commit);
    const [names, patch] = await Promise.all([
      this.run(['diff', ...DIFF_FLAGS, '-M', '--name-status', '-z', '--end-of-options', oid, '--']),
      this.run(['diff', ...DIFF_FLAGS, '-M', ...ZERO_CONTEXT, '--end-of-options', oid, '--']),
    ]);
    const entries: { status: string; from: string; to: string }[] = [];
    const fields = names.split('\0');
    for (let i = 0; i < fields.length - 1;) {
      const status = fields[i]!;
      if (status.startsWith('R') || status.startsWith('C')) {
        entries.push({ status: status[0]!, from: fields[i + 1]!, to: fields[i + 2]! });
        i += 3;
      } else {
        entries.push({ status: status[0]!, from: fields[i + 1]!, to: fields[i + 1]! });
        i += 2;
      }
    }
    const blocks = ('\n' + patch).split('\ndiff --git ').slice(1);
    const out = new Map<string, FileDiff>();
    if (blocks.length !== entries.length)
      throw new GitError(
        `git diff listed ${entries.length} files but printed ${blocks.length} patches`,
        'git-failed',
      );
    entries.forEach((e, i) => {
      const block = blocks[i]!;
      if (e.status === 'A' || e.status === 'C') return;
      if (e.status === 'D') out.set(e.from, { status: 'deleted', workingPath: null, hunks: [] });
      else if (e.status === 'R' && !readable(e.to))
        out.set(e.from, { status: 'deleted', workingPath: null, hunks: [] });
      else out.set(e.from, this.patch(e.status === 'R' ? 'renamed' : 'modified', e.to, block));
    });
    return out;
  }

  /** How `path` at `from` differs at `to`, renames followed. */
  async diffBetween(from: string, to: string, path: string): Promise<FileDiff> {
    validateRef(from);
    validateRef(to);
    validatePath(path);
    return this.diffFile(await this.commitOf(from), await this.commitOf(to), path);
  }

  private async diffFile(from: string, to: string | null, file: string): Promise<FileDiff> {
    if (!(await this.isFile(from, file)))
      throw new GitError(`no file ${quote(file)} at ${from.slice(0, 12)}`, 'bad-path');
    const revs = to === null ? [from] : [from, to];
    const text = await this.run([
      'diff',
      ...DIFF_FLAGS,
      ...ZERO_CONTEXT,
      '--end-of-options',
      ...revs,
      '--',
      file,
    ]);
    if (text === '') return { status: 'unchanged', workingPath: file, hunks: [] };
    if (!/^deleted file mode /m.test(text) || /^new file mode /m.test(text))
      return this.patch('modified', file, text);
    // Gone from its place: a rename shows only when both sides are in the diff, so look across the tree.
    const names = await this.run([
      'diff',
      ...DIFF_FLAGS,
      '-M',
      '--name-status',
      '-z',
      '--diff-filter=R',
      '--end-of-options',
      ...revs,
      '--',
    ]);
    const fields = names.split('\0');
    let moved: string | null = null;
    for (let i = 0; i + 2 < fields.length; i += 3) {
      // A destination this module could not name back to git (not UTF-8, say) leaves the file deleted.
      if (fields[i]!.startsWith('R') && fields[i + 1] === file && readable(fields[i + 2]!))
        moved = fields[i + 2]!;
    }
    if (moved === null) return { status: 'deleted', workingPath: null, hunks: [] };
    const renamed = await this.run([
      'diff',
      ...DIFF_FLAGS,
      '-M',
      ...ZERO_CONTEXT,
      '--end-of-options',
      ...revs,
      '--',
      file,
      moved,
    ]);
    return this.patch('renamed', moved, renamed);
  }

  private patch(status: 'modified' | 'renamed', workingPath: string, text: string): FileDiff {
    if (/^(Binary files |GIT binary patch)/m.test(text))
      return { status, workingPath, hunks: [], binary: true };
    return { status, workingPath, hunks: parseZeroContextDiff(text) };
  }

  /**
   * Commits in commit..HEAD that touched lines start..end of `path` as they were at `commit`, newest first.
   * The range is carried to HEAD (through a rename) and handed to `git log -L`, which follows it back; a
   * commit that only moved the lines (by inserting above them) does not count.
   */
  async commitsTouching(commit: string, path: string, start: number, end: number): Promise<CommitInfo[]> {
    validateRef(commit);
    validatePath(path);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 1 || end < start)
      throw new RangeError(`lines must be a range of positive integers, not ${start}..${end}`);
    const from = await this.commitOf(commit);
    if (!(await this.isFile(from, path)))
      throw new GitError(`no file ${quote(path)} at ${from.slice(0, 12)}`, 'bad-path');
    const head = await this.head();
    if (head === null) return [];
    return this.touching(from, head, path, start, end, 0);
  }

  private async touching(
    from: string,
    tip: string,
    file: string,
    start: number,
    end: number,
    depth: number,
  ): Promise<CommitInfo[]> {
    if (from === tip) return [];
    const d = await this.diffFile(from, tip, file);
    if (d.status === 'deleted' || d.workingPath === null) {
      // log -L needs the file at the tip: name the commit that deleted it and look at history before that.
      const gone = parseCommits(
        await this.run([
          'log',
          ...LOG_FLAGS,
          COMMIT_FORMAT,
          '--diff-filter=D',
          '-n1',
          '--end-of-options',
          `${from}..${tip}`,
          '--',
          file,
        ]),
      )[0];
      if (!gone) return [];
      const before = gone.parents[0];
      const earlier =
        before && depth < 3 ? await this.touching(from, before, file, start, end, depth + 1) : [];
      return [info(gone), ...earlier];
    }
    const at = d.workingPath;
    const data = (await this.readFiles(tip, [at])).get(at);
    const lines = data ? countLines(data) : 0;
    if (d.binary || lines === 0) {
      // No lines to follow (emptied, or binary): every commit that changed the file may have touched them.
      const all = await this.run([
        'log',
        ...LOG_FLAGS,
        COMMIT_FORMAT,
        '--end-of-options',
        `${from}..${tip}`,
        '--',
        at,
      ]);
      return parseCommits(all).map(info);
    }
    const r = carryRange(d.hunks, start, end);
    const s = Math.min(Math.max(r.start, 1), lines);
    const e = Math.min(Math.max(r.end, s), lines);
    const out = await this.run([
      'log',
      ...LOG_FLAGS,
      `-L${s},${e}:${at}`,
      '-s',
      COMMIT_FORMAT,
      '--end-of-options',
      `${from}..${tip}`,
    ]);
    return parseCommits(out).map(info);
  }

  /** Tags, local and remote branches as for-each-ref lists them, by full name. */
  private async allRefs(): Promise<ReturnType<typeof parseForEachRef>> {
    return parseForEachRef(
      await this.run([
        'for-each-ref',
        `--format=${FOR_EACH_REF_FORMAT}`,
        'refs/tags',
        'refs/heads',
        'refs/remotes',
      ]),
    );
  }

  /** Every tag, local branch and remote branch with the commit it points at (null for a tag of a tag). */
  async listRefs(): Promise<RefInfo[]> {
    const refs = await this.allRefs();
    return [...refs.values()]
      .filter((r) => !r.fullName.endsWith('/HEAD') && readable(r.fullName))
      .map((r) => ({ ...kindOf(r.fullName), fullName: r.fullName, commit: r.commit }));
  }

  /** Whether tracked files differ from HEAD, staged or not. Untracked files do not count: a checkout keeps them. */
  async isDirty(): Promise<boolean> {
    const out = await this.run([
      'status',
      '--porcelain=v1',
      '-z',
      '--untracked-files=no',
      '--ignore-submodules=dirty',
      '--no-renames',
    ]);
    return out.length > 0;
  }

  /** The checked-out branch's short name; null when HEAD is detached. */
  async currentBranch(): Promise<string | null> {
    let out: string;
    try {
      out = await this.git.raw(['symbolic-ref', '--quiet', 'HEAD']);
    } catch {
      return null;
    }
    const full = out.trim();
    return full.startsWith('refs/heads/') ? full.slice(11) : null;
  }

  /** Full messages of the last `n` commits on HEAD, newest first; none in an empty repository. */
  async recentCommitMessages(n: number): Promise<{ commit: string; message: string }[]> {
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new RangeError(`n must be 1..1000, not ${n}`);
    const head = await this.head();
    if (head === null) return [];
    const out = await this.run([
      'log',
      ...LOG_FLAGS,
      `-n${n}`,
      '--format=%x1e%H%x1f%B',
      '--end-of-options',
      head,
      '--',
    ]);
    return out
      .split('\x1e')
      .slice(1)
      .map((rec) => {
        const sep = rec.indexOf('\x1f');
        return { commit: rec.slice(0, sep), message: rec.slice(sep + 1).trim() };
      });
  }

  /** URL of the remote `origin`, else of the first remote; null when there is none. */
  async remoteUrl(): Promise<string | null> {
    const names = (await this.run(['remote'])).split('\n').filter((n) => n !== '' && refProblem(n) === null);
    const name = names.includes('origin') ? 'origin' : names[0];
    if (name === undefined) return null;
    const url = (await this.run(['remote', 'get-url', '--end-of-options', name])).trim();
    return url === '' ? null : url;
  }

  /**
   * Creates branch `name` at `commit` without checking it out. One of the two commands here that write to the
   * repository (with checkout): git refuses a name it would not take and a branch that exists.
   */
  async createBranch(name: string, commit: string): Promise<void> {
    validateRef(name);
    const oid = await this.commitOf(commit);
    await this.run(['branch', '--no-track', '--end-of-options', name, oid]);
  }

  /** Checks out local branch `name`; git refuses when local changes would be overwritten. */
  async checkout(name: string): Promise<void> {
    validateRef(name);
    await this.run(['switch', '--no-guess', '--end-of-options', name]);
  }

  /** Ends the long-lived cat-file process; the repository cannot read files afterwards. Idempotent. */
  close(): void {
    this.cat.close();
  }
}

function info(c: CommitInfo): CommitInfo {
  return { commit: c.commit, subject: c.subject, author: c.author, date: c.date };
}
