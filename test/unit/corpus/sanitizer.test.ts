// Sanitizer reports (ASan, TSan, UBSan) and Valgrind Memcheck errors from the corpus, as a reader lists
// their stacks: the report's first stack is the trace's own (role `access`), the others hang off it as
// `related` stacks with their role. A report's span runs from its `==pid==ERROR:` / `WARNING:` line (the
// `=====` rule above it is decoration) through SUMMARY, the shadow-byte dump and `==pid==ABORTING`.

import { expectTraces } from './harness';

const UAF_CPP = '/home/mackhe/git/C.And.Cpp.Compiling.Tutorial/asan/use_after_free/cxx/use_after_free.cpp';
const MC = '/srv/repos/mozilla-central/js/src';
const GECKO = '/builds/worker/checkouts/gecko';
const FF = '/builds/worker/workspace/build/src';
const TSAN_RTL =
  '/builds/worker/fetches/llvm-project/llvm/projects/compiler-rt/lib/tsan/rtl/tsan_interceptors.cc';
const FUZZ_XUL = '/home/worker/builds/m-c-20200514094044-fuzzing-debug/libxul.so';
const DO_CALL_FALLBACK =
  'js::jit::DoCallFallback(JSContext*, js::jit::BaselineFrame*, js::jit::ICCall_Fallback*, unsigned int, JS::Value*, JS::MutableHandle<JS::Value>)';

