// The only module that talks to git. Refs and paths that come from traces and cases are untrusted: each is
// validated before use and passed after `--end-of-options` or `--`, never as an option; nothing here runs a
// shell, a hook, a diff driver or a fetch, and nothing writes to the repository. One exception git forces: a
// clean filter the repository configures (git-lfs) runs when a changed working-tree file is compared.

export { GitError, type CommitInfo, type FileDiff, type Hunk, type ResolvedRef } from './types';
export { validatePath, validateRef } from './validate';
export { carryLine, carryRange, parseZeroContextDiff } from './lines';
export { GitRepo } from './repo';
