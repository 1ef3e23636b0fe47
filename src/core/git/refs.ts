// Matching what a case says the customer runs (`v5.5.1`, `5.5.1.1234`, `release/5.5`) against the
// repository's refs, read once with for-each-ref. Pure: the order of preference is the product's, not git's.

import type { ResolvedRef } from './types';

/** One line of `for-each-ref`: the ref and the commit it peels to (null when that takes another look). */
export interface RefRecord {
  fullName: string;
  /** The commit, or null for a tag of a tag (or of a tree or blob): the caller peels it with git. */
  commit: string | null;
}

export type RefMatch = Omit<ResolvedRef, 'input' | 'commit'> & { record: RefRecord };

export const FOR_EACH_REF_FORMAT =
  '%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)';

export function parseForEachRef(text: string): Map<string, RefRecord> {
  const refs = new Map<string, RefRecord>();
  for (const line of text.split('\n')) {
    const [fullName, type, oid, peeledType, peeled] = line.split('\0');
    if (!fullName || !oid) continue;
    const commit = type === 'commit' ? oid : type === 'tag' && peeledType === 'commit' ? peeled! : null;
    refs.set(fullName, { fullName, commit });
  }
  return refs;
}

/** A ref as a picker lists it: short name, kind, and the commit (null for a tag of a tag). */
export interface RefInfo {
  name: string;
  kind: 'tag' | 'branch' | 'remote-branch';
  fullName: string;
  commit: string | null;
}

export function kindOf(fullName: string): { kind: 'tag' | 'branch' | 'remote-branch'; name: string } {
  if (fullName.startsWith('refs/tags/')) return { kind: 'tag', name: fullName.slice(10) };
  if (fullName.startsWith('refs/heads/')) return { kind: 'branch', name: fullName.slice(11) };
  return { kind: 'remote-branch', name: fullName.replace(/^refs\/remotes\//, '') };
}

/** A tag, branch or remote branch named exactly `what` (also `tags/x`, `refs/heads/x`); a tag wins. */
export function matchExplicit(what: string, refs: ReadonlyMap<string, RefRecord>): RefMatch | null {
  const candidates = what.startsWith('refs/')
    ? [what]
    : [
        `refs/${what}`,
        `refs/tags/${what}`,
        `refs/heads/${what}`,
        `refs/remotes/${what}`,
        `refs/remotes/${what}/HEAD`,
      ];
  const record = candidates.map((c) => refs.get(c)).find((r) => r !== undefined);
  if (!record) return null;
  const { kind, name } = kindOf(record.fullName);
  const branch = refs.get(`refs/heads/${what}`);
  const note =
    kind === 'tag' && branch
      ? `"${what}" is both a tag and a branch; using the tag` +
        (branch.commit !== record.commit ? ' (the branch has moved on since)' : '')
      : undefined;
  return { kind, name, fullName: record.fullName, exact: true, record, ...(note ? { note } : {}) };
}

const VERSION = /^[vV]?(\d+(?:\.\d+){1,3})$/;

/** `5.5.1`, `v5.5.1`, `5.5`, `5.5.1.1234` → the versions to try, most specific first; null otherwise. */
export function versionsOf(what: string): string[] | null {
  const m = VERSION.exec(what);
  if (!m) return null;
  const v = m[1]!;
  const parts = v.split('.');
  return parts.length === 4 ? [v, parts.slice(0, 3).join('.')] : [v];
}

function tagNamesFor(v: string): string[] {
  return [v, `v${v}`, `V${v}`, `release-${v}`, `release/${v}`, `rel-${v}`];
}

function branchNamesFor(versions: readonly string[]): string[] {
  const mm = versions[0]!.split('.').slice(0, 2).join('.');
  const names = versions.flatMap((v) => [`release/${v}`, `release-${v}`]);
  names.push(`release/${mm}`, `release-${mm}`, `releases/${mm}`, `${mm}.x`, `release/${mm}.x`, mm);
  return [...new Set(names)];
}

/**
 * A bare version: the tags a release process usually makes for it, then the tags that end in it
 * (`app-5.5.1`, `orders/5.5.1`), then release branches (local before remote), whose tip is only near the
 * build.
 */
export function matchVersion(what: string, refs: ReadonlyMap<string, RefRecord>): RefMatch | null {
  const versions = versionsOf(what);
  if (!versions) return null;
  const tags = [...refs.keys()].filter((r) => r.startsWith('refs/tags/')).map((r) => r.slice(10));
  const tagSet = new Set(tags);
  const full = versions[0]!;
  for (const v of versions) {
    const fallback =
      v !== full ? `no tag for ${full}; using the tag for ${v} (the build number is not tagged)` : null;
    const found = (name: string, others: string[]): RefMatch => {
      const notes = [fallback, others.length ? `other tags for ${v}: ${others.join(', ')}` : null].filter(
        Boolean,
      );
      const fullName = `refs/tags/${name}`;
      return {
        kind: 'version-tag',
        name,
        fullName,
        exact: fallback === null,
        record: refs.get(fullName)!,
        ...(notes.length ? { note: notes.join('; ') } : {}),
      };
    };
    const named = tagNamesFor(v).find((t) => tagSet.has(t));
    if (named) return found(named, []);
    const suffixed = tags
      .filter((t) => [`-${v}`, `/${v}`, `_${v}`].some((s) => t.endsWith(s)))
      .sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    if (suffixed.length) return found(suffixed[0]!, suffixed.slice(1));
  }
  const remotes = [...refs.keys()].filter((r) => r.startsWith('refs/remotes/'));
  for (const b of branchNamesFor(versions)) {
    const local = refs.get(`refs/heads/${b}`);
    const origin = refs.get(`refs/remotes/origin/${b}`);
    const other = remotes.filter(
      (r) => r.endsWith(`/${b}`) && r.split('/').length === b.split('/').length + 3,
    );
    const record = local ?? origin ?? (other.length ? refs.get(other.sort()[0]!) : undefined);
    if (!record) continue;
    const { name } = kindOf(record.fullName);
    return {
      kind: 'version-branch',
      name,
      fullName: record.fullName,
      exact: false,
      record,
      note: `no tag for ${full}; using the tip of ${name}`,
    };
  }
  return null;
}

function numbers(s: string): number[] | null {
  const all = s.match(/\d+(?:\.\d+)*/g);
  return all ? all[all.length - 1]!.split('.').map(Number) : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The tags a person most likely meant: for a version, those sharing the longest leading run of numbers and
 * then the nearest number after it (5.5.9 → 5.5.8, 5.5.10 before 5.4.0); otherwise the fewest edits away.
 */
export function closestTags(what: string, tags: readonly string[], count = 5): string[] {
  const want = numbers(what);
  const score = (tag: string): number[] => {
    const have = numbers(tag);
    if (!want || !have) return [0, 0, editDistance(what, tag)];
    let i = 0;
    while (i < want.length && i < have.length && want[i] === have[i]) i++;
    const gap = i < want.length && i < have.length ? Math.abs(want[i]! - have[i]!) : 0;
    return [-i, gap, editDistance(what, tag)];
  };
  const scored = tags.map((t) => ({ t, s: score(t) }));
  scored.sort((a, b) => a.s[0]! - b.s[0]! || a.s[1]! - b.s[1]! || a.s[2]! - b.s[2]! || (a.t < b.t ? -1 : 1));
  return scored.slice(0, count).map((x) => x.t);
}
