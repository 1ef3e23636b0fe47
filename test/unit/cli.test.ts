// The `escalate` CLI: the `parse --json` contract, human output and exit codes.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from './runCli';
import { CORPUS } from './corpus/harness';

const run = (...args: string[]): ReturnType<typeof runCli> => runCli(...args);

const JAVA = path.join(CORPUS, 'java-exception', '04-elasticsearch-startup-exception-caused-by-more.txt');

describe('cli', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'escalate-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

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
      inApp: true,
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

  it('parse --json: thread dumps carry thread name, id, state and header fields; lock lines stay on frames', async () => {
    const r = await run(
      'parse',
      '--json',
      path.join(CORPUS, 'java-thread-dump', '01-jstack-deadlock-padded.txt'),
    );
    assert.equal(r.status, 0, r.stderr);
    type T = {
      kind: string;
      thread?: {
        name: string | null;
        id: string | null;
        state: string | null;
        attrs?: Record<string, string>;
      };
      frames: { locks?: { action: string; address: string | null; className: string | null }[] }[];
    };
    const traces = (JSON.parse(r.stdout) as { traces: T[] }).traces;
    const blocked = traces.find((t) => t.thread?.state === 'BLOCKED');
    assert.ok(blocked, 'a BLOCKED thread');
    assert.ok(blocked.thread!.name);
    assert.ok(blocked.thread!.attrs && Object.keys(blocked.thread!.attrs).length > 0, 'header fields');
    const locks = blocked.frames.flatMap((f) => f.locks ?? []);
    assert.ok(locks.some((l) => l.action === 'waiting to lock' && l.address?.startsWith('0x')));
  });

  it('parse --not-in-app marks frames as library code', async () => {
    const r = await run('parse', '--json', '--not-in-app', 'org.elasticsearch.bootstrap.', JAVA);
    const frames = (JSON.parse(r.stdout) as { traces: { frames: { function: string; inApp: boolean }[] }[] })
      .traces[0]!.frames;
    assert.equal(frames[0]!.inApp, false);
    assert.ok(frames.some((f) => f.inApp && !f.function.startsWith('org.elasticsearch.bootstrap.')));
  });

  it('buckets --json prints exactly the contract shape, most frequent first', async () => {
    const log = path.join(dir, 'buckets.log');
    const crash = (n: number, line: number): string =>
      `2026-11-26 03:0${n}:00.000 ERROR [main] app - failed\njava.lang.IllegalStateException: order ${n}\n\tat com.acme.orders.OrderService.place(OrderService.java:${line})\n\tat java.base/java.lang.Thread.run(Thread.java:833)\n`;
    const py =
      'Traceback (most recent call last):\n  File "/srv/acme/views.py", line 12, in handle\nKeyError: 7\n';
    writeFileSync(log, 'start\n' + crash(1, 40) + py + crash(2, 41) + crash(3, 42));
    const r = await run('buckets', '--json', log);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { buckets: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(out), ['buckets']);
    assert.equal(out.buckets.length, 2);
    const b = out.buckets[0]!;
    assert.deepEqual(Object.keys(b), ['signature', 'count', 'title', 'format', 'first', 'last', 'frame']);
    assert.match(b['signature'] as string, /^v1:[0-9a-f]{16}$/);
    assert.equal(b['count'], 3);
    assert.equal(b['title'], 'java.lang.IllegalStateException: order 1');
    assert.equal(b['format'], 'java');
    assert.deepEqual(b['first'], { file: log, line: 3, time: '2026-11-26 03:01:00.000' });
    assert.deepEqual(b['last'], { file: log, line: 14, time: '2026-11-26 03:03:00.000' });
    assert.deepEqual(b['frame'], {
      function: 'com.acme.orders.OrderService.place',
      file: 'OrderService.java',
      line: 40,
      column: null,
      module: null,
      address: null,
      docLine: 4,
      inApp: true,
    });
    assert.equal(out.buckets[1]!['count'], 1);
    const human = await run('buckets', log);
    assert.match(human.stdout, /^\[1\] 3× {2}java\.lang\.IllegalStateException: order 1$/m);
    assert.match(human.stdout, /2 distinct crashes in 4 traces/);
  });

  it('a file that is not text gets one line saying what it is, and exit 2', async () => {
    const files: [string, Buffer, RegExp][] = [
      [
        'crash.dmp',
        Buffer.concat([Buffer.from('MDMP\x93\xa7\x00\x00', 'latin1'), Buffer.alloc(64)]),
        /minidump/,
      ],
      [
        'logs.zip',
        Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 1)]),
        /zip archive/,
      ],
      ['app.log.gz', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(64)]), /gzip/],
      ['core', Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), Buffer.alloc(64)]), /ELF/],
      ['blob.bin', Buffer.alloc(4096, 0), /binary data, not text/],
    ];
    for (const [name, bytes, what] of files) {
      const f = path.join(dir, name);
      writeFileSync(f, bytes);
      for (const cmd of ['parse', 'buckets']) {
        const r = await run(cmd, f);
        assert.equal(r.status, 2, `${cmd} ${name}`);
        assert.equal(r.stderr.trim().split('\n').length, 1);
        assert.match(r.stderr, what);
        assert.ok(r.stderr.includes(name));
      }
    }
    // UTF-16 text has NUL bytes but is text.
    const u16 = path.join(dir, 'u16.log');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('MZ hello\r\n', 'utf16le')]));
    assert.equal((await run('parse', u16)).status, 0);
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
