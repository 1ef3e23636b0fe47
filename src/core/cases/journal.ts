// Reading the journal (findings.jsonl) and folding it into the case's current findings and evidence. Pure:
// bad lines are reported with their numbers and skipped, a torn last line is reported, nothing throws.

import { entryProblem, type EvidenceEntry, type FindingEntry, type JournalEntry } from './model';

export interface JournalProblem {
  /** 1-based line in findings.jsonl. */
  line: number;
  /** The line, cut to 200 characters. */
  text: string;
  error: string;
}

export interface JournalRead {
  entries: JournalEntry[];
  /** Lines that are not entries (hand edits, a newer version's kinds): skipped, their neighbours kept. */
  problems: JournalProblem[];
  /** An unfinished last line (a writer died mid-line): set aside by the next append. */
  torn: { line: number; text: string } | null;
}

const SHOWN = 200;

function cut(text: string): string {
  return text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text;
}

function parseLine(text: string): { entry: JournalEntry } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON (${(e as Error).message})` };
  }
  const problem = entryProblem(value);
  return problem ? { error: problem } : { entry: value as JournalEntry };
}

/**
 * The entries of a journal's bytes. A last line without its newline is an entry if it parses (only the
 * newline was lost); otherwise it is `torn`.
 */
export function parseJournal(data: Buffer | string): JournalRead {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  const lines = text.split('\n');
  const last = lines.pop()!;
  const out: JournalRead = { entries: [], problems: [], torn: null };
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const r = parseLine(line);
    if ('entry' in r) out.entries.push(r.entry);
    else out.problems.push({ line: i + 1, text: cut(line), error: r.error });
  });
  if (last.trim() !== '') {
    const r = parseLine(last);
    if ('entry' in r) out.entries.push(r.entry);
    else out.torn = { line: lines.length + 1, text: cut(last) };
  }
  return out;
}

/** A finding as it stands: its latest version, with the id of the entry that first recorded it. */
export interface CurrentFinding {
  /** Id of the first version: what retractions and later edits may name. */
  rootId: string;
  /** When it was first recorded. */
  firstAt: string;
  /** The latest version. */
  entry: FindingEntry;
  /** Earlier versions, oldest first. */
  earlier: FindingEntry[];
}

export interface CaseState {
  findings: CurrentFinding[];
  evidence: EvidenceEntry[];
  /** Entry ids a retraction names (of any version). */
  retracted: Set<string>;
  /** Edits and retractions that name no entry of this journal. */
  problems: string[];
}

/** What the journal amounts to: edits applied (`supersedes`), retractions removed; history stays in the entries. */
export function foldJournal(entries: readonly JournalEntry[]): CaseState {
  const rootOf = new Map<string, string>();
  const current = new Map<string, CurrentFinding>();
  const evidence = new Map<string, EvidenceEntry>();
  const retracted = new Set<string>();
  const problems: string[] = [];
  for (const e of entries) {
    if (e.kind === 'finding') {
      const root = e.supersedes === undefined ? undefined : rootOf.get(e.supersedes);
      const prev = root === undefined ? undefined : current.get(root);
      if (root !== undefined && prev) {
        rootOf.set(e.id, root);
        current.set(root, { ...prev, entry: e, earlier: [...prev.earlier, prev.entry] });
      } else if (root !== undefined) {
        problems.push(`entry ${e.id} edits ${e.supersedes!}, a finding that was retracted: left out`);
      } else {
        if (e.supersedes !== undefined)
          problems.push(`entry ${e.id} edits ${e.supersedes}, which is not a finding of this case`);
        rootOf.set(e.id, e.id);
        current.set(e.id, { rootId: e.id, firstAt: e.at, entry: e, earlier: [] });
      }
    } else if (e.kind === 'evidence') {
      evidence.set(e.id, e);
    } else if (e.kind === 'retraction') {
      const root = rootOf.get(e.retracts);
      if (root !== undefined) current.delete(root);
      else if (!evidence.delete(e.retracts))
        problems.push(
          `entry ${e.id} retracts ${e.retracts}, which is not a finding or evidence of this case`,
        );
      retracted.add(e.retracts);
    }
  }
  return { findings: [...current.values()], evidence: [...evidence.values()], retracted, problems };
}
