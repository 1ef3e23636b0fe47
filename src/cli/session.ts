// `escalate session import dumps|log|trace|profile|auto FILE… -o OUT.jsonl [--pattern REGEX…]`: turns thread
// dumps, logs, traces or profiles into a captured session for replay (docs/importing.md).

import { parseArgs } from 'node:util';
import { InputError } from '../core/trace/file';
import { OutputError } from '../core/replay/writer';
import {
  detectImport,
  importSession,
  IMPORT_KINDS,
  type ImportKind,
  type ImportResult,
} from '../core/replay/importers';
import type { CliIO } from './main';

const SESSION_USAGE = `Usage: escalate session import KIND FILE... -o OUT.jsonl [--pattern REGEX...]

Kinds:
  dumps     a series of thread dumps (jstack, Go goroutine dumps, gdb, py-spy dump, dotnet-stack report):
            one event per thread per dump
  log       a log whose records carry source locations (JSON: zap, logrus, Serilog, Python logging,
            Log4j2, Bunyan/pino, ECS; text lines with file:line): one event per record
  trace     any trace Escalate reads: a session that stops at each exception with its stack
  profile   Chrome Trace Event JSON or a V8 .cpuprofile: enter/exit and sample events
  auto      the kind that fits the first FILE

Options:
  -o, --output FILE    where the session is written (JSON Lines, docs/session-format.md)
  --pattern REGEX      log: a regular expression that finds a location in a text line, with groups
                       (?<file>…) and (?<line>…) (repeatable; tried before the built-in patterns)`;

/** Warnings printed before the rest are only counted. */
const SHOWN_WARNINGS = 20;

function printWarnings(result: ImportResult, io: CliIO): void {
  const shown = result.warnings.slice(0, SHOWN_WARNINGS);
  for (const w of shown)
    io.stderr.write(`escalate: warning: ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}\n`);
  const more = result.warnings.length - shown.length + result.moreWarnings;
  if (more > 0) io.stderr.write(`escalate: warning: ${more} more warning${more === 1 ? '' : 's'}\n`);
}

function resolveKind(kind: string, files: string[], io: CliIO): ImportKind | null {
  if ((IMPORT_KINDS as readonly string[]).includes(kind)) return kind as ImportKind;
  if (kind !== 'auto') {
    io.stderr.write(`escalate: unknown import kind '${kind}' (dumps, log, trace, profile or auto)\n`);
    return null;
  }
  const found = detectImport(files[0]!);
  if (!found) {
    io.stderr.write(`escalate: ${files[0]}: not a thread dump, log, trace or profile Escalate can import\n`);
    return null;
  }
  io.stderr.write(`escalate: ${files[0]}: ${found.reason}: importing as ${found.kind}\n`);
  return found.kind;
}

async function runImport(kind: string, files: string[], out: string, patterns: string[], io: CliIO) {
  const resolved = resolveKind(kind, files, io);
  if (resolved === null) return 2;
  const result = await importSession(resolved, files, out, { patterns });
  printWarnings(result, io);
  if (result.events === 0) {
    io.stderr.write(`escalate: no events found in ${files.join(', ')}; nothing written\n`);
    return 2;
  }
  io.stdout.write(
    `${out}: ${result.events} event${result.events === 1 ? '' : 's'} on ${result.threads} thread${result.threads === 1 ? '' : 's'}\n`,
  );
  return 0;
}

/** `escalate session …` with the arguments after `session`; returns the exit status (0, or 2 with a message). */
export async function sessionCommand(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        pattern: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    io.stderr.write(`escalate: ${(e as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, kind, ...files] = positionals;
  if (values.help || sub === undefined) {
    io.stdout.write(SESSION_USAGE + '\n');
    return values.help ? 0 : 2;
  }
  if (sub !== 'import') {
    io.stderr.write(`escalate: unknown session command '${sub}' (try: escalate session import --help)\n`);
    return 2;
  }
  if (kind === undefined || files.length === 0 || values.output === undefined) {
    io.stderr.write('escalate: session import needs a KIND, at least one FILE and -o OUT.jsonl\n');
    return 2;
  }
  try {
    return await runImport(kind, files, values.output, values.pattern, io);
  } catch (e) {
    if (!(e instanceof InputError) && !(e instanceof OutputError)) throw e;
    io.stderr.write(`escalate: ${e.message}\n`);
    return 2;
  }
}
