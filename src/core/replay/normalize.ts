// Turns a parsed JSON line into the session types, tolerating what importers and captures get wrong: unknown
// fields are dropped, odd types coerced, hostile nesting cut. Never throws: a line is an event or a message.

import {
  SESSION_FORMAT,
  SESSION_VERSION,
  type ClockUnit,
  type LogLevel,
  type SessionEvent,
  type SessionFrame,
  type SessionHeader,
  type SessionScope,
  type SessionThread,
  type SessionVariable,
} from './format';

/** Children nested deeper than this are dropped (a hostile line must not blow the stack). */
export const MAX_VARIABLE_DEPTH = 64;
/** Frames beyond this many (innermost kept) are dropped: stack depths are stored as 16-bit numbers. */
const MAX_FRAMES = 65535;

const CLOCK_UNITS: readonly ClockUnit[] = ['ns', 'us', 'ms', 's', 'seq'];
const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const KINDS: readonly NonNullable<SessionEvent['kind']>[] = ['sample', 'log', 'exception', 'enter', 'exit'];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function strOrNull(v: unknown): string | null {
  return str(v) ?? null;
}

function intOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

function parse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** A value as text: strings as they are, other JSON as JSON (a capture that wrote `"value": 3`). */
function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v) ?? '';
}

function normalizeVariable(v: unknown, depth: number): SessionVariable | null {
  if (!isObj(v)) return null;
  const out: SessionVariable = { name: str(v.name) ?? '', value: valueText(v.value) };
  const type = str(v.type);
  if (type !== undefined) out.type = type;
  if (Array.isArray(v.children) && depth < MAX_VARIABLE_DEPTH) {
    out.children = normalizeVariables(v.children, depth + 1);
  }
  return out;
}

function normalizeVariables(list: unknown[], depth: number): SessionVariable[] {
  const out: SessionVariable[] = [];
  for (const v of list) {
    const n = normalizeVariable(v, depth);
    if (n) out.push(n);
  }
  return out;
}

function normalizeScopes(v: unknown): SessionScope[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: SessionScope[] = [];
  for (const s of v) {
    if (!isObj(s)) continue;
    const variables = Array.isArray(s.variables) ? normalizeVariables(s.variables, 0) : [];
    out.push({ name: str(s.name) ?? 'Scope', variables });
  }
  return out;
}

function normalizeFrame(f: unknown, withScopes: boolean): SessionFrame {
  if (!isObj(f)) return { function: null, file: null, line: null };
  const out: SessionFrame = {
    function: strOrNull(f.function),
    file: strOrNull(f.file),
    line: intOrNull(f.line),
  };
  const column = intOrNull(f.column);
  if (column !== null) out.column = column;
  const module = strOrNull(f.module);
  if (module !== null) out.module = module;
  const scopes = withScopes ? normalizeScopes(f.scopes) : undefined;
  if (scopes) out.scopes = scopes;
  return out;
}

function normalizeLog(v: unknown): SessionEvent['log'] {
  if (!isObj(v)) return undefined;
  const level = LEVELS.find((l) => l === v.level) ?? 'info';
  const log: NonNullable<SessionEvent['log']> = { level, message: valueText(v.message) };
  const logger = str(v.logger);
  if (logger !== undefined) log.logger = logger;
  return log;
}

function normalizeException(v: unknown, kind: SessionEvent['kind']): SessionEvent['exception'] {
  if (!isObj(v)) return kind === 'exception' ? { type: '<unknown>' } : undefined;
  const exception: NonNullable<SessionEvent['exception']> = { type: str(v.type) ?? '<unknown>' };
  const message = str(v.message);
  if (message !== undefined) exception.message = message;
  return exception;
}

export type EventNormalized = { ok: true; event: SessionEvent } | { ok: false; message: string };

/**
 * One event line, parsed and normalised; `message` says why it is not an event. Without `withScopes` the
 * frames carry no scopes (what the index needs, at a fraction of the cost); everything else is the same.
 */
export function normalizeEvent(text: string, withScopes = true): EventNormalized {
  const p = parse(text);
  if (!p.ok) return p;
  const v = p.value;
  if (!isObj(v)) return { ok: false, message: 'not an event (a JSON object was expected)' };
  if (typeof v.t !== 'number' || !Number.isFinite(v.t))
    return { ok: false, message: 'the event has no time `t`' };
  const thread = str(v.thread);
  if (thread === undefined) return { ok: false, message: 'the event names no thread' };
  const frames = Array.isArray(v.stack) ? v.stack.slice(0, MAX_FRAMES) : [];
  const event: SessionEvent = { t: v.t, thread, stack: frames.map((f) => normalizeFrame(f, withScopes)) };
  const kind = KINDS.find((k) => k === v.kind);
  if (kind) event.kind = kind;
  const state = str(v.state);
  if (state !== undefined) event.state = state;
  const log = normalizeLog(v.log);
  if (log) event.log = log;
  const exception = normalizeException(v.exception, kind);
  if (exception) event.exception = exception;
  return { ok: true, event };
}

function normalizeThreads(v: unknown): SessionThread[] {
  if (!Array.isArray(v)) return [];
  const out: SessionThread[] = [];
  for (const t of v) {
    const id = isObj(t) ? str(t.id) : str(t);
    if (id === undefined) continue;
    const name = isObj(t) ? str(t.name) : undefined;
    out.push(name === undefined ? { id } : { id, name });
  }
  return out;
}

/** The major version of a header's `version` (a number, or a string such as `1.2`). */
function major(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number.parseFloat(v) : NaN;
  return Number.isFinite(n) ? Math.floor(n) : null;
}

export type HeaderRead =
  | { ok: true; header: SessionHeader }
  | { ok: false; kind: 'not-a-session' | 'unknown-version'; message: string };

/** The header line: checks `format` and the major `version`, fills defaults for the rest. */
export function readHeader(text: string): HeaderRead {
  const p = parse(text);
  const notSession = (why: string): HeaderRead => ({
    ok: false,
    kind: 'not-a-session',
    message: `not a session: ${why}`,
  });
  if (!p.ok) return notSession(`the first line is ${p.message}`);
  const v = p.value;
  if (!isObj(v)) return notSession('the first line is not a JSON object');
  if (v.format !== SESSION_FORMAT) return notSession(`the header's format is not "${SESSION_FORMAT}"`);
  const m = major(v.version);
  if (m === null) return notSession('the header has no version');
  if (m !== SESSION_VERSION) {
    return {
      ok: false,
      kind: 'unknown-version',
      message: `session format version ${m} is not supported (this Escalate reads version ${SESSION_VERSION})`,
    };
  }
  const clock = isObj(v.clock) ? v.clock : {};
  const header: SessionHeader = {
    format: SESSION_FORMAT,
    version: typeof v.version === 'number' ? v.version : m,
    threads: normalizeThreads(v.threads),
    clock: { unit: CLOCK_UNITS.find((u) => u === clock.unit) ?? 'seq' },
  };
  const origin = str(clock.origin);
  if (origin !== undefined) header.clock.origin = origin;
  const program = str(v.program);
  if (program !== undefined) header.program = program;
  if (isObj(v.product)) header.product = { version: str(v.product.version), ref: str(v.product.ref) };
  if (isObj(v.source)) header.source = v.source;
  return { ok: true, header };
}
