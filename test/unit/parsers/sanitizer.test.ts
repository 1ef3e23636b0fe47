// Sanitizer and Valgrind variants the corpus does not cover (MSan origins, LSan leaks, UBSan runtime errors,
// TSan report pairs, Helgrind, leak records, bare pastes) and the document-level cases: mixed logs, CRLF,
// cut input, re-indented pastes.

import * as assert from 'node:assert/strict';
import { parseText, type Frame, type Trace, type TraceNode } from '../../../src/core/trace';
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
    'address',
    'offset',
    'notes',
    'source',
  ] as const) {
    if (f[k] !== null && f[k] !== undefined) (out as Record<string, unknown>)[k] = f[k];
  }
  return out;
}

const shape = (t: Trace) => [t.format, t.kind, t.span.start, t.span.end, t.frames.length];
const stacks = (t: TraceNode) => (t.related ?? []).map((r) => [r.role, r.title, r.frames.length]);

const ASAN = [
  '2024-03-01 12:00:00 INFO request 42 accepted',
  '=================================================================',
  '==4711==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000014 at pc 0x55c3f1a0b1c4 bp 0x7ffd1e2b5c40 sp 0x7ffd1e2b5c38',
  'READ of size 4 at 0x602000000014 thread T0',
  '    #0 0x55c3f1a0b1c3 in Buffer::at(unsigned long) const /src/app/buffer.cc:27:12',
  '    #1 0x55c3f1a0b3e8 in main /src/app/main.cc:14:7',
  '    #2 0x7f2b8e829d8f in __libc_start_call_main csu/../sysdeps/nptl/libc_start_call_main.h:58:16',
  '    #3 0x55c3f1a0a2b4 in _start (/src/app/build/app+0x22b4) (BuildId: 4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4)',
  '',
  '0x602000000014 is located 0 bytes after 4-byte region [0x602000000010,0x602000000014)',
  'allocated by thread T0 here:',
  '    #0 0x7f2b8f0b4887 in operator new(unsigned long) ../../../../src/libsanitizer/asan/asan_new_delete.cpp:95',
  '    #1 0x55c3f1a0b2a1 in Buffer::Buffer(unsigned long) /src/app/buffer.cc:9:15',
  '',
  'SUMMARY: AddressSanitizer: heap-buffer-overflow /src/app/buffer.cc:27:12 in Buffer::at(unsigned long) const',
  'Shadow bytes around the buggy address:',
  '  0x0c047fff7fb0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00',
  '=>0x0c047fff8000: fa fa[04]fa fa fa fa fa fa fa fa fa fa fa fa fa',
  'Shadow byte legend (one shadow byte represents 8 application bytes):',
  '  Addressable:           00',
  '  Heap left redzone:       fa',
  '==4711==ABORTING',
  '2024-03-01 12:00:01 ERROR request 43 failed',
  'java.lang.IllegalStateException: boom',
  '\tat com.acme.Foo.bar(Foo.java:12)',
  '\tat com.acme.Main.main(Main.java:5)',
];

