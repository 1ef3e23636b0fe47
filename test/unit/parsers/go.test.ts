// The Go parser on inline traces: panics (recovered, multi-line, test timeouts), fatal errors with a runtime
// stack, signal crashes, SIGQUIT dumps, Go 1.21+/1.23 headers, and traces inside logs, CRLF, cut or re-indented.

import * as assert from 'node:assert/strict';
import { parseText, type Trace } from '../../../src/core/trace';
import { goParser, parseGoFileLine, parseGoFunctionLine } from '../../../src/core/trace/parsers/go';
import { parserTriggered } from '../../../src/core/trace/scanner';
import { lines, triple } from './helpers';

function go(text: string, count: number): Trace[] {
  const traces = parseText(text);
  assert.equal(traces.length, count, `traces: ${traces.map((t) => `${t.format}:${t.title}`).join(' | ')}`);
  for (const t of traces) {
    for (const f of t.frames) {
      assert.ok(f.docLine >= t.span.start && f.docLine <= t.span.end, `${t.title}: ${f.raw} inside the span`);
    }
  }
  return traces;
}

const MODERN = lines(
  'fatal error: concurrent map writes',
  '',
  'goroutine 18 [running]:',
  'main.worker(0xc000012345, 0x1)',
  '\t/home/dev/app/main.go:14 +0x45',
  'created by main.main in goroutine 1',
  '\t/home/dev/app/main.go:22 +0x7e',
  '',
  'goroutine 1 [sleep]:',
  'time.Sleep(0x3b9aca00)',
  '\t/usr/local/go/src/runtime/time.go:195 +0x125',
  'main.main()',
  '\t/home/dev/app/main.go:25 +0x9c',
  'exit status 2',
);

const NIL_PANIC = lines(
  'panic: runtime error: invalid memory address or nil pointer dereference',
  '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x4a1b2c]',
  '',
  'goroutine 1 [running]:',
  'github.com/acme/orders/store.(*Repo).Find(0x0, {0xc00001c0a0, 0x5})',
  '\t/home/ci/orders/store/repo.go:57 +0x2c',
  'main.main()',
  '\t/home/ci/orders/cmd/orders/main.go:31 +0x85',
);

