// What a case is on disk: case.json (the current summary) and the journal (findings.jsonl), whose entries are
// the case's history. Pure: shapes, the fixed vocabularies, and checks of what a hand-edited file holds.

export const STATUSES = [
  'new',
  'investigating',
  'waiting-customer',
  'waiting-product',
  'hotfix-requested',
  'handed-over',
  'resolved',
  'closed',
] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
  new: 'New',
  investigating: 'Investigating',
  'waiting-customer': 'Waiting on customer',
  'waiting-product': 'Waiting on product group',
  'hotfix-requested': 'Hotfix requested',
  'handed-over': 'Handed over',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** Most severe first: the order of SEVERITIES is the sort order. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Sev 1 (critical)',
  high: 'Sev 2 (high)',
  medium: 'Sev 3 (medium)',
  low: 'Sev 4 (low)',
};

export const FINDING_KINDS = ['observation', 'root-cause', 'workaround', 'action-item', 'question'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FINDING_LABELS: Record<FindingKind, string> = {
  observation: 'Observation',
  'root-cause': 'Root cause',
  workaround: 'Workaround',
  'action-item': 'Action item',
  question: 'Question for the customer',
};

/**
 * Kinds the customer's action plan may show (unless the finding is marked internal). Observations are the
 * engineer's working notes — guesses, dead ends, code reading — and stay in the handover only.
 */
export const CUSTOMER_FACING: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'root-cause',
  'workaround',
  'action-item',
  'question',
]);

export interface NextAction {
  text: string;
  /** `YYYY-MM-DD` (due by the end of that day) or a full ISO time; null when there is no date. */
  due: string | null;
}

/** case.json. `v` is the format version; fields this version does not know are kept when it rewrites the file. */
export interface Case {
  v: 1;
  id: string;
  title: string;
  customer: string;
  severity: Severity;
  status: Status;
  /** The customer's product version as they gave it (`5.5.1`), null when not known. */
  productVersion: string | null;
  /** The tag, branch or commit of the customer's build, as the user reads it (`v5.5.1`). */
  ref: string | null;
  /** The commit `ref` named when it was chosen: a branch that moves on does not move the case. */
  refCommit: string | null;
  workingBranch: string | null;
  owner: string | null;
  nextAction: NextAction | null;
  /** ISO times. */
  created: string;
  updated: string;
}

/** Case fields a user may edit; each change becomes an `edited` (or `status`, `next-action`) journal entry. */
export type CasePatch = Partial<
  Pick<
    Case,
    | 'title'
    | 'customer'
    | 'severity'
    | 'status'
    | 'productVersion'
    | 'ref'
    | 'refCommit'
    | 'workingBranch'
    | 'owner'
    | 'nextAction'
  >
>;

/** Where a finding points in the source. */
export interface CodeRef {
  /** Repository (its folder name) in a workspace of several; absent for the only one. */
  repo?: string;
  /** Repository-relative path. */
  path: string;
  /** Ref and commit the lines were taken at (the report quotes them at the case's ref instead). */
  ref?: string;
  commit?: string;
  startLine: number;
  endLine: number;
  /** The lines as the engineer saw them when recording the finding. */
  excerpt?: string;
  permalink?: string;
}

/** What a finding was recorded from. */
export type FindingOrigin =
  | { type: 'selection' }
  | { type: 'frame'; frame: string; trace?: string }
  | { type: 'trace'; title: string; text: string }
  | { type: 'log'; text: string; file?: string; line?: number }
  | { type: 'text' };

export interface FindingData {
  findingKind: FindingKind;
  text: string;
  /** Never shown to the customer, whatever the kind. */
  internal?: boolean;
  /** An action item done or a question answered: no longer open. */
  done?: boolean;
  from?: FindingOrigin;
  code?: CodeRef;
}

export type EvidenceKind = 'trace' | 'log' | 'other';

/** The case's fields at creation, recorded in the first journal entry so the timeline starts with them. */
export type CreatedFields = Omit<Case, 'v' | 'id' | 'created' | 'updated'>;

/** What the journal's entries say, before the store stamps them with `v`, `id` and `at`. */
export type EntryBody =
  | { kind: 'created'; case: CreatedFields }
  | { kind: 'status'; from: Status | null; to: Status; note?: string }
  | { kind: 'next-action'; nextAction: NextAction | null }
  | { kind: 'edited'; changes: Record<string, { from: unknown; to: unknown }> }
  | ({ kind: 'finding'; supersedes?: string } & FindingData)
  | { kind: 'retraction'; retracts: string; reason?: string }
  | {
      kind: 'evidence';
      hash: string;
      name: string;
      /** Case-folder-relative: `evidence/<hash>-<name>`. */
      file: string;
      size: number;
      evidenceKind: EvidenceKind;
      note?: string;
    };

export type EntryKind = EntryBody['kind'];

