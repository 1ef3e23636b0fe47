// The only module that talks to git. Refs and paths that come from traces and cases are untrusted: each is
// validated before use and passed after `--end-of-options` or `--`, never as an option; nothing here runs a
// shell, a hook, a diff driver or a fetch. Nothing writes to the repository but createBranch and checkout, which
// run only when the user starts or switches a case. One exception git forces: the clean and smudge filters the
// repository configures (git-lfs) run when a changed working-tree file is compared or a branch checked out.

export { GitError, type CommitInfo, type FileDiff, type Hunk, type ResolvedRef } from './types';
export type { RefInfo } from './refs';
export { validatePath, validateRef } from './validate';
export { carryLine, carryRange, parseZeroContextDiff } from './lines';
export { GitRepo } from './repo';
