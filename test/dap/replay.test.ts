// The DAP tier over a crafted session (fixtures.ts): launch, threads, stacks, variables, every step both
// ways, each breakpoint kind, evaluate, jumps, restart and terminate.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ORDERS_HEADER, ordersEvents, tempDir, writeSession } from './fixtures';
import { useClient, type RecordedClient } from './harness';

const MAIN = 1;
const WORKER_1 = 2;
const WORKER_2 = 3;

describe('DAP: replaying a session', function () {
  let dir: string;
  let session: string;
  let dc: RecordedClient;
  const file = (name: string): string => path.join(dir, 'app', name);

  const client = useClient();

  before(function () {
    dir = tempDir();
    session = writeSession(dir, 'orders.jsonl', ORDERS_HEADER, ordersEvents());
    // The recorded files exist in the launch folder: frames resolve to them on disk.
    for (const name of ['Main.java', 'Orders.java', 'Repo.java', 'Worker.java']) {
      fs.mkdirSync(path.join(dir, 'app'), { recursive: true });
      fs.writeFileSync(
        file(name),
        Array.from({ length: 40 }, (_, i) => `// ${name} line ${i + 1}`).join('\n'),
      );
    }
  });

  beforeEach(function () {
    dc = client();
  });

  const launch = (extra: Record<string, unknown> = {}, configure?: () => Promise<unknown>) =>
    dc.launchReplay({ session, cwd: dir, ...extra }, configure);

  const jump = async (index: number): Promise<DebugProtocol.StoppedEvent> => {
    const stopped = await dc.stopAfter(() => dc.customRequest('escalate/jump', { index }));
    assert.equal(stopped.body.reason, 'goto');
    return stopped;
  };

  /** Names and lines of a thread's stack. */
  const stack = async (threadId: number): Promise<string[]> => {
    const r = await dc.stackTraceRequest({ threadId });
    return r.body.stackFrames.map((f) => `${f.name}:${f.line}`);
  };

  const at = async (): Promise<number> => (await dc.position()).index;

  const continueTo = (request: 'continue' | 'reverseContinue' = 'continue') =>
    dc.stopAfter(() =>
      request === 'continue'
        ? dc.continueRequest({ threadId: MAIN })
        : dc.reverseContinueRequest({ threadId: MAIN }),
    );

  describe('launch', function () {
    it('reports the replay capabilities and exception filters', async function () {
      const r = await dc.initializeRequest();
      const caps = r.body!;
      assert.equal(caps.supportsStepBack, true);
      assert.equal(caps.supportsDataBreakpoints, true);
      assert.equal(caps.supportsLogPoints, true);
      assert.equal(caps.supportsExceptionFilterOptions, true);
      assert.deepEqual(
        caps.exceptionBreakpointFilters?.map((f) => [f.filter, f.supportsCondition ?? false]),
        [
          ['all', false],
          ['types', true],
        ],
      );
    });

    it('stops on entry at the first event of main, resolved to the file on disk', async function () {
      const stopped = await launch();
      assert.equal(stopped.body.reason, 'entry');
      assert.equal(stopped.body.threadId, MAIN);
      assert.match(stopped.body.description ?? '', /event 1 of 12/);
      const top = await dc.top(MAIN);
      assert.equal(top?.name, 'app.Main.main');
      assert.equal(top?.line, 10);
      assert.equal(top?.source?.path, file('Main.java'));
    });

    it('without stopOnEntry runs to the first recorded exception', async function () {
      const stopped = await launch({ stopOnEntry: false }, () =>
        dc.setExceptionBreakpointsRequest({ filters: ['all'] }),
      );
      assert.equal(stopped.body.reason, 'exception');
      assert.equal(stopped.body.threadId, WORKER_1);
      assert.equal(await at(), 7);
    });

    it('without stopOnEntry stops at the first event itself when it has a breakpoint', async function () {
      const stopped = await launch({ stopOnEntry: false }, () =>
        dc.setBreakpointsRequest({ source: { path: file('Main.java') }, breakpoints: [{ line: 10 }] }),
      );
      assert.equal(stopped.body.reason, 'breakpoint');
      assert.equal(await at(), 0);
    });

    it('answers a missing session file with an error, not a crash', async function () {
      await dc.initializeRequest();
      await assert.rejects(dc.launchRequest({ session: path.join(dir, 'nope.jsonl') } as never), /not found/);
      await assert.rejects(dc.stackTraceRequest({ threadId: 1 }), /No session/);
    });

    it('answers a session of an unknown format version with an error', async function () {
      const future = writeSession(dir, 'future.jsonl', { version: 99 }, ordersEvents());
      await dc.initializeRequest();
      await assert.rejects(dc.launchRequest({ session: future } as never), /version 99/);
    });

    it('answers a file no importer recognises with an error', async function () {
      const text = path.join(dir, 'notes.txt');
      fs.writeFileSync(text, 'nothing to see here\njust words\n');
      await dc.initializeRequest();
      await assert.rejects(dc.launchRequest({ session: text } as never), /neither a session nor/);
    });

    it('answers bad launch arguments with an error', async function () {
      await dc.initializeRequest();
      await assert.rejects(dc.launchRequest({ session, pathMappings: 'x' } as never), /pathMappings/);
      await assert.rejects(dc.launchRequest({}), /Name the session/);
    });
  });

  describe('threads, stacks, variables', function () {
    it('lists the three threads', async function () {
      await launch();
      const r = await dc.threadsRequest();
      assert.deepEqual(
        r.body.threads.map((t) => [t.id, t.name]),
        [
          [MAIN, 'main'],
          [WORKER_1, 'worker-1'],
          [WORKER_2, 'worker-2'],
        ],
      );
    });

    it('shows each thread at its latest event at or before the position', async function () {
      await launch();
      await jump(3);
      assert.deepEqual(await stack(MAIN), ['app.Repo.save:30', 'app.Orders.process:21', 'app.Main.main:11']);
      assert.deepEqual(await stack(WORKER_1), ['app.Worker.run:5']);
      assert.deepEqual(await stack(WORKER_2), []);
      await jump(7);
      assert.deepEqual(await stack(WORKER_1), ['app.Worker.handle:9', 'app.Worker.run:6']);
      assert.deepEqual(await stack(WORKER_2), ['app.Worker.run:5']);
      assert.deepEqual(await stack(MAIN), ['app.Main.main:12']);
      const paged = await dc.stackTraceRequest({ threadId: WORKER_1, startFrame: 1, levels: 1 });
      assert.deepEqual(
        paged.body.stackFrames.map((f) => f.name),
        ['app.Worker.run'],
      );
      assert.equal(paged.body.totalFrames, 2);
    });

    it('shows scopes and nested variables with the expressions that name them', async function () {
      await launch();
      await jump(1);
      const top = await dc.top(MAIN);
      const scopes = (await dc.scopesRequest({ frameId: top!.id })).body.scopes;
      assert.deepEqual(
        scopes.map((s) => [s.name, s.presentationHint]),
        [['Locals', 'locals']],
      );
      const locals = (await dc.variablesRequest({ variablesReference: scopes[0]!.variablesReference })).body
        .variables;
      assert.deepEqual(
        locals.map((v) => [v.name, v.value, v.variablesReference > 0]),
        [
          ['order', 'Order#7', true],
          ['count', '1', false],
        ],
      );
      const order = (await dc.variablesRequest({ variablesReference: locals[0]!.variablesReference })).body
        .variables;
      assert.deepEqual(
        order.map((v) => [v.name, v.value]),
        [
          ['id', '7'],
          ['total', '10.50'],
          ['items', 'Item[1]'],
        ],
      );
      const items = (await dc.variablesRequest({ variablesReference: order[2]!.variablesReference })).body
        .variables;
      const item = (await dc.variablesRequest({ variablesReference: items[0]!.variablesReference })).body
        .variables;
      assert.deepEqual(
        item.map((v) => [v.name, v.value, v.evaluateName]),
        [
          ['sku', 'A', 'order.items[0].sku'],
          ['qty', '1', 'order.items[0].qty'],
        ],
      );
    });
  });

  describe('stepping', function () {
    const cases: [string, number, number, number][] = [
      // request, from, to, the line of main's innermost frame there
      ['stepIn', 0, 1, 20],
      ['stepIn', 6, 8, 20],
      ['next', 1, 4, 22],
      ['next', 4, 6, 12],
      ['next', 6, 11, 14],
      ['stepOut', 3, 4, 22],
      ['stepOut', 8, 11, 14],
      ['stepBack', 4, 1, 20],
      ['stepBack', 11, 6, 12],
      ['reverseStepIn', 11, 9, 22],
      ['reverseStepIn', 3, 1, 20],
      ['reverseStepOut', 9, 6, 12],
    ];
    const send = (request: string, threadId: number): Promise<unknown> => {
      switch (request) {
        case 'stepIn':
          return dc.stepInRequest({ threadId });
        case 'next':
          return dc.nextRequest({ threadId });
        case 'stepOut':
          return dc.stepOutRequest({ threadId });
        case 'stepBack':
          return dc.stepBackRequest({ threadId });
        default:
          return dc.customRequest(request, { threadId });
      }
    };

    it('steps in, over and out, both ways, by stack depth on the stepped thread', async function () {
      await launch();
      for (const [request, from, to, line] of cases) {
        await jump(from);
        const stopped = await dc.stopAfter(() => send(request, MAIN));
        assert.equal(stopped.body.reason, 'step', `${request} from ${from}`);
        assert.equal(stopped.body.threadId, MAIN, `${request} from ${from}`);
        assert.equal(await at(), to, `${request} from ${from}`);
        assert.equal((await dc.top(MAIN))?.line, line, `${request} from ${from}`);
      }
    });

    it('refuses to step a thread the session does not have', async function () {
      await launch();
      await assert.rejects(dc.nextRequest({ threadId: 42 }), /No thread 42/);
      await assert.rejects(dc.customRequest('reverseStepIn', {}), /No thread undefined/);
    });

    it('steps a worker thread on its own events, to the end when it has no more', async function () {
      await launch();
      await jump(2);
      const into = await dc.stopAfter(() => dc.stepInRequest({ threadId: WORKER_1 }));
      assert.deepEqual([into.body.reason, into.body.threadId, await at()], ['step', WORKER_1, 7]);
      await jump(2);
      // worker-1 never comes back to run's first call at its depth: over it runs to the end, on that thread.
      const over = await dc.stopAfter(() => dc.nextRequest({ threadId: WORKER_1 }));
      assert.deepEqual([over.body.reason, over.body.threadId, await at()], ['end of session', WORKER_1, 11]);
    });

    it('continues to the end and stays there, writing the logs passed with their source', async function () {
      await launch();
      const outputs: DebugProtocol.OutputEvent[] = [];
      dc.on('output', (e: DebugProtocol.OutputEvent) => outputs.push(e));
      const end = await continueTo();
      assert.equal(end.body.reason, 'end of session');
      assert.equal(await at(), 11);
      const logs = outputs.filter((o) => o.body.category !== 'console');
      assert.deepEqual(
        logs.map((o) => [o.body.category, o.body.output, (o.body.data as { eventIndex: number }).eventIndex]),
        [
          ['stdout', '[worker-1] INFO worker started\n', 2],
          ['stdout', '[worker-2] WARN slow disk\n', 5],
          ['stderr', '[main] ERROR order failed\n', 9],
        ],
      );
      assert.equal(logs[2]!.body.source?.path, file('Orders.java'));
      assert.equal(logs[2]!.body.line, 22);
      const again = await continueTo();
      assert.equal(again.body.reason, 'end of session');
      assert.equal(await at(), 11);
      const start = await continueTo('reverseContinue');
      assert.equal(start.body.reason, 'start of session');
      assert.equal(await at(), 0);
    });
  });

  describe('breakpoints', function () {
    const lineBreakpoint = (name: string, bp: DebugProtocol.SourceBreakpoint) =>
      dc.setBreakpointsRequest({ source: { path: file(name) }, breakpoints: [bp] });

    it('stops at a line breakpoint matched against the innermost frame', async function () {
      let id: number | undefined;
      await launch({}, async () => {
        const r = await lineBreakpoint('Repo.java', { line: 30 });
        assert.equal(r.body.breakpoints[0]!.verified, true);
        id = r.body.breakpoints[0]!.id;
      });
      const stopped = await continueTo();
      assert.equal(stopped.body.reason, 'breakpoint');
      assert.deepEqual(stopped.body.hitBreakpointIds, [id]);
      assert.equal(await at(), 3);
      const back = await continueTo('reverseContinue');
      assert.equal(back.body.reason, 'start of session');
    });

    it('matches an outer frame where its call starts with breakpointsInAnyFrame', async function () {
      await launch({ breakpointsInAnyFrame: true }, () => lineBreakpoint('Main.java', { line: 11 }));
      assert.equal((await continueTo()).body.reason, 'breakpoint');
      assert.equal(await at(), 1);
    });

    it('matches only innermost frames by default, until told otherwise', async function () {
      await launch({}, () => lineBreakpoint('Main.java', { line: 11 }));
      assert.equal((await continueTo()).body.reason, 'end of session');
      // The setting changed while replaying.
      await dc.customRequest('escalate/breakpointsInAnyFrame', { any: true });
      // Back from the end: event 1 is where main's frame at line 11 was entered (3 and 4 are still in that
      // call).
      assert.equal((await continueTo('reverseContinue')).body.reason, 'breakpoint');
      assert.equal(await at(), 1);
    });

    it('evaluates conditions on recorded values', async function () {
      await launch({}, () => lineBreakpoint('Orders.java', { line: 20, condition: 'count == 3' }));
      assert.equal((await continueTo()).body.reason, 'breakpoint');
      assert.equal(await at(), 8);
    });

    it('counts hits through the session', async function () {
      await launch({}, () => lineBreakpoint('Orders.java', { line: 22, hitCondition: '2' }));
      assert.equal((await continueTo()).body.reason, 'breakpoint');
      assert.equal(await at(), 9);
    });

    it('writes logpoints instead of stopping', async function () {
      await launch({}, () =>
        lineBreakpoint('Orders.java', { line: 20, logMessage: 'order {order.id} total {order.total}' }),
      );
      const outputs: DebugProtocol.OutputEvent[] = [];
      dc.on('output', (e: DebugProtocol.OutputEvent) => outputs.push(e));
      assert.equal((await continueTo()).body.reason, 'end of session');
      const logpoints = outputs.filter((o) => o.body.output.startsWith('order 7'));
      assert.deepEqual(
        logpoints.map((o) => [o.body.category, o.body.output, o.body.line]),
        [
          ['console', 'order 7 total 10.50\n', 20],
          ['console', 'order 7 total 15.00\n', 20],
        ],
      );
    });

    it('stops where a function is entered', async function () {
      await launch({}, () => dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'save' }] }));
      const stopped = await continueTo();
      assert.equal(stopped.body.reason, 'function breakpoint');
      assert.equal(await at(), 3);
    });

    it('stops at every recorded exception, both ways, and describes it', async function () {
      await launch({}, () => dc.setExceptionBreakpointsRequest({ filters: ['all'] }));
      const first = await continueTo();
      assert.equal(first.body.reason, 'exception');
      assert.equal(first.body.text, 'java.io.IOException: disk full');
      assert.equal(await at(), 7);
      const info = await dc.exceptionInfoRequest({ threadId: WORKER_1 });
      assert.equal(info.body.exceptionId, 'java.io.IOException');
      assert.equal(info.body.description, 'disk full');
      assert.match(info.body.details?.stackTrace ?? '', /at app\.Worker\.handle \(app\/Worker\.java:9\)/);
      assert.equal((await continueTo()).body.threadId, WORKER_2);
      assert.equal(await at(), 10);
      assert.equal((await continueTo('reverseContinue')).body.reason, 'exception');
      assert.equal(await at(), 7);
    });

    it('stops at exceptions of the types named in the filter condition', async function () {
      let statuses: DebugProtocol.Breakpoint[] = [];
      await launch({}, async () => {
        const r = await dc.setExceptionBreakpointsRequest({
          filters: [],
          filterOptions: [
            { filterId: 'types', condition: 'IllegalStateException, NoSuchThing' },
            { filterId: 'types', condition: ' ' },
          ],
        });
        statuses = r.body?.breakpoints ?? [];
      });
      assert.deepEqual(
        statuses.map((s) => s.verified),
        [true, false],
      );
      assert.equal((await continueTo()).body.text, 'java.lang.IllegalStateException: bad state');
      assert.equal(await at(), 10);
    });

    it('stops where a watched recorded value changes', async function () {
      await launch();
      await jump(1);
      const top = await dc.top(MAIN);
      const scope = (await dc.scopesRequest({ frameId: top!.id })).body.scopes[0]!;
      const locals = (await dc.variablesRequest({ variablesReference: scope.variablesReference })).body
        .variables;
      const orderRef = locals[0]!.variablesReference;
      const info = await dc.dataBreakpointInfoRequest({ variablesReference: orderRef, name: 'total' });
      assert.ok(info.body.dataId);
      assert.match(info.body.description, /order\.total in app\.Orders\.process/);
      const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId }] });
      assert.equal(set.body.breakpoints[0]!.verified, true);
      const changed = await continueTo();
      assert.equal(changed.body.reason, 'data breakpoint');
      assert.match(changed.body.description ?? '', /10\.50 → 12\.00/);
      assert.equal(await at(), 4);
      assert.match((await continueTo()).body.description ?? '', /12\.00 → 15\.00/);
      assert.equal(await at(), 8);
      const none = await dc.dataBreakpointInfoRequest({ name: 'order.total' });
      assert.equal(none.body.dataId, null);
    });
  });

  describe('evaluate', function () {
    it('evaluates over recorded values for hover, watch and the console', async function () {
      await launch();
      await jump(3);
      const frames = (await dc.stackTraceRequest({ threadId: MAIN })).body.stackFrames;
      const inSave = { frameId: frames[0]!.id };
      assert.equal(
        (await dc.evaluateRequest({ expression: 'total', context: 'hover', ...inSave })).body.result,
        '10.50',
      );
      await assert.rejects(dc.evaluateRequest({ expression: 'order', context: 'hover', ...inSave }), /order/);
      await jump(1);
      const frameId = (await dc.top(MAIN))!.id;
      const watch = async (expression: string) =>
        (await dc.evaluateRequest({ expression, context: 'watch', frameId })).body;
      assert.equal((await watch('order.total')).result, '10.50');
      assert.equal((await watch('order.items[0].sku')).result, 'A');
      assert.equal((await watch('count == 1 && order.total > 10')).result, 'true');
      const order = await watch('order');
      assert.equal(order.result, 'Order#7');
      const children = (await dc.variablesRequest({ variablesReference: order.variablesReference })).body
        .variables;
      assert.deepEqual(
        children.map((v) => v.evaluateName),
        ['order.id', 'order.total', 'order.items'],
      );
      await assert.rejects(dc.evaluateRequest({ expression: 'count ==', context: 'repl', frameId }));
    });
  });

  describe('time', function () {
    it('jumps by index, by clock time and by date', async function () {
      await launch();
      const r = await dc.customRequest('escalate/jump', { index: 8 });
      assert.deepEqual(r.body, { index: 8, threadId: MAIN });
      assert.deepEqual(await stack(MAIN), ['app.Orders.process:20', 'app.Main.main:13']);
      await dc.stopAfter(() => dc.customRequest('escalate/jump', { time: 55 }));
      assert.equal(await at(), 5);
      await dc.stopAfter(() => dc.customRequest('escalate/jump', { time: '2026-01-01T00:00:00.095Z' }));
      assert.equal(await at(), 9);
      const position = await dc.position();
      assert.equal(position.time, 90);
      assert.equal(position.date, '2026-01-01T00:00:00.090Z');
      await assert.rejects(dc.customRequest('escalate/jump', { time: 'yesterday' }), /not an ISO 8601 date/);
      await assert.rejects(dc.customRequest('escalate/jump', {}), /index or a time/);
    });

    it('jumps to the event that wrote an output line', async function () {
      await launch();
      const stopped = await dc.stopAfter(async () => {
        const r = await dc.customRequest('escalate/outputAt', { index: 9 });
        assert.deepEqual(r.body, { index: 9, threadId: MAIN, output: 'order failed' });
      });
      assert.equal(stopped.body.reason, 'goto');
      await assert.rejects(dc.customRequest('escalate/outputAt', { index: 99 }), /No event 99/);
    });

    it('describes the timeline: lanes, time range, markers and position', async function () {
      await launch();
      await jump(4);
      const t = (await dc.customRequest('escalate/timeline')).body as {
        eventCount: number;
        position: number;
        start: number;
        end: number;
        sampled: boolean;
        lanes: { threadId: number; events: number; first: number; last: number }[];
        markers: { index: number; kind: string; label: string }[];
      };
      assert.equal(t.eventCount, 12);
      assert.equal(t.position, 4);
      assert.deepEqual([t.start, t.end, t.sampled], [0, 110, false]);
      assert.deepEqual(
        t.lanes.map((l) => [l.threadId, l.events, l.first, l.last]),
        [
          [MAIN, 8, 0, 11],
          [WORKER_1, 2, 2, 7],
          [WORKER_2, 2, 5, 10],
        ],
      );
      assert.deepEqual(
        t.markers.map((m) => [m.index, m.kind]),
        [
          [2, 'log'],
          [5, 'log'],
          [7, 'exception'],
          [9, 'log'],
          [10, 'exception'],
        ],
      );
      assert.equal(t.markers[2]!.label, 'java.io.IOException: disk full');
    });
  });

  describe('sources and session control', function () {
    it('lists the recorded files as loaded sources', async function () {
      await launch();
      const r = (await dc.customRequest('loadedSources')) as DebugProtocol.LoadedSourcesResponse;
      assert.deepEqual(r.body.sources.map((s) => s.path).sort(), [
        file('Main.java'),
        file('Orders.java'),
        file('Repo.java'),
        file('Worker.java'),
      ]);
    });

    it('restarts at the first event', async function () {
      await launch();
      await jump(8);
      const stopped = await dc.stopAfter(() => dc.restartRequest({}));
      assert.equal(stopped.body.reason, 'entry');
      assert.equal(await at(), 0);
    });

    it('terminates', async function () {
      await launch();
      const terminated = dc.waitForEvent('terminated');
      await dc.terminateRequest();
      await terminated;
    });
  });
});
