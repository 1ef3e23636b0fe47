// Refusal of refs and paths that did not come from us: they are read out of customer traces and case files,
// so anything git could take as an option, a revision expression or a path outside the tree is turned away.

import { GitError } from './types';

const MAX_REF = 255;
const MAX_PATH = 4096;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The input as a message quotes it: escaped (control characters, lone surrogates) and cut when long. */
export function quote(input: string): string {
  const cut = input.length > 48 ? `${input.slice(0, 40)}…` : input;
  return JSON.stringify(cut);
}

function named(c: string): string {
  switch (c) {
    case '\0':
      return 'NUL';
    case '\n':
      return 'a newline';
    case '\r':
      return 'a carriage return';
    case '\t':
      return 'a tab';
    default:
      return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  }
}

/**
 * What makes the text unusable whatever it names: control characters, and the marks left when node decoded
 * bytes that were not UTF-8 (U+FFFD) or split a surrogate pair — such a name cannot be the one git holds.
 */
function encodingProblem(input: string, what: string): string | null {
  const control = /\p{Cc}/u.exec(input);
  if (control) return `${what} may not contain control characters (${named(control[0])})`;
  if (input.includes('\uFFFD')) return `${what} may not contain U+FFFD (text that was not valid UTF-8)`;
  if (LONE_SURROGATE.test(input))
    return `${what} may not contain a lone surrogate (text that was not valid UTF-8)`;
  return null;
}

/** Why `input` is not a ref safe to hand to git, or null. */
export function refProblem(input: string): string | null {
  if (input === '') return 'a ref may not be empty';
  if (input.length > MAX_REF) return `a ref may be at most ${MAX_REF} characters (this has ${input.length})`;
  const enc = encodingProblem(input, 'a ref');
  if (enc) return enc;
  if (input.startsWith('-')) return 'a ref may not start with "-"';
  if (/\s/u.test(input)) return 'a ref may not contain whitespace';
  if (input.includes('..')) return 'a ref may not contain ".."';
  if (input.includes('@{')) return 'a ref may not contain "@{"';
  const bad = /[~^:?*[\\]/.exec(input);
  if (bad) return `a ref may not contain "${bad[0]}"`;
  // The rest is `git check-ref-format --allow-onelevel`: a hex commit id passes these rules as well.
  if (input === '@') return 'a ref may not be "@" alone';
  if (input.startsWith('/')) return 'a ref may not start with "/"';
  if (input.endsWith('/')) return 'a ref may not end with "/"';
  if (input.includes('//')) return 'a ref may not contain "//"';
  if (input.endsWith('.lock')) return 'a ref may not end with ".lock"';
  if (input.endsWith('.')) return 'a ref may not end with "."';
  for (const part of input.split('/')) {
    if (part.startsWith('.')) return 'no part of a ref may start with "."';
    if (part.endsWith('.lock')) return 'no part of a ref may end with ".lock"';
  }
  return null;
}

function pathProblem(input: string): string | null {
  if (input === '') return 'a path may not be empty';
  if (input.length > MAX_PATH)
    return `a path may be at most ${MAX_PATH} characters (this has ${input.length})`;
  const enc = encodingProblem(input, 'a path');
  if (enc) return enc;
  if (input.startsWith('-')) return 'a path may not start with "-"';
  if (input.startsWith('/') || input.startsWith('\\') || /^[A-Za-z]:/.test(input))
    return 'a path must be relative to the repository, not absolute';
  if (input.split(/[/\\]/).includes('..')) return 'a path may not contain a ".." part';
  return null;
}

/** Throws GitError('bad-ref') unless `input` is a ref name or commit id that is safe to hand to git. */
export function validateRef(input: string): void {
  const problem = refProblem(input);
  if (problem) throw new GitError(`refusing ref ${quote(input)}: ${problem}`, 'bad-ref');
}

/** Throws GitError('bad-path') unless `input` is a repository-relative path that is safe to hand to git. */
export function validatePath(input: string): void {
  const problem = pathProblem(input);
  if (problem) throw new GitError(`refusing path ${quote(input)}: ${problem}`, 'bad-path');
}
