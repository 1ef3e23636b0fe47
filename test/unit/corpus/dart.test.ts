// Dart and Flutter traces from the corpus, as a reader lists their frames. Decisions the traces force:
// - a frame cut mid-line by a PARTIAL excerpt (`#84     M`) is kept with what is there and noted 'truncated';
//   so is an IDE-split frame whose location line never came;
// - Flutter's `The following assertion was thrown` makes the type `AssertionError` (Flutter's word for it);
//   the message is the paragraph after that sentence, however the sentence was wrapped;
// - elisions are not frames: they add to omittedFrames and note the next frame;
// - `The relevant error-causing widget was:` becomes a related one-frame stack (role 'error-causing widget').

import { expectTraces } from './harness';

describe('corpus: dart-flutter', () => {
  it('02 console report (PARTIAL): ===== box, stack from #2, "Normal element mounting (77 frames)"', () => {
    expectTraces('dart-flutter/02-flutter-console-normal-element-mounting-elision-PARTIAL.txt', [
      {
        format: 'dart',
        kind: 'exception',
        type: 'AssertionError',
        message:
          "'package:flutter/src/widgets/framework.dart': Failed assertion: line 4692 pos 14: 'owner!._debugCurrentBuildTarget == this': is not true.",
        span: [1, 18],
        frames: 7,
        first: ['Element.rebuild.<anonymous closure>', 'package:flutter/src/widgets/framework.dart', 4692],
        last: ['M', null, null],
        at: {
          0: { column: 14, module: 'flutter', docLine: 11 },
          4: { function: 'ComponentElement.mount', line: 4944, notes: undefined },
          5: {
            function: 'Element.inflateWidget',
            line: 3953,
            column: 16,
            notes: ['elided: Normal element mounting (77 frames)'],
          },
          6: { notes: ['truncated'] },
        },
        related: [
          {
            role: 'error-causing widget',
            relation: 'related',
            frames: 1,
            first: ['MaterialApp', 'file:///C:/.../AndroidStudioProjects/MonreposMuseum/lib/main.dart', 23],
            at: { 0: { column: 12, docLine: 9 } },
          },
        ],
      },
    ]);
  });

  it('03 logcat I/flutter prefixes (PARTIAL): box header, wrapped sentence, EGL noise before it', () => {
    expectTraces('dart-flutter/03-flutter-logcat-i-flutter-prefix-with-sync-noise-PARTIAL.txt', [
      {
        format: 'dart',
        kind: 'exception',
        title: 'AssertionError: Assertion failed',
        type: 'AssertionError',
        message: 'Assertion failed',
        span: [3, 17],
        frames: 4,
        first: [
          'new MultiChildRenderObjectWidget.<anonymous closure>',
          'package:flutter/src/widgets/framework.dart',
          1691,
        ],
        // Cut mid-name by the excerpt.
        last: ['__OverViewScreenState&BaseState&BasicPage.bui', null, null],
        at: {
          0: { column: 11, module: 'flutter', docLine: 14 },
          2: { function: 'new Stack', file: 'package:flutter/src/widgets/basic.dart', line: 3118, column: 8 },
          3: { notes: ['truncated'] },
        },
      },
    ]);
  });

  it('04 IDE hyperlinks (PARTIAL): each frame split over two lines, the second without prefix', () => {
    expectTraces('dart-flutter/04-flutter-ide-hyperlinked-frames-split-lines-PARTIAL.txt', [
      {
        format: 'dart',
        kind: 'exception',
        type: 'AssertionError',
        message:
          "'package:flutter/src/widgets/framework.dart': Failed assertion: line 1655 pos 14:\n" +
          "'!children.any((Widget child) => child == null)': is not true.",
        span: [1, 19],
        frames: 4,
        first: ['new MultiChildRenderObjectWidget', 'package:flutter/…/widgets/framework.dart', 1655],
        // Its location line is missing from the excerpt.
        last: ['_UnassignedDockControlState.build', null, null],
        at: {
          0: { column: null, docLine: 13, module: 'flutter' },
          1: { function: 'new Flex', file: 'package:flutter/…/widgets/basic.dart', line: 3575, docLine: 15 },
          2: { function: 'new Column', line: 4102 },
          3: { notes: ['truncated'], docLine: 19 },
        },
      },
    ]);
  });
});
