// A folder on disk as a tree the resolver can search: for a restricted (untrusted) workspace, where git must not
// run, and for folders that are not repositories. Answers from it are about the working tree, not a ref.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { blobText } from './workspace';
import { RepoTree } from './tree';

/** Folders that never hold the product's own source. */
const SKIP = new Set(['.git', '.hg', '.svn', 'node_modules', '.escalate', '.vscode-test', '.bench']);
/** A bound on the walk: a folder with more files than this is indexed in part (and says so). */
const MAX_FILES = 500_000;

export interface FolderIndex {
  tree: RepoTree;
  /** True when the walk stopped at MAX_FILES. */
  partial: boolean;
}

/** Lists the files under `dir` (symlinks not followed) into a tree labelled as the working tree. */
export function indexFolder(dir: string, name = path.basename(dir)): FolderIndex {
  const root = path.resolve(dir);
  const paths: string[] = [];
  const stack = [''];
  let partial = false;
  while (stack.length > 0 && !partial) {
    const rel = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) stack.push(p);
      } else if (e.isFile()) {
        paths.push(p);
        if (paths.length >= MAX_FILES) {
          partial = true;
          break;
        }
      }
    }
  }
  const tree = new RepoTree(
    {
      repo: name,
      root,
      ref: 'working tree',
      commit: '',
      exact: false,
      refNote: "the working tree, not the customer's version (git is off)",
    },
    paths,
    (want) =>
      Promise.resolve(
        new Map(
          want.map((p) => {
            try {
              return [p, blobText(fs.readFileSync(path.join(root, p)))];
            } catch {
              return [p, null];
            }
          }),
        ),
      ),
  );
  return { tree, partial };
}
