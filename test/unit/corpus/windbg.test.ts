// WinDbg / cdb sessions and minidump_stackwalk output from the corpus, as a reader lists their frames.
// `!analyze -v`: the crash's frames are STACK_TEXT's. A `k` that prints the same stack again (same call
// sites) is not a second trace: its lines join the trace's span. A `k` that prints a different stack (the
// thread as it is now, in the unhandled-exception filter) is a trace of its own, of kind `thread`.

import { expectTraces } from './harness';

const JS = 'c:\\users\\mozillaadmin\\trees\\mozilla-central\\js\\src\\';

describe('corpus: windbg', () => {
  it('01 cdb x86: !analyze -v STACK_TEXT with source, bare JIT addresses; ~#kn and kb print another stack', () => {
    expectTraces('windbg/01-cdb-spidermonkey-x86-analyze-v-stack-text-source-lines.txt', [
      {
        format: 'windbg',
        kind: 'crash',
        type: '80000003',
        message: 'Break instruction exception',
        title: '80000003: Break instruction exception',
        thread: { id: '00000d9c' },
        // From the `0:000> !analyze -v` prompt to the `---------` that closes the report.
        span: [80, 214],
        frames: 13,
        first: ['js::GetBytecodeLength', `${JS}jsopcode.h`, 604],
        last: [null, null, null],
        at: {
          0: { module: 'js_dbg_32_dm_windows_62f79d676e0e', offset: '+0x47', address: null },
          9: { function: 'js::jit::DoCallFallback', file: `${JS}jit\\baselineic.cpp`, line: 5998 },
          // After `WARNING: Frame IP not in any known module`: JIT code, an address and nothing else.
          10: { function: null, module: null, address: '0x1f6a167c', docLine: 175 },
          11: { function: 'EnterIon', file: `${JS}jit\\ion.cpp`, line: 2837 },
          12: { address: '0xffffff82', docLine: 177 },
        },
      },
      {
        // `~#kn 50` (frame numbers, ChildEBP RetAddr); `kb 50` then prints the same frames with their args.
        format: 'windbg',
        kind: 'thread',
        title: 'ntdll!NtWaitForMultipleObjects+0x15',
        span: [218, 243],
        frames: 9,
        first: ['NtWaitForMultipleObjects', null, null],
        last: ['RtlInitializeExceptionChain', null, null],
        at: {
          0: { module: 'ntdll', offset: '+0x15', docLine: 221 },
          3: { module: 'kernel32', function: 'GetApplicationRecoveryCallback', offset: '+0x2a7' },
        },
      },
    ]);
  });

  it('02 cdb x64: backtick addresses, `: args :` columns; kn and kb after !analyze repeat STACK_TEXT', () => {
    expectTraces('windbg/02-cdb-spidermonkey-x64-analyze-v-child-sp.txt', [
      {
        format: 'windbg',
        kind: 'crash',
        type: '80000003',
        message: 'Break instruction exception',
        thread: { id: '0000000000000f2c' },
        // The report (78–247), then `~#kn 50` and `kb 50` printing its 25 frames twice more (251–306).
        span: [78, 306],
        frames: 25,
        first: ['js::GetBytecodeLength', `${JS}jsopcode.h`, 604],
        last: [null, null, null],
        at: {
          0: { module: 'js_dbg_64_dm_windows_62f79d676e0e', offset: '+0x52', docLine: 186 },
          5: { function: 'GetLcovInfo', file: `${JS}builtin\\testingfunctions.cpp`, line: 3421 },
          9: { address: '0xc1`814a777e', function: null, docLine: 195 },
          19: { function: 'js::jit::DoCallFallbackInfo', offset: null, address: null, file: null },
          24: { address: '0x6c0c188', docLine: 210 },
        },
      },
    ]);
  });

  it('04 WinDbg !analyze fields (PARTIAL): CONTEXT and EXCEPTION_RECORD, STACK_TEXT cut in its second line', () => {
    // The second STACK_TEXT line is cut inside its argument columns, before any call site: nothing there
    // names a frame, so it is not one (the line stays inside the report's span).
    expectTraces('windbg/04-windbg-dbgx-shell-analyze-context-exception-record-PARTIAL.txt', [
      {
        format: 'windbg',
        kind: 'crash',
        type: '80000003',
        title: '80000003: Break instruction exception',
        span: [1, 37],
        frames: 1,
        first: ['wil::details::DebugBreak', null, null],
        last: ['wil::details::DebugBreak', null, null],
        at: { 0: { module: 'KERNELBASE', offset: '+0x2', docLine: 36 } },
      },
    ]);
  });
});

describe('corpus: minidump', () => {
  it('01 minidump_stackwalk -m: pipe-separated frames with hg: source fields, Crash line names thread 0', () => {
    const rev = '957a743c4ca2907d8e357fce43fbcd9f619f1122';
    expectTraces('minidump/01-minidump-stackwalk-machine-readable-hg-source.txt', [
      {
        format: 'minidump',
        kind: 'crash',
        type: 'EXC_BAD_ACCESS / KERN_INVALID_ADDRESS',
        title: 'EXC_BAD_ACCESS / KERN_INVALID_ADDRESS',
        thread: { id: '0' },
        span: [1, 8],
        frames: 4,
        first: [
          'nsIFrame::UpdateOverflow()',
          `hg:hg.mozilla.org/mozilla-central:layout/generic/nsFrame.cpp:${rev}`,
          7601,
        ],
        last: [
          'mozilla::PresShell::DoFlushPendingNotifications(mozilla::ChangesToFlush)',
          `hg:hg.mozilla.org/mozilla-central:layout/base/RestyleManager.cpp:${rev}`,
          3133,
        ],
        at: { 0: { module: 'XUL', offset: '0x0' }, 1: { offset: '0x8', line: 111 } },
      },
    ]);
  });
});
