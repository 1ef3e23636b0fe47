// lldb variants the corpus does not cover, and the document-level cases: mixed logs, CRLF, cut input,
// re-indented pastes, lines that mention threads without being a backtrace.

import * as assert from 'node:assert/strict';
import { parseText, type Frame, type Trace } from '../../../src/core/trace';
import { lines } from './helpers';

function pick(f: Frame | undefined): Partial<Frame> {
  assert.ok(f, 'frame exists');
  const out: Partial<Frame> = {};
  for (const k of [
    'function',
    'file',
    'line',
    'column',
    'module',
    'offset',
    'args',
    'notes',
    'source',
  ] as const) {
    if (f[k] !== null && f[k] !== undefined) (out as Record<string, unknown>)[k] = f[k];
  }
  return out;
}

function summary(traces: Trace[]): unknown[] {
  return traces.map((t) => [t.format, t.kind, t.title, t.span.start, t.span.end, t.frames.length]);
}

const SESSION = [
  '(lldb) run',
  "Process 4242 launched: '/Users/me/a.out' (x86_64)",
  'Process 4242 stopped',
  "* thread #1, queue = 'com.apple.main-thread', stop reason = EXC_BAD_ACCESS (code=1, address=0x0)",
  '    frame #0: 0x0000000100003f4c a.out`main at main.c:5:3',
  '   2   \tint main(void) {',
  '   3   \t  int *p = 0;',
  '   4   \t',
  '-> 5   \t  *p = 1;',
  '   \t     ^',
  '   6   \t  return 0;',
  'Target 0: (a.out) stopped.',
  '(lldb) bt all',
  "* thread #1, queue = 'com.apple.main-thread', stop reason = EXC_BAD_ACCESS (code=1, address=0x0)",
  '  * frame #0: 0x0000000100003f4c a.out`main at main.c:5:3',
  '    frame #1: 0x00007fff2033bf3d libdyld.dylib`start + 1',
  "  thread #2, name = 'com.apple.worker'",
  '    frame #0: 0x00007fff203a0ba2 libsystem_kernel.dylib`__workq_kernreturn + 10',
  '    frame #1: 0x0000000100004010 a.out`worker(arg=0x0000000000000000) at worker.c:12:5 [opt]',
  '    frame #2: 0x0000000100004050 a.out`run_all [inlined] step(n=3) at worker.c:30:7',
  '    frame #3: 0x00007fff203d38fc libsystem_pthread.dylib`_pthread_start + 224',
  '    frame #4: 0x00007fff203cf443 libsystem_pthread.dylib',
  '(lldb) quit',
];

