// The `escalate` command line over the core: `escalate parse FILE… [--json]`.

import { parseArgs } from 'node:util';
import { writeSync } from 'node:fs';
import * as path from 'node:path';
import { InputError, scanFileSync } from '../core/trace/file';
import { scanFileParallel } from '../core/trace/parallel';
import { traceToJson, type Trace } from '../core/trace';
import { renderTrace } from './format';

const USAGE = `Usage: escalate <command> [options]

Commands:
  parse FILE... [--json]   List the traces (exceptions, crashes, thread stacks) in each file and their frames.

Options:
  --json        Machine-readable output: {"traces":[...]} (see docs/formats.md)
  -j, --jobs N  Scan large files on N threads (default 1; see docs/performance.md)
  -h, --help    Show this help
  --version     Show the version`;

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

async function parseCommand(files: string[], json: boolean, jobs: number, io: CliIO): Promise<number> {
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
        if (json) {
          const obj = many ? { file, ...traceToJson(trace) } : traceToJson(trace);
          io.stdout.write((first ? '' : ',') + JSON.stringify(obj));
          first = false;
        } else {
          io.stdout.write(renderTrace(trace, count) + '\n\n');
        }
      };
      const result =
        jobs > 1
          ? await scanFileParallel(file, onTrace, { workerScript: WORKER, workers: jobs })
          : scanFileSync(file, onTrace);
      if (result.binary) io.stderr.write(`escalate: ${file}: looks like binary data, not text\n`);
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
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        jobs: { type: 'string', short: 'j', default: '1' },
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
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) {
    io.stderr.write(`escalate: --jobs wants a whole number from 1 to 64\n`);
    return 2;
  }
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(USAGE + '\n');
    return command === undefined && !values.help ? 2 : 0;
  }
  switch (command) {
    case 'parse':
      if (rest.length === 0) {
        io.stderr.write('escalate: parse needs at least one FILE\n');
        return 2;
      }
      return parseCommand(rest, values.json, jobs, io);
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
