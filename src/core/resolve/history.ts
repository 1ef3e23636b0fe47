// What happened to a resolved line after the customer's version: where it is in the working tree (carried
// across the diff) and which commits since the ref touched it — perhaps the bug is already fixed.

import { carryLine, type CommitInfo, type FileDiff } from '../git';
import type { Resolution } from './resolver';
import type { RepoTree } from './tree';

/** The part of a repository the history step needs (GitRepo provides it; tests may fake it). */
export interface HistorySource {
  diffToWorkingTree(commit: string, path: string): Promise<FileDiff>;
  /** Every changed file at once (keyed by its path at `commit`; absent = unchanged), for many files. */
  diffAllToWorkingTree?(commit: string): Promise<Map<string, FileDiff>>;
  commitsTouching(commit: string, path: string, start: number, end: number): Promise<CommitInfo[]>;
}

export interface LineHistory {
  /** Path in the working tree (differs after a rename), null when the file is gone. */
  workingPath: string | null;
  /** The same line in the working tree, null when it was changed or deleted since the ref (or the file is gone). */
  workingLine: number | null;
  /** `unchanged`: the file is as at the ref; `moved`: the line only shifted; `changed`: the line itself was edited
   *  or deleted; `deleted`: the file is gone. */
  status: 'unchanged' | 'moved' | 'changed' | 'deleted';
  /** Commits in ref..HEAD that touched the line, newest first. */
  changedSince: { commit: string; subject: string; author: string; date: string }[];
}

/** Files of one repository and ref above which one whole-tree diff is cheaper than a diff per file. */
const WHOLE_TREE_AFTER = 8;

/** Carries lines for many frames, reading each file's diff once. */
export class HistoryCache {
  private diffs = new Map<string, Promise<FileDiff>>();
  private touches = new Map<string, Promise<CommitInfo[]>>();
  /** Whole-tree diffs by `repo\0commit`. */
  private wholeTree = new Map<string, Promise<Map<string, FileDiff>>>();

  constructor(
    private readonly sources: Map<RepoTree['info']['repo'], HistorySource>,
    /** Files of one repository and ref above which prefetch diffs the whole tree at once. */
    private readonly wholeTreeAfter = WHOLE_TREE_AFTER,
  ) {}

  private diff(repo: string, src: HistorySource, commit: string, path: string): Promise<FileDiff> {
    const key = `${repo}\0${commit}\0${path}`;
    let d = this.diffs.get(key);
    if (!d) this.diffs.set(key, (d = src.diffToWorkingTree(commit, path)));
    return d;
  }

  /**
   * Prepares the diffs for many answers at once: where one repository and ref have more than a few files to
   * carry, one whole-tree diff replaces a diff (and perhaps a rename search) per file.
   */
  async prefetch(answers: Iterable<Resolution>): Promise<void> {
    const want = new Map<string, { src: HistorySource; repo: string; commit: string; paths: Set<string> }>();
    for (const r of answers) {
      const src = this.sources.get(r.repo);
      if (!src?.diffAllToWorkingTree || this.diffs.has(`${r.repo}\0${r.commit}\0${r.path}`)) continue;
      const key = `${r.repo}\0${r.commit}`;
      let w = want.get(key);
      if (!w) want.set(key, (w = { src, repo: r.repo, commit: r.commit, paths: new Set() }));
      w.paths.add(r.path);
    }
    for (const [key, w] of want) {
      // Once one trace needed the whole-tree diff, the next traces at the same commit reuse it.
      let all = this.wholeTree.get(key);
      if (!all) {
        if (w.paths.size <= this.wholeTreeAfter) continue;
        all = w.src.diffAllToWorkingTree!(w.commit);
        this.wholeTree.set(key, all);
        all.catch(() => this.wholeTree.delete(key));
      }
      for (const p of w.paths) {
        this.diffs.set(
          `${w.repo}\0${w.commit}\0${p}`,
          all.then((m) => m.get(p) ?? { status: 'unchanged', workingPath: p, hunks: [] }),
        );
      }
      await all;
    }
  }

  /** Forgets every diff and history: the working tree or HEAD changed (a file saved, a commit, a checkout). */
  invalidate(): void {
    this.diffs.clear();
    this.touches.clear();
    this.wholeTree.clear();
  }

  /** Working-tree line and status only (one diff per file unless prefetched): what carrying frames costs. */
  async carry(r: Resolution): Promise<Omit<LineHistory, 'changedSince'> | null> {
    const src = this.sources.get(r.repo);
    if (!src) return null;
    const d = await this.diff(r.repo, src, r.commit, r.path);
    if (d.status === 'deleted' || d.workingPath === null)
      return { workingPath: null, workingLine: null, status: 'deleted' };
    if (r.line === null) return { workingPath: d.workingPath, workingLine: null, status: 'unchanged' };
    const c = carryLine(d.hunks, r.line);
    return {
      workingPath: d.workingPath,
      workingLine: c.line,
      status: c.changed ? 'changed' : c.line === r.line && d.workingPath === r.path ? 'unchanged' : 'moved',
    };
  }

  async history(r: Resolution): Promise<LineHistory | null> {
    const carried = await this.carry(r);
    if (!carried) return null;
    const src = this.sources.get(r.repo)!;
    let changedSince: CommitInfo[] = [];
    if (r.line !== null) {
      const key = `${r.repo}\0${r.commit}\0${r.path}\0${r.line}`;
      let t = this.touches.get(key);
      if (!t) this.touches.set(key, (t = src.commitsTouching(r.commit, r.path, r.line, r.line)));
      changedSince = await t;
    }
    return { ...carried, changedSince: changedSince.map((c) => ({ ...c })) };
  }
}
