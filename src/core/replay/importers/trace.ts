// Any document the trace parsers read → a session that stops at each exception with its stack. An exception
// chain is replayed in the order it happened: the innermost cause was thrown first, so it comes first and
// an exception breakpoint stops there; the exception that propagated comes last, suppressed ones after it.
// A stack of a thread dump is one event per thread; a sanitizer's allocation and free stacks come before the
// access that failed.

import type { Trace, TraceNode } from '../../trace/model';
import { TraceScanner } from '../../trace/scanner';
import type { SessionEvent, SessionFrame } from '../format';
import type { SessionWriter } from '../writer';
import { StreamClock } from './clock';
import { readLines, Progress, totalSize, type ImportOptions, type Warnings } from './common';
import type { ImportSummary } from './dumps';
import { addScope, exceptionOf, labelOf, stateOf, threadScope, traceFrames } from './frames';
import { parseTimestamp } from './time';

/** The order in which related stacks happened, before the report's own stack. */
const ROLE_ORDER = ['thread-creation', 'allocation', 'origin', 'free', 'previous-access'];

function roleRank(node: TraceNode): number {
  const i = ROLE_ORDER.indexOf(node.role ?? '');
  return i < 0 ? ROLE_ORDER.length : i;
}

/** The node's frames, completed with the enclosing stack's frames that `... N more` left out. */
function fullStack(trace: Trace, node: TraceNode, enclosing: SessionFrame[]): SessionFrame[] {
  const own = traceFrames(trace, node);
  const omitted = node.omittedFrames ?? 0;
  if (omitted > 0 && enclosing.length > 0)
    own.push(...enclosing.slice(Math.max(0, enclosing.length - omitted)));
  return own;
}

/** Events of an exception chain in the order things happened (see the file comment). */
function chainEvents(trace: Trace, node: TraceNode, enclosing: SessionFrame[]): SessionEvent[] {
  if (node.title.startsWith('[CIRCULAR REFERENCE')) return [];
  const stack = fullStack(trace, node, enclosing);
  const out: SessionEvent[] = [];
  for (const r of [...(node.related ?? [])].sort((a, b) => roleRank(a) - roleRank(b))) {
    out.push({
      t: 0,
      thread: '',
      stack: fullStack(trace, r, []),
      kind: 'sample',
      state: r.role ?? 'related',
    });
  }
  for (const c of node.causes) out.push(...chainEvents(trace, c, stack));
  out.push({ t: 0, thread: '', stack: [...stack], kind: 'exception', exception: exceptionOf(node) });
  for (const s of node.suppressed) out.push(...chainEvents(trace, s, stack));
  return out;
}

/** The events one parsed trace becomes, on the trace's thread. */
export function traceEvents(trace: Trace): SessionEvent[] {
  const thread = labelOf(trace);
  let events: SessionEvent[];
  if (trace.kind === 'thread') {
    const event: SessionEvent = { t: 0, thread, stack: traceFrames(trace), kind: 'sample' };
    const state = stateOf(trace);
    if (state !== null) event.state = state;
    events = [event];
  } else {
    events = chainEvents(trace, trace, []);
  }
  for (const e of events) {
    e.thread = thread;
    if (trace.thread) addScope(e.stack, threadScope(trace.thread));
  }
  return events;
}

/** Imports every trace in `files` into `writer`. */
export async function importTraces(
  files: readonly string[],
  writer: SessionWriter,
  options: ImportOptions,
  warnings: Warnings,
): Promise<ImportSummary> {
  const clock = new StreamClock(writer, { threads: [], source: { importer: 'trace', files: [...files] } });
  const threads = new Set<string>();
  const queue: { events: SessionEvent[]; stamp: number | null }[] = [];
  let traces = 0;
  const flush = async (): Promise<void> => {
    for (const q of queue.splice(0)) for (const e of q.events) await clock.push(e, q.stamp);
  };
  const progress = new Progress(totalSize(files), options.onProgress);
  for (const file of files) {
    const before = traces;
    const scanner = new TraceScanner((trace) => {
      traces++;
      const events = traceEvents(trace);
      for (const e of events) threads.add(e.thread);
      queue.push({ events, stamp: trace.timestamp !== undefined ? parseTimestamp(trace.timestamp) : null });
    });
    await readLines(file, (text, docLine, zeroWidth) => scanner.pushLine(text, docLine, zeroWidth), {
      signal: options.signal,
      progress,
      afterBlock: flush,
    });
    scanner.end();
    await flush();
    if (traces === before) warnings.add(file, undefined, 'no stack trace found');
  }
  await clock.finish();
  return { events: writer.events, threads: threads.size, units: traces };
}
