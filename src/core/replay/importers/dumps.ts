// A series of thread dumps → a session: one event per thread per dump, in dump order. Dumps are read by the
// trace parsers (jstack, Go goroutine dumps, gdb, lldb, …) and by dumpReaders.ts (py-spy, dotnet-stack).

import * as fs from 'node:fs';
import type { Trace } from '../../trace/model';
import { TraceScanner } from '../../trace/scanner';
import type { ClockUnit, SessionEvent } from '../format';
import { SESSION_FORMAT, SESSION_VERSION } from '../format';
import type { SessionWriter } from '../writer';
import { readHeadText, readLines, Progress, totalSize, type ImportOptions, type Warnings } from './common';
import {
  DotnetStackReader,
  PySpyReader,
  PYSPY_PROCESS,
  type DumpThread,
  type LineReader,
} from './dumpReaders';
import { addScope, exceptionOf, labelOf, stateOf, threadScope, traceFrames } from './frames';
import { isoOf, parseTimestamp } from './time';

export interface ImportSummary {
  events: number;
  threads: number;
  /** Dumps (dumps importer), records (log), traces (trace) or profiles (profile) read. */
  units: number;
}

/** jstack's date line above `Full thread dump`. */
const DATE_LINE = /^\s*(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\s*$/;
/** `SIGQUIT: quit` of a Go dump, possibly after the terminal's echo of the keystroke (`^\`). */
const SIGQUIT = /^[^A-Za-z0-9]{0,40}SIGQUIT: /;
const GDB_ALL = /^\s*(?:\(gdb\) *)?(?:thread apply all|t a a) +(?:bt|backtrace)\b/;

/** The VM named by a `Full thread dump OpenJDK … (…):` header line, or null for another line. */
function fullDump(line: string): string | null {
  const t = line.trim();
  if (!t.startsWith('Full thread dump ')) return null;
  return t.slice('Full thread dump '.length, t.endsWith(':') ? -1 : undefined);
}

/** What the start of a file says: the first dump's date and the program that was dumped. */
interface FileHead {
  file: string;
  date: number | null;
  program: string | null;
  mtime: number;
}

function readHead(file: string): FileHead {
  return { file, ...datedProgram(readHeadText(file)), mtime: fs.statSync(file).mtimeMs };
}

function datedProgram(text: string): { date: number | null; program: string | null } {
  const lines = text.split(/\r\n|\n|\r/, 400);
  for (let i = 0; i < lines.length; i++) {
    const program = fullDump(lines[i]!);
    if (program !== null) {
      const date = DATE_LINE.exec(lines[i - 1] ?? '');
      return { date: date ? parseTimestamp(date[1]!) : null, program };
    }
    const process = PYSPY_PROCESS.exec(lines[i]!);
    if (process) return { date: null, program: process[2]! };
  }
  return { date: null, program: null };
}

/** A parsed trace as one thread of a dump; null for a deadlock report (its threads are in the dump). */
function fromTrace(trace: Trace): DumpThread | null {
  if (!trace.thread) {
    if (trace.kind === 'thread') return null;
    return {
      docLine: trace.span.start,
      identity: 'main',
      label: 'main',
      state: null,
      stack: traceFrames(trace),
      exception: exceptionOf(trace),
    };
  }
  const t = trace.thread;
  // A Java thread is known by its name: `#N` and the native ids change when the JVM restarts between dumps.
  const identity =
    trace.format === 'jstack' && t.name !== null ? t.name : (t.id ?? t.attrs?.nid ?? t.name ?? trace.title);
  const item: DumpThread = {
    docLine: trace.span.start,
    identity,
    label: labelOf(trace),
    state: stateOf(trace),
    stack: traceFrames(trace),
    threadScope: threadScope(t),
  };
  if (trace.kind !== 'thread') item.exception = exceptionOf(trace);
  return item;
}

/** Session thread ids: the label of a thread's first appearance, made unique when two threads share it. */
class ThreadIds {
  private readonly byIdentity = new Map<string, string>();
  private readonly used = new Set<string>();

  idOf(identity: string, label: string): string {
    let id = this.byIdentity.get(identity);
    if (id === undefined) {
      id = label;
      for (let n = 2; this.used.has(id); n++) id = `${label} (${n})`;
      this.byIdentity.set(identity, id);
      this.used.add(id);
    }
    return id;
  }

  get count(): number {
    return this.byIdentity.size;
  }
}

/**
 * Cuts the stream of threads into dumps: at a dump header (jstack's `Full thread dump`, Go's `SIGQUIT:`,
 * gdb's `thread apply all bt`, py-spy's `Process N:`), at a new file, and where a thread that the current
 * dump already has appears again (goroutine dumps and gdb sessions have no reliable header).
 */
class DumpSplitter {
  private pending: { docLine: number; date: number | null }[] = [];
  private seen = new Set<string>();
  /** The current dump began at a header: a repeated thread is then a namesake, not the next dump. */
  private headed = false;
  /** Date of the current dump, while it has no threads yet (a header may still date it). */
  private date: number | null = null;
  private open = false;
  dumps = 0;

  constructor(private readonly onDump: (date: number | null, index: number) => void) {}

  startFile(date: number | null): void {
    this.pending = [];
    this.close();
    this.date = date;
    this.headed = false;
  }

  boundary(docLine: number, date: number | null): void {
    const last = this.pending[this.pending.length - 1];
    // `Full thread dump` right under its date line is the same boundary.
    if (last && docLine - last.docLine <= 1) {
      last.date ??= date;
      return;
    }
    this.pending.push({ docLine, date });
  }

  /**
   * Places a thread in the current dump, opening a new dump where a header or a repeated thread says so.
   * Returns the identity to use: a namesake in a dump that began at a header gets its line number added.
   */
  place(item: DumpThread): string {
    while (this.pending.length > 0 && this.pending[0]!.docLine <= item.docLine) {
      const b = this.pending.shift()!;
      this.close();
      this.date = b.date;
      this.headed = true;
    }
    let identity = item.identity;
    if (this.seen.has(identity)) {
      if (this.headed) {
        identity = `${identity} @${item.docLine}`;
      } else {
        this.close();
        this.date = null;
      }
    }
    if (!this.open) {
      this.open = true;
      this.onDump(this.date, this.dumps++);
    }
    this.seen.add(identity);
    return identity;
  }

  private close(): void {
    this.open = false;
    this.headed = false;
    this.seen = new Set();
  }
}

/** Detects dump headers in the raw lines. */
function headerOf(text: string, previous: string): { date: number | null } | null {
  if (fullDump(text) !== null) {
    const date = DATE_LINE.exec(previous);
    return { date: date ? parseTimestamp(date[1]!) : null };
  }
  if (SIGQUIT.test(text) || GDB_ALL.test(text) || PYSPY_PROCESS.test(text)) return { date: null };
  return null;
}

/** Imports thread dumps from `files` into `writer`. */
export async function importDumps(
  files: readonly string[],
  writer: SessionWriter,
  options: ImportOptions,
  warnings: Warnings,
): Promise<ImportSummary> {
  const heads = files.map(readHead);
  const dated = heads.every((h) => h.date !== null);
  // Dated dumps are ordered by their dates; otherwise by the files' modification times (a stable sort keeps
  // the order given for equal times).
  const ordered = [...heads].sort((a, b) => (dated ? a.date! - b.date! : a.mtime - b.mtime));
  const origin = dated ? ordered[0]!.date! : null;
  const unit: ClockUnit = origin !== null ? 'ms' : 'seq';
  await writer.header({
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    ...(ordered[0]?.program ? { program: ordered[0].program } : {}),
    threads: [],
    clock: origin !== null ? { unit, origin: isoOf(origin) } : { unit },
    source: { importer: 'dumps', files: ordered.map((h) => h.file) },
  });

  const ids = new ThreadIds();
  const queue: SessionEvent[] = [];
  let t = 0;
  let file = '';
  const splitter = new DumpSplitter((date, index) => {
    if (unit === 'seq') t = index;
    else if (date !== null) t = date - origin!;
    else
      warnings.add(
        file,
        undefined,
        `dump ${index + 1} has no date line; it is given the time of the dump before`,
      );
  });
  const onThread = (item: DumpThread): void => {
    const identity = splitter.place(item);
    const stack = item.stack;
    if (item.threadScope) addScope(stack, item.threadScope);
    const event: SessionEvent = { t, thread: ids.idOf(identity, item.label), stack };
    event.kind = item.exception ? 'exception' : 'sample';
    if (item.state !== null) event.state = item.state;
    if (item.exception) event.exception = item.exception;
    queue.push(event);
  };
  const flush = async (): Promise<void> => {
    for (const e of queue.splice(0)) await writer.event(e);
  };

  const progress = new Progress(totalSize(files), options.onProgress);
  for (const head of ordered) {
    file = head.file;
    const before = writer.events + queue.length;
    splitter.startFile(head.date);
    await readDumpFile(head.file, { onThread, splitter, warnings, flush, progress, signal: options.signal });
    if (writer.events + queue.length === before) warnings.add(file, undefined, 'no thread dump found');
  }
  await flush();
  return { events: writer.events, threads: ids.count, units: splitter.dumps };
}

interface FileRun {
  onThread: (item: DumpThread) => void;
  splitter: DumpSplitter;
  warnings: Warnings;
  flush: () => Promise<void>;
  progress: Progress;
  signal: AbortSignal | undefined;
}

async function readDumpFile(file: string, run: FileRun): Promise<void> {
  const scanner = new TraceScanner(
    (trace) => {
      const item = fromTrace(trace);
      if (item) run.onThread(item);
      else run.warnings.add(file, trace.span.start, `${trace.title}: kept only as the threads' own stacks`);
    },
    { streams: false },
  );
  const readers: LineReader[] = [new PySpyReader(run.onThread), new DotnetStackReader(run.onThread)];
  let previous = '';
  await readLines(
    file,
    (text, docLine, zeroWidth) => {
      const header = headerOf(text, previous);
      if (header) run.splitter.boundary(header.date !== null ? docLine - 1 : docLine, header.date);
      previous = text;
      let claimed = false;
      for (const r of readers) claimed = r.feed(text, docLine) || claimed;
      if (!claimed) scanner.pushLine(text, docLine, zeroWidth);
    },
    { signal: run.signal, progress: run.progress, afterBlock: run.flush },
  );
  scanner.end();
  for (const r of readers) r.end();
  await run.flush();
}
