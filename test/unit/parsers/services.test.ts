// Traces as crash-reporting services export them: Application Insights (portal call stack, exception rows with
// their `details` JSON), App Center (Xamarin's Mono stacks, Android, bug-tracker issues), Crashlytics, Sentry
// (issue and alert-mail text, both frame orders, raw views), Bugsnag and Honeybadger issue bodies. Where a
// language's own parser reads a service's rendering, the test only proves it.

import * as assert from 'node:assert/strict';
import { parseText, type Trace } from '../../../src/core/trace';
import { parseMonoFrame, servicesParser } from '../../../src/core/trace/parsers/services';
import { parserTriggered } from '../../../src/core/trace/scanner';
import { lines, triple } from './helpers';

function parse(text: string, count: number): Trace[] {
  const traces = parseText(text);
  assert.equal(traces.length, count, `traces: ${traces.map((t) => `${t.format}:${t.title}`).join(' | ')}`);
  const inside = (n: Trace['causes'][number], t: Trace): void => {
    for (const f of n.frames) {
      assert.ok(f.docLine >= t.span.start && f.docLine <= t.span.end, `${t.title}: ${f.raw} inside the span`);
    }
    for (const c of n.causes) inside(c, t);
  };
  for (const t of traces) inside(t, t);
  return traces;
}

function one(text: string, format: Trace['format']): Trace {
  const t = parse(text, 1)[0]!;
  assert.equal(t.format, format);
  assert.equal(t.kind, 'exception');
  return t;
}

const CORELIB = 'System.Private.CoreLib, Version=8.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e';
const AI_STACK = lines(
  'System.InvalidOperationException: The connection was closed',
  `   at Contoso.Orders.OrderService+<SaveAsync>d__12.MoveNext (Contoso.Orders, Version=1.4.0.0, Culture=neutral, PublicKeyToken=null: D:\\a\\1\\s\\src\\Contoso.Orders\\OrderService.cs:88)`,
  `   at System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw (${CORELIB})`,
  `   at Contoso.Orders.Api.OrdersController+<Post>d__4.MoveNext (Contoso.Orders.Api, Version=1.4.0.0, Culture=neutral, PublicKeyToken=null: D:\\a\\1\\s\\src\\Contoso.Orders.Api\\OrdersController.cs:41)`,
  'Inner exception System.Net.Sockets.SocketException handled at System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw:',
  `   at System.Net.Sockets.Socket+AwaitableSocketAsyncEventArgs.ThrowException (System.Net.Sockets, Version=8.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a)`,
);

const MONO = lines(
  'Xamarin Exception Stack:',
  'System.InvalidOperationException: Could not load the profile ---> System.Net.WebException: Error: NameResolutionFailure',
  '  at System.Net.HttpWebRequest.EndGetResponse (System.IAsyncResult asyncResult) [0x00064] in <f2f2f4e6a1b24e0c8f2c3a9e7d6b5a41>:0 ',
  '  at MyApp.Services.ProfileService.LoadAsync (System.String id) [0x0004c] in /Users/dev/MyApp/Services/ProfileService.cs:57 ',
  '   --- End of inner exception stack trace ---',
  '  at MyApp.Services.ProfileService.LoadAsync (System.String id) [0x000a1] in /Users/dev/MyApp/Services/ProfileService.cs:63 ',
  '--- End of stack trace from previous location where exception was thrown ---',
  '  at MyApp.Views.ProfilePage.OnAppearing () [0x0001a] in /Users/dev/MyApp/Views/ProfilePage.xaml.cs:42 ',
  '  at Android.App.SyncContext+<>c__DisplayClass2_0.<Post>b__0 () [0x00000] in <9d7a2b3c4d5e4f60a1b2c3d4e5f60718>:0 ',
  '  at (wrapper dynamic-method) Android.Runtime.DynamicMethodNameCounter.57(intptr,intptr)',
);

