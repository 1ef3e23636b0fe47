// The Python parser on inline traces: the layouts the corpus lacks (3.11+ carets, SyntaxError blocks,
// exception groups, IPython 8), and traces inside logs, REPL sessions, JSON, CRLF, cut or re-indented.

import * as assert from 'node:assert/strict';
import { parseText, type Trace, type TraceNode } from '../../../src/core/trace';
import { parseExceptionLine, parsePythonFrame, pythonParser } from '../../../src/core/trace/parsers/python';
import { parserTriggered } from '../../../src/core/trace/scanner';
import { lines, triple } from './helpers';

function all(text: string): Trace[] {
  return parseText(text);
}

function one(text: string): Trace {
  const traces = all(text);
  assert.equal(
    traces.length,
    1,
    `one trace (got ${traces.map((t) => `${t.format}:${t.title}`).join(' | ')})`,
  );
  assert.equal(traces[0]!.format, 'python');
  assert.equal(traces[0]!.kind, 'exception');
  return traces[0]!;
}

function frames(node: TraceNode): [string | null, string | null, number | null][] {
  return node.frames.map((f) => triple(f)!);
}

const BASIC = [
  'Traceback (most recent call last):',
  '  File "/srv/app/calc.py", line 9, in <module>',
  '    print(total(items))',
  '          ^^^^^^^^^^^^',
  '  File "/srv/app/calc.py", line 5, in total',
  '    return sum(i["price"] for i in items) / len(items)',
  '           ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~^~~~~~~~~~~~',
  'ZeroDivisionError: division by zero',
];

