// JSON Lines logs whose records carry the exception in a field: the trace comes from the field, unescaped,
// at the record's line, dated by the record.

import * as assert from 'node:assert/strict';
import { parseText, type Trace } from '../../../src/core/trace';

const JAVA_STACK =
  'java.lang.IllegalStateException: order 7 has no lines\\n\\tat com.acme.orders.OrderService.place(OrderService.java:42)\\n\\tat com.acme.orders.OrderController.post(OrderController.java:17)\\nCaused by: java.sql.SQLException: timeout\\n\\tat org.postgresql.Driver.connect(Driver.java:300)\\n\\t... 2 more';
const DOTNET_STACK =
  'System.InvalidOperationException: Sequence contains no elements\\r\\n   at System.Linq.ThrowHelper.ThrowNoElementsException()\\r\\n   at Acme.Orders.OrderService.Place(Order order) in C:\\\\src\\\\Orders\\\\OrderService.cs:line 42';
const NODE_STACK =
  "TypeError: Cannot read properties of undefined (reading 'id')\\n    at place (/srv/app/orders.js:42:11)\\n    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)";

function log(...records: string[]): string {
  return (
    [
      '{"level":"info","msg":"starting","time":"2026-11-26T03:14:00Z"}',
      ...records,
      '{"level":"info","msg":"next"}',
    ].join('\n') + '\n'
  );
}

function only(text: string): Trace {
  const traces = parseText(text);
  assert.equal(traces.length, 1, traces.map((t) => t.title).join(' | '));
  return traces[0]!;
}

