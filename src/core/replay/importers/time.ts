// Timestamps as logs and dumps write them, to milliseconds since the epoch. A time without a zone is read
// as UTC: sessions need the distance between records, and a consistent reading keeps it right.

const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9}))?)? ?(Z|[+-]\d\d(?::?\d\d)?)?/;
const SLASHED = /^(\d{4})\/(\d\d)\/(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?/;
/** glog and its descendants: `I0517 15:04:22.619632`, no year. */
const GLOG = /^[IWEFD](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
/** Android logcat: `06-18 10:57:34.698`, no year. */
const LOGCAT = /^(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
const SYSLOG = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/;
const CLF = /^(\d{1,2})\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d)(?: ([+-]\d{4}))?/;
const TIME_ONLY = /^(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?$/;
const NUMBER = /^\d{1,19}(?:\.\d{1,9})?$/;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function fraction(digits: string | undefined): number {
  return digits ? Number(`0.${digits}`) * 1000 : 0;
}

/** `+05:30`, `-0800`, `+09` → minutes east of UTC. */
function zoneMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | null {
  const t = Date.UTC(y, mo, d, h, mi, s) + ms;
  return Number.isFinite(t) ? t : null;
}

/** Epoch seconds (zap), milliseconds (pino, bunyan), microseconds or nanoseconds, told apart by size. */
export function epochToMs(n: number): number | null {
  if (!Number.isFinite(n) || n < 0) return null;
  if (n > 1e17) return n / 1e6;
  if (n > 1e14) return n / 1e3;
  if (n > 1e11) return n;
  return n * 1000;
}

function fromIso(m: RegExpExecArray): number | null {
  const t = utc(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0), fraction(m[7]));
  return t === null ? null : t - zoneMinutes(m[8]) * 60000;
}

function fromMonthName(
  name: string,
  day: number,
  year: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
) {
  const month = MONTHS.indexOf(name);
  return month < 0 ? null : utc(year, month, day, h, mi, s, ms);
}

/** Milliseconds since the epoch for a timestamp as written, or null when it is not one this reads. */
export function parseTimestamp(value: string | number): number | null {
  if (typeof value === 'number') return epochToMs(value);
  const s = value.trim();
  if (s.length === 0 || s.length > 64) return null;
  let m = ISO.exec(s);
  if (m) return fromIso(m);
  if ((m = SLASHED.exec(s))) return utc(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, fraction(m[7]));
  if ((m = GLOG.exec(s))) return utc(1970, +m[1]! - 1, +m[2]!, +m[3]!, +m[4]!, +m[5]!, fraction(m[6]));
  if ((m = LOGCAT.exec(s))) return utc(1970, +m[1]! - 1, +m[2]!, +m[3]!, +m[4]!, +m[5]!, fraction(m[6]));
  if ((m = SYSLOG.exec(s))) return fromMonthName(m[1]!, +m[2]!, 1970, +m[3]!, +m[4]!, +m[5]!, fraction(m[6]));
  if ((m = CLF.exec(s))) {
    const t = fromMonthName(m[2]!, +m[1]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!, 0);
    return t === null ? null : t - zoneMinutes(m[7]) * 60000;
  }
  if ((m = TIME_ONLY.exec(s))) return utc(1970, 0, 1, +m[1]!, +m[2]!, +m[3]!, fraction(m[4]));
  if (NUMBER.test(s)) return epochToMs(Number(s));
  return null;
}

/**
 * A timestamp at the very start of a text line in the layouts the trace core's prefix reader leaves alone
 * (`2009/01/23 01:23:23 …` from Go's log package, glog's `I0517 15:04:22.619632 …`): the text and where it ends.
 */
export function leadingTimestamp(line: string): { text: string; end: number } | null {
  const m = SLASHED.exec(line) ?? GLOG.exec(line);
  return m ? { text: m[0], end: m[0].length } : null;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
