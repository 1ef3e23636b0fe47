// Android, R8 and Kotlin on the Java parser: every logcat prefix layout (normalize), `FATAL EXCEPTION` /
// `Process:` headers, R8 and D8 sources, Crashlytics' console layout, kotlinx.coroutines markers and
// Kotlin/Native frames — in mixed documents, CRLF, cut or re-indented.

import * as assert from 'node:assert/strict';
import { type Trace } from '../../../src/core/trace';
import { cleanLine, stripPrefix, strippedTimestamp } from '../../../src/core/trace/normalize';
import { javaParser, parseJavaFrame, parseKotlinNativeFrame } from '../../../src/core/trace/parsers/java';
import { parserTriggered } from '../../../src/core/trace/scanner';
import { lines, parse, triple } from './helpers';

/** The same crash as every logcat layout writes it: prefix + message, one line each. */
const CRASH = [
  'FATAL EXCEPTION: main',
  'Process: com.acme.shop, PID: 1234',
  'java.lang.IllegalStateException: cart is empty',
  '\tat com.acme.shop.Cart.checkout(Cart.kt:42)',
  '\tat com.acme.shop.CartActivity.onClick(CartActivity.kt:17)',
  '\tat android.view.View.performClick(View.java:7448)',
];

function expectCrash(t: Trace | undefined, start: number): void {
  assert.equal(t!.format, 'java');
  assert.equal(t!.kind, 'exception');
  assert.equal(t!.title, 'java.lang.IllegalStateException: cart is empty');
  assert.deepEqual(t!.thread, {
    name: 'main',
    id: null,
    state: null,
    attrs: { Process: 'com.acme.shop', PID: '1234' },
  });
  assert.deepEqual(t!.span, { start, end: start + 5 });
  assert.deepEqual(t!.frames.map(triple), [
    ['com.acme.shop.Cart.checkout', 'Cart.kt', 42],
    ['com.acme.shop.CartActivity.onClick', 'CartActivity.kt', 17],
    ['android.view.View.performClick', 'View.java', 7448],
  ]);
}

