// The .NET parser on inline traces: every runtime language's keywords and separators, inner exceptions
// (Framework and Core layouts), AggregateException blocks, and traces inside logs, CRLF, cut or re-indented.

import * as assert from 'node:assert/strict';
import { parseText, type Trace, type TraceNode } from '../../../src/core/trace';
import { dotnetParser, parseDotnetFrame, parseDotnetHeader } from '../../../src/core/trace/parsers/dotnet';
import { triple } from './helpers';

function one(text: string): Trace {
  const traces = parseText(text);
  assert.equal(
    traces.length,
    1,
    `one trace (got ${traces.map((t) => `${t.format}:${t.title}`).join(' | ')})`,
  );
  assert.equal(traces[0]!.format, 'dotnet');
  return traces[0]!;
}

function cause(node: TraceNode, ...path: number[]): TraceNode {
  let n = node;
  for (const i of path) n = n.causes[i]!;
  return n;
}

interface Language {
  name: string;
  unhandled: string;
  at: string;
  /** The location as this language writes it. */
  loc: (path: string, line: number) => string;
  inner: string;
  async: string;
}

// The runtime's resource strings (Word_At, StackTrace_InFileLineNumber, Exception_EndOfInnerExceptionStack,
// Exception_EndStackTraceFromPreviousThrow, UnhandledException) as .NET Framework language packs write them.
const LANGUAGES: Language[] = [
  {
    name: 'English',
    unhandled: 'Unhandled Exception:',
    at: 'at',
    loc: (p, n) => `in ${p}:line ${n}`,
    inner: '--- End of inner exception stack trace ---',
    async: '--- End of stack trace from previous location where exception was thrown ---',
  },
  {
    name: 'German',
    unhandled: 'Unbehandelte Ausnahme:',
    at: 'bei',
    loc: (p, n) => `in ${p}:Zeile ${n}.`,
    inner: '--- Ende der internen Ausnahmestapelüberwachung ---',
    async: '--- Ende der Stapelüberwachung vom vorhergehenden Ort, an dem die Ausnahme ausgelöst wurde ---',
  },
  {
    name: 'German (newer wording)',
    unhandled: 'Unbehandelte Ausnahme:',
    at: 'bei',
    loc: (p, n) => `in ${p}:Zeile ${n}.`,
    inner: '--- Ende der Stapelüberwachung für die innere Ausnahme ---',
    async: '--- Ende der Stapelüberwachung vom vorhergehenden Ort ---',
  },
  {
    name: 'French',
    unhandled: 'Exception non gérée :',
    at: 'à',
    loc: (p, n) => `dans ${p}:ligne ${n}`,
    inner: "--- Fin de la trace de la pile d'exception interne ---",
    async:
      "--- Fin de la trace de la pile à partir de l'emplacement précédent au niveau duquel l'exception a été levée ---",
  },
  {
    name: 'Spanish',
    unhandled: 'Excepción no controlada:',
    at: 'en',
    loc: (p, n) => `en ${p}:línea ${n}`,
    inner: '--- Fin del seguimiento de la pila de la excepción interna ---',
    async: '--- Fin del seguimiento de la pila de la ubicación anterior donde se produjo la excepción ---',
  },
  {
    name: 'Russian',
    unhandled: 'Необработанное исключение:',
    at: 'в',
    loc: (p, n) => `в ${p}:строка ${n}`,
    inner: '--- Конец трассировки внутреннего стека исключений ---',
    async: '--- Конец трассировка стека из предыдущего расположения, где возникло исключение ---',
  },
  {
    name: 'Russian (alternative wording)',
    unhandled: 'Необработанное исключение:',
    at: 'в',
    loc: (p, n) => `в ${p}:строка ${n}`,
    inner: '--- Конец трассировка стека из внутреннего исключения ---',
    async: '--- Конец трассировка стека из предыдущего расположения ---',
  },
  {
    name: 'Chinese (simplified)',
    unhandled: '未经处理的异常: ',
    at: '在',
    loc: (p, n) => `位置 ${p}:行号 ${n}`,
    inner: '--- 内部异常堆栈跟踪的结尾 ---',
    async: '--- 引发异常的上一位置中堆栈跟踪的末尾 ---',
  },
  {
    name: 'Chinese (traditional)',
    unhandled: '未處理的例外狀況:',
    at: '於',
    loc: (p, n) => `於 ${p}: 行 ${n}`,
    inner: '--- 內部例外狀況堆疊追蹤的結尾 ---',
    async: '--- 先前擲回例外狀況之位置中的堆疊追蹤結尾 ---',
  },
  {
    name: 'Japanese',
    unhandled: 'ハンドルされていない例外:',
    at: '場所',
    loc: (p, n) => `場所 ${p}:行 ${n}`,
    inner: '--- 内部例外スタック トレースの終わり ---',
    async: '--- 直前に例外がスローされた場所からのスタック トレースの終わり ---',
  },
  {
    name: 'Italian',
    unhandled: 'Eccezione non gestita:',
    at: 'in',
    loc: (p, n) => `in ${p}:riga ${n}`,
    inner: "--- Fine dell'analisi dello stack dell'eccezione interna ---",
    async: "--- Fine traccia dello stack da posizione precedente dove è stata generata l'eccezione ---",
  },
  {
    name: 'Portuguese (Brazil)',
    unhandled: 'Exceção Sem Tratamento:',
    at: 'em',
    loc: (p, n) => `na ${p}:linha ${n}`,
    inner: '--- Fim do rastreamento de pilha de exceções internas ---',
    async: '--- Fim do rastreamento de pilha do local anterior onde a exceção foi gerada ---',
  },
  {
    name: 'Korean',
    unhandled: '처리되지 않은 예외:',
    at: '위치:',
    loc: (p, n) => `파일 ${p}:줄 ${n}`,
    inner: '--- 내부 예외 스택 추적의 끝 ---',
    async: '--- 예외가 throw된 이전 위치의 스택 추적 끝 ---',
  },
];

