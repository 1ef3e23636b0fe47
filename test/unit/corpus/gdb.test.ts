// gdb backtraces and systemd-coredump stack traces from the corpus, as a reader lists their frames.
// Frames cut mid-line at the end of a PARTIAL copy are kept with what is there (and noted 'truncated'
// where the cut left the frame visibly incomplete).

import { expectTraces } from './harness';

const QTCORE = '/usr/lib/x86_64-linux-gnu/libQtCore.so.4';
const TIMEDWAIT_S = '../nptl/sysdeps/unix/sysv/linux/x86_64/pthread_cond_timedwait.S';
const CLONE_S = '../sysdeps/unix/sysv/linux/x86_64/clone.S';
const ION = '/home/ownhero/homes/mozilla/repos/ionmonkey/js/src/ion';
const THREADS_D = '../../../../../../.dub/packages/libasync-0.6.6/source/libasync/threads.d';

describe('corpus: gdb', () => {
  it('04 golang core: stop location then `bt` merged, `from <lib>` frames, cut <signal handler', () => {
    expectTraces('gdb/04-golang-gdb-core-trailing-spaces-PARTIAL.txt', [
      {
        format: 'gdb',
        kind: 'crash',
        title: 'Program terminated with signal SIGABRT, Aborted.',
        type: 'SIGABRT',
        message: 'Aborted',
        thread: { id: '627812' },
        span: [6, 13],
        frames: 4,
        first: ['raise', null, null],
        // `#3  <signal handler` was cut: a marker, not a function.
        last: [null, null, null],
        at: {
          0: {
            module: '/lib/x86_64-linux-gnu/libc.so.6',
            address: '0x00007d1090545d61',
            args: '',
            docLine: 10,
          },
          1: { function: 'abort', module: '/lib/x86_64-linux-gnu/libc.so.6' },
          2: {
            function: 'handle_sigsegv',
            args: 'sig=11',
            file: '/build/gdb-Nav6Es/gdb-10.1/gdb/event-top.c',
            line: 885,
            module: null,
          },
          3: { notes: ['signal handler'], docLine: 13 },
        },
      },
    ]);
  });

  it('05 owncloud: thread apply all bt, hard-wrapped at ~70 columns', () => {
    const thread = (lwp: string, start: number, arg: string) => ({
      format: 'gdb' as const,
      kind: 'thread' as const,
      thread: { id: lwp, name: null },
      span: [start, start + 12] as [number, number],
      frames: 6,
      first: ['pthread_cond_timedwait@@GLIBC_2.3.2', TIMEDWAIT_S, 238] as [string, string, number],
      last: ['clone', CLONE_S, 111] as [string, string, number],
      at: {
        0: {
          address: null,
          docLine: start + 1,
          notes: undefined,
          raw: `#0  pthread_cond_timedwait@@GLIBC_2.3.2 () at ${TIMEDWAIT_S}:238`,
        },
        1: {
          function: 'QWaitCondition::wait(QMutex*, unsigned long)',
          args: '',
          module: QTCORE,
          docLine: start + 3,
        },
        2: { function: null, module: QTCORE, address: '0x00007ffff389d0fa', docLine: start + 5 },
        3: { function: null, module: QTCORE, docLine: start + 7 },
        4: { function: 'start_thread', args: `arg=${arg}`, file: 'pthread_create.c', line: 312 },
      },
    });
    expectTraces('gdb/05-owncloud-thread-apply-all-bt-hard-wrapped-PARTIAL.txt', [
      { ...thread('13608', 5, '0x7fffa3fff700'), title: 'Thread 21 (Thread 0x7fffa3fff700 (LWP 13608))' },
      { ...thread('13607', 19, '0x7fffb8f0f700'), title: 'Thread 20 (Thread 0x7fffb8f0f700 (LWP 13607))' },
      {
        format: 'gdb',
        kind: 'thread',
        thread: { id: '13606' },
        span: [33, 34],
        frames: 1,
        // The copy ends after `()`: what would have followed (` at` + the wrapped path) is lost.
        first: ['pthread_cond_timedwait@@GLIBC_2.3.2', null, null],
      },
    ]);
  });

  it('06 sfwbar: systemd-coredump block, then the same thread from `thread apply all backtrace full`', () => {
    expectTraces('gdb/06-sfwbar-coredumpctl-then-gdb-bt-full-PARTIAL.txt', [
      {
        format: 'coredump',
        kind: 'thread',
        title: 'Stack trace of thread 8736',
        thread: { id: '8736' },
        span: [1, 11],
        frames: 10,
        first: [null, null, null],
        last: [null, null, null],
        at: {
          0: { module: 'libc.so.6', offset: '+ 0x9f002', address: '0x00007fb66b09f002' },
          3: { function: 'ppoll', module: 'libc.so.6', offset: '+ 0x10d9f6' },
          5: { function: 'g_main_context_iteration', module: 'libglib-2.0.so.0' },
          6: { function: null, module: 'libdconfsettings.so', offset: '+ 0x77be' },
        },
      },
      {
        format: 'gdb',
        kind: 'thread',
        title: 'Thread 7 (Thread 0x7fb664bfb6c0 (LWP 8736))',
        // The LWP: the same thread as systemd-coredump's `Stack trace of thread 8736`.
        thread: { id: '8736' },
        span: [17, 23],
        frames: 6,
        first: [null, null, null],
        last: ['g_main_context_iteration', null, null],
        at: {
          // `in ??? () at /usr/lib/libc.so.6`: a library after `at`, no source line.
          0: { module: '/usr/lib/libc.so.6', file: null, address: '0x00007fb66b09f002', docLine: 18 },
          3: { function: 'ppoll', module: '/usr/lib/libc.so.6' },
          4: { module: '/usr/lib/libglib-2.0.so.0' },
        },
      },
    ]);
  });

  it('07 lightdm-webkit: journal coredump chunk cut by the pager, thread block after a blank line', () => {
    expectTraces('gdb/07-lightdm-webkit-journal-coredump-pager-truncated-PARTIAL.txt', [
      {
        // The excerpt starts below its `Stack trace of thread N:` header.
        format: 'coredump',
        kind: 'thread',
        span: [1, 8],
        frames: 8,
        first: ['__futex_abstimed_wait_common', null, null],
        last: ['__clone', null, null],
        at: {
          0: { module: 'libc.so.6', offset: '+ 0x8a15a' },
          1: { function: 'pthread_cond_timedwait@@GLIBC_2.3.2' },
          // `(libj>`: the module name was cut by the pager, so none is claimed.
          2: {
            function: '_ZN3WTF15ThreadCondition9timedWaitERNS_5MutexENS_8WallTimeE',
            module: null,
            address: '0x00007f364523536a',
            notes: ['truncated'],
          },
          3: {
            function: '_ZN3WTF10ParkingLot21parkConditionallyImplEPKvRKNS_12ScopedLambda',
            module: null,
            notes: ['truncated'],
          },
          4: { function: null, module: 'libjavascriptcoregtk-4.0.so.18', offset: '+ 0xfb0da8' },
        },
      },
      {
        format: 'coredump',
        kind: 'thread',
        title: 'Stack trace of thread 22447',
        thread: { id: '22447' },
        span: [10, 12],
        frames: 2,
        first: ['__futex_abstimed_wait_common', null, null],
        last: ['pthread_cond_timedwait@@GLIBC_2.3.2', null, null],
      },
    ]);
  });

  it('08 libasync: signal, stop location without #0, fences, then bt with gdb-wrapped `at` lines', () => {
    expectTraces('gdb/08-libasync-d-language-run-and-bt-PARTIAL.txt', [
      {
        format: 'gdb',
        kind: 'crash',
        title: 'Program received signal SIGUSR1, User defined signal 1.',
        type: 'SIGUSR1',
        message: 'User defined signal 1',
        // From `[Switching to Thread 0x7ffff58e0700 (LWP 27121)]`.
        thread: { id: '27121' },
        span: [10, 24],
        frames: 5,
        first: [
          'pthread_cond_wait@@GLIBC_2.3.2',
          '../nptl/sysdeps/unix/sysv/linux/x86_64/pthread_cond_wait.S',
          185,
        ],
        // `#4  0x00000000005b9fba in cor` is cut mid-name: kept with what is there.
        last: ['cor', null, null],
        at: {
          0: { address: null, docLine: 18 },
          1: { function: 'core.sync.condition.Condition.wait()', args: '', address: '0x0000000000599659' },
          2: {
            function: 'libasync.threads.CmdProcessor.process()',
            args: 'this=0x7ffff7ecc700',
            file: THREADS_D,
            line: 202,
            docLine: 20,
          },
          3: { function: 'libasync.threads.CmdProcessor.run()', file: THREADS_D, line: 182, docLine: 22 },
          4: { address: '0x00000000005b9fba', notes: ['truncated'] },
        },
      },
    ]);
  });

  it('09 ionmonkey: core with source echo, inlined frames, registers and disassembly after', () => {
    expectTraces('gdb/09-ionmonkey-core-inlined-frames-registers.txt', [
      {
        format: 'gdb',
        kind: 'crash',
        title: 'Program terminated with signal 11, Segmentation fault.',
        type: '11',
        message: 'Segmentation fault',
        span: [4, 14],
        frames: 8,
        first: ['internalAppend<js::ion::MDefinition*>', './dist/include/js/Vector.h', 790],
        last: ['js::ion::IonBuilder::traverseBytecode', `${ION}/IonBuilder.cpp`, 627],
        at: {
          0: {
            address: '0x083fa060',
            args: 'this=0x847e4e8, ins=0x9e2ced0',
            docLine: 7,
            source: 'new(endNoCheck()) T(t);',
            notes: undefined,
          },
          1: { function: 'append<js::ion::MDefinition*>', address: null, line: 779, notes: ['inlined'] },
          2: { function: 'js::ion::MPhi::addInput', file: `${ION}/MIR.cpp`, line: 456, notes: ['inlined'] },
          3: { function: 'js::ion::MBasicBlock::setBackedge', address: '0x0838ad1c', notes: undefined },
          4: { args: 'this=0xffdef8e0, state=..., successor=0x9e2d280' },
          6: { function: 'processCfgStack', address: '0x08350ac0' },
          7: { address: null, notes: ['inlined'] },
        },
      },
    ]);
  });
});
