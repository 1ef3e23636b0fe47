// The Rust parser on inline panics: both header styles, RUST_BACKTRACE=1 and =full backtraces with inlined
// frames, registry and git paths, test-harness output, and panics inside logs, CRLF, cut or re-indented.

import * as assert from 'node:assert/strict';
import { parseRustHeader, rustParser } from '../../../src/core/trace/parsers/rust';
import { parserTriggered } from '../../../src/core/trace/scanner';
import { lines, parse, triple } from './helpers';

const RUSTC = '/rustc/90c541806f23a127002de5b4038be731ba1458ca';
const REGISTRY = '/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f';

const SHORT = lines(
  "thread 'main' panicked at src/main.rs:5:5:",
  'assertion `left == right` failed: sizes differ',
  '  left: 1',
  ' right: 2',
  'stack backtrace:',
  '   0: rust_begin_unwind',
  `             at ${RUSTC}/library/std/src/panicking.rs:645:5`,
  '   1: core::panicking::assert_failed_inner',
  '   2: tokio::runtime::park::CachedParkThread::block_on::{{closure}}',
  `             at ${REGISTRY}/tokio-1.28.0/src/runtime/park.rs:283:63`,
  '   3: app::main',
  '             at ./src/main.rs:5:5',
  '   4: core::ops::function::FnOnce::call_once',
  `             at ${RUSTC}/library/core/src/ops/function.rs:250:5`,
  '      std::sys_common::backtrace::__rust_begin_short_backtrace',
  `             at ${RUSTC}/library/std/src/sys_common/backtrace.rs:155:18`,
  '   5: <unknown>',
  'note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.',
);

const FULL = lines(
  "thread '<unnamed>' panicked at 'called `Result::unwrap()` on an `Err` value: Os { code: 2 }', /home/u/.cargo/git/checkouts/mylib-0123456789abcdef/1a2b3c4/src/lib.rs:7:3",
  'stack backtrace:',
  '   0:     0x55d0c3e1b4f3 - std::backtrace_rs::backtrace::libunwind::trace::h6a2c1d0f1d3b5f5c',
  `                               at ${RUSTC}/library/std/src/../../backtrace/src/backtrace/libunwind.rs:93:5`,
  '  12:     0x55d0c3e1c000 - core::ops::function::FnOnce::call_once::h1111111111111111',
  `                               at ${RUSTC}/library/core/src/ops/function.rs:250:5`,
  '                           std::sys_common::backtrace::__rust_begin_short_backtrace::h2222222222222222',
  `                               at ${RUSTC}/library/std/src/sys_common/backtrace.rs:155:18`,
  '  13:     0x55d0c3e1d000 - mylib::run::h3333333333333333',
  '                               at /home/u/.cargo/git/checkouts/mylib-0123456789abcdef/1a2b3c4/src/lib.rs:7:3',
  '  13:     0x55d0c3e1d000 - app::main::h4444444444444444',
  '                               at /home/u/app/src/main.rs:3:1',
  '  14:                0x0 - <unknown>',
);

