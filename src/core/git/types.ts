// The shapes core/git hands to the rest of the product: what a ref resolved to, a file's diff, a commit.
// Kept apart from the code that runs git so that pure modules (validation, diff maths) can use them.

/** Why a git request was refused or failed; `message` is one line a user can act on. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly code: 'bad-ref' | 'bad-path' | 'not-a-repo' | 'unknown-ref' | 'git-failed',
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** What a customer's version, tag, branch or commit resolved to. */
export interface ResolvedRef {
  /** What was asked for, as given. */
  input: string;
  /** `tag`, `branch`, `remote-branch`, `commit`; `version-tag` / `version-branch` when a bare version matched. */
  kind: 'tag' | 'branch' | 'remote-branch' | 'commit' | 'version-tag' | 'version-branch';
  /** Short name a person reads (`v5.5.1`, `release/5.5`, or the abbreviated commit). */
  name: string;
  /** Full ref (`refs/tags/v5.5.1`) or the full commit id for a commit. */
  fullName: string;
  /** Commit id (peeled: a tag resolves to its commit). */
  commit: string;
  /** False when the answer is a release branch's tip rather than the build itself. */
  exact: boolean;
  /** Why a non-exact answer was chosen, or what else matched. */
  note?: string;
}

/** One hunk of a `-U0` diff: old and new ranges (a count of 0 means an empty range after `start`). */
export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
}

export interface FileDiff {
  /** `unchanged`, `modified`, `renamed` (maybe modified too), `deleted` (gone from the working tree). */
  status: 'unchanged' | 'modified' | 'renamed' | 'deleted';
  /** Path of the file in the working tree (differs from the ref's path after a rename), null when deleted. */
  workingPath: string | null;
  hunks: Hunk[];
  /** Git sees the file as binary: it gives no hunks, so lines cannot be carried across the change. */
  binary?: boolean;
}

export interface CommitInfo {
  commit: string;
  subject: string;
  author: string;
  /** ISO 8601 author date. */
  date: string;
}