describe('sanitizer parser', () => {
  it('an ASan report in a mixed log: its stacks, SUMMARY and shadow dump in the span; then a Java trace', () => {
    const traces = parseText(lines(...ASAN));
    assert.deepEqual(traces.map(shape), [
      ['sanitizer', 'crash', 3, 22, 4],
      ['java', 'exception', 24, 26, 2],
    ]);
    const t = traces[0]!;
    assert.equal(
      t.title,
      'AddressSanitizer: heap-buffer-overflow on address 0x602000000014 at pc 0x55c3f1a0b1c4 bp 0x7ffd1e2b5c40 sp 0x7ffd1e2b5c38',
    );
    assert.equal(t.type, 'heap-buffer-overflow');
    assert.equal(
      t.message,
      [
        'on address 0x602000000014 at pc 0x55c3f1a0b1c4 bp 0x7ffd1e2b5c40 sp 0x7ffd1e2b5c38',
        'READ of size 4 at 0x602000000014 thread T0',
        '0x602000000014 is located 0 bytes after 4-byte region [0x602000000010,0x602000000014)',
      ].join('\n'),
    );
    assert.equal(t.role, 'access');
    assert.deepEqual(t.thread, { name: null, id: 'T0', state: null });
    assert.deepEqual(pick(t.frames[0]), {
      function: 'Buffer::at(unsigned long) const',
      file: '/src/app/buffer.cc',
      line: 27,
      column: 12,
      address: '0x55c3f1a0b1c3',
    });
    assert.deepEqual(pick(t.frames[2]), {
      function: '__libc_start_call_main',
      file: 'csu/../sysdeps/nptl/libc_start_call_main.h',
      line: 58,
      column: 16,
      address: '0x7f2b8e829d8f',
    });
    assert.deepEqual(pick(t.frames[3]), {
      function: '_start',
      module: '/src/app/build/app',
      offset: '+0x22b4',
      address: '0x55c3f1a0a2b4',
      notes: ['BuildId: 4f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4'],
    });
    assert.deepEqual(stacks(t), [['allocation', 'allocated by thread T0 here', 2]]);
    const alloc = t.related![0]!;
    assert.equal(alloc.relation, 'related');
    assert.deepEqual([alloc.span.start, alloc.span.end], [11, 13]);
    assert.deepEqual(pick(alloc.frames[0]), {
      function: 'operator new(unsigned long)',
      file: '../../../../src/libsanitizer/asan/asan_new_delete.cpp',
      line: 95,
      address: '0x7f2b8f0b4887',
    });
  });

  it('MemorySanitizer: the use, then the store and origin stacks of --track-origins=2; `Exiting` ends it', () => {
    const traces = parseText(
      lines(
        '==4127==WARNING: MemorySanitizer: use-of-uninitialized-value',
        '    #0 0x55d1c3a4e2f1 in Parse(char const*) /src/app/parse.cc:42:7',
        '    #1 0x55d1c3a4e5b0 in main /src/app/main.cc:12:3',
        '',
        '  Uninitialized value was stored to memory at',
        '    #0 0x55d1c3a4e100 in Fill(int*) /src/app/parse.cc:20:10',
        '    #1 0x55d1c3a4e5a0 in main /src/app/main.cc:11:3',
        '',
        "  Uninitialized value was created by an allocation of 'buf' in the stack frame of function 'main'",
        '    #0 0x55d1c3a4e480 in main /src/app/main.cc:8',
        '',
        'SUMMARY: MemorySanitizer: use-of-uninitialized-value /src/app/parse.cc:42:7 in Parse(char const*)',
        'Exiting',
        'make: *** [check] Error 77',
      ),
    );
    assert.deepEqual(traces.map(shape), [['sanitizer', 'crash', 1, 13, 2]]);
    const t = traces[0]!;
    assert.equal(t.title, 'MemorySanitizer: use-of-uninitialized-value');
    assert.equal(t.type, 'use-of-uninitialized-value');
    assert.equal(t.message, null);
    assert.deepEqual(stacks(t), [
      ['store', 'Uninitialized value was stored to memory at', 2],
      [
        'origin',
        "Uninitialized value was created by an allocation of 'buf' in the stack frame of function 'main'",
        1,
      ],
    ]);
    assert.deepEqual(pick(t.related![1]!.frames[0]), {
      function: 'main',
      file: '/src/app/main.cc',
      line: 8,
      address: '0x55d1c3a4e480',
    });
  });

  it('LeakSanitizer: each leak is its own trace (role `leak`); the report header opens the first', () => {
    const traces = parseText(
      lines(
        '',
        '=================================================================',
        '==28451==ERROR: LeakSanitizer: detected memory leaks',
        '',
        'Direct leak of 40 byte(s) in 1 object(s) allocated from:',
        '    #0 0x4af01b in __interceptor_malloc /llvm/compiler-rt/lib/asan/asan_malloc_linux.cpp:69:3',
        '    #1 0x4dd8f1 in make_node /src/list.c:14:22',
        '    #2 0x4dda21 in main /src/list.c:40:5',
        '',
        'Indirect leak of 24 byte(s) in 1 object(s) allocated from:',
        '    #0 0x4af01b in __interceptor_malloc /llvm/compiler-rt/lib/asan/asan_malloc_linux.cpp:69:3',
        '    #1 0x4dd912 in make_payload /src/list.c:20:9',
        '',
        'SUMMARY: AddressSanitizer: 64 byte(s) leaked in 2 allocation(s).',
        'make: *** [Makefile:12: test] Error 23',
      ),
    );
    assert.deepEqual(traces.map(shape), [
      ['sanitizer', 'crash', 3, 8, 3],
      ['sanitizer', 'crash', 10, 14, 2],
    ]);
    assert.deepEqual(
      traces.map((t) => [t.title, t.type, t.message, t.role]),
      [
        [
          'Direct leak of 40 byte(s) in 1 object(s) allocated from',
          'Direct leak',
          'of 40 byte(s) in 1 object(s) allocated from',
          'leak',
        ],
        [
          'Indirect leak of 24 byte(s) in 1 object(s) allocated from',
          'Indirect leak',
          'of 24 byte(s) in 1 object(s) allocated from',
          'leak',
        ],
      ],
    );
    assert.deepEqual(pick(traces[1]!.frames[1]), {
      function: 'make_payload',
      file: '/src/list.c',
      line: 20,
      column: 9,
      address: '0x4dd912',
    });
  });

  it('UBSan runtime errors: alone (its location is the frame), with a stack, `<unknown>`, amid program output', () => {
    const traces = parseText(
      lines(
        'running tests',
        "/src/lib/math.c:17:12: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'",
        'test 1 ok',
        "src/codec.cc:88:5: runtime error: load of null pointer of type 'const char'",
        '    #0 0x4c3a1e in Decode(char const*) src/codec.cc:88:5',
        '    #1 0x4c3b7f in main src/main.cc:9:10',
        '    #2 0x7f0e3b in __libc_start_main (/lib/x86_64-linux-gnu/libc.so.6+0x21b96)',
        '',
        'SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior src/codec.cc:88:5 in',
        'C:\\src\\app\\main.cpp:7:9: runtime error: division by zero',
        '<unknown>: runtime error: execution reached an unreachable program point',
        'done',
      ),
    );
    assert.deepEqual(traces.map(shape), [
      ['sanitizer', 'crash', 2, 2, 1],
      ['sanitizer', 'crash', 4, 9, 3],
      ['sanitizer', 'crash', 10, 10, 1],
      ['sanitizer', 'crash', 11, 11, 0],
    ]);
    const [overflow, nullLoad, div, unknown] = traces as [Trace, Trace, Trace, Trace];
    assert.equal(
      overflow.title,
      "runtime error: signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'",
    );
    assert.equal(overflow.type, 'runtime error');
    assert.equal(
      overflow.message,
      "signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'",
    );
    assert.deepEqual(pick(overflow.frames[0]), { file: '/src/lib/math.c', line: 17, column: 12 });
    assert.deepEqual(pick(nullLoad.frames[0]), {
      function: 'Decode(char const*)',
      file: 'src/codec.cc',
      line: 88,
      column: 5,
      address: '0x4c3a1e',
    });
    assert.deepEqual(pick(div.frames[0]), { file: 'C:\\src\\app\\main.cpp', line: 7, column: 9 });
    assert.equal(unknown.title, 'runtime error: execution reached an unreachable program point');
  });

  it('ASan on Windows: paths with blanks, `func+0x13 (DLL+off)`, a long object list, thread-creation stack', () => {
    const traces = parseText(
      lines(
        '==9901==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffc3a9e1a64 at pc 0x7ff6a1b01234 bp 0x7ffc3a9e1a20 sp 0x7ffc3a9e1a18',
        'WRITE of size 4 at 0x7ffc3a9e1a64 thread T1',
        '    #0 0x7ff6a1b01233 in worker(void*) C:\\Users\\dev\\My Project\\src\\worker.cpp:31',
        '    #1 0x7ffb8a717bd3 in BaseThreadInitThunk+0x13 (C:\\WINDOWS\\System32\\KERNEL32.DLL+0x180017bd3)',
        '',
        'Address 0x7ffc3a9e1a64 is located in stack of thread T1 at offset 36 in frame',
        '    #0 0x7ff6a1b010ff in worker(void*) C:\\Users\\dev\\My Project\\src\\worker.cpp:25',
        '',
        '  This frame has 1 object(s):',
        "    [32, 36) 'arr' (line 26) <== Memory access at offset 36 overflows this variable",
        ...Array.from(
          { length: 14 },
          (_, i) => `    [${64 + i * 32}, ${72 + i * 32}) 'v${i}' (line ${27 + i})`,
        ),
        'HINT: this may be a false positive if your program uses some custom stack unwind mechanism, swapcontext or vfork',
        '      (longjmp and C++ exceptions *are* supported)',
        'Thread T1 created by T0 here:',
        '    #0 0x7ff6a1b0a2c4 in _beginthreadex (C:\\app\\app.exe+0x14000a2c4)',
        '    #1 0x7ff6a1b01456 in main C:\\Users\\dev\\My Project\\src\\main.cpp:50',
        '',
        'SUMMARY: AddressSanitizer: stack-buffer-overflow C:\\Users\\dev\\My Project\\src\\worker.cpp:31 in worker(void*)',
        '==9901==ABORTING',
      ),
    );
    assert.deepEqual(traces.map(shape), [['sanitizer', 'crash', 1, 32, 2]]);
    const t = traces[0]!;
    assert.deepEqual(t.thread, { name: null, id: 'T1', state: null });
    assert.deepEqual(pick(t.frames[0]), {
      function: 'worker(void*)',
      file: 'C:\\Users\\dev\\My Project\\src\\worker.cpp',
      line: 31,
      address: '0x7ff6a1b01233',
    });
    assert.deepEqual(pick(t.frames[1]), {
      function: 'BaseThreadInitThunk+0x13',
      module: 'C:\\WINDOWS\\System32\\KERNEL32.DLL',
      offset: '+0x180017bd3',
      address: '0x7ffb8a717bd3',
    });
    assert.deepEqual(stacks(t), [
      ['stack-frame', 'Address 0x7ffc3a9e1a64 is located in stack of thread T1 at offset 36 in frame', 1],
      ['thread-creation', 'Thread T1 created by T0 here', 2],
    ]);
    assert.ok(
      t.message!.includes("[32, 36) 'arr' (line 26) <== Memory access at offset 36 overflows this variable"),
    );
  });

  it('ThreadSanitizer: two reports between `=====` rules; a thread leak; `reported N warnings` is not one', () => {
    const traces = parseText(
      lines(
        '==================',
        'WARNING: ThreadSanitizer: data race (pid=9337)',
        '  Write of size 4 at 0x7fe3c3075190 by thread T1:',
        '    #0 Thread1 /tmp/simple_race.cc:8:10 (a.out+0x4a9bd6)',
        '',
        '  Previous read of size 4 at 0x7fe3c3075190 by main thread:',
        '    #0 main /tmp/simple_race.cc:15:3 (a.out+0x4a9c3b)',
        '',
        "  Location is global 'Global' of size 4 at 0x7fe3c3075190 (a.out+0x000001578190)",
        '',
        '  Thread T1 (tid=9338, running) created by main thread at:',
        '    #0 pthread_create /llvm/compiler-rt/lib/tsan/rtl/tsan_interceptors_posix.cpp:1001:3 (a.out+0x42d7ab)',
        '    #1 main /tmp/simple_race.cc:14:3 (a.out+0x4a9c2a)',
        '',
        'SUMMARY: ThreadSanitizer: data race /tmp/simple_race.cc:8:10 in Thread1',
        '==================',
        '==================',
        'WARNING: ThreadSanitizer: thread leak (pid=9337)',
        '  Thread T2 (tid=9340, finished) created by main thread at:',
        '    #0 pthread_create /llvm/compiler-rt/lib/tsan/rtl/tsan_interceptors_posix.cpp:1001:3 (a.out+0x42d7ab)',
        '    #1 main /tmp/simple_race.cc:20:3 (a.out+0x4a9c9a)',
        '',
        'SUMMARY: ThreadSanitizer: thread leak /tmp/simple_race.cc:20:3 in main',
        '==================',
        'ThreadSanitizer: reported 2 warnings',
      ),
    );
    assert.deepEqual(traces.map(shape), [
      ['sanitizer', 'crash', 2, 16, 1],
      ['sanitizer', 'crash', 18, 24, 2],
    ]);
    const [race, leak] = traces as [Trace, Trace];
    assert.equal(race.type, 'data race');
    assert.equal(
      race.message,
      '(pid=9337)\nWrite of size 4 at 0x7fe3c3075190 by thread T1\n' +
        "Location is global 'Global' of size 4 at 0x7fe3c3075190 (a.out+0x000001578190)",
    );
    assert.deepEqual(race.thread, { name: null, id: 'T1', state: null });
    assert.deepEqual(stacks(race), [
      ['previous-access', 'Previous read of size 4 at 0x7fe3c3075190 by main thread', 1],
      ['thread-creation', 'Thread T1 (tid=9338, running) created by main thread at', 2],
    ]);
    // A thread leak has one stack, the leaked thread's creation: it is the trace's own.
    assert.equal(leak.type, 'thread leak');
    assert.equal(leak.role, 'thread-creation');
    assert.equal(leak.thread, undefined);
    assert.deepEqual(pick(leak.frames[1]), {
      function: 'main',
      file: '/tmp/simple_race.cc',
      line: 20,
      column: 3,
      module: 'a.out',
      offset: '+0x4a9c9a',
    });
  });

  it('a stack pasted without its report: the label above names its role; ASan SEGV with registers', () => {
    const traces = parseText(
      lines(
        'The free happens here, see:',
        'freed by thread T0 here:',
        '    #0 0x7f8e3c4b2f7f in __interceptor_free (/usr/lib/x86_64-linux-gnu/libasan.so.6+0xb4f7f)',
        '    #1 0x55d0e1e0a1b9 in main /home/u/uaf.c:7',
        '',
        'AddressSanitizer:DEADLYSIGNAL',
        '=================================================================',
        '==77==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000 (pc 0x55d0e1e0a1c0 bp 0x7ffc sp 0x7ffb T0)',
        '==77==The signal is caused by a READ memory access.',
        '==77==Hint: address points to the zero page.',
        '    #0 0x55d0e1e0a1c0 in main /home/u/null.c:4:10',
        '',
        '==77==Register values:',
        'rax = 0x0000000000000000  rbx = 0x00007ffc2c1a7f08  rcx = 0x000055d0e1e0cdb8  rdx = 0x00007ffc2c1a7f18',
        'rdi = 0x0000000000000001  rsi = 0x00007ffc2c1a7f08  rbp = 0x00007ffc2c1a7e00  rsp = 0x00007ffc2c1a7de0',
        'AddressSanitizer can not provide additional info.',
        'SUMMARY: AddressSanitizer: SEGV /home/u/null.c:4:10 in main',
        '==77==ABORTING',
      ),
    );
    assert.deepEqual(traces.map(shape), [
      ['sanitizer', 'crash', 2, 4, 2],
      ['sanitizer', 'crash', 8, 18, 1],
    ]);
    assert.equal(traces[0]!.title, 'freed by thread T0 here');
    assert.equal(traces[0]!.role, 'free');
    assert.deepEqual(pick(traces[0]!.frames[0]), {
      function: '__interceptor_free',
      module: '/usr/lib/x86_64-linux-gnu/libasan.so.6',
      offset: '+0xb4f7f',
      address: '0x7f8e3c4b2f7f',
    });
    const segv = traces[1]!;
    assert.equal(segv.type, 'SEGV');
    assert.equal(
      segv.message,
      'on unknown address 0x000000000000 (pc 0x55d0e1e0a1c0 bp 0x7ffc sp 0x7ffb T0)\n' +
        'The signal is caused by a READ memory access.\nHint: address points to the zero page.',
    );
  });

  it('does not claim gdb, PHP or Dart frames, prose, or a sanitizer warning that is not a report', () => {
    const traces = parseText(
      lines(
        '#0  0x00007ffff7a42428 in __GI_raise (sig=sig@entry=6) at ../sysdeps/unix/sysv/linux/raise.c:54',
        '#1  0x00007ffff7a4402a in __GI_abort () at abort.c:89',
        '',
        "#0 /var/www/html/index.php(7): foo('a (b)')",
        '#1 {main}',
        '',
        '#0      main (file:///home/u/app/bin/main.dart:5:3)',
        '',
        '#1 we fixed it (see PR 0x12)',
        '==17692==WARNING: AddressSanitizer failed to allocate 0x1fffffffc bytes',
        'ThreadSanitizer: reported 2 warnings',
      ),
    );
    assert.deepEqual(
      traces.filter((t) => t.format === 'sanitizer' || t.format === 'valgrind').map(shape),
      [],
    );
  });

  it('CRLF input parses like LF input', () => {
    assert.deepEqual(parseText(ASAN.join('\r\n') + '\r\n'), parseText(lines(...ASAN)));
  });

  it('input cut mid-frame keeps what is complete', () => {
    const cut = lines(...ASAN.slice(1, 6), '    #2 0x7f2b8e829d8f in __libc_start_call_main csu/../sysd');
    const [t] = parseText(cut);
    assert.ok(t);
    assert.deepEqual(shape(t), ['sanitizer', 'crash', 2, 6, 3]);
    // The cut location has no line number: it is kept as the file text that is there.
    assert.deepEqual(pick(t.frames[2]), {
      function: '__libc_start_call_main',
      file: 'csu/../sysd',
      address: '0x7f2b8e829d8f',
    });
    const [h] = parseText(lines(ASAN[2]!, ASAN[3]!, '    #0 0x55c3f1a0'));
    assert.deepEqual(shape(h!), ['sanitizer', 'crash', 1, 3, 1]);
    assert.deepEqual(pick(h!.frames[0]), { address: '0x55c3f1a0' });
  });

  it('re-indented pastes (tabs, markdown indentation, quote marks) parse the same', () => {
    const body = ASAN.slice(2, 22);
    const plain = parseText(lines(...body));
    const tabs = parseText(lines(...body.map((l) => l.replace(/^ {4}/, '\t'))));
    const indented = parseText(lines(...body.map((l) => `    ${l}`)));
    const quoted = parseText(lines(...body.map((l) => `> ${l}`)));
    for (const other of [tabs, indented, quoted]) {
      assert.deepEqual(other.map(shape), plain.map(shape));
      assert.deepEqual(
        other.map((t) => [t.title, stacks(t), t.frames.map((f) => [f.function, f.file, f.line])]),
        plain.map((t) => [t.title, stacks(t), t.frames.map((f) => [f.function, f.file, f.line])]),
      );
    }
  });

  it('reports behind log prefixes (timestamps, levels) keep their lines together', () => {
    const traces = parseText(
      lines(
        '2024-03-01T12:00:00.123Z WARNING: ThreadSanitizer: data race (pid=12)',
        '2024-03-01T12:00:00.123Z   Read of size 8 at 0x7b0400000010 by thread T2:',
        '2024-03-01T12:00:00.123Z     #0 Get /src/cache.cc:31:12 (app+0x4c1a2b)',
        '2024-03-01T12:00:00.123Z   Previous write of size 8 at 0x7b0400000010 by thread T1:',
        '2024-03-01T12:00:00.123Z     #0 Put /src/cache.cc:22:5 (app+0x4c19f0)',
        '2024-03-01T12:00:00.124Z SUMMARY: ThreadSanitizer: data race /src/cache.cc:31:12 in Get',
        '2024-03-01T12:00:00.125Z INFO shutting down',
      ),
    );
    assert.deepEqual(traces.map(shape), [['sanitizer', 'crash', 1, 6, 1]]);
    assert.equal(traces[0]!.title, 'ThreadSanitizer: data race (pid=12)');
    assert.equal(traces[0]!.timestamp, '2024-03-01T12:00:00.123Z');
    assert.deepEqual(stacks(traces[0]!), [
      ['previous-access', 'Previous write of size 8 at 0x7b0400000010 by thread T1', 1],
    ]);
  });
});

