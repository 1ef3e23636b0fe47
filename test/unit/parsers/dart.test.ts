// The Dart parser on inline traces: the VM's unhandled exceptions, async suspensions, Flutter's boxed reports
// (with and without a stack), logcat and iOS console prefixes, elisions, package:stack_trace's terse frames,
// and traces inside logs, CRLF, cut or re-indented.

import * as assert from 'node:assert/strict';
import { dartParser, parseDartFrame, parseTerseFrame } from '../../../src/core/trace/parsers/dart';
import { parserTriggered } from '../../../src/core/trace/scanner';
import { lines, parse, triple } from './helpers';

const VM = lines(
  'Unhandled exception:',
  'Bad state: No element',
  '#0      ListBase.firstWhere (dart:collection/list.dart:167:5)',
  '#1      Repo.find (package:app/src/repo.dart:12:5)',
  '<asynchronous suspension>',
  '#2      main (file:///home/u/app/bin/app.dart:3:1)',
  '#3      _delayEntrypointInvocation.<anonymous closure> (dart:isolate-patch/isolate_patch.dart:297:19)',
  '#4      _RawReceivePort._handleMessage (dart:isolate-patch/isolate_patch.dart:184:12)',
);

const BOXED = lines(
  '══╡ EXCEPTION CAUGHT BY WIDGETS LIBRARY ╞═══════════════════════════════════════════════════════════',
  'The following _CastError was thrown building CartPage(dirty, state: _CartPageState#1a2b3):',
  "type 'Null' is not a subtype of type 'String' in type cast",
  '',
  'The relevant error-causing widget was:',
  '  CartPage file:///home/u/shop/lib/main.dart:40:16',
  '',
  'When the exception was thrown, this was the stack:',
  '#0      _CartPageState.build (package:shop/cart_page.dart:58:31)',
  '#1      StatefulElement.build (package:flutter/src/widgets/framework.dart:4992:27)',
  '...     Normal element mounting (25 frames)',
  '#27     Element.inflateWidget (package:flutter/src/widgets/framework.dart:3953:16)',
  '(elided 3 frames from class _AssertionError and dart:async)',
  '',
  'The following RenderObject was being processed when the exception was fired: RenderFlex#1c2d3',
  '════════════════════════════════════════════════════════════════════════════════════════════════════',
);

