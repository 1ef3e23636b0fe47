// Apple variants the corpus does not cover — macOS and symbolicated iOS reports, Application Specific
// Backtraces, the old address-list Last Exception Backtrace, console call stacks one frame per line, every
// Swift runtime error layout, Xcode's thread banners — and the document-level cases: mixed logs, CRLF, cut
// input, re-indented pastes, look-alike lines that are not Apple's.

import * as assert from 'node:assert/strict';
import { parseText, type Frame, type Trace } from '../../../src/core/trace';
import { lines } from './helpers';

function pick(f: Frame | undefined): Partial<Frame> {
  assert.ok(f, 'frame exists');
  const out: Partial<Frame> = {};
  for (const k of ['function', 'file', 'line', 'column', 'module', 'address', 'offset', 'notes'] as const) {
    if (f[k] !== null && f[k] !== undefined) (out as Record<string, unknown>)[k] = f[k];
  }
  return out;
}

function summary(traces: Trace[]): unknown[] {
  return traces.map((t) => [t.format, t.kind, t.title, t.span.start, t.span.end, t.frames.length]);
}

const IOS = [
  'Incident Identifier: 2B3C4D5E-6F70-4812-9A3B-C4D5E6F70812',
  'Hardware Model:      iPhone14,2',
  'Process:             MyApp [1234]',
  'Identifier:          com.example.MyApp',
  'Version:             2.3 (45)',
  '',
  'Exception Type:  EXC_CRASH (SIGABRT)',
  'Exception Codes: 0x0000000000000000, 0x0000000000000000',
  'Triggered by Thread:  0',
  '',
  'Application Specific Information:',
  "*** Terminating app due to uncaught exception 'NSInvalidArgumentException', reason: '*** -[__NSPlaceholderDictionary initWithObjects:forKeys:count:]: attempt to insert nil object from objects[0]'",
  '',
  'Last Exception Backtrace:',
  '0   CoreFoundation                \t0x00000001835d2d38 __exceptionPreprocess + 124',
  '1   libobjc.A.dylib               \t0x000000018aa3a0a4 objc_exception_throw + 56',
  '2   UIKitCore                     \t0x000000018a3e2240 0x18a2c0000 + 1188416',
  '3   MyApp                         \t0x0000000100f7c2a4 AppDelegate.application(_:didFinishLaunchingWithOptions:) + 120 (AppDelegate.swift:12)',
  '4   MyApp                         \t0x0000000100f7c000 main (in MyApp) (main.m:5)',
  '5   dyld                          \t0x00000001a2b3c4d5 start + 2128',
  '',
  'Thread 0 name:  Dispatch queue: com.apple.main-thread',
  'Thread 0 Crashed:',
  '0   libsystem_kernel.dylib        \t0x00000001c2a3b674 __pthread_kill + 8',
  '1   libsystem_c.dylib             \t0x000000019b5b4c8c abort + 180',
  '2   MyApp                         \t0x0000000100f7c000 main (in MyApp) (main.m:5)',
  '',
  'Thread 1:',
  '0   libsystem_pthread.dylib       \t0x00000001d3ab6b74 start_wqthread + 0',
  '',
  'Thread 0 crashed with ARM Thread State (64-bit):',
  '    x0: 0x0000000000000000   x1: 0x0000000000000000   x2: 0x0000000000000000   x3: 0x0000000000000000',
  '    sp: 0x000000016f0a6c90   pc: 0x00000001c2a3b674 cpsr: 0x40001000',
  '   esr: 0x56000080  Address size fault',
  '',
  'Binary Images:',
  '       0x100f74000 -        0x100f83fff MyApp arm64  <6b9a2c4e5f0d3b1a8c7e6d5f4a3b2c1d> /private/var/containers/Bundle/Application/ABC/MyApp.app/MyApp',
  '       0x18a2c0000 -        0x18bb2ffff UIKitCore arm64e  <a1b2c3d4e5f60718293a4b5c6d7e8f90> /System/Library/PrivateFrameworks/UIKitCore.framework/UIKitCore',
  'EOF',
];
const MYAPP = 'image /private/var/containers/Bundle/Application/ABC/MyApp.app/MyApp';

