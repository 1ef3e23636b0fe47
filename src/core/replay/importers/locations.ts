// Source locations in text log lines: the default finder (`(Foo.java:42)`, `foo.go:42`, `app/x.py:7`,
// `[File.cs:42]`, glog's `file.cc:253]`) is plain code that walks the line once; user patterns are regular
// expressions, checked for the shapes that backtrack catastrophically and run on a capped part of the line.

/** A location found in a line, with what a user pattern may also capture. */
export interface TextLocation {
  file: string;
  line: number;
  column?: number;
  function?: string;
  thread?: string;
  level?: string;
}

/** Characters of the line the finders look at: locations sit near the start; hostile lines stay cheap. */
const SCAN_LIMIT = 4096;
/** User patterns run on at most this many characters of a line (see checkPattern). */
const PATTERN_LIMIT = 2048;
const MAX_PATH = 1024;

/** File extensions of source code: `host:8080` or `1.2.3.4:80` are not locations, `main.go:42` is. */
const SOURCE_EXTENSIONS = new Set(
  (
    'java kt kts scala groovy clj cs fs vb go py pyx rb php pl pm js mjs cjs jsx ts tsx mts cts vue svelte ' +
    'c cc cpp cxx c++ h hh hpp hxx inl m mm swift rs d zig nim cr jl lua ex exs erl hrl dart r sh ps1 sql'
  ).split(' '),
);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isPathChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 95 /* _ */ ||
    c === 45 /* - */ ||
    c === 46 /* . */ ||
    c === 47 /* / */ ||
    c === 92 /* \ */ ||
    c === 64 /* @ */ ||
    c === 43 /* + */ ||
    c === 126 /* ~ */ ||
    c > 127
  );
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Identifier characters of a qualified method name before `(`: `com.acme.Foo.lambda$run$0`, `<init>`. */
function isNameChar(c: number): boolean {
  return isPathChar(c) || c === 36 /* $ */ || c === 60 /* < */ || c === 62; /* > */
}

function readNumber(text: string, from: number): { value: number; end: number } | null {
  let end = from;
  while (end < text.length && end - from < 9 && isDigit(text.charCodeAt(end))) end++;
  return end === from ? null : { value: Number(text.slice(from, end)), end };
}

function hasSourceExtension(path: string): boolean {
  const base = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const dot = path.lastIndexOf('.');
  return dot > base + 1 && SOURCE_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}

/** Where the path that ends before `colon` starts (a Windows drive `C:` included). */
function pathStart(text: string, colon: number): number {
  let s = colon;
  while (s > 0 && colon - s < MAX_PATH && isPathChar(text.charCodeAt(s - 1))) s--;
  if (s >= 2 && text.charCodeAt(s - 1) === 58 && isLetter(text.charCodeAt(s - 2))) {
    if (s === 2 || !isPathChar(text.charCodeAt(s - 3))) s -= 2;
  }
  return s;
}

/** The method before `(` in `at com.acme.Foo.bar(Foo.java:42)`. */
function methodBefore(text: string, paren: number): string | undefined {
  let s = paren;
  while (s > 0 && paren - s < MAX_PATH && isNameChar(text.charCodeAt(s - 1))) s--;
  return s < paren ? text.slice(s, paren) : undefined;
}

/** The first `file.ext:line[:column]` in the line whose extension is a source file's, or null. */
export function findLocation(line: string): TextLocation | null {
  const text = line.length > SCAN_LIMIT ? line.slice(0, SCAN_LIMIT) : line;
  for (let colon = text.indexOf(':'); colon > 0; colon = text.indexOf(':', colon + 1)) {
    const num = readNumber(text, colon + 1);
    if (!num || num.value === 0) continue;
    const start = pathStart(text, colon);
    const file = text.slice(start, colon);
    if (!hasSourceExtension(file)) continue;
    const loc: TextLocation = { file, line: num.value };
    if (text.charCodeAt(num.end) === 58) {
      const col = readNumber(text, num.end + 1);
      if (col) loc.column = col.value;
    }
    if (start > 0 && text.charCodeAt(start - 1) === 40 /* ( */) {
      const fn = methodBefore(text, start - 1);
      if (fn) loc.function = fn;
    }
    return loc;
  }
  return null;
}

export interface LinePattern {
  source: string;
  regex: RegExp;
}

/** How a pattern's parts nest, as far as backtracking is concerned. */
interface GroupInfo {
  quantified: boolean;
  alternation: boolean;
}

