// The importers' entry points: `importSession(kind, files, out)` streams a session to a file (or a writer),
// and `detectImport(file)` says which importer fits a file, for opening any trace, dump, log or profile as a
// session on the fly.

import { parseText } from '../../trace/scanner';
import { cleanLine } from '../../trace/normalize';
import { SessionWriter } from '../writer';
import { readHeadText, Warnings, type ImportKind, type ImportOptions, type ImportWarning } from './common';
import { importDumps, type ImportSummary } from './dumps';
import { PYSPY_PROCESS } from './dumpReaders';
import { findLocation } from './locations';
import { importLogs } from './log';
import { importProfiles, looksLikeCpuProfile } from './profile';
import { importTraces } from './trace';

export type { ImportKind, ImportOptions, ImportWarning } from './common';
export { checkPattern } from './locations';

export const IMPORT_KINDS: readonly ImportKind[] = ['dumps', 'log', 'trace', 'profile'];

export interface ImportResult extends ImportSummary {
  warnings: ImportWarning[];
  /** Warnings past the ones kept. */
  moreWarnings: number;
}

const IMPORTERS = {
  dumps: importDumps,
  log: importLogs,
  trace: importTraces,
  profile: importProfiles,
} as const;

/**
 * Imports `files` as `kind` into `out` (a path: written under a temporary name and renamed when complete,
 * not written at all when no event was found; or a SessionWriter). Throws InputError for a file that cannot be read, OutputError for an output that
 * cannot be written, and an AbortError when `signal` fires; problems with the content are warnings.
 */
export async function importSession(
  kind: ImportKind,
  files: readonly string[],
  out: string | SessionWriter,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const writer = typeof out === 'string' ? SessionWriter.toFile(out) : out;
  const warnings = new Warnings();
  let summary: ImportSummary;
  try {
    summary = await IMPORTERS[kind](files, writer, options, warnings);
    if (writer.clamped > 0) {
      warnings.add(
        files[0] ?? '',
        undefined,
        `${writer.clamped} record${writer.clamped === 1 ? ' was' : 's were'} stamped earlier than the one before: given its time`,
      );
    }
    // An import that found nothing leaves no file behind (a writer given by the caller is the caller's).
    if (writer.events === 0 && typeof out === 'string') await writer.abort();
    else await writer.close();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  return { ...summary, warnings: warnings.list, moreWarnings: warnings.dropped };
}

/** Which importer fits a file, and why; null when none does. */
export interface Detection {
  kind: ImportKind;
  reason: string;
}

const GOROUTINE = /^goroutine \d+ \[/;
const GDB_THREAD = /^Thread \d+ \(/;
const DOTNET_THREAD = /^\s*Thread \(0x[0-9A-Fa-f]+\):\s*$/;
const TRACE_EVENT = /"ph"\s*:\s*"[A-Za-z]"/;

function isJsonObject(line: string): boolean {
  const t = line.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return false;
  try {
    const v: unknown = JSON.parse(t);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

function dumpReason(lines: readonly string[]): string | null {
  if (lines.some((l) => l.includes('Full thread dump '))) return 'a jstack thread dump';
  if (lines.some((l) => PYSPY_PROCESS.test(l))) return 'a py-spy dump';
  if (lines.some((l) => DOTNET_THREAD.test(l))) return 'a dotnet-stack report';
  if (lines.filter((l) => GOROUTINE.test(l)).length >= 2) return 'a Go goroutine dump';
  if (lines.filter((l) => GDB_THREAD.test(l.trim())).length >= 2) return "gdb's thread backtraces";
  return null;
}

/** Reads the start of a file and says which importer fits it. Throws InputError for an unreadable file. */
export function detectImport(file: string): Detection | null {
  const head = readHeadText(file);
  const start = head.trimStart();
  if (looksLikeCpuProfile(file, head)) return { kind: 'profile', reason: 'a V8 CPU profile' };
  if ((start.startsWith('[') || start.startsWith('{')) && TRACE_EVENT.test(head.slice(0, 8192))) {
    return { kind: 'profile', reason: 'a Chrome Trace Event document' };
  }
  const lines = head.split(/\r\n|\n|\r/).slice(0, 2000);
  const dump = dumpReason(lines);
  if (dump) return { kind: 'dumps', reason: dump };
  const sample = lines.filter((l) => l.trim() !== '').slice(0, 50);
  if (sample.length === 0) return null;
  if (sample.filter(isJsonObject).length * 2 >= sample.length)
    return { kind: 'log', reason: 'JSON log records' };
  const stamped =
    sample.filter((l) => cleanLine(l, 0, false).timestamp !== undefined).length * 2 >= sample.length;
  const located = sample.some((l) => findLocation(l) !== null);
  if (stamped && located) return { kind: 'log', reason: 'a log whose lines name source locations' };
  if (parseText(head).length > 0) return { kind: 'trace', reason: 'a stack trace' };
  if (located) return { kind: 'log', reason: 'lines that name source locations' };
  return null;
}
