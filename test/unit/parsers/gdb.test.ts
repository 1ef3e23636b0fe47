// gdb and systemd-coredump variants the corpus does not cover, and the document-level cases: mixed logs,
// CRLF, cut input, re-indented pastes, formats that look alike but are not gdb's.

import * as assert from 'node:assert/strict';
import { parseText, type Frame, type Trace } from '../../../src/core/trace';
import { lines } from './helpers';

function only(traces: Trace[], format: Trace['format']): Trace[] {
  return traces.filter((t) => t.format === format);
}

function pick(f: Frame | undefined): Partial<Frame> {
  assert.ok(f, 'frame exists');
  const out: Partial<Frame> = {};
  for (const k of ['function', 'file', 'line', 'module', 'address', 'args', 'notes', 'source'] as const) {
    if (f[k] !== null && f[k] !== undefined) (out as Record<string, unknown>)[k] = f[k];
  }
  return out;
}

const CRASH = [
  '2024-03-01 12:00:00 INFO worker started',
  'Thread 3 "worker" received signal SIGSEGV, Segmentation fault.',
  '[Switching to Thread 0x7ffff6fff640 (LWP 4242)]',
  '0x0000555555555189 in crash (p=0x0) at crash.c:5',
  '5\t  *p = 1;',
  '(gdb) bt',
  '#0  0x0000555555555189 in crash (p=0x0) at crash.c:5',
  '#1  0x00005555555551c2 in std::operator<< <char, std::char_traits<char> > (__out=..., __s=0x5555 "a (b") at /usr/include/c++/12/ostream:611',
  '#2  0x00005555555551d0 in main::{lambda()#1}::operator()() const (__closure=0x7ffe) at main.cpp:9',
  '#3  0x00005555555551e0 in Foo::operator[] (this=0x7ffe, i=3) at foo.cpp:20',
  '#4  <signal handler called>',
  '#5  0x00007ffff7829d90 in __libc_start_call_main (main=main@entry=0x555555555169 <main>, argc=argc@entry=1) at ../sysdeps/nptl/libc_start_call_main.h:58',
  '#6  0x00007ffff7829e40 in __libc_start_main_impl () from /lib/x86_64-linux-gnu/libc.so.6',
  '#7  0x0000555555555085 in ?? ()',
  'Backtrace stopped: previous frame inner to this frame (corrupt stack?)',
  '(gdb) info registers',
  'rax            0x0                 0',
  '2024-03-01 12:00:01 ERROR request failed',
  'java.lang.IllegalStateException: boom',
  '\tat com.acme.Foo.bar(Foo.java:12)',
  '\tat com.acme.Main.main(Main.java:5)',
];

