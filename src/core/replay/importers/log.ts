// A log whose records carry source locations → a session: one event per record, `kind: 'log'`, at the
// logging call's location, with the record's other fields as variables in a `Record` scope. JSON Lines
// (logFields.ts), logfmt and text lines (locations.ts) may be mixed; lines that continue a record (an
// indented line, a stack trace under an error) belong to it, and a trace among them becomes its stack.

import * as path from 'node:path';
import { MAX_LINE_LENGTH } from '../../trace/decode';
import { cleanLine } from '../../trace/normalize';
import { parseText } from '../../trace/scanner';
import { structuredRecord } from '../../trace/structured';
import type { Trace } from '../../trace/model';
import type { LogLevel, SessionEvent, SessionFrame, SessionVariable } from '../format';
import type { SessionWriter } from '../writer';
import { StreamClock } from './clock';
import { readLines, Progress, totalSize, type ImportOptions, type Warnings } from './common';
import type { ImportSummary } from './dumps';
import { addScope } from './frames';
import { compilePattern, findLocation, matchPattern, type LinePattern, type TextLocation } from './locations';
import { levelOfWord, objectFrame, readRecord } from './logFields';
import { traceEvents } from './trace';
import { leadingTimestamp, parseTimestamp } from './time';
import { isObject, plainText, variablesOf, type Json, type JsonObject } from './values';

/** Continuation lines kept with one record; past this the record is complete and the rest stands alone. */
const MAX_CONTINUATION_LINES = 500;
const MAX_CONTINUATION_CHARS = 262144;

/** A level word at the start of a text line's message or in its prefix: `ERROR`, `[WARN]`, `level=info`. */
const LEVEL_TOKEN =
  /(?:^|[\s[(|])(TRACE|DEBUG|INFO|INFORMATION|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|FATAL|CRITICAL|CRIT|PANIC)(?=$|[\s\]):|,])/i;
/** glog's `I0517 15:04:22.619632 1952452992 file.cc:253] `: level letter, time, thread id. */
const GLOG_PREFIX = /^([IWEF])\d{4} \d\d:\d\d:\d\d(?:\.\d+)? +(\d+) /;
/** logfmt: `key=value key="quoted value"`. */
const LOGFMT_START = /^[A-Za-z_][\w.-]{0,63}=/;

/** A record being read: its first line and the lines that continue it. */
interface Pending {
  file: string;
  docLine: number;
  fields: JsonObject | null;
  raw: string;
  /** The first line had a timestamp, level or was structured: unindented lines after it continue it. */
  prefixed: boolean;
  continuation: string[];
  chars: number;
}

function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

function startsIndented(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 32 || c === 9;
}

/** Parses `k=v k2="v 2"` pairs; null unless the line is logfmt with a time, level or message key. */
function parseLogfmt(line: string): JsonObject | null {
  if (!LOGFMT_START.test(line)) return null;
  const out: JsonObject = {};
  let i = 0;
  let pairs = 0;
  while (i < line.length) {
    while (line.charCodeAt(i) === 32) i++;
    if (i >= line.length) break;
    const eq = line.indexOf('=', i);
    const space = line.indexOf(' ', i);
    if (eq < 0 || (space >= 0 && space < eq)) return null;
    const key = line.slice(i, eq);
    let value: string;
    i = eq + 1;
    if (line[i] === '"') {
      let j = i + 1;
      let v = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        v += line[j];
        j++;
      }
      value = v;
      i = j + 1;
    } else {
      const end = line.indexOf(' ', i);
      value = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    out[key] = value;
    pairs++;
  }
  const keys = Object.keys(out).map((k) => k.toLowerCase());
  const known = keys.some((k) => ['time', 'ts', 'level', 'lvl', 'msg', 'message'].includes(k));
  return pairs >= 2 && known ? out : null;
}

/** What kind of line starts a record, if it does. */
function structured(text: string): { fields: JsonObject } | { torn: true } | null {
  const trimmed = text.trim();
  // Only at the start of the line: an indented `{` continues a record (pretty-printed JSON in a message).
  if (text.charCodeAt(0) === 123 /* { */) {
    if (trimmed.endsWith('}')) {
      try {
        const v = JSON.parse(trimmed) as Json;
        if (isObject(v)) return { fields: v };
      } catch {
        // Falls through: a torn or invalid record.
      }
    }
    return { torn: true };
  }
  const logfmt = parseLogfmt(trimmed);
  return logfmt ? { fields: logfmt } : null;
}

