// Cases: the store (case.json + an append-only journal per case), case IDs in branch names and commits, the
// case's working branch, permalinks and reports. No vscode: the editor and the CLI both sit on this API.

export * from './model';
export {
  DEFAULT_ID_EXCLUDE,
  DEFAULT_ID_PATTERNS,
  MAX_ID_LENGTH,
  caseIdProblem,
  idFromBranch,
  idMatcher,
  idPatternProblem,
  looksLikeTimestamp,
  type IdMatch,
  type IdMatcher,
} from './ids';
export {
  foldJournal,
  parseJournal,
  type CaseState,
  type CurrentFinding,
  type JournalProblem,
  type JournalRead,
} from './journal';
export {
  CASE_FILE,
  CaseStore,
  CaseStoreError,
  EVIDENCE_DIR,
  JOURNAL_FILE,
  type CaseList,
  type CaseProblem,
  type EvidenceSource,
  type NewCase,
  type StoreErrorCode,
  type StoreOptions,
} from './store';
export {
  CaseBranchError,
  DEFAULT_BRANCH_TEMPLATE,
  branchName,
  detectActiveCase,
  linkCurrentBranch,
  refCandidates,
  slugify,
  startCase,
  switchCase,
  type ActiveCase,
  type BranchErrorCode,
  type RefCandidate,
  type StartCaseInput,
} from './branch';
export { permalink, webRemote, type HostKind, type LineRange, type WebRemote } from './permalink';
export {
  ACTION_PLAN_FILE,
  HANDOVER_FILE,
  customerReport,
  handoverReport,
  reportText,
  writeReport,
  type ReportOptions,
} from './report';
export {
  caseRow,
  caseRows,
  groupByStatus,
  isOverdue,
  since,
  type CaseGroup,
  type CaseRow,
  type CaseSort,
} from './view';