describe('dart parser', () => {
  describe('Dart VM', () => {
    it('Unhandled exception: the error line, dart: and file: frames, <asynchronous suspension>', () => {
      const [t] = parse(VM, 1);
      assert.equal(t!.format, 'dart');
      assert.equal(t!.kind, 'exception');
      // `Bad state` is StateError's own wording, not a type name.
      assert.equal(t!.title, 'Bad state: No element');
      assert.equal(t!.type, null);
      assert.equal(t!.message, 'Bad state: No element');
      assert.deepEqual(t!.span, { start: 1, end: 8 });
      assert.deepEqual(t!.frames.map(triple), [
        ['ListBase.firstWhere', 'dart:collection/list.dart', 167],
        ['Repo.find', 'package:app/src/repo.dart', 12],
        ['main', 'file:///home/u/app/bin/app.dart', 3],
        ['_delayEntrypointInvocation.<anonymous closure>', 'dart:isolate-patch/isolate_patch.dart', 297],
        ['_RawReceivePort._handleMessage', 'dart:isolate-patch/isolate_patch.dart', 184],
      ]);
      const [first, repo, main] = t!.frames;
      assert.equal(first!.module, 'dart:collection');
      assert.equal(first!.column, 5);
      assert.equal(repo!.module, 'app');
      // The suspension is a note on the frame that resumed, not a frame.
      assert.deepEqual(main!.notes, ['async']);
      assert.equal(main!.module, null);
      assert.equal(main!.docLine, 6);
    });

    it('a typed error line right above the frames, without `Unhandled exception:`', () => {
      const [t] = parse(
        lines(
          'RangeError (index): Invalid value: Not in inclusive range 0..2: 5',
          '#0      List.[] (dart:core-patch/growable_array.dart:264:36)',
          '#1      Cart.item (package:shop/cart.dart:9:18)',
        ),
        1,
      );
      assert.equal(t!.type, 'RangeError (index)');
      assert.equal(t!.message, 'Invalid value: Not in inclusive range 0..2: 5');
      assert.deepEqual(t!.span, { start: 1, end: 3 });
      assert.equal(t!.frames[0]!.function, 'List.[]');
      assert.equal(t!.frames[0]!.module, 'dart:core-patch');
    });

    it('frames parsed on their own; a gdb frame is not Dart', () => {
      const p = parseDartFrame('#12     new Foo.<anonymous closure> (package:a/b.dart:1:2)', 4)!;
      assert.equal(p.index, 12);
      assert.deepEqual(triple(p.frame), ['new Foo.<anonymous closure>', 'package:a/b.dart', 1]);
      assert.equal(parseDartFrame('#1  0x00007f in abort () from /lib/libc.so.6', 1), null);
      assert.equal(parseDartFrame('#0  main (argc=1, argv=0x7ffc) at main.c:5', 1), null);
      parse(
        lines('#0  0x00007ffff7a42428 in raise () from /lib/x86_64-linux-gnu/libc.so.6', '#1  abort ()'),
        1,
      ).forEach((t) => assert.notEqual(t.format, 'dart'));
    });
  });

  describe('Flutter', () => {
    it('boxed report: type from "The following X was thrown", widget, elisions, text after the stack', () => {
      const [t] = parse(BOXED, 1);
      assert.equal(t!.title, "_CastError: type 'Null' is not a subtype of type 'String' in type cast");
      assert.equal(t!.type, '_CastError');
      assert.deepEqual(t!.span, { start: 1, end: 16 });
      assert.deepEqual(t!.frames.map(triple), [
        ['_CartPageState.build', 'package:shop/cart_page.dart', 58],
        ['StatefulElement.build', 'package:flutter/src/widgets/framework.dart', 4992],
        ['Element.inflateWidget', 'package:flutter/src/widgets/framework.dart', 3953],
      ]);
      assert.deepEqual(t!.frames[2]!.notes, ['elided: Normal element mounting (25 frames)']);
      assert.equal(t!.omittedFrames, 28);
      const widget = t!.related?.[0];
      assert.equal(widget?.role, 'error-causing widget');
      assert.deepEqual(triple(widget?.frames[0]), ['CartPage', 'file:///home/u/shop/lib/main.dart', 40]);
      assert.equal(widget?.frames[0]!.column, 16);
    });

    it('a report without a stack (layout overflow) is still a trace', () => {
      const [t] = parse(
        lines(
          '══╡ EXCEPTION CAUGHT BY RENDERING LIBRARY ╞═════════════════════════════════════════════════════════',
          'The following assertion was thrown during layout:',
          'A RenderFlex overflowed by 99 pixels on the right.',
          '',
          'The overflowing RenderFlex has an orientation of Axis.horizontal.',
          '════════════════════════════════════════════════════════════════════════════════════════════════════',
          'Reloaded 1 of 700 libraries in 300ms.',
        ),
        1,
      );
      assert.equal(t!.title, 'AssertionError: A RenderFlex overflowed by 99 pixels on the right.');
      assert.equal(t!.frames.length, 0);
      assert.deepEqual(t!.span, { start: 1, end: 6 });
    });

    it('logcat E/flutter with the engine header and `(elided N frames …)`', () => {
      const text = lines(
        'E/flutter ( 4321): [ERROR:flutter/runtime/dart_vm_initializer.cc(41)] Unhandled Exception: Null check operator used on a null value',
        'E/flutter ( 4321): #0      _HomeState.build.<anonymous closure> (package:myapp/main.dart:50:12)',
        'E/flutter ( 4321): #1      State.setState (package:flutter/src/widgets/framework.dart:1204:30)',
        'E/flutter ( 4321): (elided 2 frames from dart:async)',
        'E/flutter ( 4321): #4      _rootRun (dart:async/zone.dart:1399:13)',
        'E/flutter ( 4321): ',
        'D/EGL_emulation( 4321): app_time_stats: avg=16.2ms',
      );
      const [t] = parse(text, 1);
      assert.equal(t!.title, 'Null check operator used on a null value');
      assert.deepEqual(t!.span, { start: 1, end: 5 });
      assert.equal(t!.frames.length, 3);
      assert.deepEqual(t!.frames[2]!.notes, ['elided 2 frames from dart:async']);
      assert.equal(t!.omittedFrames, 2);
      assert.equal(parserTriggered(dartParser, 'E/flutter ( 4321): #0      f (package:a/b.dart:1:2)'), true);
    });

    it("the iOS console's `flutter: ` prefix", () => {
      const [t] = parse(
        lines(
          'flutter: Exception: boom',
          'flutter: #0      main.<anonymous closure> (package:app/main.dart:9:7)',
          'flutter: #1      _rootRun (dart:async/zone.dart:1399:13)',
        ),
        1,
      );
      assert.equal(t!.type, 'Exception');
      assert.equal(t!.message, 'boom');
      assert.equal(t!.frames.length, 2);
    });
  });

  describe('package:stack_trace terse frames', () => {
    it('a `dart test` failure: folded packages, line:column, asynchronous gaps', () => {
      const text = lines(
        '00:02 +0 -1: counter increments [E]',
        '  Expected: <2>',
        '    Actual: <1>',
        '',
        '  package:matcher                              expect',
        '  package:flutter_test/src/widget_tester.dart 455:18  expect',
        '  test/widget_test.dart 30:7                   main.<fn>',
        '  ===== asynchronous gap ===========================',
        '  dart:async                                   _completeOnAsyncError',
        '  test/widget_test.dart 20:3                   main.<fn>',
        '',
        '00:02 +0 -1: Some tests failed.',
      );
      const [t] = parse(text, 1);
      assert.deepEqual(t!.span, { start: 5, end: 10 });
      assert.deepEqual(t!.frames.map(triple), [
        ['expect', 'package:matcher', null],
        ['expect', 'package:flutter_test/src/widget_tester.dart', 455],
        ['main.<fn>', 'test/widget_test.dart', 30],
        ['_completeOnAsyncError', 'dart:async', null],
        ['main.<fn>', 'test/widget_test.dart', 20],
      ]);
      assert.equal(t!.frames[0]!.module, 'matcher');
      assert.equal(t!.frames[1]!.column, 18);
      assert.deepEqual(t!.frames[3]!.notes, ['async']);
      assert.equal(parseTerseFrame('Expected: <2>', 1), null);
    });
  });

  describe('in real documents', () => {
    it('a Dart trace between log lines and a Java trace: each goes to its own parser', () => {
      const text = lines(
        '2024-05-01 10:00:00,001 INFO  [main] starting',
        VM,
        '2024-05-01 10:00:01,002 ERROR [main] gateway failed',
        'java.lang.IllegalStateException: client died',
        '\tat com.acme.Gateway.check(Gateway.java:42)',
        '\tat com.acme.Main.main(Main.java:7)',
        '2024-05-01 10:00:01,003 INFO  [main] shutting down',
      );
      const [dart, java] = parse(text, 2);
      assert.equal(dart!.format, 'dart');
      assert.deepEqual(dart!.span, { start: 2, end: 9 });
      assert.equal(dart!.frames.length, 5);
      assert.equal(java!.format, 'java');
      assert.deepEqual(java!.span, { start: 11, end: 13 });
    });

    it('CRLF line endings', () => {
      const [t] = parse(BOXED.split('\n').join('\r\n'), 1);
      assert.equal(t!.type, '_CastError');
      assert.equal(t!.frames.length, 3);
      assert.equal(t!.frames[0]!.file, 'package:shop/cart_page.dart');
    });

    it('cut mid-line: the last frame is kept with what is there and noted', () => {
      const [t] = parse(VM.slice(0, VM.indexOf('(dart:isolate-patch/isolate_patch.dart:184') - 3), 1);
      assert.equal(t!.frames.length, 5);
      assert.deepEqual(triple(t!.frames[4]), ['_RawReceivePort._handleMessa', null, null]);
      assert.deepEqual(t!.frames[4]!.notes, ['truncated']);
      // Cut inside the location: the frame's parenthesis never closed.
      const [u] = parse(VM.slice(0, VM.indexOf('isolate_patch.dart:184') + 5), 1);
      assert.equal(u!.frames.length, 5);
      assert.deepEqual(triple(u!.frames[4]), [
        '_RawReceivePort._handleMessage',
        'dart:isolate-patch/isola',
        null,
      ]);
      assert.deepEqual(u!.frames[4]!.notes, ['truncated']);
    });

    it('re-indented: the same trace', () => {
      const [t] = parse(
        VM.split('\n')
          .map((l) => `    ${l}`)
          .join('\n'),
        1,
      );
      assert.equal(t!.message, 'Bad state: No element');
      assert.equal(t!.frames.length, 5);
      assert.deepEqual(t!.frames[2]!.notes, ['async']);
    });
  });
});
