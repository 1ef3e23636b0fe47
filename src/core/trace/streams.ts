// Which process or thread wrote a log line, where its prefix says so (logcat's pid and tid, syslog's
// `app[pid]`): when two processes write at once their lines interleave, and a trace is only whole when
// read from the lines of its own writer.

/** logcat threadtime: `06-09 12:00:00.123  1234  5678 E Tag: ` */
const THREADTIME = /^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +(\d{1,7}) +(\d{1,7}) [VDIWEFA] /;
/** Android Studio: `2023-01-05 12:00:00.123 1234-5678/com.app E/Tag: ` (and the newer ` 1234-5678 Tag `). */
const STUDIO = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +(\d{1,7})-(\d{1,7})[/ ]/;
/** logcat brief and time: `E/Tag( 1234): ` after an optional timestamp. */
const BRIEF = /^(?:\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} )?[VDIWEFA]\/[^(:]{0,80}\( *(\d{1,7})\): /;
/** syslog and journald: `Nov 26 03:14:15 host app[1234]: `, with an ISO timestamp too. */
const SYSLOG =
  /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT[\d:.]{8,18}(?:Z|[+-]\d\d:?\d\d)?) [\w.-]{1,80} ([\w./@-]{1,80})\[(\d{1,10})\]: /;

/** The writer of a line (`1234/5678`, `app[1234]`), or null when its prefix names none. */
export function streamKey(raw: string): string | null {
  const c = raw.charCodeAt(0);
  let m: RegExpExecArray | null;
  if (c >= 48 && c <= 57) {
    if ((m = THREADTIME.exec(raw)) || (m = STUDIO.exec(raw))) return `${m[1]!}/${m[2]!}`;
    if ((m = BRIEF.exec(raw))) return m[1]!;
    if ((m = SYSLOG.exec(raw))) return `${m[1]!}[${m[2]!}]`;
    return null;
  }
  if (c >= 65 && c <= 90) {
    if (raw.charCodeAt(1) === 47 /* / */ && (m = BRIEF.exec(raw))) return m[1]!;
    if ((m = SYSLOG.exec(raw))) return `${m[1]!}[${m[2]!}]`;
  }
  return null;
}