/** `*`, `+`, `{n,}` and `{n,m}` with m > 1 repeat; `?` and `{0,1}` do not. */
function repeatAt(s: string, i: number): number {
  const c = s[i];
  if (c === '*' || c === '+') return 1;
  if (c !== '{') return 0;
  const close = s.indexOf('}', i);
  if (close < 0) return 0;
  const body = s.slice(i + 1, close);
  const comma = body.indexOf(',');
  if (comma < 0) return Number(body) > 1 ? close - i + 1 : 0;
  const max = body.slice(comma + 1);
  return max === '' || Number(max) > 1 ? close - i + 1 : 0;
}

/** An atom that matches almost any character: `.`, `\S`, `\W`, `\D`, a negated class. */
function isWide(atom: string): boolean {
  return atom === '.' || atom === '\\S' || atom === '\\W' || atom === '\\D' || atom.startsWith('[^');
}

/** Reads one atom at `i` (an escape, a class, a single character); returns its text. */
function atomAt(s: string, i: number): string {
  if (s[i] === '\\') return s.slice(i, i + 2);
  if (s[i] !== '[') return s[i]!;
  let j = i + 1;
  if (s[j] === '^') j++;
  if (s[j] === ']') j++;
  while (j < s.length && s[j] !== ']') j += s[j] === '\\' ? 2 : 1;
  return s.slice(i, j + 1);
}

/**
 * Why a user pattern is refused, or null: a backreference; a repeated group that itself repeats or
 * alternates (`(a+)+`, `(\w+\s?)*`, `(a|ab)*` — exponential); more than one repeated wide atom (`.*`,
 * `\S+`) in an unanchored pattern or more than two in one anchored with `^` (polynomial on long lines).
 */
export function checkPattern(source: string): string | null {
  if (/\\[1-9]|\\k</.test(source)) return 'backreferences are not allowed';
  const stack: GroupInfo[] = [{ quantified: false, alternation: false }];
  let wide = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '(') {
      stack.push({ quantified: false, alternation: false });
      i++;
      continue;
    }
    if (c === '|') {
      stack[stack.length - 1]!.alternation = true;
      i++;
      continue;
    }
    if (c === ')') {
      const inner = stack.length > 1 ? stack.pop()! : { quantified: false, alternation: false };
      const rep = repeatAt(source, i + 1);
      if (rep > 0 && (inner.quantified || inner.alternation)) {
        return inner.quantified
          ? 'a repeated group contains a repetition (nested quantifiers backtrack exponentially)'
          : 'a repeated group contains alternatives (it can backtrack exponentially)';
      }
      const outer = stack[stack.length - 1]!;
      outer.quantified ||= inner.quantified || rep > 0;
      outer.alternation ||= inner.alternation;
      i += 1 + rep;
      continue;
    }
    const atom = atomAt(source, i);
    const rep = repeatAt(source, i + atom.length);
    if (rep > 0) {
      stack[stack.length - 1]!.quantified = true;
      if (isWide(atom)) wide++;
    }
    i += atom.length + rep;
  }
  const anchored = source.startsWith('^');
  if (wide > (anchored ? 2 : 1)) {
    return anchored
      ? 'more than two repeated wide parts (.* \\S+ [^…]+): use narrower classes'
      : 'more than one repeated wide part (.* \\S+ [^…]+) in a pattern not anchored with ^';
  }
  return null;
}

/**
 * Compiles a user pattern. It must capture the file and the line: named groups `file` and `line` (and
 * optionally `function`, `column`, `thread`, `level`), or else its first two groups.
 */
export function compilePattern(source: string): { pattern: LinePattern } | { error: string } {
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (e) {
    return { error: `not a valid regular expression (${(e as Error).message})` };
  }
  const unsafe = checkPattern(source);
  if (unsafe !== null) return { error: `refused: ${unsafe}` };
  const probe = new RegExp(`${source}|`).exec('')!;
  const named = probe.groups !== undefined && 'file' in probe.groups && 'line' in probe.groups;
  if (!named && probe.length < 3)
    return { error: 'needs groups for the file and the line: (?<file>…) and (?<line>…)' };
  return { pattern: { source, regex } };
}

/** Runs a compiled pattern on the first PATTERN_LIMIT characters of a line. */
export function matchPattern(p: LinePattern, line: string): TextLocation | null {
  const m = p.regex.exec(line.length > PATTERN_LIMIT ? line.slice(0, PATTERN_LIMIT) : line);
  if (!m) return null;
  const g = m.groups ?? {};
  const file = g.file ?? m[1];
  const lineNo = Number(g.line ?? m[2]);
  if (!file || !Number.isInteger(lineNo) || lineNo <= 0) return null;
  const loc: TextLocation = { file, line: lineNo };
  const column = Number(g.column);
  if (Number.isInteger(column) && column > 0) loc.column = column;
  if (g.function) loc.function = g.function;
  if (g.thread) loc.thread = g.thread;
  if (g.level) loc.level = g.level;
  return loc;
}