const MEMCHECK = [
  '$ valgrind --leak-check=full ./app',
  '==31337== Memcheck, a memory error detector',
  '==31337== Command: ./app',
  '==31337== ',
  'starting app',
  '==31337== Invalid write of size 4',
  '==31337==    at 0x1091A6: fill (app.c:9)',
  '==31337==    by 0x1091D5: main (app.c:15)',
  "==31337==  Address 0x4a9a068 is 0 bytes after a block of size 40 alloc'd",
  '==31337==    at 0x483B7F3: malloc (in /usr/lib/x86_64-linux-gnu/valgrind/vgpreload_memcheck-amd64-linux.so)',
  '==31337==    by 0x1091C4: main (app.c:14)',
  '==31337== ',
  '==31337== Invalid read of size 8',
  '==31337==    at 0x1091F0: use (app.c:21)',
  '==31337==    by 0x109212: main (app.c:30)',
  "==31337==  Address 0x0 is not stack'd, malloc'd or (recently) free'd",
  '==31337== ',
  '==31337== ',
  '==31337== Process terminating with default action of signal 11 (SIGSEGV)',
  '==31337==  Access not within mapped region at address 0x0',
  '==31337==    at 0x1091F0: use (app.c:21)',
  '==31337==    by 0x109212: main (app.c:30)',
  '==31337==  If you believe this happened as a result of a stack',
  "==31337==  overflow in your program's main thread (unlikely but",
  '==31337==  possible), you can try to increase the size of the',
  '==31337==  main thread stack using the --main-stacksize= flag.',
  '==31337==  The main thread stack size used in this run was 8388608.',
  '==31337== ',
  '==31337== HEAP SUMMARY:',
  '==31337==     in use at exit: 64 bytes in 2 blocks',
  '==31337==   total heap usage: 2 allocs, 0 frees, 64 bytes allocated',
  '==31337== ',
  '==31337== 64 (40 direct, 24 indirect) bytes in 1 blocks are definitely lost in loss record 2 of 2',
  '==31337==    at 0x483B7F3: malloc (in /usr/lib/x86_64-linux-gnu/valgrind/vgpreload_memcheck-amd64-linux.so)',
  '==31337==    by 0x1091C4: main (app.c:14)',
  '==31337== ',
  '==31337== LEAK SUMMARY:',
  '==31337==    definitely lost: 40 bytes in 1 blocks',
  '==31337==    indirectly lost: 24 bytes in 1 blocks',
  '==31337== ',
  '==31337== ERROR SUMMARY: 3 errors from 3 contexts (suppressed: 0 from 0)',
  'Segmentation fault (core dumped)',
  'Exception in thread "main" java.lang.IllegalStateException: boom',
  '\tat com.acme.Foo.bar(Foo.java:12)',
];

