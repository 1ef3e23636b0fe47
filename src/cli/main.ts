// The `escalate` command line over the core: `escalate parse|buckets FILE… [--json]`.

import { parseArgs } from 'node:util';
import { writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { InputError, scanFileSync } from '../core/trace/file';
import { scanFileParallel } from '../core/trace/parallel';
import {
  BucketCollector,
  bucketsToJson,
  classifyTrace,
  traceToJson,
  type Bucket,
  type BucketOptions,
  type Trace,
} from '../core/trace';
import { describeFrame, renderTrace } from './format';
import { caseCommand } from './case';
import { resolveCommand } from './resolve';
import { sessionCommand } from './session';

const USAGE = `Usage: escalate <command> [options]

Commands:
  parse FILE... [--json]     List the traces (exceptions, crashes, thread stacks) in each file and their frames.
  buckets FILE... [--json]   The distinct crashes across the files, most frequent first, with counts and
                             first and last occurrence (see docs/signatures.md).
  resolve TRACE --repo DIR [--repo DIR...] [--ref REF | --version V] [--map FROM=TO...] [--json]
                             Each frame's file and line in the source at the customer's version (a tag,
                             branch or commit; or a version such as 5.5.1 matched to tags like v5.5.1 and
                             branches like release/5.5), how it was found and how sure that is, where the
                             line is in the working tree now and which commits touched it since
                             (see docs/resolving.md).
  case list|show ID|report ID [--customer] [--store DIR] [--json]
                             The case store: every open case at a glance, one case with its findings, the
                             handover or the customer's action plan (see docs/cases.md; escalate case -h).
  session import dumps|log|trace|profile|auto FILE... -o OUT.jsonl [--pattern REGEX...]
                             A captured session for replay from thread dumps, a log with source locations,
                             a trace, or a profile (see docs/importing.md; escalate session -h).

Options:
  --json               Machine-readable output: {"traces":[...]} or {"buckets":[...]} (docs/formats.md)
  --in-app PREFIX      Frames whose function, module or file starts with PREFIX are the application's own
                       code (repeatable; e.g. --in-app com.acme.)
  --not-in-app PREFIX  Frames matching PREFIX are library code (repeatable; wins over --in-app)
  --repo DIR           resolve: a repository of the product (repeatable; default: the current folder)
  --ref REF            resolve: the tag, branch or commit of the customer's build
  --version V          resolve: the customer's product version, matched to a tag or release branch
  --map FROM=TO        resolve: build-machine prefix FROM is folder TO of a repository (repeatable)
  --threads            buckets: also group the stacks of thread dumps (idle threads are not crashes)
  -j, --jobs N         Scan large files on N threads (parse: default 1; buckets: default all cores)
  -h, --help           Show this help
  --version            Show the version`;

/** Where the CLI writes: stdout and stderr in a terminal, captured strings in tests. */
export interface Sink {
  write(s: string): void;
  flush(): void;
}

/** Buffered writer to a file descriptor: output is streamed, never held whole. */
class Out implements Sink {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly fd: number) {}
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.buf.length === 0) return;
    const data = this.buf.join('');
    this.buf = [];
    this.size = 0;
    let off = 0;
    const bytes = Buffer.from(data, 'utf8');
    while (off < bytes.length) {
      try {
        off += writeSync(this.fd, bytes, off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EPIPE') process.exit(0);
        throw e;
      }
    }
  }
}

export interface CliIO {
  stdout: Sink;
  stderr: Sink;
}

/** The worker bundle sits next to the CLI bundle (dist/); tests running the sources point it there too. */
const WORKER = path.join(__dirname, path.basename(__dirname) === 'dist' ? '' : '../../dist', 'scanWorker.js');

interface Common {
  json: boolean;
  jobs: number;
  classify: BucketOptions;
}

async function scan(file: string, jobs: number, onTrace: (t: Trace) => void) {
  return jobs > 1
    ? await scanFileParallel(file, onTrace, { workerScript: WORKER, workers: jobs })
    : scanFileSync(file, onTrace);
}

function where(o: Bucket['first']): string {
  return `${o.file}:${o.line}${o.time ? ` (${o.time})` : ''}`;
}

