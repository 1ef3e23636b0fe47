// Rust panics from the corpus, as a reader lists their frames. Decisions the traces force:
// - a panic without a backtrace gets one frame, its `panicked at` location (function null, note 'panic location'),
//   since that is all there is to go to; with a backtrace the frames are the backtrace's alone;
// - the legacy `::h<16 hex>` hash is split off the function into a note; a symbol cut mid-hash in a PARTIAL
//   excerpt is kept as written (`diss::run::h1b928`);
// - `<unknown>` frames keep their address, with function null and the note 'unknown'.

import { expectTraces } from './harness';

describe('corpus: rust', () => {
  it('01 x86emu: pre-1.73 header without column, note before `stack backtrace:`, `at` lines', () => {
    expectTraces('rust/01-x86emu-old-style-panic-with-debugger-log.txt', [
      {
        format: 'rust',
        kind: 'crash',
        title: 'panic: attempt to add with overflow',
        type: 'panic',
        message: 'attempt to add with overflow',
        thread: { name: 'main', id: null },
        span: [12, 28],
        frames: 7,
        first: ['x86emu::cpu::CPU::pop16', './src/cpu.rs', 2385],
        last: ['x86emu::main', './src/main.rs', 24],
        at: {
          0: { column: null, address: null, docLine: 15, notes: undefined },
          3: { function: 'x86emu::debugger::Debugger::run', file: './src/debugger.rs', line: 151 },
        },
      },
    ]);
  });

  it('04 lune: 1.73+ header with the message joined onto it; the location is the only frame', () => {
    expectTraces('rust/04-lune-header-and-message-joined.txt', [
      {
        format: 'rust',
        kind: 'crash',
        type: 'panic',
        message: 'called `Option::unwrap()` on a `None` value',
        thread: { name: 'main' },
        span: [1, 1],
        frames: 1,
        first: [null, 'crates/lune-utils/src/fmt/error/components.rs', 188],
        at: { 0: { column: 40, module: null, notes: ['panic location'] } },
      },
    ]);
  });

  it('05 chameleon: pre-1.73 header in a cargo git checkout, then the RUST_BACKTRACE note', () => {
    expectTraces('rust/05-chameleon-git-dependency-checkout-path.txt', [
      {
        format: 'rust',
        kind: 'crash',
        type: 'panic',
        message: 'called `Option::unwrap()` on a `None` value',
        span: [1, 2],
        frames: 1,
        first: [null, '/cargo/git/checkouts/wappalyzer-e32a3fb79f4ccad3/fb82bb4/src/lib.rs', 117],
        at: { 0: { column: 39, module: 'wappalyzer-e32a3fb79f4ccad3', notes: ['panic location'] } },
      },
    ]);
  });

  it('06 diss (PARTIAL): RUST_BACKTRACE=full with addresses and hashes, cut mid-symbol', () => {
    expectTraces('rust/06-diss-backtrace-full-registry-PARTIAL.txt', [
      {
        format: 'rust',
        kind: 'crash',
        title: 'panic: called `Option::unwrap()` on a `None` value',
        message: 'called `Option::unwrap()` on a `None` value',
        thread: { name: 'main' },
        // The shell prompt and the blank line above are not part of it.
        span: [3, 19],
        frames: 14,
        first: [
          '<std::sys::backtrace::BacktraceLock::print::DisplayBacktrace as core::fmt::Display>::fmt',
          null,
          null,
        ],
        // Cut mid-hash by the excerpt: kept with what is there.
        last: ['diss::run::h1b928', null, null],
        at: {
          0: { address: '0x55b5b75652c2', notes: ['hash h46a716bba2450163'], docLine: 6 },
          4: { function: 'std::panicking::default_hook::{{closure}}' },
          9: { function: '__rustc[4794b31dd7191200]::rust_begin_unwind', notes: undefined },
          13: { address: '0x55b5b74ce13c', notes: undefined },
        },
      },
    ]);
  });

  it('07 servo: a Gecko log line inside the backtrace, generic impl names, an <unknown> frame', () => {
    expectTraces('rust/07-servo-stylo-panic-interleaved-gecko-warning.txt', [
      {
        format: 'rust',
        kind: 'crash',
        title: 'panic: assertion failed: self.get_data().is_some()',
        thread: { name: 'StyleThread#3', id: null },
        // `Redirecting call to abort() to mozalloc_abort` is Gecko's, after the backtrace.
        span: [1, 24],
        frames: 21,
        first: ['std::sys::imp::backtrace::tracing::imp::unwind_backtrace', null, null],
        last: [null, null, null],
        at: {
          0: { docLine: 4, address: '0x7fa1ac1cd783', notes: ['hash hcab99e0793da62c7'] },
          6: {
            function:
              "<style::gecko::wrapper::GeckoElement<'le> as style::dom::TElement>::set_dirty_descendants",
          },
          14: {
            function:
              "<style::gecko::traversal::RecalcStyleOnly<'recalc> as style::traversal::DomTraversal<style::gecko::wrapper::GeckoElement<'le>>>::process_preorder",
          },
          20: { address: '0x7fa1ac1dfb0b', notes: ['unknown'], docLine: 24 },
        },
      },
    ]);
  });
});
