// Detection per trace: one document mixing every format is parsed trace by trace with the right parser,
// whatever sits between the traces, and the traces keep their own line numbers.

import * as assert from 'node:assert/strict';
import { parseText } from '../../../src/core/trace';
import { readCorpus } from '../corpus/harness';

const PIECES: [string, string][] = [
  ['java', 'java-exception/04-elasticsearch-startup-exception-caused-by-more.txt'],
  ['dotnet', 'dotnet/01-de-filenotfound-zeile.txt'],
  ['python', 'python/06-sklearn-redacted-path-repl.txt'],
  ['node', 'nodejs/04-chaoxing-npm-start-old-node8-cjk-output.txt'],
  ['gecko', 'browser-firefox-safari/02-tab-manager-firefox-xpcom-exception-resource-urls.txt'],
  ['go', 'go/06-zkc-eight-space-indent.txt'],
  ['gdb', 'gdb/09-ionmonkey-core-inlined-frames-registers.txt'],
  ['lldb', 'lldb/04-lldb-batch-run-stop-disassembly-lambda-operator.txt'],
];

describe('scanner: a document mixing every format', () => {
  function build(separator: (i: number) => string): { text: string; starts: number[] } {
    const parts: string[] = [];
    const starts: number[] = [];
    let line = 1;
    PIECES.forEach(([, file], i) => {
      const sep = separator(i);
      parts.push(sep);
      line += sep.split('\n').length - 1;
      starts.push(line);
      const text = readCorpus(file).toString('utf8').replace(/\r\n?/g, '\n').replace(/\n*$/, '\n');
      parts.push(text);
      line += text.split('\n').length - 1;
    });
    return { text: parts.join(''), starts };
  }

  function check(text: string, starts: number[]): void {
    const traces = parseText(text);
    // Each piece yields its own trace(s), in order, of its format; the first of each piece lies in its lines.
    const formats = traces.map((t) => t.format);
    assert.deepEqual(
      [...new Set(formats)],
      PIECES.map(([f]) => f),
    );
    PIECES.forEach(([format], i) => {
      const first = traces.find((t) => t.format === format)!;
      const next = starts[i + 1] ?? Infinity;
      assert.ok(first.span.start >= starts[i]! && first.span.end < next, `${format} at ${first.span.start}`);
    });
  }

  it('with ordinary log lines between the traces', () => {
    const { text, starts } = build(
      (i) =>
        `2026-11-24 09:14:0${i},118 INFO  [main] c.a.App - step ${i} done\n2026-11-24 09:14:0${i},200 WARN  [main] c.a.App - next\n`,
    );
    check(text, starts);
  });

  it('with only a blank line between the traces', () => {
    const { text, starts } = build((i) => (i === 0 ? '' : '\n'));
    check(text, starts);
  });

  it('with the traces directly after one another', () => {
    // Where one trace's last line meets the next one's first, a message may run on (Python messages can
    // span lines); the order and formats still come out right.
    const { text } = build(() => '');
    assert.deepEqual(
      [...new Set(parseText(text).map((t) => t.format))],
      PIECES.map(([f]) => f),
    );
  });

  it('with CRLF line ends and every line prefixed by a timestamp', () => {
    const { text } = build((i) => `note ${i}\n`);
    const prefixed = text
      .split('\n')
      .map((l) => (l ? `2026-11-24T09:14:00.000Z stderr F ${l}` : l))
      .join('\r\n');
    const traces = parseText(prefixed);
    assert.deepEqual(
      [...new Set(traces.map((t) => t.format))],
      PIECES.map(([f]) => f),
    );
  });
});

describe('a trace printed as plain text into a log', () => {
  const records = (n: number): string[] =>
    Array.from(
      { length: n },
      (_, i) => `2026-11-26 03:00:0${i % 10}.123 INFO  [worker-1] c.a.db.Pool - request ${i} done`,
    );

  it('ends at the next log record, so a cut report or a cause without frames does not hide the next trace', () => {
    const text = [
      '2026-11-26 03:00:00.000 ERROR [main] c.a.App - failed',
      'java.lang.IllegalStateException: outer',
      '\tat com.acme.A.a(A.java:1)',
      '\tat com.acme.B.b(B.java:2)',
      'Caused by: javax.ws.rs.InternalServerErrorException: HTTP 500 Server Error',
      ...records(5),
      'Traceback (most recent call last):',
      '  File "/srv/app.py", line 3, in main',
      'KeyError: 1',
      ...records(2),
      "thread 'main' panicked at src/main.rs:5:5:",
      'boom',
      'stack backtrace:',
      '   0: app::main',
      '             at ./src/main.rs:5:5',
      ...records(3),
      'TypeError: x is undefined',
      '    at render (/srv/app/main.js:1:10)',
    ].join('\n');
    const traces = parseText(text);
    assert.deepEqual(
      traces.map((t) => [t.format, t.span.start, t.span.end]),
      [
        ['java', 2, 5],
        ['python', 11, 13],
        ['rust', 16, 20],
        ['node', 24, 25],
      ],
    );
    assert.equal(traces[0]!.causes[0]!.message, 'HTTP 500 Server Error');
  });

  it('a cut Erlang report (an unbalanced term) does not take the log after it', () => {
    const text = [
      '=ERROR REPORT==== 31-Mar-2015::10:18:25 ===',
      '** Generic server <0.83.0> terminating',
      '** Reason for termination ==',
      '** {function_clause,[{connect,handle_info,[{tcp,#Port<0.5>},{state}],',
      '                      [{file,"lib/connect.ex"},{line,108}]},',
      ...records(4),
      'Traceback (most recent call last):',
      '  File "/srv/app.py", line 3, in main',
      'KeyError: 1',
    ].join('\n');
    const traces = parseText(text);
    assert.deepEqual(
      traces.map((t) => [t.format, t.span.start, t.span.end]),
      [
        ['erlang', 1, 5],
        ['python', 10, 12],
      ],
    );
  });

  it('but a trace whose lines all carry the log prefix (logcat) is read whole', () => {
    const p = '06-09 12:00:00.123  1234  1234 E AndroidRuntime: ';
    const traces = parseText(
      [
        'java.lang.IllegalStateException: x',
        `${p}\tat com.acme.A.a(A.java:1)`,
        `${p}Caused by: java.lang.NullPointerException: y`,
        `${p}more of the message`,
        `${p}\tat com.acme.B.b(B.java:2)`,
      ].join('\n'),
    );
    assert.equal(traces.length, 1);
    assert.equal(traces[0]!.causes[0]!.message, 'y\nmore of the message');
  });
});
