// What real traces need before parsing, one document line at a time: log prefixes (timestamps, levels,
// pid/tid, logcat tags, `>` quote marks), ANSI colours, HTML entities and zero-width characters removed,
// and traces that were JSON-escaped into one line split back into their lines.

/** A line as the parsers see it. Several logical lines can share one document line (a JSON-escaped trace). */
export interface LogicalLine {
  /** Content with prefixes removed and trailing whitespace trimmed; leading indentation is kept. */
  text: string;
  /** 1-based line in the input document. */
  docLine: number;
  /** Timestamp found in the stripped prefix, as written. */
  timestamp: string | undefined;
}

// Every pattern here is anchored and uses bounded or non-overlapping quantifiers: they run on every line
// of untrusted multi-gigabyte logs and are checked for catastrophic backtracking by a unit test.

// Prefix patterns are sticky (`y`): each is tried exactly at `lastIndex` and only `test` is called, so
// finding where a line's message starts allocates nothing — this runs on every line of a large log.

/** `> ` quote marks from e-mail and Markdown at the start of a line, possibly nested (`> > `, `>> `). */
const QUOTE = /(?:> ?)+/y;
const REPL_PROMPT = /^>>>(?: |$)/;

/** ISO-like date-time, optionally bracketed: `2016-01-25 14:14:32,866`, `[2016-11-10T09:42:48,016]`. */
const ISO_TS = /\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?\]?/y;
/** logcat: `06-09 12:00:00.123` */
const LOGCAT_TS = /\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}/y;
/** syslog / journald: `Nov 26 02:37:22` */
const SYSLOG_TS = /[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d/y;
/** time of day alone, bracketed or followed by a space: `[12:00:01.123]`, `12:00:01 ` */
const TIME_TS = /\[\d\d:\d\d:\d\d(?:[.,]\d{1,9})?\]|\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?= )/y;

// What follows a timestamp before the message, in the layouts customers' logs use. Chosen by the kind of
// timestamp (and the next character), so that an ordinary log line costs one or two tests.
/** Kubernetes CRI after an ISO timestamp: ` stdout F ` */
const AFTER_CRI = / (?:stdout|stderr) [FP] /y;
/** logcat threadtime (`-v threadtime`, and `-v year` after an ISO date): `  1234  5678 E AndroidRuntime: ` */
const AFTER_THREADTIME = / +\d{1,7} +\d{1,7} [VDIWEFA] [^:]{0,80}: /y;
/** logcat time: ` E/AndroidRuntime( 1234): ` */
const AFTER_LOGCAT_TIME = / [VDIWEFA]\/[^(:]{0,80}\( *\d{1,7}\): /y;
/** Android Studio (before 2022.2): ` 1234-5678/com.example.app E/AndroidRuntime: ` (`/?` for an unknown app) */
const AFTER_STUDIO = / \d{1,7}-\d{1,7}\/[\w.:?-]{0,120} [VDIWEFA]\/[^:]{0,80}: /y;
/**
 * Android Studio's logcat since 2022.2, in columns: `  1234-5678  AndroidRuntime   com.example.app   E  `
 * (the package column may be empty or `pid-1234`).
 */
const AFTER_STUDIO_COLUMNS =
  / {1,8}\d{1,7}-\d{1,7} {1,8}\S{1,80} {1,80}(?:\S{1,160} {1,80})?[VDIWEFA] {1,2}/y;
/** journald with ISO timestamps (`journalctl -o short-iso`): ` host program[1234]: `, the pid required. */
const AFTER_SYSLOG_PID = / [\w.-]{1,80} [\w./@-]{1,80}\[\d{1,10}\]: /y;
/** journald / syslog after `Nov 26 02:37:22`: ` host program[1234]: ` */
const AFTER_SYSLOG = / [\w.-]{1,80} [\w./@-]{1,80}(?:\[\d{1,10}\])?: /y;
/**
 * Generic: level and bracketed fields (`ERROR`, `[main]`, `[o.e.Logger]`), a logger name before ` - `
 * (logback's and log4j's default layouts), then one separator. Always matches (possibly nothing).
 */
const AFTER_GENERIC =
  /(?:[ \t]{1,8}\[?(?:TRACE|DEBUG|INFO|NOTICE|WARNING|WARN|ERROR|ERR|FATAL|SEVERE|CRITICAL|CRIT)\]?)?(?:[ \t]{0,8}\[[^\]]{0,120}\]){0,6}(?:[ \t]{1,8}[A-Za-z_$][\w$.]{0,120} -(?= ))?[ \t]?(?:- |\| |: )?/y;
