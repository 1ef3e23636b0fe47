// The profile importer on real profiles: V8 .cpuprofile files (Chrome, Node, the legacy head tree) and Chrome
// Trace Event documents (array and object forms, a cut one, CPU profile chunks, B/E pairs, sampled stack
// frames); and on broken ones.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SessionEvent } from '../../../../src/core/replay/format';
import { MAX_CPUPROFILE_BYTES } from '../../../../src/core/replay/importers/profile';
import { importToMemory, messages, scope, session, tempDir, tempFile, where } from './helpers';

const profile = (name: string) => session(`profile/${name}`);

function names(e: SessionEvent): string {
  return e.stack.map((f) => f.function).join(' < ');
}

function kinds(events: SessionEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) out[e.kind!] = (out[e.kind!] ?? 0) + 1;
  return out;
}

/** Enter and exit events balance per thread, and the exits mirror the enters. */
function assertBalanced(events: SessionEvent[]): void {
  const open = new Map<string, string[]>();
  for (const e of events) {
    if (e.kind === 'sample') continue;
    const stack = open.get(e.thread) ?? [];
    if (e.kind === 'enter') stack.push(names(e));
    else assert.equal(stack.pop(), names(e), `exit on ${e.thread} at ${e.t}`);
    open.set(e.thread, stack);
  }
  for (const [thread, stack] of open) assert.deepEqual(stack, [], thread);
}

