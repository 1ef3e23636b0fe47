// Case IDs: which words of a branch name or commit message are case IDs (a configurable list of patterns), and
// which IDs are safe as a folder name and a branch-name part.
//
// Patterns are a small, linear subset of regular expressions (no groups, alternation or backreferences), tried
// only at the start of a word and over at most 65 characters, so that a user's pattern cannot make a long
// commit message take seconds.

/**
 * The defaults, most specific first. `(?i)` makes a pattern ignore case (the ID is then upper-cased). The
 * generic tracker key (`ABC-123`) is case-sensitive: lower-case `release-2024` or `node-18` are not IDs.
 */
export const DEFAULT_ID_PATTERNS: readonly string[] = [
  '(?i)SR-?\\d{5,12}',
  '(?i)CASE-?\\d{3,10}',
  '(?i)INC\\d{7,10}',
  '(?i)CS\\d{7,10}',
  '[A-Z]{2,10}-\\d{1,7}',
  '\\d-\\d{7,12}',
  '\\d{12,20}',
];

/** Prefixes of words shaped like tracker keys that name standards, algorithms and platforms, not cases. */
export const DEFAULT_ID_EXCLUDE: readonly string[] = [
  'UTF',
  'UCS',
  'SHA',
  'MD',
  'ISO',
  'RFC',
  'CVE',
  'CWE',
  'GHSA',
  'GH',
  'AES',
  'RSA',
  'DES',
  'TLS',
  'SSL',
  'HTTP',
  'IPV',
  'CP',
  'WIN',
  'ECMA',
  'ES',
  'GPL',
  'LGPL',
  'AGPL',
  'BSD',
  'PKCS',
  'CRC',
  'PEP',
  'JEP',
  'JSR',
  'AVX',
  'SSE',
  'ARM',
  'ARMV',
  'X',
  'EC',
  'ED',
  'HS',
  'RS',
  'PS',
  'TODO',
  'FIXME',
];

export const MAX_ID_LENGTH = 64;
/** A match is looked for in this many characters from a word start (an ID plus the character after it). */
const WINDOW = MAX_ID_LENGTH + 1;
/** Commit messages are long only by accident; the ID is in the first lines. */
const MAX_TEXT = 4000;
const MAX_PATTERN = 120;
const MAX_QUANTIFIERS = 6;
const MAX_COUNT = 64;

export interface IdMatch {
  id: string;
  /** Offset in the text. */
  index: number;
  /** Which pattern matched (index into the list). */
  pattern: number;
}

export interface IdMatcher {
  readonly patterns: readonly string[];
  /** The IDs in `text`, in order of appearance, each once. */
  findAll(text: string): IdMatch[];
  /** The first ID in `text`, or null. */
  first(text: string): IdMatch | null;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isWordChar(c: string): boolean {
  const n = c.charCodeAt(0);
  return isAlnum(n) || c === '_' || c === '-';
}

interface Parsed {
  source: string;
  quantifiers: number;
}

function parseClass(p: string, at: number): { source: string; end: number } | string {
  let i = at + 1;
  let out = '[';
  if (p[i] === '^') return 'negated classes ([^…]) are not allowed';
  while (i < p.length && p[i] !== ']') {
    const c = p[i]!;
    if (c === '\\' && p[i + 1] === 'd') {
      out += '\\d';
      i += 2;
    } else if (isWordChar(c) || c === '.') {
      out += c === '-' || c === '.' ? `\\${c}` : c;
      // A range such as A-Z: the dash between two word characters.
      if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']' && isWordChar(p[i + 2]!)) {
        out += `-${p[i + 2]}`;
        i += 3;
      } else i++;
    } else return `"${c}" is not allowed in a character class`;
  }
  if (p[i] !== ']') return 'a character class is not closed with "]"';
  return { source: out + ']', end: i + 1 };
}

function parseAtom(p: string, i: number): { source: string; end: number } | string {
  const c = p[i]!;
  if (c === '[') return parseClass(p, i);
  if (c === '\\') {
    const e = p[i + 1];
    if (e === 'd') return { source: '\\d', end: i + 2 };
    if (e === '.' || e === '-' || e === '_') return { source: `\\${e}`, end: i + 2 };
    return `"\\${e ?? ''}" is not allowed (only \\d, \\., \\- and \\_)`;
  }
  if (isWordChar(c)) return { source: c === '-' ? '\\-' : c, end: i + 1 };
  return `"${c}" is not allowed: patterns may hold letters, digits, "-", "_", \\d, \\., [classes] and quantifiers — no groups, alternation or anchors (give each form as a pattern of its own)`;
}

