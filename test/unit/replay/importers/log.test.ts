// The log importer on real logs (zap, logrus, Log4j2-style, Serilog, loguru-style, Bunyan, ECS, glog, zap
// console) and on hostile input: torn and cut lines, non-JSON lines among JSON, UTF-16, CRLF, huge lines and
// user patterns that would backtrack.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check } from 'recheck';
import { checkPattern } from '../../../../src/core/replay/importers';
import { importToMemory, messages, scope, session, tempDir, tempFile, where } from './helpers';

const log = (name: string) => session(`log/${name}`);

describe('log importer', () => {
  describe('JSON records', () => {
    it('zap: caller as the location, level, ISO time with offset as t in ms', async () => {
      const { header, events, result } = await importToMemory('log', [log('01-im-backward-zap.log')]);
      assert.deepEqual(header.clock, { unit: 'ms', origin: '2019-11-04T07:53:28.107Z' });
      assert.equal(events.length, 56);
      assert.equal(result.units, 56);
      assert.deepEqual(
        events.slice(0, 2).map((e) => [e.t, e.kind, e.log, where(e)]),
        [
          [0, 'log', { level: 'error', message: 'not have user!' }, 'null server/server.go:84'],
          [
            57,
            'log',
            { level: 'error', message: 'write err write udp 127.0.0.1:9876: missing address write 0 data' },
            'null server/server.go:92',
          ],
        ],
      );
      assert.equal(where(events[55]!), 'null config/config.go:47');
      assert.deepEqual(result.warnings, []);
    });

    it('zap: epoch seconds, the other fields as Record variables', async () => {
      const { events } = await importToMemory('log', [log('02-go-shop-zap-epoch.log')]);
      assert.equal(events.length, 4);
      assert.deepEqual(scope(events[0]!, 'Record'), {
        url: 'http://www.baidu.com',
        attempt: '3',
        backoff: '1',
      });
      assert.deepEqual(events[0]!.stack[0]!.scopes![0]!.variables[1], {
        name: 'attempt',
        value: '3',
        type: 'number',
      });
      // Two runs two days apart: 1758378512.0411 − 1758172548.771366 s.
      assert.equal(Math.round(events[2]!.t), 205963270);
    });

    it('zap with upper-case keys (LEVEL, TIME, CALLER, MESSAGE)', async () => {
      const { events } = await importToMemory('log', [log('03-gofermart-zap-uppercase-keys.log')]);
      assert.equal(events.length, 198);
      assert.deepEqual(
        [events[0]!.log, where(events[0]!), events[1]!.t],
        [{ level: 'info', message: 'Start Service API HANDLER' }, 'null app/main.go:49', 1],
      );
      assert.deepEqual(scope(events[0]!, 'Record'), {});
    });

    it('logrus with a caller: file "path:line", nested objects as children', async () => {
      const { events } = await importToMemory('log', [log('04-omega-logrus-caller.log')]);
      assert.deepEqual(
        events.map((e) => [e.t, where(e)]),
        [
          [0, 'null server/server.go:30'],
          [2000, 'null server/server.go:30'],
          [6000, 'null server/server.go:30'],
        ],
      );
      assert.deepEqual(events[0]!.stack[0]!.scopes![0]!.variables, [
        { name: 'user', value: '{name:diako age:23}', type: 'string' },
        { name: 'user2', value: '{0 fields}', type: 'object' },
      ]);
    });

    it("Log4j2-style: source object, thread, logger, and thrown frames as the exception's stack", async () => {
      const { events, result } = await importToMemory('log', [log('05-humanlog-log4j2-json-PARTIAL.log')]);
      assert.equal(events.length, 300);
      assert.equal(result.threads, 31);
      const first = events[0]!;
      assert.equal(first.thread, 'scheduled-task-3');
      assert.equal(
        where(first),
        'org.example.security.AuthenticationManager.processAuthenticationManager AuthenticationManager.java:314',
      );
      assert.equal(first.log!.logger, 'org.example.security.AuthenticationManager');
      const record = first.stack[0]!.scopes![0]!;
      assert.deepEqual(
        record.variables[1]!.children!.map((v) => `${v.name}=${v.value}`),
        ['requestId=REQ-3c35eb5e2a2ebe5d', 'sessionId=SESS-4f50ee695cfd8686', 'status=SUCCESS'],
      );
      const failure = events[1]!;
      assert.deepEqual(
        [failure.kind, failure.thread, failure.exception, failure.log!.level, failure.stack.length],
        [
          'exception',
          'async-executor-2',
          { type: 'java.lang.RuntimeException', message: 'Unexpected error occurred' },
          'error',
          2,
        ],
      );
      assert.equal(where(failure, 1), 'org.example.core.RequestProcessor.process RequestProcessor.java:276');
      assert.equal(events.filter((e) => e.kind === 'exception').length, 36);
    });

    it('Serilog compact: @t/@l/@m, @x with its type put back, the template among the variables', async () => {
      const { events } = await importToMemory('log', [log('06-humanlog-serilog-compact-PARTIAL.json')]);
      assert.equal(events.length, 500);
      assert.deepEqual(events[0]!.log, {
        level: 'warn',
        message: 'High resource usage detected: CPU 98.40%, Memory 67.12%',
      });
      assert.equal(
        scope(events[0]!, 'Record')['@mt'],
        'High resource usage detected: CPU {CpuUsage}%, Memory {MemoryUsage}%',
      );
      const e = events[1]!;
      assert.deepEqual(
        [e.kind, e.exception, where(e), where(e, 1)],
        [
          'exception',
          { type: 'System.InvalidOperationException', message: 'Operation failed due to invalid state' },
          'MyApp.Controllers.UserController.ProcessRequest UserController.cs:42',
          'MyApp.Middleware.ErrorHandler.InvokeAsync ErrorHandler.cs:25',
        ],
      );
      // @l left out means Information.
      assert.ok(events.some((x) => x.log!.level === 'info'));
    });

    it('zap with a stacktrace field: the stack of the record', async () => {
      const { events } = await importToMemory('log', [log('07-humanlog-zap-stacktrace-PARTIAL.log')]);
      assert.equal(events.length, 600);
      assert.equal(where(events[0]!), 'null zap/main.go:84');
      assert.deepEqual(
        [events[1]!.log!.level, where(events[1]!), where(events[1]!, 1)],
        [
          'error',
          'main.main /Users/kev/go/src/loggen/loggers/go/zap/main.go:92',
          'runtime.main /usr/local/go/src/runtime/proc.go:272',
        ],
      );
    });

    it('capitalised keys (File, Line, Function, Thread, Level {Name})', async () => {
      const { events, result } = await importToMemory('log', [log('08-humanlog-loguru-json-PARTIAL.log')]);
      assert.equal(events.length, 400);
      assert.equal(result.threads, 10);
      assert.deepEqual(
        [events[0]!.thread, events[0]!.log!.level, where(events[0]!)],
        ['Thread-6', 'debug', 'function_10 app_2.py:366'],
      );
      assert.equal(scope(events[0]!, 'Record').Extra, '{2 fields}');
    });

    it('Bunyan: numeric levels, src {file, line, func}, name as the logger', async () => {
      const { events } = await importToMemory('log', [log('09-lnav-bunyan-src.log')]);
      assert.equal(events.length, 10);
      assert.deepEqual(
        [events[0]!.log!.level, events[0]!.log!.logger, where(events[0]!)],
        ['debug', 'renovate', 'renovate null:null'],
      );
      assert.deepEqual(
        [events[2]!.log!.message, where(events[2]!)],
        ['Found 3 package file(s)', 'Wuzzle.woos /Users/trentm/tm/node-bunyan/examples/src.js:20'],
      );
      assert.equal(events[3]!.log!.level, 'info');
    });

    it('ECS (Python ecs-logging): log.origin as the location, process.thread.name as the thread', async () => {
      const { events } = await importToMemory('log', [log('10-lnav-ecs-python.json')]);
      assert.deepEqual(
        events.map((e) => [e.t, e.thread, e.log!.level, where(e)]),
        [
          [0, 'MainThread', 'debug', 'main es_logger.py:42'],
          [1, 'MainThread', 'info', 'main es_logger.py:43'],
          [2, 'MainThread', 'warn', 'main es_logger.py:44'],
          [3, 'MainThread', 'error', 'main es_logger.py:45'],
          [3, 'MainThread', 'fatal', 'main es_logger.py:46'],
        ],
      );
    });
    it('logfmt (logrus text): time, level, msg, the other pairs as variables', async () => {
      const { header, events } = await importToMemory('log', [log('14-golang-logger-logrus-text.log')]);
      assert.deepEqual(header.clock, { unit: 'ms', origin: '2021-10-04T15:50:59.000Z' });
      assert.deepEqual(
        events.map((e) => [e.t, e.log, where(e)]),
        [[0, { level: 'info', message: 'A group of walrus emerges from the ocean' }, 'null null:null']],
      );
      assert.deepEqual(scope(events[0]!, 'Record'), { animal: 'walrus', size: '10' });
    });
  });

  it('maps the fields of formats without a real fixture here (Python logging, Serilog callers, Log4j2, pino)', async () => {
    // Record shapes as the libraries document them: python-json-logger, Serilog.Enrichers.CallerInfo,
    // Log4j2 JsonLayout with locationInfo, pino-caller.
    const file = tempFile(
      'shapes.log',
      [
        '{"asctime": "2024-05-01 10:00:00,250", "levelname": "WARNING", "name": "orders", "pathname": "/srv/app/orders.py", "lineno": 88, "funcName": "place", "threadName": "worker-1", "message": "low stock", "sku": "A-1"}',
        '{"@t":"2024-05-01T10:00:01.0000000Z","@mt":"Saved {Id}","Id":7,"CallerFilePath":"C:\\\\src\\\\Repo.cs","CallerLineNumber":31,"CallerMemberName":"Save","ThreadId":12}',
        '{"instant":{"epochSecond":1714557602,"nanoOfSecond":500000000},"thread":"main","level":"ERROR","loggerName":"com.acme.Jobs","message":"job failed","source":{"class":"com.acme.Jobs","method":"run","file":"Jobs.java","line":120}}',
        '{"level":30,"time":1714557603000,"pid":9,"caller":"Object.<anonymous> (/app/server.js:14:9)","msg":"listening"}',
      ].join('\n'),
    );
    const { header, events } = await importToMemory('log', [file]);
    assert.equal(header.clock.origin, '2024-05-01T10:00:00.250Z');
    assert.deepEqual(
      events.map((e) => [
        e.t,
        e.thread,
        e.log!.level,
        e.log!.logger ?? null,
        where(e),
        e.stack[0]!.column ?? null,
      ]),
      [
        [0, 'worker-1', 'warn', 'orders', 'place /srv/app/orders.py:88', null],
        [750, '12', 'info', null, 'Save C:\\src\\Repo.cs:31', null],
        [2250, 'main', 'error', 'com.acme.Jobs', 'com.acme.Jobs.run Jobs.java:120', null],
        [2750, 'log', 'info', null, 'Object.<anonymous> /app/server.js:14', 9],
      ],
    );
    assert.deepEqual(scope(events[0]!, 'Record'), { sku: 'A-1' });
    assert.deepEqual(scope(events[1]!, 'Record'), { Id: '7' });
  });

  describe('text lines', () => {
    it('glog: level letter, thread id column, file.cc:line], microsecond times', async () => {
      const { events } = await importToMemory('log', [log('11-lnav-glog.log')]);
      assert.equal(events.length, 7);
      assert.deepEqual(
        [events[0]!.thread, events[0]!.log, where(events[0]!)],
        [
          '1952452992',
          { level: 'error', message: 'Log every 3, iteration 19' },
          'null logging_unittest.cc:253',
        ],
      );
      assert.deepEqual([events[3]!.log!.level, where(events[3]!)], ['warn', 'null logging_unittest.cc:263']);
      assert.equal(Math.round(events[6]!.t * 1000), 144);
    });

    it('zap console: the Go stack under an error line becomes its stack', async () => {
      const { events } = await importToMemory('log', [log('12-lnav-zap-console.log')]);
      assert.equal(events.length, 3);
      assert.equal(where(events[0]!), 'null null:null');
      assert.ok(events[0]!.log!.message.startsWith('Metrics\t{"otelcol.component.id": "debug"'));
      const error = events[1]!;
      assert.deepEqual([error.t, error.log!.level, error.stack.length], [2, 'error', 3]);
      assert.equal(
        where(error),
        'go.opentelemetry.io/collector/exporter/exporterhelper/internal.NewQueueSender.func3 go.opentelemetry.io/collector/exporter@v0.120.0/exporterhelper/internal/queue_sender.go:128',
      );
      assert.equal(events[2]!.t, 402);
    });

    it('Windows caller paths and ANSI colours', async () => {
      const { events } = await importToMemory('log', [log('13-gotodolist-zap-console-windows-paths.log')]);
      assert.equal(events.length, 59);
      assert.deepEqual(
        [events[0]!.log!.level, where(events[0]!)],
        ['info', 'null C:/Users/sonwg/GolandProjects/GoToDoList/internal/initialize/Logger.go:53'],
      );
      assert.equal(where(events[58]!), 'null C:/Users/sonwg/GolandProjects/GoToDoList/cmd/app/main.go:16');
    });

    it('a user pattern finds what the built-in finder cannot, with the thread and level it captures', async () => {
      const file = tempFile(
        'custom.log',
        [
          '2024-03-01 10:00:00.000 <worker-3> WARN stock low (src/orders/service.ts line 42)',
          '2024-03-01 10:00:01.500 <worker-4> INFO placed (src/orders/api.ts line 7)',
        ].join('\n'),
      );
      const pattern = '<(?<thread>[\\w-]+)> (?<level>[A-Z]+) .*\\((?<file>[\\w./]+) line (?<line>\\d+)\\)';
      const { events, result } = await importToMemory('log', [file], { patterns: [pattern] });
      assert.deepEqual(result.warnings, []);
      assert.deepEqual(
        events.map((e) => [e.t, e.thread, e.log!.level, where(e)]),
        [
          [0, 'worker-3', 'warn', 'null src/orders/service.ts:42'],
          [1500, 'worker-4', 'info', 'null src/orders/api.ts:7'],
        ],
      );
    });

    it('a Java stack trace under a text record makes it an exception at the innermost cause', async () => {
      const file = tempFile(
        'app.log',
        [
          '2024-03-01 10:00:00,000 INFO  [main] c.a.Orders - start (Orders.java:10)',
          '2024-03-01 10:00:02,000 ERROR [http-1] c.a.Orders - failed (Orders.java:55)',
          'java.lang.IllegalStateException: outer',
          '\tat com.acme.Orders.place(Orders.java:55)',
          '\tat com.acme.Api.post(Api.java:20)',
          'Caused by: java.lang.NullPointerException: inner',
          '\tat com.acme.Stock.take(Stock.java:7)',
          '\t... 2 more',
          '2024-03-01 10:00:03,000 INFO  [main] c.a.Orders - done (Orders.java:60)',
        ].join('\n'),
      );
      const { events } = await importToMemory('log', [file]);
      assert.deepEqual(
        events.map((e) => [e.t, e.thread, e.kind, e.exception?.type ?? null, where(e)]),
        [
          [0, 'main', 'log', null, 'null Orders.java:10'],
          [2000, 'http-1', 'exception', 'java.lang.NullPointerException', 'com.acme.Stock.take Stock.java:7'],
          [3000, 'main', 'log', null, 'null Orders.java:60'],
        ],
      );
      // The cause's "... 2 more" frames come from the enclosing trace.
      assert.deepEqual(
        events[1]!.stack.map((f) => f.function),
        ['com.acme.Stock.take', 'com.acme.Orders.place', 'com.acme.Api.post'],
      );
      assert.equal(events[1]!.log!.message, 'failed (Orders.java:55)');
    });
  });

  describe('bad input', () => {
    it('a torn last JSON line is read as text, with a warning', async () => {
      const text = fs.readFileSync(log('01-im-backward-zap.log'), 'utf8');
      const file = tempFile('torn.log', text.slice(0, text.length - 60));
      const { events, result } = await importToMemory('log', [file]);
      assert.equal(events.length, 56);
      assert.deepEqual(messages(result), [
        'torn.log:56: not a complete JSON record (a torn or cut line?): read as text',
      ]);
      assert.equal(where(events[55]!), 'null config/config.go:47', 'the caller is still found in the text');
    });

    it('non-JSON lines among JSON records: a line with its own level starts a record, others continue one', async () => {
      const lines = fs.readFileSync(log('02-go-shop-zap-epoch.log'), 'utf8').trimEnd().split('\n');
      lines.splice(
        2,
        0,
        'some stderr noise',
        'panic: boom',
        '',
        'goroutine 1 [running]:',
        'main.main()',
        '\t/app/main.go:12 +0x20',
      );
      const file = tempFile('mixed.log', lines.join('\n') + '\n');
      const { events, result } = await importToMemory('log', [file]);
      assert.equal(events.length, 5);
      assert.deepEqual(result.warnings, []);
      assert.equal(events[1]!.log!.message, 'Failed to fetch URL: http://www.baidu.com\nsome stderr noise');
      assert.deepEqual(
        [events[2]!.kind, events[2]!.log!.level, events[2]!.exception, where(events[2]!)],
        ['exception', 'fatal', { type: 'panic', message: 'boom' }, 'main.main /app/main.go:12'],
      );
      assert.equal(where(events[3]!), 'null zap_test/main.go:20');
    });

    it('reads UTF-16LE and CRLF logs like UTF-8 ones', async () => {
      const source = fs.readFileSync(log('11-lnav-glog.log'), 'utf8');
      const utf16 = tempFile(
        'utf16.log',
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(source.replace(/\n/g, '\r\n'), 'utf16le')]),
      );
      const plain = await importToMemory('log', [log('11-lnav-glog.log')]);
      const wide = await importToMemory('log', [utf16]);
      assert.equal(wide.events.length, 7);
      assert.deepEqual(
        wide.events.map((e) => [e.t, e.thread, e.log, where(e)]),
        plain.events.map((e) => [e.t, e.thread, e.log, where(e)]),
      );
      assert.ok(!wide.events.some((e) => e.log!.message.includes('\r')));
    });

    it('a line over 256 KB is cut and said so; the records around it are read', async () => {
      const big = JSON.stringify({
        level: 'info',
        ts: 1700000000,
        caller: 'big/x.go:1',
        msg: 'x'.repeat(300000),
      });
      const ok = (n: number) =>
        JSON.stringify({ level: 'info', ts: 1700000000 + n, caller: `a/b.go:${n}`, msg: `m${n}` });
      const file = tempFile('huge.log', [ok(1), big, ok(2)].join('\n'));
      const { events, result } = await importToMemory('log', [file]);
      assert.equal(events.length, 3);
      assert.deepEqual(messages(result), [
        'huge.log:2: longer than 256 KB: the rest of the line was not read',
        'huge.log:2: not a complete JSON record (a torn or cut line?): read as text',
      ]);
      assert.deepEqual(
        [where(events[0]!), where(events[2]!), events[2]!.t],
        ['null a/b.go:1', 'null a/b.go:2', 1000],
      );
    });

    it('refuses a user pattern that would backtrack catastrophically, and imports with the built-in finder', async () => {
      const { events, result } = await importToMemory('log', [log('11-lnav-glog.log')], {
        patterns: ['(a+)+$', '(\\w+\\s?)*:(\\d+)', 'not a [regex'],
      });
      assert.equal(events.length, 7);
      assert.equal(where(events[0]!), 'null logging_unittest.cc:253');
      const w = messages(result);
      assert.equal(w.length, 3);
      assert.match(w[0]!, /^--pattern: \(a\+\)\+\$: refused: a repeated group contains a repetition/);
      assert.match(w[1]!, /refused: a repeated group contains a repetition/);
      assert.match(w[2]!, /not a valid regular expression/);
    });

    it('refuses every pattern recheck finds exponential, and accepts the plain ones', async function () {
      this.timeout(60000);
      const exponential = ['(a+)+$', '(\\w+\\s?)*:(\\d+)', '(a|aa)*(\\d+)', '^(\\s*\\w+)*:(\\d+)'];
      const polynomial = ['(.*)(.*):(\\d+)', '([^:]+:)+(\\d+)'];
      const plain = [
        '\\((?<file>[^()\\s]+) line (?<line>\\d+)\\)',
        '^(\\S+):(\\d+)',
        '^(?<file>.*?):(?<line>\\d+)',
      ];
      for (const p of exponential) {
        const r = await check(p, '', { timeout: 10000 });
        assert.equal(r.status === 'vulnerable' && r.complexity.type, 'exponential', p);
        assert.notEqual(checkPattern(p), null, p);
      }
      for (const p of polynomial) assert.notEqual(checkPattern(p), null, p);
      for (const p of plain) {
        assert.equal((await check(p, '', { timeout: 10000 })).status, 'safe', p);
        assert.equal(checkPattern(p), null, p);
      }
    });

    it('runs user patterns on the first 2048 characters of a line only', async () => {
      // `#` between file and line: only the pattern can find these.
      const file = tempFile('long.log', `${'x'.repeat(3000)} @@main.go#9@@\nshort @@main.go#3@@\n`);
      const { events } = await importToMemory('log', [file], {
        patterns: ['@@(?<file>\\w+\\.go)#(?<line>\\d+)@@'],
      });
      assert.deepEqual(
        events.map((e) => where(e)),
        ['null null:null', 'null main.go:3'],
      );
    });

    it('says so for a file without records, and for a binary file', async () => {
      const dir = tempDir();
      const empty = path.join(dir, 'empty.log');
      fs.writeFileSync(empty, '\n\n   \n');
      const { events, result } = await importToMemory('log', [empty, log('04-omega-logrus-caller.log')]);
      assert.equal(events.length, 3);
      assert.deepEqual(messages(result), ['empty.log: no log records found']);
      const binary = path.join(dir, 'core.bin');
      fs.writeFileSync(
        binary,
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      );
      await assert.rejects(importToMemory('log', [binary]), /core\.bin: an ELF binary or core file/);
    });
  });
});
