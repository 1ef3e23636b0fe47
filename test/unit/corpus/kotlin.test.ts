// Kotlin traces from the corpus: kotlinx.coroutines' recovered stack traces (the old `(Coroutine boundary)`
// line and the 1.7+ `_COROUTINE._BOUNDARY._` pseudo-frame), Kotlin/Native `kfun:` frames, and a coroutine
// crash in Android Studio's logcat.
//
// Decisions: both boundary markers are markers, not frames — they are dropped from `frames` (a source
// mapper must never try to resolve `_COROUTINE._BOUNDARY._`) and the frame after them carries the note
// `coroutine boundary`, so the same trace reads the same under old and new kotlinx.coroutines. The frames
// after a boundary stay in the same node. Kotlin/Native traces are `java` exceptions; their frames keep
// the binary as module, the address, `+ offset` as written, and the `kfun:` symbol split into function
// (without `kfun:`) and parameter types (args).

import { expectTraces } from './harness';

describe('corpus: kotlin-coroutines', () => {
  it('01 kotlinx golden file: tab-indented (Coroutine boundary) line, then Caused by', () => {
    expectTraces('kotlin-coroutines/01-kotlinx-coroutine-boundary-old-marker.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'kotlinx.coroutines.RecoverableTestException',
        message: null,
        span: [1, 10],
        frames: 5,
        first: [
          'kotlinx.coroutines.exceptions.StackTraceRecoveryChannelsTest$testOfferFromScope$1.invokeSuspend',
          'StackTraceRecoveryChannelsTest.kt',
          109,
        ],
        last: [
          'kotlinx.coroutines.exceptions.StackTraceRecoveryChannelsTest$testOfferFromScope$1.invokeSuspend',
          'StackTraceRecoveryChannelsTest.kt',
          112,
        ],
        at: {
          0: { notes: undefined },
          1: {
            function: 'kotlinx.coroutines.exceptions.StackTraceRecoveryChannelsTest.sendInChannel',
            line: 167,
            docLine: 4,
            notes: ['coroutine boundary'],
          },
          2: { notes: undefined },
        },
        causes: [
          {
            type: 'kotlinx.coroutines.RecoverableTestException',
            relation: 'cause',
            frames: 2,
            first: [
              'kotlinx.coroutines.exceptions.StackTraceRecoveryChannelsTest$testOfferFromScope$1.invokeSuspend',
              'StackTraceRecoveryChannelsTest.kt',
              109,
            ],
            last: [
              'kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith',
              'ContinuationImpl.kt',
              33,
            ],
          },
        ],
      },
    ]);
  });

  it('02 kotlinx 1.7+ golden file: the _COROUTINE._BOUNDARY._ pseudo-frame is a marker, not a frame', () => {
    expectTraces('kotlin-coroutines/02-kotlinx-coroutine-boundary-new-pseudo-frame.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'kotlinx.coroutines.testing.RecoverableTestException',
        span: [1, 12],
        frames: 6,
        first: [
          'kotlinx.coroutines.exceptions.StackTraceRecoveryResumeModeTest.testResumeModeFastPath',
          'StackTraceRecoveryResumeModeTest.kt',
          61,
        ],
        last: [
          'kotlinx.coroutines.exceptions.StackTraceRecoveryResumeModeTest$testEventLoopDispatcher$1.invokeSuspend',
          'StackTraceRecoveryResumeModeTest.kt',
          40,
        ],
        at: {
          1: { line: 40, docLine: 3, notes: undefined },
          2: {
            function:
              'kotlinx.coroutines.exceptions.StackTraceRecoveryResumeModeTest$withContext$2.invokeSuspend',
            line: 76,
            docLine: 5,
            notes: ['coroutine boundary'],
          },
        },
        causes: [
          {
            type: 'kotlinx.coroutines.testing.RecoverableTestException',
            frames: 3,
            first: [
              'kotlinx.coroutines.exceptions.StackTraceRecoveryResumeModeTest.testResumeModeFastPath',
              'StackTraceRecoveryResumeModeTest.kt',
              61,
            ],
            last: [
              'kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith',
              'ContinuationImpl.kt',
              33,
            ],
          },
        ],
      },
    ]);
  });

  it('03 Kotlin/Native on iOS (PARTIAL): `at N binary 0x… kfun:… + off` frames', () => {
    // The excerpt ends inside the last frame's symbol (`…invoke(){}#i`): its index, binary, address and
    // function name are whole, so the frame is kept with what is there (no offset).
    expectTraces('kotlin-coroutines/03-kotlin-native-ios-coroutines-kfun-frames-PARTIAL.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'kotlinx.coroutines.CoroutinesInternalError',
        title:
          "kotlinx.coroutines.CoroutinesInternalError: Fatal exception in coroutines machinery for DispatchedContinuation[MainDispatcher, Continuation @ 0]. Please read KDoc to 'handleFatalException' method and report this incident to maintainers",
        span: [1, 8],
        frames: 7,
        first: ['kotlin.Error#<init>', null, null],
        last: [
          'kotlinx.coroutines.DarwinMainDispatcher.$dispatch$lambda-0$FUNCTION_REFERENCE$12.$<bridge-UNN>invoke',
          null,
          null,
        ],
        at: {
          0: {
            module: 'iosApp',
            address: '0x00000001021567a0',
            offset: '+ 120',
            args: 'kotlin.String?;kotlin.Throwable?',
          },
          2: {
            function: 'kotlinx.coroutines.DispatchedTask#handleFatalException',
            offset: '+ 680',
            args: 'kotlin.Throwable?;kotlin.Throwable?',
          },
          3: { function: 'kotlinx.coroutines.DispatchedTask#run', args: '', offset: '+ 3580' },
          4: {
            function: 'kotlinx.coroutines.DarwinMainDispatcher.dispatch$lambda-0#internal',
            args: null,
            offset: '+ 128',
          },
          6: { module: 'iosApp', address: '0x000000010220f824', offset: null, args: '' },
        },
      },
    ]);
  });

  it('05 Retrofit coroutine adapter in Android Studio logcat (MM-DD, pid-tid/package)', () => {
    expectTraces('kotlin-coroutines/05-retrofit-coroutines-adapter-android-studio-logcat.txt', [
      {
        format: 'java',
        kind: 'exception',
        type: 'retrofit2.HttpException',
        message: 'HTTP 404 Not Found',
        thread: { name: 'main', id: null },
        span: [1, 10],
        frames: 7,
        first: [
          'com.jakewharton.retrofit2.adapter.kotlin.coroutines.experimental.CoroutineCallAdapterFactory$BodyCallAdapter$adapt$2.onResponse',
          'CoroutineCallAdapterFactory.kt',
          104,
        ],
        last: ['java.lang.Thread.run', 'Thread.java', 764],
      },
    ]);
  });
});
