// The `escalate` CLI: the `parse --json` contract, human output and exit codes.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { CORPUS } from './corpus/harness';

class Capture {
  text = '';
  write(s: string): void {
    this.text += s;
  }
  flush(): void {}
}

async function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const status = await main(args, { stdout, stderr });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

const JAVA = path.join(CORPUS, 'java-exception', '04-elasticsearch-startup-exception-caused-by-more.txt');

describe('cli', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'escalate-cli-'));

  it('parse --json prints exactly the contract shape', async () => {
    const r = await run('parse', '--json', JAVA);
    assert.equal(r.status, 0);
    assert.equal(r.stderr, '');
    const out = JSON.parse(r.stdout) as { traces: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(out), ['traces']);
    assert.equal(out.traces.length, 1);
    const t = out.traces[0]!;
    assert.deepEqual(Object.keys(t), ['format', 'kind', 'title', 'message', 'span', 'frames', 'causes']);
    assert.deepEqual(t['span'], { start: 2, end: 20 });
    const frames = t['frames'] as Record<string, unknown>[];
    assert.deepEqual(frames[0], {
      function: 'org.elasticsearch.bootstrap.Elasticsearch.init',
      file: 'Elasticsearch.java',
      line: 127,
      column: null,
      module: 'elasticsearch-5.5.1.jar',
      address: null,
      docLine: 3,
    });
    const cause = (t['causes'] as Record<string, unknown>[])[0]!;
    assert.deepEqual(Object.keys(cause), ['format', 'kind', 'title', 'message', 'span', 'frames', 'causes']);
    assert.equal((cause['frames'] as unknown[]).length, 9);
  });

  it('parse --json on several files tags each trace with its file', async () => {
    const empty = path.join(dir, 'empty.log');
    writeFileSync(empty, '');
    const r = await run('parse', '--json', JAVA, empty);
    assert.equal(r.status, 0);
    const out = JSON.parse(r.stdout) as { traces: { file: string }[] };
    assert.deepEqual(
      out.traces.map((t) => t.file),
      [JAVA],
    );
  });

  it('human output lists each trace with format, title, span and frames', async () => {
    const r = await run('parse', JAVA);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^\[1\] java exception, lines 2-20/m);
    assert.match(
      r.stdout,
      /org\.elasticsearch\.bootstrap\.StartupException: java\.lang\.IllegalArgumentException/,
    );
    assert.match(
      r.stdout,
      /at org\.elasticsearch\.node\.Node\.<init> {2}\(Node\.java:343, in elasticsearch-5\.5\.1\.jar\) {4}line 14/,
    );
    assert.match(r.stdout, /Caused by: java\.lang\.IllegalArgumentException/);
    assert.match(r.stdout, /1 trace in 21 lines/);
  });

  it('zero traces is not an error', async () => {
    const f = path.join(dir, 'plain.log');
    writeFileSync(f, 'nothing to see\nhere\n');
    const r = await run('parse', '--json', f);
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout), { traces: [] });
  });

  it('exit 2 with one line for a missing file, a directory and unreadable input', async () => {
    const missing = await run('parse', path.join(dir, 'nope.txt'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^escalate: .*nope\.txt: no such file\n$/);
    const directory = await run('parse', dir);
    assert.equal(directory.status, 2);
    assert.match(directory.stderr, /^escalate: .*: is a directory\n$/);
    if (process.getuid?.() !== 0) {
      const locked = path.join(dir, 'locked.txt');
      writeFileSync(locked, 'x');
      chmodSync(locked, 0);
      const r = await run('parse', locked);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /permission denied/);
    }
  });

  it('usage errors exit 2', async () => {
    assert.equal((await run()).status, 2);
    assert.equal((await run('parse')).status, 2);
    assert.equal((await run('frobnicate')).status, 2);
    assert.equal((await run('parse', '--bogus', JAVA)).status, 2);
    assert.equal((await run('--help')).status, 0);
  });

  it('the built bundle runs as `escalate` with a shebang', function () {
    const cli = path.join(__dirname, '..', '..', 'dist', 'cli.js');
    if (!existsSync(cli)) this.skip();
    const r = spawnSync(process.execPath, [cli, 'parse', '--json', JAVA], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { traces: unknown[] }).traces.length, 1);
    const missing = spawnSync(process.execPath, [cli, 'parse', path.join(dir, 'nope')], { encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
  });
});
