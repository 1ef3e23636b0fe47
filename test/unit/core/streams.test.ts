// Two writers' lines interleaved in one log (logcat from two processes, syslog from two daemons): each
// trace is read from its own writer's lines.

import * as assert from 'node:assert/strict';
import { parseText } from '../../../src/core/trace';
import { streamKey } from '../../../src/core/trace/normalize';

function interleave(a: string[], b: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== undefined) out.push(a[i]!);
    if (b[i] !== undefined) out.push(b[i]!);
  }
  return out;
}

const app = (pid: number, tid: number, lines: string[]): string[] =>
  lines.map((l, i) => `06-09 12:00:0${Math.min(9, i)}.123  ${pid}  ${tid} E AndroidRuntime: ${l}`);

describe('interleaved writers', () => {
  it('finds the writer in logcat threadtime, brief, Android Studio and syslog prefixes', () => {
    assert.equal(streamKey('06-09 12:00:00.123  1234  5678 E AndroidRuntime: x'), '1234/5678');
    assert.equal(streamKey('2023-01-05 12:00:00.123 1234-5678/com.app E/AndroidRuntime: x'), '1234/5678');
    assert.equal(streamKey('E/AndroidRuntime( 1234): x'), '1234');
    assert.equal(streamKey('06-09 12:00:00.123 E/AndroidRuntime( 1234): x'), '1234');
    assert.equal(streamKey('Nov 26 03:14:15 host orders[4711]: x'), 'orders[4711]');
    assert.equal(streamKey('2026-11-26 03:14:15.123 INFO [main] x'), null);
    assert.equal(streamKey('\tat a.B.c(B.java:1)'), null);
  });

  it('two processes crashing at once in logcat give two whole traces', () => {
    const a = app(1234, 1234, [
      'FATAL EXCEPTION: main',
      'Process: com.acme.orders, PID: 1234',
      'java.lang.IllegalStateException: no order',
      '\tat com.acme.orders.OrderActivity.onCreate(OrderActivity.java:42)',
      '\tat android.app.Activity.performCreate(Activity.java:8000)',
      '\tat android.app.ActivityThread.main(ActivityThread.java:7000)',
    ]);
    const b = app(2345, 2360, [
      'FATAL EXCEPTION: worker-1',
      'Process: com.acme.sync, PID: 2345',
      'java.lang.NullPointerException: token',
      '\tat com.acme.sync.SyncJob.run(SyncJob.java:17)',
      '\tat java.lang.Thread.run(Thread.java:1012)',
    ]);
    const traces = parseText(interleave(a, b).join('\n') + '\n');
    const byType = new Map(traces.map((t) => [t.type, t]));
    const x = byType.get('java.lang.IllegalStateException');
    const y = byType.get('java.lang.NullPointerException');
    assert.ok(x && y, traces.map((t) => t.title).join(' | '));
    assert.deepEqual(
      x.frames.map((f) => f.function),
      [
        'com.acme.orders.OrderActivity.onCreate',
        'android.app.Activity.performCreate',
        'android.app.ActivityThread.main',
      ],
    );
    assert.deepEqual(
      y.frames.map((f) => f.function),
      ['com.acme.sync.SyncJob.run', 'java.lang.Thread.run'],
    );
    assert.deepEqual(
      x.frames.map((f) => f.docLine),
      [7, 9, 11],
    );
    assert.deepEqual(
      y.frames.map((f) => f.docLine),
      [8, 10],
    );
  });

  it('ordinary lines of another process in the middle of a trace do not cut it', () => {
    const a = app(1234, 1234, [
      'java.lang.IllegalStateException: no order',
      '\tat com.acme.orders.A.a(A.java:1)',
      '\tat com.acme.orders.B.b(B.java:2)',
      '\tat com.acme.orders.C.c(C.java:3)',
    ]);
    const noise = ['06-09 12:00:00.200   999   999 I ActivityManager: Start proc 4242:com.other/u0a1'];
    const lines = [a[0]!, a[1]!, noise[0]!, a[2]!, noise[0]!, a[3]!];
    const traces = parseText(lines.join('\n'));
    assert.equal(traces.length, 1);
    assert.equal(traces[0]!.frames.length, 3);
  });

  it('syslog: two daemons', () => {
    const a = [
      'Traceback (most recent call last):',
      '  File "/srv/a.py", line 3, in main',
      '    run()',
      'KeyError: 1',
    ].map((l) => `Nov 26 03:14:15 host api[100]: ${l}`);
    const b = [
      'Traceback (most recent call last):',
      '  File "/srv/b.py", line 9, in loop',
      '    step()',
      'ValueError: 2',
    ].map((l) => `Nov 26 03:14:15 host worker[200]: ${l}`);
    const traces = parseText(interleave(a, b).join('\n'));
    assert.deepEqual(traces.map((t) => [t.type, t.frames[0]?.file]).sort(), [
      ['KeyError', '/srv/a.py'],
      ['ValueError', '/srv/b.py'],
    ]);
  });
});
