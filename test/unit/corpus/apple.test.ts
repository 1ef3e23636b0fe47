// Apple crash reports, console NSExceptions and Swift runtime errors from the corpus, as a reader lists them.
// Conventions: a crash report yields one trace per stack — the Last Exception Backtrace (kind `exception`,
// role `last-exception`) and each thread (the crashed one kind `crash`, titled by the report's Exception
// Type, the others kind `thread`), in document order. The report's header opens the span of its first
// trace; register state and Binary Images are read but belong to no trace. An unsymbolicated frame
// (`Crashy 0x100052d10 0x10004c000 + 27920`) has no function, its offset, and the note `base 0x10004c000`;
// Binary Images add the note `image <path>` to the frames of each listed module. A Swift runtime error's
// own `file, line` is its first frame (no function, note `reported location`).

import * as assert from 'node:assert/strict';
import { expectTraces, parseCorpus, type FrameExpect, type TraceExpect } from './harness';

const CRASHY =
  '/var/mobile/Containers/Bundle/Application/83FB728B-ACE7-4D2B-9CB2-D24901F83FFB/Crashy.app/Crashy';

/** A non-crashed thread of a report: `[index, span, frames, first, last]`. */
type ThreadRow = [id: string, span: [number, number], frames: number, first: FrameExpect, last: FrameExpect];

function threads(rows: ThreadRow[], names: Record<string, string | null> = {}): TraceExpect[] {
  return rows.map(([id, span, frames, first, last]) => ({
    format: 'apple',
    kind: 'thread',
    title: names[id] ? `Thread ${id}: ${names[id]}` : `Thread ${id}`,
    thread: { id, name: names[id] ?? null, state: null },
    span,
    frames,
    first,
    last,
  }));
}

const WQ: FrameExpect = ['__workq_kernreturn', null, null];
const START_WQ: FrameExpect = ['start_wqthread', null, null];
const START_WQ_SRC: FrameExpect = ['start_wqthread', 'pthread.c', 2333];
const MACH: FrameExpect = ['mach_msg_trap', null, null];
const THREAD_START: FrameExpect = ['thread_start', null, null];

