// Where frames sit in their lines (the editor's link ranges), frames in document order, and the crash site.

import * as assert from 'node:assert/strict';
import { classifyTrace, crashSite, frameSpan, parseText, placedFrames } from '../../../src/core/trace';

function spanText(line: string, text: string): string {
  const [t] = parseText(text);
  const f = t!.frames[0]!;
  const s = frameSpan(line, f);
  return line.slice(s.start, s.end);
}

describe('frame locations', () => {
  it('covers the file with its line in each writer’s notation', () => {
    const cases: [string, string][] = [
      ['\tat com.acme.Foo.bar(Foo.java:12)', 'Foo.java:12'],
      ['   at Acme.Foo.Bar() in C:\\src\\Foo.cs:line 7', 'C:\\src\\Foo.cs:line 7'],
      ['  File "/app/acme/foo.py", line 3, in bar', '/app/acme/foo.py", line 3'],
      ['    at bar (/srv/app/foo.js:10:5)', '/srv/app/foo.js:10:5'],
    ];
    const heads = [
      'java.lang.IllegalStateException: x\n',
      'System.InvalidOperationException: x\n',
      'Traceback (most recent call last):\n',
      'Error: x\n',
    ];
    cases.forEach(([line, want], i) => {
      const tail = i === 2 ? '\n    bar()\nValueError: x' : '';
      assert.equal(spanText(line, heads[i]! + line + tail), want, line);
    });
  });

  it('falls back to the function, then the trimmed line', () => {
    const [t] = parseText('java.lang.IllegalStateException: x\n\tat com.acme.Foo.bar(Native Method)');
    const f = t!.frames[0]!;
    const line = '\tat com.acme.Foo.bar(Native Method)';
    const s = frameSpan(line, { ...f, file: null });
    assert.equal(line.slice(s.start, s.end), 'com.acme.Foo.bar');
    const none = frameSpan('   something else  ', { ...f, file: null, function: null });
    assert.deepEqual(none, { start: 3, end: 17 });
  });

  it('lists frames of causes in document order and finds the crash site in the root cause', () => {
    const text = [
      'java.lang.RuntimeException: wrapper',
      '\tat com.acme.Api.call(Api.java:10)',
      '\tat java.lang.Thread.run(Thread.java:833)',
      'Caused by: java.lang.NullPointerException: boom',
      '\tat java.util.Objects.requireNonNull(Objects.java:209)',
      '\tat com.acme.Store.get(Store.java:44)',
      '\tat com.acme.Api.call(Api.java:9)',
      '\t... 1 more',
    ].join('\n');
    const [t] = parseText(text);
    classifyTrace(t!);
    const placed = placedFrames([t!]);
    assert.deepEqual(
      placed.map((p) => p.frame.docLine),
      [2, 3, 5, 6, 7],
    );
    assert.equal(placed[3]!.index, 1);
    const site = crashSite(t!);
    assert.equal(site?.function, 'com.acme.Store.get', 'the innermost in-app frame of the root cause');
  });
});
