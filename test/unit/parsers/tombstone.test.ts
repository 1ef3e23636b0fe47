// Android tombstone variants the corpus does not cover (full multi-thread tombstones, abort messages,
// logcat prefixes normalize leaves, old layouts, `debuggerd -b`, MTE block stacks) and the document-level
// cases: mixed logs, CRLF, cut input, re-indented pastes, frames of other formats that must stay theirs.

import * as assert from 'node:assert/strict';
import { parseText, type Frame, type Trace } from '../../../src/core/trace';
import { lines } from './helpers';

function only(traces: Trace[], format: Trace['format']): Trace[] {
  return traces.filter((t) => t.format === format);
}

function pick(f: Frame | undefined): Partial<Frame> {
  assert.ok(f, 'frame exists');
  const out: Partial<Frame> = {};
  for (const k of ['function', 'file', 'line', 'module', 'address', 'offset', 'args', 'notes'] as const) {
    if (f[k] !== null && f[k] !== undefined) (out as Record<string, unknown>)[k] = f[k];
  }
  return out;
}

const LIBC = '/apex/com.android.runtime/lib64/bionic/libc.so';

/** An Android 13 tombstone file: the crashing thread, two other threads, then the log tail. */
const FULL = [
  '2024-03-01 12:00:00.000 INFO tombstone pulled from device',
  '*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***',
  "Build fingerprint: 'google/sdk_gphone64_x86_64/emu64xa:13/TE1A.220922.010/9013340:userdebug/dev-keys'",
  "Revision: '0'",
  "ABI: 'x86_64'",
  'Timestamp: 2024-03-01 10:33:13.437150300+0000',
  'Process uptime: 1s',
  'Cmdline: com.example.app',
  'pid: 7213, tid: 7213, name: xample.app  >>> com.example.app <<<',
  'uid: 10158',
  'signal 6 (SIGABRT), code -1 (SI_QUEUE), fault addr --------',
  "Abort message: 'JNI DETECTED ERROR IN APPLICATION: java_object == null'",
  '    rax 0000000000000000  rbx 0000000000001c2d  rcx 00007c7b7d5a1c4f  rdx 0000000000000006',
  '    rip 00007c7b7d5a1c4f  rbp 00007ffd1b0a7c40  rsp 00007ffd1b0a7b18',
  '',
  'backtrace:',
  `      #00 pc 000000000005bc4f  ${LIBC} (abort+191) (BuildId: 2f6a2c4e3b8b1f0a)`,
  '      #01 pc 00000000006fd8a5  /apex/com.android.art/lib64/libart.so (art::Runtime::Abort(char const*)+2405) (BuildId: aa11)',
  '      #02 pc 0000000000012345  /data/app/~~xx==/com.example.app-yy==/lib/x86_64/libnative.so (Java_com_example_MainActivity_crash+20)',
  '      #03 pc 000000000083a7b0  /data/app/~~xx==/com.example.app-yy==/oat/x86_64/base.odex (offset 0x12000) (com.example.MainActivity.crash+48)',
  '      #04 pc 0000000000002000  /memfd:jit-cache (deleted) (offset 0x2000000) (art_jni_trampoline+120)',
  '      #05 pc 00000000000f0000  [anon:dalvik-classes.dex extracted in memory from /data/app/base.apk] (com.example.Foo.bar+4)',
  '      #06 pc 000000000002e3f8  /apex/com.android.art/lib64/libart.so (art::interpreter::Execute(art::Thread*, bool) (.__uniq.1124.llvm.42)+232)',
  '      #07 pc 0000000000001000  <anonymous:7c7b0000>',
  '',
  'memory near rax:',
  '    00007ffd1b0a7b00 0000000000000000 0000000000000000  ................',
  '',
  'code around rip:',
  '    00007c7b7d5a1c40 0f05485b415c415d 415e415fc3cccccc  ..H[A\\A]A^A_....',
  '',
  'memory map (2 entries):',
  "--->Fault address falls at 00000000'00000000 before any mapped regions",
  "    00000000'12c00000-00000000'2abfffff rw-         0  18000000  [anon:dalvik-main space]",
  '',
  '--- --- --- --- --- --- --- --- --- --- --- --- --- --- --- ---',
  'pid: 7213, tid: 7218, name: Signal Catcher  >>> com.example.app <<<',
  'uid: 10158',
  '    rax fffffffffffffffc  rbx 00007c7a2e3fe5c0',
  'backtrace:',
  `      #00 pc 00000000000b1d1a  ${LIBC} (__rt_sigtimedwait+10)`,
  `      #01 pc 0000000000073a6c  ${LIBC} (sigwait+44)`,
  '',
  '--- --- --- --- --- --- --- --- --- --- --- --- --- --- --- ---',
  'pid: 7213, tid: 7220, name: ReferenceQueueD  >>> com.example.app <<<',
  'backtrace:',
  `      #00 pc 0000000000055b58  ${LIBC} (syscall+24)`,
  '',
  '--------- tail end of log main',
  '03-01 10:33:12.000  7213  7213 E AndroidRuntime: FATAL EXCEPTION: main',
  '03-01 10:33:12.000  7213  7213 E AndroidRuntime: java.lang.IllegalStateException: boom',
  '03-01 10:33:12.000  7213  7213 E AndroidRuntime: \tat com.example.Foo.bar(Foo.java:12)',
  '03-01 10:33:12.000  7213  7213 E AndroidRuntime: \tat com.example.Main.main(Main.java:5)',
];

