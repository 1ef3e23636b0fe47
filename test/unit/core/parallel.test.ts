// The parallel scan gives exactly the traces, in the same order and with the same line numbers, as the
// one-thread scan — on logs with traces here and there, on files that are nothing but traces (blocks then
// start inside traces), and with block boundaries at every kind of place.

import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { traceToJson, type Trace } from '../../../src/core/trace';
import { scanFileSync } from '../../../src/core/trace/file';
import { scanFileParallel } from '../../../src/core/trace/parallel';
import { corpusTexts, allFamilies, writeConcatenated, writeMixedLog } from '../../../scripts/bench/generate';
import { CORPUS } from '../corpus/harness';

const WORKER = path.join(__dirname, '..', '..', '..', 'dist', 'scanWorker.js');

function sequential(file: string): string[] {
  const out: string[] = [];
  scanFileSync(file, (t: Trace) => out.push(JSON.stringify(traceToJson(t))));
  return out;
}

async function parallel(
  file: string,
  blockBytes: number,
  workers: number,
): Promise<{ traces: string[]; lines: number }> {
  const traces: string[] = [];
  const r = await scanFileParallel(file, (t) => traces.push(JSON.stringify(traceToJson(t))), {
    workerScript: WORKER,
    workers,
    blockBytes,
    minBytes: 0,
  });
  return { traces, lines: r.lines };
}

describe('parallel scan', function () {
  this.timeout(120000);
  const dir = mkdtempSync(path.join(tmpdir(), 'escalate-par-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const traces = corpusTexts(CORPUS, allFamilies(CORPUS));

  before(function () {
    // The workers run the bundle; `npm test` builds it before the unit tests.
    if (!existsSync(WORKER)) this.skip();
  });

  it('a log with traces here and there: same traces as one thread', async () => {
    const file = path.join(dir, 'mixed.log');
    writeMixedLog(file, 3 * 1024 * 1024, traces, 0.2, 7);
    const want = sequential(file);
    assert.ok(want.length > 40);
    for (const [blockBytes, workers] of [
      [64 * 1024, 2],
      [100 * 1024 + 17, 3],
      [1024 * 1024, 2],
    ] as const) {
      const got = await parallel(file, blockBytes, workers);
      assert.deepEqual(got.traces, want, `blocks of ${blockBytes} bytes, ${workers} workers`);
    }
  });

  it('a file that is nothing but traces: blocks start inside traces, still the same result', async () => {
    const file = path.join(dir, 'dense.txt');
    writeConcatenated(file, 2 * 1024 * 1024, traces);
    const want = sequential(file);
    assert.ok(want.length > 500);
    const got = await parallel(file, 48 * 1024 + 5, 2);
    assert.deepEqual(got.traces, want);
  });

  it('one long trace across many blocks', async () => {
    const file = path.join(dir, 'long.txt');
    const lines = ['java.lang.IllegalStateException: deep recursion'];
    for (let i = 0; i < 60000; i++) lines.push(`\tat com.acme.Deep.f${i % 7}(Deep.java:${(i % 900) + 1})`);
    lines.push('2026-01-01 00:00:00,000 INFO after');
    writeFileSync(file, lines.join('\n') + '\n');
    const want = sequential(file);
    const got = await parallel(file, 128 * 1024, 2);
    assert.deepEqual(got.traces, want);
    assert.equal(got.lines, lines.length);
  });

  it('counts lines like the one-thread scan, with or without a final newline', async () => {
    const file = path.join(dir, 'nofinal.log');
    writeMixedLog(file, 600 * 1024, traces, 0.05, 3);
    writeFileSync(file, 'last line without newline', { flag: 'a' });
    const seq: string[] = [];
    const r = scanFileSync(file, (t) => seq.push(JSON.stringify(traceToJson(t))));
    const got = await parallel(file, 64 * 1024, 2);
    assert.equal(got.lines, r.lines);
    assert.deepEqual(got.traces, seq);
  });
});
