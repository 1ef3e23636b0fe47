// Frame → source at the customer's version: path parsing, the tree index, the resolver, line history.

export { parseTracePath, type TracePath } from './paths';
export { RepoTree, type SourceTreeInfo, type ReadAtRef } from './tree';
export {
  Resolver,
  CONFIDENT,
  MappingError,
  type FrameResult,
  type Method,
  type PathMapping,
  type Resolution,
  type Unresolved,
  type ResolverOptions,
} from './resolver';
export { HistoryCache, type HistorySource, type LineHistory } from './history';
export { openWorkspace, indexRepo, blobText, type Workspace, type WorkspaceRepo } from './workspace';
export { checkLines } from './verify';
export { indexFolder, type FolderIndex } from './folder';
