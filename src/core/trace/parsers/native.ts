// Helpers for native (C, C++, D, Rust, Swift) frames shared by the debugger and crash-report parsers:
// symbol characters, C++ operator names, and `file:line[:col]` locations.

import { toInt } from './util';

const DIGITS = /^\d{1,9}$/;

export function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Index just past a C++ operator's symbol (`()`, `[]`, `<<`, `->`), which must not count as brackets. */
export function skipOperator(s: string, j: number): number {
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