const MACOS = [
  '-------------------------------------',
  'Translated Report (Full Report Below)',
  '-------------------------------------',
  '',
  'Process:               Notes [4242]',
  'Path:                  /System/Applications/Notes.app/Contents/MacOS/Notes',
  'Identifier:            com.apple.Notes',
  'Version:               4.9 (1234)',
  'Code Type:             ARM-64 (Native)',
  '',
  'Date/Time:             2022-03-01 10:00:00.0000 +0100',
  'OS Version:            macOS 12.2.1 (21D62)',
  'Report Version:        12',
  '',
  'System Integrity Protection: enabled',
  '',
  'Crashed Thread:        0  Dispatch queue: com.apple.main-thread',
  '',
  'Exception Type:        EXC_BAD_ACCESS (SIGSEGV)',
  'Exception Codes:       KERN_INVALID_ADDRESS at 0x0000000000000010',
  'Exception Note:        EXC_CORPSE_NOTIFY',
  '',
  'Termination Reason:    Namespace SIGNAL, Code 11 Segmentation fault: 11',
  'Terminating Process:   exc handler [4242]',
  '',
  'VM Region Info: 0x10 is not in any region.  Bytes before following region: 4341088240',
  '      REGION TYPE                    START - END         [ VSIZE] PRT/MAX SHRMOD  REGION DETAIL',
  '      UNUSED SPACE AT START',
  '--->',
  '      __TEXT                      102bf4000-102c2c000    [  224K] r-x/r-x SM=COW  ...MacOS/Notes',
  '',
  'Application Specific Information:',
  'objc_msgSend() selector name: release',
  'BUG IN CLIENT OF LIBDISPATCH: Release of a suspended object',
  '',
  'Thread 0 Crashed::  Dispatch queue: com.apple.main-thread',
  '0   libobjc.A.dylib               \t       0x1a0b4d1a0 objc_msgSend + 32',
  '1   Notes                         \t       0x102c01234 NotesViewController.reload() + 120 (NotesViewController.swift:88)',
  '2   Notes                         \t       0x102c01000 closure #1 in NotesViewController.viewDidLoad() + 44 (NotesViewController.swift:40:9) [inlined]',
  '3   AppKit                        \t       0x1a3c2e3c4 -[NSApplication run] + 596',
  '4   ???                           \t               0x0 ???',
  '',
  'Thread 1:',
  '0   libsystem_pthread.dylib       \t       0x1a0d0d078 start_wqthread + 0',
  '',
  'Thread 2:: com.apple.NSEventThread',
  '0   libsystem_kernel.dylib        \t       0x1a0cd6954 mach_msg_trap + 8',
  '1   AppKit                        \t       0x1a3c2f000 _NSEventThread + 196',
  '',
  '',
  'Thread 0 crashed with ARM Thread State (64-bit):',
  '    x0: 0x0000000000000000   x1: 0x00000001e5a4b2f3   x2: 0x0000000000000000   x3: 0x0000000000000000',
  '    sp: 0x000000016d20b080   pc: 0x00000001a0b4d1a0 cpsr: 0x20000000',
  '',
  'Logical CPU:     0',
  'Error Code:      0x02000148',
  '',
  'Thread 0 instruction stream:',
  '  3a 04 00 94 e0 03 13 aa-fd 7b 41 a9 f4 4f c2 a8  :........{A..O..',
  '',
  'Binary Images:',
  '       0x102bf4000 -        0x102c2bfff com.apple.Notes (4.9) <1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901> /System/Applications/Notes.app/Contents/MacOS/Notes',
  '       0x1a3b2c000 -        0x1a4a2bfff com.apple.AppKit (6.9) <0e1d2c3b-4a59-6877-8695-a4b3c2d1e0f9> /System/Library/Frameworks/AppKit.framework/Versions/C/AppKit',
  '',
  'External Modification Summary:',
  '  Calls made by other processes targeting this process:',
  '    task_for_pid: 0',
];

const JAVA = [
  'Exception in thread "main" java.lang.IllegalStateException: boom',
  '\tat com.acme.App.run(App.java:12)',
  '\tat com.acme.App.main(App.java:5)',
];

