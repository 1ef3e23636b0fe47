// The `escalate-replay` launch configuration: its arguments checked, and the session it names opened — as it
// is, or a trace, dump, log or profile imported on the fly into a temporary session.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { detectImport, importSession, type ImportWarning } from '../core/replay/importers';
import { readHeader } from '../core/replay/normalize';
import { ReplayRuntime, type ReplayRuntimeOptions } from '../core/replay/runtime';
import type { PathMapping } from '../core/resolve';

/**
 * What a launch configuration of type `escalate-replay` may say (package.json's configurationAttributes is
 * the same as a JSON schema). Relative paths are taken from `cwd`.
 */
export interface ReplayLaunchArgs extends DebugProtocol.LaunchRequestArguments {
  /** The session file (`.jsonl`), or a trace, thread dump, log or profile: imported on the fly. */
  session: string;
  /** Stop at the first event (default true); false runs to the first breakpoint, exception or the end. */
  stopOnEntry?: boolean;
  /** Build-machine prefixes and where they are in the repositories, as `escalate.pathMappings`. */
  pathMappings?: PathMapping[];
  /** The customer's build: a tag, branch or commit. Wins over `version` and over the session's header. */
  ref?: string;
  /**
   * The customer's version (`5.5.1`, matched to `v5.5.1`, `release/5.5`, …); default: the session's header.
   */
  version?: string;
  /** Folders whose repositories frames resolve in; default `cwd`. */
  repos?: string[];
  /** Where relative paths start, and the default repository folder. */
  cwd?: string;
  /** Line breakpoints match a frame anywhere in a stack, not only the innermost (default false). */
  breakpointsInAnyFrame?: boolean;
  /** The case the replay belongs to (shown and passed through; nothing else for now). */
  case?: string;
}

/** The launch arguments checked, with defaults filled and paths made absolute. */
export interface LaunchPlan {
  session: string;
  stopOnEntry: boolean;
  mappings: PathMapping[];
  /** The version asked for explicitly (ref or version), or null: the session's header decides. */
  ref: string | null;
  repos: string[];
  anyFrame: boolean;
  caseId: string | null;
}

/** Error ids of launch failures, so that clients and tests can tell them apart. */
export const LaunchErrors = {
  args: 2001,
  missing: 2002,
  unreadable: 2003,
  version: 2004,
  import: 2005,
  mapping: 2006,
} as const;

export class LaunchError extends Error {
  constructor(
    readonly id: number,
    message: string,
  ) {
    super(message);
  }
}

function stringList(v: unknown, what: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new LaunchError(LaunchErrors.args, `${what} must be a list of strings`);
  return v;
}

function mappingsOf(v: unknown): PathMapping[] {
  if (v === undefined) return [];
  const ok =
    Array.isArray(v) &&
    v.every(
      (m: unknown) =>
        typeof m === 'object' &&
        m !== null &&
        typeof (m as PathMapping).from === 'string' &&
        typeof (m as PathMapping).to === 'string',
    );
  if (!ok) throw new LaunchError(LaunchErrors.args, 'pathMappings must be a list of {"from", "to"} strings');
  return (v as PathMapping[]).map((m) => ({ from: m.from, to: m.to }));
}

function optionalString(v: unknown, what: string): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') throw new LaunchError(LaunchErrors.args, `${what} must be a string`);
  return v;
}

/**
 * Checks launch arguments (they come from a hand-written launch.json); `defaultRepos` when none are named.
 */
export function planLaunch(raw: Partial<ReplayLaunchArgs>, defaultRepos: readonly string[]): LaunchPlan {
  const cwd = optionalString(raw.cwd, 'cwd');
  const base = cwd ?? process.cwd();
  const session = optionalString(raw.session, 'session');
  if (session === null)
    throw new LaunchError(
      LaunchErrors.args,
      'Name the session to replay: "session" in the launch configuration.',
    );
  const repos = stringList(raw.repos, 'repos');
  return {
    session: path.resolve(base, session),
    stopOnEntry: raw.stopOnEntry !== false,
    mappings: mappingsOf(raw.pathMappings),
    ref: optionalString(raw.ref, 'ref') ?? optionalString(raw.version, 'version'),
    repos: (repos.length > 0 ? repos : cwd !== null ? [cwd] : defaultRepos).map((r) => path.resolve(base, r)),
    anyFrame: raw.breakpointsInAnyFrame === true,
    caseId: optionalString(raw.case, 'case'),
  };
}