const CRASHLYTICS = lines(
  'Fatal Exception: java.lang.RuntimeException: Unable to start activity ComponentInfo{com.example.app/com.example.app.MainActivity}: java.lang.NullPointerException',
  '       at android.app.ActivityThread.performLaunchActivity(ActivityThread.java:3635)',
  '       at android.os.Looper.loop(Looper.java:288)',
  "Caused by java.lang.NullPointerException: Attempt to invoke virtual method 'int java.lang.String.length()' on a null object reference",
  '       at com.example.app.MainActivity.onCreate(MainActivity.java:42)',
  '       at android.app.Activity.performCreate(Activity.java:8051)',
);

describe('services parser', () => {
  describe('Application Insights', () => {
    it("the portal's call stack: `at M (Assembly, Version=…: file:line)`, `Inner exception … handled at …:`", () => {
      const t = one(AI_STACK, 'dotnet');
      assert.equal(t.title, 'System.InvalidOperationException: The connection was closed');
      assert.deepEqual(t.span, { start: 1, end: 6 });
      assert.deepEqual(t.frames.map(triple), [
        [
          'Contoso.Orders.OrderService+<SaveAsync>d__12.MoveNext',
          'D:\\a\\1\\s\\src\\Contoso.Orders\\OrderService.cs',
          88,
        ],
        ['System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw', null, null],
        [
          'Contoso.Orders.Api.OrdersController+<Post>d__4.MoveNext',
          'D:\\a\\1\\s\\src\\Contoso.Orders.Api\\OrdersController.cs',
          41,
        ],
      ]);
      assert.equal(
        t.frames[0]!.module,
        'Contoso.Orders, Version=1.4.0.0, Culture=neutral, PublicKeyToken=null',
      );
      assert.equal(t.frames[1]!.module, CORELIB);
      const inner = t.causes[0]!;
      assert.equal(inner.relation, 'inner');
      assert.equal(inner.type, 'System.Net.Sockets.SocketException');
      assert.equal(inner.frames.length, 1);
    });

    it('rows above a .NET call stack (`problemId`, `outerMessage`): the .NET parser reads the stack', () => {
      const t = one(
        lines(
          'problemId\tSystem.NullReferenceException at Contoso.Web.Controllers.HomeController.Index',
          'outerMessage\tObject reference not set to an instance of an object.',
          'System.NullReferenceException: Object reference not set to an instance of an object.',
          '   at Contoso.Web.Controllers.HomeController.Index() in C:\\src\\Contoso.Web\\Controllers\\HomeController.cs:line 25',
          '   at lambda_method(Closure , Object , Object[] )',
        ),
        'dotnet',
      );
      assert.equal(t.type, 'System.NullReferenceException');
      assert.deepEqual(triple(t.frames[0]), [
        'Contoso.Web.Controllers.HomeController.Index',
        'C:\\src\\Contoso.Web\\Controllers\\HomeController.cs',
        25,
      ]);
    });

    it('an exception row copied from the portal (tab-separated), `details` JSON with `parsedStack`', () => {
      const details = JSON.stringify([
        {
          severityLevel: 'Error',
          outerId: '0',
          message: 'Exception while executing function: PullNewEntries',
          type: 'Microsoft.Azure.WebJobs.Host.FunctionInvocationException',
          id: '46735298',
          parsedStack: [
            {
              assembly: CORELIB,
              method: 'System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw',
              level: 0,
              line: 0,
            },
          ],
        },
        {
          outerId: '46735298',
          message: "String '' was not recognized as a valid DateTime.",
          type: 'System.FormatException',
          id: '2180955',
          parsedStack: [
            { assembly: CORELIB, method: 'System.DateTimeParse.Parse', level: 0, line: 0 },
            {
              assembly: 'FraudHunters.FileReader, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null',
              method: 'FraudHunters.FileReader.AdlsStreamReader+<PullNewEntries>d__19.MoveNext',
              level: 1,
              line: 57,
              fileName: 'C:\\src\\FraudHunters\\AdlsStreamReader.cs',
            },
          ],
        },
      ]);
      const t = one(
        lines(
          'timestamp [UTC]\t2024-01-15T10:23:45.123Z',
          'problemId\tSystem.FormatException at FraudHunters.FileReader.AdlsStreamReader+<PullNewEntries>d__19.MoveNext',
          'outerType\tMicrosoft.Azure.WebJobs.Host.FunctionInvocationException',
          'outerMessage\tException while executing function: PullNewEntries',
          `details\t${details}`,
        ),
        'dotnet',
      );
      assert.equal(
        t.title,
        'Microsoft.Azure.WebJobs.Host.FunctionInvocationException: Exception while executing function: PullNewEntries',
      );
      assert.deepEqual(t.span, { start: 2, end: 5 });
      assert.deepEqual(triple(t.frames[0]), [
        'System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw',
        null,
        null,
      ]);
      const inner = t.causes[0]!;
      assert.equal(inner.relation, 'inner');
      assert.equal(inner.type, 'System.FormatException');
      assert.deepEqual(inner.frames.map(triple), [
        ['System.DateTimeParse.Parse', null, null],
        [
          'FraudHunters.FileReader.AdlsStreamReader+<PullNewEntries>d__19.MoveNext',
          'C:\\src\\FraudHunters\\AdlsStreamReader.cs',
          57,
        ],
      ]);
    });

    it('the same row exported as CSV (quotes doubled)', () => {
      const csv = `2024-01-15T10:23:45Z,System.Exception,"[{""outerId"":""0"",""type"":""System.Exception"",""message"":""boom"",""id"":""1"",""parsedStack"":[{""level"":0,""method"":""App.Program.Main"",""assembly"":""App, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null"",""line"":12,""fileName"":""/src/App/Program.cs""}]}]"`;
      const t = one(csv, 'dotnet');
      assert.equal(t.title, 'System.Exception: boom');
      assert.deepEqual(triple(t.frames[0]), ['App.Program.Main', '/src/App/Program.cs', 12]);
    });
  });

  describe('App Center', () => {
    it("Xamarin: Mono's frames, IL offsets, `<mvid>:0`, inner exceptions, async boundary, wrappers", () => {
      const t = one(MONO, 'dotnet');
      assert.equal(t.type, 'System.InvalidOperationException');
      assert.equal(t.message, 'Could not load the profile');
      assert.deepEqual(t.span, { start: 2, end: 10 });
      assert.deepEqual(t.frames.map(triple), [
        ['MyApp.Services.ProfileService.LoadAsync', '/Users/dev/MyApp/Services/ProfileService.cs', 63],
        ['MyApp.Views.ProfilePage.OnAppearing', '/Users/dev/MyApp/Views/ProfilePage.xaml.cs', 42],
        ['Android.App.SyncContext+<>c__DisplayClass2_0.<Post>b__0', null, null],
        ['Android.Runtime.DynamicMethodNameCounter.57', null, null],
      ]);
      assert.equal(t.frames[0]!.offset, '0x000a1');
      assert.equal(t.frames[0]!.args, 'System.String id');
      assert.deepEqual(t.frames[1]!.notes, ['async boundary']);
      assert.deepEqual(t.frames[3]!.notes, ['wrapper dynamic-method']);
      assert.equal(t.frames[3]!.args, 'intptr,intptr');
      const inner = t.causes[0]!;
      assert.equal(inner.relation, 'inner');
      assert.equal(inner.title, 'System.Net.WebException: Error: NameResolutionFailure');
      assert.deepEqual(triple(inner.frames[0]), ['System.Net.HttpWebRequest.EndGetResponse', null, null]);
      assert.equal(inner.frames[0]!.args, 'System.IAsyncResult asyncResult');
    });

    it('old Mono: native offsets `<0x… + 0x…>` and `<filename unknown>:0`', () => {
      const f = parseMonoFrame('  at MyApp.Foo.Bar () <0x7a1b2c + 0x00067> in <filename unknown>:0', 3);
      assert.ok(f);
      assert.deepEqual(triple(f), ['MyApp.Foo.Bar', null, null]);
      assert.equal(f.address, '0x7a1b2c');
      assert.equal(f.offset, '0x00067');
      // A V8 or Application Insights frame is not Mono's.
      assert.equal(parseMonoFrame('    at render (app.js:1:2)', 1), null);
    });

    it('Android crashes are plain JVM traces: the Java parser reads them', () => {
      const t = one(
        lines(
          'java.lang.IllegalStateException: Could not execute method for android:onClick',
          '\tat androidx.appcompat.app.AppCompatViewInflater$DeclaredOnClickListener.onClick(AppCompatViewInflater.java:390)',
          '\tat android.view.View.performClick(View.java:7448)',
        ),
        'java',
      );
      assert.equal(t.frames.length, 2);
    });

    it("the bug tracker's issue: frames ending in `;`, blank lines between, the type under `### Reason ###`", () => {
      const t = one(
        lines(
          '### Version 1.2.3(6) ###',
          '',
          '### Stacktrace ###',
          '',
          'com.microsoft.appcenter.crashes.Crashes.generateTestCrash (Crashes.java:223);',
          '',
          'com.example.testing.MainActivity.sayHello (MainActivity.java:203);',
          '',
          '### Reason ###',
          '',
          'com.microsoft.appcenter.crashes.model.TestCrashException',
          '',
          '### Link to App Center ###',
          '',
          '* [https://appcenter.ms/users/x/apps/y/crashes/errors/1955467373u](https://appcenter.ms/users/x/apps/y/crashes/errors/1955467373u)',
        ),
        'java',
      );
      assert.equal(t.title, 'com.microsoft.appcenter.crashes.model.TestCrashException');
      assert.deepEqual(t.span, { start: 3, end: 11 });
      assert.deepEqual(t.frames.map(triple), [
        ['com.microsoft.appcenter.crashes.Crashes.generateTestCrash', 'Crashes.java', 223],
        ['com.example.testing.MainActivity.sayHello', 'MainActivity.java', 203],
      ]);
    });
  });

  describe('Crashlytics (read by the Java parser)', () => {
    it('`Fatal Exception:` header, 7-space `at` frames, `Caused by` without its colon', () => {
      const t = one(CRASHLYTICS, 'java');
      assert.equal(t.type, 'java.lang.RuntimeException');
      assert.deepEqual(t.span, { start: 1, end: 6 });
      assert.equal(t.frames.length, 2);
      const cause = t.causes[0]!;
      assert.equal(cause.type, 'java.lang.NullPointerException');
      assert.deepEqual(triple(cause.frames[0]), [
        'com.example.app.MainActivity.onCreate',
        'MainActivity.java',
        42,
      ]);
    });

    it("the console's copy: frames without `at`; a non-fatal", () => {
      const [fatal, nonFatal] = parse(
        lines(
          'Fatal Exception: java.lang.NullPointerException: Attempt to invoke a virtual method on a null object reference',
          'com.example.app.MainActivity.onCreate (MainActivity.java:42)',
          'android.app.Activity.performCreate (Activity.java:8051)',
          'java.lang.reflect.Method.invoke (Method.java)',
          '',
          'Non-fatal Exception: kotlinx.coroutines.TimeoutCancellationException: Timed out waiting for 5000 ms',
          '       at kotlinx.coroutines.TimeoutKt.TimeoutCancellationException(Timeout.kt:184)',
        ),
        2,
      );
      assert.equal(fatal!.format, 'java');
      assert.equal(fatal!.type, 'java.lang.NullPointerException');
      assert.deepEqual(fatal!.frames.map(triple), [
        ['com.example.app.MainActivity.onCreate', 'MainActivity.java', 42],
        ['android.app.Activity.performCreate', 'Activity.java', 8051],
        ['java.lang.reflect.Method.invoke', 'Method.java', null],
      ]);
      assert.equal(nonFatal!.format, 'java');
      assert.equal(nonFatal!.type, 'kotlinx.coroutines.TimeoutCancellationException');
      assert.deepEqual(nonFatal!.span, { start: 6, end: 7 });
    });
  });

  describe('Sentry', () => {
    it('an issue created by the integration: Java exceptions oldest first, `(N additional frame(s)…)`', () => {
      const t = one(
        lines(
          'Sentry Issue: [ORDERS-API-FF](https://acme.sentry.io/issues/7623000381/?referrer=github_integration)',
          '',
          '```',
          'TransactionRequiredException: No active transaction',
          '    at com.acme.service.EventService.lambda$handleEvent$2(EventService.java:307)',
          '    at com.acme.service.EventService.handleEvent(EventService.java:135)',
          '...',
          '(36 additional frame(s) were not displayed)',
          '',
          'InvalidDataAccessApiUsageException: No active transaction',
          '    at com.acme.service.EventService.lambda$handleEvent$2(EventService.java:307)',
          '    at com.acme.service.EventService.handleEvent(EventService.java:135)',
          '...',
          '(35 additional frame(s) were not displayed)',
          '```',
        ),
        'java',
      );
      // The last exception is the one raised; the one before it is its cause.
      assert.equal(t.title, 'InvalidDataAccessApiUsageException: No active transaction');
      assert.deepEqual(t.span, { start: 1, end: 14 });
      assert.equal(t.omittedFrames, 35);
      assert.deepEqual(triple(t.frames[0]), [
        'com.acme.service.EventService.lambda$handleEvent$2',
        'EventService.java',
        307,
      ]);
      const cause = t.causes[0]!;
      assert.equal(cause.relation, 'cause');
      assert.equal(cause.title, 'TransactionRequiredException: No active transaction');
      assert.equal(cause.omittedFrames, 36);
      assert.deepEqual(cause.span, { start: 4, end: 8 });
    });

    it("an alert mail, newest first: Python's template for PHP, source lines, `...` after the frames", () => {
      const t = one(
        lines(
          'ErrorException: Warning: Undefined property: Database::$row',
          '  File "/db-v4.inc", line 294, in Database::next_record',
          '    $this->row++;',
          '  File "/db-v4.inc", line 317, in Database::get_record',
          '    if ($this->next_record()) return $this->record;',
          '...',
          '(1 additional frame(s) were not displayed)',
        ),
        'php',
      );
      assert.equal(t.title, 'ErrorException: Warning: Undefined property: Database::$row');
      assert.deepEqual(t.frames.map(triple), [
        ['Database::next_record', '/db-v4.inc', 294],
        ['Database::get_record', '/db-v4.inc', 317],
      ]);
      assert.equal(t.frames[0]!.source, '$this->row++;');
      assert.equal(t.omittedFrames, 1);
      assert.deepEqual(t.span, { start: 1, end: 7 });
    });

    it('a Python event, oldest first (`(N additional…)` before the frames): read backwards', () => {
      const t = one(
        lines(
          "KeyError: 'user_id'",
          '(3 additional frame(s) were not displayed)',
          '...',
          '  File "app/views.py", line 30, in handler',
          "    uid = session['user_id']",
          '  File "app/auth.py", line 12, in current_user',
          '    return lookup(uid)',
        ),
        'python',
      );
      assert.deepEqual(t.frames.map(triple), [
        ['current_user', 'app/auth.py', 12],
        ['handler', 'app/views.py', 30],
      ]);
      assert.equal(t.frames[1]!.source, "uid = session['user_id']");
    });

    it('Python frames without a line (native events): `File "x.swift", in f`', () => {
      const t = one(
        lines(
          'EXC_BAD_ACCESS: Attempted to dereference garbage pointer 0x200000038.',
          '  File "app/BaseLabel.swift", in attributedText.set',
          '  File "app/BaseLabel.swift", line 118, in BaseLabel.refreshText(NSAttributedString?) -> ()',
          '...',
          '(39 additional frame(s) were not displayed)',
        ),
        'apple',
      );
      assert.deepEqual(triple(t.frames[0]), ['attributedText.set', 'app/BaseLabel.swift', null]);
      assert.equal(t.frames.length, 2);
    });

    it('`Stacktrace (most recent call last):` under the event message: oldest first, read backwards', () => {
      const t = one(
        lines(
          'Connection reset by peer',
          '',
          'Stacktrace (most recent call last):',
          '',
          '  File "app/jobs.py", line 10, in run',
          '    sync()',
          '  File "app/sync.py", line 22, in sync',
          '    conn.send(data)',
        ),
        'python',
      );
      assert.equal(t.title, 'Connection reset by peer');
      assert.deepEqual(t.span, { start: 1, end: 8 });
      assert.deepEqual(triple(t.frames[0]), ['sync', 'app/sync.py', 22]);
      const first = one(
        lines(
          'Stacktrace (most recent call first):',
          '',
          '  File "app/sync.py", line 22, in sync',
          '  File "app/jobs.py", line 10, in run',
        ),
        'python',
      );
      assert.deepEqual(triple(first.frames[0]), ['sync', 'app/sync.py', 22]);
    });

    it("the raw view's JavaScript frames: no space before the parenthesis, `at ? (…)`, columns", () => {
      const t = one(
        lines(
          "TypeError: Cannot read properties of undefined (reading 'map')",
          '  at renderList(webpack:///./src/components/List.jsx:12:20)',
          '  at ? (https://cdn.example.com/static/js/main.8a1b2c.js:1:34567)',
          '  at App(webpack:///./src/App.jsx:30:5)',
        ),
        'node',
      );
      assert.equal(t.type, 'TypeError');
      assert.deepEqual(t.frames.map(triple), [
        ['renderList', 'webpack:///./src/components/List.jsx', 12],
        ['?', 'https://cdn.example.com/static/js/main.8a1b2c.js', 1],
        ['App', 'webpack:///./src/App.jsx', 30],
      ]);
      assert.equal(t.frames[0]!.column, 20);
    });

    it("the raw view's Python frames: the exception line first, oldest frame first, `col N`", () => {
      const t = one(
        lines(
          'ZeroDivisionError: division by zero',
          '  File "app/jobs.py", line 10, col 4, in run',
          '    sync()',
          '  File "app/sync.py", line 22, in sync',
          '    1 / 0',
        ),
        'python',
      );
      assert.deepEqual(t.frames.map(triple), [
        ['sync', 'app/sync.py', 22],
        ['run', 'app/jobs.py', 10],
      ]);
      assert.equal(t.frames[1]!.column, 4);
      assert.equal(t.frames[0]!.source, '1 / 0');
    });

    it("JavaScript (mail), Ruby, PHP and Python tracebacks: their languages' own renderings", () => {
      const js = one(
        lines(
          "TypeError: Cannot read properties of undefined (reading 'map')",
          '  at renderList (app/components/List.jsx:12:20)',
          '  at App (app/App.jsx:30:5)',
        ),
        'node',
      );
      assert.deepEqual(triple(js.frames[0]), ['renderList', 'app/components/List.jsx', 12]);
      const rb = one(
        lines(
          "NoMethodError: undefined method `name' for nil",
          "  from app/models/user.rb:12:in `display_name'",
          "  from app/views/users/show.html.erb:3:in `_app_views_users_show'",
        ),
        'ruby',
      );
      assert.equal(rb.type, 'NoMethodError');
      assert.equal(rb.frames.length, 2);
      const php = one(
        lines(
          'ErrorException: Warning: Undefined property: Database::$row',
          '#5 /db-v4.inc(294): Database::next_record',
          '#4 /db-v4.inc(317): Database::get_record',
        ),
        'php',
      );
      assert.deepEqual(triple(php.frames[1]), ['Database::get_record', '/db-v4.inc', 317]);
      const py = one(
        lines(
          'Traceback (most recent call last):',
          '  File "app/views.py", line 30, in handler',
          '  File "app/auth.py", line 12, in current_user',
          "KeyError: 'user_id'",
        ),
        'python',
      );
      assert.deepEqual(triple(py.frames[0]), ['current_user', 'app/auth.py', 12]);
    });
  });

  describe('Bugsnag and Honeybadger', () => {
    it("Bugsnag's issue body: `**Type** in **context**`, the message, `    file:line - method` frames", () => {
      const t = one(
        lines(
          '## Error in Example.com',
          '',
          '**NoMethodError** in **users#show**',
          "undefined method `name' for nil:NilClass",
          '',
          '[View on Bugsnag](https://app.bugsnag.com/acme/web/errors/5f1?event_id=5f2&i=gh&m=ci)',
          '',
          '## Stacktrace',
          '',
          '    app/controllers/users_controller.rb:12 - show',
          '    lib/important/magic.rb:4 - load_something',
          '',
          '[View full stacktrace](https://app.bugsnag.com/acme/web/errors/5f1?event_id=5f2&i=gh&m=fq)',
        ),
        'ruby',
      );
      assert.equal(t.title, "NoMethodError: undefined method `name' for nil:NilClass");
      assert.deepEqual(t.span, { start: 3, end: 11 });
      assert.deepEqual(t.frames.map(triple), [
        ['show', 'app/controllers/users_controller.rb', 12],
        ['load_something', 'lib/important/magic.rb', 4],
      ]);
    });

    it("Honeybadger's backtrace for a Python project: the language from the files", () => {
      const t = one(
        lines(
          '## Backtrace',
          '',
          '    line 42 of [PROJECT_ROOT]/app/views.py: divide',
          '    line 30 of [PROJECT_ROOT]/app/views.py: handler',
          '',
          '[View full backtrace and more info at honeybadger.io](https://app.honeybadger.io/projects/1/faults/2)',
        ),
        'python',
      );
      assert.deepEqual(t.frames.map(triple), [
        ['divide', '[PROJECT_ROOT]/app/views.py', 42],
        ['handler', '[PROJECT_ROOT]/app/views.py', 30],
      ]);
      assert.deepEqual(t.span, { start: 3, end: 4 });
    });
  });

  describe('documents', () => {
    it('service renderings between log lines and a Java trace: each to its parser', () => {
      const traces = parse(
        lines(
          '2024-01-15 10:23:45 INFO sync started',
          CRASHLYTICS,
          '2024-01-15 10:23:46 INFO sync retried',
          'java.lang.IllegalStateException: closed',
          '\tat com.acme.Pool.take(Pool.java:41)',
          '2024-01-15 10:23:47 INFO next',
          AI_STACK,
          '2024-01-15 10:23:48 INFO done',
        ),
        3,
      );
      assert.deepEqual(
        traces.map((t) => [t.format, t.span.start, t.span.end]),
        [
          ['java', 2, 7],
          ['java', 9, 10],
          ['dotnet', 12, 17],
        ],
      );
      assert.equal(traces[0]!.causes.length, 1);
      assert.equal(traces[1]!.causes.length, 0);
    });

    it('CRLF input parses like LF input', () => {
      for (const text of [AI_STACK, MONO, CRASHLYTICS]) {
        assert.deepEqual(parseText(text.split('\n').join('\r\n')), parseText(text));
      }
    });

    it('cut mid-line: a frame cut before its closing parenthesis is not taken', () => {
      const t = one(
        lines(AI_STACK.split('\n').slice(0, 3).join('\n'), '   at Contoso.Orders.Api.Orders'),
        'dotnet',
      );
      assert.equal(t.frames.length, 2);
      assert.deepEqual(t.span, { start: 1, end: 3 });
      const m = one(MONO.slice(0, MONO.indexOf('in /Users/dev/MyApp/Views/ProfilePage') + 20), 'dotnet');
      assert.equal(m.frames.length, 2);
      // Cut inside its path: kept, as far as it goes, and marked.
      assert.deepEqual(triple(m.frames[1]), [
        'MyApp.Views.ProfilePage.OnAppearing',
        '/Users/dev/MyApp/',
        null,
      ]);
      assert.deepEqual(m.frames[1]!.notes, ['truncated', 'async boundary']);
    });

    it('re-indented pastes: frames at column 0', () => {
      const t = one(AI_STACK.replace(/^ +/gm, ''), 'dotnet');
      assert.equal(t.frames.length, 3);
      const m = one(MONO.replace(/^ +/gm, ''), 'dotnet');
      assert.equal(m.frames.length, 4);
      const c = one(CRASHLYTICS.replace(/^ +/gm, ''), 'java');
      assert.equal(c.causes[0]!.frames.length, 2);
    });

    it('triggers narrowly: ordinary log lines do not reach begin', () => {
      for (const l of [
        '2024-01-15 10:23:45 INFO user logged in',
        'Exception: something failed',
        '  at the moment nothing',
        'line 3 is wrong',
        '## Notes',
      ]) {
        assert.ok(!parserTriggered(servicesParser, l), l);
      }
    });
  });
});