function parseCount(p: string, i: number): { source: string; end: number } | string {
  const close = p.indexOf('}', i);
  if (close < 0) return 'a "{" is not closed with "}"';
  const body = p.slice(i + 1, close);
  const [lo, hi, ...more] = body.split(',');
  const num = (s: string | undefined): number | null =>
    s !== undefined && s !== '' && [...s].every((ch) => ch >= '0' && ch <= '9') ? Number(s) : null;
  const min = num(lo);
  const max = hi === undefined ? min : hi === '' ? Infinity : num(hi);
  if (
    more.length ||
    min === null ||
    max === null ||
    max < min ||
    min > MAX_COUNT ||
    (max > MAX_COUNT && max !== Infinity)
  )
    return `"{${body}}" is not a count from 0 to ${MAX_COUNT} ({n}, {n,} or {n,m})`;
  return { source: `{${body}}`, end: close + 1 };
}

function parsePattern(p: string): Parsed | string {
  if (p.length === 0) return 'is empty';
  if (p.length > MAX_PATTERN) return `is longer than ${MAX_PATTERN} characters`;
  let source = '';
  let quantifiers = 0;
  let i = 0;
  while (i < p.length) {
    const atom = parseAtom(p, i);
    if (typeof atom === 'string') return atom;
    source += atom.source;
    i = atom.end;
    const q = p[i];
    if (q === '?' || q === '*' || q === '+' || q === '{') {
      const count = q === '{' ? parseCount(p, i) : { source: q, end: i + 1 };
      if (typeof count === 'string') return count;
      source += count.source;
      i = count.end;
      if (++quantifiers > MAX_QUANTIFIERS) return `has more than ${MAX_QUANTIFIERS} quantifiers`;
      const after = p[i];
      if (after !== undefined && '?*+{'.includes(after)) return 'has a quantifier on a quantifier';
    }
  }
  return { source, quantifiers };
}

interface Compiled {
  re: RegExp;
  ignoreCase: boolean;
}

/** Why `pattern` cannot be used as a case-ID pattern, or null. */
export function idPatternProblem(pattern: string): string | null {
  const body = pattern.startsWith('(?i)') ? pattern.slice(4) : pattern;
  const parsed = parsePattern(body);
  return typeof parsed === 'string' ? `case-ID pattern ${JSON.stringify(pattern)} ${parsed}` : null;
}

function compile(pattern: string): Compiled {
  const ignoreCase = pattern.startsWith('(?i)');
  const parsed = parsePattern(ignoreCase ? pattern.slice(4) : pattern) as Parsed;
  // The ID ends where the word does, or at a "-", "_" or "." before more of it (`SR-1-npe`, `ABC-1_foo`).
  return { re: new RegExp(`(?:${parsed.source})(?![A-Za-z0-9])`, ignoreCase ? 'iy' : 'y'), ignoreCase };
}

function leadingLetters(s: string): string {
  let i = 0;
  while (i < s.length && isAlnum(s.charCodeAt(i)) && s.charCodeAt(i) > 57) i++;
  return s.slice(0, i).toUpperCase();
}

function twoDigits(s: string, at: number, max: number, min = 0): boolean {
  const n = Number(s.slice(at, at + 2));
  return n >= min && n <= max;
}

/** `YYYYMMDDhhmm[ss[SSS]]` or milliseconds since 1970 (2001–2103): a build stamp, not a service request. */
export function looksLikeTimestamp(digits: string): boolean {
  if (digits.length === 13) return Number(digits) >= 1e12 && Number(digits) < 4.3e12;
  if (![12, 14, 17].includes(digits.length)) return false;
  const year = Number(digits.slice(0, 4));
  return (
    year >= 1970 &&
    year <= 2099 &&
    twoDigits(digits, 4, 12, 1) &&
    twoDigits(digits, 6, 31, 1) &&
    twoDigits(digits, 8, 23) &&
    twoDigits(digits, 10, 59) &&
    (digits.length === 12 || twoDigits(digits, 12, 59))
  );
}

