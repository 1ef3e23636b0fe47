// detectImport: which importer fits a file, from its first bytes; and importSession writing a file (and no
// file when nothing was found).

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectImport, importSession } from '../../../../src/core/replay/importers';
import { InputError } from '../../../../src/core/trace/file';
import { corpus, session, tempDir } from './helpers';

describe('detectImport', () => {
  const cases: [string, string, string][] = [
    [session('dumps/01-lockdemo-jstack1.txt'), 'dumps', 'a jstack thread dump'],
    [session('dumps/04-jstackanalyzer-utf16le-bom-crlf.txt'), 'dumps', 'a jstack thread dump'],
    [session('dumps/05-kvstore-pprof-goroutines.txt'), 'dumps', 'a Go goroutine dump'],
    [session('dumps/06-calendarbot-py-spy-dump.txt'), 'dumps', 'a py-spy dump'],
    [session('dumps/08-dotnet-docs-dotnet-stack-example.txt'), 'dumps', 'a dotnet-stack report'],
    [
      corpus('gdb/05-owncloud-thread-apply-all-bt-hard-wrapped-PARTIAL.txt'),
      'dumps',
      "gdb's thread backtraces",
    ],
    [session('log/01-im-backward-zap.log'), 'log', 'JSON log records'],
    [session('log/10-lnav-ecs-python.json'), 'log', 'JSON log records'],
    [session('log/11-lnav-glog.log'), 'log', 'lines that name source locations'],
    [
      session('log/13-gotodolist-zap-console-windows-paths.log'),
      'log',
      'a log whose lines name source locations',
    ],
    [session('profile/01-speedscope-chrome65-simple.cpuprofile'), 'profile', 'a V8 CPU profile'],
    [session('profile/04-speedscope-chrome141-no-arg-data.json'), 'profile', 'a Chrome Trace Event document'],
    [
      session('profile/05-speedscope-chrome69-timeline-PARTIAL.json'),
      'profile',
      'a Chrome Trace Event document',
    ],
    [corpus('java-exception/01-pulsar-flaky-noclassdef.txt'), 'trace', 'a stack trace'],
    [corpus('python/04-django-testrunner-tab-indented-both-chain-markers.txt'), 'trace', 'a stack trace'],
  ];
  for (const [file, kind, reason] of cases) {
    it(`${path.basename(file)} → ${kind}`, () => {
      assert.deepEqual(detectImport(file), { kind, reason });
    });
  }

  it('finds nothing in prose, and says why a file cannot be read', () => {
    const dir = tempDir();
    const prose = path.join(dir, 'prose.txt');
    fs.writeFileSync(prose, 'Dear customer,\nthank you for your patience.\n');
    assert.equal(detectImport(prose), null);
    assert.throws(
      () => detectImport(path.join(dir, 'missing.txt')),
      (e: unknown) => e instanceof InputError && /missing\.txt: no such file/.test(e.message),
    );
  });
});

describe('importSession to a file', () => {
  it('writes the session under the given name, with progress up to 1', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'goroutines.jsonl');
    const seen: number[] = [];
    const result = await importSession('dumps', [session('dumps/05-kvstore-pprof-goroutines.txt')], out, {
      onProgress: (f) => seen.push(f),
    });
    assert.equal(result.events, 13);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 14);
    assert.deepEqual(fs.readdirSync(dir), ['goroutines.jsonl']);
    assert.equal(seen[seen.length - 1], 1);
  });

  it('writes no file when nothing was found', async () => {
    const dir = tempDir();
    const prose = path.join(dir, 'prose.txt');
    fs.writeFileSync(prose, 'nothing\n');
    const result = await importSession('trace', [prose], path.join(dir, 'out.jsonl'));
    assert.equal(result.events, 0);
    assert.deepEqual(fs.readdirSync(dir), ['prose.txt']);
  });

  it('stops when cancelled and leaves no file', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      importSession(
        'log',
        [session('log/05-humanlog-log4j2-json-PARTIAL.log')],
        path.join(dir, 'out.jsonl'),
        {
          signal: controller.signal,
        },
      ),
      { name: 'AbortError' },
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
