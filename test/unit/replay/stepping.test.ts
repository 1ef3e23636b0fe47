// Stepping and jumping on the crafted session (fixture.ts), with the index and without: every step kind both
// ways lands on the event worked out by hand, threads show their latest event, jumps go where asked.

import * as assert from 'node:assert/strict';
import type { ReplayRuntime, Stop } from '../../../src/core/replay/runtime';
import { MODES, craftedEvents, openRuntime, suiteDir, writeSession } from './fixture';

const M = 1;
const W = 2;

type Move = (rt: ReplayRuntime) => Promise<Stop>;

/** [from, thread, move, expected index, expected reason] */
const CASES: [string, number, number, Move, number, string][] = [
  ['step in from main@1', 0, M, (rt) => rt.stepIn(M), 2, 'step'],
  ['next from main@1 passes the whole call of a', 0, M, (rt) => rt.next(M), 8, 'step'],
  ['step out of the outermost frame runs to the end', 0, M, (rt) => rt.stepOut(M), 14, 'end'],
  ['step in from a@11 enters b', 3, M, (rt) => rt.stepIn(M), 4, 'step'],
  ['next from a@11 passes b', 3, M, (rt) => rt.next(M), 7, 'step'],
  ['step out of a', 3, M, (rt) => rt.stepOut(M), 8, 'step'],
  ['next from the second call of a stops where a is gone', 9, M, (rt) => rt.next(M), 11, 'step'],
  ['step out of the second call of a waits for main', 9, M, (rt) => rt.stepOut(M), 13, 'step'],
  ['step back from main@6 passes both calls', 13, M, (rt) => rt.stepBack(M), 8, 'step'],
  ['reverse step in from main@6', 13, M, (rt) => rt.reverseStepIn(M), 12, 'step'],
  ['reverse step out of the outermost frame', 13, M, (rt) => rt.reverseStepOut(M), 0, 'start'],
  ['step back from a@13 passes b', 7, M, (rt) => rt.stepBack(M), 3, 'step'],
  ['reverse step out of a: before it was called', 7, M, (rt) => rt.reverseStepOut(M), 0, 'step'],
  ['step back from a new call of a', 9, M, (rt) => rt.stepBack(M), 8, 'step'],
  ['reverse step out of c passes the call of a', 12, M, (rt) => rt.reverseStepOut(M), 8, 'step'],
  ['step in on the worker', 1, W, (rt) => rt.stepIn(W), 5, 'step'],
  ['next on the worker passes its call', 1, W, (rt) => rt.next(W), 10, 'step'],
  ['reverse step in on the worker from a main event', 13, W, (rt) => rt.reverseStepIn(W), 5, 'step'],
  ['continue without breakpoints', 0, W, (rt) => rt.continue(), 14, 'end'],
  ['reverse continue without breakpoints', 9, M, (rt) => rt.reverseContinue(), 0, 'start'],
];

describe('replay stepping', function () {
  this.timeout(60000);
  const dir = suiteDir();
  const file = writeSession(dir, 'crafted.jsonl', craftedEvents());

  for (const mode of MODES) {
    describe(mode, () => {
      let rt: ReplayRuntime;
      before(async () => {
        rt = await openRuntime(file, mode);
      });
      after(async () => rt.close());

      for (const [name, from, thread, move, index, reason] of CASES) {
        it(`${name}: ${from} → ${index}`, async () => {
          await rt.jumpToIndex(from);
          const stop = await move(rt);
          assert.deepEqual([stop.index, stop.reason.kind, stop.threadId], [index, reason, thread]);
          assert.equal(rt.position, index);
          assert.equal(rt.currentThreadId, thread);
        });
      }

      it('starts at the first event, reason entry on restart', async () => {
        await rt.jumpToIndex(9);
        const stop = await rt.restart();
        assert.deepEqual([stop.index, stop.reason.kind, stop.threadId], [0, 'entry', M]);
      });

      it('shows each thread at its latest event at or before the position', async () => {
        await rt.jumpToIndex(6);
        assert.deepEqual(
          rt.threads().map((t) => [t.id, t.sessionId, t.name]),
          [
            [M, 'M', 'main'],
            [W, 'W', 'worker'],
          ],
        );
        const m = rt.stack(M);
        assert.equal(m.eventIndex, 6);
        assert.deepEqual(
          m.frames.map((f) => `${f.name}@${f.line} ${f.file}`),
          ['b@21 src/b.ts', 'a@12 src/a.ts', 'main@2 src/main.ts'],
        );
        assert.equal(rt.stack(W).eventIndex, 5);
        await rt.jumpToIndex(0);
        assert.deepEqual(rt.stack(W), { threadId: W, eventIndex: null, frames: [], state: null });
      });

      it('a step of one thread passes the other thread and reports its logs', async () => {
        await rt.jumpToIndex(3);
        const stop = await rt.next(M);
        assert.equal(stop.index, 7);
        assert.deepEqual(
          stop.output.map((o) => [
            o.kind,
            o.level,
            o.message,
            o.index,
            o.threadId,
            o.source?.file,
            o.source?.line,
          ]),
          [['log', 'info', 'working', 5, W, 'src/work.ts', 200]],
        );
        assert.equal(stop.omittedOutput, 0);
      });

      it('backwards, logs come out for [stop, position)', async () => {
        await rt.jumpToIndex(13);
        const stop = await rt.reverseContinue();
        assert.equal(stop.index, 0);
        assert.deepEqual(
          stop.output.map((o) => o.message),
          ['working', 'slow disk'],
        );
        assert.deepEqual(rt.outputAt(10), {
          kind: 'log',
          level: 'warn',
          message: 'slow disk',
          index: 10,
          threadId: W,
          source: { file: 'src/run.ts', line: 102, column: null },
        });
        assert.equal(rt.outputAt(9), null);
      });

      it('jumps by index (clamped) and by time', async () => {
        assert.deepEqual([(await rt.jumpToIndex(4)).index, rt.currentThreadId], [4, M]);
        assert.equal((await rt.jumpToIndex(99)).index, 14);
        assert.equal((await rt.jumpToIndex(-5)).index, 0);
        const stop = await rt.jumpToTime(6.5);
        assert.deepEqual([stop.index, stop.reason.kind, stop.threadId], [6, 'goto', M]);
        assert.equal((await rt.jumpToTime(-1)).index, 0);
        assert.equal((await rt.jumpToTime(1e9)).index, 14);
        assert.equal((await rt.jumpToTime(10)).index, 10);
      });

      it('a pause stops a move where it got to', async () => {
        await rt.jumpToIndex(0);
        const controller = new AbortController();
        controller.abort();
        const stop = await rt.continue({ signal: controller.signal });
        assert.deepEqual([stop.index, stop.reason.kind], [0, 'pause']);
      });
    });
  }

  it('jumps by time over unreadable lines, with repeated times', async () => {
    const events = [
      { t: 1, thread: 'M', stack: [] },
      '{"t": 2, "thread": ',
      { t: 2, thread: 'M', stack: [] },
      { t: 2, thread: 'W', stack: [] },
      'not json',
      { t: 5, thread: 'M', stack: [] },
    ];
    const rt = await openRuntime(writeSession(dir, 'times.jsonl', events), 'on-demand');
    assert.equal((await rt.jumpToTime(2)).index, 3);
    assert.equal((await rt.jumpToTime(4.9)).index, 3);
    assert.equal((await rt.jumpToTime(5)).index, 5);
    assert.equal((await rt.jumpToTime(1.5)).index, 0);
    await rt.close();
  });
});
