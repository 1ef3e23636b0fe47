// Opens the workspace's repositories at the customer's version and indexes their trees: the bridge between
// core/git (which talks to git) and the resolver (which only sees paths and file texts).

import * as path from 'node:path';
import { GitError, GitRepo, type ResolvedRef } from '../git';
import { decodeBytes, looksBinary } from '../trace/decode';
import type { HistorySource } from './history';
import { RepoTree } from './tree';

export interface WorkspaceRepo {
  git: GitRepo;
  tree: RepoTree;
  /** Null when resolving at HEAD because no version was asked for (or this repository lacks it). */
  ref: ResolvedRef | null;
}

export interface Workspace {
  repos: WorkspaceRepo[];
  /** Directories that are not in a git work tree (only with `skipNonRepos`). */
  notRepos: string[];
  /** Things the user must know: a repository without the version, a version matched to a branch. */
  warnings: string[];
  sources: Map<string, HistorySource>;
  close(): void;
}

/** Text of a file at a ref; null for binary files (NUL bytes) so that nothing scans them as source. */
export function blobText(b: Buffer | null): string | null {
  if (b === null) return null;
  if (looksBinary(b.subarray(0, 8192))) return null;
  return decodeBytes(b).text;
}

/**
 * Indexes one repository at a ref. `standIn` says why HEAD stands in for a version the repository lacks: the
 * tree's answers are then approximate.
 */
export async function indexRepo(
  git: GitRepo,
  ref: ResolvedRef | null,
  head: string,
  name?: string,
  standIn?: string,
): Promise<RepoTree> {
  const commit = ref?.commit ?? head;
  const tree = new RepoTree(
    {
      repo: name ?? path.basename(git.root),
      root: git.root,
      ref: ref?.name ?? 'HEAD',
      commit,
      exact: standIn === undefined && (ref ? ref.exact : true),
      ...(standIn !== undefined ? { refNote: standIn } : ref?.note ? { refNote: ref.note } : {}),
    },
    [],
    async (want) => {
      const got = await git.readFiles(commit, want);
      return new Map(want.map((p) => [p, blobText(got.get(p) ?? null)]));
    },
  );
  // The index grows while git is still listing: the two work side by side.
  await git.listTreeChunks(commit, (names) => tree.add(names));
  return tree;
}

/**
 * Opens each directory's repository at `refOrVersion` (a tag, branch, commit or version string). A product made
 * of several repositories may lack the version in some: those are resolved at HEAD, marked approximate, with a
 * warning; when none has it the request fails.
 */
export async function openWorkspace(
  dirs: readonly string[],
  refOrVersion: string | null,
  options: { skipNonRepos?: boolean } = {},
): Promise<Workspace> {
  const repos: WorkspaceRepo[] = [];
  const notRepos: string[] = [];
  const warnings: string[] = [];
  const failures: GitError[] = [];
  const names = new Set<string>();
  try {
    for (const dir of dirs) {
      let git: GitRepo;
      try {
        git = await GitRepo.open(dir);
      } catch (e) {
        // An editor workspace may hold plain folders beside the repositories; the CLI's --repo may not.
        if (!options.skipNonRepos || !(e instanceof GitError) || e.code !== 'not-a-repo') throw e;
        notRepos.push(dir);
        continue;
      }
      let name = path.basename(git.root);
      for (let i = 2; names.has(name); i++) name = `${path.basename(git.root)}-${i}`;
      names.add(name);
      const head = await git.head();
      let ref: ResolvedRef | null = null;
      if (refOrVersion !== null) {
        try {
          ref = await git.resolveRef(refOrVersion);
          if (ref.note) warnings.push(`${name}: ${ref.note}`);
        } catch (e) {
          if (!(e instanceof GitError) || e.code !== 'unknown-ref') {
            git.close();
            throw e;
          }
          failures.push(e);
          if (head === null) {
            git.close();
            continue;
          }
          warnings.push(`${name}: ${e.message}; resolving at HEAD instead`);
          const note = `${name} has no ${refOrVersion}: resolved at HEAD`;
          repos.push({ git, tree: await indexRepo(git, null, head, name, note), ref: null });
          continue;
        }
      }
      const at = head ?? ref?.commit;
      if (at === undefined) {
        warnings.push(`${name}: the repository has no commits`);
        git.close();
        continue;
      }
      repos.push({ git, tree: await indexRepo(git, ref, at, name), ref });
    }
  } catch (e) {
    for (const r of repos) r.git.close();
    throw e;
  }
  if (refOrVersion !== null && failures.length > 0 && failures.length === dirs.length - notRepos.length) {
    for (const r of repos) r.git.close();
    throw failures[0]!;
  }
  return {
    repos,
    notRepos,
    warnings,
    sources: new Map(repos.map((r) => [r.tree.info.repo, r.git])),
    close: () => repos.forEach((r) => r.git.close()),
  };
}