function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 48 || s.charCodeAt(i) > 57) return false;
  return true;
}

class Matcher implements IdMatcher {
  private readonly compiled: Compiled[];
  private readonly exclude: Set<string>;

  constructor(
    readonly patterns: readonly string[],
    exclude: readonly string[],
  ) {
    this.compiled = patterns.map(compile);
    this.exclude = new Set(exclude.map((e) => e.toUpperCase()));
  }

  private at(text: string, start: number): IdMatch | null {
    const window = text.slice(start, start + WINDOW);
    for (let p = 0; p < this.compiled.length; p++) {
      const { re, ignoreCase } = this.compiled[p]!;
      re.lastIndex = 0;
      const m = re.exec(window);
      if (!m) continue;
      const raw = m[0];
      if (this.exclude.has(leadingLetters(raw))) continue;
      if (allDigits(raw) && looksLikeTimestamp(raw)) continue;
      return { id: ignoreCase ? raw.toUpperCase() : raw, index: start, pattern: p };
    }
    return null;
  }

  findAll(text: string): IdMatch[] {
    const t = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
    const out: IdMatch[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < t.length; i++) {
      // A word start: an ID never continues a word or a version number (`v5.5.1-1234567`).
      if (!isAlnum(t.charCodeAt(i))) continue;
      if (i > 0 && (isAlnum(t.charCodeAt(i - 1)) || t[i - 1] === '.')) continue;
      const m = this.at(t, i);
      if (!m) continue;
      if (!seen.has(m.id)) out.push(m);
      seen.add(m.id);
      i += m.id.length - 1;
    }
    return out;
  }

  first(text: string): IdMatch | null {
    return this.findAll(text)[0] ?? null;
  }
}

/**
 * A matcher over `patterns` (default DEFAULT_ID_PATTERNS) and the excluded prefixes; patterns it cannot use
 * are left out and reported in `problems`, one line each.
 */
export function idMatcher(
  patterns: readonly string[] = DEFAULT_ID_PATTERNS,
  exclude: readonly string[] = DEFAULT_ID_EXCLUDE,
): { matcher: IdMatcher; problems: string[] } {
  const problems: string[] = [];
  const good = patterns.filter((p) => {
    const problem = idPatternProblem(p);
    if (problem) problems.push(problem);
    return problem === null;
  });
  return { matcher: new Matcher(good, exclude), problems };
}

/** The case ID a branch name carries (`case/SR-123456-npe`, `bugfix/INC0012345`), or null. */
export function idFromBranch(branch: string, matcher: IdMatcher): string | null {
  return matcher.first(branch)?.id ?? null;
}

const RESERVED = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`COM${n}`, `LPT${n}`]),
]);

function idCharsProblem(id: string): string | null {
  for (const c of id) {
    const n = c.codePointAt(0)!;
    if (n < 32 || n === 127)
      return `may not contain control characters (U+${n.toString(16).padStart(4, '0')})`;
    if (c === '/' || c === '\\') return 'may not contain slashes';
    if (!isWordChar(c) && c !== '.')
      return `may only hold letters, digits, ".", "_" and "-" (not ${JSON.stringify(c)})`;
  }
  return null;
}

/** Why `id` cannot name a case folder and be part of a branch name, or null. */
export function caseIdProblem(id: string): string | null {
  if (id === '') return 'a case ID may not be empty';
  if (id.length > MAX_ID_LENGTH)
    return `a case ID may be at most ${MAX_ID_LENGTH} characters (this has ${id.length})`;
  const chars = idCharsProblem(id);
  if (chars) return `a case ID ${chars}`;
  if (id.includes('..')) return 'a case ID may not contain ".."';
  if (id.startsWith('-') || id.startsWith('.')) return 'a case ID may not start with "-" or "."';
  if (id.endsWith('.') || id.toLowerCase().endsWith('.lock'))
    return 'a case ID may not end with "." or ".lock"';
  if (RESERVED.has(id.split('.')[0]!.toUpperCase())) return `${id} is a reserved device name on Windows`;
  return null;
}
