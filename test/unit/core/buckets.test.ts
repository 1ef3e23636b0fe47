// In-app classification, signatures and buckets: the same crash groups together however its occurrences
// differ (ids in messages, line numbers, lambda numbers, bundle hashes), different crashes never do.

import * as assert from 'node:assert/strict';
import {
  BucketCollector,
  classifyTrace,
  isInApp,
  parseText,
  signatureOf,
  type Frame,
  type FormatId,
} from '../../../src/core/trace';
import { normaliseFunction, normaliseFile } from '../../../src/core/trace/signature';

function frame(fn: string | null, file: string | null = null, module: string | null = null): Frame {
  return {
    function: fn,
    file,
    line: 1,
    column: null,
    module,
    address: null,
    offset: null,
    args: null,
    raw: '',
    docLine: 1,
  };
}

function sig(text: string): string {
  const traces = parseText(text);
  assert.equal(traces.length, 1, traces.map((t) => t.title).join(' | '));
  return signatureOf(classifyTrace(traces[0]!)).id;
}

describe('in-app classification', () => {
  const cases: [FormatId, Frame, boolean][] = [
    ['java', frame('java.util.Objects.requireNonNull', 'Objects.java'), false],
    ['java', frame('org.springframework.web.servlet.FrameworkServlet.service'), false],
    ['java', frame('kotlinx.coroutines.DispatchedTask.run'), false],
    ['java', frame('com.acme.orders.OrderService.place', 'OrderService.java'), true],
    ['dotnet', frame('System.Linq.Enumerable.First'), false],
    ['dotnet', frame('Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.Execute'), false],
    ['dotnet', frame('Acme.Billing.Invoice.Charge', 'C:\\src\\Invoice.cs'), true],
    ['python', frame('dispatch', '/usr/lib/python3.11/site-packages/flask/app.py'), false],
    ['python', frame('run', '/usr/lib/python3.11/threading.py'), false],
    ['python', frame('handle', '/srv/acme/views.py'), true],
    ['node', frame('Layer.handle', '/srv/app/node_modules/express/lib/router/layer.js'), false],
    ['node', frame('process.processTicksAndRejections', 'node:internal/process/task_queues'), false],
    ['node', frame('render', '/srv/app/dist/main.3f9a2c.js'), true],
    ['go', frame('runtime.gopanic', '/usr/local/go/src/runtime/panic.go'), false],
    ['go', frame('net/http.(*conn).serve', '/usr/local/go/src/net/http/server.go'), false],
    [
      'go',
      frame('github.com/lib/pq.(*conn).query', '/root/go/pkg/mod/github.com/lib/pq@v1.10.9/conn.go'),
      false,
    ],
    ['go', frame('main.main', '/src/main.go'), true],
    ['go', frame('github.com/acme/orders/store.(*Repo).Find', '/home/ci/orders/store/repo.go'), true],
    ['rust', frame('core::panicking::panic', '/rustc/abc/library/core/src/panicking.rs'), false],
    [
      'rust',
      frame('tokio::runtime::task::raw::poll', '/home/u/.cargo/registry/src/x/tokio-1.28.0/src/a.rs'),
      false,
    ],
    ['rust', frame('worker::jobs::run', './src/jobs.rs'), true],
    ['gdb', frame('__libc_start_main', null, '/lib/x86_64-linux-gnu/libc.so.6'), false],
    ['gdb', frame('raise', null, 'libc.so.6'), false],
    ['gdb', frame('std::vector<int>::at', '/usr/include/c++/12/bits/stl_vector.h'), false],
    ['gdb', frame('Orders::place', '/src/orders.cc'), true],
    ['windbg', frame('RtlUserThreadStart', null, 'ntdll'), false],
    ['windbg', frame('Orders::Place', 'd:\\src\\orders.cpp', 'orders'), true],
    ['ruby', frame('send_action', '/usr/local/bundle/gems/actionpack-7.1.0/lib/x.rb'), false],
    ['ruby', frame('Order#settle', 'app/models/order.rb'), true],
    ['php', frame('Slim\\App->run', '/var/www/vendor/slim/slim/Slim/App.php'), false],
    ['php', frame('Acme\\Billing\\Charge->run', '/var/www/src/Billing/Charge.php'), true],
    ['dart', frame('List.[]', 'dart:core-patch/growable_array.dart'), false],
    ['dart', frame('_MyState.build', 'package:myapp/main.dart'), true],
    ['elixir', frame('GenServer.call/3', 'lib/gen_server.ex', '(elixir 1.14.0)'), false],
    ['elixir', frame('MyApp.Worker.run/2', 'lib/my_app/worker.ex', '(my_app 0.1.0)'), true],
    ['apple', frame('objc_exception_throw', null, 'libobjc.A.dylib'), false],
    ['apple', frame('-[ViewController viewDidLoad]', null, 'MyApp'), true],
  ];
  for (const [format, f, inApp] of cases) {
    it(`${format}: ${f.function} is ${inApp ? 'in-app' : 'library'}`, () => {
      assert.equal(isInApp(f, format), inApp);
    });
  }

  it('the user can claim and disown frames, and disowning wins', () => {
    const f = frame('org.apache.kafka.clients.Producer.send');
    assert.equal(isInApp(f, 'java'), false);
    assert.equal(isInApp(f, 'java', { inApp: ['org.apache.kafka.'] }), true);
    const g = frame('com.acme.vendored.Lib.f');
    assert.equal(isInApp(g, 'java', { inApp: ['com.acme.'], notInApp: ['com.acme.vendored.'] }), false);
  });

  it('frames that name nothing are not in-app', () => {
    assert.equal(isInApp(frame(null), 'gdb'), false);
    assert.equal(isInApp(frame('??'), 'gdb'), false);
  });
});