/**
 * logcat brief without a timestamp: `E/AndroidRuntime( 1234): `, `E/flutter: `, and the padded tags native
 * crashes are logged under (`F/DEBUG   (  123): `).
 */
const LOGCAT_BRIEF = /[VDIWEFA]\/[^(:\s]{1,80} {0,12}(?:\( *\d{1,7}\))?: /y;
/** Tags native crashes are logged under: prefixes with these tags are stripped in their rarer layouts too. */
const NATIVE_TAG = String.raw`(?:DEBUG|libc|crash_dump(?:32|64)?)`;
/** A native crash's logcat line cut to its level and tag: `F DEBUG   : `. */
const LOGCAT_BARE = new RegExp(String.raw`[VDIWEFA] ${NATIVE_TAG}\s{0,12}:(?: |$)`, 'y');
/**
 * Android Studio's layouts without their date, for native crash tags: `1234-1234/? A/DEBUG: `,
 * ` 8577-8577  DEBUG  pid-8577  A  `.
 */
const STUDIO_NO_DATE = new RegExp(
  String.raw`\s{0,4}\d{1,7}-\d{1,7}(?:\/\S{1,120} [VDIWEFA]\/${NATIVE_TAG}: | {1,4}${NATIVE_TAG} {1,40}(?:\S{1,120} {1,60})?[VDIWEFA] {2})`,
  'y',
);
/** Ruby's Logger, with Rails' tags: `E, [2024-01-15T10:23:45.123456 #1234] ERROR -- progname: [request-id] `. */
const RUBY_LOGGER =
  /[DIWEFAU], \[[^\]]{1,80}\] {1,6}[A-Z]{1,7} -- [^:]{0,80}: (?:\[[^\]]{1,80}\](?: |$)){0,4}/y;
/** Flutter's prefix in the iOS console: `flutter: `. */
const FLUTTER_IOS = /flutter: /y;
/** logcat `-v thread` and `-v process`: `E( 1234: 5678) `, `E( 1234) `. */
const LOGCAT_THREAD = /[VDIWEFA]\( *\d{1,7}(?:: *\d{1,7})?\) /y;
/** ART's own prefix inside a logcat message (runtime aborts, SIGQUIT dumps): `runtime.cc:686] `. */
const ART_PREFIX = /[\w/.-]{1,80}\.cc:\d{1,6}\] /y;
/** `flutter run -v` timing column: `[        ] `, `[  +12 ms] `. */
const FLUTTER_TIMING = /\[ {0,8}(?:\+\d{1,7} ms)?\] /y;