describe('tombstone parser', () => {
  it('a full tombstone in a log: crash, other threads as `thread` traces, sections skipped, log tail is Java', () => {
    const traces = parseText(lines(...FULL));
    // The log tail ends the tombstone: what is in it belongs to other parsers.
    assert.deepEqual(
      traces.map((t) => [
        t.format,
        t.kind,
        t.format === 'java' ? 0 : t.span.start,
        t.span.end,
        t.frames.length,
      ]),
      [
        ['tombstone', 'crash', 2, 34, 8],
        ['tombstone', 'thread', 36, 42, 2],
        ['tombstone', 'thread', 44, 47, 1],
        ['java', 'exception', 0, 53, 2],
      ],
    );
    const t = traces[0]!;
    // The abort message is what a reader quotes; the signal stays the type.
    assert.equal(t.title, 'SIGABRT: JNI DETECTED ERROR IN APPLICATION: java_object == null');
    assert.equal(t.type, 'SIGABRT');
    assert.equal(t.message, 'JNI DETECTED ERROR IN APPLICATION: java_object == null');
    assert.equal(t.thread?.name, 'xample.app');
    assert.equal(t.thread?.id, '7213');
    assert.deepEqual(t.thread?.attrs, {
      'Build fingerprint': 'google/sdk_gphone64_x86_64/emu64xa:13/TE1A.220922.010/9013340:userdebug/dev-keys',
      Revision: '0',
      ABI: 'x86_64',
      Timestamp: '2024-03-01 10:33:13.437150300+0000',
      'Process uptime': '1s',
      Cmdline: 'com.example.app',
      pid: '7213',
      process: 'com.example.app',
      uid: '10158',
    });
    assert.deepEqual(pick(t.frames[0]), {
      function: 'abort',
      module: LIBC,
      address: '000000000005bc4f',
      offset: '+191',
      notes: ['BuildId: 2f6a2c4e3b8b1f0a'],
    });
    assert.equal(t.frames[1]!.function, 'art::Runtime::Abort(char const*)');
    assert.deepEqual(pick(t.frames[3]), {
      function: 'com.example.MainActivity.crash',
      module: '/data/app/~~xx==/com.example.app-yy==/oat/x86_64/base.odex',
      address: '000000000083a7b0',
      offset: '+48',
      notes: ['offset 0x12000'],
    });
    assert.deepEqual(pick(t.frames[4]), {
      function: 'art_jni_trampoline',
      module: '/memfd:jit-cache (deleted)',
      address: '0000000000002000',
      offset: '+120',
      notes: ['offset 0x2000000'],
    });
    assert.equal(
      t.frames[5]!.module,
      '[anon:dalvik-classes.dex extracted in memory from /data/app/base.apk]',
    );
    assert.equal(
      t.frames[6]!.function,
      'art::interpreter::Execute(art::Thread*, bool) (.__uniq.1124.llvm.42)',
    );
    assert.equal(t.frames[6]!.offset, '+232');
    assert.deepEqual(pick(t.frames[7]), { module: '<anonymous:7c7b0000>', address: '0000000000001000' });

    const other = traces[1]!;
    assert.equal(other.title, 'pid: 7213, tid: 7218, name: Signal Catcher  >>> com.example.app <<<');
    assert.deepEqual(
      [other.thread?.name, other.thread?.id, other.type, other.message],
      ['Signal Catcher', '7218', null, null],
    );
    assert.equal(other.frames[1]!.function, 'sigwait');
  });

  it('a multi-line abort message; `Cause:` titles a crash without one', () => {
    const [abort] = parseText(
      lines(
        'signal 6 (SIGABRT), code -1 (SI_QUEUE), fault addr --------',
        "Abort message: 'Check failed: x != nullptr",
        "    in call to Foo::Bar'",
        '    x0  0000000000000000  x1  0000000000001c2d',
        'backtrace:',
        `      #00 pc 000000000005bc4f  ${LIBC} (abort+180)`,
      ),
    );
    assert.equal(abort!.message, 'Check failed: x != nullptr\nin call to Foo::Bar');
    assert.equal(abort!.title, 'SIGABRT: Check failed: x != nullptr');
    assert.equal(abort!.frames.length, 1);

    const [cause] = parseText(
      lines(
        'pid: 4321, tid: 4321, name: main  >>> /system/bin/app <<<',
        'signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0000000000000000',
        'Cause: null pointer dereference',
        '    x0  0000000000000000  x1  0000007fc9a8c0d0',
        'backtrace:',
        '      #00 pc 0000000000001234  /system/bin/app (main+20)',
      ),
    );
    assert.equal(cause!.title, 'SIGSEGV: null pointer dereference');
    assert.equal(cause!.thread?.attrs?.['process'], '/system/bin/app');
  });

  it('logcat: threadtime, brief, bare and Android Studio prefixes; `Fatal signal` is not part of it', () => {
    // normalize strips threadtime prefixes; the brief form with a padded tag, the bare `F DEBUG   :` and
    // Android Studio's layouts reach the parser as they are, and it strips the tags tombstones are logged
    // under itself.
    for (const prefix of [
      '03-01 10:00:00.000  1234  1234 F DEBUG   : ',
      'F/DEBUG   ( 1234): ',
      'F DEBUG   : ',
      '2024-03-01 10:00:00.000 1234-1234/? A/DEBUG: ',
      '2024-03-01 10:00:00.000  1234-1234  DEBUG                   pid-1234                             A  ',
    ]) {
      const traces = parseText(
        lines(
          '03-01 10:00:00.000  1200  1200 F libc    : Fatal signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0 in tid 1200 (main)',
          `${prefix}*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***`,
          `${prefix}Build fingerprint: 'google/x/y:13/T/1:user/release-keys'`,
          `${prefix}pid: 1200, tid: 1200, name: main  >>> com.example <<<`,
          `${prefix}signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0`,
          `${prefix}    x0  0000000000000000  x1  0000007fc9a8c0d0`,
          `${prefix}`,
          `${prefix}backtrace:`,
          `${prefix}      #00 pc 0000000000012345  /data/app/com.example/lib/arm64/libnative.so (crash()+12) (BuildId: ab)`,
          `${prefix}      #01 pc 0000000000050000  ${LIBC} (__libc_init+100)`,
          '03-01 10:00:01.000   500   520 I ActivityManager: Process com.example (pid 1200) has died',
        ),
      );
      assert.deepEqual(
        traces.map((t) => [t.format, t.kind, t.span.start, t.span.end, t.frames.length]),
        [['tombstone', 'crash', 2, 10, 2]],
        prefix,
      );
      assert.equal(traces[0]!.frames[0]!.function, 'crash()', prefix);
      assert.equal(traces[0]!.thread?.name, 'main', prefix);
    }
  });

  it('Android 2.x/4.0 layout: two blanks before `pc`, no thread name, `stack:` rows are not frames', () => {
    const [t, ...rest] = parseText(
      lines(
        '*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***',
        "Build fingerprint: 'generic/sdk/generic:2.3/GRH55/79397:eng/test-keys'",
        'pid: 31, tid: 31  >>> /system/bin/mediaserver <<<',
        'signal 11 (SIGSEGV), fault addr 00000000',
        ' r0 00000000  r1 00000001  r2 00000002  r3 00000003',
        '         #00  pc 0000d8ac  /system/lib/libc.so',
        '         #01  pc 00012f2c  /system/lib/libmedia.so (foo+12)',
        'stack:',
        '         bef0c3d8  00000000',
        '    #00  bef0c3e0  b6f3a8d1  /system/lib/libc.so',
        '         ........  ........',
        '    #01  bef0c400  00000000',
      ),
    );
    assert.equal(rest.length, 0);
    assert.deepEqual([t!.span.start, t!.span.end, t!.frames.length], [1, 12, 2]);
    assert.deepEqual(pick(t!.frames[0]), { module: '/system/lib/libc.so', address: '0000d8ac' });
    assert.deepEqual(
      [t!.thread?.name, t!.thread?.id, t!.thread?.attrs?.['process']],
      [null, '31', '/system/bin/mediaserver'],
    );
    assert.equal(t!.message, 'fault addr 00000000');
  });

  it('`debuggerd -b` dumps: one `thread` trace per `"name" sysTid=N`', () => {
    const traces = parseText(
      lines(
        '----- pid 4321 at 2024-03-01 12:00:00 -----',
        'Cmd line: /system/bin/surfaceflinger',
        "ABI: 'arm64'",
        '',
        '"surfaceflinger" sysTid=4321',
        `  #00 pc 000000000007a888  ${LIBC} (__epoll_pwait+8) (BuildId: ab)`,
        '  #01 pc 0000000000014d48  /system/lib64/libutils.so (android::Looper::pollInner(int)+184)',
        '',
        '"Binder:4321_1" sysTid=4330',
        `  #00 pc 00000000000a3f04  ${LIBC} (__ioctl+4)`,
        '',
        '----- end 4321 -----',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.format, t.kind, t.title, t.thread?.name, t.thread?.id, t.frames.length]),
      [
        ['tombstone', 'thread', '"surfaceflinger" sysTid=4321', 'surfaceflinger', '4321', 2],
        ['tombstone', 'thread', '"Binder:4321_1" sysTid=4330', 'Binder:4321_1', '4330', 1],
      ],
    );
    assert.equal(traces[0]!.frames[1]!.function, 'android::Looper::pollInner(int)');
    assert.deepEqual(traces[1]!.thread?.attrs, { 'Cmd line': '/system/bin/surfaceflinger', pid: '4321' });
  });

  it("MTE / scudo reports: the block's free and allocation stacks are related stacks with roles", () => {
    const [t] = parseText(
      lines(
        'signal 11 (SIGSEGV), code 9 (SEGV_MTESERR), fault addr 0x0a00007000000010',
        'Cause: [MTE]: Use After Free, 0 bytes into a 32-byte allocation at 0x7000000010',
        'backtrace:',
        '      #00 pc 0000000000001234  /data/local/tmp/mte (main+52)',
        `      #01 pc 0000000000050000  ${LIBC} (__libc_init+100)`,
        '',
        'deallocated by thread 5555:',
        `      #00 pc 0000000000041111  ${LIBC} (scudo::Allocator::deallocate+12)`,
        '      #01 pc 0000000000001200  /data/local/tmp/mte (main+20)',
        '',
        'allocated by thread 5555:',
        `      #00 pc 0000000000042222  ${LIBC} (scudo::Allocator::allocate+12)`,
      ),
    );
    assert.equal(
      t!.title,
      'SIGSEGV: [MTE]: Use After Free, 0 bytes into a 32-byte allocation at 0x7000000010',
    );
    assert.equal(t!.frames.length, 2);
    assert.deepEqual(
      (t!.related ?? []).map((r) => [r.role, r.relation, r.title, r.frames.length, r.span.start, r.span.end]),
      [
        ['free', 'related', 'deallocated by thread 5555', 2, 7, 9],
        ['allocation', 'related', 'allocated by thread 5555', 1, 11, 12],
      ],
    );
    assert.deepEqual([t!.span.start, t!.span.end], [1, 12]);
  });

  it('a bare backtrace is a crash titled by its first frame; numbering from #00 again starts another', () => {
    const traces = parseText(
      lines(
        'backtrace:',
        '    #00 pc 00004836  /data/app/x/lib/arm/libfoo.so (foo+2)',
        '    #01 pc 00065ac7  /system/lib/libc.so (__pthread_start+22)',
        '    #00 pc 00001111  /data/app/x/lib/arm/libbar.so',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.kind, t.title, t.span.start, t.span.end, t.frames.length]),
      [
        ['crash', '#00 pc 00004836  /data/app/x/lib/arm/libfoo.so (foo+2)', 1, 3, 2],
        ['crash', '#00 pc 00001111  /data/app/x/lib/arm/libbar.so', 4, 4, 1],
      ],
    );
  });

  it('CRLF input parses like LF input', () => {
    const lf = parseText(lines(...FULL));
    const crlf = parseText(FULL.join('\r\n'));
    assert.deepEqual(crlf, lf);
  });

  it('input cut mid-frame keeps the frame with what is there', () => {
    const cut = parseText(
      lines(
        'signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0xa9932a70',
        'backtrace:',
        '    #00 pc 00004836  /data/app/x/lib/arm/libxcrash.so',
        '    #01 pc 00065ac7  /system/lib/libc.so (_ZL15__pthread_st',
      ),
    );
    assert.equal(cut.length, 1);
    assert.equal(cut[0]!.frames.length, 2);
    // A prefix of a symbol is not a symbol: the library and pc are kept, the function is not.
    assert.deepEqual(pick(cut[0]!.frames[1]), {
      module: '/system/lib/libc.so',
      address: '00065ac7',
      notes: ['truncated'],
    });
    const cutAddress = parseText(
      lines('backtrace:', '    #00 pc 00004836  /system/lib/libc.so (abort+1)', '    #01 pc 0006'),
    );
    assert.deepEqual(
      cutAddress[0]!.frames.map((f) => [f.address, f.module]),
      [
        ['00004836', '/system/lib/libc.so'],
        ['0006', null],
      ],
    );
  });

  it('re-indented pastes (tabs, quote marks, no indentation) parse alike', () => {
    const body = [
      'pid: 958, tid: 960, name: crasher  >>> crasher <<<',
      'signal 6 (SIGABRT), code -6 (SI_TKILL), fault addr --------',
      '    zr 00000000  at 802babc0  v0 00000000  v1 77b99dd0',
      'backtrace:',
      '    #00 pc 00067e94  /system/lib/libc.so (tgkill+20)',
      '    #01 pc 000012a4  /system/xbin/crasher',
    ];
    const shape = (ts: Trace[]): unknown =>
      ts.map((t) => [t.format, t.kind, t.type, t.frames.map((f) => [f.function, f.module, f.address])]);
    const want = shape(parseText(lines(...body)));
    assert.deepEqual(shape(parseText(lines(...body.map((l) => `\t${l.trim()}`)))), want);
    assert.deepEqual(shape(parseText(lines(...body.map((l) => `> ${l}`)))), want);
    assert.deepEqual(shape(parseText(lines(...body.map((l) => l.trim())))), want);
  });

  it('does not claim ART `native:` frames, gdb or sanitizer `#N` frames', () => {
    const traces = parseText(
      lines(
        '"main" prio=5 tid=1 Native',
        '  | sysTid=7934 nice=-10 cgrp=default sched=0/0 handle=0x7434199cc0',
        '  native: #00 pc 000000000004af10  /apex/com.android.runtime/lib64/bionic/libc.so (syscall+32)',
        '',
        '#0  0x00007ffff7829d90 in __libc_start_call_main () from /lib/x86_64-linux-gnu/libc.so.6',
        '    #0 0x4f5e3c in foo /src/a.c:12:3',
      ),
    );
    assert.deepEqual(only(traces, 'tombstone'), []);
  });
});
