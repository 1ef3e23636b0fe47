// Android tombstones from the corpus (AOSP debuggerd, logcat copies, xCrash), as a reader lists their frames.
// A tombstone frame's library path is its module (not a source file) and its pc is the address as written.

import { expectTraces } from './harness';

describe('corpus: android-tombstone', () => {
  it('02 xCrash: Tombstone maker header, unsymbolized first frame, mangled libc names', () => {
    expectTraces('android-tombstone/02-xcrash-tombstone-maker-header.txt', [
      {
        format: 'tombstone',
        kind: 'crash',
        title: 'signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0xa9932a70',
        type: 'SIGSEGV',
        message: 'code 1 (SEGV_MAPERR), fault addr 0xa9932a70',
        thread: { name: 'xcrash_trace_dp', id: '25375', state: null },
        span: [1, 28],
        frames: 3,
        first: [null, null, null],
        last: ['__start_thread', null, null],
        at: {
          0: {
            module: '/data/app/com.lx.123-5aXn3YVdViIWRrZ2l890Kw==/lib/arm/libxcrash.so',
            address: '00004836',
            offset: null,
          },
          1: {
            function: '_ZL15__pthread_startPv',
            offset: '+22',
            module: '/system/lib/libc.so',
            address: '00065ac7',
          },
        },
      },
    ]);
  });

  it('03 logcat threadtime copy (PARTIAL): <unknown> map, APK offset; the ANSI fragment after it is not part of it', () => {
    // The logcat prefixes are stripped by normalize; the first line lost its prefix in the copy. The
    // thread name is cut to 15 characters by the kernel (`DecodingQueue -`), kept as written.
    expectTraces('android-tombstone/03-webrtc-threadtime-apk-offset-ansi-PARTIAL.txt', [
      {
        format: 'tombstone',
        kind: 'crash',
        type: 'SIGSEGV',
        title: 'signal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0xf4240',
        thread: { name: 'DecodingQueue -', id: '31457' },
        span: [1, 13],
        frames: 2,
        first: [null, null, null],
        last: [null, null, null],
        at: {
          0: { module: null, address: '000f4240', notes: ['unknown'] },
          1: {
            module: '/data/app/com.example-NTsZDh-nLK4lDw5LcAhVWA==/base.apk',
            address: '0024cc5b',
            notes: ['offset 0xdb1000'],
          },
        },
      },
    ]);
  });

  it('04 AOSP crasher64 (arm64): no pid line, v-registers are not frames, C++ signature in the symbol', () => {
    expectTraces('android-tombstone/04-aosp-crasher64-arm64-sigabrt.txt', [
      {
        format: 'tombstone',
        kind: 'crash',
        type: 'SIGABRT',
        title: 'signal 6 (SIGABRT), code -6 (SI_TKILL), fault addr --------',
        thread: { name: null, id: null },
        span: [1, 31],
        frames: 8,
        first: ['tgkill', null, null],
        last: ['__start_thread', null, null],
        at: {
          0: { module: '/system/lib64/libc.so', address: '00000000000588e0', offset: '+8' },
          3: { function: 'abort', offset: '+60' },
          4: { function: null, module: '/system/xbin/crasher64', address: '00000000000016e0', offset: null },
          6: { function: '__pthread_start(void*)', offset: '+52' },
        },
      },
    ]);
  });

  it('05 AOSP crasher (MIPS): single-space register rows, pid line names the thread', () => {
    expectTraces('android-tombstone/05-aosp-crasher-mips-sigabrt.txt', [
      {
        format: 'tombstone',
        kind: 'crash',
        type: 'SIGABRT',
        message: 'code -6 (SI_TKILL), fault addr --------',
        thread: { name: 'crasher', id: '960', state: null },
        span: [1, 23],
        frames: 7,
        first: ['tgkill', null, null],
        last: ['__start_thread', null, null],
        at: {
          0: { module: '/system/lib/libc.so', address: '00067e94', offset: '+20' },
          4: { function: null, module: '/system/xbin/crasher', address: '000012a4' },
          5: { function: '__pthread_start(void*)', offset: '+96' },
        },
      },
    ]);
  });
});