describe('python parser', () => {
  it('has an anchored trigger that matches headers and frame lines only', () => {
    assert.ok(pythonParser.trigger.source.startsWith('^'));
    assert.ok(parserTriggered(pythonParser, 'Traceback (most recent call last):'));
    assert.ok(
      parserTriggered(
        pythonParser,
        'KeyError                                  Traceback (most recent call last)',
      ),
    );
    assert.ok(parserTriggered(pythonParser, '  + Exception Group Traceback (most recent call last):'));
    assert.ok(parserTriggered(pythonParser, '  File "x.py", line 3'));
    assert.ok(!parserTriggered(pythonParser, '\tat com.acme.Foo.bar(Foo.java:12)'));
    assert.ok(!parserTriggered(pythonParser, '   at Acme.Foo.Bar() in C:\\src\\Foo.cs:line 3'));
  });

  describe('frame and exception lines', () => {
    it('reads File lines as written', () => {
      const f = parsePythonFrame('  File "C:\\Program Files\\App\\x.py", line 12, in <lambda>', 4)!;
      assert.deepEqual(triple(f), ['<lambda>', 'C:\\Program Files\\App\\x.py', 12]);
      assert.equal(f.docLine, 4);
      assert.equal(f.raw, 'File "C:\\Program Files\\App\\x.py", line 12, in <lambda>');
      assert.deepEqual(triple(parsePythonFrame('File "<string>", line 1', 1)!), [null, '<string>', 1]);
      assert.equal(parsePythonFrame('  File "/usr/lib/pyth', 1), null);
    });

    it('tells exception lines from echoed source', () => {
      assert.deepEqual(parseExceptionLine('KeyError: 0'), { type: 'KeyError', message: '0' });
      assert.deepEqual(parseExceptionLine('KeyboardInterrupt'), { type: 'KeyboardInterrupt', message: null });
      assert.deepEqual(parseExceptionLine('socket.timeout: timed out'), {
        type: 'socket.timeout',
        message: 'timed out',
      });
      assert.deepEqual(parseExceptionLine('main.<locals>.LocalError: x'), {
        type: 'main.<locals>.LocalError',
        message: 'x',
      });
      for (const source of [
        'pass',
        'return',
        'raise',
        'x',
        'else:',
        'None',
        'self.x: int = 1',
        'foo()',
        'os.sep',
      ]) {
        assert.equal(parseExceptionLine(source), null, source);
      }
    });
  });

  it('3.11+ caret and tilde lines are not frames nor source', () => {
    const t = one(lines(...BASIC));
    assert.equal(t.title, 'ZeroDivisionError: division by zero');
    assert.equal(t.type, 'ZeroDivisionError');
    assert.equal(t.message, 'division by zero');
    assert.deepEqual(t.span, { start: 1, end: 8 });
    assert.deepEqual(frames(t), [
      ['total', '/srv/app/calc.py', 5],
      ['<module>', '/srv/app/calc.py', 9],
    ]);
    assert.equal(t.frames[0]!.source, 'return sum(i["price"] for i in items) / len(items)');
    assert.equal(t.frames[0]!.docLine, 5);
    assert.equal(t.frames[1]!.source, 'print(total(items))');
    assert.deepEqual(t.causes, []);
  });

  it('frozen and <string> frames without source lines', () => {
    const t = one(
      lines(
        'Traceback (most recent call last):',
        '  File "<string>", line 1, in <module>',
        '  File "<frozen importlib._bootstrap>", line 1176, in _find_and_load',
        '  File "<frozen importlib._bootstrap>", line 1140, in _find_and_load_unlocked',
        "ModuleNotFoundError: No module named 'yaml'",
      ),
    );
    assert.deepEqual(frames(t), [
      ['_find_and_load_unlocked', '<frozen importlib._bootstrap>', 1140],
      ['_find_and_load', '<frozen importlib._bootstrap>', 1176],
      ['<module>', '<string>', 1],
    ]);
    assert.ok(t.frames.every((f) => f.source === undefined));
  });

  describe('SyntaxError', () => {
    it('printed alone: the location is a frame without a function', () => {
      const traces = all(
        lines(
          '$ python broken.py',
          '  File "/home/me/broken.py", line 3',
          '    print "hello"',
          '    ^^^^^^^^^^^^^',
          "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?",
          '$ echo done',
        ),
      );
      assert.equal(traces.length, 1);
      const t = traces[0]!;
      assert.equal(t.type, 'SyntaxError');
      assert.deepEqual(t.span, { start: 2, end: 5 });
      assert.deepEqual(frames(t), [[null, '/home/me/broken.py', 3]]);
      assert.equal(t.frames[0]!.source, 'print "hello"');
    });

    it('raised by an import: the location is the innermost frame', () => {
      const t = one(
        lines(
          'Traceback (most recent call last):',
          '  File "/app/run.py", line 1, in <module>',
          '    import settings',
          '  File "/app/settings.py", line 7',
          '    DEBUG = True,,',
          '                 ^',
          'SyntaxError: invalid syntax',
        ),
      );
      assert.deepEqual(frames(t), [
        [null, '/app/settings.py', 7],
        ['<module>', '/app/run.py', 1],
      ]);
      assert.equal(t.frames[0]!.source, 'DEBUG = True,,');
    });
  });

  it('[Previous line repeated N more times] is noted on the frame it repeats', () => {
    const rec = ['  File "/tmp/r.py", line 2, in f', '    return f()', '           ^^^'];
    const t = one(
      lines(
        'Traceback (most recent call last):',
        '  File "/tmp/r.py", line 4, in <module>',
        '    f()',
        ...rec,
        ...rec,
        ...rec,
        '  [Previous line repeated 996 more times]',
        'RecursionError: maximum recursion depth exceeded',
      ),
    );
    assert.equal(t.frames.length, 4);
    assert.deepEqual(t.frames[0]!.notes, ['repeated 996 more times']);
    assert.equal(t.frames[1]!.notes, undefined);
    assert.deepEqual(triple(t.frames[3]), ['<module>', '/tmp/r.py', 4]);
  });

  it('a cause printed without a traceback (raise … from an exception never raised)', () => {
    const t = one(
      lines(
        "ValueError: invalid literal for int() with base 10: 'x'",
        '',
        'The above exception was the direct cause of the following exception:',
        '',
        'Traceback (most recent call last):',
        '  File "/app/conf.py", line 10, in load',
        '    raise ConfigError("bad config") from err',
        'conf.ConfigError: bad config',
      ),
    );
    assert.equal(t.title, 'conf.ConfigError: bad config');
    assert.deepEqual(t.span, { start: 1, end: 8 });
    assert.deepEqual(frames(t), [['load', '/app/conf.py', 10]]);
    assert.equal(t.causes.length, 1);
    const c = t.causes[0]!;
    assert.equal(c.type, 'ValueError');
    assert.equal(c.relation, 'cause');
    assert.equal(c.frames.length, 0);
    assert.deepEqual(c.span, { start: 1, end: 1 });
  });

  describe('message lines after the exception', () => {
    it('continue the message, a line reading like a header included when the input ends', () => {
      const t = one(
        lines(
          'Traceback (most recent call last):',
          '  File "/app/db.py", line 20, in save',
          '    cur.execute(sql)',
          'psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "users_pkey"',
          'DETAIL:  Key (id)=(1) already exists.',
        ),
      );
      assert.equal(t.type, 'psycopg2.errors.UniqueViolation');
      assert.equal(
        t.message,
        'duplicate key value violates unique constraint "users_pkey"\nDETAIL:  Key (id)=(1) already exists.',
      );
      assert.equal(
        t.title,
        'psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint "users_pkey"',
      );
      assert.deepEqual(t.span, { start: 1, end: 5 });
    });

    it('end at a blank line, a prompt or the next log record', () => {
      const t = all(
        lines(
          'Traceback (most recent call last):',
          '  File "a.py", line 1, in <module>',
          'ValueError: one',
          '',
          'not part of it',
        ),
      );
      assert.equal(t.length, 1);
      assert.equal(t[0]!.message, 'one');
      assert.deepEqual(t[0]!.span, { start: 1, end: 3 });
    });
  });

  it('separate tracebacks are separate traces', () => {
    const traces = all(
      lines(
        'Traceback (most recent call last):',
        '  File "a.py", line 1, in <module>',
        'ValueError: one',
        'Traceback (most recent call last):',
        '  File "b.py", line 2, in <module>',
        "KeyError: 'two'",
        '',
        'Some unrelated output',
        'Traceback (most recent call last):',
        '  File "c.py", line 3, in <module>',
        'TypeError: three',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.title, t.span.start, t.span.end, t.causes.length]),
      [
        ['ValueError: one', 1, 3, 0],
        ["KeyError: 'two'", 4, 6, 0],
        ['TypeError: three', 9, 11, 0],
      ],
    );
  });

  it('REPL session: prompts and echoed results around the trace are left out', () => {
    const t = one(
      lines(
        '>>> import json',
        '>>> json.loads("{")',
        'Traceback (most recent call last):',
        '  File "<stdin>", line 1, in <module>',
        '  File "/usr/lib/python3.10/json/__init__.py", line 346, in loads',
        '    return _default_decoder.decode(s)',
        '  File "/usr/lib/python3.10/json/decoder.py", line 337, in decode',
        '    obj, end = self.raw_decode(s, idx=_w(s, 0).end())',
        '  File "/usr/lib/python3.10/json/decoder.py", line 353, in raw_decode',
        '    obj, end = self.scan_once(s, idx)',
        'json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
        '>>> 1 + 1',
        '2',
      ),
    );
    assert.equal(t.type, 'json.decoder.JSONDecodeError');
    assert.equal(
      t.title,
      'json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
    );
    // The prompt after the exception ends it: the span stops at the exception line.
    assert.deepEqual(t.span, { start: 3, end: 11 });
    assert.equal(t.message, 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)');
    assert.equal(t.frames.length, 4);
    assert.deepEqual(triple(t.frames[0]), ['raw_decode', '/usr/lib/python3.10/json/decoder.py', 353]);
    assert.deepEqual(triple(t.frames[3]), ['<module>', '<stdin>', 1]);
  });

  it('in a mixed document: log lines around it, then a Java trace', () => {
    const traces = all(
      lines(
        '2024-05-01 10:00:00,001 INFO  [main] Starting worker',
        '2024-05-01 10:00:01,002 ERROR [worker] Job 42 failed',
        'Traceback (most recent call last):',
        '  File "/opt/worker/jobs.py", line 88, in run',
        '    result = handler(payload)',
        '  File "/opt/worker/handlers.py", line 12, in handle',
        '    return payload["id"]',
        "KeyError: 'id'",
        '2024-05-01 10:00:02,003 INFO  [main] Forwarding to the Java service',
        'java.lang.IllegalStateException: upstream rejected job 42',
        '\tat com.acme.bridge.Client.send(Client.java:57)',
        '\tat com.acme.bridge.Main.main(Main.java:12)',
        '2024-05-01 10:00:03,004 INFO  [main] Done',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.format, t.title, t.span.start, t.span.end, t.frames.length]),
      [
        ['python', "KeyError: 'id'", 3, 8, 2],
        ['java', 'java.lang.IllegalStateException: upstream rejected job 42', 10, 12, 2],
      ],
    );
    assert.deepEqual(triple(traces[0]!.frames[0]), ['handle', '/opt/worker/handlers.py', 12]);
  });

  it('leaves a Java header right after the exception line to the Java trace', () => {
    const traces = all(
      lines(
        'Traceback (most recent call last):',
        '  File "/opt/bridge.py", line 5, in call',
        'RuntimeError: bridge failed',
        'java.lang.IllegalStateException: upstream rejected',
        '\tat com.acme.bridge.Client.send(Client.java:57)',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.format, t.title, t.span.start, t.span.end]),
      [
        ['python', 'RuntimeError: bridge failed', 1, 3],
        ['java', 'java.lang.IllegalStateException: upstream rejected', 4, 5],
      ],
    );
  });

  it('every line with a log prefix (Kubernetes CRI): timestamps do not end the trace', () => {
    const t = one(
      lines(
        '2024-05-01T10:00:00.000000001Z stderr F Traceback (most recent call last):',
        '2024-05-01T10:00:00.000000002Z stderr F   File "/app/main.py", line 3, in <module>',
        '2024-05-01T10:00:00.000000003Z stderr F     main()',
        '2024-05-01T10:00:00.000000004Z stderr F ValueError: boom',
        '2024-05-01T10:00:00.000000005Z stderr F while loading the configuration',
      ),
    );
    assert.equal(t.message, 'boom\nwhile loading the configuration');
    assert.deepEqual(frames(t), [['<module>', '/app/main.py', 3]]);
    assert.equal(t.frames[0]!.source, 'main()');
    assert.equal(t.timestamp, '2024-05-01T10:00:00.000000001Z');
  });

  it('a log record holding the header: the next timestamped record ends the trace', () => {
    const traces = all(
      lines(
        '2024-05-01 10:00:01,002 ERROR Traceback (most recent call last):',
        '  File "/app/x.py", line 2, in <module>',
        'ValueError: bad',
        '2024-05-01 10:00:02,003 INFO next record',
      ),
    );
    assert.equal(traces.length, 1);
    assert.equal(traces[0]!.message, 'bad');
    assert.deepEqual(traces[0]!.span, { start: 1, end: 3 });
    assert.equal(traces[0]!.timestamp, '2024-05-01 10:00:01,002');
  });

  it('a header after other text on the same line', () => {
    const t = one(
      lines(
        'Error: Traceback (most recent call last):',
        '  File "/app/x.py", line 2, in <module>',
        '    f()',
        'ValueError: bad',
      ),
    );
    assert.deepEqual(t.span, { start: 1, end: 4 });
    assert.equal(t.frames.length, 1);
  });

  it('JSON-escaped in one log line', () => {
    const t = one(
      '{"level":"error","exc":"Traceback (most recent call last):\\n  File \\"/app/x.py\\", line 2, in <module>\\n    f()\\nValueError: bad"}',
    );
    assert.equal(t.title, 'ValueError: bad');
    assert.deepEqual(frames(t), [['<module>', '/app/x.py', 2]]);
    assert.equal(t.frames[0]!.source, 'f()');
    assert.deepEqual(t.span, { start: 1, end: 1 });
  });

  it('CRLF line ends', () => {
    const t = one(BASIC.join('\r\n') + '\r\n');
    assert.equal(t.title, 'ZeroDivisionError: division by zero');
    assert.equal(t.frames.length, 2);
    assert.equal(t.frames[0]!.source, 'return sum(i["price"] for i in items) / len(items)');
  });

  it('truncated input: a frame line cut mid-line is dropped, the frames before it kept', () => {
    const t = one(
      lines(
        'Traceback (most recent call last):',
        '  File "/app/a.py", line 10, in <module>',
        '    main()',
        '  File "/app/a.py", line 6, in main',
        '    run(cfg)',
        '  File "/app/lib/ru',
      ),
    );
    assert.equal(t.type, null);
    assert.equal(t.title, 'Traceback (most recent call last)');
    assert.deepEqual(t.span, { start: 1, end: 6 });
    assert.deepEqual(frames(t), [
      ['main', '/app/a.py', 6],
      ['<module>', '/app/a.py', 10],
    ]);
  });

  it('truncated input: the exception line cut mid-line keeps what is there', () => {
    const t = one(lines(...BASIC.slice(0, 7), 'ZeroDivisionError: divis'));
    assert.equal(t.title, 'ZeroDivisionError: divis');
  });

  it('re-indented input (a Markdown code block), chained', () => {
    const t = one(
      lines(
        '    Traceback (most recent call last):',
        '      File "/app/a.py", line 3, in <module>',
        '        x = int("a")',
        "    ValueError: invalid literal for int() with base 10: 'a'",
        '',
        '    During handling of the above exception, another exception occurred:',
        '',
        '    Traceback (most recent call last):',
        '      File "/app/a.py", line 5, in <module>',
        '        raise RuntimeError("config broken")',
        '    RuntimeError: config broken',
      ),
    );
    assert.equal(t.title, 'RuntimeError: config broken');
    assert.deepEqual(t.span, { start: 1, end: 11 });
    assert.deepEqual(frames(t), [['<module>', '/app/a.py', 5]]);
    assert.equal(t.frames[0]!.source, 'raise RuntimeError("config broken")');
    const c = t.causes[0]!;
    assert.equal(c.title, "ValueError: invalid literal for int() with base 10: 'a'");
    assert.equal(c.relation, 'context');
    assert.equal(c.frames[0]!.source, 'x = int("a")');
  });

  describe('IPython 8 layout', () => {
    it('File path:LINE, in func(args) and Cell In[n], line N', () => {
      const t = one(
        lines(
          '---------------------------------------------------------------------------',
          'KeyError                                  Traceback (most recent call last)',
          'File ~/miniconda3/lib/python3.10/site-packages/pandas/core/indexes/base.py:3802, in Index.get_loc(self, key, method, tolerance)',
          '   3801 try:',
          '-> 3802     return self._engine.get_loc(casted_key)',
          '   3803 except KeyError as err:',
          '',
          'File ~/miniconda3/lib/python3.10/site-packages/pandas/_libs/index.pyx:138, in pandas._libs.index.IndexEngine.get_loc()',
          '',
          "KeyError: 'b'",
          '',
          'The above exception was the direct cause of the following exception:',
          '',
          'KeyError                                  Traceback (most recent call last)',
          'Cell In[3], line 4',
          '      1 import pandas as pd',
          '      3 df = pd.DataFrame({"a": [1]})',
          '----> 4 df["b"]',
          '',
          'File ~/miniconda3/lib/python3.10/site-packages/pandas/core/frame.py:3807, in DataFrame.__getitem__(self, key)',
          '   3806     return self._getitem_multilevel(key)',
          '-> 3807 indexer = self.columns.get_loc(key)',
          '',
          'Cell In[2], line 2, in lookup(df, key)',
          '      1 def lookup(df, key):',
          '----> 2     return df[key]',
          '',
          "KeyError: 'b'",
        ),
      );
      assert.equal(t.title, "KeyError: 'b'");
      assert.deepEqual(t.span, { start: 1, end: 28 });
      assert.deepEqual(frames(t), [
        ['lookup', 'Cell In[2]', 2],
        ['DataFrame.__getitem__', '~/miniconda3/lib/python3.10/site-packages/pandas/core/frame.py', 3807],
        [null, 'Cell In[3]', 4],
      ]);
      assert.equal(t.frames[0]!.args, 'df, key');
      assert.equal(t.frames[0]!.source, 'return df[key]');
      assert.equal(t.frames[1]!.args, 'self, key');
      assert.equal(t.frames[2]!.source, 'df["b"]');
      const c = t.causes[0]!;
      assert.equal(c.relation, 'cause');
      assert.deepEqual(c.span, { start: 1, end: 10 });
      assert.deepEqual(frames(c), [
        [
          'pandas._libs.index.IndexEngine.get_loc',
          '~/miniconda3/lib/python3.10/site-packages/pandas/_libs/index.pyx',
          138,
        ],
        ['Index.get_loc', '~/miniconda3/lib/python3.10/site-packages/pandas/core/indexes/base.py', 3802],
      ]);
      assert.equal(c.frames[0]!.args, '');
      assert.equal(c.frames[1]!.args, 'self, key, method, tolerance');
    });

    it('a SyntaxError location among the verbose frames keeps its source line', () => {
      const t = one(
        lines(
          '---------------------------------------------------------------------------',
          'SyntaxError                               Traceback (most recent call last)',
          '<ipython-input-2-0f1a> in <module>',
          '----> 1 import bad',
          '',
          '  File "/tmp/bad.py", line 1',
          '    x = = 1',
          '        ^',
          'SyntaxError: invalid syntax',
        ),
      );
      assert.deepEqual(frames(t), [
        [null, '/tmp/bad.py', 1],
        ['<module>', '<ipython-input-2-0f1a>', 1],
      ]);
      assert.equal(t.frames[0]!.source, 'x = = 1');
      assert.equal(t.frames[1]!.source, 'import bad');
    });

    it('Input In [n], in <cell line: N>() (IPython 8.0 to 8.4)', () => {
      const t = one(
        lines(
          '---------------------------------------------------------------------------',
          'ZeroDivisionError                         Traceback (most recent call last)',
          'Input In [4], in <cell line: 1>()',
          '----> 1 f(0)',
          '',
          'Input In [3], in f(x)',
          '      1 def f(x):',
          '----> 2     return 1 / x',
          '',
          'ZeroDivisionError: division by zero',
        ),
      );
      assert.deepEqual(frames(t), [
        ['f', 'Input In [3]', 2],
        ['<cell line: 1>', 'Input In [4]', 1],
      ]);
      assert.equal(t.frames[0]!.args, 'x');
      assert.equal(t.frames[1]!.args, '');
      assert.deepEqual(t.span, { start: 1, end: 10 });
    });
  });

  describe('exception groups (3.11+)', () => {
    it('sub-exceptions are inner causes, nested groups nest', () => {
      const t = one(
        lines(
          '  + Exception Group Traceback (most recent call last):',
          '  |   File "/app/main.py", line 12, in <module>',
          '  |     asyncio.run(main())',
          '  |   File "/app/main.py", line 8, in main',
          '  |     async with asyncio.TaskGroup() as tg:',
          '  | ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)',
          '  +-+---------------- 1 ----------------',
          '    | Traceback (most recent call last):',
          '    |   File "/app/main.py", line 3, in fetch',
          '    |     raise ValueError(f"bad id {n}")',
          '    | ValueError: bad id 1',
          '    +---------------- 2 ----------------',
          '    | Exception Group Traceback (most recent call last):',
          '    |   File "/app/main.py", line 5, in batch',
          '    |     raise ExceptionGroup("batch", [KeyError("a"), TypeError("b")])',
          '    | ExceptionGroup: batch (2 sub-exceptions)',
          '    +-+---------------- 1 ----------------',
          "      | KeyError: 'a'",
          '      +---------------- 2 ----------------',
          '      | TypeError: b',
          '      +------------------------------------',
          '',
          'done',
        ),
      );
      assert.equal(t.title, 'ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)');
      assert.deepEqual(t.span, { start: 1, end: 21 });
      assert.deepEqual(frames(t), [
        ['main', '/app/main.py', 8],
        ['<module>', '/app/main.py', 12],
      ]);
      assert.equal(t.frames[1]!.source, 'asyncio.run(main())');
      assert.deepEqual(
        t.causes.map((c) => [c.title, c.relation, c.frames.length]),
        [
          ['ValueError: bad id 1', 'inner', 1],
          ['ExceptionGroup: batch (2 sub-exceptions)', 'inner', 1],
        ],
      );
      assert.deepEqual(triple(t.causes[0]!.frames[0]), ['fetch', '/app/main.py', 3]);
      assert.deepEqual(t.causes[0]!.span, { start: 8, end: 11 });
      const batch = t.causes[1]!;
      assert.equal(batch.frames[0]!.source, 'raise ExceptionGroup("batch", [KeyError("a"), TypeError("b")])');
      assert.deepEqual(
        batch.causes.map((c) => [c.title, c.relation, c.frames.length, c.span.start]),
        [
          ["KeyError: 'a'", 'inner', 0, 18],
          ['TypeError: b', 'inner', 0, 20],
        ],
      );
    });

    it('more sub-exceptions than printed, and a group that is the context of another exception', () => {
      const t = one(
        lines(
          '  + Exception Group Traceback (most recent call last):',
          '  |   File "/app/x.py", line 3, in <module>',
          '  | ExceptionGroup: many (20 sub-exceptions)',
          '  +-+---------------- 1 ----------------',
          '    | ValueError: 0',
          '    +---------------- ... ----------------',
          '    | and 19 more exceptions',
          '    +------------------------------------',
          '',
          'During handling of the above exception, another exception occurred:',
          '',
          'Traceback (most recent call last):',
          '  File "/app/x.py", line 5, in <module>',
          'RuntimeError: wrapped',
        ),
      );
      assert.equal(t.title, 'RuntimeError: wrapped');
      assert.deepEqual(t.span, { start: 1, end: 14 });
      const group = t.causes[0]!;
      assert.equal(group.relation, 'context');
      assert.equal(group.title, 'ExceptionGroup: many (20 sub-exceptions)');
      assert.deepEqual(triple(group.frames[0]), ['<module>', '/app/x.py', 3]);
      assert.deepEqual(
        group.causes.map((c) => [c.title, c.relation]),
        [['ValueError: 0', 'inner']],
      );
    });
  });
});
