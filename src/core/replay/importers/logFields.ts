// What a structured log record says, whichever library wrote it: time, level, message, logger, thread and
// the source location of the logging call (zap, logrus, Serilog, Python logging, Log4j2, ECS, Bunyan/pino,
// loguru-style). Field names are matched without regard to case (`CALLER`, `File`, `Line`).

import type { LogLevel, SessionFrame } from '../format';
import { isObject, plainText, type Json, type JsonObject } from './values';
import { epochToMs, parseTimestamp } from './time';

export interface RecordFields {
  /** Epoch milliseconds, when the record has a time this reads. */
  stamp: number | null;
  level: LogLevel | null;
  message: string;
  logger: string | null;
  thread: string | null;
  location: SessionFrame | null;
  /** Top-level keys read into the fields above: the rest are the record's variables. */
  used: Set<string>;
}

/** Top-level keys by lower-case name. */
class Keys {
  private readonly byLower = new Map<string, string>();
  readonly used = new Set<string>();

  constructor(private readonly o: JsonObject) {
    for (const k of Object.keys(o))
      if (!this.byLower.has(k.toLowerCase())) this.byLower.set(k.toLowerCase(), k);
  }

  /** The first of `names` (lower case) present, marked as used. */
  take(...names: string[]): Json | undefined {
    for (const n of names) {
      const k = this.byLower.get(n);
      if (k !== undefined) {
        this.used.add(k);
        return this.o[k];
      }
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.byLower.has(name);
  }
}

/** A field of a nested object by dotted path, flattened (`"log.origin"`) or nested (`log: {origin}`). */
function dotted(o: JsonObject, path: string): Json | undefined {
  if (path in o) return o[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  const head = o[path.slice(0, dot)];
  return isObject(head) ? dotted(head, path.slice(dot + 1)) : undefined;
}

const LEVEL_WORDS: Record<string, LogLevel> = {
  trace: 'trace',
  verbose: 'trace',
  vrb: 'trace',
  finest: 'trace',
  finer: 'trace',
  debug: 'debug',
  dbg: 'debug',
  fine: 'debug',
  config: 'debug',
  info: 'info',
  information: 'info',
  inf: 'info',
  notice: 'info',
  success: 'info',
  i: 'info',
  warn: 'warn',
  warning: 'warn',
  wrn: 'warn',
  w: 'warn',
  error: 'error',
  err: 'error',
  eror: 'error',
  severe: 'error',
  e: 'error',
  fatal: 'fatal',
  ftl: 'fatal',
  critical: 'fatal',
  crit: 'fatal',
  panic: 'fatal',
  dpanic: 'fatal',
  emerg: 'fatal',
  alert: 'fatal',
  f: 'fatal',
};

/** A level as written (`WARN`, `Warning`, `ERR`, glog's `E`) → the session's level, or null. */
export function levelOfWord(word: string): LogLevel | null {
  return LEVEL_WORDS[word.toLowerCase()] ?? null;
}

/** Numeric levels: Bunyan/pino (10 trace … 60 fatal) or Python's levelno (10 debug … 50 critical). */
function levelOfNumber(n: number, python: boolean): LogLevel | null {
  if (python) return n >= 50 ? 'fatal' : n >= 40 ? 'error' : n >= 30 ? 'warn' : n >= 20 ? 'info' : 'debug';
  if (n >= 60) return 'fatal';
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  return n >= 20 ? 'debug' : 'trace';
}

function levelOf(keys: Keys): LogLevel | null {
  const python = keys.has('levelno') || keys.has('levelname');
  const v = keys.take('level', '@l', 'levelname', 'log.level', 'severity', 'loglevel', 'lvl', 'levelno');
  if (typeof v === 'number') return levelOfNumber(v, python);
  if (typeof v === 'string') return levelOfWord(v.trim());
  if (isObject(v)) {
    const name = v.Name ?? v.name;
    if (typeof name === 'string') return levelOfWord(name);
  }
  // Serilog's compact format leaves @l out for Information.
  return keys.has('@t') && (keys.has('@m') || keys.has('@mt')) ? 'info' : null;
}

function stampOf(keys: Keys): number | null {
  const v = keys.take(
    '@t',
    '@timestamp',
    'timestamp',
    'time',
    'ts',
    'asctime',
    'datetime',
    'date',
    'timemillis',
  );
  if (typeof v === 'string') return parseTimestamp(v);
  if (typeof v === 'number') return epochToMs(v);
  const created = keys.take('created');
  if (typeof created === 'number') return epochToMs(created);
  const instant = keys.take('instant');
  if (isObject(instant) && typeof instant.epochSecond === 'number') {
    const nanos = typeof instant.nanoOfSecond === 'number' ? instant.nanoOfSecond : 0;
    return instant.epochSecond * 1000 + nanos / 1e6;
  }
  return null;
}

/** `pkg/file.go:42`, `/src/x.py:7:3` → file, line, column; a path without a line stays a path. */
function splitFileLine(s: string): { file: string; line: number | null; column?: number } {
  const last = trailingNumber(s);
  if (last === null) return { file: s, line: null };
  const before = trailingNumber(s.slice(0, last.at));
  if (before !== null && before.at > 0)
    return { file: s.slice(0, before.at), line: before.value, column: last.value };
  return last.at > 0 ? { file: s.slice(0, last.at), line: last.value } : { file: s, line: null };
}

/** `…:123` at the end of `s`: the number and where its colon is. */
function trailingNumber(s: string): { value: number; at: number } | null {
  const colon = s.lastIndexOf(':');
  const digits = s.slice(colon + 1);
  if (colon < 0 || digits.length === 0 || digits.length > 9 || !/^\d+$/.test(digits)) return null;
  return { value: Number(digits), at: colon };
}

function num(v: Json | undefined): number | null {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  if (typeof v === 'string' && /^\d{1,9}$/.test(v) && Number(v) > 0) return Number(v);
  return null;
}

function frame(
  fn: string | null,
  file: string | null,
  line: number | null,
  column?: number,
): SessionFrame | null {
  if (file === null && fn === null) return null;
  const f: SessionFrame = { function: fn, file, line };
  if (column !== undefined) f.column = column;
  return f;
}

/** `Object.<anonymous> (/app/x.js:10:5)` (pino-caller) or `pkg/file.go:42` (zap) as a frame. */
function callerFrame(caller: string): SessionFrame | null {
  const open = caller.lastIndexOf(' (');
  if (open > 0 && caller.endsWith(')')) {
    const at = splitFileLine(caller.slice(open + 2, -1));
    return frame(caller.slice(0, open), at.file, at.line, at.column);
  }
  const at = splitFileLine(caller);
  return frame(null, at.file, at.line, at.column);
}

/** Location objects: Log4j2's `source`/`locationInfo`, Bunyan's `src`, and the like. */
export function objectFrame(o: JsonObject): SessionFrame | null {
  const cls = plainText(o.class ?? o.className);
  const method = plainText(o.method ?? o.methodName ?? o.func ?? o.function);
  const fn = cls && method ? `${cls}.${method}` : (method ?? cls);
  const file = plainText(o.file ?? o.fileName ?? o.filename);
  return frame(fn, file, num(o.line ?? o.lineNumber ?? o.lineno));
}

function locationOf(keys: Keys, o: JsonObject): SessionFrame | null {
  const caller = keys.take('caller');
  if (typeof caller === 'string') {
    const f = callerFrame(caller);
    if (f) {
      f.function ??= plainText(keys.take('function', 'func'));
      return f;
    }
  }
  const obj = keys.take('src', 'source', 'locationinfo', 'location');
  if (isObject(obj)) return objectFrame(obj);
  const origin = dotted(o, 'log.origin');
  if (isObject(origin)) {
    const file = origin.file;
    if (isObject(file)) return frame(plainText(origin.function), plainText(file.name), num(file.line));
  }
  // Python logging (pathname/lineno/funcName), .NET caller enrichers, logrus and generic file/line fields.
  const file = plainText(
    keys.take('pathname', 'callerfilepath', 'sourcefile', 'file', 'filename', 'filepath', 'source_file'),
  );
  const fn = plainText(keys.take('funcname', 'callermembername', 'method', 'func', 'function', 'membername'));
  const line = num(keys.take('lineno', 'callerlinenumber', 'linenumber', 'line', 'line_number'));
  if (file !== null) {
    if (line !== null) return frame(fn, file, line);
    const at = splitFileLine(file);
    return frame(fn, at.file, at.line, at.column);
  }
  return frame(fn, null, line);
}

function messageOf(keys: Keys): string {
  const v = keys.take('@m', 'msg', 'message', '@mt', 'short_message', 'full_message', 'text', 'event', 'log');
  if (typeof v === 'string') return v;
  return v === undefined ? '' : JSON.stringify(v);
}

function threadOf(keys: Keys, o: JsonObject): string | null {
  const v = keys.take('thread', 'threadname', 'thread_name', 'threadid', 'thread_id', 'goroutine', 'tid');
  const direct = plainText(v);
  if (direct !== null) return direct;
  if (isObject(v)) return plainText(v.name) ?? plainText(v.id);
  return plainText(dotted(o, 'process.thread.name')) ?? plainText(dotted(o, 'log.thread'));
}

/** Reads the fields every importer event needs from a parsed JSON record. */
export function readRecord(o: JsonObject): RecordFields {
  const keys = new Keys(o);
  const stamp = stampOf(keys);
  const level = levelOf(keys);
  const message = messageOf(keys);
  const logger = plainText(keys.take('logger', 'loggername', 'logger_name', 'sourcecontext', 'name'));
  const thread = threadOf(keys, o);
  const location = locationOf(keys, o);
  return { stamp, level, message, logger, thread, location, used: keys.used };
}