function textPrefixed(text: string): boolean {
  if (cleanLine(text, 0, false).timestamp !== undefined || leadingTimestamp(text) !== null) return true;
  const level = LEVEL_TOKEN.exec(text.slice(0, 48));
  return level !== null && level.index <= 1;
}

/** The first trace in a record's text (a stack trace logged under an error), if any. */
function traceIn(text: string): Trace | null {
  if (text === '') return null;
  const traces = parseText(text, { streams: false });
  return traces.find((t) => t.frames.length > 0 || t.causes.length > 0) ?? null;
}

/** The trace a JSON record carries in a field (`stacktrace`, `@x`, `thrown`, `err.stack`, …), if any. */
function traceInRecord(raw: string): Trace | null {
  const lines = structuredRecord(raw, 1);
  return lines ? traceIn(lines.map((l) => l.text).join('\n')) : null;
}

/** Keys of an exception a record carries as an object. */
const EXCEPTION_KEYS = ['@x', 'exception', 'Exception', 'error', 'err', 'thrown'];

/**
 * The text of an exception a record carries as an object whose stack is a string without the exception's
 * own line (Serilog's `@x: {Type, Message, StackTrace}`): the line is put back so the type is known.
 */
function exceptionText(fields: JsonObject): string | null {
  for (const key of EXCEPTION_KEYS) {
    const v = fields[key];
    if (!isObject(v)) continue;
    const stack = plainText(v.StackTrace ?? v.stackTrace ?? v.stack_trace ?? v.stacktrace ?? v.stack);
    const type = plainText(v.Type ?? v.type ?? v.ClassName ?? v.className ?? v.name);
    if (stack === null || type === null) continue;
    if (stack.trimStart().startsWith(type)) return stack;
    const message = plainText(v.Message ?? v.message);
    return `${type}${message !== null ? `: ${message}` : ''}\n${stack}`;
  }
  return null;
}

/**
 * An exception a JSON record carries as an object with a frame array (Log4j2's `thrown` with
 * `stackTrace: [{class, method, file, line}]`), which the trace parsers have no text for.
 */
function thrownObject(
  fields: JsonObject,
): { stack: SessionFrame[]; exception: { type: string; message?: string } } | null {
  for (const key of EXCEPTION_KEYS) {
    const v = fields[key];
    if (!isObject(v)) continue;
    const frames = v.extendedStackTrace ?? v.stackTrace ?? v.frames;
    const type = plainText(v.type ?? v.name ?? v.className ?? v.class);
    if (!Array.isArray(frames) || type === null) continue;
    const stack = frames
      .filter(isObject)
      .map(objectFrame)
      .filter((f): f is SessionFrame => f !== null);
    const message = plainText(v.message ?? v.localizedMessage);
    return { stack, exception: message !== null ? { type, message } : { type } };
  }
  return null;
}

/** Where a logged exception started (its innermost cause, frames completed), which the session stops at. */
function rootCause(trace: Trace): { stack: SessionFrame[]; exception?: { type: string; message?: string } } {
  const events = traceEvents(trace);
  const first = events.find((e) => e.kind === 'exception') ?? events[0];
  return first?.exception
    ? { stack: first.stack, exception: first.exception }
    : { stack: first?.stack ?? [] };
}

function textLevel(raw: string, message: string): LogLevel | null {
  const glog = GLOG_PREFIX.exec(raw);
  if (glog) return levelOfWord(glog[1]!);
  const prefix = raw.slice(0, Math.max(0, raw.indexOf(message)));
  const m = LEVEL_TOKEN.exec(prefix) ?? LEVEL_TOKEN.exec(message.slice(0, 48));
  return m ? levelOfWord(m[1]!) : null;
}

/** The message without a level word the prefix reader left at its start (`error\tmsg`, `[WARN] msg`). */
function withoutLevel(message: string): string {
  const m = LEVEL_TOKEN.exec(message.slice(0, 48));
  if (!m || m.index > 1) return message;
  let end = m.index + m[0].length;
  while (end < message.length && ' \t]:|-'.includes(message[end]!)) end++;
  return message.slice(end);
}

