// boost::stacktrace and backward-cpp variants the corpus does not cover (source locations, Windows paths,
// inlined calls with source snippets, the non-reversed printer) and the document-level cases: mixed logs,
// CRLF, cut input, re-indented pastes, lines that only look like frames.

import * as assert from 'node:assert/strict';
import { parseText, type Frame, type Trace } from '../../../src/core/trace';
import { lines } from './helpers';

function pick(f: Frame | undefined): Partial<Frame> {
  assert.ok(f, 'frame exists');
  const out: Partial<Frame> = {};
  for (const k of ['function', 'file', 'line', 'module', 'address', 'notes', 'source'] as const) {
    if (f[k] !== null && f[k] !== undefined) (out as Record<string, unknown>)[k] = f[k];
  }
  return out;
}

const shape = (t: Trace) => [t.format, t.kind, t.span.start, t.span.end, t.frames.length];
const triples = (t: Trace) => t.frames.map((f) => [f.function, f.file, f.line]);

const BOOST = [
  '2024-02-02 08:00:00 INFO worker 3 started',
  '2024-02-02 08:00:01 ERROR fatal signal 11, backtrace:',
  ' 0# handler(int) at /home/dev/app/src/crash.cpp:21',
  ' 1# 0x00007F2A4C842520 in /lib/x86_64-linux-gnu/libc.so.6',
  ' 2# Engine::step(double) at /home/dev/app/src/engine.cpp:133',
  ' 3# main at /home/dev/app/src/main.cpp:9',
  ' 4# __libc_start_main in /lib/x86_64-linux-gnu/libc.so.6',
  ' 5# _start in ./app',
  '2024-02-02 08:00:02 INFO restarting',
  'java.lang.IllegalStateException: boom',
  '\tat com.acme.Foo.bar(Foo.java:12)',
];

const BACKWARD = [
  '[worker] starting',
  'Stack trace (most recent call last) in thread 48213:',
  '#4    Object "/usr/lib/libc.so.6", at 0x7f1e2b43fcd0, in __libc_start_main',
  '#3    Source "/home/dev/proj/src/main.cpp", line 27, in main [0x55d6a1c4e2b1]',
  '         24:   Config cfg = load();',
  '         25:   Runner r(cfg);',
  '         26:',
  '      >  27:   r.run();',
  '         28:   return 0;',
  '#2    Object "/home/dev/proj/build/app", at 0x55d6a1c4f0aa, in Runner::run()',
  '    | Source "/home/dev/proj/src/runner.cpp", line 40, in Runner::run()',
  '    |    39:   for (auto& t : tasks_)',
  '    | >  40:     step(t);',
  '      Source "/home/dev/proj/src/runner.hpp", line 12, in Runner::step(Task&)',
  '         11:   void step(Task& t) {',
  '      >  12:     t.payload->apply();',
  '         13:   }',
  '#1    Source "/home/dev/proj/src/task.cpp", line 8, in Payload::apply() [0x55d6a1c4f3c0]',
  '          7: void Payload::apply() {',
  '      >   8:   *ptr_ = 1;',
  '          9: }',
  '#0    Object "/usr/lib/libc.so.6", at 0x7f1e2b4a3c4c, in',
  'Segmentation fault (Address not mapped to object [(nil)])',
  'Segmentation fault (core dumped)',
];

