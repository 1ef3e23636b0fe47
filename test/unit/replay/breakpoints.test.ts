// Breakpoints on the crafted session (fixture.ts), with the index and without: line breakpoints (innermost and
// any frame, conditions, hit counts, logpoints), function breakpoints, exception filters, data breakpoints.

import * as assert from 'node:assert/strict';
import type { ReplayRuntime, Stop } from '../../../src/core/replay/runtime';
import { dataBreakpointId } from '../../../src/core/replay/runtime';
import { MODES, craftedEvents, openRuntime, suiteDir, writeSession } from './fixture';

const M = 1;

/** Runs `move` until it stops at the session's edge; the stops on the way as [index, reason, frame]. */
async function stops(rt: ReplayRuntime, move: () => Promise<Stop>): Promise<[number, string, number][]> {
  const out: [number, string, number][] = [];
  for (let k = 0; k < 20; k++) {
    const s = await move();
    if (s.reason.kind === 'end' || s.reason.kind === 'start') return out;
    out.push([s.index, s.reason.kind, s.frameIndex]);
  }
  throw new Error('no end');
}

describe('replay breakpoints', function () {
  this.timeout(60000);
  const dir = suiteDir();
  const file = writeSession(dir, 'crafted.jsonl', craftedEvents());

  for (const mode of MODES) {
    describe(mode, () => {
      let rt: ReplayRuntime;
      beforeEach(async () => {
        rt = await openRuntime(file, mode);
      });
      afterEach(async () => rt.close());

      it('line breakpoints stop on the innermost frame, both ways, with their ids', async () => {
        const [a10, b21] = [
          rt.setBreakpoints('/ws/src/a.ts', [{ line: 10 }])[0]!,
          rt.setBreakpoints('src/b.ts', [{ line: 21 }])[0]!,
        ];
        assert.deepEqual([a10.verified, b21.verified], [true, true]);
        assert.deepEqual(await stops(rt, () => rt.continue()), [
          [2, 'breakpoint', 0],
          [6, 'breakpoint', 0],
          [9, 'breakpoint', 0],
        ]);
        const s = await rt.reverseContinue();
        assert.deepEqual([s.index, s.reason], [9, { kind: 'breakpoint', breakpointIds: [a10.id] }]);
        const t = await rt.reverseContinue();
        assert.deepEqual([t.index, t.reason], [6, { kind: 'breakpoint', breakpointIds: [b21.id] }]);
        assert.deepEqual(await stops(rt, () => rt.reverseContinue()), [[2, 'breakpoint', 0]]);
      });

      it('with "any frame", an outer frame stops where its line is new', async () => {
        rt.setBreakpoints('src/a.ts', [{ line: 12 }]);
        assert.deepEqual(await stops(rt, () => rt.continue()), []);
        rt.setBreakpointsInAnyFrame(true);
        await rt.restart();
        assert.deepEqual(await stops(rt, () => rt.continue()), [[4, 'breakpoint', 1]]);
        rt.setBreakpoints('src/main.ts', [{ line: 5 }]);
        await rt.restart();
        assert.deepEqual(await stops(rt, () => rt.continue()), [
          [4, 'breakpoint', 1],
          [11, 'breakpoint', 2],
        ]);
      });

      it('conditions are evaluated on the recorded values of the matching frame', async () => {
        rt.setBreakpoints('src/a.ts', [{ line: 10, condition: 'n > 1 && order.total == "5"' }]);
        assert.deepEqual(await stops(rt, () => rt.continue()), [[9, 'breakpoint', 0]]);
        rt.setBreakpointsInAnyFrame(true);
        rt.setBreakpoints('src/a.ts', [{ line: 12, condition: 'n == 2' }]);
        await rt.restart();
        assert.deepEqual(await stops(rt, () => rt.continue()), [[4, 'breakpoint', 1]]);
      });

      it('a condition that cannot be evaluated does not stop, and says so once', async () => {
        rt.setBreakpoints('src/a.ts', [{ line: 10, condition: 'missing > 1' }]);
        const s = await rt.continue();
        assert.equal(s.reason.kind, 'end');
        assert.deepEqual(
          s.output.filter((o) => o.kind === 'notice').map((o) => [o.index, o.message]),
          [[2, 'breakpoint 1: condition not evaluated here (missing is not recorded here)']],
        );
        const bad = rt.setBreakpoints('src/a.ts', [{ line: 10, condition: 'n >' }])[0]!;
        assert.deepEqual([bad.verified, bad.message], [false, 'condition: the expression ends too early']);
      });

      it('hit counts count hits from the start of the session, whichever way one goes', async () => {
        rt.setBreakpoints('src/a.ts', [{ line: 10, hitCondition: '2' }]);
        assert.deepEqual(await stops(rt, () => rt.continue()), [[9, 'breakpoint', 0]]);
        rt.setBreakpoints('src/a.ts', [{ line: 10, hitCondition: '>= 1' }]);
        assert.deepEqual(await stops(rt, () => rt.reverseContinue()), [
          [9, 'breakpoint', 0],
          [2, 'breakpoint', 0],
        ]);
        rt.setBreakpoints('src/a.ts', [{ line: 10, hitCondition: '% 2' }]);
        assert.deepEqual(await stops(rt, () => rt.continue()), [[9, 'breakpoint', 0]]);
        const bad = rt.setBreakpoints('src/a.ts', [{ line: 10, hitCondition: 'often' }])[0]!;
        assert.equal(bad.verified, false);
      });

      it('logpoints write their message and go on', async () => {
        rt.setBreakpoints('src/a.ts', [{ line: 11, logMessage: 'n is {n}, total {order.total}, {nope}' }]);
        const s = await rt.continue();
        assert.equal(s.reason.kind, 'end');
        const lp = s.output.find((o) => o.kind === 'logpoint');
        assert.deepEqual(lp, {
          kind: 'logpoint',
          level: null,
          message: 'n is 2, total 2, {nope is not recorded here}',
          index: 3,
          threadId: M,
          source: { file: 'src/a.ts', line: 11, column: null },
        });
        assert.deepEqual(
          s.output.map((o) => o.index),
          [3, 5, 10],
        );
      });

      it('a step stops early at a breakpoint on the way, on any thread', async () => {
        rt.setBreakpoints('src/work.ts', [{ line: 200 }]);
        await rt.jumpToIndex(3);
        const s = await rt.next(M);
        assert.deepEqual([s.index, s.reason.kind, s.threadId], [5, 'breakpoint', 2]);
      });

      it('function breakpoints stop where a call is entered', async () => {
        const [a, b, none] = rt.setFunctionBreakpoints([{ name: 'a' }, { name: 'b' }, { name: 'nothere' }]);
        assert.deepEqual([a!.verified, b!.verified, none!.verified], [true, true, mode === 'on-demand']);
        assert.deepEqual(await stops(rt, () => rt.continue()), [
          [2, 'function-breakpoint', 0],
          [4, 'function-breakpoint', 0],
          [9, 'function-breakpoint', 0],
        ]);
        rt.setFunctionBreakpoints([{ name: 'c', condition: 'true' }]);
        await rt.jumpToIndex(14);
        assert.deepEqual(await stops(rt, () => rt.reverseContinue()), [[11, 'function-breakpoint', 1]]);
      });

      it('exception filters: all, or by type', async () => {
        rt.setExceptionFilters({ all: true });
        const first = await rt.continue();
        assert.deepEqual(
          [first.index, first.reason],
          [12, { kind: 'exception', type: 'java.io.IOException', message: 'disk full' }],
        );
        assert.deepEqual(rt.exceptionInfo(M), { type: 'java.io.IOException', message: 'disk full' });
        assert.deepEqual(await stops(rt, () => rt.continue()), [[14, 'exception', 0]]);
        rt.setExceptionFilters({ types: ['IOException'] });
        await rt.restart();
        assert.deepEqual(await stops(rt, () => rt.continue()), [[12, 'exception', 0]]);
        rt.setExceptionFilters({ types: ['java.lang.IllegalStateException'] });
        assert.deepEqual(await stops(rt, () => rt.reverseContinue()), []);
        await rt.restart();
        assert.deepEqual(await stops(rt, () => rt.continue()), [[14, 'exception', 0]]);
      });

      it('data breakpoints stop where the recorded value changes, both ways', async () => {
        await rt.jumpToIndex(2);
        const [locals] = rt.scopes(M, 0);
        assert.equal(locals!.name, 'Locals');
        const info = rt.dataBreakpointInfo(locals!.variablesReference, 'n');
        assert.ok(info);
        assert.equal(info.description, 'n in a (thread M)');
        assert.equal(rt.dataBreakpointInfo(locals!.variablesReference, 'nothing'), null);
        const [st] = rt.setDataBreakpoints([{ dataId: info.dataId }]);
        assert.equal(st!.verified, true);
        const changes: string[] = [];
        for (;;) {
          const s = await rt.continue();
          if (s.reason.kind !== 'data-breakpoint') break;
          changes.push(`${s.index}: ${s.reason.oldValue} → ${s.reason.newValue} (frame ${s.frameIndex})`);
        }
        assert.deepEqual(changes, ['3: 1 → 2 (frame 0)', '6: 2 → 3 (frame 1)', '9: 3 → 5 (frame 0)']);
        // "Where did this value come from": from the end back to the last change, and on.
        const back = await rt.reverseContinue();
        assert.equal(back.index, 9);
        assert.deepEqual(await stops(rt, () => rt.reverseContinue()), [
          [6, 'data-breakpoint', 1],
          [3, 'data-breakpoint', 0],
        ]);
      });

      it('data breakpoints on a nested value, with a hit count', async () => {
        const id = dataBreakpointId({
          threadId: M,
          function: 'a',
          scope: 'Locals',
          path: ['order', 'total'],
        });
        rt.setDataBreakpoints([{ dataId: id, hitCondition: '2' }]);
        assert.deepEqual(await stops(rt, () => rt.continue()), [[6, 'data-breakpoint', 1]]);
        const [bad] = rt.setDataBreakpoints([{ dataId: '{"x":1}' }]);
        assert.equal(bad!.verified, false);
      });

      it('unverified where the session never records the line (once the index knows)', () => {
        const [st] = rt.setBreakpoints('src/a.ts', [{ line: 99 }]);
        assert.equal(st!.verified, mode === 'on-demand');
      });
    });
  }
});