describe('valgrind parser', () => {
  it('a memcheck run in a mixed log: one trace per error and leak record; the summaries are not frames', () => {
    const traces = parseText(lines(...MEMCHECK));
    assert.deepEqual(traces.map(shape), [
      ['valgrind', 'crash', 6, 11, 2],
      ['valgrind', 'crash', 13, 16, 2],
      ['valgrind', 'crash', 19, 27, 2],
      ['valgrind', 'crash', 33, 35, 2],
      ['java', 'exception', 43, 44, 1],
    ]);
    const [write, read, signal, leak] = traces as [Trace, Trace, Trace, Trace];
    assert.deepEqual(
      [write.title, write.type, write.message, write.role],
      ['Invalid write of size 4', 'Invalid write of size 4', null, 'access'],
    );
    assert.deepEqual(pick(write.frames[0]), {
      function: 'fill',
      file: 'app.c',
      line: 9,
      address: '0x1091A6',
    });
    assert.deepEqual(stacks(write), [
      ['allocation', "Address 0x4a9a068 is 0 bytes after a block of size 40 alloc'd", 2],
    ]);
    assert.deepEqual(pick(write.related![0]!.frames[0]), {
      function: 'malloc',
      module: '/usr/lib/x86_64-linux-gnu/valgrind/vgpreload_memcheck-amd64-linux.so',
      address: '0x483B7F3',
    });
    // An address description with no stack under it describes the error.
    assert.equal(read.message, "Address 0x0 is not stack'd, malloc'd or (recently) free'd");
    assert.deepEqual(stacks(read), []);
    assert.equal(signal.type, 'Process terminating with default action of signal 11 (SIGSEGV)');
    assert.equal(signal.message!.split('\n')[0], 'Access not within mapped region at address 0x0');
    assert.deepEqual(
      [leak.title, leak.type, leak.role],
      [
        '64 (40 direct, 24 indirect) bytes in 1 blocks are definitely lost in loss record 2 of 2',
        'definitely lost',
        'leak',
      ],
    );
  });

  it('Helgrind: a thread announcement, a race with the conflicting access and `Locks held` lines', () => {
    const traces = parseText(
      lines(
        '==5200== ---Thread-Announcement------------------------------------------',
        '==5200== ',
        "==5200== Thread #1 is the program's root thread",
        '==5200== ',
        '==5200== ---Thread-Announcement------------------------------------------',
        '==5200== ',
        '==5200== Thread #2 was created',
        '==5200==    at 0x4B6C4A2: clone (clone.S:71)',
        '==5200==    by 0x4A30E0F: pthread_create@@GLIBC_2.2.5 (pthread_create.c:817)',
        '==5200==    by 0x109224: main (race.c:14)',
        '==5200== ',
        '==5200== ----------------------------------------------------------------',
        '==5200== ',
        '==5200== Possible data race during read of size 4 at 0x10C014 by thread #1',
        '==5200== Locks held: none',
        '==5200==    at 0x109236: main (race.c:15)',
        '==5200== ',
        '==5200== This conflicts with a previous write of size 4 by thread #2',
        '==5200== Locks held: 1, at address 0x10C040',
        '==5200==    at 0x1091E9: child (race.c:7)',
        '==5200==    by 0x4842B1A: ??? (in /usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so)',
        '==5200==  Address 0x10c014 is 0 bytes inside data symbol "counter"',
        '==5200== ',
        '==5200== ----------------------------------------------------------------',
      ),
    );
    assert.deepEqual(traces.map(shape), [
      ['valgrind', 'thread', 7, 10, 3],
      ['valgrind', 'crash', 14, 22, 1],
    ]);
    const [created, race] = traces as [Trace, Trace];
    assert.deepEqual(
      [created.title, created.role, created.thread?.id],
      ['Thread #2 was created', 'thread-creation', '#2'],
    );
    assert.equal(race.type, 'Possible data race during read of size 4 at 0x10C014 by thread #1');
    assert.equal(race.thread?.id, '#1');
    assert.equal(race.message, 'Locks held: none\nAddress 0x10c014 is 0 bytes inside data symbol "counter"');
    const prev = race.related![0]!;
    assert.deepEqual(
      [prev.role, prev.title, prev.message, prev.frames.length],
      [
        'previous-access',
        'This conflicts with a previous write of size 4 by thread #2',
        'This conflicts with a previous write of size 4 by thread #2\nLocks held: 1, at address 0x10C040',
        2,
      ],
    );
    assert.deepEqual(pick(prev.frames[1]), {
      module: '/usr/libexec/valgrind/vgpreload_helgrind-amd64-linux.so',
      address: '0x4842B1A',
    });
  });

  it('a report pasted without `==pid==` prefixes, inside a question', () => {
    const traces = parseText(
      lines(
        'Here is what valgrind says:',
        '',
        'Invalid read of size 4',
        '   at 0x400544: main (example.c:6)',
        " Address 0x5204068 is 0 bytes after a block of size 40 alloc'd",
        '   at 0x4C2DB8F: malloc (in /usr/lib/valgrind/vgpreload_memcheck-amd64-linux.so)',
        '   by 0x400537: main (example.c:5)',
        '',
        'Any idea? The array has 10 elements.',
      ),
    );
    assert.deepEqual(traces.map(shape), [['valgrind', 'crash', 3, 7, 1]]);
    assert.equal(traces[0]!.title, 'Invalid read of size 4');
    assert.deepEqual(stacks(traces[0]!), [
      ['allocation', "Address 0x5204068 is 0 bytes after a block of size 40 alloc'd", 2],
    ]);
  });

  it('--time-stamp=yes, C++ names with blanks, `(below main)`; another process`s lines end the error', () => {
    const traces = parseText(
      lines(
        '==812== 00:00:00:01.532 Mismatched free() / delete / delete []',
        '==812== 00:00:00:01.532    at 0x484399B: operator delete(void*, unsigned long) (vg_replace_malloc.c:935)',
        '==812== 00:00:00:01.532    by 0x10923F: std::vector<int, std::allocator<int> >::~vector() (stl_vector.h:730)',
        '==812== 00:00:00:01.532    by 0x4A2AD8F: (below main) (libc_start_call_main.h:58)',
        '==813== 00:00:00:01.533 Invalid read of size 4',
      ),
    );
    assert.deepEqual(traces.map(shape), [['valgrind', 'crash', 1, 4, 3]]);
    assert.equal(traces[0]!.type, 'Mismatched free() / delete / delete []');
    assert.deepEqual(pick(traces[0]!.frames[1]), {
      function: 'std::vector<int, std::allocator<int> >::~vector()',
      file: 'stl_vector.h',
      line: 730,
      address: '0x10923F',
    });
    assert.deepEqual(pick(traces[0]!.frames[2]), {
      function: '(below main)',
      file: 'libc_start_call_main.h',
      line: 58,
      address: '0x4A2AD8F',
    });
  });

  it('CRLF input parses like LF input', () => {
    assert.deepEqual(parseText(MEMCHECK.join('\r\n')), parseText(lines(...MEMCHECK)));
  });

  it('input cut mid-frame keeps the frame with what is there', () => {
    const [t] = parseText(lines(...MEMCHECK.slice(5, 9), '==31337==    at 0x483B7F3: mall'));
    assert.ok(t);
    assert.deepEqual(shape(t), ['valgrind', 'crash', 1, 5, 2]);
    assert.deepEqual(stacks(t), [
      ['allocation', "Address 0x4a9a068 is 0 bytes after a block of size 40 alloc'd", 1],
    ]);
    assert.deepEqual(pick(t.related![0]!.frames[0]), { function: 'mall', address: '0x483B7F3' });
  });

  it('re-indented pastes (markdown indentation, quote marks, tabs) parse the same', () => {
    const body = MEMCHECK.slice(5, 28);
    const plain = parseText(lines(...body));
    assert.equal(plain.length, 3);
    for (const other of [
      parseText(lines(...body.map((l) => `    ${l}`))),
      parseText(lines(...body.map((l) => `> ${l}`))),
      parseText(lines(...body.map((l) => l.replace('==    ', '==\t')))),
    ]) {
      assert.deepEqual(
        other.map((t) => [t.title, t.frames.length, stacks(t)]),
        plain.map((t) => [t.title, t.frames.length, stacks(t)]),
      );
    }
  });
});
