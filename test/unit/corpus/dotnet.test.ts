// .NET exceptions from the corpus, as a reader lists their frames: localized keywords, inner exceptions,
// async boundaries, Visual Studio's "Copy Details" and a trace JSON-escaped into one line.

import { expectTraces } from './harness';

const CENTER = 'D:\\GitHub-OpenSource-Externals+Backups\\bierdeckel-automation\\CenterDevice';
const CAGE = 'C:\\particular\\AsyncCageMatch\\AsyncOnly\\Program.cs';
const CHUMMER = 'C:\\projects\\chummer\\Chummer';

describe('corpus: dotnet', () => {
  it('01 German: bei … in …:Zeile N., app label before the type, localized detail line in the message', () => {
    expectTraces('dotnet/01-de-filenotfound-zeile.txt', [
      {
        format: 'dotnet',
        kind: 'exception',
        title: 'System.IO.FileNotFoundException: File not found',
        type: 'System.IO.FileNotFoundException',
        message: 'File not found\nDateiname: "/test.txt.txt"',
        span: [1, 7],
        frames: 5,
        first: [
          'CenterDevice.IO.DirectoryInfo.GetFile',
          `${CENTER}\\CenterDevice.Rest\\IO\\DirectoryInfo.cs`,
          279,
        ],
        last: ['CenterDevice.SampleApp.Program.Main', `${CENTER}\\CenterDevice.SampleApp\\Program.cs`, 139],
        at: {
          0: { args: 'String fileName', docLine: 3 },
          1: { function: 'CenterDevice.IO.DirectoryInfo.OpenFilePath', line: 223 },
          4: { args: '' },
        },
        causes: [],
      },
    ]);
  });

  it('03 async: End of stack trace from previous location, <Invoke>d__0 frames; cut mid-separator', () => {
    // PARTIAL: the last line is the start of a fourth separator; it is part of the trace (span to 15).
    expectTraces('dotnet/03-nservicebus-async-end-of-stack-trace-PARTIAL.txt', [
      {
        format: 'dotnet',
        kind: 'exception',
        title: 'System.InvalidOperationException: ThrowExceptionBehavior',
        span: [1, 15],
        frames: 10,
        first: ['AsyncOnly.ThrowExceptionBehavior.<Invoke>d__0.MoveNext', CAGE, 274],
        last: ['AsyncOnly.DelayBehavior6.<Invoke>d__0.MoveNext', CAGE, 166],
        at: {
          0: { notes: undefined },
          1: {
            function: 'System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess',
            args: 'Task task',
            file: null,
            notes: ['async boundary'],
          },
          2: { notes: undefined },
          3: { function: 'AsyncOnly.DelayBehavior8.<Invoke>d__0.MoveNext', line: 186 },
          4: { notes: ['async boundary'] },
          7: { notes: ['async boundary'] },
        },
        causes: [],
      },
    ]);
  });

  it('04 German, JSON-escaped: inner exception on the header line, line 0, a path wrapped onto line 2', () => {
    // PARTIAL: the excerpt ends inside the last frame's path; that frame is kept with the path as far as it
    // goes and noted as truncated. The frame whose path was broken across document lines 1-2 is rejoined.
    expectTraces('dotnet/04-de-chummer-async-json-escaped-PARTIAL.txt', [
      {
        format: 'dotnet',
        kind: 'exception',
        title:
          'System.Reflection.TargetInvocationException: Ein Aufrufziel hat einen Ausnahmefehler verursacht.',
        span: [1, 2],
        frames: 0,
        causes: [
          {
            title: 'System.InvalidOperationException: Der Stapel ist leer.',
            frames: 9,
            first: ['System.ThrowHelper.ThrowInvalidOperationException', null, null],
            last: [
              'Chummer.Backend.Attributes.AttributeSection.<ResetBindingsAsync>d__59.MoveNext',
              'C:\\projects\\chummer\\Chumme',
              null,
            ],
            at: {
              1: { function: 'System.Collections.Generic.Stack`1.Peek', args: '' },
              2: {
                function: 'Chummer.Character.<RefreshAttributeBindingsAsync>d__169.MoveNext',
                file: `${CHUMMER}\\Backend\\Characters\\Character.cs`,
                line: 0,
              },
              3: {
                function: 'System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess',
                notes: ['async boundary'],
              },
              6: {
                function: 'Chummer.Backend.Attributes.AttributeSection.<ResetBindingsAsync>d__59.MoveNext',
                file: `${CHUMMER}\\Backend\\Attributes\\AttributeSection.cs`,
                line: 1906,
                docLine: 1,
              },
              7: {
                function: 'System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw',
                docLine: 2,
                notes: ['async boundary'],
              },
              8: { docLine: 2, notes: ['truncated'] },
            },
          },
        ],
      },
    ]);
  });

  it('05 Visual Studio Copy Details: type line, Message= in Chinese, frames without file; cut mid-frame', () => {
    // PARTIAL: the last line `at System.Threading.Execution` is cut before its parentheses: not a frame, dropped.
    expectTraces('dotnet/05-sshnet-vs-exception-details-chinese-message-PARTIAL.txt', [
      {
        format: 'dotnet',
        kind: 'exception',
        type: 'System.InvalidOperationException',
        message: '在已经完成任务后，尝试将任务转换为最终状态。',
        title: 'System.InvalidOperationException: 在已经完成任务后，尝试将任务转换为最终状态。',
        span: [1, 16],
        frames: 11,
        first: ['System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1.SetException', null, null],
        last: ['System.Threading.ExecutionContext.RunInternal', null, null],
        at: {
          1: { function: 'Renci.SshNet.Abstractions.SocketExtensions.<ConnectAsync>d__1.MoveNext', args: '' },
          7: {
            function:
              'Renci.SshNet.Abstractions.SocketExtensions.AwaitableSocketAsyncEventArgs.<.ctor>b__3_0',
            args: 'Object sender, SocketAsyncEventArgs e',
          },
        },
        causes: [],
      },
    ]);
  });

  it('08 French: à … dans …:ligne, two ---> inner exceptions on one line, Fin de la trace … interne', () => {
    // PARTIAL: cut inside the TargetInvocationException's last frame (`dans c:\Users\atif\AppData\`), so
    // the outer ApplicationException's own frames are missing; the cut frame is kept, noted as truncated.
    expectTraces('dotnet/08-fr-linqpad-nested-inner-exceptions-PARTIAL.txt', [
      {
        format: 'dotnet',
        kind: 'exception',
        type: 'System.ApplicationException',
        message: "Une exception de type 'System.ApplicationException' a été levée.",
        span: [1, 10],
        frames: 0,
        causes: [
          {
            type: 'System.Reflection.TargetInvocationException',
            message: "Une exception a été levée par la cible d'un appel.",
            span: [1, 10],
            frames: 5,
            first: ['System.RuntimeMethodHandle._InvokeMethodFast', null, null],
            last: ['UserQuery.<>c__DisplayClassd.<LogErrors>b__6', 'c:\\Users\\atif\\AppData\\', null],
            at: { 4: { args: 'String str', docLine: 10, notes: ['truncated'] } },
            causes: [
              {
                type: 'System.FormatException',
                message: "Le format de la chaîne d'entrée est incorrect.",
                span: [1, 4],
                frames: 3,
                first: ['System.Number.StringToNumber', null, null],
                last: ['System.Int32.Parse', null, null],
                at: {
                  0: {
                    args: 'String str, NumberStyles options, NumberBuffer& number, NumberFormatInfo info, Boolean parseDecimal',
                  },
                },
                causes: [],
              },
            ],
          },
        ],
      },
    ]);
  });

  it('09 two "Unhandled Exception:" traces in one markdown paste, with and without file/line', () => {
    expectTraces('dotnet/09-dotnet-cli-unhandled-exception-with-and-without-line.txt', [
      {
        format: 'dotnet',
        kind: 'exception',
        title: 'System.Exception: can we see the source code line number?',
        span: [1, 2],
        frames: 1,
        first: ['ConsoleApplication.Program.Main', 'E:\\temp\\hello\\Program.cs', 10],
        at: { 0: { args: 'String[] args' } },
      },
      {
        format: 'dotnet',
        kind: 'exception',
        title: 'System.Exception: can we see the source code line number?',
        span: [6, 7],
        frames: 1,
        first: ['ConsoleApplication.Program.Main', null, null],
      },
    ]);
  });
});