describe('signature normalisation', () => {
  it('removes lambda, closure, state-machine and anonymous-class numbers, hashes and generics', () => {
    assert.equal(
      normaliseFunction('com.acme.Web.lambda$post$3'),
      normaliseFunction('com.acme.Web.lambda$post$7'),
    );
    assert.equal(normaliseFunction('com.acme.Web$1.run'), normaliseFunction('com.acme.Web$2.run'));
    assert.equal(
      normaliseFunction('com.acme.Web$$Lambda$123/0x0000000800c0b000.apply'),
      normaliseFunction('com.acme.Web$$Lambda$77/0x0000000800d1c440.apply'),
    );
    assert.equal(
      normaliseFunction('Acme.Api.<Post>d__12.MoveNext'),
      normaliseFunction('Acme.Api.<Post>d__3.MoveNext'),
    );
    assert.equal(normaliseFunction('main.(*T).Run.func2'), normaliseFunction('main.(*T).Run.func1'));
    assert.equal(normaliseFunction('worker::run::h0123456789abcdef'), 'worker::run');
    assert.equal(
      normaliseFunction('worker::main::{closure#0}'),
      normaliseFunction('worker::main::{closure#1}'),
    );
    assert.equal(
      normaliseFunction('std::vector<int, std::allocator<int> >::at(unsigned long)'),
      'std::vector<>::at',
    );
    assert.equal(normaliseFunction('Object.<anonymous>'), 'Object.<anonymous>');
    assert.equal(normaliseFunction('<module>'), '<module>');
    assert.notEqual(normaliseFunction('com.acme.A.f'), normaliseFunction('com.acme.A.g'));
  });

  it('keeps file names but drops their directories and content hashes', () => {
    assert.equal(normaliseFile('/srv/app/dist/main.3f9a2c1b.js'), 'main.js');
    assert.equal(normaliseFile('C:\\agent\\_work\\3\\s\\src\\Invoice.cs'), 'Invoice.cs');
    assert.equal(normaliseFile('webpack:///./src/app.ts?abc'), 'app.ts');
  });
});