/** Bytes read to decide whether a file is a session; a header line longer than this is taken on trust. */
const HEAD = 65536;

/** Whether the file starts like a session (its first line is a session header, of any version). */
function looksLikeSession(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(HEAD);
    text = buf.toString('utf8', 0, fs.readSync(fd, buf, 0, HEAD, 0));
  } finally {
    fs.closeSync(fd);
  }
  const start = text.replace(/^\uFEFF/, '').trimStart();
  const nl = start.indexOf('\n');
  if (nl < 0) return start.startsWith('{') && start.includes('"escalate-session"');
  const header = readHeader(start.slice(0, nl).trim());
  return header.ok || header.kind === 'unknown-version';
}

/**
 * An open replay: the runtime, and the temporary session to remove at the end when the input was imported.
 */
export interface OpenedReplay {
  runtime: ReplayRuntime;
  /** The session file replayed (the temporary one for an import). */
  file: string;
  /** The folder holding the imported session, removed with `discard`. */
  temp: string | null;
  /** What the importer said about the input. */
  importNotes: string[];
  discard(): Promise<void>;
}

/** An error's message, whatever was thrown. */
export function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function warningText(w: ImportWarning): string {
  return `${path.basename(w.file)}${w.line ? `:${w.line}` : ''}: ${w.message}`;
}

/** Imports a trace, dump, log or profile into a session in a new temporary folder. */
async function importToTemp(file: string): Promise<{ session: string; temp: string; notes: string[] }> {
  let found;
  try {
    found = detectImport(file);
  } catch (e) {
    throw new LaunchError(LaunchErrors.unreadable, `Cannot read ${file}: ${describe(e)}`);
  }
  if (!found)
    throw new LaunchError(
      LaunchErrors.import,
      `${file} is neither a session nor a trace, thread dump, log or profile Escalate can import.`,
    );
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'escalate-replay-'));
  const session = path.join(temp, `${path.basename(file)}.session.jsonl`);
  try {
    const result = await importSession(found.kind, [file], session);
    if (result.events === 0) throw new Error(`no events found in ${found.reason}`);
    const notes = [`${path.basename(file)}: ${found.reason}, imported as ${result.events} events`];
    notes.push(...result.warnings.map(warningText));
    if (result.moreWarnings > 0) notes.push(`${result.moreWarnings} more import warnings`);
    return { session, temp, notes };
  } catch (e) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw new LaunchError(LaunchErrors.import, `Cannot import ${file}: ${describe(e)}`);
  }
}

/** Opens the session of a launch, importing it first when it is not a session. */
export async function openReplay(file: string, options: ReplayRuntimeOptions): Promise<OpenedReplay> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new LaunchError(LaunchErrors.missing, `Session file not found: ${file}`);
  }
  if (!stat.isFile()) throw new LaunchError(LaunchErrors.missing, `${file} is not a file`);
  let session = file;
  let temp: string | null = null;
  let importNotes: string[] = [];
  let isSession: boolean;
  try {
    isSession = looksLikeSession(file);
  } catch (e) {
    throw new LaunchError(LaunchErrors.unreadable, `Cannot read ${file}: ${describe(e)}`);
  }
  if (!isSession) ({ session, temp, notes: importNotes } = await importToTemp(file));
  const discard = async (): Promise<void> => {
    if (temp !== null) await fs.promises.rm(temp, { recursive: true, force: true });
  };
  const opened = await ReplayRuntime.open(session, options);
  if (!opened.ok) {
    await discard();
    const id = opened.error.kind === 'unknown-version' ? LaunchErrors.version : LaunchErrors.unreadable;
    throw new LaunchError(id, `Cannot replay ${file}: ${opened.error.message}`);
  }
  const runtime = opened.runtime;
  return { runtime, file: session, temp, importNotes, discard };
}
