// The session reader on real files: event offsets across read chunks, blank lines and line numbers, a torn
// last line, malformed lines in the middle, BOM, CRLF, unknown fields, huge lines, and files that are no
// session at all (each a clear error value, never a throw).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { NewlineFinder } from '../../../src/core/replay/newlines';
import { MAX_VARIABLE_DEPTH } from '../../../src/core/replay/normalize';
import { SessionFile, type SessionOpenResult } from '../../../src/core/replay/reader';
import { HEADER, suiteDir, writeSession } from './fixture';

function opened(r: SessionOpenResult): SessionFile {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.session;
}

function failure(r: SessionOpenResult): [string, string] {
  assert.equal(r.ok, false);
  return r.ok ? ['', ''] : [r.error.kind, r.error.message];
}

describe('replay reader', function () {
  this.timeout(60000);
  const dir = suiteDir();
  const write = (name: string, text: string | Buffer): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('finds every event across read chunks and parses each on demand', async () => {
    // ~12 MB: several 4 MB chunks, lines cut at chunk ends.
    const events = Array.from({ length: 60000 }, (_, i) => ({
      t: i,
      thread: `t${i % 7}`,
      stack: [{ function: `f${i}`, file: 'a.ts', line: i }],
      pad: 'x'.repeat(i % 300),
    }));
    const file = writeSession(dir, 'big.jsonl', events);
    const s = opened(await SessionFile.open(file));
    assert.equal(s.eventCount, 60000);
    assert.deepEqual(s.warnings, []);
    for (const i of [0, 1, 17, 20000, 33333, 59999]) {
      const r = s.event(i);
      assert.ok(r.ok);
      assert.deepEqual(
        [r.index, r.line, r.event.t, r.event.thread, r.event.stack[0]!.function],
        [i, i + 2, i, `t${i % 7}`, `f${i}`],
      );
    }
    const span = s.span;
    assert.deepEqual(
      [span.start, span.end, span.count],
      [JSON.stringify(HEADER).length + 1, fs.statSync(file).size, 60000],
    );
    const r = s.event(60000);
    assert.deepEqual(r.ok ? null : r.message, 'line 60002: no event 60000 (the session has 60000)');
    s.close();
  });

  it('finds newlines with WebAssembly SIMD exactly where indexOf does', () => {
    const finder = NewlineFinder.create(64 * 1024);
    assert.ok(finder, 'WebAssembly SIMD is available in Node 20');
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.nat({ max: 2999 }), { maxLength: 200 }),
        fc.nat({ max: 3000 }),
        fc.constantFrom<0 | 1>(0, 1),
        (bytes, newlines, cut, k) => {
          const input = finder.inputs[k];
          input.fill(10, 0, 4000);
          input.set(bytes);
          for (const at of newlines) input[at] = 10;
          const from = Math.min(cut, bytes.length);
          const expected: number[] = [];
          for (let j = input.indexOf(10, from); j >= 0 && j < bytes.length; j = input.indexOf(10, j + 1)) {
            expected.push(j + 1);
          }
          assert.deepEqual(Array.from(finder.find(k, from, bytes.length)), expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports progress and can be cancelled', async () => {
    const file = writeSession(dir, 'progress.jsonl', [{ t: 0, thread: 'M', stack: [] }]);
    const seen: number[] = [];
    opened(await SessionFile.open(file, { onProgress: (done) => seen.push(done) })).close();
    assert.deepEqual(seen, [fs.statSync(file).size]);
    const controller = new AbortController();
    controller.abort();
    assert.deepEqual(failure(await SessionFile.open(file, { signal: controller.signal })), [
      'aborted',
      'opening the session was cancelled',
    ]);
  });

  it('skips blank lines and keeps line numbers right', async () => {
    const file = write(
      'blank.jsonl',
      `\n${JSON.stringify(HEADER)}\n\n{"t":1,"thread":"M"}\r\n\r\n\n{"t":2,"thread":"W"}\n`,
    );
    const s = opened(await SessionFile.open(file));
    assert.equal(s.eventCount, 2);
    assert.deepEqual([s.lineOf(0), s.lineOf(1)], [4, 7]);
    const r = s.event(1);
    assert.ok(r.ok);
    assert.deepEqual([r.line, r.event], [7, { t: 2, thread: 'W', stack: [] }]);
    s.close();
  });

  it('excludes a torn last line with a warning, keeps a complete unterminated one', async () => {
    const good = [{ t: 0, thread: 'M', stack: [] }];
    const torn = opened(
      await SessionFile.open(
        write('torn.jsonl', `${JSON.stringify(HEADER)}\n${JSON.stringify(good[0])}\n{"t":1,"thr`),
      ),
    );
    assert.equal(torn.eventCount, 1);
    assert.deepEqual(torn.warnings, [
      { line: 3, message: 'line 3 is incomplete (the capture was cut off); ignored' },
    ]);
    assert.equal(torn.span.end, JSON.stringify(HEADER).length + 1 + JSON.stringify(good[0]).length + 1);
    torn.close();
    const whole = opened(
      await SessionFile.open(
        write('whole.jsonl', `${JSON.stringify(HEADER)}\n${JSON.stringify(good[0])}\n{"t":1,"thread":"W"}`),
      ),
    );
    assert.equal(whole.eventCount, 2);
    assert.deepEqual(whole.warnings, []);
    const r = whole.event(1);
    assert.deepEqual(r.ok && r.event, { t: 1, thread: 'W', stack: [] });
    whole.close();
  });

  it('reports a malformed line in the middle as an unreadable event, with its line', async () => {
    const file = writeSession(dir, 'bad.jsonl', [
      { t: 0, thread: 'M', stack: [] },
      '{"t": 1, "thread": "M", "stack": [',
      '[1, 2]',
      { thread: 'M' },
      { t: 4, stack: [] },
      { t: 5, thread: 'M', stack: [] },
    ]);
    const s = opened(await SessionFile.open(file));
    assert.equal(s.eventCount, 6);
    const messages = [1, 2, 3, 4].map((i) => {
      const r = s.event(i);
      return r.ok ? '' : r.message.replace(/\(.*\)/, '(…)');
    });
    assert.deepEqual(messages, [
      'line 3: not valid JSON (…)',
      'line 4: not an event (…)',
      'line 5: the event has no time `t`',
      'line 6: the event names no thread',
    ]);
    assert.ok(s.event(5).ok);
    s.close();
  });

  it('tolerates a BOM, CRLF line ends and unknown fields', async () => {
    const header = { ...HEADER, future: { x: 1 } };
    const event = {
      t: 1,
      thread: 7,
      stack: [
        {
          function: 'f',
          file: 'a.ts',
          line: 3,
          column: 2,
          extra: true,
          scopes: [{ name: 'Locals', variables: [{ name: 'n', value: 5, type: 'int', note: 'x' }] }],
        },
      ],
      shiny: 1,
    };
    const text = `\ufeff${JSON.stringify(header)}\r\n${JSON.stringify(event)}\r\n`;
    const s = opened(await SessionFile.open(write('bom.jsonl', Buffer.from(text, 'utf8'))));
    assert.deepEqual(s.header.threads, HEADER.threads);
    assert.equal('future' in s.header, false);
    const r = s.event(0);
    assert.deepEqual(r.ok && r.event, {
      t: 1,
      thread: '7',
      stack: [
        {
          function: 'f',
          file: 'a.ts',
          line: 3,
          column: 2,
          scopes: [{ name: 'Locals', variables: [{ name: 'n', value: '5', type: 'int' }] }],
        },
      ],
    });
    s.close();
  });

  it('reads a huge line, and cuts hostile nesting', async () => {
    const variables = Array.from({ length: 200000 }, (_, i) => ({
      name: `v${i}`,
      value: String(i),
      type: 'int',
    }));
    let deep: object = { name: 'leaf', value: 'x' };
    for (let k = 0; k < 500; k++) deep = { name: `d${k}`, value: '', children: [deep] };
    const file = writeSession(dir, 'huge.jsonl', [
      {
        t: 0,
        thread: 'M',
        stack: [{ function: 'f', file: 'a.ts', line: 1, scopes: [{ name: 'Locals', variables }] }],
      },
      {
        t: 1,
        thread: 'M',
        stack: [{ function: 'g', file: 'a.ts', line: 2, scopes: [{ name: 'Locals', variables: [deep] }] }],
      },
    ]);
    assert.ok(fs.statSync(file).size > 8 * 1024 * 1024);
    const s = opened(await SessionFile.open(file));
    const big = s.event(0);
    assert.equal(big.ok && big.event.stack[0]!.scopes![0]!.variables[199999]!.value, '199999');
    const nested = s.event(1);
    let v = nested.ok ? nested.event.stack[0]!.scopes![0]!.variables[0] : undefined;
    let depth = 0;
    while (v?.children?.[0]) {
      v = v.children[0];
      depth++;
    }
    assert.equal(depth, MAX_VARIABLE_DEPTH);
    s.close();
  });

  it('gives a clear error for what is not a session', async () => {
    const cases: [string, string | Buffer, string][] = [
      ['empty.jsonl', '', 'empty'],
      ['blank.jsonl', '\n\n  \n', 'empty'],
      ['log.txt', '2024-01-01 INFO started\n{"t":1}\n', 'not-a-session'],
      ['other.json', '{"hello": "world"}\n', 'not-a-session'],
      ['array.json', '[1,2]\n', 'not-a-session'],
      ['newer.jsonl', `${JSON.stringify({ ...HEADER, version: 2 })}\n`, 'unknown-version'],
      ['binary.bin', Buffer.from([0x7b, 0, 1, 2, 0xff, 10]), 'not-a-session'],
    ];
    for (const [name, text, kind] of cases) {
      assert.equal(failure(await SessionFile.open(write(name, text)))[0], kind, name);
    }
    assert.deepEqual(
      failure(
        await SessionFile.open(write('v2.jsonl', `${JSON.stringify({ ...HEADER, version: '2.1' })}\n`)),
      ),
      ['unknown-version', 'session format version 2 is not supported (this Escalate reads version 1)'],
    );
    assert.equal(failure(await SessionFile.open(path.join(dir, 'nope.jsonl')))[0], 'io');
    const onlyHeader = opened(await SessionFile.open(write('header.jsonl', JSON.stringify(HEADER))));
    assert.equal(onlyHeader.eventCount, 0);
    onlyHeader.close();
  });
});