function textThread(raw: string, message: string): string | null {
  const glog = GLOG_PREFIX.exec(raw);
  if (glog) return glog[2]!;
  const prefix = raw.slice(0, Math.max(0, raw.indexOf(message)));
  // A bracketed thread name in the prefix (`[main]`, `[http-nio-8080-exec-1]`) that is not the level.
  const open = prefix.indexOf('[');
  const close = open < 0 ? -1 : prefix.indexOf(']', open);
  const name = close > open + 1 && close - open <= 81 ? prefix.slice(open + 1, close).trim() : '';
  return name !== '' && levelOfWord(name) === null ? name : null;
}

/** Reads one file's records and hands each on as an event. */
class LogReader {
  private pending: Pending | null = null;
  records = 0;

  constructor(
    private readonly patterns: readonly LinePattern[],
    private readonly defaultThread: string,
    private readonly warnings: Warnings,
    private readonly emit: (event: SessionEvent, stamp: number | null) => void,
  ) {}

  line(file: string, text: string, docLine: number): void {
    if (text.length >= MAX_LINE_LENGTH) {
      this.warnings.add(
        file,
        docLine,
        `longer than ${MAX_LINE_LENGTH / 1024} KB: the rest of the line was not read`,
      );
    }
    const s = structured(text);
    if (s && 'fields' in s) return this.start(file, docLine, text, s.fields, true);
    if (s && 'torn' in s) {
      this.warnings.add(file, docLine, 'not a complete JSON record (a torn or cut line?): read as text');
      return this.start(file, docLine, text, null, true);
    }
    const p = this.pending;
    const prefixed = textPrefixed(text);
    if (p && !prefixed && (startsIndented(text) || p.prefixed || isBlank(text)) && this.fits(p, text)) {
      p.continuation.push(text);
      p.chars += text.length;
      return;
    }
    if (isBlank(text)) return;
    this.start(file, docLine, text, null, prefixed);
  }

  end(): void {
    this.flush();
  }

  private fits(p: Pending, text: string): boolean {
    return p.continuation.length < MAX_CONTINUATION_LINES && p.chars + text.length <= MAX_CONTINUATION_CHARS;
  }

  private start(
    file: string,
    docLine: number,
    raw: string,
    fields: JsonObject | null,
    prefixed: boolean,
  ): void {
    this.flush();
    this.pending = { file, docLine, fields, raw, prefixed, continuation: [], chars: 0 };
  }

