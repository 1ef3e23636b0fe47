// Line arithmetic over `-U0` diffs: where a line of the old file is in the new one. Pure, so the editor and
// the resolver can carry many lines across one diff without asking git again.

import type { Hunk } from './types';

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * The hunks of a `-U0` diff, in order. Only `@@` headers count: in a patch every content line starts with
 * ` `, `+`, `-` or `\`, so a header cannot be forged by the file's own text. A count left out means 1.
 */
export function parseZeroContextDiff(text: string): Hunk[] {
  const hunks: Hunk[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('@@ -')) continue;
    const m = HUNK_HEADER.exec(line);
    if (!m) continue;
    hunks.push({
      oldStart: Number(m[1]),
      oldLines: m[2] === undefined ? 1 : Number(m[2]),
      newStart: Number(m[3]),
      newLines: m[4] === undefined ? 1 : Number(m[4]),
    });
  }
  return hunks;
}

/** The hunk that replaced or deleted old line `line`, if any. */
function hunkAt(hunks: readonly Hunk[], line: number): Hunk | undefined {
  return hunks.find((h) => h.oldLines > 0 && line >= h.oldStart && line < h.oldStart + h.oldLines);
}

/**
 * Where line `line` (1-based) of the old file is in the new file: null when that line was itself changed or
 * deleted, otherwise shifted by what the hunks above it added and removed.
 */
export function carryLine(hunks: readonly Hunk[], line: number): { line: number | null; changed: boolean } {
  if (!Number.isInteger(line) || line < 1)
    throw new RangeError(`line must be a positive integer, not ${line}`);
  if (hunkAt(hunks, line)) return { line: null, changed: true };
  let shift = 0;
  for (const h of hunks) {
    // A pure insertion (`-k,0`) goes after old line k, so it is above `line` when k < line.
    const lastOld = h.oldLines === 0 ? h.oldStart : h.oldStart + h.oldLines - 1;
    if (lastOld < line) shift += h.newLines - h.oldLines;
  }
  return { line: line + shift, changed: false };
}

/**
 * Carries the range start..end to the new file. An end that was replaced lands on the replacing lines; one
 * that was deleted on the lines either side of the gap, because `git log -L` sees a deletion only from a
 * range that spans it. The range keeps at least one line; the caller clamps it to the new file's length.
 */
export function carryRange(
  hunks: readonly Hunk[],
  start: number,
  end: number,
): { start: number; end: number } {
  const edge = (line: number, last: boolean): number => {
    const c = carryLine(hunks, line);
    if (c.line !== null) return c.line;
    const h = hunkAt(hunks, line)!;
    if (h.newLines === 0) return last ? h.newStart + 1 : Math.max(1, h.newStart);
    return last ? h.newStart + h.newLines - 1 : h.newStart;
  };
  const s = edge(start, false);
  return { start: s, end: Math.max(s, edge(end, true)) };
}