describe('cpp parser: boost::stacktrace', () => {
  it('frames with source locations and modules in a mixed log; the line introducing them is the title', () => {
    const traces = parseText(lines(...BOOST));
    assert.deepEqual(traces.map(shape), [
      ['cpp', 'crash', 2, 8, 6],
      ['java', 'exception', 10, 11, 1],
    ]);
    const t = traces[0]!;
    assert.equal(t.title, 'fatal signal 11, backtrace');
    assert.deepEqual(triples(t), [
      ['handler(int)', '/home/dev/app/src/crash.cpp', 21],
      [null, null, null],
      ['Engine::step(double)', '/home/dev/app/src/engine.cpp', 133],
      ['main', '/home/dev/app/src/main.cpp', 9],
      ['__libc_start_main', null, null],
      ['_start', null, null],
    ]);
    assert.deepEqual(pick(t.frames[1]), {
      address: '0x00007F2A4C842520',
      module: '/lib/x86_64-linux-gnu/libc.so.6',
    });
    assert.deepEqual(pick(t.frames[5]), { function: '_start', module: './app' });
  });

  it('Windows paths and module names; a second stacktrace (numbering from 0 again) is another trace', () => {
    const traces = parseText(
      lines(
        ' 0# boost::stacktrace::basic_stacktrace<std::allocator<boost::stacktrace::frame> >::basic_stacktrace() at C:\\local\\boost_1_84_0\\boost\\stacktrace\\stacktrace.hpp:129',
        ' 1# Foo::run() at C:\\src\\app\\foo.cpp:42',
        ' 2# BaseThreadInitThunk in KERNEL32',
        ' 3# RtlUserThreadStart in ntdll',
        ' 0# Bar::stop() at C:\\src\\app\\bar.cpp:7',
        ' 1# main at C:\\src\\app\\main.cpp:12',
      ),
    );
    assert.deepEqual(traces.map(shape), [
      ['cpp', 'crash', 1, 4, 4],
      ['cpp', 'crash', 5, 6, 2],
    ]);
    assert.deepEqual(pick(traces[0]!.frames[1]), {
      function: 'Foo::run()',
      file: 'C:\\src\\app\\foo.cpp',
      line: 42,
    });
    assert.deepEqual(pick(traces[0]!.frames[2]), { function: 'BaseThreadInitThunk', module: 'KERNEL32' });
    // Without a line introducing it, a stacktrace is titled by its first frame.
    assert.equal(traces[1]!.title, '0# Bar::stop() at C:\\src\\app\\bar.cpp:7');
  });

  it('does not take numbered prose or a bare `0# word` for a stacktrace', () => {
    const traces = parseText(
      lines(
        'Steps:',
        ' 1# open the app',
        ' 2# click in the menu',
        '',
        ' 0# main',
        ' 1# run in the background',
      ),
    );
    assert.deepEqual(traces, []);
  });

  it('CRLF input parses like LF input', () => {
    assert.deepEqual(parseText(BOOST.join('\r\n')), parseText(lines(...BOOST)));
  });

  it('input cut mid-frame keeps the frame with what is there', () => {
    const [t] = parseText(lines(...BOOST.slice(2, 5), ' 3# main at /home/dev/app/sr'));
    assert.ok(t);
    assert.deepEqual(shape(t), ['cpp', 'crash', 1, 4, 4]);
    // `at /home/dev/app/sr` has no line: the cut text stays part of the name, as written.
    assert.deepEqual(pick(t.frames[3]), { function: 'main at /home/dev/app/sr' });
  });

  it('re-indented pastes (tabs, quote marks, markdown indentation) parse the same', () => {
    const body = BOOST.slice(2, 8);
    const plain = parseText(lines(...body)).map(triples);
    assert.equal(plain[0]!.length, 6);
    assert.deepEqual(parseText(lines(...body.map((l) => `\t${l.trim()}`))).map(triples), plain);
    assert.deepEqual(parseText(lines(...body.map((l) => `> ${l}`))).map(triples), plain);
    assert.deepEqual(parseText(lines(...body.map((l) => `    ${l}`))).map(triples), plain);
  });
});