describe('corpus: ios-crash', () => {
  it('01 iOS 8 SIGABRT: Last Exception Backtrace, crashed thread 0, four threads, unsymbolicated app frames', () => {
    expectTraces('ios-crash/01-ios8-sigabrt-last-exception-backtrace.txt', [
      {
        // No Application Specific Information names the exception: type from the Exception Type.
        format: 'apple',
        kind: 'exception',
        role: 'last-exception',
        title: 'EXC_CRASH (SIGABRT)',
        type: 'EXC_CRASH (SIGABRT)',
        message: null,
        span: [1, 41],
        frames: 21,
        first: ['__exceptionPreprocess', null, null],
        last: ['start', null, null],
        at: {
          0: { module: 'CoreFoundation', address: '0x1883aa59c', offset: '+ 132' },
          2: { function: '-[__NSPlaceholderArray initWithObjects:count:]', offset: '+ 412' },
          4: {
            function: null,
            module: 'Crashy',
            address: '0x100052d10',
            offset: '+ 27920',
            notes: ['base 0x10004c000', `image ${CRASHY}`],
          },
          19: { function: null, offset: '+ 28180', docLine: 40 },
        },
      },
      {
        format: 'apple',
        kind: 'crash',
        title: 'EXC_CRASH (SIGABRT)',
        type: 'EXC_CRASH (SIGABRT)',
        thread: { name: 'Dispatch queue: com.apple.main-thread', id: '0', state: 'crashed' },
        span: [44, 59],
        frames: 14,
        first: ['__pthread_kill', null, null],
        last: ['start', null, null],
        at: {
          0: { module: 'libsystem_kernel.dylib', address: '0x000000019927b270', offset: '+ 8', docLine: 46 },
          4: { function: 'default_terminate_handler()', offset: '+ 300' },
          6: { function: 'std::__terminate(void (*)())', offset: '+ 12' },
          12: { function: null, module: 'Crashy', notes: ['base 0x10004c000', `image ${CRASHY}`] },
        },
      },
      ...threads(
        [
          ['1', [61, 65], 3, ['kevent64', null, null], ['_dispatch_mgr_thread', null, null]],
          ['2', [67, 70], 3, WQ, START_WQ],
          ['3', [72, 75], 3, WQ, START_WQ],
          ['4', [77, 80], 3, WQ, START_WQ],
        ],
        { 1: 'Dispatch queue: com.apple.libdispatch-manager' },
      ),
    ]);
  });

  it('01: the report header is kept as the crashed thread’s attributes', () => {
    const crash = parseCorpus('ios-crash/01-ios8-sigabrt-last-exception-backtrace.txt')[1]!;
    const attrs = crash.thread?.attrs ?? {};
    assert.equal(attrs['Incident Identifier'], 'E44AD7C2-4F93-47A8-A1D7-CB619425EFB1');
    assert.equal(attrs['Process'], 'Crashy [8364]');
    assert.equal(attrs['Version'], '1 (1.0)');
    assert.equal(attrs['Exception Codes'], '0x0000000000000000, 0x0000000000000000');
    assert.equal(attrs['Triggered by Thread'], '0');
  });

  it('02 iOS 7 SIGBUS, PLCrashReporter header: Crashed Thread, Swift frames with (File.swift:N), 8 threads', () => {
    const libswift =
      '/private/var/mobile/Applications/D3CC3D22-1B0F-4CAF-8F68-71AD3B211CD9/MyJablotron_dev.app/Frameworks/libswiftCore.dylib';
    expectTraces('ios-crash/02-ios7-sigbus-plcrashreporter-style.txt', [
      {
        format: 'apple',
        kind: 'crash',
        // PLCrashReporter writes the signal alone; its codes say why.
        title: 'SIGBUS: BUS_ADRALN at 0xcd0b1c',
        type: 'SIGBUS',
        message: 'BUS_ADRALN at 0xcd0b1c',
        thread: { name: null, id: '0', state: 'crashed' },
        span: [1, 56],
        frames: 36,
        first: [null, null, null],
        last: ['start', null, null],
        at: {
          0: {
            module: 'libswiftCore.dylib',
            address: '0x011aed64',
            offset: '+ 2051428',
            notes: ['base 0xfba000', `image ${libswift}`],
          },
          6: {
            function:
              'type metadata accessor for MyJablotron.CDFM<MyJablotron.ChartDataPointStructure, MyJablotron.ChartDataPointStructureLegend>',
            file: 'ChartThermoPlotSpace.swift',
            line: 0,
            offset: null,
          },
          7: {
            function: 'MyJablotron.ChartThermoPlotSpace.init ()MyJablotron.ChartThermoPlotSpace',
            file: 'ChartThermoPlotSpace.swift',
            line: 206,
          },
          9: {
            function: 'MyJablotron.ChartBase.initWithThermometer (__ObjC.Thermometer)()',
            file: 'ChartBase.swift',
            line: 139,
          },
          14: { function: '-[UIViewController loadViewIfRequired]', module: 'UIKit', offset: '+ 516' },
          34: { function: 'main', file: 'main.m', line: 16, module: 'MyJablotron_dev', offset: null },
        },
      },
      ...threads([
        ['1', [58, 60], 2, ['kevent64', null, null], ['_dispatch_mgr_thread$VARIANT$up', null, null]],
        ['2', [62, 90], 28, ['semaphore_wait_trap', null, null], ['start_wqthread', null, null]],
        ['3', [92, 116], 24, ['fsync', null, null], THREAD_START],
        ['4', [118, 128], 10, MACH, THREAD_START],
        ['5', [130, 134], 4, ['__select', null, null], THREAD_START],
        ['6', [136, 138], 2, WQ, START_WQ],
        ['7', [140, 142], 2, WQ, START_WQ],
      ]),
    ]);
    const t2 = parseCorpus('ios-crash/02-ios7-sigbus-plcrashreporter-style.txt')[2]!;
    assert.deepEqual(
      [t2.frames[5]!.function, t2.frames[5]!.file, t2.frames[5]!.line],
      ['__40+[User(Data) getCurrentUserWithContext:]_block_invoke', 'User+Data.m', 41],
    );
  });

  it('03 iOS 10 watchdog SIGKILL: Termination Reason in the title, empty thread names, 17 threads', () => {
    expectTraces('ios-crash/03-ios10-sigkill-sqlite-deadlock.txt', [
      {
        format: 'apple',
        kind: 'crash',
        title: 'EXC_CRASH (SIGKILL): Namespace SPRINGBOARD, Code 0xdead10cc',
        type: 'EXC_CRASH (SIGKILL)',
        message: 'Namespace SPRINGBOARD, Code 0xdead10cc',
        thread: { name: null, id: '0', state: 'crashed' },
        span: [1, 35],
        frames: 9,
        first: MACH,
        last: ['start', null, null],
        at: {
          1: { function: 'mach_msg', file: 'mach_msg.c', line: 103, offset: '+ 72', docLine: 28 },
          7: { function: 'main', file: 'main.m', line: 16, module: 'OneMessenger', offset: '+ 88' },
        },
      },
      ...threads([
        ['1', [37, 38], 1, START_WQ_SRC, START_WQ_SRC],
        ['2', [40, 43], 3, WQ, START_WQ],
        ['3', [45, 46], 1, START_WQ_SRC, START_WQ_SRC],
        ['4', [48, 61], 12, MACH, THREAD_START],
        ['5', [63, 86], 22, ['__ulock_wait', null, null], START_WQ],
        ['6', [88, 89], 1, START_WQ_SRC, START_WQ_SRC],
        ['7', [91, 104], 12, MACH, THREAD_START],
        ['8', [106, 117], 10, MACH, THREAD_START],
        ['9', [119, 120], 1, START_WQ_SRC, START_WQ_SRC],
        ['10', [122, 125], 3, WQ, START_WQ],
        ['11', [127, 146], 18, ['__ulock_wait', null, null], START_WQ],
        ['12', [148, 159], 10, MACH, THREAD_START],
        ['13', [161, 171], 9, MACH, THREAD_START],
        ['14', [173, 179], 5, ['__select', null, null], THREAD_START],
        ['15', [181, 201], 19, ['confstr', 'confstr.c', 225], START_WQ],
        ['16', [203, 221], 17, ['fsync', null, null], START_WQ],
      ]),
    ]);
    const traces = parseCorpus('ios-crash/03-ios10-sigkill-sqlite-deadlock.txt');
    const t11 = traces[11]!;
    assert.deepEqual(
      [t11.frames[7]!.function, t11.frames[7]!.file, t11.frames[7]!.line, t11.frames[7]!.offset],
      [
        'specialized WebSocket.(processResponse(WebSocket.WSResponse) -> Bool).(closure #1)',
        'WebSocket.swift',
        833,
        '+ 320',
      ],
    );
    assert.deepEqual(
      [t11.frames[8]!.function, t11.frames[8]!.file],
      ['partial apply for WebSocket.(processResponse(WebSocket.WSResponse) -> Bool).(closure #1)', null],
    );
    assert.equal(traces[12]!.frames[5]!.function, 'GenericRunLoopThread::Entry(void*)');
    assert.equal(traces[0]!.thread?.attrs?.['Termination Reason'], 'Namespace SPRINGBOARD, Code 0xdead10cc');
  });

  it('04 console export: uncaught NSException, `*** First throw call stack:` as one line of bare addresses', () => {
    expectTraces('ios-crash/04-console-first-throw-call-stack.txt', [
      {
        format: 'apple',
        kind: 'exception',
        title:
          'NSInvalidArgumentException: -[__NSCFConstantString _isDispatchData]: unrecognized selector sent to instance 0x3f054',
        type: 'NSInvalidArgumentException',
        message: '-[__NSCFConstantString _isDispatchData]: unrecognized selector sent to instance 0x3f054',
        span: [5, 7],
        frames: 24,
        first: [null, null, null],
        last: [null, null, null],
        at: {
          0: { address: '0x25aa391b', module: null, docLine: 7 },
          6: { address: '0x3d997', docLine: 7 },
          23: { address: '0x2565b873', docLine: 7 },
        },
      },
    ]);
  });

  it('07 Swift 5.4+ `path:line: Fatal error: …`: the location is the first frame', () => {
    expectTraces('ios-crash/07-swift54-fatal-error-path-colon-line-prefix.txt', [
      {
        format: 'apple',
        kind: 'crash',
        title: 'Fatal error: Unexpectedly found nil while unwrapping an Optional value',
        type: 'Fatal error',
        message: 'Unexpectedly found nil while unwrapping an Optional value',
        span: [1, 1],
        frames: 1,
        first: [null, 'ScClient/client.swift', 72],
        at: { 0: { notes: ['reported location'], docLine: 1 } },
      },
    ]);
  });
});