/** One line of findings.jsonl. */
export type JournalEntry = EntryBody & { v: 1; id: string; at: string; by?: string };
export type FindingEntry = Extract<JournalEntry, { kind: 'finding' }>;
export type EvidenceEntry = Extract<JournalEntry, { kind: 'evidence' }>;

const ENTRY_KINDS: ReadonlySet<string> = new Set<EntryKind>([
  'created',
  'status',
  'next-action',
  'edited',
  'finding',
  'retraction',
  'evidence',
]);

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isStrOrNull(x: unknown): boolean {
  return x === null || x === undefined || typeof x === 'string';
}

function isNextAction(x: unknown): boolean {
  return (
    x === null ||
    x === undefined ||
    (isObj(x) && typeof x['text'] === 'string' && isStrOrNull(x['due']) && validDue(x['due'] ?? null))
  );
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A due date: `YYYY-MM-DD` or anything Date parses; null for none. */
export function validDue(due: unknown): boolean {
  if (due === null) return true;
  if (typeof due !== 'string' || due.length > 40) return false;
  return !Number.isNaN(Date.parse(DATE_ONLY.test(due) ? `${due}T00:00:00Z` : due));
}

/** Why a case.json object is not a case this version can use, or null. */
export function caseProblem(x: unknown): string | null {
  if (!isObj(x)) return 'is not a JSON object';
  if (typeof x['v'] === 'number' && x['v'] > 1)
    return `has format version ${x['v']}, written by a newer Escalate`;
  for (const f of ['id', 'title', 'customer', 'created', 'updated'])
    if (typeof x[f] !== 'string') return `has no "${f}" text`;
  if (!(STATUSES as readonly unknown[]).includes(x['status']))
    return `has an unknown status ${JSON.stringify(x['status'])} (known: ${STATUSES.join(', ')})`;
  if (!(SEVERITIES as readonly unknown[]).includes(x['severity']))
    return `has an unknown severity ${JSON.stringify(x['severity'])} (known: ${SEVERITIES.join(', ')})`;
  for (const f of ['productVersion', 'ref', 'refCommit', 'workingBranch', 'owner'])
    if (!isStrOrNull(x[f])) return `has a "${f}" that is not text`;
  if (!isNextAction(x['nextAction'])) return 'has a "nextAction" that is not {text, due}';
  return null;
}

/** A checked case.json object with absent optional fields filled in (the unknown ones are kept). */
export function normalizeCase(x: Obj): Case & Obj {
  return {
    ...x,
    v: 1,
    productVersion: (x['productVersion'] as string | null | undefined) ?? null,
    ref: (x['ref'] as string | null | undefined) ?? null,
    refCommit: (x['refCommit'] as string | null | undefined) ?? null,
    workingBranch: (x['workingBranch'] as string | null | undefined) ?? null,
    owner: (x['owner'] as string | null | undefined) ?? null,
    nextAction: (x['nextAction'] as NextAction | null | undefined) ?? null,
  } as Case & Obj;
}

function codeProblem(c: unknown): string | null {
  if (!isObj(c)) return 'code is not an object';
  if (typeof c['path'] !== 'string') return 'code has no path';
  const s = c['startLine'];
  const e = c['endLine'];
  if (!Number.isInteger(s) || !Number.isInteger(e) || (s as number) < 1 || (e as number) < (s as number))
    return 'code has no valid line range';
  return null;
}

function bodyProblem(x: Obj): string | null {
  switch (x['kind'] as EntryKind) {
    case 'created':
      return isObj(x['case']) ? null : 'created entry without case fields';
    case 'status':
      return (STATUSES as readonly unknown[]).includes(x['to']) ? null : 'status entry with unknown status';
    case 'next-action':
      return isNextAction(x['nextAction']) ? null : 'next-action entry without {text, due}';
    case 'edited':
      return isObj(x['changes']) ? null : 'edited entry without changes';
    case 'finding':
      if (!(FINDING_KINDS as readonly unknown[]).includes(x['findingKind'])) return 'finding of unknown kind';
      if (typeof x['text'] !== 'string') return 'finding without text';
      return x['code'] === undefined ? null : codeProblem(x['code']);
    case 'retraction':
      return typeof x['retracts'] === 'string' ? null : 'retraction without the entry it retracts';
    case 'evidence':
      return typeof x['hash'] === 'string' && typeof x['file'] === 'string' && typeof x['name'] === 'string'
        ? null
        : 'evidence entry without hash, name and file';
  }
}

/** Why a parsed journal line is not an entry this version understands, or null. */
export function entryProblem(x: unknown): string | null {
  if (!isObj(x)) return 'not a JSON object';
  if (x['v'] !== 1) return `format version ${JSON.stringify(x['v'])} (this Escalate reads 1)`;
  if (typeof x['id'] !== 'string' || x['id'] === '') return 'no entry id';
  if (typeof x['at'] !== 'string') return 'no time ("at")';
  if (typeof x['kind'] !== 'string' || !ENTRY_KINDS.has(x['kind']))
    return `unknown kind ${JSON.stringify(x['kind'])}`;
  return bodyProblem(x);
}