describe('apple parser', () => {
  describe('crash reports', () => {
    it('iOS: the exception named in Application Specific Information types the Last Exception Backtrace', () => {
      const traces = parseText(lines(...IOS));
      const reason =
        '*** -[__NSPlaceholderDictionary initWithObjects:forKeys:count:]: attempt to insert nil object from objects[0]';
      // Header opens the first trace; registers and Binary Images belong to no trace.
      assert.deepEqual(summary(traces), [
        ['apple', 'exception', `NSInvalidArgumentException: ${reason}`, 1, 20, 6],
        ['apple', 'crash', 'EXC_CRASH (SIGABRT)', 22, 26, 3],
        ['apple', 'thread', 'Thread 1', 28, 29, 1],
      ]);
      const [leb, crash, t1] = traces as [Trace, Trace, Trace];
      assert.equal(leb.role, 'last-exception');
      assert.equal(leb.type, 'NSInvalidArgumentException');
      assert.equal(leb.message, reason);
      assert.deepEqual(pick(leb.frames[0]), {
        function: '__exceptionPreprocess',
        module: 'CoreFoundation',
        address: '0x00000001835d2d38',
        offset: '+ 124',
      });
      assert.deepEqual(pick(leb.frames[2]), {
        module: 'UIKitCore',
        address: '0x000000018a3e2240',
        offset: '+ 1188416',
        notes: ['base 0x18a2c0000', 'image /System/Library/PrivateFrameworks/UIKitCore.framework/UIKitCore'],
      });
      assert.deepEqual(pick(leb.frames[3]), {
        function: 'AppDelegate.application(_:didFinishLaunchingWithOptions:)',
        file: 'AppDelegate.swift',
        line: 12,
        module: 'MyApp',
        address: '0x0000000100f7c2a4',
        offset: '+ 120',
        notes: [MYAPP],
      });
      assert.deepEqual(pick(leb.frames[4]), {
        function: 'main',
        file: 'main.m',
        line: 5,
        module: 'MyApp',
        address: '0x0000000100f7c000',
        notes: [MYAPP],
      });
      assert.deepEqual(
        leb.frames.map((f) => f.docLine),
        [15, 16, 17, 18, 19, 20],
      );
      assert.deepEqual(crash.thread && { ...crash.thread, attrs: undefined }, {
        name: 'Dispatch queue: com.apple.main-thread',
        id: '0',
        state: 'crashed',
        attrs: undefined,
      });
      assert.equal(crash.thread?.attrs?.['Process'], 'MyApp [1234]');
      assert.equal(crash.thread?.attrs?.['Version'], '2.3 (45)');
      assert.equal(crash.thread?.attrs?.['Exception Type'], 'EXC_CRASH (SIGABRT)');
      assert.match(
        crash.thread?.attrs?.['Application Specific Information'] ?? '',
        /^\*\*\* Terminating app/,
      );
      assert.deepEqual(t1.thread, { name: null, id: '1', state: null });
    });

    it('macOS 12: `Thread 0 Crashed::  queue`, `Thread 2:: name`, multi-line header blocks, [inlined], ???', () => {
      const traces = parseText(lines(...MACOS));
      assert.deepEqual(summary(traces), [
        ['apple', 'crash', 'EXC_BAD_ACCESS (SIGSEGV): KERN_INVALID_ADDRESS at 0x0000000000000010', 5, 41, 5],
        ['apple', 'thread', 'Thread 1', 43, 44, 1],
        ['apple', 'thread', 'Thread 2: com.apple.NSEventThread', 46, 48, 2],
      ]);
      const [crash, , t2] = traces as [Trace, Trace, Trace];
      assert.deepEqual(
        [crash.thread?.name, crash.thread?.id, crash.thread?.state],
        ['Dispatch queue: com.apple.main-thread', '0', 'crashed'],
      );
      assert.equal(crash.thread?.attrs?.['Crashed Thread'], '0  Dispatch queue: com.apple.main-thread');
      assert.equal(
        crash.thread?.attrs?.['VM Region Info'],
        '0x10 is not in any region.  Bytes before following region: 4341088240',
      );
      // A block runs to its blank line, even over lines that read like fields.
      assert.equal(
        crash.thread?.attrs?.['Application Specific Information'],
        'objc_msgSend() selector name: release\nBUG IN CLIENT OF LIBDISPATCH: Release of a suspended object',
      );
      assert.equal(crash.thread?.attrs?.['BUG IN CLIENT OF LIBDISPATCH'], undefined);
      assert.deepEqual(pick(crash.frames[1]), {
        function: 'NotesViewController.reload()',
        file: 'NotesViewController.swift',
        line: 88,
        module: 'Notes',
        address: '0x102c01234',
        offset: '+ 120',
        notes: ['image /System/Applications/Notes.app/Contents/MacOS/Notes'],
      });
      assert.deepEqual(pick(crash.frames[2]), {
        function: 'closure #1 in NotesViewController.viewDidLoad()',
        file: 'NotesViewController.swift',
        line: 40,
        column: 9,
        module: 'Notes',
        address: '0x102c01000',
        offset: '+ 44',
        notes: ['inlined', 'image /System/Applications/Notes.app/Contents/MacOS/Notes'],
      });
      // The frame names the binary; Binary Images name the bundle and its path.
      assert.deepEqual(crash.frames[3]!.notes, [
        'image /System/Library/Frameworks/AppKit.framework/Versions/C/AppKit',
      ]);
      assert.deepEqual(pick(crash.frames[4]), { address: '0x0' });
      assert.deepEqual(t2.thread, { name: 'com.apple.NSEventThread', id: '2', state: null });
    });

    it('macOS: Application Specific Backtrace, the crashed thread found by `Crashed Thread:` alone', () => {
      const traces = parseText(
        lines(
          'Process:         TextEdit [501]',
          'Crashed Thread:  1',
          '',
          'Exception Type:  EXC_CRASH (SIGABRT)',
          'Exception Codes: 0x0000000000000000, 0x0000000000000000',
          '',
          'Application Specific Information:',
          "*** Terminating app due to uncaught exception 'NSRangeException', reason: '*** -[__NSArrayM objectAtIndex:]: index 3 beyond bounds [0 .. 2]'",
          'abort() called',
          'terminating with uncaught exception of type NSException',
          '',
          'Application Specific Backtrace 1:',
          '0   CoreFoundation                      0x00007fff8a1b2c3d __exceptionPreprocess + 171',
          '1   libobjc.A.dylib                     0x00007fff9c8d7e6f objc_exception_throw + 48',
          '2   TextEdit                            0x000000010a2b3c4d -[Document save:] + 61',
          '',
          'Thread 0:: Dispatch queue: com.apple.main-thread',
          '0   libsystem_kernel.dylib              0x00007fff9d1e2f3a mach_msg_trap + 10',
          '',
          'Thread 1:',
          '0   libsystem_kernel.dylib              0x00007fff9d1e2f3b __pthread_kill + 10',
          '1   libsystem_c.dylib                   0x00007fff9d0e1f2c abort + 129',
        ),
      );
      assert.deepEqual(summary(traces), [
        [
          'apple',
          'exception',
          'NSRangeException: *** -[__NSArrayM objectAtIndex:]: index 3 beyond bounds [0 .. 2]',
          1,
          15,
          3,
        ],
        ['apple', 'thread', 'Thread 0: Dispatch queue: com.apple.main-thread', 17, 18, 1],
        ['apple', 'crash', 'EXC_CRASH (SIGABRT)', 20, 22, 2],
      ]);
      assert.equal(traces[0]!.role, 'last-exception');
      assert.deepEqual(traces[2]!.thread && { ...traces[2]!.thread, attrs: undefined }, {
        name: null,
        id: '1',
        state: 'crashed',
        attrs: undefined,
      });
    });

    it('the old Last Exception Backtrace: a parenthesised list of bare addresses, wrapped or on the header line', () => {
      const traces = parseText(
        lines(
          'Exception Type:  EXC_CRASH (SIGABRT)',
          'Exception Codes: 0x0000000000000000, 0x0000000000000000',
          'Crashed Thread:  0',
          '',
          'Last Exception Backtrace:',
          '(0x1835d2d38 0x182a340a4 0x1834b2240',
          '0x100f7c2a4 0x1a2b3c4d5)',
          '',
          'Thread 0 Crashed:',
          '0   libsystem_kernel.dylib        0x00000001c2a3b674 __pthread_kill + 8',
        ),
      );
      assert.deepEqual(summary(traces), [
        ['apple', 'exception', 'EXC_CRASH (SIGABRT)', 1, 7, 5],
        ['apple', 'crash', 'EXC_CRASH (SIGABRT)', 9, 10, 1],
      ]);
      assert.deepEqual(pick(traces[0]!.frames[0]), { address: '0x1835d2d38' });
      assert.deepEqual(
        traces[0]!.frames.map((f) => [f.address, f.docLine]),
        [
          ['0x1835d2d38', 6],
          ['0x182a340a4', 6],
          ['0x1834b2240', 6],
          ['0x100f7c2a4', 7],
          ['0x1a2b3c4d5', 7],
        ],
      );
      const inline = parseText(
        lines(
          'Exception Type:  EXC_CRASH (SIGABRT)',
          'Last Exception Backtrace: (0x2dc0ae83 0x37f676c7 0x2db4bd95)',
          'Thread 0 Crashed:',
          '0   libsystem_kernel.dylib        0x38516d2c __pthread_kill + 8',
        ),
      );
      assert.deepEqual(summary(inline), [
        ['apple', 'exception', 'EXC_CRASH (SIGABRT)', 1, 2, 3],
        ['apple', 'crash', 'EXC_CRASH (SIGABRT)', 3, 4, 1],
      ]);
    });

    it('a report with dozens of threads: every span and docLine is where the text is', () => {
      const text: string[] = [
        'Incident Identifier: 00000000-1111-2222-3333-444444444444',
        'Process:             Big [1]',
        'Exception Type:  EXC_BAD_ACCESS (SIGSEGV)',
        'Exception Subtype: KERN_INVALID_ADDRESS at 0x0000000000000000',
        'Triggered by Thread:  17',
        '',
      ];
      const where: [number, number][] = [];
      for (let t = 0; t < 40; t++) {
        const start = text.length + 1;
        text.push(t === 17 ? `Thread ${t} Crashed:` : `Thread ${t}:`);
        for (let i = 0; i <= t % 5; i++) {
          text.push(
            `${i}   libsystem_kernel.dylib        0x00000001c2a3b6${(10 + i).toString(16)} fn_${t}_${i} + ${i}`,
          );
        }
        where.push([start, text.length]);
        text.push('');
      }
      text.push('Binary Images:', '0x1000 - 0x1fff Big arm64  <00> /Big');
      const traces = parseText(lines(...text));
      assert.equal(traces.length, 40);
      traces.forEach((tr, t) => {
        assert.equal(tr.kind, t === 17 ? 'crash' : 'thread', `thread ${t}`);
        assert.deepEqual(
          [tr.span.start, tr.span.end],
          [t === 0 ? 1 : where[t]![0], where[t]![1]],
          `thread ${t}`,
        );
        tr.frames.forEach((f, i) => {
          assert.equal(f.function, `fn_${t}_${i}`);
          assert.equal(f.docLine, where[t]![0] + 1 + i);
        });
      });
      assert.equal(traces[17]!.title, 'EXC_BAD_ACCESS (SIGSEGV): KERN_INVALID_ADDRESS at 0x0000000000000000');
    });

    it('a report pasted from mid-header: the fields above `Exception Type:` are looked back for', () => {
      const traces = parseText(
        lines(
          'Date/Time:  2020-01-01 10:00:00.000 +0000',
          'OS Version: iPhone OS 13.3 (17C54)',
          '',
          'Exception Type:  EXC_BREAKPOINT (SIGTRAP)',
          'Exception Codes: 0x0000000000000001, 0x00000001022b5c88',
          '',
          'Thread 0 Crashed:',
          '0   libswiftCore.dylib  0x00000001a2b3c4d5 Swift runtime failure: Unexpectedly found nil while unwrapping an Optional value + 0 (ViewController.swift:0) [inlined]',
          '1   MyApp               0x0000000100f7c000 ViewController.viewDidLoad() + 20 (ViewController.swift:15)',
        ),
      );
      // Codes that are only numbers are not a message.
      assert.deepEqual(summary(traces), [['apple', 'crash', 'EXC_BREAKPOINT (SIGTRAP)', 1, 9, 2]]);
      assert.equal(traces[0]!.thread?.attrs?.['OS Version'], 'iPhone OS 13.3 (17C54)');
      assert.deepEqual(pick(traces[0]!.frames[0]), {
        function: 'Swift runtime failure: Unexpectedly found nil while unwrapping an Optional value',
        file: 'ViewController.swift',
        line: 0,
        module: 'libswiftCore.dylib',
        address: '0x00000001a2b3c4d5',
        offset: '+ 0',
        notes: ['inlined'],
      });
    });

    it('thread sections pasted without the report: the crashed one is a crash titled by its header line', () => {
      const traces = parseText(
        lines(
          'Customer pasted:',
          'Thread 0 Crashed:',
          '0   libsystem_kernel.dylib        0x00000001c2a3b674 __pthread_kill + 8',
          '',
          'Thread 3 name:  Dispatch queue: com.example.sync',
          'Thread 3:',
          '0   libsystem_kernel.dylib        0x00000001c2a3b674 __ulock_wait + 8',
          '',
          'thanks',
        ),
      );
      assert.deepEqual(summary(traces), [
        ['apple', 'crash', 'Thread 0 Crashed', 2, 3, 1],
        ['apple', 'thread', 'Thread 3: Dispatch queue: com.example.sync', 5, 7, 1],
      ]);
      assert.deepEqual(traces[0]!.thread, { name: null, id: '0', state: 'crashed' });
    });

    it('two reports back to back are two reports; a header alone is a crash without frames', () => {
      const traces = parseText(lines(...IOS, '', ...IOS.slice(0, 9)));
      assert.deepEqual(summary(traces).slice(3), [['apple', 'crash', 'EXC_CRASH (SIGABRT)', 41, 49, 0]]);
    });
  });

  describe('console NSExceptions', () => {
    it('Xcode console: one frame per line inside ( … ), then libc++abi’s line', () => {
      const traces = parseText(
        lines(
          '2023-05-01 12:00:00.123456+0200 MyApp[1234:567890] -[NSNull length]: unrecognized selector sent to instance 0x1e2a8e9b0',
          "2023-05-01 12:00:00.124000+0200 MyApp[1234:567890] *** Terminating app due to uncaught exception 'NSInvalidArgumentException', reason: '-[NSNull length]: unrecognized selector sent to instance 0x1e2a8e9b0'",
          '*** First throw call stack:',
          '(',
          '\t0   CoreFoundation                      0x00000001803f25e4 __exceptionPreprocess + 236',
          '\t1   libobjc.A.dylib                     0x000000018019813c objc_exception_throw + 56',
          '\t2   MyApp                               0x0000000100f7c2a4 $s5MyApp14ViewControllerC11viewDidLoadyyF + 120',
          '\t3   libdyld.dylib                       0x00000001b1ba0cf8 start + 4',
          ')',
          'libc++abi: terminating due to uncaught exception of type NSException',
          '(lldb) ',
        ),
      );
      assert.deepEqual(summary(traces), [
        [
          'apple',
          'exception',
          'NSInvalidArgumentException: -[NSNull length]: unrecognized selector sent to instance 0x1e2a8e9b0',
          2,
          10,
          4,
        ],
      ]);
      assert.deepEqual(pick(traces[0]!.frames[2]), {
        function: '$s5MyApp14ViewControllerC11viewDidLoadyyF',
        module: 'MyApp',
        address: '0x0000000100f7c2a4',
        offset: '+ 120',
      });
      assert.equal(traces[0]!.timestamp, '2023-05-01 12:00:00.124000+0200');
    });

    it('a reason over several lines; a call stack without its Terminating line takes libc++abi’s type', () => {
      const [multi] = parseText(
        lines(
          "*** Terminating app due to uncaught exception 'NSInternalInconsistencyException', reason: 'Invalid update:",
          'the number of rows in section 0 changed',
          "from 3 to 4.'",
          '*** First throw call stack:',
          '(0x1835d2d38 0x182a340a4 0x1834b2240)',
        ),
      );
      assert.equal(multi!.type, 'NSInternalInconsistencyException');
      assert.equal(multi!.message, 'Invalid update:\nthe number of rows in section 0 changed\nfrom 3 to 4.');
      assert.equal(multi!.title, 'NSInternalInconsistencyException: Invalid update:');
      assert.deepEqual([multi!.span.start, multi!.span.end, multi!.frames.length], [1, 5, 3]);

      const [alone] = parseText(
        lines(
          'some log line',
          '*** First throw call stack:',
          '(0x1835d2d38 0x182a340a4 0x1834b2240)',
          'libc++abi.dylib: terminating with uncaught exception of type NSException',
        ),
      );
      assert.deepEqual(summary([alone!]), [['apple', 'exception', 'NSException', 2, 4, 3]]);
    });
  });

  describe('Swift runtime errors', () => {
    it('each Swift layout: type, message and the reported file and line as the first frame', () => {
      const traces = parseText(
        lines(
          'Fatal error: Unexpectedly found nil while unwrapping an Optional value: file MyApp/ViewController.swift, line 42',
          '',
          'MyApp/ViewController.swift:42: Fatal error: Unexpectedly found nil while unwrapping an Optional value',
          '',
          'Precondition failed: index must be positive: file Sources/Core/Buffer.swift, line 7',
          '',
          'Sources/Core/Buffer.swift:9: Assertion failed: negative count',
          '',
          'Fatal error: file main.swift, line 1',
          '',
          "Fatal error: 'try!' expression unexpectedly raised an error: Error Domain=NSCocoaErrorDomain Code=4: file App/Store.swift, line 30",
          '',
          'fatal error: unexpectedly found nil while unwrapping an Optional value',
        ),
      );
      assert.deepEqual(
        traces.map((t) => [t.kind, t.type, t.message, t.frames.map((f) => [f.file, f.line, f.docLine])]),
        [
          [
            'crash',
            'Fatal error',
            'Unexpectedly found nil while unwrapping an Optional value',
            [['MyApp/ViewController.swift', 42, 1]],
          ],
          [
            'crash',
            'Fatal error',
            'Unexpectedly found nil while unwrapping an Optional value',
            [['MyApp/ViewController.swift', 42, 3]],
          ],
          ['crash', 'Precondition failed', 'index must be positive', [['Sources/Core/Buffer.swift', 7, 5]]],
          ['crash', 'Assertion failed', 'negative count', [['Sources/Core/Buffer.swift', 9, 7]]],
          ['crash', 'Fatal error', null, [['main.swift', 1, 9]]],
          [
            'crash',
            'Fatal error',
            "'try!' expression unexpectedly raised an error: Error Domain=NSCocoaErrorDomain Code=4",
            [['App/Store.swift', 30, 11]],
          ],
          // Swift 3 wrote no location.
          ['crash', 'fatal error', 'unexpectedly found nil while unwrapping an Optional value', []],
        ],
      );
      assert.ok(traces.every((t) => t.format === 'apple'));
      assert.deepEqual(traces[0]!.frames[0]!.notes, ['reported location']);
      assert.equal(traces[0]!.frames[0]!.function, null);
    });

    it('Linux: the stack the runtime prints under `Current stack trace:` follows the reported location', () => {
      const traces = parseText(
        lines(
          'Fatal error: Index out of range: file Swift/ContiguousArrayBuffer.swift, line 444',
          'Current stack trace:',
          '0    libswiftCore.so                    0x00007f0e1e6b8b60 swift_reportError + 50',
          '1    libswiftCore.so                    0x00007f0e1e43f2a5 <unavailable> + 1403301',
          '2    app                                0x000055c3b1c2d1f4 main + 180',
          'Illegal instruction (core dumped)',
        ),
      );
      assert.deepEqual(summary(traces), [['apple', 'crash', 'Fatal error: Index out of range', 1, 5, 4]]);
      const f = traces[0]!.frames;
      assert.deepEqual(pick(f[0]), {
        file: 'Swift/ContiguousArrayBuffer.swift',
        line: 444,
        notes: ['reported location'],
      });
      assert.deepEqual(pick(f[2]), {
        module: 'libswiftCore.so',
        address: '0x00007f0e1e43f2a5',
        offset: '+ 1403301',
      });
      assert.deepEqual(pick(f[3]), {
        function: 'main',
        module: 'app',
        address: '0x000055c3b1c2d1f4',
        offset: '+ 180',
      });
    });

    it('Xcode’s thread banners: Fatal error, EXC_BAD_ACCESS, signal, a quoted exception reason', () => {
      const traces = parseText(
        lines(
          'Thread 1: Fatal error: Unexpectedly found nil while implicitly unwrapping an Optional value',
          'Thread 1: EXC_BAD_ACCESS (code=1, address=0x0)',
          'Thread 3: signal SIGABRT',
          'Thread 1: "-[NSNull length]: unrecognized selector sent to instance 0x1e2a8e9b0"',
        ),
      );
      assert.deepEqual(
        traces.map((t) => [t.kind, t.title, t.type, t.message, t.thread]),
        [
          [
            'crash',
            'Fatal error: Unexpectedly found nil while implicitly unwrapping an Optional value',
            'Fatal error',
            'Unexpectedly found nil while implicitly unwrapping an Optional value',
            { name: null, id: '1', state: 'crashed' },
          ],
          [
            'crash',
            'EXC_BAD_ACCESS (code=1, address=0x0)',
            'EXC_BAD_ACCESS',
            'code=1, address=0x0',
            { name: null, id: '1', state: 'crashed' },
          ],
          ['crash', 'signal SIGABRT', 'SIGABRT', null, { name: null, id: '3', state: 'crashed' }],
          [
            'exception',
            '-[NSNull length]: unrecognized selector sent to instance 0x1e2a8e9b0',
            null,
            '-[NSNull length]: unrecognized selector sent to instance 0x1e2a8e9b0',
            { name: null, id: '1', state: 'crashed' },
          ],
        ],
      );
    });

    it("Apple's C assert names the function, file and line", () => {
      const [t] = parseText('Assertion failed: (ptr != NULL), function copy_buffer, file buffer.c, line 88.');
      assert.deepEqual([t!.format, t!.kind, t!.title], ['apple', 'crash', 'Assertion failed: (ptr != NULL)']);
      assert.deepEqual(pick(t!.frames[0]), {
        function: 'copy_buffer',
        file: 'buffer.c',
        line: 88,
        notes: ['reported location'],
      });
    });
  });

  describe('in documents', () => {
    it('a pasted stack without its header is a crash titled by its first frame; numbering from 0 again is another', () => {
      const traces = parseText(
        lines(
          'the customer sent this:',
          '0   libsystem_kernel.dylib        0x00000001c2a3b674 __pthread_kill + 8',
          '1   MyApp                         0x0000000100f7c000 main + 88 (main.m:16)',
          '0   CoreFoundation                0x00000001835d2d38 __exceptionPreprocess + 124',
          'thanks',
        ),
      );
      assert.deepEqual(summary(traces), [
        ['apple', 'crash', '0 libsystem_kernel.dylib 0x00000001c2a3b674 __pthread_kill + 8', 2, 3, 2],
        ['apple', 'crash', '0 CoreFoundation 0x00000001835d2d38 __exceptionPreprocess + 124', 4, 4, 1],
      ]);
    });

    it('macOS 12 frames pasted alone: a tab then spaces before the address, a module name with spaces', () => {
      const traces = parseText(
        lines(
          '0   libobjc.A.dylib               \t       0x1a0b4d1a0 objc_msgSend + 32',
          '1   Google Chrome Framework       \t       0x10c2d3e4f ChromeMain (in Google Chrome Framework) + 12',
        ),
      );
      assert.deepEqual(summary(traces), [
        ['apple', 'crash', '0 libobjc.A.dylib 0x1a0b4d1a0 objc_msgSend + 32', 1, 2, 2],
      ]);
      assert.deepEqual(pick(traces[0]!.frames[1]), {
        function: 'ChromeMain',
        module: 'Google Chrome Framework',
        address: '0x10c2d3e4f',
        offset: '+ 12',
      });
    });

    it('a report between log lines and a Java trace: each goes to its own parser', () => {
      const traces = parseText(
        lines(
          '2024-01-01 10:00:00,000 INFO  [main] c.a.Support - ticket 4711, crash report follows',
          ...IOS,
          '2024-01-01 10:00:01,000 ERROR [main] c.a.Support - and the server said',
          ...JAVA,
          '2024-01-01 10:00:02,000 INFO  [main] c.a.Support - done',
        ),
      );
      assert.deepEqual(
        traces.map((t) => [t.format, t.kind, t.span.start, t.span.end]),
        [
          ['apple', 'exception', 2, 21],
          ['apple', 'crash', 23, 27],
          ['apple', 'thread', 29, 30],
          ['java', 'exception', 42, 44],
        ],
      );
    });

    it('a report cut after its register state, then a Java trace: the registers are not the Java frames', () => {
      const traces = parseText(lines(...IOS.slice(0, 34), ...JAVA));
      assert.deepEqual(
        traces.map((t) => [t.format, t.kind, t.span.start, t.span.end, t.frames.length]),
        [
          ['apple', 'exception', 1, 20, 6],
          ['apple', 'crash', 22, 26, 3],
          ['apple', 'thread', 28, 29, 1],
          ['java', 'exception', 35, 37, 2],
        ],
      );
    });

    it('CRLF input parses like LF input', () => {
      const all = [...IOS, '', ...MACOS];
      assert.deepEqual(parseText(all.join('\r\n') + '\r\n'), parseText(lines(...all)));
    });

    it('input cut mid-line: a frame cut in its symbol is kept (truncated if a bracket is open), one cut before its address is dropped', () => {
      const head = IOS.slice(0, 24);
      const [, inSymbol] = parseText(
        lines(
          ...head,
          '1   libsystem_c.dylib             \t0x000000019b5b4c8c -[NSObject(NSObject) doesNotRec',
        ),
      );
      assert.equal(inSymbol!.frames.length, 2);
      assert.deepEqual(pick(inSymbol!.frames[1]), {
        function: '-[NSObject(NSObject) doesNotRec',
        module: 'libsystem_c.dylib',
        address: '0x000000019b5b4c8c',
        notes: ['truncated'],
      });
      const [, inModule] = parseText(lines(...head, '1   libsystem_c.dyl'));
      assert.equal(inModule!.frames.length, 1);
      assert.deepEqual([inModule!.span.start, inModule!.span.end], [22, 24]);
      const [, inAddress] = parseText(lines(...head, '1   libsystem_c.dylib             \t0x00000001'));
      assert.deepEqual(pick(inAddress!.frames[1]), { module: 'libsystem_c.dylib', address: '0x00000001' });
      const cutHeader = parseText(lines(...IOS.slice(0, 7), 'Exception Codes: 0x00000'));
      assert.deepEqual(summary(cutHeader), [['apple', 'crash', 'EXC_CRASH (SIGABRT)', 1, 8, 0]]);
    });

    it('re-indented input (quoted, tab- or space-indented) parses like the original', () => {
      const want = summary(parseText(lines(...IOS)));
      assert.deepEqual(summary(parseText(lines(...IOS.map((l) => `> ${l}`)))), want);
      assert.deepEqual(summary(parseText(lines(...IOS.map((l) => (l ? `    ${l}` : l))))), want);
      assert.deepEqual(summary(parseText(lines(...IOS.map((l) => (l ? `\t${l}` : l))))), want);
    });

    it('lines that only look like Apple’s are left alone', () => {
      const traces = parseText(
        lines(
          'Thread 1: started worker',
          'Thread 2:',
          'Process: restarted [12] ok',
          'Process:  nothing to see',
          'Exception Type: System.NullReferenceException',
          '12 items at 0x7f00 failed',
          '3   retries   0x10 later',
          'got (0x0) back',
          '(0x1 0x2)',
          'Fatal error: Uncaught Error: Call to undefined function foo() in /var/www/index.php:3',
          'Assertion failed: p != NULL, file C:\\src\\main.c, line 12',
          'Fatal error: cannot open configuration',
          'fatal error: all goroutines are asleep - deadlock!',
        ),
      );
      assert.deepEqual(
        traces.filter((t) => t.format === 'apple').map((t) => t.title),
        [],
      );
    });
  });
});