describe('cpp parser: backward-cpp', () => {
  it('source snippets, inlined calls and object lines: innermost first, echoed source on its frame', () => {
    const traces = parseText(lines(...BACKWARD));
    assert.deepEqual(traces.map(shape), [['cpp', 'crash', 2, 23, 6]]);
    const t = traces[0]!;
    assert.equal(t.title, 'Segmentation fault (Address not mapped to object [(nil)])');
    assert.equal(t.type, 'Segmentation fault');
    assert.equal(t.message, 'Address not mapped to object [(nil)]');
    assert.deepEqual(t.thread, { name: null, id: '48213', state: null });
    assert.deepEqual(pick(t.frames[0]), { module: '/usr/lib/libc.so.6', address: '0x7f1e2b4a3c4c' });
    assert.deepEqual(pick(t.frames[1]), {
      function: 'Payload::apply()',
      file: '/home/dev/proj/src/task.cpp',
      line: 8,
      address: '0x55d6a1c4f3c0',
      source: '*ptr_ = 1;',
    });
    // Entry #2: the pc is in Runner::run(), where Runner::step(Task&) was inlined.
    assert.deepEqual(pick(t.frames[2]), {
      function: 'Runner::step(Task&)',
      file: '/home/dev/proj/src/runner.hpp',
      line: 12,
      module: '/home/dev/proj/build/app',
      notes: ['inlined'],
      source: 't.payload->apply();',
    });
    assert.deepEqual(pick(t.frames[3]), {
      function: 'Runner::run()',
      file: '/home/dev/proj/src/runner.cpp',
      line: 40,
      module: '/home/dev/proj/build/app',
      address: '0x55d6a1c4f0aa',
      source: 'step(t);',
    });
    assert.deepEqual(pick(t.frames[4]), {
      function: 'main',
      file: '/home/dev/proj/src/main.cpp',
      line: 27,
      address: '0x55d6a1c4e2b1',
      source: 'r.run();',
    });
    assert.deepEqual(pick(t.frames[5]), {
      function: '__libc_start_main',
      module: '/usr/lib/libc.so.6',
      address: '0x7f1e2b43fcd0',
    });
  });

  it('the printer without `reverse` (frame #0 first, under the same header) also ends innermost first', () => {
    const traces = parseText(
      lines(
        'Stack trace (most recent call last):',
        '#0    Source "/src/a.cpp", line 5, in crash [0x401136]',
        '#1    Source "/src/a.cpp", line 12, in main [0x40116a]',
        '#2    Object "/lib64/libc.so.6", at 0x7ffff7a2d554, in __libc_start_main',
      ),
    );
    assert.deepEqual(traces.map(shape), [['cpp', 'crash', 1, 4, 3]]);
    assert.deepEqual(triples(traces[0]!), [
      ['crash', '/src/a.cpp', 5],
      ['main', '/src/a.cpp', 12],
      ['__libc_start_main', null, null],
    ]);
    // No signal line: the innermost frame titles the trace.
    assert.equal(traces[0]!.title, '#0    Source "/src/a.cpp", line 5, in crash [0x401136]');
  });

  it('CRLF input parses like LF input', () => {
    assert.deepEqual(parseText(BACKWARD.join('\r\n')), parseText(lines(...BACKWARD)));
  });

  it('input cut mid-line keeps the frames and what is there of the last one', () => {
    const [t] = parseText(lines(...BACKWARD.slice(1, 13), '      Source "/home/dev/proj/src/runn'));
    assert.ok(t);
    assert.deepEqual(shape(t), ['cpp', 'crash', 1, 12, 3]);
    // The cut `Source "…` line is not a frame yet; the inlined call above it is the entry's frame.
    assert.deepEqual(triples(t), [
      ['Runner::run()', '/home/dev/proj/src/runner.cpp', 40],
      ['main', '/home/dev/proj/src/main.cpp', 27],
      ['__libc_start_main', null, null],
    ]);
  });

  it('re-indented pastes (quote marks, markdown indentation) parse the same', () => {
    const plain = parseText(lines(...BACKWARD.slice(1, 23)));
    const strip = (ts: Trace[]) =>
      ts.map((t) => [t.title, t.frames.map((f) => [f.function, f.line, f.source])]);
    assert.deepEqual(strip(parseText(lines(...BACKWARD.slice(1, 23).map((l) => `> ${l}`)))), strip(plain));
    assert.deepEqual(strip(parseText(lines(...BACKWARD.slice(1, 23).map((l) => `    ${l}`)))), strip(plain));
  });
});
