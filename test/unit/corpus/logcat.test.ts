// Android crashes in logcat from the corpus, as a reader lists them: the prefixes of every logcat layout
// removed, `FATAL EXCEPTION: <thread>` and `Process: <app>, PID: <n>` read as the crash's thread, R8 frames
// without sources, an ART runtime-abort thread dump, and Crashlytics' console layout.
//
// Decisions: the Android header is part of the trace (its span starts at `FATAL EXCEPTION`, or at
// `Process:` when a grep kept only that), thread.name is the FATAL EXCEPTION thread, `Process`/`PID` are
// thread.attrs. R8 frames keep no file: `()` gets the note `no source`, `(lambda)` the note `lambda`.

import * as assert from 'node:assert/strict';
import { expectTraces, parseCorpus, type TraceExpect } from './harness';

describe('corpus: android-logcat', () => {
  it('01 Android Studio logcat (pre-2022): prefix on the first line, 85-space continuation, CRLF', () => {
    expectTraces('android-logcat/01-android-studio-logcat-continuation-indent-crlf.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'java.lang.IllegalStateException',
        message:
          "Couldn't read row 0, col -1 from CursorWindow.  Make sure the Cursor is initialized correctly before accessing data from it.",
        thread: { name: 'main', id: null, state: null },
        span: [6, 27],
        frames: 19,
        first: ['android.database.CursorWindow.nativeGetString', null, null],
        last: ['com.android.internal.os.ZygoteInit.main', 'ZygoteInit.java', 698],
        at: {
          0: { notes: ['native'] },
          3: {
            function: 'com.learning.texnar13.teachersprogect.listOf.ListOfActivity$1.onMenuItemClick',
            file: 'ListOfActivity.java',
            line: 83,
          },
        },
      },
    ]);
    const [t] = parseCorpus('android-logcat/01-android-studio-logcat-continuation-indent-crlf.txt');
    assert.deepEqual(t!.thread!.attrs, { Process: 'com.learning.texnar13.teachersprogect', PID: '4755' });
    assert.equal(t!.timestamp, '01-08 18:22:37.423');
  });

  it('04 threadtime, double-spaced, CyanogenMod Theme: line (PARTIAL: cut mid-frame)', () => {
    // The last line `at com.android.okhttp.okio.RealB` was cut before its parentheses: not a frame, dropped.
    expectTraces('android-logcat/04-tinytraveltracker-double-spaced-cyanogenmod-PARTIAL.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'java.lang.InternalError',
        message: 'Thread starting during runtime shutdown',
        thread: { name: 'Thread-1565', id: null },
        span: [1, 17],
        frames: 5,
        first: ['java.lang.Thread.nativeCreate', null, null],
        last: ['com.android.okhttp.okio.AsyncTimeout$2.read', 'AsyncTimeout.java', 209],
        at: { 1: { function: 'java.lang.Thread.start', line: 1063, docLine: 11 } },
      },
    ]);
    const [t] = parseCorpus('android-logcat/04-tinytraveltracker-double-spaced-cyanogenmod-PARTIAL.txt');
    assert.deepEqual(t!.thread!.attrs, { Process: 'com.rareventure.gps2', PID: '25819' });
  });

  it('05 grep-filtered threadtime: three crashes from Process: and R8 frames without sources', () => {
    const crash = (start: number): TraceExpect => ({
      format: 'java',
      kind: 'exception',
      type: null,
      thread: { name: null },
      span: [start, start + 3],
      frames: 3,
      first: ['com.apps.adrcotfas.goodtime.Database.b.a', null, null],
      last: ['com.apps.adrcotfas.goodtime.Main.j.run', null, null],
      at: {
        0: { notes: ['no source'], args: null },
        1: { function: 'com.apps.adrcotfas.goodtime.Main.j0.d', notes: ['no source'] },
        2: { notes: ['lambda'] },
      },
    });
    expectTraces('android-logcat/05-goodtime-grep-filtered-obfuscated-no-line-numbers.txt', [
      crash(1),
      crash(5),
      crash(9),
    ]);
    const pids = parseCorpus('android-logcat/05-goodtime-grep-filtered-obfuscated-no-line-numbers.txt').map(
      (t) => t.thread?.attrs?.PID,
    );
    assert.deepEqual(pids, ['2470', '7038', '7147']);
  });

  it('06 flutter run -v: timing column, logcat brief and ART prefixes; a dump cut mid-way (PARTIAL)', () => {
    // The excerpt starts inside a thread whose header was cut off: its three frames are a headerless Java
    // stack. Then "Okio Watchdog" (ART layout: `prio=5 tid=99 TimedWaiting`, `| key=value` lines) with its
    // first native frame.
    expectTraces('android-logcat/06-flutter-run-verbose-art-runtime-abort-dump-PARTIAL.txt', [
      {
        format: 'java',
        kind: 'exception',
        span: [1, 3],
        frames: 3,
        first: ['java.util.concurrent.ThreadPoolExecutor.runWorker', 'ThreadPoolExecutor.java', 1167],
        last: ['java.lang.Thread.run', 'Thread.java', 923],
      },
      {
        format: 'jstack',
        kind: 'thread',
        title: '"Okio Watchdog" TimedWaiting',
        thread: { name: 'Okio Watchdog', id: '99', state: 'TimedWaiting' },
        span: [5, 11],
        frames: 1,
        first: ['syscall', null, null],
        at: {
          0: {
            module: '/apex/com.android.runtime/lib64/bionic/libc.so',
            address: '000000000004af10',
            offset: '+32',
            notes: ['native'],
          },
        },
      },
    ]);
    const art = parseCorpus('android-logcat/06-flutter-run-verbose-art-runtime-abort-dump-PARTIAL.txt')[1]!;
    const attrs = art.thread!.attrs!;
    assert.equal(attrs.sysTid, '8187');
    assert.equal(attrs.group, '""');
    assert.equal(attrs.schedstat, '( 976002 82654 18 )');
    assert.equal(attrs.stackSize, '1043KB');
    assert.equal(attrs['held mutexes'], '');
  });

  it('07 Crashlytics console: `Caused by X` without colon, frames without `at`', () => {
    expectTraces('android-logcat/07-crashlytics-console-format-no-at.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'java.lang.NullPointerException',
        message: null,
        span: [1, 20],
        frames: 19,
        first: ['com.cagy.androtv.adapters.ListChannel_Adapter.getCount', 'ListChannel_Adapter.java', 46],
        last: ['dalvik.system.NativeStart.main', 'NativeStart.java', null],
        at: {
          0: { raw: 'com.cagy.androtv.adapters.ListChannel_Adapter.getCount (ListChannel_Adapter.java:46)' },
          13: { function: 'android.app.ActivityThread.access$900', line: 175 },
          14: { function: 'android.app.ActivityThread$H.handleMessage', line: 1308 },
          17: { function: 'java.lang.reflect.Method.invokeNative', file: 'Method.java', line: null },
        },
      },
    ]);
  });
});