describe('rust parser', () => {
  describe('panics', () => {
    it('1.73+ header, multi-line assert message, RUST_BACKTRACE=1 frames with inlined calls', () => {
      const [t] = parse(SHORT, 1);
      assert.equal(t!.format, 'rust');
      assert.equal(t!.kind, 'crash');
      assert.equal(t!.title, 'panic: assertion `left == right` failed: sizes differ');
      assert.equal(t!.type, 'panic');
      assert.equal(t!.message, 'assertion `left == right` failed: sizes differ\n  left: 1\n right: 2');
      assert.deepEqual(t!.thread, { name: 'main', id: null, state: null });
      assert.deepEqual(t!.span, { start: 1, end: 18 });
      assert.deepEqual(t!.frames.map(triple), [
        ['rust_begin_unwind', `${RUSTC}/library/std/src/panicking.rs`, 645],
        ['core::panicking::assert_failed_inner', null, null],
        [
          'tokio::runtime::park::CachedParkThread::block_on::{{closure}}',
          `${REGISTRY}/tokio-1.28.0/src/runtime/park.rs`,
          283,
        ],
        ['app::main', './src/main.rs', 5],
        ['core::ops::function::FnOnce::call_once', `${RUSTC}/library/core/src/ops/function.rs`, 250],
        [
          'std::sys_common::backtrace::__rust_begin_short_backtrace',
          `${RUSTC}/library/std/src/sys_common/backtrace.rs`,
          155,
        ],
        [null, null, null],
      ]);
      const [begin, , tokio, main, callOnce, shortBt, unknown] = t!.frames;
      assert.equal(begin!.column, 5);
      assert.equal(begin!.docLine, 6);
      assert.equal(begin!.raw, `0: rust_begin_unwind\nat ${RUSTC}/library/std/src/panicking.rs:645:5`);
      assert.equal(tokio!.module, 'tokio-1.28.0');
      assert.equal(tokio!.column, 63);
      assert.equal(main!.module, null);
      // The symbol under a frame without a number of its own is the frame the one above was inlined into.
      assert.deepEqual(callOnce!.notes, ['inlined']);
      assert.equal(shortBt!.notes, undefined);
      assert.equal(shortBt!.docLine, 15);
      assert.deepEqual(unknown!.notes, ['unknown']);
    });

    it('RUST_BACKTRACE=full: addresses, hashes split off, inlined symbols, repeated numbers, git checkouts', () => {
      const [t] = parse(FULL, 1);
      assert.equal(t!.title, 'panic: called `Result::unwrap()` on an `Err` value: Os { code: 2 }');
      assert.deepEqual(t!.thread, { name: '<unnamed>', id: null, state: null });
      assert.deepEqual(t!.span, { start: 1, end: 13 });
      assert.equal(t!.frames.length, 6);
      const [trace, callOnce, shortBt, run, main, unknown] = t!.frames;
      assert.equal(trace!.function, 'std::backtrace_rs::backtrace::libunwind::trace');
      assert.equal(trace!.address, '0x55d0c3e1b4f3');
      assert.deepEqual(trace!.notes, ['hash h6a2c1d0f1d3b5f5c']);
      assert.equal(trace!.line, 93);
      assert.deepEqual(callOnce!.notes, ['hash h1111111111111111', 'inlined']);
      // The inlined-into frame runs at the same address.
      assert.equal(shortBt!.address, '0x55d0c3e1c000');
      assert.equal(shortBt!.function, 'std::sys_common::backtrace::__rust_begin_short_backtrace');
      assert.deepEqual(shortBt!.notes, ['hash h2222222222222222']);
      // Two symbols under one number: the first was inlined into the second.
      assert.deepEqual(triple(run), [
        'mylib::run',
        '/home/u/.cargo/git/checkouts/mylib-0123456789abcdef/1a2b3c4/src/lib.rs',
        7,
      ]);
      assert.equal(run!.module, 'mylib-0123456789abcdef');
      assert.deepEqual(run!.notes, ['hash h3333333333333333', 'inlined']);
      assert.deepEqual(triple(main), ['app::main', '/home/u/app/src/main.rs', 3]);
      assert.deepEqual(main!.notes, ['hash h4444444444444444']);
      assert.equal(unknown!.address, '0x0');
      assert.equal(unknown!.function, null);
    });

    it('pre-1.73 header whose quoted message spans lines, on a worker thread; no backtrace', () => {
      const text = lines(
        "thread 'worker-1' panicked at 'assertion failed: `(left == right)`",
        '  left: `1`,',
        " right: `2`', src/worker.rs:10:9",
        'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
        'worker exited',
      );
      const [t] = parse(text, 1);
      assert.equal(t!.message, 'assertion failed: `(left == right)`\n  left: `1`,\n right: `2`');
      assert.deepEqual(t!.span, { start: 1, end: 4 });
      // Without a backtrace the location is the one place to go to.
      assert.equal(t!.frames.length, 1);
      const f = t!.frames[0]!;
      assert.deepEqual([f.function, f.file, f.line, f.column], [null, 'src/worker.rs', 10, 9]);
      assert.deepEqual(f.notes, ['panic location']);
      assert.equal(f.docLine, 1);
    });

    it('a Windows path with a space in a pre-1.73 header', () => {
      const [t] = parse(
        "thread 'main' panicked at 'index out of bounds: the len is 3 but the index is 5', C:\\Users\\John Doe\\app\\src\\main.rs:4:13",
        1,
      );
      assert.equal(t!.message, 'index out of bounds: the len is 3 but the index is 5');
      assert.deepEqual(triple(t!.frames[0]), [null, 'C:\\Users\\John Doe\\app\\src\\main.rs', 4]);
    });

    it('thread ids (Rust 1.89+), stack overflows, and headers parsed on their own', () => {
      const [idd, overflow] = parse(
        lines(
          "thread 'main' (12345) panicked at src/main.rs:2:5:",
          'explicit panic',
          '',
          "thread 'main' has overflowed its stack",
          'fatal runtime error: stack overflow',
          'Aborted (core dumped)',
        ),
        2,
      );
      assert.deepEqual(idd!.thread, { name: 'main', id: '12345', state: null });
      assert.equal(idd!.title, 'panic: explicit panic');
      assert.deepEqual(idd!.span, { start: 1, end: 2 });
      assert.equal(overflow!.type, null);
      assert.equal(overflow!.title, "thread 'main' has overflowed its stack");
      assert.deepEqual(overflow!.span, { start: 4, end: 5 });
      assert.equal(overflow!.frames.length, 0);
      const h = parseRustHeader("thread 'main' panicked at src/main.rs:5:5:")!;
      assert.deepEqual(h.location, { file: 'src/main.rs', line: 5, column: 5 });
      assert.equal(h.more, 'new');
      assert.equal(parseRustHeader("thread 'main' started"), null);
    });

    it('cargo test output: one panic per test, the second without the note, harness lines left out', () => {
      const text = lines(
        'failures:',
        '',
        '---- tests::a stdout ----',
        "thread 'tests::a' panicked at src/lib.rs:10:9:",
        'assertion `left == right` failed',
        '  left: 4',
        ' right: 5',
        'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
        '',
        '---- tests::b stdout ----',
        "thread 'tests::b' panicked at src/lib.rs:15:9:",
        'boom',
        '',
        '',
        'failures:',
        '    tests::a',
        '    tests::b',
      );
      const [a, b] = parse(text, 2);
      assert.equal(a!.message, 'assertion `left == right` failed\n  left: 4\n right: 5');
      assert.deepEqual(a!.span, { start: 4, end: 8 });
      assert.deepEqual(a!.thread?.name, 'tests::a');
      assert.equal(b!.message, 'boom');
      assert.deepEqual(b!.span, { start: 11, end: 12 });
      assert.deepEqual(triple(b!.frames[0]), [null, 'src/lib.rs', 15]);
    });

    it('a backtrace without its panic line (std::backtrace::Backtrace printed by the app)', () => {
      const [t] = parse(
        lines(
          'stack backtrace:',
          '   0: app::handler',
          '             at ./src/handler.rs:20:9',
          '   1: app::main',
          '             at ./src/main.rs:8:5',
        ),
        1,
      );
      assert.equal(t!.title, 'stack backtrace');
      assert.equal(t!.type, null);
      assert.equal(t!.thread, undefined);
      assert.deepEqual(t!.frames.map(triple), [
        ['app::handler', './src/handler.rs', 20],
        ['app::main', './src/main.rs', 8],
      ]);
    });
  });

  describe('in real documents', () => {
    it('a panic between log lines and a Java trace: each goes to its own parser', () => {
      const text = lines(
        '2024-05-01 10:00:00,001 INFO  [main] starting sidecar',
        "thread 'main' panicked at src/main.rs:5:5:",
        'explicit panic',
        'stack backtrace:',
        '   0: app::main',
        '             at ./src/main.rs:5:5',
        'note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.',
        '2024-05-01 10:00:01,002 ERROR [main] gateway failed',
        'java.lang.IllegalStateException: sidecar died',
        '\tat com.acme.Gateway.check(Gateway.java:42)',
        '\tat com.acme.Main.main(Main.java:7)',
        '2024-05-01 10:00:01,003 INFO  [main] shutting down',
      );
      const [rust, java] = parse(text, 2);
      assert.equal(rust!.format, 'rust');
      assert.deepEqual(rust!.span, { start: 2, end: 7 });
      assert.equal(java!.format, 'java');
      assert.deepEqual(java!.span, { start: 9, end: 11 });
    });

    it('ordinary lines that look a little like Rust make no trace', () => {
      const text = lines(
        "thread 'main' started",
        'stack backtrace is disabled',
        '  12: twelve items processed',
        '   3:     0x1234 is an address',
      );
      parse(text, 0);
      assert.equal(parserTriggered(rustParser, "thread 'main' started"), true);
    });

    it('CRLF line endings', () => {
      const [t] = parse(SHORT.split('\n').join('\r\n'), 1);
      assert.equal(t!.frames.length, 7);
      assert.equal(t!.message, 'assertion `left == right` failed: sizes differ\n  left: 1\n right: 2');
      assert.equal(t!.frames[0]!.file, `${RUSTC}/library/std/src/panicking.rs`);
    });

    it('cut mid-line: a symbol and a location cut short are kept with what is there', () => {
      const cutSymbol = parse(SHORT.slice(0, SHORT.indexOf('app::main') + 6), 1)[0]!;
      assert.equal(cutSymbol.frames.length, 4);
      assert.deepEqual(triple(cutSymbol.frames[3]), ['app::m', null, null]);
      const cutAt = parse(FULL.slice(0, FULL.indexOf('libunwind.rs:93') + 10), 1)[0]!;
      assert.equal(cutAt.frames.length, 1);
      assert.equal(
        cutAt.frames[0]!.file,
        `${RUSTC}/library/std/src/../../backtrace/src/backtrace/libunwind.`,
      );
      const cutHeader = parse("thread 'main' panicked at src/ma", 1)[0]!;
      assert.equal(cutHeader.type, 'panic');
      assert.equal(cutHeader.message, null);
    });

    it('re-indented (quoted in an e-mail or a ticket): the same trace', () => {
      const indented = SHORT.split('\n')
        .map((l) => `    ${l}`)
        .join('\n');
      const [t] = parse(indented, 1);
      assert.equal(t!.message, 'assertion `left == right` failed: sizes differ\n  left: 1\n right: 2');
      assert.deepEqual(t!.span, { start: 1, end: 18 });
      assert.equal(t!.frames.length, 7);
      assert.deepEqual(t!.frames[5]!.notes, undefined);
    });
  });
});