describe('go parser', () => {
  describe('crash reports', () => {
    it('fatal error with Go 1.21+ "created by … in goroutine N"; later goroutines are threads', () => {
      const [crash, other] = go(MODERN, 2);
      assert.equal(crash!.format, 'go');
      assert.equal(crash!.kind, 'crash');
      assert.equal(crash!.title, 'fatal error: concurrent map writes');
      assert.equal(crash!.type, 'fatal error');
      assert.equal(crash!.message, 'concurrent map writes');
      assert.deepEqual(crash!.span, { start: 1, end: 7 });
      assert.deepEqual(crash!.thread, { name: 'goroutine 18', id: '18', state: 'running' });
      assert.deepEqual(crash!.frames.map(triple), [
        ['main.worker', '/home/dev/app/main.go', 14],
        ['main.main', '/home/dev/app/main.go', 22],
      ]);
      const created = crash!.frames[1]!;
      assert.deepEqual(created.notes, ['created by', 'in goroutine 1']);
      assert.equal(created.offset, '+0x7e');
      assert.equal(created.args, null);
      assert.equal(other!.kind, 'thread');
      assert.equal(other!.title, 'goroutine 1 [sleep]');
      assert.equal(other!.type, null);
      assert.deepEqual(other!.thread, { name: 'goroutine 1', id: '1', state: 'sleep' });
      // `exit status 2` is the shell's, not the trace's.
      assert.deepEqual(other!.span, { start: 9, end: 13 });
      assert.deepEqual(triple(other!.frames[1]), ['main.main', '/home/dev/app/main.go', 25]);
    });

    it('panic with its [signal …] line: title is the panic line, the signal line continues the message', () => {
      const [t] = go(NIL_PANIC, 1);
      assert.equal(t!.kind, 'crash');
      assert.equal(t!.title, 'panic: runtime error: invalid memory address or nil pointer dereference');
      assert.equal(t!.type, 'panic');
      assert.equal(
        t!.message,
        'runtime error: invalid memory address or nil pointer dereference\n' +
          '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x4a1b2c]',
      );
      assert.deepEqual(t!.span, { start: 1, end: 8 });
      const f = t!.frames[0]!;
      assert.equal(f.function, 'github.com/acme/orders/store.(*Repo).Find');
      assert.equal(f.args, '0x0, {0xc00001c0a0, 0x5}');
      assert.equal(f.offset, '+0x2c');
      assert.equal(f.module, null);
      assert.equal(f.docLine, 5);
      assert.equal(
        f.raw,
        'github.com/acme/orders/store.(*Repo).Find(0x0, {0xc00001c0a0, 0x5})\n\t/home/ci/orders/store/repo.go:57 +0x2c',
      );
    });

    it('panic … [recovered] with the re-panic under it, from a go test run', () => {
      const text = lines(
        '--- FAIL: TestParse (0.00s)',
        'panic: runtime error: index out of range [5] with length 3 [recovered]',
        '\tpanic: runtime error: index out of range [5] with length 3',
        '',
        'goroutine 7 [running]:',
        'testing.tRunner.func1.2({0x5f2a40, 0xc0000182e8})',
        '\t/usr/local/go/src/testing/testing.go:1545 +0x238',
        'testing.tRunner.func1()',
        '\t/usr/local/go/src/testing/testing.go:1548 +0x397',
        'panic({0x5f2a40?, 0xc0000182e8?})',
        '\t/usr/local/go/src/runtime/panic.go:914 +0x21f',
        'example.com/parser.Parse(...)',
        '\t/home/dev/parser/parse.go:42',
        'example.com/parser.TestParse(0x0?)',
        '\t/home/dev/parser/parse_test.go:9 +0x1d',
        'testing.tRunner(0xc0000a6b60, 0x6295c8)',
        '\t/usr/local/go/src/testing/testing.go:1595 +0xff',
        'created by testing.(*T).Run in goroutine 1',
        '\t/usr/local/go/src/testing/testing.go:1648 +0x3ad',
        'FAIL\texample.com/parser\t0.005s',
      );
      const [t] = go(text, 1);
      assert.equal(t!.title, 'panic: runtime error: index out of range [5] with length 3 [recovered]');
      assert.equal(
        t!.message,
        'runtime error: index out of range [5] with length 3 [recovered]\n' +
          'panic: runtime error: index out of range [5] with length 3',
      );
      assert.deepEqual(t!.span, { start: 2, end: 19 });
      assert.equal(t!.frames.length, 7);
      assert.deepEqual(triple(t!.frames[0]), [
        'testing.tRunner.func1.2',
        '/usr/local/go/src/testing/testing.go',
        1545,
      ]);
      assert.equal(t!.frames[2]!.function, 'panic');
      assert.equal(t!.frames[2]!.args, '{0x5f2a40?, 0xc0000182e8?}');
      const inlined = t!.frames[3]!;
      assert.deepEqual(triple(inlined), ['example.com/parser.Parse', '/home/dev/parser/parse.go', 42]);
      assert.deepEqual(inlined.notes, ['inlined']);
      assert.equal(inlined.offset, null);
      assert.deepEqual(triple(t!.frames[6]), [
        'testing.(*T).Run',
        '/usr/local/go/src/testing/testing.go',
        1648,
      ]);
    });

    it('a panic message spanning lines (test timeout) and a [state, N minutes] goroutine', () => {
      const text = lines(
        'panic: test timed out after 10m0s',
        '\trunning tests:',
        '\t\tTestSlow (10m0s)',
        '',
        'goroutine 33 [running]:',
        'testing.(*M).startAlarm.func1()',
        '\t/usr/local/go/src/testing/testing.go:2259 +0x3b9',
        'created by time.goFunc',
        '\t/usr/local/go/src/time/sleep.go:176 +0x2d',
        '',
        'goroutine 1 [chan receive, 9 minutes]:',
        'testing.(*T).Run(0xc000007860, {0x5a6e1b?, 0x4e5c53?}, 0x5b9a10)',
        '\t/usr/local/go/src/testing/testing.go:1649 +0x3c8',
      );
      const [crash, waiting] = go(text, 2);
      assert.equal(crash!.title, 'panic: test timed out after 10m0s');
      assert.equal(crash!.message, 'test timed out after 10m0s\nrunning tests:\nTestSlow (10m0s)');
      assert.deepEqual(crash!.span, { start: 1, end: 9 });
      assert.equal(crash!.frames.length, 2);
      assert.deepEqual(crash!.frames[1]!.notes, ['created by']);
      // The title keeps what the runtime wrote; the state is what comes before the wait time.
      assert.equal(waiting!.title, 'goroutine 1 [chan receive, 9 minutes]');
      assert.deepEqual(waiting!.thread, { name: 'goroutine 1', id: '1', state: 'chan receive' });
    });

    it('fatal error with a runtime stack: the system stack is the innermost part of the crashing goroutine', () => {
      const text = lines(
        'fatal error: unexpected signal during runtime execution',
        '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x7f2b0c4d5e6f]',
        '',
        'runtime stack:',
        'runtime.throw({0x4c1a5a?, 0x0?})',
        '\t/usr/local/go/src/runtime/panic.go:1077 +0x5c fp=0x7ffc8d9a8f40 sp=0x7ffc8d9a8f10 pc=0x435d7c',
        'runtime.sigpanic()',
        '\t/usr/local/go/src/runtime/signal_unix.go:875 +0x285 fp=0x7ffc8d9a8fa0 sp=0x7ffc8d9a8f40 pc=0x44c4a5',
        '',
        'goroutine 1 [syscall]:',
        'runtime.cgocall(0x48e0f0, 0xc000066f40)',
        '\t/usr/local/go/src/runtime/cgocall.go:157 +0x4b fp=0xc000066f18 sp=0xc000066ee0 pc=0x40546b',
        'main._Cfunc_boom()',
        '\t_cgo_gotypes.go:43 +0x45 fp=0xc000066f40 sp=0xc000066f18 pc=0x48e025',
        'main.main()',
        '\t/src/app/main.go:12 +0x17 fp=0xc000066f50 sp=0xc000066f40 pc=0x48e077',
        '',
        'goroutine 2 [force gc (idle)]:',
        'runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)',
        '\t/usr/local/go/src/runtime/proc.go:398 +0xce fp=0xc000044fa8 sp=0xc000044f88 pc=0x4382ae',
      );
      const [crash, gc] = go(text, 2);
      assert.equal(crash!.kind, 'crash');
      assert.equal(crash!.title, 'fatal error: unexpected signal during runtime execution');
      assert.deepEqual(crash!.thread, { name: 'goroutine 1', id: '1', state: 'syscall' });
      assert.deepEqual(crash!.span, { start: 1, end: 16 });
      assert.deepEqual(
        crash!.frames.map((f) => f.function),
        ['runtime.throw', 'runtime.sigpanic', 'runtime.cgocall', 'main._Cfunc_boom', 'main.main'],
      );
      const top = crash!.frames[0]!;
      assert.deepEqual(top.notes, ['runtime stack', 'fp=0x7ffc8d9a8f40', 'sp=0x7ffc8d9a8f10', 'pc=0x435d7c']);
      assert.equal(top.address, '0x435d7c');
      assert.deepEqual(crash!.frames[2]!.notes, ['fp=0xc000066f18', 'sp=0xc000066ee0', 'pc=0x40546b']);
      // A relative path (cgo's generated file) stays as written.
      assert.deepEqual(triple(crash!.frames[3]), ['main._Cfunc_boom', '_cgo_gotypes.go', 43]);
      assert.equal(gc!.kind, 'thread');
      assert.equal(gc!.thread?.state, 'force gc (idle)');
    });

    it('a signal crash (SIGSEGV in cgo): PC line and cgo note in the message, register dump taken', () => {
      const text = lines(
        'SIGSEGV: segmentation violation',
        'PC=0x7f3a1c2b1a2f m=0 sigcode=1 addr=0x0',
        'signal arrived during cgo execution',
        '',
        'goroutine 1 [syscall, locked to thread]:',
        'runtime.cgocall(0x4a1f50, 0xc000059f38)',
        '\t/usr/local/go/src/runtime/cgocall.go:157 +0x4b fp=0xc000059f10 sp=0xc000059ed8 pc=0x40555c',
        'main.main()',
        '\t/home/dev/cgocrash/main.go:10 +0x17 fp=0xc000059f50 sp=0xc000059f38 pc=0x4a1eb7',
        '',
        'rax    0x0',
        'rbx    0xc000059f38',
        'rip    0x7f3a1c2b1a2f',
        'Segmentation fault (core dumped)',
      );
      const [t] = go(text, 1);
      assert.equal(t!.kind, 'crash');
      assert.equal(t!.title, 'SIGSEGV: segmentation violation');
      assert.equal(t!.type, 'SIGSEGV');
      assert.equal(
        t!.message,
        'segmentation violation\nPC=0x7f3a1c2b1a2f m=0 sigcode=1 addr=0x0\nsignal arrived during cgo execution',
      );
      assert.deepEqual(t!.thread, { name: 'goroutine 1', id: '1', state: 'syscall' });
      assert.deepEqual(t!.span, { start: 1, end: 9 });
      assert.deepEqual(triple(t!.frames[1]), ['main.main', '/home/dev/cgocrash/main.go', 10]);
    });

    it('generics, Windows paths with spaces, <autogenerated> wrappers', () => {
      const text = lines(
        'panic: boom',
        '',
        'goroutine 1 [running]:',
        'main.Map[...]({0xc000012345, 0x3, 0x3}, 0x4b2f10)',
        '\tC:/Users/John Smith/go/src/app/generic.go:9 +0x5d',
        'main.(*Stack[...]).Push(...)',
        '\tC:/Users/John Smith/go/src/app/stack.go:14',
        'main.(*T).String(0x0?)',
        '\t<autogenerated>:1 +0x25',
        'main.main()',
        '\tC:/Users/John Smith/go/src/app/main.go:20 +0x57',
        'exit status 2',
      );
      const [t] = go(text, 1);
      assert.deepEqual(t!.frames.map(triple), [
        ['main.Map[...]', 'C:/Users/John Smith/go/src/app/generic.go', 9],
        ['main.(*Stack[...]).Push', 'C:/Users/John Smith/go/src/app/stack.go', 14],
        ['main.(*T).String', '<autogenerated>', 1],
        ['main.main', 'C:/Users/John Smith/go/src/app/main.go', 20],
      ]);
      assert.deepEqual(t!.span, { start: 1, end: 11 });
    });

    it('a lone panic line is a crash without frames; a lone "fatal error:" or SIGTERM line is not a trace', () => {
      const [t] = go('starting\npanic: open /etc/app.yaml: no such file or directory\nexit status 2', 1);
      assert.equal(t!.title, 'panic: open /etc/app.yaml: no such file or directory');
      assert.equal(t!.frames.length, 0);
      assert.deepEqual(t!.span, { start: 2, end: 2 });
      go(
        'fatal error: something went wrong\nSIGTERM: shutting down now\n    main_test.go:12: want 1, got 2',
        0,
      );
    });

    it('two reports in one log are two crashes', () => {
      const traces = go(`${NIL_PANIC}\nrestarting\n${NIL_PANIC}`, 2);
      assert.deepEqual(
        traces.map((t) => [t.kind, t.span.start, t.span.end]),
        [
          ['crash', 1, 8],
          ['crash', 10, 17],
        ],
      );
    });
  });

  describe('dumps', () => {
    it('SIGQUIT: every goroutine a thread; fp/sp/pc suffixes; elided frames; registers', () => {
      const text = lines(
        '^\\SIGQUIT: quit',
        'PC=0x46e8a1 m=0 sigcode=128',
        '',
        'goroutine 0 [idle]:',
        'runtime.futex()',
        '\t/usr/local/go/src/runtime/sys_linux_amd64.s:557 +0x21 fp=0x7ffd5c0b1e08 sp=0x7ffd5c0b1e00 pc=0x46e8a1',
        'runtime.futexsleep(0x0?, 0x0?, 0x0?)',
        '\t/usr/local/go/src/runtime/os_linux.go:69 +0x30 fp=0x7ffd5c0b1e58 sp=0x7ffd5c0b1e08 pc=0x4339f0',
        '',
        'goroutine 1 [select (no cases), 2 minutes, locked to thread]:',
        'main.main()',
        '\t/srv/app/main.go:40 +0x25',
        '',
        'goroutine 5 [IO wait]:',
        'main.recurse(0x3e8)',
        '\t/srv/app/deep.go:7 +0x19',
        '...12 frames elided...',
        'main.recurse(0x1)',
        '\t/srv/app/deep.go:7 +0x19',
        '...additional frames elided...',
        '',
        'goroutine 9 [running]:',
        '\tgoroutine running on other thread; stack unavailable',
        '',
        'rax    0xca',
        'rip    0x46e8a1',
      );
      const traces = go(text, 4);
      assert.ok(traces.every((t) => t.kind === 'thread' && t.format === 'go'));
      const [idle, main, deep, other] = traces;
      assert.deepEqual(idle!.span, { start: 4, end: 8 });
      const futex = idle!.frames[0]!;
      assert.deepEqual(triple(futex), ['runtime.futex', '/usr/local/go/src/runtime/sys_linux_amd64.s', 557]);
      assert.equal(futex.address, '0x46e8a1');
      assert.equal(futex.offset, '+0x21');
      assert.deepEqual(futex.notes, ['fp=0x7ffd5c0b1e08', 'sp=0x7ffd5c0b1e00', 'pc=0x46e8a1']);
      assert.equal(main!.title, 'goroutine 1 [select (no cases), 2 minutes, locked to thread]');
      assert.deepEqual(main!.thread, { name: 'goroutine 1', id: '1', state: 'select (no cases)' });
      assert.equal(deep!.frames.length, 2);
      assert.equal(deep!.omittedFrames, 12);
      assert.deepEqual(deep!.span, { start: 14, end: 20 });
      assert.equal(other!.frames.length, 0);
      assert.deepEqual(other!.span, { start: 22, end: 23 });
    });

    it('a plain goroutine dump (debug.Stack / pprof ?debug=2) and the Go 1.23 gp=/m=/mp= header', () => {
      const text = lines(
        'goroutine 1 gp=0xc0000061c0 m=0 mp=0x5467a0 [running]:',
        'main.main()',
        '\t/tmp/x/main.go:9 +0x1d',
        '',
        'goroutine 2 gp=0xc000006700 m=nil [force gc (idle)]:',
        'runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)',
        '\t/usr/local/go/src/runtime/proc.go:402 +0xce',
      );
      const [a, b] = go(text, 2);
      assert.equal(a!.kind, 'thread');
      assert.equal(a!.title, 'goroutine 1 [running]');
      assert.deepEqual(a!.thread, { name: 'goroutine 1', id: '1', state: 'running' });
      assert.equal(b!.title, 'goroutine 2 [force gc (idle)]');
    });

    it('frames pasted without their goroutine header are still read', () => {
      const text = lines(
        'Here is the stack I got:',
        'github.com/acme/svc/store.(*DB).Get(0xc0001a2000, {0xc00001c0a0, 0x5})',
        '\t/go/src/github.com/acme/svc/store/db.go:88 +0x1f4',
        'github.com/acme/svc/api.handleGet({0x7a1c20, 0xc0002a0000}, 0xc0002b4000)',
        '\t/go/src/github.com/acme/svc/api/get.go:31 +0x9a',
        'net/http.HandlerFunc.ServeHTTP(0x0?, {0x7a1c20?, 0xc0002a0000?}, 0x0?)',
        '\t/usr/local/go/src/net/http/server.go:2136 +0x29',
        'Any idea?',
      );
      const [t] = go(text, 1);
      assert.equal(t!.kind, 'thread');
      assert.deepEqual(t!.thread, { name: null, id: null, state: null });
      assert.deepEqual(t!.span, { start: 2, end: 7 });
      assert.equal(t!.frames.length, 3);
      assert.deepEqual(triple(t!.frames[0]), [
        'github.com/acme/svc/store.(*DB).Get',
        '/go/src/github.com/acme/svc/store/db.go',
        88,
      ]);
      assert.deepEqual(triple(t!.frames[2]), [
        'net/http.HandlerFunc.ServeHTTP',
        '/usr/local/go/src/net/http/server.go',
        2136,
      ]);
    });
  });

  describe('in documents', () => {
    it('picks Go and Java traces out of one log', () => {
      const text = lines(
        '2024-03-01 12:00:00,123 INFO  [main] Starting service',
        '2024-03-01 12:00:01,456 ERROR [worker-1] Job failed',
        'java.lang.IllegalStateException: bad state',
        '\tat com.acme.Job.run(Job.java:42)',
        '\tat java.base/java.lang.Thread.run(Thread.java:833)',
        '2024-03-01 12:00:02,000 INFO  [main] Calling sidecar',
        'panic: sidecar: connection refused',
        '',
        'goroutine 1 [running]:',
        'main.main()',
        '\t/app/sidecar/main.go:17 +0x1d9',
        'exit status 2',
        '2024-03-01 12:00:03,000 ERROR [main] Sidecar exited',
        'java.io.IOException: pipe closed',
        '\tat com.acme.Sidecar.read(Sidecar.java:7)',
        '2024-03-01 12:00:04,000 INFO  [main] Done',
      );
      const traces = parseText(text);
      assert.deepEqual(
        traces.map((t) => [t.format, t.kind, t.title, t.span.start, t.span.end]),
        [
          ['java', 'exception', 'java.lang.IllegalStateException: bad state', 3, 5],
          ['go', 'crash', 'panic: sidecar: connection refused', 7, 11],
          ['java', 'exception', 'java.io.IOException: pipe closed', 14, 15],
        ],
      );
      assert.deepEqual(triple(traces[1]!.frames[0]), ['main.main', '/app/sidecar/main.go', 17]);
    });

    it('reads a panic from a container log, every line behind a CRI prefix', () => {
      const p = '2024-03-01T12:00:00.123456789Z stderr F ';
      const text = [
        'panic: assignment to entry in nil map',
        '',
        'goroutine 42 [running]:',
        'main.(*Cache).Put(...)',
        '\t/app/cache.go:18',
        'main.handler({0x9a3c48, 0xc0003a8000}, 0xc0003b2000)',
        '\t/app/main.go:55 +0x1b4',
      ]
        .map((l) => p + l)
        .join('\n');
      const [t] = go(text, 1);
      assert.equal(t!.title, 'panic: assignment to entry in nil map');
      assert.equal(t!.timestamp, '2024-03-01T12:00:00.123456789Z');
      assert.deepEqual(t!.frames.map(triple), [
        ['main.(*Cache).Put', '/app/cache.go', 18],
        ['main.handler', '/app/main.go', 55],
      ]);
    });

    it('reads CRLF input like LF input', () => {
      const [t] = go(NIL_PANIC.replace(/\n/g, '\r\n') + '\r\n', 1);
      assert.deepEqual(t!.frames.map(triple), [
        ['github.com/acme/orders/store.(*Repo).Find', '/home/ci/orders/store/repo.go', 57],
        ['main.main', '/home/ci/orders/cmd/orders/main.go', 31],
      ]);
      assert.ok(!t!.message!.includes('\r'));
      assert.equal(t!.frames[1]!.offset, '+0x85');
    });

    it('keeps what is complete when the input is cut mid-line', () => {
      // Cut inside the last file line: the frame is kept, without a location.
      const cutFile = NIL_PANIC.slice(0, NIL_PANIC.indexOf('/cmd/orders'));
      const [a] = go(cutFile, 1);
      assert.equal(a!.frames.length, 2);
      assert.deepEqual(triple(a!.frames[1]), ['main.main', null, null]);
      // Cut inside a function line: that line is not a frame.
      const [b] = go(NIL_PANIC.slice(0, NIL_PANIC.indexOf('main.main') + 6), 1);
      assert.equal(b!.frames.length, 1);
      assert.deepEqual(b!.span, { start: 1, end: 6 });
      // Cut inside the goroutine header: the panic is still reported.
      const [c] = go(NIL_PANIC.slice(0, NIL_PANIC.indexOf('[running')), 1);
      assert.equal(c!.kind, 'crash');
      assert.equal(c!.frames.length, 0);
    });

    it('reads re-indented pastes (indented block, tabs turned into spaces, indentation lost)', () => {
      const expected = [
        ['github.com/acme/orders/store.(*Repo).Find', '/home/ci/orders/store/repo.go', 57],
        ['main.main', '/home/ci/orders/cmd/orders/main.go', 31],
      ];
      const variants = [
        NIL_PANIC.split('\n')
          .map((l) => (l ? `    ${l}` : l))
          .join('\n'),
        NIL_PANIC.replace(/\t/g, '    '),
        NIL_PANIC.replace(/\t/g, ''),
      ];
      for (const text of variants) {
        const [t] = go(text, 1);
        assert.equal(t!.title, 'panic: runtime error: invalid memory address or nil pointer dereference');
        assert.deepEqual(t!.frames.map(triple), expected);
        assert.deepEqual(t!.span, { start: 1, end: 8 });
      }
    });

    it('leaves ordinary lines alone', () => {
      go(
        lines(
          'ok  \texample.com/x\t0.01s',
          '    main_test.go:12: want 1, got 2',
          'worker(3) finished',
          'goroutine count: 12',
          'the panic: handler was called',
        ),
        0,
      );
    });

    it('stays fast on a 256 KB line', () => {
      const long = `\t/${'a/'.repeat(80000)}x.go:1${' fp=0x1'.repeat(5000)}`;
      const start = Date.now();
      parseText(`main.main()\n${long}\n${'('.repeat(200000)})\ngoroutine 1 [${'x'.repeat(250000)}`);
      assert.ok(Date.now() - start < 2000);
    });
  });

  describe('line parsers', () => {
    it('parses file lines with offsets and frame registers, and rejects garbage', () => {
      assert.deepEqual(parseGoFileLine('\t/x/main.go:12 +0x1d fp=0xc0 sp=0xb8 pc=0x4a1'), {
        file: '/x/main.go',
        line: 12,
        offset: '+0x1d',
        regs: ['fp=0xc0', 'sp=0xb8', 'pc=0x4a1'],
        pc: '0x4a1',
      });
      assert.equal(parseGoFileLine('        /usr/local/go/src/pkg/runtime/proc.c:1445')?.offset, null);
      assert.equal(parseGoFileLine('\t?:0')?.file, '?');
      for (const bad of [
        '\t/usr/local/Cellar/go/1.4/libexec/src/testing/testi',
        '/home/jake/sdk/gotip/src/runtime/proc.go:goroutine 20921 + [0x863syscall',
        '\t\t/home/a/main.go/usr/lib/go/src/os/wait_waitid.go::1231 + +0x650x98',
        'main_test.go:12: want 1',
        'at /home/x/main.go:12',
      ]) {
        assert.equal(parseGoFileLine(bad), null, bad);
      }
    });

    it('parses function lines and rejects garbage', () => {
      const f = parseGoFunctionLine('main.(*ZKC).scheduler.func4(0xc4201121c0, 0xc420013a58)', 3)!;
      assert.equal(f.function, 'main.(*ZKC).scheduler.func4');
      assert.equal(f.args, '0xc4201121c0, 0xc420013a58');
      assert.equal(f.docLine, 3);
      assert.equal(parseGoFunctionLine('runfinq()', 1)?.function, 'runfinq');
      for (const bad of [
        'PC=runtime.findrunnable0x489f38( m=0xc0000200000,  sigcode=0x0128)',
        'os.(*Process).wait(runtime.Gosched0xc00001a1e0(...)',
        'runtime.goschedImplsyscall.Syscall6((0xc0000010800xf7)',
        'testing.RunTests(0x5d7518, \t0x7482d0/usr/local/go/src/pkg/runtime/lock_sema.c, :0x1263)',
        'Started server(v1.2)',
        'main.(*T)',
      ]) {
        assert.equal(parseGoFunctionLine(bad, 1), null, bad);
      }
    });

    it('triggers only on Go headers and file lines', () => {
      for (const yes of [
        'goroutine 1 [running]:',
        'panic: boom',
        'fatal error: all goroutines are asleep - deadlock!',
        '•••^\\SIGQUIT: quit',
        '\t/x/main.go:1 +0x1',
      ]) {
        assert.ok(parserTriggered(goParser, yes), yes);
      }
      for (const no of [
        '\tat com.acme.Job.run(Job.java:42)',
        'main.main()',
        'the panic: x',
        'xSIGQUIT: quit',
      ]) {
        assert.ok(!parserTriggered(goParser, no), no);
      }
    });
  });
});