describe('corpus: sanitizer', () => {
  it('01 ASan heap-use-after-free: access, free and allocation stacks, (module+offset) frames, shadow bytes', () => {
    expectTraces('sanitizer/01-asan-heap-use-after-free-linux.txt', [
      {
        format: 'sanitizer',
        kind: 'crash',
        title:
          'AddressSanitizer: heap-use-after-free on address 0x614000000044 at pc 0x561ac4628906 bp 0x7ffd6c44b8c0 sp 0x7ffd6c44b8b0',
        type: 'heap-use-after-free',
        thread: { id: 'T0' },
        role: 'access',
        span: [2, 51],
        frames: 3,
        first: ['main', UAF_CPP, 6],
        last: ['_start', null, null],
        at: {
          0: { address: '0x561ac4628905', column: null, module: null },
          1: {
            function: '__libc_start_main',
            module: '/lib/x86_64-linux-gnu/libc.so.6',
            offset: '+0x21bf6',
            address: '0x7f7af7ce6bf6',
          },
          2: {
            module: '/home/mackhe/git/C.And.Cpp.Compiling.Tutorial/asan/use_after_free/cxx/use_after_free',
            offset: '+0x7a9',
          },
        },
        related: [
          {
            role: 'free',
            relation: 'related',
            title: 'freed by thread T0 here',
            span: [9, 12],
            frames: 3,
            first: ['operator delete[](void*)', null, null],
            last: ['__libc_start_main', null, null],
            at: {
              0: { module: '/usr/lib/x86_64-linux-gnu/libasan.so.4', offset: '+0xe1480' },
              1: { line: 5 },
            },
          },
          {
            role: 'allocation',
            relation: 'related',
            title: 'previously allocated by thread T0 here',
            span: [14, 17],
            frames: 3,
            first: ['operator new[](unsigned long)', null, null],
            last: ['__libc_start_main', null, null],
            at: { 1: { function: 'main', file: UAF_CPP, line: 4 } },
          },
        ],
      },
    ]);
  });

  it('02 ASan use-after-free without SUMMARY: JIT frames with nothing after `in`, old `_asan_rtl_` module', () => {
    expectTraces('sanitizer/02-asan-uaf-spidermonkey-jit-frame-no-symbol.txt', [
      {
        format: 'sanitizer',
        kind: 'crash',
        type: 'heap-use-after-free',
        message:
          'on address 0x7fd766c42800 at pc 0xe1f587 bp 0x7fffcb1b6ed0 sp 0x7fffcb1b6ec8\n' +
          'READ of size 6143520 at 0x7fd766c42800 thread T0\n' +
          '0x7fd766c42800 is located 0 bytes inside of 6143522-byte region [0x7fd766c42800,0x7fd76721e622)',
        thread: { id: 'T0' },
        role: 'access',
        span: [1, 57],
        frames: 8,
        first: [
          'void mozilla::PodCopy<char16_t>(char16_t*, char16_t const*, unsigned long)',
          `${MC}/opt64asan/js/src/../../dist/include/mozilla/PodOperations.h`,
          110,
        ],
        last: [null, null, null],
        at: {
          4: { function: 'JSFunction::native() const', file: `${MC}/jscntxtinlines.h`, line: 220 },
          7: { address: '0x7fd76b2b1323', module: null },
        },
        related: [
          {
            role: 'free',
            frames: 5,
            first: ['__interceptor_free', null, null],
            last: [
              'GCCycle(JSRuntime*, bool, long, js::JSGCInvocationKind, JS::gcreason::Reason)',
              `${MC}/jsgc.cpp`,
              4786,
            ],
            at: {
              0: { module: '_asan_rtl_', address: '0x4c6855' },
              2: {
                function:
                  '_ZL19FinalizeTypedArenasI8JSStringEbPN2js6FreeOpEPPNS1_2gc11ArenaHeaderERNS4_9ArenaListENS4_9AllocKindERNS1_11SliceBudgetE',
                line: 540,
              },
            },
          },
          {
            role: 'allocation',
            frames: 10,
            first: ['__interceptor_malloc', null, null],
            last: [null, null, null],
            at: { 0: { module: '_asan_rtl_' }, 9: { address: '0x7fd76b2aa503' } },
          },
        ],
      },
    ]);
  });

  it('03 ASan SEGV after another process`s warning: 32-bit pcs, inlined frames sharing one pc', () => {
    expectTraces('sanitizer/03-asan-segv-preceded-by-other-process-warning.txt', [
      {
        format: 'sanitizer',
        kind: 'crash',
        title:
          'AddressSanitizer: SEGV on unknown address 0x00000014 (pc 0x0810845f sp 0xffc57860 bp 0xffc57f18 T0)',
        type: 'SEGV',
        message: 'on unknown address 0x00000014 (pc 0x0810845f sp 0xffc57860 bp 0xffc57f18 T0)',
        thread: { id: 'T0' },
        role: 'access',
        span: [4, 15],
        frames: 7,
        first: [
          'js::AbstractFramePtr::asRematerializedFrame() const',
          `${MC}/shell/../jit/RematerializedFrame.h`,
          114,
        ],
        last: [DO_CALL_FALLBACK, `${MC}/jit/BaselineIC.cpp`, 8638],
        at: {
          0: { address: '0x810845e', notes: ['inlined'] },
          1: { address: '0x810845e', notes: ['inlined'] },
          2: {
            function: 'EvalInFrame(JSContext*, unsigned int, JS::Value*)',
            address: '0x810845e',
            notes: undefined,
          },
          3: { notes: ['inlined'] },
          4: { function: 'js::Invoke(JSContext*, JS::CallArgs, js::MaybeConstruct)', notes: undefined },
        },
        related: [],
      },
    ]);
  });

  it('04 TSan SEGV: frames without pc, `path:line:col (module+off)`, a Rust frame, `<null>` frames', () => {
    expectTraces('sanitizer/04-tsan-segv-firefox-rust-frame-null-frames.txt', [
      {
        format: 'sanitizer',
        kind: 'crash',
        type: 'SEGV',
        message:
          'on unknown address 0x000000000000 (pc 0x559ed71aa5e3 bp 0x000000000033 sp 0x7fe1a51bcf00 T7880)\n' +
          'The signal is caused by a WRITE memory access.\n' +
          'Hint: address points to the zero page.',
        thread: { id: 'T7880' },
        span: [1, 13],
        frames: 6,
        first: ['mozalloc_abort', `${GECKO}/memory/mozalloc/mozalloc_abort.cpp`, 33],
        last: [null, null, null],
        at: {
          0: { column: 3, module: 'firefox', offset: '+0xcb5e3', address: null },
          3: {
            function: 'gkrust_shared::oom_hook::hook::hdb794dafd9a70020',
            file: `${GECKO}/toolkit/library/rust/shared/lib.rs`,
            line: 133,
            column: 13,
            module: 'libxul.so',
          },
          4: { function: null, file: null, module: 'swrast_dri.so', offset: '+0x75dc33' },
          5: { module: null, address: '0x7eff0a5dad88' },
        },
      },
    ]);
  });

  it('05 TSan data race: access, previous-access, mutex and thread-creation stacks', () => {
    expectTraces('sanitizer/05-tsan-data-race-firefox-mutex-thread-creation.txt', [
      {
        format: 'sanitizer',
        kind: 'crash',
        title: 'ThreadSanitizer: data race (pid=1126)',
        type: 'data race',
        thread: { id: 'T43' },
        role: 'access',
        span: [1, 70],
        frames: 2,
        first: ['free', TSAN_RTL, 706],
        last: ['_dl_deallocate_tls', null, null],
        at: { 1: { module: 'ld-linux-x86-64.so.2', offset: '+0x139a7' } },
        related: [
          {
            role: 'previous-access',
            title: 'Previous write of size 8 at 0x7b7c001d0d08 by thread T5 (mutexes: write M176)',
            span: [5, 11],
            frames: 6,
            first: ['set', `${FF}/obj-firefox/dist/include/mozilla/ThreadLocal.h`, 161],
            last: ['_pt_root', `${FF}/nsprpub/pr/src/pthreads/ptthread.c`, 209],
            // #0-#3 share one module offset: #0-#2 were inlined into profiler_unregister_thread().
            at: {
              0: { column: 12, notes: ['inlined'] },
              3: { function: 'profiler_unregister_thread()', notes: undefined },
            },
          },
          {
            role: 'mutex',
            title: 'Mutex M176 (0x7f0d76677d90) created at',
            frames: 12,
            first: ['pthread_mutex_init', TSAN_RTL, 1225],
            last: ['main', `${FF}/browser/app/nsBrowserApp.cpp`, 324],
            at: {
              4: {
                function: '_GLOBAL__sub_I_Unified_cpp_tools_profiler0.cpp',
                file: `${FF}/obj-firefox/tools/profiler/Unified_cpp_tools_profiler0.cpp`,
                line: null,
              },
              5: { function: null, file: null, module: 'ld-linux-x86-64.so.2' },
            },
          },
          {
            role: 'thread-creation',
            title: "Thread T5 'SaveScripts' (tid=1310, finished) created by main thread at",
            span: [25, 69],
            frames: 44,
            first: ['pthread_create', TSAN_RTL, 967],
            last: ['main', `${FF}/browser/app/nsBrowserApp.cpp`, 339],
            at: {
              11: {
                function: 'NS_InvokeByIndex',
                file: `${FF}/xpcom/reflect/xptcall/md/unix/xptcinvoke_asm_x86_64_unix.S`,
                line: 106,
                column: null,
              },
            },
          },
        ],
      },
    ]);
  });

  it('06 UBSan SEGV: symbolized functions located only by (module+offset)', () => {
    expectTraces('sanitizer/06-ubsan-segv-firefox-module-only-frames.txt', [
      {
        format: 'sanitizer',
        kind: 'crash',
        title:
          'UndefinedBehaviorSanitizer: SEGV on unknown address 0x000000004141 (pc 0x7f070b805037 bp 0x7f06626006b0 sp 0x7f0662600680 T28456)',
        type: 'SEGV',
        thread: { id: 'T28456' },
        span: [1, 8],
        frames: 2,
        first: [
          'mozilla::dom::ToJSValue(JSContext*, mozilla::dom::Promise&, JS::MutableHandle<JS::Value>)',
          null,
          null,
        ],
        last: [DO_CALL_FALLBACK, null, null],
        at: {
          0: { module: FUZZ_XUL, offset: '+0x4e3d036', address: '0x7f070b805036' },
          1: { module: FUZZ_XUL, offset: '+0x7b0fa9e' },
        },
      },
    ]);
  });
});

