// The trace importer on corpus traces: exception chains replayed root cause first (frames left out by
// `... N more` completed), suppressed exceptions after, sanitizer reports with their allocation and free
// stacks first, thread dumps as one event per thread, and times from the log lines that carried traces.

import * as assert from 'node:assert/strict';
import { corpus, importToMemory, messages, scope, tempFile, where } from './helpers';

describe('trace importer', () => {
  it('replays a Java chain root cause first, with the frames "... 13 more" left out', async () => {
    const { header, events } = await importToMemory('trace', [
      corpus('java-exception/01-pulsar-flaky-noclassdef.txt'),
    ]);
    assert.deepEqual(header.clock, { unit: 'seq' });
    assert.deepEqual(
      events.map((e) => [e.t, e.thread, e.kind, e.exception!.type, e.stack.length]),
      [
        [0, 'main', 'exception', 'java.lang.NoClassDefFoundError', 35],
        [1, 'main', 'exception', 'java.util.concurrent.ExecutionException', 15],
      ],
    );
    assert.equal(
      events[0]!.exception!.message,
      'Could not initialize class org.apache.pulsar.common.protocol.Commands',
    );
    assert.equal(
      where(events[0]!),
      'org.apache.pulsar.client.impl.BinaryProtoLookupService.lambda$findBroker$2 BinaryProtoLookupService.java:117',
    );
    // The last 13 frames are the enclosing exception's.
    assert.deepEqual(events[0]!.stack.slice(22), events[1]!.stack.slice(2));
  });

  it('puts suppressed exceptions after the one they were suppressed by, and skips circular references', async () => {
    const { events } = await importToMemory('trace', [
      corpus('java-exception/07-pulsar-suppressed-caused-by-circular-reference.txt'),
    ]);
    assert.deepEqual(
      events.map((e) => [e.exception!.type, e.stack.length]),
      [
        ['org.apache.pulsar.client.admin.PulsarAdminException$ServerSideErrorException', 16],
        ['javax.ws.rs.InternalServerErrorException', 58],
        ['org.apache.pulsar.client.admin.PulsarAdminException$ServerSideErrorException', 59],
      ],
    );
  });

  it('replays a Python chain from the first exception raised to the last', async () => {
    const { events } = await importToMemory('trace', [
      corpus('python/04-django-testrunner-tab-indented-both-chain-markers.txt'),
    ]);
    assert.deepEqual(
      events.map((e) => [e.exception!.type, where(e)]),
      [
        [
          'psycopg2.errors.UndefinedTable',
          '_execute /usr/local/lib/python3.6/site-packages/django/db/backends/utils.py:84',
        ],
        [
          'django.db.utils.ProgrammingError',
          '_execute /usr/local/lib/python3.6/site-packages/django/db/backends/utils.py:84',
        ],
        [
          'psycopg2.errors.InvalidCursorName',
          'execute_sql /usr/local/lib/python3.6/site-packages/django/db/models/sql/compiler.py:1159',
        ],
      ],
    );
  });

  it("puts a sanitizer report's allocation and free stacks before the bad access", async () => {
    const { events } = await importToMemory('trace', [
      corpus('sanitizer/01-asan-heap-use-after-free-linux.txt'),
    ]);
    assert.deepEqual(
      events.map((e) => [e.thread, e.kind, e.state ?? e.exception!.type, e.stack[0]!.function]),
      [
        ['thread T0', 'sample', 'allocation', 'operator new[](unsigned long)'],
        ['thread T0', 'sample', 'free', 'operator delete[](void*)'],
        ['thread T0', 'exception', 'heap-use-after-free', 'main'],
      ],
    );
  });

  it('makes a Go panic an exception on its goroutine', async () => {
    const { events } = await importToMemory('trace', [corpus('go/04-pinpoint-garbled-paste.txt')]);
    assert.equal(events.length, 1);
    assert.deepEqual(
      [events[0]!.thread, events[0]!.exception!.type, where(events[0]!)],
      [
        'goroutine 6372',
        'panic',
        'container/list.(*List).remove /usr/local/go/src/container/list/list.go:109',
      ],
    );
  });

  it('makes a thread dump one event per thread with its state', async () => {
    const { events } = await importToMemory('trace', [
      corpus('java-thread-dump/02-jstack-jdk21-macos-smr.txt'),
    ]);
    assert.equal(events.length, 28);
    assert.deepEqual(
      [events[1]!.thread, events[1]!.kind, events[1]!.state],
      ['Finalizer', 'sample', 'WAITING (on object monitor)'],
    );
    assert.equal(
      scope(events[1]!, 'Locks')['waiting on'],
      '<0x000000034b3000f0> (a java.lang.ref.NativeReferenceQueue$Lock)',
    );
  });

  it('times traces by the log lines that carried them', async () => {
    const { header, events } = await importToMemory('trace', [
      corpus('android-logcat/05-goodtime-grep-filtered-obfuscated-no-line-numbers.txt'),
    ]);
    // 06-18 10:57:34.698, 10:57:55.243, 11:00:23.739 (logcat writes no year).
    assert.deepEqual(header.clock, { unit: 'ms', origin: '1970-06-18T10:57:34.698Z' });
    assert.deepEqual(
      events.map((e) => e.t),
      [0, 20545, 169041],
    );
    assert.deepEqual(scope(events[0]!, 'Thread'), { Process: 'com.apps.adrcotfas.goodtime', PID: '2470' });
  });

  it('warns about a file without traces and reads the others', async () => {
    const prose = tempFile('readme.txt', 'no stack traces here\n');
    const { events, result } = await importToMemory('trace', [
      prose,
      corpus('go/04-pinpoint-garbled-paste.txt'),
    ]);
    assert.equal(events.length, 1);
    assert.deepEqual(messages(result), ['readme.txt: no stack trace found']);
  });
});
