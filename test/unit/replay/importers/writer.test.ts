// SessionWriter: header then events as JSON lines, to a file through a temporary name (nothing left behind on
// failure) or to an array; times kept non-decreasing.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OutputError, SessionWriter } from '../../../../src/core/replay/writer';
import type { SessionHeader } from '../../../../src/core/replay/format';
import { tempDir } from './helpers';

const HEADER: SessionHeader = { format: 'escalate-session', version: 1, threads: [], clock: { unit: 'ms' } };

describe('SessionWriter', () => {
  it('writes the header and events as one JSON object per line, into an array', async () => {
    const lines: string[] = [];
    const w = SessionWriter.toArray(lines);
    await w.header(HEADER);
    await w.event({ t: 0, thread: 'main', stack: [{ function: 'f', file: 'a.go', line: 3 }] });
    await w.event({ t: 5, thread: 'main', stack: [] });
    await w.close();
    assert.equal(lines.length, 3);
    assert.deepEqual(JSON.parse(lines[0]!), HEADER);
    assert.deepEqual(JSON.parse(lines[1]!), {
      t: 0,
      thread: 'main',
      stack: [{ function: 'f', file: 'a.go', line: 3 }],
    });
    assert.equal(w.events, 2);
  });

  it('raises a time earlier than the one before to it and counts it', async () => {
    const lines: string[] = [];
    const w = SessionWriter.toArray(lines);
    await w.header(HEADER);
    for (const t of [10, 4, 12, 11]) await w.event({ t, thread: 'x', stack: [] });
    await w.close();
    assert.deepEqual(
      lines.slice(1).map((l) => (JSON.parse(l) as { t: number }).t),
      [10, 10, 12, 12],
    );
    assert.equal(w.clamped, 2);
  });

  it('refuses an event before the header', async () => {
    const w = SessionWriter.toArray([]);
    await assert.rejects(w.event({ t: 0, thread: 'x', stack: [] }), /before the header/);
  });

  it('streams a large session to a file that appears only when closed', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'big.jsonl');
    const w = SessionWriter.toFile(out);
    await w.header(HEADER);
    const frame = { function: 'x'.repeat(200), file: 'f.ts', line: 1 };
    for (let i = 0; i < 20000; i++) await w.event({ t: i, thread: 'main', stack: [frame, frame] });
    assert.equal(fs.existsSync(out), false, 'not there before close');
    await w.close();
    const text = fs.readFileSync(out, 'utf8');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 20001);
    assert.equal((JSON.parse(lines[20000]!) as { t: number }).t, 19999);
    assert.deepEqual(fs.readdirSync(dir), ['big.jsonl'], 'no temporary file left');
  });

  it('leaves nothing behind when aborted', async () => {
    const dir = tempDir();
    const w = SessionWriter.toFile(path.join(dir, 'gone.jsonl'));
    await w.header(HEADER);
    await w.event({ t: 0, thread: 'main', stack: [] });
    await w.abort();
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('says in one line why an output cannot be written', () => {
    const missing = path.join(tempDir(), 'no', 'such', 'dir', 'out.jsonl');
    assert.throws(
      () => SessionWriter.toFile(missing),
      (e: unknown) => e instanceof OutputError && /out\.jsonl: cannot write \(ENOENT\)/.test(e.message),
    );
  });
});