describe('profile importer', () => {
  describe('.cpuprofile', () => {
    it('Chrome: one sample per sample, the stack from the parent chain, 1-based lines, µs from the first', async () => {
      const { header, events } = await importToMemory('profile', [
        profile('01-speedscope-chrome65-simple.cpuprofile'),
      ]);
      assert.deepEqual(header.clock, { unit: 'us' });
      assert.deepEqual(header.threads, [{ id: 'main', name: 'CPU profile' }]);
      assert.equal(events.length, 29);
      assert.deepEqual(kinds(events), { sample: 29 });
      assert.deepEqual([events[0]!.t, names(events[0]!)], [0, '(anonymous)']);
      assert.deepEqual([events[1]!.t, names(events[1]!)], [1060, 'd < b < a < (anonymous)']);
      // callFrame d: lineNumber 13, columnNumber 10 (0-based).
      assert.deepEqual(events[1]!.stack[0], { function: 'd', file: null, line: 14, column: 11 });
      assert.deepEqual([events[28]!.t, names(events[28]!)], [34345, 'd < c < a < (anonymous)']);
    });

    it('Node: script urls as files, (program) samples', async () => {
      const { events } = await importToMemory('profile', [profile('02-server-stopwatch-node.cpuprofile')]);
      assert.equal(events.length, 3060);
      assert.deepEqual(events[2]!.stack.slice(0, 4), [
        { function: 'read', file: null, line: null },
        { function: 'readSync', file: 'fs.js', line: 470, column: 18 },
        { function: 'tryReadSync', file: 'fs.js', line: 324, column: 21 },
        { function: 'readFileSync', file: 'fs.js', line: 336, column: 22 },
      ]);
      assert.equal(where(events[2]!, 4), '(anonymous) /Users/jeffkim/Codesmith/server-stopwatch/parse.js:1');
      assert.deepEqual([events[3059]!.t, names(events[3059]!)], [4001528, '(program)']);
      assert.equal(events.filter((e) => names(e) === '(program)').length, 3048);
    });

    it('the legacy head tree with absolute timestamps', async () => {
      const { events } = await importToMemory('profile', [
        profile('03-speedscope-node10-legacy-head.cpuprofile'),
      ]);
      assert.equal(events.length, 29);
      assert.deepEqual(
        events.slice(0, 3).map((e) => [e.t, names(e), where(e)]),
        [
          [0, '(anonymous)', '(anonymous) null:1'],
          [11575, 'd < b < a < (anonymous)', 'd null:14'],
          [12635, 'd < b < a < (anonymous)', 'd null:14'],
        ],
      );
    });
  });

  describe('Chrome Trace Event documents', () => {
    it('object form with metadata first: Profile and ProfileChunk samples on the named thread', async () => {
      const { header, events, result } = await importToMemory('profile', [
        profile('04-speedscope-chrome141-no-arg-data.json'),
      ]);
      assert.deepEqual(result.warnings, []);
      assert.deepEqual(header.threads[0], { id: '6209019', name: 'CrRendererMain' });
      assert.equal(events.length, 421);
      assert.deepEqual(kinds(events), { sample: 421 });
      assert.ok(events.every((e) => e.thread === '6209019'));
      assert.deepEqual([events[0]!.t, names(events[0]!)], [0, '(program)']);
      assert.equal(events[420]!.t, 55862);
      assert.equal(events[420]!.stack[0]!.function, 'r');
    });

    it('array form cut mid-document: the events before the cut, nested X slices as enter/exit, CPU samples', async () => {
      const { header, events, result } = await importToMemory('profile', [
        profile('05-speedscope-chrome69-timeline-PARTIAL.json'),
      ]);
      assert.deepEqual(messages(result), [
        '05-speedscope-chrome69-timeline-PARTIAL.json: the document ends early (no closing bracket): the events before the end are read',
      ]);
      assert.equal(header.threads.length, 16);
      assert.deepEqual(header.threads[0], { id: '85129:775', name: 'Renderer / CrRendererMain' });
      assert.deepEqual(kinds(events), { enter: 662, exit: 662, sample: 2051 });
      assertBalanced(events);
      const first = events[0]!;
      assert.deepEqual([first.t, first.thread, first.kind], [0, '85110:21251', 'enter']);
      assert.deepEqual(first.stack[0]!.file, '../../ipc/ipc_channel_proxy.cc');
      assert.equal(first.stack[0]!.function, 'MessageLoop::RunTask');
      assert.equal(scope(first, 'Args').src_func, 'Send');
      assert.deepEqual(
        [events[1]!.t, events[1]!.kind, names(events[1]!)],
        [302, 'exit', 'MessageLoop::RunTask'],
      );
    });

    it('process and thread names from metadata, several processes', async () => {
      const { header, events } = await importToMemory('profile', [
        profile('06-speedscope-trace-multiprocess.json'),
      ]);
      assert.deepEqual(
        header.threads.map((t) => `${t.id}=${t.name}`),
        [
          '0:0=p0 / p0t0',
          '0:1=p0 / p0t1',
          '1:0=p1 / p1t0',
          '1:1=p1 / p1t1',
          '2:0=p2t0',
          '2:1=p2t1',
          '3:0=p3 / 0',
          '3:1=p3 / 1',
        ],
      );
      assert.equal(events.length, 16);
      assertBalanced(events);
    });

    it('B/E pairs and X events on one thread nest by time', async () => {
      const { events } = await importToMemory('profile', [
        profile('07-speedscope-trace-bex-interaction.json'),
      ]);
      assert.deepEqual(
        events.slice(0, 6).map((e) => `${e.t} ${e.kind} ${names(e)}`),
        ['0 enter A', '0 enter B < A', '2 exit B < A', '2 exit A', '10 enter C', '10 enter D < C'],
      );
      assert.equal(events.length, 24);
      assertBalanced(events);
    });

    it('an array without its closing bracket; an X event without dur is a moment', async () => {
      const { events, result } = await importToMemory('profile', [
        profile('08-speedscope-trace-simple-partial.json'),
      ]);
      assert.equal(result.warnings.length, 1);
      assert.deepEqual(
        events.map((e) => `${e.t} ${e.kind} ${names(e)}`),
        [
          '0 enter alpha',
          '1 enter beta < alpha',
          '2 enter gamma < beta < alpha',
          '7 exit gamma < beta < alpha',
          '7 enter epsilon < beta < alpha',
          '7 exit epsilon < beta < alpha',
          '13 exit beta < alpha',
          '14 exit alpha',
        ],
      );
      assert.deepEqual(scope(events[2]!, 'Args'), { detail: 'foobar' });
    });

    it('sampled stackFrames with samples (string times and thread ids)', async () => {
      const { events } = await importToMemory('profile', [
        profile('09-speedscope-trace-hermes-samples.json'),
      ]);
      assert.deepEqual(kinds(events), { enter: 2, exit: 2, sample: 8 });
      const samples = events.filter((e) => e.kind === 'sample');
      assert.deepEqual(
        samples.map((e) => `${e.t} ${e.thread} ${names(e)}`),
        [
          '1941575 1 [root]',
          '1941575 2 [root thread 2]',
          '1962345 1 function1 < [root]',
          '1962345 2 function3 < [root thread 2]',
          '1975671 1 [GC Young Gen] < [root]',
          '1975671 2 function4 < [root thread 2]',
          '1985671 2 [root thread 2]',
          '1995671 2 [root thread 2]',
        ],
      );
    });
  });

  describe('broken input', () => {
    it('leaves out an event that is not valid JSON and reads the rest', async () => {
      const text = fs.readFileSync(profile('07-speedscope-trace-bex-interaction.json'), 'utf8');
      const file = tempFile(
        'torn.json',
        text.replace('"ts": 10, "dur": 2, "name": "C"', '"ts": 10, "dur": 2,, "name": "C"'),
      );
      const { events, result } = await importToMemory('profile', [file]);
      assert.ok(events.length > 0);
      assert.deepEqual(messages(result), ['torn.json: 1 event that is not valid JSON left out']);
      assert.equal(events.length, 22);
      assert.ok(!events.some((e) => names(e).startsWith('C')));
      assertBalanced(events);
    });

    it('says so for text that is no trace, and for a cut .cpuprofile', async () => {
      const dir = tempDir();
      const text = path.join(dir, 'notes.json');
      fs.writeFileSync(text, 'just some words\n');
      const notes = await importToMemory('profile', [text]);
      assert.equal(notes.events.length, 0);
      assert.deepEqual(messages(notes.result), [
        'notes.json: not a Trace Event document (no JSON array or object)',
      ]);
      const cut = path.join(dir, 'cut.cpuprofile');
      fs.writeFileSync(
        cut,
        fs.readFileSync(profile('01-speedscope-chrome65-simple.cpuprofile'), 'utf8').slice(0, 700),
      );
      const r = await importToMemory('profile', [cut]);
      assert.equal(r.events.length, 0);
      assert.match(
        messages(r.result)[0]!,
        /^cut\.cpuprofile: not a complete JSON document \(.*\): no samples read$/,
      );
    });

    it('refuses a .cpuprofile over the size limit without reading it', async () => {
      const huge = tempFile('huge.cpuprofile', '{"nodes":[' + ' '.repeat(9000));
      fs.truncateSync(huge, MAX_CPUPROFILE_BYTES + 1);
      await assert.rejects(
        importToMemory('profile', [huge]),
        /huge\.cpuprofile: a \.cpuprofile over 256 MB is not read/,
      );
    });
  });
});
