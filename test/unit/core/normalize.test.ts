// Line cleaning: log prefixes, quote marks, entities, zero-width characters, JSON-escaped traces.

import * as assert from 'node:assert/strict';
import {
  cleanLine,
  decodeEntities,
  hasEscapedNewlines,
  splitEscaped,
  stripPrefix,
  strippedTimestamp,
} from '../../../src/core/trace/normalize';

function strip(line: string): [string, string | undefined] {
  const text = stripPrefix(line);
  return [text, strippedTimestamp];
}

describe('normalize', () => {
  describe('log prefixes', () => {
    const cases: [string, string, string, string | undefined][] = [
      [
        'logback',
        '2016-01-25 14:14:32,866 ERROR [main] c.a.Foo - \tat a.B.c(B.java:1)',
        '\tat a.B.c(B.java:1)',
        '2016-01-25 14:14:32,866',
      ],
      [
        'ISO with zone',
        '2024-03-01T10:00:00.123Z \tat a.B.c(B.java:1)',
        '\tat a.B.c(B.java:1)',
        '2024-03-01T10:00:00.123Z',
      ],
      [
        'log4j2 brackets',
        '[2016-11-10T09:42:48,016][DEBUG][o.e.a.s.T] [AFATqx6] [3] Failed',
        'Failed',
        '2016-11-10T09:42:48,016',
      ],
      [
        'kubernetes CRI',
        '2024-03-01T10:00:00.123456789Z stderr F     at f (/app/x.js:1:2)',
        '    at f (/app/x.js:1:2)',
        '2024-03-01T10:00:00.123456789Z',
      ],
      [
        'logcat threadtime',
        '06-09 12:00:00.123  1234  5678 E AndroidRuntime: \tat a.B.c(B.java:1)',
        '\tat a.B.c(B.java:1)',
        '06-09 12:00:00.123',
      ],
      [
        'logcat time',
        '06-09 12:00:00.123 E/AndroidRuntime( 1234): \tat a.B.c(B.java:1)',
        '\tat a.B.c(B.java:1)',
        '06-09 12:00:00.123',
      ],
      ['logcat brief', 'E/AndroidRuntime( 1234): \tat a.B.c(B.java:1)', '\tat a.B.c(B.java:1)', undefined],
      [
        'Android Studio',
        '2019-01-02 10:00:00.123 1234-1234/com.example.app E/AndroidRuntime: FATAL EXCEPTION: main',
        'FATAL EXCEPTION: main',
        '2019-01-02 10:00:00.123',
      ],
      [
        'journald',
        'Nov 26 02:37:22 host app[1234]:   File "x.py", line 3, in f',
        '  File "x.py", line 3, in f',
        'Nov 26 02:37:22',
      ],
      [
        'bracketed time',
        '[12:00:01.123] Traceback (most recent call last):',
        'Traceback (most recent call last):',
        '12:00:01.123',
      ],
      ['quote marks', '> > \tat a.B.c(B.java:1)', '\tat a.B.c(B.java:1)', undefined],
    ];
    for (const [name, line, text, ts] of cases) {
      it(`strips ${name}`, () => assert.deepEqual(strip(line), [text, ts]));
    }

    it('leaves lines that only look a little like prefixes alone', () => {
      assert.deepEqual(strip('#0  0x00007f in raise () from /lib/libc.so.6'), [
        '#0  0x00007f in raise () from /lib/libc.so.6',
        undefined,
      ]);
      assert.deepEqual(strip('185\t../nptl/pthread_cond_wait.S: No such file'), [
        '185\t../nptl/pthread_cond_wait.S: No such file',
        undefined,
      ]);
      assert.deepEqual(strip(' >&, llarp_main_runtime_opts&> >(std::x) at type_traits:4428'), [
        ' >&, llarp_main_runtime_opts&> >(std::x) at type_traits:4428',
        undefined,
      ]);
      assert.deepEqual(strip('>&x'), ['>&x', undefined]);
      assert.deepEqual(strip('E/'), ['E/', undefined]);
      // Python's prompt is not a quote mark: the traceback parser needs it to see where a traceback ended.
      assert.deepEqual(strip('>>> le.transform([])'), ['>>> le.transform([])', undefined]);
    });
  });

  it('decodes HTML entities, named and numeric', () => {
    assert.equal(
      decodeEntities('at a.B.&lt;init&gt;(B.java:1) &amp; &#39;x&#x27; &quot;'),
      `at a.B.<init>(B.java:1) & 'x' "`,
    );
    assert.equal(decodeEntities('&#0; &#99999999; &bogus;'), ' &#99999999; &bogus;');
  });

  it('removes zero-width characters, also when they came from an entity', () => {
    assert.equal(cleanLine('    frame #&#8203;3: 0x1 a.out`main', 1).text, '    frame #3: 0x1 a.out`main');
    assert.equal(cleanLine('\u200bat a.B.c(B.java:1)\ufeff', 1).text, 'at a.B.c(B.java:1)');
  });

  it('removes ANSI colours and trailing blanks, keeps indentation', () => {
    const line = cleanLine('\x1b[31m    at f (/x.js:1:2)\x1b[0m    ', 7);
    assert.deepEqual(line, {
      text: '    at f (/x.js:1:2)',
      docLine: 7,
      timestamp: undefined,
    });
  });

  it('splits a JSON-escaped trace out of its record, on one document line', () => {
    const raw =
      '{"level":"error","stack":"java.lang.IllegalStateException: \\"bad\\"\\n\\tat a.B.c(B.java:1)\\r\\n\\tat C:\\\\x\\\\y"}';
    const lines = splitEscaped(raw, 12);
    assert.deepEqual(
      lines.map((l) => [l.text, l.docLine]),
      [
        ['java.lang.IllegalStateException: "bad"', 12],
        ['\tat a.B.c(B.java:1)', 12],
        ['\tat C:\\x\\y', 12],
      ],
    );
  });
});

describe('JSON-escaped lines and Windows paths', () => {
  it('a Windows path with \\r or \\n after a backslash is not an escaped line break', () => {
    assert.equal(hasEscapedNewlines('    at run (C:\\srv\\app\\src\\run.js:10:3)'), false);
    assert.equal(hasEscapedNewlines('#0 C:\\Users\\repos\\new\\index.php(12): f()'), false);
  });

  it('escaped backslashes are read in pairs', () => {
    // `\\r` inside "C:\\repos" is an escaped backslash before an r, not a CR.
    assert.equal(hasEscapedNewlines('{"path":"C:\\\\repos\\\\notes.txt"}'), false);
    const line =
      '{"stack":"Error: x\\n    at f (C:\\\\repos\\\\new.js:1:2)\\r\\n    at g (C:\\\\repos\\\\b.js:3:4)"}';
    assert.equal(hasEscapedNewlines(line), true);
    assert.deepEqual(
      splitEscaped(line, 7).map((l) => [l.text, l.docLine]),
      [
        ['Error: x', 7],
        ['    at f (C:\\repos\\new.js:1:2)', 7],
        ['    at g (C:\\repos\\b.js:3:4)', 7],
      ],
    );
  });
});