async function bucketsCommand(files: string[], opts: Common, io: CliIO): Promise<number> {
  let status = 0;
  const buckets = new BucketCollector(opts.classify);
  let lines = 0;
  for (const file of files) {
    try {
      const result = await scan(file, opts.jobs, (t) => buckets.add(t, file));
      lines += result.lines;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      io.stderr.write(`escalate: ${e.message}\n`);
      status = 2;
    }
  }
  const result = buckets.result();
  if (opts.json) {
    io.stdout.write(JSON.stringify(bucketsToJson(result)) + '\n');
    return status;
  }
  result.forEach((b, i) => {
    io.stdout.write(`[${i + 1}] ${b.count}×  ${b.title}\n`);
    io.stdout.write(`    ${b.format} ${b.kind}, signature ${b.signature}\n`);
    if (b.frame)
      io.stdout.write(`    at ${describeFrame({ ...b.frame, offset: null, args: null, raw: '' })}\n`);
    io.stdout.write(`    first ${where(b.first)}\n`);
    if (b.count > 1) io.stdout.write(`    last  ${where(b.last)}\n`);
    io.stdout.write('\n');
  });
  io.stdout.write(
    `${result.length} distinct crash${result.length === 1 ? '' : 'es'} in ${buckets.traces} trace${buckets.traces === 1 ? '' : 's'}, ${lines} lines\n`,
  );
  return status;
}

async function parseCommand(files: string[], opts: Common, io: CliIO): Promise<number> {
  const { json, jobs } = opts;
  let status = 0;
  const many = files.length > 1;
  let first = true;
  if (json) io.stdout.write('{"traces":[');
  for (const file of files) {
    let count = 0;
    try {
      if (!json && many) io.stdout.write(`== ${file}\n`);
      const onTrace = (trace: Trace): void => {
        count++;
        classifyTrace(trace, opts.classify);
        if (json) {
          const obj = many ? { file, ...traceToJson(trace) } : traceToJson(trace);
          io.stdout.write((first ? '' : ',') + JSON.stringify(obj));
          first = false;
        } else {
          io.stdout.write(renderTrace(trace, count) + '\n\n');
        }
      };
      const result = await scan(file, jobs, onTrace);
      if (!json) io.stdout.write(`${count} trace${count === 1 ? '' : 's'} in ${result.lines} lines\n`);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      io.stderr.write(`escalate: ${e.message}\n`);
      status = 2;
    }
  }
  if (json) io.stdout.write(']}\n');
  return status;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  // Commands with options of their own parse their arguments themselves.
  if (argv[0] === 'case') return caseCommand(argv.slice(1), io);
  if (argv[0] === 'session') return sessionCommand(argv.slice(1), io);
  let parsed;
  // `resolve --version 5.5.1` is the customer's version; everywhere else `--version` is this tool's.
  if (argv[0] === 'resolve')
    argv = argv.map((a) => (a === '--version' ? '--at-version' : a.replace(/^--version=/, '--at-version=')));
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        jobs: { type: 'string', short: 'j' },
        'in-app': { type: 'string', multiple: true, default: [] },
        'not-in-app': { type: 'string', multiple: true, default: [] },
        threads: { type: 'boolean', default: false },
        repo: { type: 'string', multiple: true, default: [] },
        ref: { type: 'string' },
        'at-version': { type: 'string' },
        map: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    io.stderr.write(`escalate: ${(e as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  const jobs = Number(values.jobs ?? (command === 'buckets' ? Math.min(availableParallelism(), 4) : 1));
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) {
    io.stderr.write(`escalate: --jobs wants a whole number from 1 to 64\n`);
    return 2;
  }
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(USAGE + '\n');
    return command === undefined && !values.help ? 2 : 0;
  }
  const opts: Common = {
    json: values.json,
    jobs,
    classify: { inApp: values['in-app'], notInApp: values['not-in-app'], threads: values.threads },
  };
  switch (command) {
    case 'parse':
    case 'buckets':
      if (rest.length === 0) {
        io.stderr.write(`escalate: ${command} needs at least one FILE\n`);
        return 2;
      }
      return command === 'parse' ? parseCommand(rest, opts, io) : bucketsCommand(rest, opts, io);
    case 'resolve': {
      if (rest.length !== 1) {
        io.stderr.write('escalate: resolve needs one TRACE file (escalate resolve TRACE --repo DIR)\n');
        return 2;
      }
      if (values.ref !== undefined && values['at-version'] !== undefined) {
        io.stderr.write('escalate: give --ref or --version, not both\n');
        return 2;
      }
      return resolveCommand(
        {
          file: rest[0]!,
          repos: values.repo.length ? values.repo : ['.'],
          ref: values.ref ?? values['at-version'] ?? null,
          maps: values.map,
          json: values.json,
          classify: opts.classify,
        },
        io,
      );
    }
    default:
      io.stderr.write(`escalate: unknown command '${command}' (try --help)\n`);
      return 2;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

async function run(): Promise<void> {
  const io = { stdout: new Out(1), stderr: new Out(2) };
  let status: number;
  try {
    status = await main(process.argv.slice(2), io);
  } catch (e) {
    io.stdout.flush();
    io.stderr.write(`escalate: internal error: ${(e as Error).stack ?? String(e)}\n`);
    status = 70;
  }
  io.stdout.flush();
  io.stderr.flush();
  process.exitCode = status;
}

if (require.main === module) void run();