describe('android, R8 and Kotlin traces', () => {
  describe('logcat prefixes', () => {
    const layouts: [string, (i: number) => string, string | undefined][] = [
      ['brief', () => 'E/AndroidRuntime( 1234): ', undefined],
      ['tag (-v tag)', () => 'E/AndroidRuntime: ', undefined],
      ['threadtime', (i) => `06-09 12:00:00.12${i}  1234  1234 E AndroidRuntime: `, '06-09 12:00:00.120'],
      ['time', (i) => `06-09 12:00:00.12${i} E/AndroidRuntime( 1234): `, '06-09 12:00:00.120'],
      [
        'year (-v year)',
        (i) => `2024-06-09 12:00:00.12${i}  1234  1234 E AndroidRuntime: `,
        '2024-06-09 12:00:00.120',
      ],
      ['thread (-v thread)', () => 'E( 1234: 1234) ', undefined],
      [
        'Android Studio, old',
        (i) => `2019-01-02 10:00:00.12${i} 1234-1234/com.acme.shop E/AndroidRuntime: `,
        '2019-01-02 10:00:00.120',
      ],
      [
        'Android Studio, old, no year',
        (i) => `01-02 10:00:00.12${i} 1234-1234/? E/AndroidRuntime: `,
        '01-02 10:00:00.120',
      ],
      [
        'Android Studio, columns',
        (i) =>
          `2023-03-09 10:50:31.47${i}  1234-1234  AndroidRuntime          com.acme.shop                        E  `,
        '2023-03-09 10:50:31.470',
      ],
      [
        'Android Studio, columns, time only',
        (i) => `10:50:31.47${i}  1234-1234  AndroidRuntime          com.acme.shop                        E  `,
        '10:50:31.470',
      ],
      ['flutter run -v', () => '[        ] E/AndroidRuntime( 1234): ', undefined],
    ];
    for (const [name, prefix, ts] of layouts) {
      it(`reads the crash under the ${name} layout, FATAL EXCEPTION's thread and Process: included`, () => {
        const text = lines(
          '--------- beginning of crash',
          ...CRASH.map((l, i) => prefix(i) + l),
          prefix(9) + 'Shutting down VM'.replace('Shutting', 'Still shutting'),
        );
        const [t] = parse(text, 1);
        expectCrash(t, 2);
        assert.equal(t!.timestamp, ts);
      });
    }

    it('Android Studio continuation lines: the prefix on the first line only, the rest indented', () => {
      const pad = ' '.repeat(100);
      const text = lines(
        '2023-03-09 10:50:31.474  1234-1234  AndroidRuntime          com.acme.shop                        E  FATAL EXCEPTION: main',
        ...CRASH.slice(1).map((l) => pad + l),
        '2023-03-09 10:50:31.480  1234-1234  Process                 com.acme.shop                        I  Sending signal. PID: 1234 SIG: 9',
      );
      expectCrash(parse(text, 1)[0], 1);
    });

    it('double-spaced brief (a blank line after every log line)', () => {
      const text = CRASH.map((l) => `E/AndroidRuntime( 1234): ${l}\n`).join('\n');
      const [t] = parse(text, 1);
      assert.deepEqual(t!.span, { start: 1, end: 11 });
      assert.equal(t!.thread!.name, 'main');
      assert.equal(t!.frames.length, 3);
    });

    it('FATAL EXCEPTION IN SYSTEM PROCESS names the thread too', () => {
      const [t] = parse(
        lines(
          '06-09 12:00:00.123 E/AndroidRuntime(  617): *** FATAL EXCEPTION IN SYSTEM PROCESS: android.ui',
          '06-09 12:00:00.123 E/AndroidRuntime(  617): java.lang.IllegalStateException: boom',
          '06-09 12:00:00.123 E/AndroidRuntime(  617): \tat com.android.server.wm.Foo.bar(Foo.java:1)',
        ),
        1,
      );
      assert.equal(t!.thread!.name, 'android.ui');
      assert.equal(t!.thread!.attrs, undefined);
      assert.deepEqual(t!.span, { start: 1, end: 3 });
    });

    it('native crash lines keep only their `#00 pc …` text for the tombstone parser', () => {
      const want = '    #00 pc 000000000004e29c  /system/lib64/libc.so (abort+164)';
      for (const line of [
        '06-09 12:00:00.123  1234  1234 F DEBUG   :     #00 pc 000000000004e29c  /system/lib64/libc.so (abort+164)',
        'F/DEBUG   (  123):     #00 pc 000000000004e29c  /system/lib64/libc.so (abort+164)',
        '06-09 12:00:00.123 F/DEBUG   ( 1234):     #00 pc 000000000004e29c  /system/lib64/libc.so (abort+164)',
        '2023-01-05 12:00:00.123 1234-1234/? A/DEBUG:     #00 pc 000000000004e29c  /system/lib64/libc.so (abort+164)',
      ]) {
        assert.equal(cleanLine(line, 1).text, want, line);
      }
      assert.equal(
        cleanLine(
          'F/libc    ( 1234): Fatal signal 11 (SIGSEGV), code 1, fault addr 0x0 in tid 1234 (main)',
          1,
        ).text,
        'Fatal signal 11 (SIGSEGV), code 1, fault addr 0x0 in tid 1234 (main)',
      );
    });

    it("ART's `file.cc:line] ` after the logcat prefix", () => {
      assert.equal(
        stripPrefix(
          '06-09 12:00:00.123  1234  1234 F art     : art/runtime/runtime.cc:427] Runtime aborting...',
        ),
        'Runtime aborting...',
      );
      assert.equal(strippedTimestamp, '06-09 12:00:00.123');
      assert.equal(
        stripPrefix('F/zygote64( 1234): runtime.cc:558]   at com.acme.A.b(A.java:1)'),
        '  at com.acme.A.b(A.java:1)',
      );
      // Only after a logcat prefix: elsewhere it is the message.
      assert.equal(stripPrefix('runtime.cc:558] x'), 'runtime.cc:558] x');
    });
  });

  describe('R8 and D8', () => {
    it('SourceFile:N, Unknown Source[:N], (lambda), D8$$SyntheticClass, () — no file, lines kept', () => {
      const [t] = parse(
        lines(
          'java.lang.NullPointerException: Attempt to invoke virtual method on a null object reference',
          '\tat a.b.c(Unknown Source:12)',
          '\tat com.acme.shop.a.b(SourceFile:3)',
          '\tat com.acme.shop.-$$Lambda$MainActivity$x1.run(lambda)',
          '\tat com.acme.shop.MainActivity$$ExternalSyntheticLambda0.run(D8$$SyntheticClass:0)',
          '\tat a.b.d(Unknown Source)',
          '\tat a.b.e()',
          '\tat android.os.Handler.handleCallback(Handler.java:938)',
        ),
        1,
      );
      assert.deepEqual(t!.frames.map(triple), [
        ['a.b.c', null, 12],
        ['com.acme.shop.a.b', null, 3],
        ['com.acme.shop.-$$Lambda$MainActivity$x1.run', null, null],
        ['com.acme.shop.MainActivity$$ExternalSyntheticLambda0.run', null, 0],
        ['a.b.d', null, null],
        ['a.b.e', null, null],
        ['android.os.Handler.handleCallback', 'Handler.java', 938],
      ]);
      assert.deepEqual(
        t!.frames.map((f) => f.notes),
        [
          ['unknown source'],
          ['source file stripped (SourceFile)'],
          ['lambda'],
          ['source file stripped (D8$$SyntheticClass)'],
          ['unknown source'],
          ['no source'],
          undefined,
        ],
      );
    });

    it('a trace that starts with an R8 frame without source (`at b.a.c()`) is Java', () => {
      const [t] = parse(
        lines('Process: com.acme, PID: 77', '\tat com.acme.b.a()', '\tat com.acme.c.d(lambda)'),
        1,
      );
      assert.equal(t!.format, 'java');
      assert.deepEqual(t!.span, { start: 1, end: 3 });
      assert.equal(t!.thread!.attrs!.PID, '77');
    });

    it('`at a.b()` under a .NET exception stays .NET', () => {
      const [t] = parse(lines('System.InvalidOperationException: boom', '   at acme.shop.Cart.Add()'), 1);
      assert.equal(t!.format, 'dotnet');
    });

    it('`()` is only a JVM frame inside a JVM trace: parseJavaFrame keeps rejecting it by default', () => {
      assert.equal(parseJavaFrame('   at Acme.Shop.Cart.Add()', 1), null);
      assert.deepEqual(triple(parseJavaFrame('\tat a.b.c()', 1, true)!), ['a.b.c', null, null]);
    });

    it('module@version inside the parentheses (jstack style) is the module, not part of the file', () => {
      const f = parseJavaFrame('\tat java.lang.Object.wait(java.base@17.0.2/Object.java:338)', 1)!;
      assert.deepEqual(triple(f), ['java.lang.Object.wait', 'Object.java', 338]);
      assert.equal(f.module, 'java.base');
      const n = parseJavaFrame('\tat android.os.MessageQueue.nativePollOnce(Native method)', 1)!;
      assert.deepEqual(n.notes, ['native']);
    });
  });

  describe('Crashlytics console', () => {
    it('`Fatal Exception: X: msg` with indented `at` frames', () => {
      const [t] = parse(
        lines(
          'Fatal Exception: java.lang.IllegalArgumentException: Parameter specified as non-null is null',
          '       at com.acme.ui.ListFragment.onViewCreated(ListFragment.kt)',
          '       at androidx.fragment.app.Fragment.performViewCreated(Fragment.java:2987)',
        ),
        1,
      );
      assert.equal(t!.type, 'java.lang.IllegalArgumentException');
      assert.equal(t!.message, 'Parameter specified as non-null is null');
      assert.deepEqual(t!.span, { start: 1, end: 3 });
      assert.deepEqual(triple(t!.frames[0]), [
        'com.acme.ui.ListFragment.onViewCreated',
        'ListFragment.kt',
        null,
      ]);
    });

    it('`Non-fatal Exception:`, frames without `at`, `Caused by X` without a colon', () => {
      const [t] = parse(
        lines(
          'Non-fatal Exception: java.io.IOException: timeout',
          'com.acme.net.Client.call (Client.java:88)',
          'com.acme.net.Client.access$100 (Client.java)',
          'Caused by java.net.SocketTimeoutException: timeout',
          'okio.Okio$4.newTimeoutException (Okio.java:232)',
          'okio.AsyncTimeout.exit (AsyncTimeout.java:286)',
        ),
        1,
      );
      assert.equal(t!.title, 'java.io.IOException: timeout');
      assert.deepEqual(t!.frames.map(triple), [
        ['com.acme.net.Client.call', 'Client.java', 88],
        ['com.acme.net.Client.access$100', 'Client.java', null],
      ]);
      assert.equal(t!.causes.length, 1);
      assert.equal(t!.causes[0]!.type, 'java.net.SocketTimeoutException');
      assert.equal(t!.causes[0]!.frames.length, 2);
      assert.deepEqual(t!.span, { start: 1, end: 6 });
    });

    it('a console header not followed by frames is not a trace, and takes nothing after it', () => {
      const traces = parse(
        lines(
          'Caused by java.lang.Exception: see below',
          'java.lang.IllegalStateException: real',
          '\tat com.acme.A.b(A.java:1)',
        ),
        1,
      );
      assert.equal(traces[0]!.type, 'java.lang.IllegalStateException');
      assert.deepEqual(traces[0]!.span, { start: 2, end: 3 });
      assert.equal(parse('Caused by a broken pipe, the upload stopped.', 0).length, 0);
    });
  });

  describe('Kotlin', () => {
    it('kotlinx.coroutines markers are not frames; the frame after them says what they marked', () => {
      const [t] = parse(
        lines(
          'java.lang.IllegalStateException: closed',
          '\tat com.acme.Repo.load(Repo.kt:10)',
          '\tat _COROUTINE._BOUNDARY._(CoroutineDebugging.kt)',
          '\tat com.acme.ViewModel$refresh$1.invokeSuspend(ViewModel.kt:22)',
          '\tat _COROUTINE._CREATION._(CoroutineDebugging.kt)',
          '\tat kotlinx.coroutines.BuildersKt.launch(Unknown Source)',
        ),
        1,
      );
      assert.deepEqual(t!.span, { start: 1, end: 6 });
      assert.deepEqual(
        t!.frames.map((f) => [f.function, f.notes]),
        [
          ['com.acme.Repo.load', undefined],
          ['com.acme.ViewModel$refresh$1.invokeSuspend', ['coroutine boundary']],
          ['kotlinx.coroutines.BuildersKt.launch', ['unknown source', 'coroutine creation']],
        ],
      );
    });

    it('Kotlin/Native on Linux: `Uncaught Kotlin exception:`, locations with columns, unsymbolized frames', () => {
      const [t] = parse(
        lines(
          'Uncaught Kotlin exception: kotlin.IllegalStateException: boom',
          '    at 0   app.kexe                            0x0000000000411b8e kfun:kotlin.Throwable#<init>(kotlin.String?){} + 94 (/opt/buildAgent/work/kotlin/Throwable.kt:24:37)',
          '    at 1   app.kexe                            0x00000000004012a6 kfun:#main(){} + 102 (/home/dev/app/src/nativeMain/kotlin/Main.kt:3:11)',
          '    at 2   app.kexe                            0x0000000000401370 Konan_start + 144 (/opt/buildAgent/work/runtime/launcher.cpp:25:7)',
          '    at 3   libc.so.6                           0x00007f1f2c02a1c9 0x0 + 139772066521545 (<unknown>:0:0)',
        ),
        1,
      );
      assert.equal(t!.format, 'java');
      assert.equal(t!.title, 'kotlin.IllegalStateException: boom');
      assert.deepEqual(t!.frames.map(triple), [
        ['kotlin.Throwable#<init>', '/opt/buildAgent/work/kotlin/Throwable.kt', 24],
        ['#main', '/home/dev/app/src/nativeMain/kotlin/Main.kt', 3],
        ['Konan_start', '/opt/buildAgent/work/runtime/launcher.cpp', 25],
        [null, null, null],
      ]);
      const main = t!.frames[1]!;
      assert.equal(main.column, 11);
      assert.equal(main.args, '');
      assert.equal(main.offset, '+ 102');
      assert.equal(t!.frames[3]!.module, 'libc.so.6');
      assert.equal(t!.frames[3]!.address, '0x00007f1f2c02a1c9');
    });

    it('parseKotlinNativeFrame keeps a frame cut inside its symbol', () => {
      const f = parseKotlinNativeFrame(
        '    at 6   iosApp   0x000000010220f824 kfun:a.B.$<bridge-UNN>invoke(){}#i',
        3,
      )!;
      assert.equal(f.function, 'a.B.$<bridge-UNN>invoke');
      assert.equal(f.offset, null);
      assert.equal(parseKotlinNativeFrame('    at 6   iosApp', 3), null);
    });
  });

  describe('in real documents', () => {
    it('a logcat with ordinary lines, a Java crash, an R8 crash and a .NET trace: each to its parser', () => {
      const traces = parse(
        lines(
          '06-09 12:00:00.100  1234  1234 I ActivityManager: Start proc 1234:com.acme.shop/u0a123',
          '06-09 12:00:00.123  1234  1234 E AndroidRuntime: FATAL EXCEPTION: main',
          '06-09 12:00:00.123  1234  1234 E AndroidRuntime: Process: com.acme.shop, PID: 1234',
          '06-09 12:00:00.123  1234  1234 E AndroidRuntime: java.lang.IllegalStateException: cart is empty',
          '06-09 12:00:00.123  1234  1234 E AndroidRuntime: \tat com.acme.shop.Cart.checkout(Cart.kt:42)',
          '06-09 12:00:00.124  1234  1234 I Process : Sending signal. PID: 1234 SIG: 9',
          '06-09 12:00:01.000  2222  2230 E AndroidRuntime: FATAL EXCEPTION: DefaultDispatcher-worker-1',
          '06-09 12:00:01.000  2222  2230 E AndroidRuntime: Process: com.acme.other, PID: 2222',
          '06-09 12:00:01.000  2222  2230 E AndroidRuntime: java.lang.NullPointerException',
          '06-09 12:00:01.000  2222  2230 E AndroidRuntime: \tat b.a.c()',
          '06-09 12:00:01.000  2222  2230 E AndroidRuntime: \tat b.a.d(SourceFile:1)',
          '06-09 12:00:02.000  3333  3333 I Backend : forwarded from the server:',
          'System.InvalidOperationException: Sequence contains no elements',
          '   at Acme.Shop.Cart.First()',
          '   at Acme.Shop.Program.Main(String[] args)',
          '06-09 12:00:03.000  1234  1234 I ActivityManager: Process com.acme.shop has died',
        ),
        3,
      );
      const [crash, r8, dotnet] = traces;
      assert.equal(crash!.format, 'java');
      assert.deepEqual(crash!.span, { start: 2, end: 5 });
      assert.equal(crash!.thread!.name, 'main');
      assert.equal(r8!.format, 'java');
      assert.deepEqual(r8!.span, { start: 7, end: 11 });
      assert.equal(r8!.thread!.name, 'DefaultDispatcher-worker-1');
      assert.deepEqual(r8!.frames.map(triple), [
        ['b.a.c', null, null],
        ['b.a.d', null, 1],
      ]);
      assert.equal(dotnet!.format, 'dotnet');
    });

    it('CRLF line ends', () => {
      const text = CRASH.map((l, i) => `06-09 12:00:00.12${i}  1234  1234 E AndroidRuntime: ${l}`).join(
        '\r\n',
      );
      expectCrash(parse(text, 1)[0], 1);
    });

    it('truncated input: cut inside a frame, the frames before it are kept', () => {
      const text =
        CRASH.map((l) => `E/AndroidRuntime( 1234): ${l}`).join('\n') +
        '\nE/AndroidRuntime( 1234): \tat com.acme.sh';
      const [t] = parse(text, 1);
      assert.equal(t!.frames.length, 3);
      assert.deepEqual(t!.span, { start: 1, end: 6 });
    });

    it('re-indented input (pasted into a code block)', () => {
      const text = CRASH.map((l) => `        ${l}`).join('\n');
      expectCrash(parse(text, 1)[0], 1);
    });

    it('the trigger takes Kotlin/Native frames and console headers, not prose', () => {
      for (const l of [
        '    at 0   iosApp    0x00000001021567a0 kfun:kotlin.Error#<init>(){} + 120',
        'Caused by java.lang.NullPointerException',
        'Fatal Exception: java.lang.RuntimeException: x',
        'Non-fatal Exception: java.io.IOException',
      ]) {
        assert.ok(parserTriggered(javaParser, l), l);
      }
      assert.ok(!parserTriggered(javaParser, 'at 5 pm the job ran'));
    });
  });
});