// eslint-disable-next-line no-control-regex -- ANSI escapes are exactly what this removes.
const ANSI = /\x1b\[[0-9;?]{0,32}[A-Za-z]/g;
const ENTITY = /&(?:(lt|gt|amp|quot|apos|nbsp)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/g;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
const ZERO_WIDTH_ANY = /[\u200b-\u200d\u2060\ufeff]/;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };

/** Decodes HTML entities (`&lt;init&gt;`, `&#8203;`) as traces copied from web pages carry them. */
export function decodeEntities(s: string): string {
  return s.replace(
    ENTITY,
    (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
      if (name) return NAMED[name]!;
      const cp = dec !== undefined ? parseInt(dec, 10) : parseInt(hex!, 16);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    },
  );
}

/** Where `re` matches at `at`, the end of the match; otherwise -1. */
function stick(re: RegExp, s: string, at: number): number {
  re.lastIndex = at;
  return re.test(s) ? re.lastIndex : -1;
}

/** Where the timestamp found by the last prefixEnd call starts and ends in its line (-1: none). */
let tsFrom = -1;
let tsTo = -1;

/** After a timestamp ending at `i`: the end of the fields that follow it (`after` tried first). */
function afterTimestamp(s: string, i: number, after: readonly RegExp[]): number {
  for (const re of after) {
    const e = stick(re, s, i);
    if (e >= 0) return markWriter(re, i, e);
  }
  return stick(AFTER_GENERIC, s, i);
}

/** The prefix pattern that names the line's writer (pid, tid) and where it matched, from the last prefixEnd. */
let writerRe: RegExp | null = null;
let writerFrom = 0;
let writerTo = 0;

function markWriter(re: RegExp, from: number, to: number): number {
  writerRe = re;
  writerFrom = from;
  writerTo = to;
  return to;
}

/** Patterns whose first two numbers are the pid and the tid. */
const PID_TID: readonly RegExp[] = [AFTER_THREADTIME, AFTER_STUDIO, AFTER_STUDIO_COLUMNS, LOGCAT_THREAD];

/**
 * Which process or thread wrote a line, where its prefix says so: `1234/5678` (logcat pid and tid),
 * `1234` (logcat brief and time: the pid), `app[1234]` (syslog, journald); null when the prefix names none.
 * When two processes write at once their lines interleave, and a trace is only whole when read from the
 * lines of its own writer.
 */
export function streamKey(line: string): string | null {
  prefixEnd(line);
  if (writerRe === null) return null;
  const prefix = line.slice(writerFrom, writerTo);
  if (writerRe === AFTER_SYSLOG || writerRe === AFTER_SYSLOG_PID) {
    const program = prefix.trim().split(' ')[1] ?? '';
    return program.endsWith(']:') ? program.slice(0, -1) : null;
  }
  const numbers = prefix.match(/\d{1,10}/g) ?? [];
  if (PID_TID.includes(writerRe)) return numbers.length >= 2 ? `${numbers[0]!}/${numbers[1]!}` : null;
  return numbers[numbers.length - 1] ?? null;
}

/** Marks [from, to) as the timestamp, without the brackets around it. */
function markTimestamp(s: string, from: number, to: number): void {
  if (s.charCodeAt(from) === 91 /* [ */) from++;
  if (s.charCodeAt(to - 1) === 93 /* ] */) to--;
  tsFrom = from;
  tsTo = to;
}

/**
 * After a logcat prefix ending at `e`: ART's `file.cc:line] ` when the message has one (a runtime abort or a
 * thread dump logged by the runtime), else `e`.
 */
function afterLogcat(s: string, e: number): number {
  const c = s.charCodeAt(e);
  if (c < 97 || c > 122) return e;
  const k = s.indexOf('.cc:', e);
  if (k < 0 || k > e + 80) return e;
  const a = stick(ART_PREFIX, s, e);
  return a >= 0 ? a : e;
}

/** What follows a timestamp whose next non-blank character is a digit: the logcat layouts with pid-tid. */
const AFTER_PID: readonly RegExp[] = [AFTER_STUDIO, AFTER_STUDIO_COLUMNS, AFTER_THREADTIME];

/** Whether the first non-blank character at or after `i` is a digit (a pid column). */
function digitFollows(s: string, i: number): boolean {
  let c = s.charCodeAt(i);
  while (c === 32) c = s.charCodeAt(++i);
  return c >= 48 && c <= 57;
}

/**
 * Where a log line's message starts, after its prefix: quote marks, a timestamp and what follows it,
 * logcat tags. 0 when the line has no prefix.
 */
export function prefixEnd(line: string): number {
  tsFrom = tsTo = -1;
  writerRe = null;
  let i = 0;
  // Quote marks: `>` then a space, another `>` or the end (not `>&` from a wrapped C++ template), but
  // not Python's `>>> ` prompt, which a traceback's parser needs to see to know the traceback ended.
  if (line.charCodeAt(0) === 62 /* > */ && !REPL_PROMPT.test(line)) {
    const c1 = line.charCodeAt(1);
    if (c1 === 32 || c1 === 62 || Number.isNaN(c1)) i = stick(QUOTE, line, 0);
  }
  let c = line.charCodeAt(i);
  if (c === 91 /* [ */ && line.charCodeAt(i + 1) === 32) {
    // `flutter run -v` echoes the device log behind its timing column.
    const e = stick(FLUTTER_TIMING, line, i);
    if (e >= 0) {
      i = e;
      c = line.charCodeAt(i);
    }
  }
  if ((c >= 48 && c <= 57) || c === 91 /* [ */) {
    let e = stick(ISO_TS, line, i);
    if (e >= 0) {
      markTimestamp(line, i, e);
      if (line.charCodeAt(e + 1) === 115 /* s */) return afterTimestamp(line, e, [AFTER_CRI]);
      if (!digitFollows(line, e)) return afterTimestamp(line, e, [AFTER_SYSLOG_PID]);
      return afterLogcat(line, afterTimestamp(line, e, AFTER_PID));
    }
    if ((e = stick(LOGCAT_TS, line, i)) >= 0) {
      markTimestamp(line, i, e);
      return afterLogcat(
        line,
        afterTimestamp(line, e, digitFollows(line, e) ? AFTER_PID : [AFTER_LOGCAT_TIME]),
      );
    }
    if ((e = stick(TIME_TS, line, i)) >= 0) {
      markTimestamp(line, i, e);
      if (!digitFollows(line, e)) return afterTimestamp(line, e, []);
      return afterLogcat(line, afterTimestamp(line, e, [AFTER_STUDIO_COLUMNS]));
    }
    if ((e = stick(STUDIO_NO_DATE, line, i)) >= 0) return e;
  } else if (c === 32 && digitFollows(line, i)) {
    const e = stick(STUDIO_NO_DATE, line, i);
    if (e >= 0) return e;
  } else if (c === 102 /* f */) {
    const e = stick(FLUTTER_IOS, line, i);
    if (e >= 0) return e;
  } else if (c >= 65 && c <= 90) {
    const c1 = line.charCodeAt(i + 1);
    if (c1 === 32) {
      const e = stick(LOGCAT_BARE, line, i);
      if (e >= 0) return e;
    } else if (c1 === 44 /* , */) {
      const e = stick(RUBY_LOGGER, line, i);
      if (e >= 0) return e;
    } else if (c1 === 47 /* / */) {
      const e = stick(LOGCAT_BRIEF, line, i);
      if (e >= 0) return afterLogcat(line, markWriter(LOGCAT_BRIEF, i, e));
    } else if (c1 === 40 /* ( */) {
      const e = stick(LOGCAT_THREAD, line, i);
      if (e >= 0) return afterLogcat(line, markWriter(LOGCAT_THREAD, i, e));
    } else {
      const e = stick(SYSLOG_TS, line, i);
      if (e >= 0) {
        markTimestamp(line, i, e);
        return afterTimestamp(line, e, [AFTER_SYSLOG]);
      }
    }
  }
  return i;
}

/** Timestamp found by the last stripPrefix call. */
export let strippedTimestamp: string | undefined;

/** Removes a log line's prefix (quote marks, timestamp and what follows it, logcat tags). */
export function stripPrefix(line: string): string {
  const end = prefixEnd(line);
  strippedTimestamp = tsFrom >= 0 ? line.slice(tsFrom, tsTo) : undefined;
  return end === 0 ? line : line.slice(end);
}

/** Trims trailing spaces and tabs only (leading indentation carries meaning). */
function trimEnd(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

/** Whether text holds zero-width characters (text copied from web pages), which cleanLine removes. */
export function mayHaveZeroWidth(s: string): boolean {
  return ZERO_WIDTH_ANY.test(s);
}

/**
 * Cleans one document line: ANSI, entities, zero-width characters, prefixes. `zeroWidth: false` promises
 * that the line has no zero-width characters (its block had none).
 */
export function cleanLine(raw: string, docLine: number, zeroWidth = true): LogicalLine {
  let s = raw;
  if (s.indexOf('\x1b') >= 0) s = s.replace(ANSI, '');
  if (s.indexOf('&') >= 0) {
    s = decodeEntities(s);
    zeroWidth = true;
  }
  if (zeroWidth && ZERO_WIDTH_ANY.test(s)) s = s.replace(ZERO_WIDTH, '');
  // Every line has the same shape (all fields set) so that the parsers' property reads stay monomorphic.
  const text = trimEnd(stripPrefix(s));
  return { text, docLine, timestamp: strippedTimestamp };
}

/** Characters that may follow a backslash in a JSON (or JavaScript) string. */
function validEscape(c: number): boolean {
  // " \ / ' b f n r t u
  return (
    c === 34 ||
    c === 92 ||
    c === 47 ||
    c === 39 ||
    c === 98 ||
    c === 102 ||
    c === 110 ||
    c === 114 ||
    c === 116 ||
    c === 117
  );
}

/**
 * `\n` or `\r\n` written as escapes inside one line: a JSON string (or similar) holding a whole trace.
 * Backslashes are read in pairs (`\\r` is an escaped backslash before an `r`), and a backslash that is not
 * a valid escape (`C:\src\run.js`: `\s`) means the line is not escaped text: its `\r` is part of a path.
 */
export function hasEscapedNewlines(raw: string): boolean {
  let i = raw.indexOf('\\');
  if (i < 0) return false;
  let found = false;
  for (; i >= 0 && i < raw.length; i = raw.indexOf('\\', i + 2)) {
    const c = raw.charCodeAt(i + 1);
    if (!validEscape(c)) return false;
    if (c === 110 || c === 114) found = true;
  }
  return found;
}

/** Splits at `\n`, `\r\n` and `\r` escapes, reading backslashes in pairs (`\\n` is not a break). */
function splitAtEscapedBreaks(raw: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = raw.indexOf('\\'); i >= 0; i = raw.indexOf('\\', i)) {
    const c = raw.charCodeAt(i + 1);
    if (c !== 110 && c !== 114) {
      i += 2;
      continue;
    }
    out.push(raw.slice(start, i));
    i += 2;
    if (c === 114 && raw.charCodeAt(i) === 92 && raw.charCodeAt(i + 1) === 110) i += 2;
    start = i;
  }
  out.push(raw.slice(start));
  return out;
}

const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(.))/g;

