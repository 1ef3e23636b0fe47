// Structured logs: JSON Lines records whose exception travels in a field (Serilog `@x`, logstash/ECS
// `stack_trace`/`error.stack_trace`, bunyan and pino `err.stack`, zap `stacktrace`, Log4j2's JSON layout
// `thrown`, python-json-logger `exc_info`). The trace is taken from the field, unescaped, and every one of
// its lines keeps the record's line in the document; the record's timestamp dates it.

import type { LogicalLine } from './normalize';

/** Keys whose presence makes a record worth parsing as JSON (tested with indexOf first). */
const HINTS = [
  '"@x"',
  '"Exception"',
  '"exception"',
  'stack',
  '"thrown"',
  '"exc_info"',
  '"traceback"',
  '"err"',
  '"error"',
];

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: Json | undefined): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** A field by dotted ECS name, either flattened (`"error.stack_trace"`) or nested (`error: {stack_trace}`). */
function field(o: Obj, name: string): Json | undefined {
  if (name in o) return o[name];
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  const head = o[name.slice(0, dot)];
  return isObj(head) ? field(head, name.slice(dot + 1)) : undefined;
}

/** Log4j2 JsonLayout's `thrown` with `extendedStackTrace` as objects: rendered as Java prints it. */
function renderThrown(t: Obj, depth = 0): string | null {
  const text = str(t.extendedStackTrace) ?? str(t.stackTrace) ?? str(t.stacktrace);
  if (text !== null) return text;
  const name = str(t.name) ?? str(t.className);
  if (name === null || depth > 20) return null;
  const message = str(t.message) ?? str(t.localizedMessage);
  const lines = [message !== null ? `${name}: ${message}` : name];
  const frames = Array.isArray(t.extendedStackTrace)
    ? t.extendedStackTrace
    : Array.isArray(t.stackTrace)
      ? t.stackTrace
      : [];
  for (const f of frames) {
    if (!isObj(f)) continue;
    const cls = str(f.class) ?? str(f.className) ?? '';
    const method = str(f.method) ?? str(f.methodName) ?? '';
    const file = str(f.file) ?? str(f.fileName);
    const line = typeof f.line === 'number' ? f.line : typeof f.lineNumber === 'number' ? f.lineNumber : null;
    const where =
      file === null
        ? line === -2
          ? 'Native Method'
          : 'Unknown Source'
        : line !== null && line >= 0
          ? `${file}:${line}`
          : file;
    lines.push(`\tat ${cls}.${method}(${where})`);
  }
  if (isObj(t.cause)) {
    const cause = renderThrown(t.cause, depth + 1);
    if (cause !== null) lines.push(`Caused by: ${cause}`);
  }
  return lines.join('\n');
}

/** The exception text a record carries, if any. */
function stackOf(o: Obj): string | null {
  for (const name of [
    '@x',
    'Exception',
    'exception',
    'stack_trace',
    'stacktrace',
    'error.stack_trace',
    'exc_info',
    'traceback',
  ]) {
    const v = field(o, name);
    const s = str(v);
    if (s !== null && s.indexOf('\n') >= 0) return s;
    if (isObj(v)) {
      const inner = str(v.stack_trace) ?? str(v.stacktrace) ?? str(v.stack) ?? str(v.StackTrace);
      if (inner !== null) return inner;
      if (name === 'exception') {
        const rendered = renderThrown(v);
        if (rendered !== null) return rendered;
      }
    }
  }
  for (const name of ['err', 'error']) {
    const v = o[name];
    if (isObj(v)) {
      const s = str(v.stack) ?? str(v.stack_trace) ?? str(v.stacktrace);
      if (s !== null) return s;
    }
  }
  if (isObj(o.thrown)) return renderThrown(o.thrown);
  const stack = str(o.stack);
  return stack !== null && stack.indexOf('\n') >= 0 ? stack : null;
}

function timestampOf(o: Obj): string | undefined {
  for (const name of ['@t', '@timestamp', 'timestamp', 'time', 'ts', 'asctime', 'Timestamp', 'date']) {
    const v = o[name];
    if (typeof v === 'string' && v.length > 0) return v;
    if (typeof v === 'number' && Number.isFinite(v)) {
      // Epoch seconds (zap) or milliseconds (pino, bunyan's numeric form).
      const ms = v > 1e11 ? v : v * 1000;
      const d = new Date(ms);
      if (!Number.isNaN(d.getTime())) return d.toISOString();
    }
  }
  const instant = o.instant;
  if (isObj(instant) && typeof instant.epochSecond === 'number') {
    const nanos = typeof instant.nanoOfSecond === 'number' ? instant.nanoOfSecond : 0;
    const d = new Date(instant.epochSecond * 1000 + Math.floor(nanos / 1e6));
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return undefined;
}

/**
 * The trace lines a JSON Lines record carries, each with the record's document line and timestamp; null
 * when the line is not a JSON object or carries no stack.
 */
export function structuredRecord(raw: string, docLine: number): LogicalLine[] | null {
  let i = 0;
  while (i < raw.length && (raw.charCodeAt(i) === 32 || raw.charCodeAt(i) === 9)) i++;
  if (raw.charCodeAt(i) !== 123 /* { */) return null;
  let end = raw.length;
  while (end > i && /\s/.test(raw[end - 1]!)) end--;
  if (raw.charCodeAt(end - 1) !== 125 /* } */) return null;
  if (!HINTS.some((h) => raw.indexOf(h, i) >= 0)) return null;
  let parsed: Json;
  try {
    parsed = JSON.parse(raw.slice(i, end)) as Json;
  } catch {
    return null;
  }
  if (!isObj(parsed)) return null;
  const stack = stackOf(parsed);
  if (stack === null) return null;
  const timestamp = timestampOf(parsed);
  const lines = stack.split(/\r\n|\n|\r/).map((text) => ({ text: text.trimEnd(), docLine, timestamp }));
  while (lines.length > 0 && lines[lines.length - 1]!.text === '') lines.pop();
  return lines;
}
