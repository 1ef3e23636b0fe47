// C++ stack traces the programs print themselves (boost::stacktrace, backward-cpp) from the corpus, as a
// reader lists their frames: innermost first, so backward-cpp's "most recent call last" order is turned.
// 04 is cut inside its last printed line: that frame is kept with what is there (`vm_call_metho`), since
// backward-cpp's `Source` lines end with the function and nothing marks the name as cut.

import { expectTraces } from './harness';

const LIBRUBY = '/home/addisu/.rbenv/versions/2.5.1/lib/libruby.so.2.5';

describe('corpus: cpp-stacktrace', () => {
  it('02 boost::stacktrace without addr2line: `N# 0x… in ./module`, one symbolized libc frame', () => {
    expectTraces('cpp-stacktrace/02-ekat-boost-stacktrace-addresses-in-module.txt', [
      {
        format: 'cpp',
        kind: 'crash',
        span: [1, 14],
        frames: 14,
        first: [null, null, null],
        last: [null, null, null],
        at: {
          0: { address: '0x0000000000509997', module: './yaml_parser', docLine: 1 },
          11: { address: '0x00007F3954E295D0', module: '/usr/lib64/libc.so.6' },
          12: { function: '__libc_start_main', address: null, module: '/usr/lib64/libc.so.6' },
          13: { address: '0x000000000040C575', module: './yaml_parser', docLine: 14 },
        },
      },
    ]);
  });

  it('03 backward-cpp objects only, quoted with `> `: reversed to innermost first, psiginfo line titles it', () => {
    expectTraces('cpp-stacktrace/03-backward-cpp-objects-only-blockquoted.txt', [
      {
        format: 'cpp',
        kind: 'crash',
        title: 'Aborted (Signal sent by tkill() 85950 28120)',
        type: 'Aborted',
        message: 'Signal sent by tkill() 85950 28120',
        // The shell's own `Aborted` on the last line is not the program's.
        span: [1, 10],
        frames: 8,
        first: ['gsignal', null, null],
        last: [null, null, null],
        at: {
          0: { module: '/lib64/libc.so.6', address: '0x7f540b5595d7', docLine: 9 },
          1: { function: 'abort' },
          2: { function: null, module: '/lib64/libc.so.6', address: '0x7f540b552545' },
          3: { function: '__assert_fail' },
          4: { function: null, module: './a.out' },
          5: { function: '__libc_start_main' },
          // `Object "[0xffffffffffffffff]"`: backward's placeholder when no object holds the address.
          7: { module: null, address: '0xffffffffffffffff', docLine: 2 },
        },
      },
    ]);
  });

  it('04 backward-cpp with Source frames (`line 0` as written), cut after frame #21', () => {
    expectTraces('cpp-stacktrace/04-gz-tools-backward-source-lines-ruby-host-PARTIAL.txt', [
      {
        format: 'cpp',
        kind: 'crash',
        span: [1, 11],
        frames: 10,
        first: ['vm_call_metho', 'vm.c', 0],
        last: [null, null, null],
        at: {
          1: { function: 'vm_exec_core', file: 'vm.c', line: 0, address: '0x7f2bf7d1d2b2' },
          3: { function: 'ruby_exec_internal', file: 'eval.c', line: 0, address: '0x7f2bf7bc07a3' },
          4: { function: 'ruby_exec_node', module: LIBRUBY, address: '0x7f2bf7bc25fc', file: null },
          6: {
            function: 'main',
            file: '/tmp/ruby-build.20210125142253.8495.0c73M7/ruby-2.5.1/./main.c',
            line: 42,
            address: '0x5585b65bf8ea',
          },
          7: {
            function: '__libc_start_main',
            file: '/build/glibc-S9d2JN/glibc-2.27/csu/../csu/libc-start.c',
            line: 310,
          },
          8: { function: '_start', module: '/home/addisu/.rbenv/versions/2.5.1/bin/ruby' },
          // `#30   Object "", at 0xffffffffffffffff, in `: neither object nor symbol.
          9: { function: null, module: null, address: '0xffffffffffffffff', docLine: 2 },
        },
      },
    ]);
  });
});