describe('corpus: valgrind', () => {
  it('01 memcheck -v --track-origins: `--pid--` noise skipped, origin stack; the -v error summary repeats it', () => {
    const report = (span: [number, number], first: number) => ({
      format: 'valgrind' as const,
      kind: 'crash' as const,
      title: 'Conditional jump or move depends on uninitialised value(s)',
      type: 'Conditional jump or move depends on uninitialised value(s)',
      role: 'access',
      span,
      frames: 4,
      first: ['strlen', 'vg_replace_strmem.c', 461] as [string, string, number],
      last: ['(below main)', 'libc-start.c', 310] as [string, string, number],
      at: {
        0: { address: '0x4C331D8', docLine: first },
        2: { function: null, file: null, module: '/home/user/a.out', address: '0x1085D1' },
      },
      related: [
        {
          role: 'origin',
          relation: 'related' as const,
          title: 'Uninitialised value was created by a stack allocation',
          frames: 1,
          first: [null, null, null] as [null, null, null],
          at: { 0: { module: '/home/user/a.out', address: '0x1085A0' } },
        },
      ],
    });
    // The error printed as it happened, then again under `1 errors in context 1 of 1:`: both are printed
    // errors, so both are traces (the heading line stays outside the second one's span).
    expectTraces('valgrind/01-memcheck-verbose-v-track-origins-noise.txt', [
      report([60, 66], 61),
      report([81, 87], 82),
    ]);
  });

  it('02 memcheck invalid free: the free stack and the block`s allocation stack', () => {
    expectTraces('valgrind/02-memcheck-invalid-free-with-alloc-and-free-stacks.txt', [
      {
        format: 'valgrind',
        kind: 'crash',
        title: 'Invalid free() / delete / delete[] / realloc()',
        type: 'Invalid free() / delete / delete[] / realloc()',
        message: null,
        role: 'access',
        span: [6, 14],
        frames: 2,
        first: ['free', 'vg_replace_malloc.c', 530],
        last: ['main', 'test.c', 6],
        at: { 1: { address: '0x400593' } },
        related: [
          {
            role: 'free',
            title: "Address 0x5204040 is 0 bytes inside a block of size 100 free'd",
            span: [9, 11],
            frames: 2,
            first: ['free', 'vg_replace_malloc.c', 530],
            last: ['main', 'test.c', 5],
          },
          {
            role: 'allocation',
            title: "Block was alloc'd at",
            span: [12, 14],
            frames: 2,
            first: ['malloc', 'vg_replace_malloc.c', 299],
            last: ['main', 'test.c', 4],
          },
        ],
      },
    ]);
  });

  it('04 forum quote with collapsed whitespace: `==pid== at` and `==pid== by` still frames', () => {
    expectTraces('valgrind/04-sisop-foro-collapsed-whitespace-quoted-fragment.txt', [
      {
        format: 'valgrind',
        kind: 'crash',
        type: 'Invalid read of size 1',
        span: [1, 4],
        frames: 3,
        first: ['strlen', null, null],
        last: ['liberacionProceso', 'main.c', 1728],
        at: {
          0: { module: '/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so', address: '0x484ED16' },
          1: { function: 'strdup', file: 'strdup.c', line: 41 },
        },
      },
    ]);
  });
});