describe('gdb parser', () => {
  it('a crash in a mixed log: signal line, stop location, `bt`, C++ operator names, then a Java trace', () => {
    const traces = parseText(lines(...CRASH));
    assert.deepEqual(
      traces.map((t) => [t.format, t.kind, t.span.start, t.span.end]),
      [
        ['gdb', 'crash', 2, 15],
        ['java', 'exception', 19, 21],
      ],
    );
    const t = traces[0]!;
    assert.equal(t.title, 'Thread 3 "worker" received signal SIGSEGV, Segmentation fault.');
    assert.equal(t.type, 'SIGSEGV');
    assert.equal(t.message, 'Segmentation fault');
    // The gdb thread number names the thread in the signal line; `[Switching to … (LWP 4242)]` gives the id.
    assert.deepEqual(t.thread, { name: 'worker', id: '4242', state: null });
    assert.equal(t.frames.length, 8);
    assert.deepEqual(pick(t.frames[0]), {
      function: 'crash',
      file: 'crash.c',
      line: 5,
      address: '0x0000555555555189',
      args: 'p=0x0',
    });
    assert.deepEqual(pick(t.frames[1]), {
      function: 'std::operator<< <char, std::char_traits<char> >',
      file: '/usr/include/c++/12/ostream',
      line: 611,
      address: '0x00005555555551c2',
      args: '__out=..., __s=0x5555 "a (b"',
    });
    assert.equal(t.frames[2]!.function, 'main::{lambda()#1}::operator()() const');
    assert.equal(t.frames[2]!.args, '__closure=0x7ffe');
    assert.equal(t.frames[3]!.function, 'Foo::operator[]');
    assert.deepEqual(pick(t.frames[4]), { notes: ['signal handler called'] });
    assert.equal(t.frames[5]!.args, 'main=main@entry=0x555555555169 <main>, argc=argc@entry=1');
    assert.deepEqual(pick(t.frames[6]), {
      function: '__libc_start_main_impl',
      module: '/lib/x86_64-linux-gnu/libc.so.6',
      address: '0x00007ffff7829e40',
      args: '',
    });
    assert.deepEqual(pick(t.frames[7]), {
      address: '0x0000555555555085',
      args: '',
      notes: ['Backtrace stopped: previous frame inner to this frame (corrupt stack?)'],
    });
  });

  it('thread apply all bt full: locals go to their frame, LWP ids, thread names, other header shapes', () => {
    const traces = parseText(
      lines(
        '(gdb) thread apply all bt full',
        '',
        'Thread 2 (Thread 0x7ffff7d8a640 (LWP 1235) "io-worker"):',
        '#0  0x00007ffff7e9e7ed in __GI___poll (fds=0x7ffff0000b60, nfds=1, timeout=-1) at ../sysdeps/unix/sysv/linux/poll.c:29',
        '        resultvar = 18446744073709551100',
        '        sc_ret = <optimized out>',
        '#1  0x00005555555552a0 in io_loop (arg=0x0) at io.c:41',
        '        buf = "abc\\000\\000"',
        '        n = 0',
        '#2  0x00007ffff7ead850 in clone3 () at ../sysdeps/unix/sysv/linux/x86_64/clone3.S:81',
        'No locals.',
        '',
        'Thread 1 (LWP 1234):',
        '#0  main () at main.c:12',
        '        t = 140737351558720',
        '',
        'Thread 3 (process 999):',
        '#0  0x00007f0000001000 in ?? ()',
        'No symbol table info available.',
        '(gdb) quit',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.format, t.kind, t.title, t.span.start, t.span.end, t.frames.length]),
      [
        ['gdb', 'thread', 'Thread 2 (Thread 0x7ffff7d8a640 (LWP 1235) "io-worker")', 3, 11, 3],
        ['gdb', 'thread', 'Thread 1 (LWP 1234)', 13, 15, 1],
        ['gdb', 'thread', 'Thread 3 (process 999)', 17, 19, 1],
      ],
    );
    assert.deepEqual(traces[0]!.thread, { name: 'io-worker', id: '1235', state: null });
    assert.deepEqual(traces[0]!.frames[0]!.notes, [
      'resultvar = 18446744073709551100',
      'sc_ret = <optimized out>',
    ]);
    assert.deepEqual(traces[0]!.frames[1]!.notes, ['buf = "abc\\000\\000"', 'n = 0']);
    assert.deepEqual(traces[0]!.frames[2]!.notes, ['No locals.']);
    assert.deepEqual(traces[1]!.thread, { name: null, id: '1234', state: null });
    // Frame 0 without an address is where the thread stopped, not an inlined frame.
    assert.deepEqual(pick(traces[1]!.frames[0]), {
      function: 'main',
      file: 'main.c',
      line: 12,
      args: '',
      notes: ['t = 140737351558720'],
    });
    // No LWP in the header: gdb's own thread number.
    assert.deepEqual(traces[2]!.thread, { name: null, id: '3', state: null });
    assert.equal(traces[2]!.frames[0]!.function, null);
  });

  it('a bare backtrace without a signal is a crash titled by its first frame', () => {
    const [t, ...rest] = parseText(
      lines(
        '(gdb) bt',
        '#0  0x00007ffff7e9e7ed in poll () from /lib64/libc.so.6',
        '#1  0x0000555555555400 in main.(*Server).Run (s=0xc000010000) at /src/server/main.go:42',
        '#2  0x0000555555555500 in runtime.main () at /usr/lib/go/src/runtime/proc.go:250',
      ),
    );
    assert.equal(rest.length, 0);
    assert.equal(t!.kind, 'crash');
    assert.equal(t!.title, '#0  0x00007ffff7e9e7ed in poll () from /lib64/libc.so.6');
    assert.equal(t!.type, null);
    assert.equal(t!.thread, undefined);
    assert.deepEqual([t!.span.start, t!.span.end], [2, 4]);
    assert.equal(t!.frames[1]!.function, 'main.(*Server).Run');
    assert.equal(t!.frames[1]!.file, '/src/server/main.go');
  });

  it('a signal the program was continued past does not title a later bt; `frame 1` re-prints are absorbed', () => {
    const traces = parseText(
      lines(
        'Program received signal SIGINT, Interrupt.',
        '0x00007ffff7e9e7ed in poll () from /lib64/libc.so.6',
        '(gdb) c',
        'Continuing.',
        '^C',
        '(gdb) bt',
        '#0  0x00007ffff7e9e7ed in poll () from /lib64/libc.so.6',
        '#1  0x0000555555555300 in wait_for (fds=0x7fffffffd000, n=2,',
        '    timeout=1000, name=0x555555556004 "socket (main)") at wait.c:77',
        '#2  0x0000555555555400 in main () at main.c:30',
        '(gdb) frame 1',
        '#1  0x0000555555555300 in wait_for (fds=0x7fffffffd000, n=2, timeout=1000, name=0x555555556004 "socket (main)") at wait.c:77',
        '77\t    rc = poll(fds, n, timeout);',
        '(gdb) info locals',
        'rc = 0',
      ),
    );
    assert.equal(traces.length, 1);
    const t = traces[0]!;
    assert.equal(t.type, null);
    assert.deepEqual([t.span.start, t.span.end], [7, 13]);
    assert.equal(t.frames.length, 3);
    // gdb wrapped the long argument list itself; the frame is rejoined and keeps its first line.
    assert.deepEqual(pick(t.frames[1]), {
      function: 'wait_for',
      file: 'wait.c',
      line: 77,
      address: '0x0000555555555300',
      args: 'fds=0x7fffffffd000, n=2, timeout=1000, name=0x555555556004 "socket (main)"',
      source: 'rc = poll(fds, n, timeout);',
    });
    assert.equal(t.frames[1]!.docLine, 8);
  });

  it('Windows paths (MinGW gdb) keep their drive letter', () => {
    const [t] = parseText(
      lines(
        'Program received signal SIGSEGV, Segmentation fault.',
        '#0  0x00401234 in foo (x=1) at C:\\src\\app\\foo.c:12',
        '#1  0x00401300 in main () at C:\\src\\app\\main.c:7',
      ),
    );
    assert.deepEqual(pick(t!.frames[0]), {
      function: 'foo',
      file: 'C:\\src\\app\\foo.c',
      line: 12,
      address: '0x00401234',
      args: 'x=1',
    });
  });

  it('systemd-coredump in the journal: syslog prefix, one trace per thread, ELF line ends the dump', () => {
    const pad = ' '.repeat(45);
    const traces = parseText(
      lines(
        'Nov 26 02:37:22 host systemd-coredump[5678]: Process 5670 (myapp) of user 1000 dumped core.',
        pad,
        `${pad}Stack trace of thread 5670:`,
        `${pad}#0  0x00007f3645c8e83c __pthread_kill_implementation (libc.so.6 + 0x8e83c)`,
        `${pad}#1  0x00007f3645c3e668 raise (libc.so.6 + 0x3e668)`,
        `${pad}#2  0x000055d1c0a01234 main (myapp + 0x1234)`,
        pad,
        `${pad}Stack trace of thread 5671:`,
        `${pad}#0  0x00007f3645c8a15a n/a (libc.so.6 + 0x8a15a)`,
        `${pad}#1  0x00007f3645c8d5c2 start_thread (libc.so.6 + 0x8d5c2)`,
        `${pad}ELF object binary architecture: AMD x86-64`,
        'Nov 26 02:37:23 host systemd[1]: myapp.service: Main process exited, code=dumped, status=6/ABRT',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.format, t.kind, t.title, t.thread?.id, t.span.start, t.span.end, t.frames.length]),
      [
        ['coredump', 'thread', 'Stack trace of thread 5670', '5670', 3, 6, 3],
        ['coredump', 'thread', 'Stack trace of thread 5671', '5671', 8, 10, 2],
      ],
    );
    assert.deepEqual(pick(traces[0]!.frames[2]), {
      function: 'main',
      module: 'myapp',
      address: '0x000055d1c0a01234',
    });
    assert.equal(traces[0]!.frames[2]!.offset, '+ 0x1234');
    assert.equal(traces[1]!.frames[0]!.function, null);
  });

  it('does not claim PHP, Dart, Android tombstone, sanitizer frames or prose that start with #N', () => {
    const traces = parseText(
      lines(
        'PHP Fatal error:  Uncaught Exception: boom in /var/www/html/index.php:3',
        'Stack trace:',
        "#0 /var/www/html/index.php(7): foo('a (b)')",
        '#1 {main}',
        '  thrown in /var/www/html/index.php on line 3',
        '',
        '#0      main (file:///home/u/app/bin/main.dart:5:3)',
        '#1      _delayEntrypointInvocation.<anonymous closure> (dart:isolate-patch/isolate_patch.dart:297:19)',
        '',
        '    #00 pc 00000000000588e0  /system/lib64/libc.so (tgkill+8)',
        '    #01 pc 00000000000198c0  /system/lib64/libc.so (pthread_kill+160)',
        '',
        '    #0 0x7f8e3c4b2f7f in __interceptor_free (/usr/lib/x86_64-linux-gnu/libasan.so.6+0xb4f7f)',
        '    #1 0x55d0e1e0a1b9 in main /home/u/uaf.c:7',
        '    #0 foo /home/u/race.c:12 (race+0x4a3b2c)',
        '',
        '#1 we fixed it (see PR)',
        '#123 closed',
      ),
    );
    assert.deepEqual(only(traces, 'gdb'), []);
    assert.deepEqual(only(traces, 'coredump'), []);
  });

  it('CRLF input parses like LF input', () => {
    const lf = parseText(lines(...CRASH));
    const crlf = parseText(CRASH.join('\r\n') + '\r\n');
    assert.deepEqual(crlf, lf);
  });

  it('input cut mid-frame keeps the frame with what is there', () => {
    const head = [
      'Program terminated with signal SIGABRT, Aborted.',
      '#0  __pthread_kill_implementation (no_tid=0, signo=6, threadid=140737351481152) at ./nptl/pthread_kill.c:44',
      '#1  0x00007ffff7c42476 in __GI_raise (sig=sig@entry=6) at ../sysdeps/posix/raise.c:26',
    ];
    const [inName] = parseText(lines(...head, '#2  0x00007ffff7c287f3 in __GI_ab'));
    assert.equal(inName!.frames.length, 3);
    assert.deepEqual(pick(inName!.frames[2]), {
      function: '__GI_ab',
      address: '0x00007ffff7c287f3',
      notes: ['truncated'],
    });
    const [inArgs] = parseText(
      lines(...head, '#2  0x00007ffff7c287f3 in __GI_abort (msg=0x7ffff7dbb0d0 "assert'),
    );
    assert.deepEqual(pick(inArgs!.frames[2]), {
      function: '__GI_abort',
      address: '0x00007ffff7c287f3',
      args: 'msg=0x7ffff7dbb0d0 "assert',
      notes: ['truncated'],
    });
    const [inHeader] = parseText(lines(...head, 'Thread 2 (Thread 0x7f'));
    assert.equal(inHeader!.frames.length, 2);
    assert.deepEqual([inHeader!.span.start, inHeader!.span.end], [1, 3]);
  });

  it('re-indented pastes (tabs, quote blocks) keep frames and bt full locals together', () => {
    const traces = parseText(
      lines(
        '> Thread 1 (Thread 0x7ffff7d8b740 (LWP 777)):',
        '> \t#0  0x0000555555555189 in crash (p=0x0) at crash.c:5',
        '> \t        x = 1',
        '> \t#1  0x00005555555551c2 in main () at crash.c:12',
        '> \tNo locals.',
      ),
    );
    assert.equal(traces.length, 1);
    const t = traces[0]!;
    assert.equal(t.kind, 'thread');
    assert.equal(t.thread?.id, '777');
    assert.deepEqual([t.span.start, t.span.end], [1, 5]);
    assert.deepEqual(t.frames[0]!.notes, ['x = 1']);
    assert.deepEqual(t.frames[1]!.notes, ['No locals.']);
  });

  it('a backtrace JSON-escaped into one log line', () => {
    const bt =
      'Program received signal SIGSEGV, Segmentation fault.\\n' +
      '#0  0x0000555555555189 in crash (p=0x0) at crash.c:5\\n' +
      '#1  0x00005555555551c2 in main () at crash.c:12';
    const [t] = parseText(`{"level":"error","gdb":"${bt}"}`);
    assert.equal(t!.format, 'gdb');
    assert.equal(t!.type, 'SIGSEGV');
    assert.deepEqual(
      t!.frames.map((f) => [f.function, f.file, f.line, f.docLine]),
      [
        ['crash', 'crash.c', 5, 1],
        ['main', 'crash.c', 12, 1],
      ],
    );
  });
});