  private flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    while (p.continuation.length > 0 && isBlank(p.continuation[p.continuation.length - 1]!))
      p.continuation.pop();
    this.records++;
    const { event, stamp } = p.fields ? this.fromFields(p, p.fields) : this.fromText(p);
    this.emit(event, stamp);
  }

  private fromFields(p: Pending, fields: JsonObject): { event: SessionEvent; stamp: number | null } {
    const r = readRecord(fields);
    const rest = Object.entries(fields).filter(([k]) => !r.used.has(k));
    const variables = variablesOf(rest);
    const text = exceptionText(fields);
    const trace =
      (text !== null ? traceIn(text) : null) ?? traceInRecord(p.raw) ?? traceIn(p.continuation.join('\n'));
    const message =
      trace || p.continuation.length === 0 ? r.message : `${r.message}\n${p.continuation.join('\n')}`;
    const thrown = trace ? null : thrownObject(fields);
    const event = this.event(r.thread, r.location, trace ?? thrown, message, r.level ?? 'info', r.logger);
    addScope(event.stack, { name: 'Record', variables });
    return { event, stamp: r.stamp };
  }

  private fromText(p: Pending): { event: SessionEvent; stamp: number | null } {
    const clean = cleanLine(p.raw, p.docLine, false);
    const lead = clean.timestamp === undefined ? leadingTimestamp(p.raw) : null;
    const stampText = clean.timestamp ?? lead?.text;
    const glog = GLOG_PREFIX.exec(p.raw);
    const close = p.raw.indexOf('] ');
    const body = lead ? p.raw.slice(lead.end).trim() : clean.text;
    const message = glog && close > 0 ? p.raw.slice(close + 2) : withoutLevel(body);
    const loc = this.locate(p.raw);
    // The record's own line may open the trace (`panic: …`, `Exception in thread …`).
    const trace = p.continuation.length > 0 ? traceIn([body, ...p.continuation].join('\n')) : null;
    const full = trace || p.continuation.length === 0 ? message : `${message}\n${p.continuation.join('\n')}`;
    const level = (loc?.level ? levelOfWord(loc.level) : null) ?? textLevel(p.raw, message) ?? 'info';
    const thread = loc?.thread ?? textThread(p.raw, message);
    const frame = loc ? locationFrame(loc) : null;
    const event = this.event(thread, frame, trace, full, level, null);
    const variables: SessionVariable[] = [];
    if (stampText !== undefined) variables.push({ name: 'timestamp', value: stampText, type: 'string' });
    variables.push({ name: 'line', value: p.raw, type: 'string' });
    addScope(event.stack, { name: 'Record', variables });
    return { event, stamp: stampText !== undefined ? parseTimestamp(stampText) : null };
  }

  private locate(raw: string): TextLocation | null {
    for (const p of this.patterns) {
      const loc = matchPattern(p, raw);
      if (loc) return loc;
    }
    return findLocation(raw);
  }

  private event(
    thread: string | null,
    location: SessionFrame | null,
    trace: Trace | ReturnType<typeof thrownObject>,
    message: string,
    level: LogLevel,
    logger: string | null,
  ): SessionEvent {
    const event: SessionEvent = { t: 0, thread: thread ?? this.defaultThread, stack: [], kind: 'log' };
    event.log = logger !== null ? { level, message, logger } : { level, message };
    if (trace) {
      const root = 'stack' in trace ? trace : rootCause(trace);
      event.stack = root.stack;
      if (root.exception) {
        event.kind = 'exception';
        event.exception = root.exception;
      }
    }
    if (event.stack.length === 0) event.stack = [location ?? { function: logger, file: null, line: null }];
    return event;
  }
}

function locationFrame(loc: TextLocation): SessionFrame {
  const f: SessionFrame = { function: loc.function ?? null, file: loc.file, line: loc.line };
  if (loc.column !== undefined) f.column = loc.column;
  return f;
}

/** Compiles the user's patterns; a refused one is a warning and is left out. */
function compileAll(sources: readonly string[], warnings: Warnings): LinePattern[] {
  const out: LinePattern[] = [];
  for (const s of sources) {
    const c = compilePattern(s);
    if ('error' in c) warnings.add('--pattern', undefined, `${s}: ${c.error}`);
    else out.push(c.pattern);
  }
  return out;
}

/** Imports log records from `files` into `writer` (files one after the other). */
export async function importLogs(
  files: readonly string[],
  writer: SessionWriter,
  options: ImportOptions,
  warnings: Warnings,
): Promise<ImportSummary> {
  const patterns = compileAll(options.patterns ?? [], warnings);
  const clock = new StreamClock(writer, {
    threads: [],
    source: {
      importer: 'log',
      files: [...files],
      ...(patterns.length ? { patterns: patterns.map((p) => p.source) } : {}),
    },
  });
  const threads = new Set<string>();
  const queue: { event: SessionEvent; stamp: number | null }[] = [];
  const flush = async (): Promise<void> => {
    for (const q of queue.splice(0)) await clock.push(q.event, q.stamp);
  };
  const progress = new Progress(totalSize(files), options.onProgress);
  let records = 0;
  for (const file of files) {
    const reader = new LogReader(
      patterns,
      files.length > 1 ? path.basename(file) : 'log',
      warnings,
      (event, stamp) => {
        threads.add(event.thread);
        queue.push({ event, stamp });
      },
    );
    await readLines(file, (text, docLine) => reader.line(file, text, docLine), {
      signal: options.signal,
      progress,
      afterBlock: flush,
    });
    reader.end();
    await flush();
    if (reader.records === 0) warnings.add(file, undefined, 'no log records found');
    records += reader.records;
  }
  await clock.finish();
  return { events: writer.events, threads: threads.size, units: records };
}
