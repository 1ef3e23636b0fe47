// The dumps importer on real dumps: jstack series (dated, reordered by date), UTF-16 jstack, Go pprof and
// SIGQUIT goroutine dumps, gdb thread backtraces, py-spy dumps and dotnet-stack reports; dump boundaries
// inside one file; threads keeping their ids across dumps.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpus, importToMemory, messages, scope, session, tempDir, tempFile, where } from './helpers';

const LOCKDEMO = [1, 2, 3].map((n) => session(`dumps/0${n}-lockdemo-jstack${n}.txt`));

function count<T>(xs: T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

describe('dumps importer', () => {
  describe('a series of jstack dumps of one application (lockdemo)', () => {
    it("makes one event per thread per dump, timed from the dumps' date lines, in date order", async () => {
      // Given out of order: the dates put them right.
      const { header, events, result } = await importToMemory('dumps', [
        LOCKDEMO[2]!,
        LOCKDEMO[0]!,
        LOCKDEMO[1]!,
      ]);
      assert.deepEqual(header.clock, { unit: 'ms', origin: '2021-10-27T11:48:44.000Z' });
      assert.equal(header.program, 'OpenJDK 64-Bit Server VM (25.282-b08 mixed mode)');
      assert.deepEqual((header.source as { files: string[] }).files, LOCKDEMO);
      assert.equal(result.units, 3);
      assert.equal(events.length, 105);
      // 11:48:44, 11:51:53 (+189 s), 11:54:01 (+317 s): 35, 36 and 34 threads.
      assert.deepEqual(
        [...count(events.map((e) => e.t))],
        [
          [0, 35],
          [189000, 36],
          [317000, 34],
        ],
      );
      assert.equal(result.threads, 38);
    });

    it("keeps a thread's id across dumps (by name: the JVM restarted and its #N ids changed)", async () => {
      const { events } = await importToMemory('dumps', LOCKDEMO);
      const exec1 = events.filter((e) => e.thread === 'http-nio-8080-exec-1');
      assert.deepEqual(
        exec1.map((e) => [e.t, e.state, where(e)]),
        [0, 189000, 317000].map((t) => [t, 'WAITING (parking)', 'sun.misc.Unsafe.park null:null']),
      );
      assert.equal(where(exec1[0]!, exec1[0]!.stack.length - 1), 'java.lang.Thread.run Thread.java:748');
      assert.equal(events.filter((e) => e.thread === 'Attach Listener').length, 3);
    });

    it('puts monitor lines in a Locks scope of their frame and the header fields in a Thread scope', async () => {
      const { events } = await importToMemory('dumps', [LOCKDEMO[0]!]);
      const exec1 = events.find((e) => e.thread === 'http-nio-8080-exec-1')!;
      assert.deepEqual(scope(exec1, 'Locks'), {
        'parking to wait for':
          '<0x000000076e309488> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)',
      });
      assert.equal(scope(exec1, 'Thread').nid, '0x680b');
      assert.equal(scope(exec1, 'Thread')['#'], '60');
      const exec4 = events.find((e) => e.thread === 'http-nio-8080-exec-4')!;
      assert.equal(
        where(exec4, 8),
        'sun.security.ssl.SSLSocketImpl$AppInputStream.read SSLSocketImpl.java:815',
      );
      assert.deepEqual(exec4.stack[8]!.scopes, [
        {
          name: 'Locks',
          variables: [
            {
              name: 'locked',
              value: '<0x00000006c1106ed8> (a sun.security.ssl.SSLSocketImpl$AppInputStream)',
              type: 'sun.security.ssl.SSLSocketImpl$AppInputStream',
            },
          ],
        },
      ]);
      // A VM thread without frames keeps its state.
      const vm = events.find((e) => e.thread === 'VM Thread')!;
      assert.deepEqual([vm.stack.length, vm.state, vm.kind], [0, 'runnable', 'sample']);
    });

    it('finds the dump boundaries inside one file (a new Full thread dump under its date line)', async () => {
      const both = tempFile(
        'two-dumps.txt',
        Buffer.concat([fs.readFileSync(LOCKDEMO[0]!), fs.readFileSync(LOCKDEMO[1]!)]),
      );
      const { events, result } = await importToMemory('dumps', [both]);
      assert.equal(result.units, 2);
      assert.deepEqual(
        [...count(events.map((e) => e.t))],
        [
          [0, 35],
          [189000, 36],
        ],
      );
    });
  });

  it('reads a UTF-16LE jstack with BOM and CRLF (as PowerShell writes it)', async () => {
    const { header, events } = await importToMemory('dumps', [
      session('dumps/04-jstackanalyzer-utf16le-bom-crlf.txt'),
    ]);
    assert.deepEqual(header.clock, { unit: 'ms', origin: '2025-09-20T12:04:45.000Z' });
    assert.equal(events.length, 67);
    assert.equal(events[0]!.thread, 'Reference Handler');
    assert.equal(where(events[0]!, 1), 'java.lang.ref.Reference.processPendingReferences Reference.java:246');
    assert.equal(events[0]!.stack[0]!.module, 'java.base');
  });

  it('reads a Go pprof goroutine dump (goroutine 1 is not first) and cuts repeated dumps at a repeated goroutine', async () => {
    const file = session('dumps/05-kvstore-pprof-goroutines.txt');
    const one = await importToMemory('dumps', [file]);
    assert.deepEqual(one.header.clock, { unit: 'seq' });
    assert.equal(one.events.length, 13);
    assert.deepEqual(
      one.events.slice(0, 3).map((e) => [e.thread, e.state]),
      [
        ['goroutine 109', 'running'],
        ['goroutine 1', 'syscall'],
        ['goroutine 18', 'IO wait'],
      ],
    );
    assert.equal(
      where(one.events[1]!, one.events[1]!.stack.length - 1),
      'main.main C:/Users/moham/Desktop/projects/KVStore-raft-consensus/app/node/main.go:64',
    );
    const twice = tempFile('goroutines-twice.txt', fs.readFileSync(file, 'utf8').repeat(2));
    const two = await importToMemory('dumps', [twice]);
    assert.equal(two.result.units, 2);
    assert.deepEqual(
      [...count(two.events.map((e) => e.t))],
      [
        [0, 13],
        [1, 13],
      ],
    );
    assert.equal(two.result.threads, 13, 'the same goroutines in both dumps');
  });

  it('reads the goroutines of Go crash dumps in the corpus, the crashing one as an exception', async () => {
    const { events } = await importToMemory('dumps', [corpus('go/07-dockerize-goroutine-dump-go13.txt')]);
    assert.deepEqual(
      events.map((e) => [e.thread, e.kind, e.state, e.exception?.type]),
      [
        ['goroutine 16', 'exception', 'semacquire', 'fatal error'],
        ['goroutine 19', 'sample', 'finalizer wait', undefined],
      ],
    );
    assert.equal(
      where(events[0]!, 2),
      'main.main /home/jwilder/go/src/github.com/jwilder/dockerize/dockerize.go:93',
    );
    const sigquit = await importToMemory('dumps', [corpus('go/09-ginkgo-interleaved-sigquit-PARTIAL.txt')]);
    assert.deepEqual(
      sigquit.events.map((e) => e.thread),
      ['goroutine 0', 'goroutine 6'],
    );
  });

  it('reads gdb thread apply all bt, a new dump at each thread apply all', async () => {
    const file = corpus('gdb/05-owncloud-thread-apply-all-bt-hard-wrapped-PARTIAL.txt');
    const { events } = await importToMemory('dumps', [file]);
    assert.deepEqual(
      events.map((e) => e.thread),
      ['thread 13608', 'thread 13607', 'thread 13606'],
    );
    assert.equal(
      where(events[0]!),
      'pthread_cond_timedwait@@GLIBC_2.3.2 ../nptl/sysdeps/unix/sysv/linux/x86_64/pthread_cond_timedwait.S:238',
    );
    const text = fs.readFileSync(file, 'utf8');
    const twice = tempFile(
      'gdb-twice.txt',
      `(gdb) thread apply all bt\n${text}\n(gdb) thread apply all bt\n${text}`,
    );
    const two = await importToMemory('dumps', [twice]);
    assert.deepEqual(
      two.events.map((e) => `${e.t} ${e.thread}`),
      [
        '0 thread 13608',
        '0 thread 13607',
        '0 thread 13606',
        '1 thread 13608',
        '1 thread 13607',
        '1 thread 13606',
      ],
    );
  });

  it('reads a py-spy dump: threads by name, frames with file and line, the command as the program', async () => {
    const { header, events } = await importToMemory('dumps', [
      session('dumps/06-calendarbot-py-spy-dump.txt'),
    ]);
    assert.match(
      header.program!,
      /^\/home\/bencan\/projects\/calendarBot\/venv\/bin\/python3 .*calendarbot --web/,
    );
    assert.deepEqual(
      events.map((e) => [e.thread, e.state, e.stack.length]),
      [
        ['MainThread', 'idle', 17],
        ['PerfLoggerFlusher', 'idle', 5],
        ['asyncio_0', 'idle', 4],
        ['Thread-3 (_serve_with_cleanup)', 'idle', 6],
        ['WebBackgroundLoop', 'idle', 7],
      ],
    );
    assert.equal(where(events[0]!), '_flush_buffer calendarbot/monitoring/performance.py:519');
    assert.equal(where(events[0]!, 16), '<module> calendarbot:8');
    assert.deepEqual(scope(events[0]!, 'Thread'), { name: 'MainThread', id: '712529', status: 'idle' });
  });

  it('cuts py-spy dumps at each Process header, and reads --locals into Arguments and Locals scopes', async () => {
    // py-spy's own layout for --locals (src/dump.rs): the second dump repeats the first thread.
    const dump = (local: string) =>
      [
        'Process 4242: python app.py',
        'Python v3.11.4 (/usr/bin/python3.11)',
        '',
        'Thread 4242 (active+gil): "MainThread"',
        '    compute (app.py:12)',
        '        Arguments:',
        '            n: 10',
        '        Locals:',
        `            total: ${local}`,
        '            i: 3',
        '    <module> (app.py:20)',
        '',
      ].join('\n');
    const file = tempFile('py-spy-locals.txt', dump('45') + dump('55'));
    const { events, result } = await importToMemory('dumps', [file]);
    assert.equal(result.units, 2);
    assert.deepEqual(
      events.map((e) => [e.t, e.thread, e.state, where(e), where(e, 1)]),
      [
        [0, 'MainThread', 'active+gil', 'compute app.py:12', '<module> app.py:20'],
        [1, 'MainThread', 'active+gil', 'compute app.py:12', '<module> app.py:20'],
      ],
    );
    assert.deepEqual(scope(events[1]!, 'Arguments'), { n: '10' });
    assert.deepEqual(scope(events[1]!, 'Locals'), { total: '55', i: '3' });
  });

  it('reads dotnet-stack reports: module and method of each frame, the native transition', async () => {
    const { events } = await importToMemory('dumps', [
      session('dumps/07-dotnet-docs-threadpool-dotnet-stack.txt'),
    ]);
    assert.equal(events.length, 1);
    const e = events[0]!;
    assert.equal(e.thread, '0x25968');
    assert.equal(e.stack.length, 44);
    assert.deepEqual(e.stack[0], {
      function: '[Native Frames]',
      file: null,
      line: null,
      scopes: [{ name: 'Thread', variables: [{ name: 'id', value: '0x25968' }] }],
    });
    assert.deepEqual(e.stack[5], {
      function: 'testwebapi.Controllers.DiagScenarioController.TaskWait',
      file: null,
      line: null,
      module: 'DiagnosticScenarios',
    });
    assert.equal(e.stack[43]!.function, 'System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart');
    const indented = await importToMemory('dumps', [
      session('dumps/08-dotnet-docs-dotnet-stack-example.txt'),
    ]);
    assert.deepEqual(
      indented.events[0]!.stack.map((f) => `${f.module}!${f.function}`),
      [
        'undefined![Native Frames]',
        'System.Console!System.IO.StdInReader.ReadKey',
        'System.Console!System.IO.SyncTextReader.ReadKey',
        'System.Console!System.ConsolePal.ReadKey',
        'System.Console!System.Console.ReadKey',
        'StackTracee!Tracee.Program.Main',
      ],
    );
  });

  it("orders undated dumps by the files' modification times", async () => {
    const dir = tempDir();
    const older = path.join(dir, 'b-older.txt');
    const newer = path.join(dir, 'a-newer.txt');
    fs.copyFileSync(session('dumps/06-calendarbot-py-spy-dump.txt'), older);
    fs.copyFileSync(corpus('go/07-dockerize-goroutine-dump-go13.txt'), newer);
    fs.utimesSync(older, new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'));
    fs.utimesSync(newer, new Date('2024-01-02T00:00:00Z'), new Date('2024-01-02T00:00:00Z'));
    const { header, events } = await importToMemory('dumps', [newer, older]);
    assert.deepEqual((header.source as { files: string[] }).files, [older, newer]);
    assert.deepEqual(
      [events[0]!.thread, events[0]!.t, events[5]!.thread, events[5]!.t],
      ['MainThread', 0, 'goroutine 16', 1],
    );
  });

  it('keeps only the threads of a deadlock report and says so', async () => {
    const { events, result } = await importToMemory('dumps', [
      corpus('java-thread-dump/01-jstack-deadlock-padded.txt'),
    ]);
    assert.equal(events.length, 22);
    assert.deepEqual(messages(result), [
      '01-jstack-deadlock-padded.txt:84: Found one Java-level deadlock: "Thread-1", "Thread-0": kept only as the threads\' own stacks',
    ]);
  });

  it('warns about a file without a dump and imports the rest', async () => {
    const prose = tempFile('notes.txt', 'nothing to see here\njust words\n');
    const { events, result } = await importToMemory('dumps', [
      session('dumps/08-dotnet-docs-dotnet-stack-example.txt'),
      prose,
    ]);
    assert.equal(events.length, 1);
    assert.ok(messages(result).includes('notes.txt: no thread dump found'));
  });
});
