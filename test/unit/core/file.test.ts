// Reading traces from disk: the sync and async scans agree, report progress, stop when cancelled, and turn
// the usual failures into one-line errors.

import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { traceToJson } from '../../../src/core/trace';
import { InputError, scanFile, scanFileSync } from '../../../src/core/trace/file';
import { allFamilies, corpusTexts, writeMixedLog } from '../../../scripts/bench/generate';
import { CORPUS } from '../corpus/harness';

describe('file scans', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'escalate-file-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, 'mixed.log');
  writeMixedLog(log, 2 * 1024 * 1024, corpusTexts(CORPUS, allFamilies(CORPUS)), 0.05, 5);

  it('async and sync scans find the same traces; progress reaches the file size', async () => {
    const sync: string[] = [];
    const r1 = scanFileSync(log, (t) => sync.push(JSON.stringify(traceToJson(t))));
    const async: string[] = [];
    let last = 0;
    const r2 = await scanFile(log, (t) => async.push(JSON.stringify(traceToJson(t))), {
      onProgress: (read, total) => {
        assert.ok(read >= last && read <= total);
        last = read;
      },
    });
    assert.deepEqual(async, sync);
    assert.equal(r2.lines, r1.lines);
    assert.equal(last, r1.bytes);
  });

  it('an aborted async scan stops with the abort reason', async () => {
    const ac = new AbortController();
    const reason = new Error('cancelled by the user');
    await assert.rejects(
      scanFile(log, () => undefined, { signal: ac.signal, onProgress: () => ac.abort(reason) }),
      (e) => e === reason,
    );
  });

  it('missing files and directories are one-line InputErrors, sync and async', async () => {
    const missing = path.join(dir, 'nope.log');
    assert.throws(() => scanFileSync(missing, () => undefined), new InputError(`${missing}: no such file`));
    await assert.rejects(
      scanFile(missing, () => undefined),
      new InputError(`${missing}: no such file`),
    );
    assert.throws(() => scanFileSync(dir, () => undefined), new InputError(`${dir}: is a directory`));
    await assert.rejects(
      scanFile(dir, () => undefined),
      new InputError(`${dir}: is a directory`),
    );
    writeFileSync(path.join(dir, 'empty.log'), '');
    assert.equal(scanFileSync(path.join(dir, 'empty.log'), () => undefined).lines, 0);
  });

  it('a file that is not text is refused with the same one-line error, sync and async', async () => {
    const dump = path.join(dir, 'crash.dmp');
    writeFileSync(dump, Buffer.concat([Buffer.from('MDMP'), Buffer.alloc(64)]));
    const error = /crash\.dmp: a Windows minidump .* — not text$/;
    assert.throws(() => scanFileSync(dump, () => undefined), error);
    await assert.rejects(
      scanFile(dump, () => undefined),
      error,
    );
  });
});
