// Helpers for native (C, C++, D, Rust, Swift) frames shared by the debugger and crash-report parsers:
// symbol characters, C++ operator names, and `file:line[:col]` locations.

import { toInt } from './util';

const DIGITS = /^\d{1,9}$/;

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Index just past a C++ operator's symbol (`()`, `[]`, `<<`, `->`), which must not count as brackets. */
function skipOperator(s: string, j: number): number {
  if (s.startsWith('()', j) || s.startsWith('[]', j)) return j + 2;
  while (j < s.length && '<>=!+-*/%&|^~,'.includes(s[j]!)) j++;
  return j;
}

/** `file:line` (or `file:line:col` when `column` is allowed) as written; null when there is no line. */
export function splitLocation(
  loc: string,
  column: boolean,
): { file: string; line: number | null; column: number | null } | null {
  const c = loc.lastIndexOf(':');
  if (c <= 0 || !DIGITS.test(loc.slice(c + 1))) return null;
  if (column) {
    const c2 = loc.lastIndexOf(':', c - 1);
    if (c2 > 0 && DIGITS.test(loc.slice(c2 + 1, c))) {
      return { file: loc.slice(0, c2), line: toInt(loc.slice(c2 + 1, c)), column: toInt(loc.slice(c + 1)) };
    }
  }
  return { file: loc.slice(0, c), line: toInt(loc.slice(c + 1)), column: null };
}

/**
 * Calls `visit` with the index and code of each bracket (`(`, `)`, `<`, `>`) in a native symbol's text,
 * skipping the ones that are part of an operator's name (`operator()`, `operator<<`); stops at the first
 * visit that returns true and returns its index, or -1.
 */
export function findBracket(s: string, visit: (i: number, c: number) => boolean): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 111 /* o */ && s.startsWith('operator', i) && !isIdentChar(s.charCodeAt(i - 1))) {
      const j = i + 8;
      if (!isIdentChar(s.charCodeAt(j))) i = skipOperator(s, j) - 1;
      continue;
    }
    if ((c === 40 || c === 41 || c === 60 || c === 62) && visit(i, c)) return i;
  }
  return -1;
}