function unescapeJson(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  return s.replace(ESCAPE, (m, hex: string | undefined, ch: string | undefined) => {
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    switch (ch) {
      case 't':
        return '\t';
      case '"':
      case '\\':
      case '/':
      case "'":
        return ch;
      case 'b':
      case 'f':
        return '';
      default:
        return m;
    }
  });
}

/** Index just after the last `"` that is not escaped, or -1. */
function afterLastQuote(s: string): number {
  for (let i = s.length - 1; i >= 0; i--) {
    if (s.charCodeAt(i) !== 34) continue;
    let bs = 0;
    for (let j = i - 1; j >= 0 && s.charCodeAt(j) === 92; j--) bs++;
    if (bs % 2 === 0) return i + 1;
  }
  return -1;
}

/** Index of the first `"` that is not escaped, or -1. */
function firstQuote(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) {
      i++;
      continue;
    }
    if (c === 34) return i;
  }
  return -1;
}

/**
 * Splits a line holding an escaped multi-line string into its lines, all on the same document line.
 * The first piece starts after the string's opening quote and the last ends at its closing quote, so
 * the surrounding JSON (`{"stack":"`) does not become part of the trace.
 */
export function splitEscaped(raw: string, docLine: number): LogicalLine[] {
  const pieces = splitAtEscapedBreaks(raw);
  if (pieces.length > 1) {
    const first = pieces[0]!;
    const open = afterLastQuote(first);
    if (open >= 0) pieces[0] = first.slice(open);
    const last = pieces[pieces.length - 1]!;
    const close = firstQuote(last);
    if (close >= 0) pieces[pieces.length - 1] = last.slice(0, close);
  }
  return pieces.map((piece) => cleanLine(unescapeJson(piece), docLine));
}
