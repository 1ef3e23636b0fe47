// Go panics, fatal errors and goroutine dumps from the corpus, as a reader lists their frames.
// Conventions: each goroutine is one trace; after a `panic:` / `fatal error:` header the first goroutine is the
// crash (titled by the header, its span starting there) and the others are threads. `created by X` is the
// last frame of its goroutine, with the note 'created by'.

import * as assert from 'node:assert/strict';
import { assertWithin, expectTraces, parseCorpus, readCorpus } from './harness';

const NIL_DEREF = 'panic: runtime error: invalid memory address or nil pointer dereference';
const DEADLOCK = 'fatal error: all goroutines are asleep - deadlock!';

describe('corpus: go', () => {
  it('04 pinpoint: inlined (...) frames, function lines without file lines, a stray "23" line', () => {
    expectTraces('go/04-pinpoint-garbled-paste.txt', [
      {
        format: 'go',
        kind: 'crash',
        title: NIL_DEREF,
        type: 'panic',
        message:
          'runtime error: invalid memory address or nil pointer dereference\n' +
          '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0xad8fe2]',
        thread: { name: 'goroutine 6372', id: '6372', state: 'running' },
        span: [1, 11],
        frames: 4,
        first: ['container/list.(*List).remove', '/usr/local/go/src/container/list/list.go', 109],
        // The `23` line is a copy artefact: the file line after it still belongs to QueryContext.
        last: [
          'github.com/pinpoint-apm/pinpoint-go-agent.(*PinpointSqlStmt).QueryContext',
          '/go/pkg/mod/github.com/pinpoint-apm/pinpoint-go-agent@v0.5.1/sql_driver.go',
          218,
        ],
        at: {
          0: { args: '...', notes: ['inlined'], offset: null, module: null },
          1: { function: 'container/list.(*List).Remove', line: 141, notes: ['inlined'] },
          // Its file line was lost in the paste: still a frame, with no location.
          2: {
            function: 'github.com/pinpoint-apm/pinpoint-go-agent.(*span).EndSpanEvent',
            file: null,
            line: null,
            args: '0xc00019a3c0',
            docLine: 8,
          },
          3: { offset: '+0x178', module: null, docLine: 9 },
        },
      },
    ]);
  });

  it('05 ios: Go 1.7 explicit panic(...) runtime frame on top, created by', () => {
    expectTraces('go/05-heidihoward-ios-go17-panic-frame.txt', [
      {
        format: 'go',
        kind: 'crash',
        title: NIL_DEREF,
        type: 'panic',
        thread: { name: 'goroutine 19', id: '19', state: 'running' },
        span: [1, 14],
        frames: 5,
        first: ['panic', '/usr/local/go/src/runtime/panic.go', 500],
        last: ['main.main', '/home/ubuntu/go/src/github.com/heidi-ann/ios/server/server.go', 77],
        at: {
          0: { args: '0x5a6120, 0xc4200100a0', offset: '+0x1a1' },
          1: {
            function: 'github.com/heidi-ann/ios/app.(*StateMachine).Apply',
            args: '0xc4200143c0, 0x0, 0x1, 0x0, 0xc4200148a0, 0x11, 0x0, 0x0, 0x0, 0x0, ...',
          },
          4: { notes: ['created by'], offset: '+0xe4b', args: null, docLine: 13 },
        },
      },
    ]);
  });

  it('06 zkc: file lines indented with 8 spaces, closure frame', () => {
    expectTraces('go/06-zkc-eight-space-indent.txt', [
      {
        format: 'go',
        kind: 'crash',
        title: NIL_DEREF,
        thread: { name: 'goroutine 13', id: '13', state: 'running' },
        span: [1, 12],
        frames: 4,
        first: [
          'github.com/companyzero/zkc/sigma.(*SigmaKX).Write',
          '/home/dhill/.go/src/github.com/companyzero/zkc/sigma/sigma.go',
          315,
        ],
        last: [
          'main.(*ZKC).scheduler',
          '/home/dhill/.go/src/github.com/companyzero/zkc/zkclient/msg.go',
          116,
        ],
        at: {
          0: { offset: '+0x37' },
          2: { function: 'main.(*ZKC).scheduler.func4', line: 173 },
          3: { notes: ['created by'] },
        },
      },
    ]);
  });

  it('07 dockerize: deadlock dump after program output, Go 1.3 .goc/.c runtime files, goexit without offset', () => {
    expectTraces('go/07-dockerize-goroutine-dump-go13.txt', [
      {
        format: 'go',
        kind: 'crash',
        title: DEADLOCK,
        type: 'fatal error',
        message: 'all goroutines are asleep - deadlock!',
        thread: { name: 'goroutine 16', id: '16', state: 'semacquire' },
        span: [3, 11],
        frames: 3,
        first: ['sync.runtime_Semacquire', '/usr/local/go/src/pkg/runtime/sema.goc', 199],
        last: ['main.main', '/home/jwilder/go/src/github.com/jwilder/dockerize/dockerize.go', 93],
        at: {
          1: { function: 'sync.(*WaitGroup).Wait', args: '0x651980', offset: '+0x14b' },
          2: { args: '' },
        },
      },
      {
        format: 'go',
        kind: 'thread',
        title: 'goroutine 19 [finalizer wait]',
        type: null,
        thread: { name: 'goroutine 19', id: '19', state: 'finalizer wait' },
        span: [13, 21],
        frames: 4,
        first: ['runtime.park', '/usr/local/go/src/pkg/runtime/proc.c', 1369],
        last: ['runtime.goexit', '/usr/local/go/src/pkg/runtime/proc.c', 1445],
        at: { 2: { function: 'runfinq', file: '/usr/local/go/src/pkg/runtime/mgc0.c' }, 3: { offset: null } },
      },
    ]);
  });

  it('08 btlet: shell prompt and program output above, elided path kept as written', () => {
    expectTraces('go/08-btlet-deadlock-with-prompt-and-redacted-path.txt', [
      {
        format: 'go',
        kind: 'crash',
        title: DEADLOCK,
        thread: { name: 'goroutine 1', id: '1', state: 'chan receive' },
        span: [3, 7],
        frames: 1,
        first: ['main.main', '/.../.../example/btsniffer/btsniffer.go', 21],
        at: { 0: { offset: '+0x36d' } },
      },
    ]);
  });

  // PARTIAL and interleaved: two processes dumped at once. The first two goroutines are clean and asserted
  // exactly. Goroutine 6's `created by SIGQUIT: quitruntime.addtimerLocked` has the other process's
  // `SIGQUIT: quit` inside it and its file line is split over three lines: it is dropped, and the goroutine
  // ends at runtime.goexit. Nothing after it is a complete goroutine (the headers are torn apart and no
  // function line has its file line), so no trace comes from the tail.
  it('09 ginkgo: SIGQUIT after progress dots, Go 1.4 fp=/sp= suffixes, interleaved tail dropped', () => {
    expectTraces('go/09-ginkgo-interleaved-sigquit-PARTIAL.txt', [
      {
        format: 'go',
        kind: 'thread',
        title: 'goroutine 0 [idle]',
        thread: { name: 'goroutine 0', id: '0', state: 'idle' },
        span: [4, 12],
        frames: 4,
        first: [
          'runtime.mach_semaphore_timedwait',
          '/usr/local/Cellar/go/1.4/libexec/src/runtime/sys_darwin_amd64.s',
          422,
        ],
        last: ['runtime.mstart', '/usr/local/Cellar/go/1.4/libexec/src/runtime/proc.c', 818],
        at: {
          1: {
            function: 'semasleep',
            file: '/usr/local/Cellar/go/1.4/libexec/src/runtime/os_darwin.c',
            line: 428,
          },
          3: { offset: null },
        },
      },
      {
        format: 'go',
        kind: 'thread',
        title: 'goroutine 6 [syscall]',
        thread: { name: 'goroutine 6', id: '6', state: 'syscall' },
        span: [14, 20],
        frames: 3,
        first: ['runtime.notetsleepg', '/usr/local/Cellar/go/1.4/libexec/src/runtime/lock_sema.go', 266],
        last: ['runtime.goexit', '/usr/local/Cellar/go/1.4/libexec/src/runtime/asm_amd64.s', 2232],
        at: {
          0: { offset: '+0x8c', notes: ['fp=0xc208018768', 'sp=0xc208018728'], address: null },
          2: { offset: '+0x1', notes: ['fp=0xc2080187e8', 'sp=0xc2080187e0'] },
        },
      },
    ]);
  });

  // PARTIAL and corrupted at sub-line granularity. The one clean goroutine header (goroutine 0 [idle]) is
  // asserted exactly: the other process's `SIGQUIT: quit` right under it starts a new report, so it has no
  // frames. For the rest only sanity is asserted: nothing throws, and every frame returned has a real file
  // line (a path ending in .go/.s/.c and a line number), never a piece of the interleaved garbage.
  it('10 gotip: corrupted SIGQUIT dump — clean header exact, garbled tail only sane', () => {
    const rel = 'go/10-gotip-corrupted-sigquit-PARTIAL.txt';
    const traces = parseCorpus(rel);
    const lines = readCorpus(rel).toString('utf8').split('\n').length;
    assert.ok(traces.length >= 1);
    const first = traces[0]!;
    assert.equal(first.format, 'go');
    assert.equal(first.kind, 'thread');
    assert.equal(first.title, 'goroutine 0 [idle]');
    assert.deepEqual(first.thread, { name: 'goroutine 0', id: '0', state: 'idle' });
    assert.deepEqual(first.span, { start: 4, end: 4 });
    assert.equal(first.frames.length, 0);
    traces.forEach((t, i) => {
      assert.equal(t.format, 'go');
      assertWithin(t, lines, `trace ${i}`);
      for (const f of t.frames) {
        assert.match(f.file ?? '', /^\/[^\s,]*\.(?:go|s|c)$/, `trace ${i}: file of ${f.raw}`);
        assert.ok(f.line !== null && f.line > 0, `trace ${i}: line of ${f.raw}`);
        assert.match(f.function ?? '', /^[\w./*()]+$/, `trace ${i}: function of ${f.raw}`);
      }
    });
  });
});