describe('lldb parser', () => {
  it('a run session: the stop report and `bt all` are one crash, the other thread a thread', () => {
    const traces = parseText(lines(...SESSION));
    assert.deepEqual(summary(traces), [
      ['lldb', 'crash', 'EXC_BAD_ACCESS (code=1, address=0x0)', 4, 16, 2],
      ['lldb', 'thread', "thread #2, name = 'com.apple.worker'", 17, 22, 5],
    ]);
    const [crash, worker] = traces as [Trace, Trace];
    assert.equal(crash.type, 'EXC_BAD_ACCESS');
    assert.equal(crash.message, 'code=1, address=0x0');
    assert.deepEqual(crash.thread, { name: null, id: '1', state: null });
    // Frame #0 is the one `bt` printed; the `->` line of the stop report's listing is its source.
    assert.deepEqual(pick(crash.frames[0]), {
      function: 'main',
      file: 'main.c',
      line: 5,
      column: 3,
      module: 'a.out',
      source: '*p = 1;',
    });
    assert.equal(crash.frames[0]!.docLine, 15);
    assert.deepEqual(pick(crash.frames[1]), { function: 'start', module: 'libdyld.dylib', offset: '+ 1' });
    assert.deepEqual(worker.thread, { name: 'com.apple.worker', id: '2', state: null });
    assert.deepEqual(pick(worker.frames[1]), {
      function: 'worker',
      file: 'worker.c',
      line: 12,
      column: 5,
      module: 'a.out',
      args: 'arg=0x0000000000000000',
      notes: ['optimized'],
    });
    assert.deepEqual(pick(worker.frames[2]), {
      function: 'step',
      file: 'worker.c',
      line: 30,
      column: 7,
      module: 'a.out',
      args: 'n=3',
      notes: ['inlined', 'inlined into run_all'],
    });
    // A module and nothing else: no symbol.
    assert.deepEqual(pick(worker.frames[4]), { module: 'libsystem_pthread.dylib' });
    assert.equal(worker.frames[4]!.address, '0x00007fff203cf443');
  });

  it('Linux lldb: `signal SIGSEGV: …` stop reason, named thread', () => {
    const [t, ...rest] = parseText(
      lines(
        "* thread #1, name = 'crasher', stop reason = signal SIGSEGV: invalid address (fault address: 0x0)",
        '  * frame #0: 0x0000555555555131 crasher`crash(p=0x0000000000000000) at crash.c:3:6',
        '    frame #1: 0x0000555555555150 crasher`main at crash.c:8:3',
        '    frame #2: 0x00007ffff7dd2d90 libc.so.6`__libc_start_call_main + 128',
      ),
    );
    assert.equal(rest.length, 0);
    assert.equal(t!.title, 'signal SIGSEGV: invalid address (fault address: 0x0)');
    assert.equal(t!.type, 'SIGSEGV');
    assert.equal(t!.message, 'invalid address (fault address: 0x0)');
    assert.deepEqual(t!.thread, { name: 'crasher', id: '1', state: null });
    assert.deepEqual(pick(t!.frames[0]), {
      function: 'crash',
      file: 'crash.c',
      line: 3,
      column: 6,
      module: 'crasher',
      args: 'p=0x0000000000000000',
    });
  });

  it('old layout with pc and symbol in the thread line; breakpoint stop reasons; Swift symbols', () => {
    const traces = parseText(
      lines(
        "* thread #1: tid = 0x1c03, 0x00007fff8c5f4866 libsystem_kernel.dylib`__pthread_kill + 10, queue = 'com.apple.main-thread', stop reason = signal SIGABRT",
        '  * frame #0: 0x00007fff8c5f4866 libsystem_kernel.dylib`__pthread_kill + 10',
        '    frame #1: 0x00007fff8e35e35c libsystem_pthread.dylib`pthread_kill + 92',
        '',
        '* thread #3, stop reason = breakpoint 1.1',
        '  * frame #0: 0x00000001000a1b2c App`App.ViewController.viewDidLoad() -> () at ViewController.swift:17:9',
        '    frame #1: 0x00007fff4d3e1234 libswiftCore.dylib`$ss17_assertionFailure_4file4line5flagss5NeverOs12StaticStringV_A2HSus6UInt32VtF + 1108',
      ),
    );
    assert.deepEqual(summary(traces), [
      ['lldb', 'crash', 'signal SIGABRT', 1, 3, 2],
      ['lldb', 'crash', 'breakpoint 1.1', 5, 7, 2],
    ]);
    assert.equal(traces[0]!.type, 'SIGABRT');
    assert.equal(traces[0]!.message, null);
    assert.equal(traces[1]!.type, 'breakpoint 1.1');
    assert.deepEqual(pick(traces[1]!.frames[0]), {
      function: 'App.ViewController.viewDidLoad() -> ()',
      file: 'ViewController.swift',
      line: 17,
      column: 9,
      module: 'App',
    });
    assert.deepEqual(pick(traces[1]!.frames[1]), {
      function: '$ss17_assertionFailure_4file4line5flagss5NeverOs12StaticStringV_A2HSus6UInt32VtF',
      module: 'libswiftCore.dylib',
      offset: '+ 1108',
    });
  });

  it('a backtrace in a mixed log, next to a Java trace', () => {
    const traces = parseText(
      lines(
        '2024-03-01 12:00:00 INFO helper started (thread #1 of 4)',
        "* thread #1, queue = 'com.apple.main-thread', stop reason = EXC_BAD_ACCESS (code=2, address=0x16f603ff8)",
        '  * frame #0: 0x0000000100003e80 helper`recurse(n=100000) at helper.c:3:12',
        '    frame #1: 0x0000000100003e9c helper`recurse(n=99999) at helper.c:4:10',
        '2024-03-01 12:00:01 ERROR helper crashed',
        'java.io.IOException: helper exited with 139',
        '\tat com.acme.Helper.run(Helper.java:40)',
      ),
    );
    assert.deepEqual(summary(traces), [
      ['lldb', 'crash', 'EXC_BAD_ACCESS (code=2, address=0x16f603ff8)', 2, 4, 2],
      ['java', 'exception', 'java.io.IOException: helper exited with 139', 6, 7, 1],
    ]);
  });

  it('CRLF input parses like LF input', () => {
    assert.deepEqual(parseText(SESSION.join('\r\n') + '\r\n'), parseText(lines(...SESSION)));
  });

  it('input cut mid-frame keeps the frame with what is there', () => {
    const traces = parseText(
      lines(
        '* thread #1, stop reason = signal SIGABRT',
        '  * frame #0: 0x00007fff8c5f4866 libsystem_kernel.dylib`__pthread_kill + 10',
        '    frame #1: 0x00007fff8e35e35c libsystem_pthread.dylib`pthread_ki',
      ),
    );
    assert.equal(traces.length, 1);
    assert.equal(traces[0]!.frames.length, 2);
    assert.deepEqual(pick(traces[0]!.frames[1]), {
      function: 'pthread_ki',
      module: 'libsystem_pthread.dylib',
    });
    const [addrOnly] = parseText(
      lines('* thread #1, stop reason = signal SIGABRT', '  * frame #0: 0x00007fff8c5f'),
    );
    assert.deepEqual([addrOnly!.frames.length, addrOnly!.frames[0]!.address], [1, '0x00007fff8c5f']);
  });

  it('re-indented pastes (tabs, quote marks) parse the same', () => {
    const traces = parseText(
      lines(
        "> \t* thread #1, queue = 'com.apple.main-thread', stop reason = EXC_BAD_ACCESS (code=1, address=0x0)",
        '> \t\t* frame #0: 0x0000000100003f4c a.out`main at main.c:5:3',
        '> \t\tframe #1: 0x00007fff2033bf3d libdyld.dylib`start + 1',
      ),
    );
    assert.deepEqual(summary(traces), [['lldb', 'crash', 'EXC_BAD_ACCESS (code=1, address=0x0)', 1, 3, 2]]);
  });

  it('a `thread #N` mention with no frames under it is not a trace', () => {
    const traces = parseText(
      lines(
        'thread #2',
        'the worker (thread #2) was idle',
        "thread #3, name = 'x' is blocked on a lock",
        'done',
      ),
    );
    assert.deepEqual(traces, []);
  });

  it('`frame select` re-prints a frame of the backtrace: absorbed, with its source', () => {
    const traces = parseText(
      lines(
        "* thread #1, queue = 'com.apple.main-thread', stop reason = EXC_BAD_ACCESS (code=1, address=0x0)",
        '  * frame #0: 0x0000000100003f4c a.out`deref(p=0x0000000000000000) at main.c:3:10',
        '    frame #1: 0x0000000100003f70 a.out`main at main.c:8:3',
        '(lldb) frame select 1',
        'frame #1: 0x0000000100003f70 a.out`main at main.c:8:3',
        '   7   \tint main(void) {',
        '-> 8   \t  return deref(0);',
        '   9   \t}',
      ),
    );
    assert.deepEqual(summary(traces), [['lldb', 'crash', 'EXC_BAD_ACCESS (code=1, address=0x0)', 1, 7, 2]]);
    assert.equal(traces[0]!.frames[1]!.source, 'return deref(0);');
  });
});
