// The Cases view's rows from case summaries: age, last update, whether the next action is overdue, grouped by
// status and sorted by severity or age. Pure, so the editor only renders what this computes.

import {
  SEVERITIES,
  SEVERITY_LABELS,
  STATUSES,
  STATUS_LABELS,
  type Case,
  type NextAction,
  type Status,
} from './model';

export interface CaseRow {
  case: Case;
  statusLabel: string;
  severityLabel: string;
  /** Whole days since the case was created. */
  ageDays: number;
  /** `3 d`, `5 h`, `12 min`: since the last update. */
  lastUpdate: string;
  /** The next action is past its due date. */
  overdue: boolean;
}

export type CaseSort = 'severity' | 'age' | 'updated';

export interface CaseGroup {
  status: Status;
  label: string;
  rows: CaseRow[];
}

const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<
  Case['severity'],
  number
>;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function localDate(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A due date is overdue once it has passed: a bare date at the end of that day (local time). */
export function isOverdue(next: NextAction | null, now: Date, today = localDate(now)): boolean {
  if (!next?.due) return false;
  if (/^\d{4}-\d{2}-\d{2}$/.test(next.due)) return today > next.due;
  const due = Date.parse(next.due);
  return !Number.isNaN(due) && due < now.getTime();
}

/** How long ago, in the largest whole unit: `just now`, `12 min`, `5 h`, `3 d`. */
export function since(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (Number.isNaN(ms)) return '?';
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h`;
  return `${Math.floor(ms / DAY)} d`;
}

export function caseRow(c: Case, now: Date, today = localDate(now)): CaseRow {
  const created = Date.parse(c.created);
  return {
    case: c,
    statusLabel: STATUS_LABELS[c.status],
    severityLabel: SEVERITY_LABELS[c.severity],
    ageDays: Number.isNaN(created) ? 0 : Math.max(0, Math.floor((now.getTime() - created) / DAY)),
    lastUpdate: since(c.updated, now),
    overdue: isOverdue(c.nextAction, now, today),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compare(by: CaseSort): (a: CaseRow, b: CaseRow) => number {
  const id = (a: CaseRow, b: CaseRow): number => cmp(a.case.id, b.case.id);
  // ISO times order as text; localeCompare would cost a collation per comparison.
  const oldest = (a: CaseRow, b: CaseRow): number => cmp(a.case.created, b.case.created);
  if (by === 'age') return (a, b) => oldest(a, b) || id(a, b);
  if (by === 'updated') return (a, b) => cmp(b.case.updated, a.case.updated) || id(a, b);
  return (a, b) =>
    SEVERITY_RANK[a.case.severity] - SEVERITY_RANK[b.case.severity] ||
    Number(b.overdue) - Number(a.overdue) ||
    oldest(a, b) ||
    id(a, b);
}

/** Rows sorted by severity (most severe, then overdue, then oldest first), age (oldest first) or last update. */
export function caseRows(cases: readonly Case[], now: Date, by: CaseSort = 'severity'): CaseRow[] {
  const today = localDate(now);
  return cases.map((c) => caseRow(c, now, today)).sort(compare(by));
}

/** Rows by status in the order of the workflow; statuses without cases are left out. */
export function groupByStatus(rows: readonly CaseRow[]): CaseGroup[] {
  const groups = new Map<Status, CaseRow[]>(STATUSES.map((s) => [s, []]));
  for (const r of rows) groups.get(r.case.status)!.push(r);
  return STATUSES.filter((s) => groups.get(s)!.length > 0).map((s) => ({
    status: s,
    label: STATUS_LABELS[s],
    rows: groups.get(s)!,
  }));
}
