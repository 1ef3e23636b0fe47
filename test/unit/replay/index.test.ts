// The index worker's answers equal the on-demand answers: on generated sessions (threads, calls, logs,
// exceptions, unreadable lines) with generated breakpoints and moves, a runtime on the worker's index (with
// tiny blocks, so that searches pass many of them) stops exactly where one parsing every event stops.

import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import type { LineBreakpoint, ReplayRuntime, Stop } from '../../../src/core/replay/runtime';
import { dataBreakpointId } from '../../../src/core/replay/runtime';
import { openRuntime, suiteDir, writeSession, type IndexMode } from './fixture';

const THREADS = ['A', 'B', 'C'];
const MOVES = [
  'stepIn',
  'next',
  'stepOut',
  'stepBack',
  'reverseStepIn',
  'reverseStepOut',
  'continue',
  'reverseContinue',
  'jump',
] as const;

const frameArb = fc.record({
  fn: fc.nat({ max: 3 }),
  line: fc.integer({ min: 1, max: 3 }),
  v: fc.nat({ max: 2 }),
});

const eventArb = fc.oneof(
  {
    weight: 19,
    arbitrary: fc.record({
      thread: fc.nat({ max: 2 }),
      stack: fc.array(frameArb, { maxLength: 4 }),
      log: fc.boolean(),
      exception: fc.constantFrom(null, null, null, null, 'x.IOError', 'y.StateError'),
    }),
  },
  { weight: 1, arbitrary: fc.constant('bad' as const) },
);

const setupArb = fc.record({
  lines: fc.array(
    fc.record({
      fn: fc.nat({ max: 3 }),
      line: fc.integer({ min: 1, max: 3 }),
      condition: fc.constantFrom(undefined, 'v == 1', 'v > 0 && !missing'),
      hitCondition: fc.constantFrom(undefined, '2', '% 2'),
      logMessage: fc.constantFrom(undefined, 'v={v}'),
    }),
    { maxLength: 2 },
  ),
  anyFrame: fc.boolean(),
  functions: fc.array(fc.nat({ max: 3 }), { maxLength: 1 }),
  exceptions: fc.constantFrom('none', 'all', 'IOError'),
  // Only the header's thread can be named before it is met (without the index).
  data: fc.option(fc.record({ fn: fc.nat({ max: 3 }), thread: fc.option(fc.constant(0)) })),
  blockEvents: fc.integer({ min: 1, max: 8 }),
  rowEntries: fc.oneof(fc.constant(1_000_000), fc.integer({ min: 1, max: 40 })),
});

const movesArb = fc.array(
  fc.record({ move: fc.constantFrom(...MOVES), thread: fc.nat({ max: 2 }), to: fc.nat({ max: 100 }) }),
  { minLength: 1, maxLength: 10 },
);

type Setup = typeof setupArb extends fc.Arbitrary<infer T> ? T : never;
type Moves = typeof movesArb extends fc.Arbitrary<infer T> ? T : never;
type Events = (typeof eventArb extends fc.Arbitrary<infer T> ? T : never)[];

function sessionLines(events: Events): (object | string)[] {
  return events.map((e, t) => {
    if (e === 'bad') return '{"t": 1, "thread": ';
    const stack = e.stack.map((f) => ({
      function: `f${f.fn}`,
      file: `src/f${f.fn}.ts`,
      line: f.line,
      scopes: [{ name: 'Locals', variables: [{ name: 'v', value: String(f.v), type: 'int' }] }],
    }));
    const out: Record<string, unknown> = { t, thread: THREADS[e.thread], stack };
    if (e.log) out.log = { level: 'info', message: `log ${t}` };
    if (e.exception) out.exception = { type: e.exception };
    return out;
  });
}

/** The runtime's thread ids differ between modes (threads are numbered as met): compare session ids. */
function sessionThread(rt: ReplayRuntime, id: number | null): string | null {
  return id === null ? null : (rt.threads().find((t) => t.id === id)?.sessionId ?? `#${id}`);
}

function describeStop(rt: ReplayRuntime, s: Stop): unknown {
  return {
    index: s.index,
    reason: s.reason,
    thread: sessionThread(rt, s.threadId),
    frame: s.frameIndex,
    output: s.output.map((o) => [o.kind, o.index, o.message, sessionThread(rt, o.threadId)]),
    omitted: s.omittedOutput,
    // Only the stop's thread: without the index, threads not met yet are unknown.
    stack: { ...rt.stack(s.threadId), threadId: sessionThread(rt, s.threadId) },
    v: rt.evaluate('v'),
  };
}

/**
 * Plays the moves; a step's thread is the one asked for if the runtime knows it yet, else the current one
 * (without the index, threads are known once met). `chosen` replays the threads a first run chose.
 */
async function play(
  file: string,
  mode: IndexMode,
  setup: Setup,
  moves: Moves,
  chosen: string[] = [],
): Promise<{ seen: unknown[]; chosen: string[] }> {
  const rt = await openRuntime(file, mode, {
    maxOutput: 2,
    index: { blockEvents: setup.blockEvents, rowEntries: setup.rowEntries },
  });
  try {
    const byFile = new Map<string, LineBreakpoint[]>();
    for (const { fn, ...bp } of setup.lines)
      byFile.set(`src/f${fn}.ts`, [...(byFile.get(`src/f${fn}.ts`) ?? []), bp]);
    for (const [file, bps] of byFile) rt.setBreakpoints(file, bps);
    rt.setBreakpointsInAnyFrame(setup.anyFrame);
    rt.setFunctionBreakpoints(setup.functions.map((f) => ({ name: `f${f}` })));
    rt.setExceptionFilters(
      setup.exceptions === 'all'
        ? { all: true }
        : setup.exceptions === 'IOError'
          ? { types: ['IOError'] }
          : {},
    );
    if (setup.data) {
      const sessionId = setup.data.thread === null ? undefined : THREADS[setup.data.thread]!;
      const threadId =
        sessionId === undefined ? undefined : rt.threads().find((t) => t.sessionId === sessionId)?.id;
      const target = { threadId, function: `f${setup.data.fn}`, scope: 'Locals', path: ['v'] };
      rt.setDataBreakpoints([{ dataId: dataBreakpointId(target) }]);
    }
    const seen: unknown[] = [];
    const threads: string[] = [];
    for (const [k, m] of moves.entries()) {
      const wanted = chosen[k] ?? THREADS[m.thread];
      const thread = rt.threads().find((t) => t.sessionId === wanted)?.id ?? rt.currentThreadId;
      threads.push(sessionThread(rt, thread)!);
      const stop =
        m.move === 'jump'
          ? await rt.jumpToIndex(m.to)
          : m.move === 'continue' || m.move === 'reverseContinue'
            ? await rt[m.move]()
            : await rt[m.move](thread);
      seen.push(describeStop(rt, stop));
    }
    return { seen, chosen: threads };
  } finally {
    await rt.close();
  }
}

describe('replay index', function () {
  this.timeout(300000);
  const dir = suiteDir();

  it('answers as parsing every event does', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 60 }),
        setupArb,
        movesArb,
        async (events, setup, moves) => {
          const file = writeSession(dir, `s${n++}.jsonl`, sessionLines(events), {
            format: 'escalate-session',
            version: 1,
            threads: [{ id: 'A' }],
            clock: { unit: 'seq' },
          });
          const slow = await play(file, 'on-demand', setup, moves);
          const fast = await play(file, 'indexed', setup, moves, slow.chosen);
          assert.deepEqual(fast.seen, slow.seen);
        },
      ),
      { numRuns: 120 },
    );
  });
});