describe('structured (JSON Lines) logs', () => {
  it('Serilog compact JSON: @x, dated by @t', () => {
    const t = only(
      log(
        `{"@t":"2026-11-26T03:14:15.1230000Z","@mt":"Order {OrderId} failed","@l":"Error","@x":"${DOTNET_STACK}","OrderId":7}`,
      ),
    );
    assert.equal(t.format, 'dotnet');
    assert.equal(t.type, 'System.InvalidOperationException');
    assert.equal(t.frames.length, 2);
    assert.equal(t.frames[1]!.file, 'C:\\src\\Orders\\OrderService.cs');
    assert.equal(t.frames[1]!.line, 42);
    assert.deepEqual([t.span.start, t.span.end], [2, 2]);
    assert.equal(t.frames[1]!.docLine, 2);
    assert.equal(t.timestamp, '2026-11-26T03:14:15.1230000Z');
  });

  it('logstash-logback-encoder: stack_trace, with a cause', () => {
    const t = only(
      log(
        `{"@timestamp":"2026-11-26T03:14:15.123+00:00","@version":"1","message":"Order failed","logger_name":"com.acme.Orders","thread_name":"http-nio-8080-exec-1","level":"ERROR","level_value":40000,"stack_trace":"${JAVA_STACK}"}`,
      ),
    );
    assert.equal(t.format, 'java');
    assert.equal(t.title, 'java.lang.IllegalStateException: order 7 has no lines');
    assert.equal(t.frames.length, 2);
    assert.equal(t.causes[0]!.type, 'java.sql.SQLException');
    assert.equal(t.causes[0]!.omittedFrames, 2);
    assert.equal(t.timestamp, '2026-11-26T03:14:15.123+00:00');
    assert.equal(t.span.start, 2);
  });

  it('ECS: error.stack_trace flattened and nested', () => {
    const flat = only(
      log(
        `{"@timestamp":"2026-11-26T03:14:15.123Z","log.level":"error","message":"failed","error.type":"java.lang.IllegalStateException","error.stack_trace":"${JAVA_STACK}"}`,
      ),
    );
    const nested = only(
      log(
        `{"@timestamp":"2026-11-26T03:14:15.123Z","log":{"level":"error"},"message":"failed","error":{"type":"java.lang.IllegalStateException","stack_trace":"${JAVA_STACK}"}}`,
      ),
    );
    for (const t of [flat, nested]) {
      assert.equal(t.frames[0]!.function, 'com.acme.orders.OrderService.place');
      assert.equal(t.frames[0]!.docLine, 2);
    }
  });

  it('bunyan and pino: err.stack, dated by time (ISO or epoch milliseconds)', () => {
    const bunyan = only(
      log(
        `{"name":"orders","hostname":"h1","pid":123,"level":50,"err":{"message":"x","name":"TypeError","stack":"${NODE_STACK}"},"msg":"x","time":"2026-11-26T03:14:15.123Z","v":0}`,
      ),
    );
    const pino = only(
      log(
        `{"level":50,"time":1764126855123,"pid":1,"hostname":"h1","err":{"type":"TypeError","message":"x","stack":"${NODE_STACK}"},"msg":"x"}`,
      ),
    );
    for (const t of [bunyan, pino]) {
      assert.equal(t.format, 'node');
      assert.equal(t.type, 'TypeError');
      assert.deepEqual(
        [t.frames[0]!.function, t.frames[0]!.file, t.frames[0]!.line],
        ['place', '/srv/app/orders.js', 42],
      );
    }
    assert.equal(bunyan.timestamp, '2026-11-26T03:14:15.123Z');
    assert.equal(pino.timestamp, '2025-11-26T03:14:15.123Z');
  });

  it('zap: the stacktrace field (Go frames without a goroutine header)', () => {
    const t = only(
      log(
        '{"level":"error","ts":1764126855.5,"caller":"orders/service.go:42","msg":"place failed","error":"boom","stacktrace":"main.(*Service).Place\\n\\t/src/orders/service.go:42\\nmain.main\\n\\t/src/main.go:12\\nruntime.main\\n\\t/usr/local/go/src/runtime/proc.go:250"}',
      ),
    );
    assert.equal(t.format, 'go');
    assert.deepEqual(
      t.frames.map((f) => [f.function, f.file, f.line]),
      [
        ['main.(*Service).Place', '/src/orders/service.go', 42],
        ['main.main', '/src/main.go', 12],
        ['runtime.main', '/usr/local/go/src/runtime/proc.go', 250],
      ],
    );
    assert.equal(t.timestamp, '2025-11-26T03:14:15.500Z');
  });

  it('Log4j2 JsonLayout: thrown with structured extendedStackTrace and a cause', () => {
    const t = only(
      log(
        '{"instant":{"epochSecond":1764126855,"nanoOfSecond":123000000},"thread":"main","level":"ERROR","loggerName":"com.acme.Orders","message":"boom","thrown":{"commonElementCount":0,"localizedMessage":"boom","message":"boom","name":"java.lang.IllegalStateException","cause":{"commonElementCount":1,"name":"java.io.IOException","message":"disk","extendedStackTrace":[{"class":"java.io.FileInputStream","method":"open0","file":"FileInputStream.java","line":-2,"exact":false}]},"extendedStackTrace":[{"class":"com.acme.orders.OrderService","method":"place","file":"OrderService.java","line":42,"exact":false,"location":"classes/","version":"?"},{"class":"com.acme.Main","method":"main","file":"Main.java","line":9,"exact":true}]},"endOfBatch":false,"threadId":1,"threadPriority":5}',
      ),
    );
    assert.equal(t.format, 'java');
    assert.equal(t.title, 'java.lang.IllegalStateException: boom');
    assert.deepEqual(
      t.frames.map((f) => [f.function, f.file, f.line]),
      [
        ['com.acme.orders.OrderService.place', 'OrderService.java', 42],
        ['com.acme.Main.main', 'Main.java', 9],
      ],
    );
    assert.equal(t.causes[0]!.type, 'java.io.IOException');
    assert.equal(t.causes[0]!.frames[0]!.function, 'java.io.FileInputStream.open0');
    assert.equal(t.timestamp, '2025-11-26T03:14:15.123Z');
  });

  it('Log4j2 with stacktraceAsString and python-json-logger exc_info', () => {
    const log4j = only(
      log(
        `{"timeMillis":1764126855123,"level":"ERROR","thrown":{"name":"java.lang.IllegalStateException","extendedStackTrace":"${JAVA_STACK}"}}`,
      ),
    );
    assert.equal(log4j.frames.length, 2);
    const py = only(
      log(
        '{"asctime": "2026-11-26 03:14:15,123", "levelname": "ERROR", "message": "failed", "exc_info": "Traceback (most recent call last):\\n  File \\"/srv/app/orders.py\\", line 42, in place\\n    total = order.lines[0]\\nIndexError: list index out of range"}',
      ),
    );
    assert.equal(py.format, 'python');
    assert.equal(py.type, 'IndexError');
    assert.deepEqual(
      [py.frames[0]!.file, py.frames[0]!.line, py.frames[0]!.docLine],
      ['/srv/app/orders.py', 42, 2],
    );
    assert.equal(py.timestamp, '2026-11-26 03:14:15,123');
  });

  it('records without a stack, broken JSON and hostile records are ordinary lines', () => {
    assert.deepEqual(parseText(log('{"level":"error","msg":"no stack here","error":"boom"}')), []);
    assert.deepEqual(
      parseText('{"stack_trace": "java.lang.X: a\\n\\tat a.B.c(B.java:1)"\n'.slice(0, 30)),
      [],
    );
    const deep = '{"err":'.repeat(5000) + '1' + '}'.repeat(5000);
    assert.deepEqual(parseText(deep), []);
  });

  it('two records in a row are two traces', () => {
    const rec = `{"@timestamp":"2026-11-26T03:14:15Z","level":"ERROR","stack_trace":"${JAVA_STACK}"}`;
    const traces = parseText(log(rec, rec));
    assert.equal(traces.length, 2);
    assert.deepEqual(
      traces.map((t) => t.span.start),
      [2, 3],
    );
  });
});