describe('signatures', () => {
  const java = (
    id: number,
    line: number,
    lambda: number,
    thread: string,
  ): string => `Exception in thread "${thread}" java.lang.IllegalStateException: order ${id} rejected
\tat java.base/java.util.Objects.requireNonNull(Objects.java:${line})
\tat com.acme.orders.OrderService.place(OrderService.java:${line + 10})
\tat com.acme.web.Controller.lambda$post$${lambda}(Controller.java:${line + 20})
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)
`;

  it('groups occurrences that differ in ids, line numbers, lambda numbers and thread', () => {
    assert.equal(sig(java(1, 100, 0, 'main')), sig(java(99999, 233, 5, 'http-nio-8080-exec-7')));
  });

  it('separates a different type or a different in-app frame', () => {
    const base = sig(java(1, 100, 0, 'main'));
    assert.notEqual(
      base,
      sig(java(1, 100, 0, 'main').replace('IllegalStateException', 'IllegalArgumentException')),
    );
    assert.notEqual(base, sig(java(1, 100, 0, 'main').replace('OrderService.place', 'OrderService.cancel')));
  });

  it('ignores library frames: a different JDK line does not matter, a different caller in the library neither', () => {
    const a = java(1, 100, 0, 'main');
    const b = a.replace('FrameworkServlet.service', 'DispatcherServlet.doService');
    assert.equal(sig(a), sig(b));
  });

  it('uses the root cause of a chain', () => {
    const chained = `java.lang.RuntimeException: wrapped
\tat com.acme.web.Controller.post(Controller.java:20)
Caused by: java.sql.SQLException: timeout
\tat com.acme.db.Repo.find(Repo.java:55)
\t... 1 more
`;
    const s = signatureOf(classifyTrace(parseText(chained)[0]!));
    assert.equal(s.parts[2], 'java.sql.SQLException');
    assert.equal(s.frames[0]!.function, 'com.acme.db.Repo.find');
  });

  it('is versioned and stable: this crash has had this id since signature v1', () => {
    // If this changes, the recipe changed: bump SIGNATURE_VERSION and document it (docs/signatures.md).
    const s = signatureOf(classifyTrace(parseText(java(1, 100, 0, 'main'))[0]!));
    assert.deepEqual(s.parts, [
      'v1',
      'java',
      'java.lang.IllegalStateException',
      'com.acme.orders.OrderService.place @ OrderService.java',
      'com.acme.web.Controller.lambda$post$N @ Controller.java',
    ]);
    assert.equal(s.id, 'v1:aa61d17d79938df2');
  });
});

describe('buckets', () => {
  it('counts each distinct crash, most frequent first, with first and last occurrence', () => {
    const log = [
      '2026-11-26 03:00:00.000 INFO  [main] app - start',
      ...[1, 2, 3].flatMap((n) => [
        `2026-11-26 03:0${n}:00.000 ERROR [main] app - failed`,
        `java.lang.IllegalStateException: order ${n}`,
        `\tat com.acme.orders.OrderService.place(OrderService.java:${40 + n})`,
        '2026-11-26 03:00:00.000 INFO  [main] app - next',
      ]),
      'Traceback (most recent call last):',
      '  File "/srv/acme/views.py", line 12, in handle',
      'KeyError: 7',
    ].join('\n');
    const c = new BucketCollector();
    for (const t of parseText(log)) c.add(t, 'a.log');
    const b = c.result();
    assert.equal(b.length, 2);
    assert.equal(b[0]!.count, 3);
    assert.equal(b[0]!.title, 'java.lang.IllegalStateException: order 1');
    assert.deepEqual(b[0]!.first, { file: 'a.log', line: 3, time: '2026-11-26 03:01:00.000' });
    assert.deepEqual(b[0]!.last, { file: 'a.log', line: 11, time: '2026-11-26 03:03:00.000' });
    assert.equal(b[0]!.frame!.function, 'com.acme.orders.OrderService.place');
    assert.equal(b[1]!.count, 1);
    assert.equal(b[1]!.format, 'python');
    // A trace below a log record is that record's continuation: it is dated by it.
    assert.equal(b[1]!.first.time, '2026-11-26 03:00:00.000');
  });

  it('leaves idle threads of a thread dump out unless asked', () => {
    const dump = `goroutine 1 [running]:
main.main()
\t/src/main.go:12 +0x1d

goroutine 7 [chan receive]:
main.worker()
\t/src/worker.go:30 +0x2a
`;
    const traces = parseText(dump);
    const kinds = traces.map((t) => t.kind);
    const without = new BucketCollector();
    const withThreads = new BucketCollector({ threads: true });
    for (const t of traces) {
      without.add(t, 'd');
      withThreads.add(structuredClone(t), 'd');
    }
    assert.equal(without.result().length, kinds.filter((k) => k !== 'thread').length);
    assert.equal(withThreads.result().length, traces.length);
  });
});