describe('dotnet parser', () => {
  describe('localized keywords and separators', () => {
    for (const lang of LANGUAGES) {
      it(lang.name, () => {
        const { at, loc } = lang;
        const text = [
          `${lang.unhandled} System.InvalidOperationException: outer ---> System.FormatException: inner`,
          `   ${at} App.Parser.Parse(String s) ${loc('C:\\src\\App\\Parser.cs', 12)}`,
          `   ${lang.inner}`,
          `   ${at} App.Worker.<RunAsync>d__4.MoveNext() ${loc('C:\\src\\App\\Worker.cs', 30)}`,
          lang.async,
          `   ${at} System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess(Task task)`,
          `   ${at} App.Program.Main(String[] args) ${loc('C:\\src\\App\\Program.cs', 7)}`,
          '',
        ].join('\n');
        const t = one(text);
        assert.equal(t.title, 'System.InvalidOperationException: outer');
        assert.deepEqual([t.span.start, t.span.end], [1, 7]);
        assert.deepEqual(
          t.frames.map((f) => triple(f)),
          [
            ['App.Worker.<RunAsync>d__4.MoveNext', 'C:\\src\\App\\Worker.cs', 30],
            ['System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess', null, null],
            ['App.Program.Main', 'C:\\src\\App\\Program.cs', 7],
          ],
        );
        assert.deepEqual(t.frames[1]!.notes, ['async boundary']);
        assert.equal(t.frames[0]!.notes, undefined);
        assert.equal(t.causes.length, 1);
        const inner = t.causes[0]!;
        assert.equal(inner.relation, 'inner');
        assert.equal(inner.title, 'System.FormatException: inner');
        assert.deepEqual(
          inner.frames.map((f) => triple(f)),
          [['App.Parser.Parse', 'C:\\src\\App\\Parser.cs', 12]],
        );
        assert.equal(inner.frames[0]!.args, 'String s');
      });
    }
  });

  describe('frames', () => {
    it('takes the last :line N of a Windows path, and paths with spaces and parentheses', () => {
      const f = parseDotnetFrame(
        '   at A.B.C(Int32 x) in C:\\Program Files (x86)\\in here\\C.cs:line 42',
        1,
      )!;
      assert.deepEqual(triple(f), ['A.B.C', 'C:\\Program Files (x86)\\in here\\C.cs', 42]);
      assert.equal(f.args, 'Int32 x');
      const g = parseDotnetFrame('   at A.B.C() in C:\\x:line 3\\C.cs:line 10', 1)!;
      assert.deepEqual(triple(g), ['A.B.C', 'C:\\x:line 3\\C.cs', 10]);
    });

    it('keeps generated names as written: state machines, lambdas, display classes, generics', () => {
      const names = [
        'Ns.Type.<Method>d__12.MoveNext',
        'Ns.Type.<.ctor>b__3_0',
        'UserQuery.<>c__DisplayClassd.<LogErrors>b__6',
        'System.Collections.Generic.Stack`1.Peek',
        'System.Linq.Enumerable.ToDictionary[TSource,TKey]',
        'Program.<<Main>$>g__Local|0_0',
        'lambda_method',
      ];
      for (const name of names) {
        const f = parseDotnetFrame(`   at ${name}(Closure , Object[] )`, 1);
        assert.equal(f?.function, name);
        assert.equal(f?.args, 'Closure , Object[] ');
      }
    });

    it('reads NativeAOT offsets and .NET 5+ token/IL-offset locations', () => {
      const aot = parseDotnetFrame('   at Program.Main(String[] args) + 0x3a', 1)!;
      assert.deepEqual([aot.function, aot.offset, aot.file], ['Program.Main', '0x3a', null]);
      const il = parseDotnetFrame('   at Program.Run() in /app/MyApp.dll:token 0x6000002+0x1c', 1)!;
      assert.deepEqual([il.module, il.offset, il.file, il.line], ['/app/MyApp.dll', '0x1c', null, null]);
      assert.deepEqual(il.notes, ['token 0x6000002']);
    });

    it('does not claim Java frames or calls in prose', () => {
      for (const text of [
        '\tat com.acme.Foo.bar(Foo.java:12)',
        '\tat com.acme.Foo.bar(Unknown Source)',
        '\tat java.base/java.lang.Thread.run(Thread.java:833)',
        '\tat sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
        '\tat java.lang.ref.Reference.waitForReferencePendingList(java.base@21.0.9/Native Method)',
        '\tat com.acme.Foo.bar(app//Foo.java:12)',
        '   at foo (/srv/app.js:1:2)',
        '   in main(x)',
      ]) {
        assert.equal(parseDotnetFrame(text, 1), null, text);
      }
    });
  });

  describe('headers', () => {
    it('skips labels: Unhandled exception., an app label, localized labels', () => {
      const cases: [string, string, string | null][] = [
        ['Unhandled exception. System.IO.IOException: disk full', 'System.IO.IOException', 'disk full'],
        [
          'Exception: System.IO.FileNotFoundException: File not found',
          'System.IO.FileNotFoundException',
          'File not found',
        ],
        ['Exception Info: System.NullReferenceException', 'System.NullReferenceException', null],
        [
          '未经处理的异常:  System.DivideByZeroException: 尝试除以零。',
          'System.DivideByZeroException',
          '尝试除以零。',
        ],
        ['MyAppException: custom', 'MyAppException', 'custom'],
        [
          'System.Exception: Failed: Other.ThingException: x',
          'System.Exception',
          'Failed: Other.ThingException: x',
        ],
      ];
      for (const [text, type, message] of cases) {
        const segs = parseDotnetHeader(text);
        assert.deepEqual(segs?.[0], { type, code: null, message }, text);
      }
      assert.equal(parseDotnetHeader('Connecting to db.example.com: timeout'), null);
      assert.equal(parseDotnetHeader('fail: Microsoft.AspNetCore.Server.Kestrel[13]'), null);
    });

    it('keeps a code printed after the type in the title', () => {
      const t = one(
        [
          'System.Net.Sockets.SocketException (111): Connection refused',
          '   at System.Net.Sockets.Socket.Connect(EndPoint remoteEP)',
          '   at App.Client.Open() in /src/App/Client.cs:line 20',
        ].join('\n'),
      );
      assert.equal(t.type, 'System.Net.Sockets.SocketException');
      assert.equal(t.message, 'Connection refused');
      assert.equal(t.title, 'System.Net.Sockets.SocketException (111): Connection refused');
    });

    it('.NET Core layout: each inner exception on its own " ---> " line, multi-line messages', () => {
      const t = one(
        [
          'System.AggregateException: One or more errors occurred. (Value cannot be null.',
          'Parameter name: source)',
          ' ---> System.ArgumentNullException: Value cannot be null.',
          'Parameter name: source',
          '   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source)',
          '   at App.Orders.<LoadAsync>d__3.MoveNext() in /src/App/Orders.cs:line 41',
          '   --- End of inner exception stack trace ---',
          '   at System.Threading.Tasks.Task.Wait()',
          '   at App.Program.Main(String[] args) in /src/App/Program.cs:line 12',
        ].join('\n'),
      );
      assert.equal(t.type, 'System.AggregateException');
      assert.equal(t.message, 'One or more errors occurred. (Value cannot be null.\nParameter name: source)');
      assert.deepEqual(triple(t.frames[0]), ['System.Threading.Tasks.Task.Wait', null, null]);
      assert.equal(t.frames.length, 2);
      const inner = t.causes[0]!;
      assert.equal(inner.type, 'System.ArgumentNullException');
      assert.equal(inner.message, 'Value cannot be null.\nParameter name: source');
      assert.deepEqual(
        inner.frames.map((f) => triple(f)),
        [
          ['System.Linq.Enumerable.First[TSource]', null, null],
          ['App.Orders.<LoadAsync>d__3.MoveNext', '/src/App/Orders.cs', 41],
        ],
      );
    });

    it('.NET Framework layout: " ---> " at the end of a multi-line message', () => {
      const t = one(
        [
          'System.ArgumentException: Bad value.',
          'Parameter name: id ---> System.FormatException: Input string was not in a correct format.',
          '   at System.Number.ParseInt32(String s, NumberStyles style, NumberFormatInfo info)',
          '   --- End of inner exception stack trace ---',
          '   at App.Ids.Parse(String id) in C:\\src\\Ids.cs:line 9',
        ].join('\n'),
      );
      assert.equal(t.message, 'Bad value.\nParameter name: id');
      assert.equal(t.frames.length, 1);
      assert.equal(cause(t, 0).type, 'System.FormatException');
      assert.equal(cause(t, 0).frames.length, 1);
    });

    it('an inner exception without frames of its own', () => {
      const t = one(
        [
          'System.Exception: outer ---> System.Exception: inner',
          '   --- End of inner exception stack trace ---',
          '   at App.Program.Main() in C:\\src\\Program.cs:line 5',
        ].join('\n'),
      );
      assert.equal(t.frames.length, 1);
      assert.equal(cause(t, 0).frames.length, 0);
      assert.deepEqual([t.span.start, t.span.end], [1, 3]);
    });

    it('Visual Studio Copy Details with a multi-line Message=', () => {
      const t = one(
        [
          'System.IO.FileNotFoundException',
          '  HResult=0x80070002',
          "  Message=Could not find file 'C:\\data\\in.csv'.",
          'System.Foo: not a header',
          '  Source=System.Private.CoreLib',
          '  StackTrace:',
          '   at System.IO.FileStream.ValidateFileHandle(SafeFileHandle fileHandle)',
          '   at App.Import.Run() in C:\\src\\Import.cs:line 14',
        ].join('\n'),
      );
      assert.equal(t.type, 'System.IO.FileNotFoundException');
      assert.equal(t.message, "Could not find file 'C:\\data\\in.csv'.\nSystem.Foo: not a header");
      assert.deepEqual([t.span.start, t.span.end], [1, 8]);
      assert.equal(t.frames.length, 2);
    });

    it('a trace without a header is titled by its first frame', () => {
      const t = one(
        '   at App.A.B() in C:\\a.cs:line 1\n   at App.A.Main(String[] args) in C:\\a.cs:line 9\n',
      );
      assert.equal(t.type, null);
      assert.equal(t.title, 'at App.A.B() in C:\\a.cs:line 1');
      assert.equal(t.frames.length, 2);
    });
  });

  describe('AggregateException blocks', () => {
    it('.NET Framework: #0 repeats the inner exception and is not added twice; <--- ends a block', () => {
      const t = one(
        [
          'System.AggregateException: One or more errors occurred. ---> System.Exception: first',
          '   at App.Jobs.<>c.<Run>b__0_0() in C:\\src\\Jobs.cs:line 10',
          '   at System.Threading.Tasks.Task.Execute()',
          '   --- End of inner exception stack trace ---',
          '   at System.Threading.Tasks.Task.Wait()',
          '   at App.Jobs.Run() in C:\\src\\Jobs.cs:line 14',
          '---> (Inner Exception #0) System.Exception: first',
          '   at App.Jobs.<>c.<Run>b__0_0() in C:\\src\\Jobs.cs:line 10',
          '   at System.Threading.Tasks.Task.Execute()<---',
          '',
          '---> (Inner Exception #1) System.InvalidOperationException: second',
          '   at App.Jobs.<>c.<Run>b__0_1() in C:\\src\\Jobs.cs:line 11',
          '   at System.Threading.Tasks.Task.Execute()<---',
          '',
          'next log line',
        ].join('\n'),
      );
      assert.deepEqual([t.span.start, t.span.end], [1, 13]);
      assert.equal(t.frames.length, 2);
      assert.deepEqual(
        t.causes.map((c) => [c.type, c.message, c.frames.length, c.relation]),
        [
          ['System.Exception', 'first', 2, 'inner'],
          ['System.InvalidOperationException', 'second', 2, 'inner'],
        ],
      );
      assert.deepEqual(triple(cause(t, 1).frames[0]), ['App.Jobs.<>c.<Run>b__0_1', 'C:\\src\\Jobs.cs', 11]);
    });

    it('.NET Core: " ---> (Inner Exception #1)" and a <--- line of its own; frames after it end the block', () => {
      const t = one(
        [
          'System.AggregateException: One or more errors occurred. (a) (b)',
          ' ---> System.FormatException: a',
          '   at App.A.X() in C:\\p\\A.cs:line 13',
          '   --- End of inner exception stack trace ---',
          '   at App.Program.Main() in C:\\p\\Program.cs:line 9',
          ' ---> (Inner Exception #1) System.NullReferenceException: b',
          '   at App.B.Y() in C:\\p\\B.cs:line 21',
          '<---',
          '',
        ].join('\n'),
      );
      assert.deepEqual([t.span.start, t.span.end], [1, 8]);
      assert.equal(t.frames.length, 1);
      assert.deepEqual(
        t.causes.map((c) => [c.type, c.frames.length]),
        [
          ['System.FormatException', 1],
          ['System.NullReferenceException', 1],
        ],
      );
    });

    it('a localized block label (German: Interne Ausnahme)', () => {
      const t = one(
        [
          'System.AggregateException: Mindestens ein Fehler ist aufgetreten. ---> App.JobFailed: x',
          '   bei App.Job.Run() in C:\\src\\Job.cs:Zeile 5.',
          '   --- Ende der internen Ausnahmestapelüberwachung ---',
          '---> (Interne Ausnahme #1) App.OtherFailure: y',
          '   bei App.Job.Run2() in C:\\src\\Job.cs:Zeile 9.<---',
        ].join('\n'),
      );
      assert.deepEqual(
        t.causes.map((c) => [c.type, c.frames.length]),
        [
          ['App.JobFailed', 1],
          ['App.OtherFailure', 1],
        ],
      );
    });
  });

  describe('boundaries', () => {
    it('remoting: Server stack trace / Exception rethrown at [0]', () => {
      const t = one(
        [
          'System.ServiceModel.FaultException: The server was unable to process the request.',
          '',
          'Server stack trace: ',
          '   at System.ServiceModel.Channels.ServiceChannel.HandleReply(ProxyOperationRuntime operation, ProxyRpc& rpc)',
          '',
          'Exception rethrown at [0]: ',
          '   at System.Runtime.Remoting.Proxies.RealProxy.HandleReturnMessage(IMessage reqMsg, IMessage retMsg)',
          '   at App.Client.Call() in C:\\src\\Client.cs:line 30',
        ].join('\n'),
      );
      assert.equal(t.frames.length, 3);
      assert.deepEqual(t.frames[1]!.notes, ['rethrown']);
      assert.equal(t.type, 'System.ServiceModel.FaultException');
      assert.deepEqual([t.span.start, t.span.end], [1, 8]);
    });
  });

  describe('documents', () => {
    it('a trace between log lines and before a Java trace: each goes to its own parser', () => {
      const text = [
        '2024-05-02 10:00:00,001 INFO  [main] Service starting',
        '2024-05-02 10:00:01,114 ERROR [worker-3] Request failed',
        'System.InvalidOperationException: Sequence contains no elements',
        '   at System.Linq.ThrowHelper.ThrowNoElementsException()',
        '   at App.Orders.Latest(Int32 customerId) in C:\\agent\\_work\\1\\s\\App\\Orders.cs:line 88',
        '2024-05-02 10:00:02,000 INFO  [main] Falling back to the JVM bridge',
        'java.lang.IllegalStateException: bridge down',
        '\tat com.acme.bridge.Client.call(Client.java:41)',
        '\tat com.acme.bridge.Main.main(Main.java:12)',
        '2024-05-02 10:00:03,000 INFO  [main] done',
      ].join('\n');
      const traces = parseText(text);
      assert.deepEqual(
        traces.map((t) => [t.format, t.title, t.span.start, t.span.end, t.frames.length]),
        [
          ['dotnet', 'System.InvalidOperationException: Sequence contains no elements', 3, 5, 2],
          ['java', 'java.lang.IllegalStateException: bridge down', 7, 9, 2],
        ],
      );
    });

    it('an ASP.NET Core console log: indented header under the category line', () => {
      const t = one(
        [
          'fail: Microsoft.AspNetCore.Server.Kestrel[13]',
          '      Connection id "0HM", Request id "0HM:00000001": An unhandled exception was thrown by the application.',
          '      System.NullReferenceException: Object reference not set to an instance of an object.',
          '         at Web.Controllers.HomeController.Index() in /src/Web/Controllers/HomeController.cs:line 20',
          '         at lambda_method1(Closure, Object, Object[])',
        ].join('\n'),
      );
      assert.equal(t.type, 'System.NullReferenceException');
      assert.deepEqual([t.span.start, t.span.end], [3, 5]);
      assert.equal(t.frames.length, 2);
    });

    it('CRLF line ends', () => {
      const t = one(
        'Unhandled exception. System.Exception: boom\r\n   at App.P.Main(String[] args) in C:\\a\\P.cs:line 3\r\n',
      );
      assert.equal(t.title, 'System.Exception: boom');
      assert.deepEqual(triple(t.frames[0]), ['App.P.Main', 'C:\\a\\P.cs', 3]);
    });

    it('cut mid-line: a frame cut before its ")" is dropped, one cut inside its path is kept as truncated', () => {
      const t = one(
        [
          'System.Exception: boom',
          '   at App.A.One() in C:\\a\\A.cs:line 3',
          '   at App.A.Two(String na',
        ].join('\n'),
      );
      assert.equal(t.frames.length, 1);
      assert.deepEqual([t.span.start, t.span.end], [1, 2]);
      const u = one(
        [
          'System.Exception: boom',
          '   at App.A.One() in C:\\a\\A.cs:line 3',
          '   at App.A.Two() in C:\\a\\',
        ].join('\n'),
      );
      assert.deepEqual(triple(u.frames[1]), ['App.A.Two', 'C:\\a\\', null]);
      assert.deepEqual(u.frames[1]!.notes, ['truncated']);
    });

    it('re-indented input: header indented, frames at column 0', () => {
      const t = one(
        [
          '    System.Exception: boom ---> System.IO.IOException: disk',
          'at App.Disk.Write(Byte[] data) in C:\\a\\Disk.cs:line 7',
          '--- End of inner exception stack trace ---',
          'at App.P.Main(String[] args) in C:\\a\\P.cs:line 3',
        ].join('\n'),
      );
      assert.equal(t.frames.length, 1);
      assert.equal(cause(t, 0).frames.length, 1);
    });

    it('rejoins a path broken onto the next line only when that line ends with the line keyword', () => {
      const t = one(
        [
          'System.Exception: boom',
          '   at App.A.One() in C:\\projects\\app',
          '\\src\\A.cs:line 3',
          '   at App.A.Two() in C:\\projects\\app',
          '   \\src\\B.cs:line 4',
        ].join('\n'),
      );
      assert.deepEqual(triple(t.frames[0]), ['App.A.One', 'C:\\projects\\app\\src\\A.cs', 3]);
      assert.equal(t.frames[0]!.docLine, 2);
      assert.equal(t.frames[0]!.notes, undefined);
      // An indented continuation could be anything: not joined, the trace ends there.
      assert.deepEqual(triple(t.frames[1]), ['App.A.Two', 'C:\\projects\\app', null]);
      assert.deepEqual([t.span.start, t.span.end], [1, 4]);
    });

    it('does not start a trace on JVM frames that lost their source (R8) or sit under a Java exception', () => {
      const logcat = [
        'Process: com.apps.example, PID: 2470',
        '\tat com.apps.example.Database.b.a()',
        '\tat com.apps.example.Main.j0.d()',
      ].join('\n');
      assert.deepEqual(
        parseText(logcat).filter((t) => t.format === 'dotnet'),
        [],
      );
      const java = [
        'java.lang.IllegalStateException: x',
        '\tat com.acme.Obf.a()',
        '\tat com.acme.Main.main(Main.java:3)',
      ];
      assert.deepEqual(
        parseText(java.join('\n')).filter((t) => t.format === 'dotnet'),
        [],
      );
    });

    it('prose that reads like a call is not a trace', () => {
      const text = [
        'Release notes',
        '   in Windows(XP edition) the installer needs admin rights',
        '   at home(with kids) nobody reads these',
        '   v Praze(nové vydání) a Brně',
      ].join('\n');
      assert.deepEqual(parseText(text), []);
    });

    it('a log line ending in ":word N" after a cut frame is not taken for the rest of its path', () => {
      const traces = parseText(
        [
          'System.Exception: boom',
          '   at App.A.One() in C:\\projects\\app',
          'Retrying after failure:attempt 2',
        ].join('\n'),
      );
      assert.equal(traces.length, 1);
      assert.deepEqual(triple(traces[0]!.frames[0]), ['App.A.One', 'C:\\projects\\app', null]);
      assert.deepEqual([traces[0]!.span.start, traces[0]!.span.end], [1, 2]);
    });

    it('stays fast on a hostile 256 KB line', () => {
      const long = `   at ${'A.'.repeat(60000)}B(${'x '.repeat(30000)}) in ${':a'.repeat(30000)}`;
      const start = Date.now();
      parseText(`System.Exception: x\n${long}\n${'--- '.repeat(60000)}\n`);
      assert.ok(dotnetParser.trigger.test(long));
      assert.ok(Date.now() - start < 2000);
    });
  });
});
