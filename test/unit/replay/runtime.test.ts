// The runtime's life: index states and progress, a missing worker (on-demand answers go on), breakpoints
// verified again once the index knows every location, an empty session, and thread numbering.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ReplayRuntime, type BreakpointStatus, type IndexState } from '../../../src/core/replay/runtime';
import { HEADER, WORKER, craftedEvents, suiteDir, writeSession } from './fixture';

async function open(
  file: string,
  options: ConstructorParameters<typeof ReplayRuntime>[1],
): Promise<ReplayRuntime> {
  const r = await ReplayRuntime.open(file, options);
  if (!r.ok) throw new Error(r.error.message);
  return r.runtime;
}

describe('replay runtime', function () {
  this.timeout(30000);
  const dir = suiteDir();
  const file = writeSession(dir, 'crafted.jsonl', craftedEvents());

  it('builds the index in a worker, reporting progress, and verifies breakpoints again', async () => {
    const states: IndexState['state'][] = [];
    const changed: BreakpointStatus[][] = [];
    const rt = await open(file, {
      index: { workerScript: WORKER },
      onIndexProgress: (s) => states.push(s.state),
      onBreakpointsChanged: (s) => changed.push(s),
    });
    const [missing, present] = rt.setBreakpoints('src/a.ts', [{ line: 99 }, { line: 10 }]);
    assert.deepEqual([missing!.verified, present!.verified], [true, true]);
    const state = await rt.whenIndexed();
    assert.equal(state.state, 'ready');
    assert.equal(state.done, state.total);
    assert.deepEqual([states[0], states[states.length - 1]], ['building', 'ready']);
    assert.deepEqual(changed, [
      [
        { id: missing!.id, verified: false, line: 99, message: 'no event of this session is at this line' },
        { id: present!.id, verified: true, line: 10 },
      ],
    ]);
    assert.deepEqual(rt.indexState(), state);
    assert.deepEqual(
      rt.recordedFiles().sort(),
      ['a', 'b', 'c', 'd', 'main', 'run', 'work'].map((f) => `src/${f}.ts`),
    );
    await rt.close();
  });

  it('indexes a file of several read chunks, lines across their ends and a 5 MB line, as on demand', async () => {
    const big = { name: 'big', value: 'x'.repeat(5 * 1024 * 1024) };
    const events = Array.from({ length: 60000 }, (_, i) => ({
      t: i,
      thread: `T${i % 5}`,
      stack: [
        {
          function: `f${i % 13}`,
          file: `src/f${i % 13}.ts`,
          line: i % 7,
          scopes: i === 20000 ? [{ name: 'Locals', variables: [big] }] : undefined,
        },
        { function: 'main', file: 'src/main.ts', line: 1 },
      ],
      ...(i % 1000 === 999 ? { log: { level: 'info', message: `batch ${i}` } } : {}),
    }));
    const bigFile = writeSession(dir, 'chunks.jsonl', events);
    assert.ok(fs.statSync(bigFile).size > 12 * 1024 * 1024);
    const fast = await open(bigFile, { index: { workerScript: WORKER } });
    assert.equal((await fast.whenIndexed()).state, 'ready');
    const slow = await open(bigFile, { index: false });
    for (const rt of [fast, slow]) rt.setFunctionBreakpoints([{ name: 'f12' }]);
    for (let k = 0; k < 3; k++) {
      const [a, b] = [await fast.continue(), await slow.continue()];
      assert.deepEqual([a.index, a.reason, a.omittedOutput], [b.index, b.reason, b.omittedOutput]);
    }
    for (const rt of [fast, slow]) {
      rt.setFunctionBreakpoints([]);
      await rt.jumpToIndex(20000);
    }
    assert.deepEqual(fast.stack(fast.currentThreadId), slow.stack(slow.currentThreadId));
    const [a, b] = [await fast.stepOut(fast.currentThreadId), await slow.stepOut(slow.currentThreadId)];
    assert.deepEqual(
      [a.index, a.reason.kind, a.output.length, a.omittedOutput],
      [b.index, b.reason.kind, 40, b.omittedOutput],
    );
    assert.deepEqual([a.output[0]!.message, a.output[39]!.message], ['batch 20999', 'batch 59999']);
    await fast.close();
    await slow.close();
  });

  it('goes on parsing on demand when the worker cannot run', async () => {
    const rt = await open(file, { index: { workerScript: path.join(dir, 'no-worker.js') } });
    const state = await rt.whenIndexed();
    assert.equal(state.state, 'failed');
    assert.match(state.error ?? '', /^no index worker at /);
    await rt.jumpToIndex(3);
    assert.equal((await rt.next(1)).index, 7);
    await rt.close();
  });

  it('with the index off, never starts a worker', async () => {
    const rt = await open(file, { index: false });
    assert.deepEqual(await rt.whenIndexed(), {
      state: 'off',
      done: 0,
      total: rt.session.span.end - rt.session.span.start,
    });
    await rt.close();
  });

  it('numbers the header threads first, then threads as they are met', async () => {
    const events = [
      { t: 0, thread: 'X', stack: [] },
      { t: 1, thread: 'W', stack: [] },
      { t: 2, thread: 'Y', stack: [] },
    ];
    const rt = await open(writeSession(dir, 'threads.jsonl', events), { index: { workerScript: WORKER } });
    await rt.whenIndexed();
    assert.deepEqual(
      rt.threads().map((t) => `${t.id}:${t.sessionId}:${t.name}`),
      ['1:M:main', '2:W:worker', '3:X:X', '4:Y:Y'],
    );
    assert.equal(rt.currentThreadId, 3);
    await rt.close();
  });

  it('moves in an empty session stop at its edges', async () => {
    const rt = await open(writeSession(dir, 'empty.jsonl', [], HEADER), {});
    assert.deepEqual([rt.eventCount, rt.position, rt.currentThreadId], [0, 0, 1]);
    assert.deepEqual((await rt.continue()).reason, { kind: 'end' });
    assert.deepEqual((await rt.reverseStepIn(1)).reason, { kind: 'start' });
    assert.deepEqual((await rt.jumpToTime(5)).index, 0);
    assert.deepEqual(rt.stack(1), { threadId: 1, eventIndex: null, frames: [], state: null });
    assert.deepEqual(rt.evaluate('1 < 2'), {
      ok: true,
      value: 'true',
      type: 'boolean',
      variablesReference: 0,
      count: 0,
    });
    await rt.close();
  });

  it('gives an error value for a file that is no session', async () => {
    const r = await ReplayRuntime.open(path.join(dir, 'missing.jsonl'));
    assert.equal(r.ok ? 'opened' : r.error.kind, 'io');
  });
});
