// The V8 (`node`) and SpiderMonkey / JavaScriptCore (`gecko`) parsers on the variants the corpus does not cover.

import * as assert from 'node:assert/strict';
import { parseText, type Trace } from '../../../src/core/trace';
import { lines, triple } from './helpers';

function only(text: string): Trace {
  const traces = parseText(text);
  assert.equal(
    traces.length,
    1,
    `one trace (got ${traces.map((t) => `${t.format}:${t.title}`).join(' | ')})`,
  );
  return traces[0]!;
}

describe('node parser: V8 frames', () => {
  it('async, constructor, alias, <anonymous>, native, index, Windows, file:// and http(s) locations', () => {
    const t = only(
      lines(
        'TypeError: Failed to fetch',
        '    at new ApiClient (C:\\Users\\dev\\app\\src\\api.js:12:11)',
        '    at async Promise.all (index 0)',
        '    at async loadAll (file:///home/u/app/main.mjs:7:1)',
        '    at Array.forEach (<anonymous>)',
        '    at Array.map (native)',
        '    at Store.dispatch [as emit] (https://app.example.com:8443/static/js/main.4f3c2a.js:2:10452)',
        '    at C:\\app\\x.js:1:2',
        '    at async file:///home/u/app/boot.mjs:3:5',
      ),
    );
    assert.equal(t.format, 'node');
    assert.equal(t.kind, 'exception');
    assert.equal(t.title, 'TypeError: Failed to fetch');
    assert.deepEqual([t.span.start, t.span.end], [1, 9]);
    const f = t.frames;
    assert.equal(f.length, 8);
    assert.deepEqual(triple(f[0]), ['ApiClient', 'C:\\Users\\dev\\app\\src\\api.js', 12]);
    assert.deepEqual(f[0]!.notes, ['constructor']);
    assert.equal(f[0]!.column, 11);
    assert.deepEqual(triple(f[1]), ['Promise.all', null, null]);
    assert.deepEqual(f[1]!.notes, ['async', 'index 0']);
    assert.deepEqual(triple(f[2]), ['loadAll', 'file:///home/u/app/main.mjs', 7]);
    assert.deepEqual(f[2]!.notes, ['async']);
    assert.deepEqual(triple(f[3]), ['Array.forEach', null, null]);
    assert.deepEqual(f[3]!.notes, ['<anonymous>']);
    assert.deepEqual(f[4]!.notes, ['native']);
    assert.deepEqual(triple(f[5]), [
      'Store.dispatch',
      'https://app.example.com:8443/static/js/main.4f3c2a.js',
      2,
    ]);
    assert.deepEqual(f[5]!.notes, ['as emit']);
    assert.equal(f[5]!.column, 10452);
    assert.deepEqual(triple(f[6]), [null, 'C:\\app\\x.js', 1]);
    assert.equal(f[6]!.column, 2);
    assert.deepEqual(triple(f[7]), [null, 'file:///home/u/app/boot.mjs', 3]);
    assert.deepEqual(f[7]!.notes, ['async']);
    assert.equal(f[7]!.raw, 'at async file:///home/u/app/boot.mjs:3:5');
  });

  it('eval frames take the location the eval was called from', () => {
    const t = only(
      lines(
        'ReferenceError: x is not defined',
        '    at eval (eval at run (/app/sandbox.js:4:10), <anonymous>:1:1)',
        '    at Object.eval [as fn] (eval at compile (eval at run (/app/sandbox.js:9:3)), <anonymous>:2:7)',
        '    at run (/app/sandbox.js:4:10)',
      ),
    );
    assert.equal(t.frames.length, 3);
    const [a, b] = t.frames;
    assert.deepEqual(triple(a), ['eval', '/app/sandbox.js', 4]);
    assert.equal(a!.column, 10);
    assert.deepEqual(a!.notes, ['eval', 'eval code <anonymous>:1:1']);
    assert.deepEqual(triple(b), ['Object.eval', '/app/sandbox.js', 9]);
    assert.deepEqual(b!.notes, ['as fn', 'eval', 'eval code <anonymous>:2:7']);
  });

  it('webpack, webpack-internal, vite and wasm locations are kept as written; module only from node_modules', () => {
    const t = only(
      lines(
        'Error: boom',
        '    at render (webpack:///./src/app.ts:12:7)',
        '    at eval (webpack-internal:///./src/index.ts:5:3)',
        '    at commitRoot (http://localhost:5173/@fs/home/u/proj/node_modules/.vite/deps/react-dom.js?v=1a2b3c:1234:5)',
        '    at fib (wasm://wasm/4f2a9b3e:wasm-function[1]:0x5c)',
        '    at Layer.handle (/srv/app/node_modules/express/lib/router/layer.js:95:5)',
        '    at run (/srv/app/node_modules/a/node_modules/@acme/b/lib/x.js:3:1)',
        '    at Object.<anonymous> (/srv/app/node_modules.js:1:1)',
      ),
    );
    const f = t.frames;
    assert.equal(f.length, 7);
    assert.deepEqual(triple(f[0]), ['render', 'webpack:///./src/app.ts', 12]);
    assert.deepEqual(triple(f[1]), ['eval', 'webpack-internal:///./src/index.ts', 5]);
    assert.equal(
      f[2]!.file,
      'http://localhost:5173/@fs/home/u/proj/node_modules/.vite/deps/react-dom.js?v=1a2b3c',
    );
    assert.equal(f[2]!.module, null);
    assert.deepEqual(triple(f[3]), ['fib', 'wasm://wasm/4f2a9b3e', null]);
    assert.equal(f[3]!.offset, '0x5c');
    assert.deepEqual(f[3]!.notes, ['wasm-function[1]']);
    assert.equal(f[4]!.module, 'express');
    assert.equal(f[5]!.module, '@acme/b');
    assert.equal(f[6]!.module, null);
    assert.equal(f[0]!.module, null);
  });
});

describe('node parser: headers', () => {
  it('Chrome console: Uncaught (in promise)', () => {
    const t = only(
      lines(
        'Uncaught (in promise) TypeError: Cannot read properties of null (reading "id")',
        '    at UserCard.render (https://app.example.com/static/js/main.js:2:10452)',
        '    at async init (webpack-internal:///./src/index.ts:12:3)',
      ),
    );
    assert.equal(t.type, 'TypeError');
    assert.equal(t.title, 'TypeError: Cannot read properties of null (reading "id")');
    assert.deepEqual([t.span.start, t.span.end], [1, 3]);
  });

  it('Error [ERR_X] code, ESM preamble from node internals, property block after the stack', () => {
    const t = only(
      lines(
        '$ node server.mjs',
        'node:internal/modules/esm/resolve:853',
        '  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);',
        '        ^',
        '',
        "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express' imported from /app/server.mjs",
        '    at packageResolve (node:internal/modules/esm/resolve:853:9)',
        '    at moduleResolve (node:internal/modules/esm/resolve:910:20)',
        '    at ModuleLoader.resolve (node:internal/modules/esm/loader:365:25)',
        '    at link (node:internal/modules/esm/module_job:84:36) {',
        "  code: 'ERR_MODULE_NOT_FOUND'",
        '}',
        '',
        'Node.js v20.10.0',
      ),
    );
    assert.equal(t.type, 'Error [ERR_MODULE_NOT_FOUND]');
    assert.equal(t.message, "Cannot find package 'express' imported from /app/server.mjs");
    assert.equal(
      t.title,
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express' imported from /app/server.mjs",
    );
    assert.deepEqual([t.span.start, t.span.end], [2, 12]);
    assert.equal(t.frames.length, 4);
    assert.equal(
      t.frames[0]!.source,
      '  throw new ERR_MODULE_NOT_FOUND(packageName, fileURLToPath(base), null);',
    );
    assert.deepEqual(triple(t.frames[3]), ['link', 'node:internal/modules/esm/module_job', 84]);
    assert.equal(t.frames[3]!.column, 36);
  });

  it("multi-line message; Emitted 'error' event frames", () => {
    const t = only(
      lines(
        'node:events:497',
        "      throw er; // Unhandled 'error' event",
        '      ^',
        '',
        'Error: listen EADDRINUSE: address already in use :::3000',
        '    at Server.setupListenHandle [as _listen2] (node:net:1872:16)',
        '    at Object.<anonymous> (/app/server.js:10:8)',
        "Emitted 'error' event on Server instance at:",
        '    at emitErrorNT (node:net:1899:8)',
        '    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {',
        "  code: 'EADDRINUSE',",
        '  port: 3000',
        '}',
      ),
    );
    assert.equal(t.title, 'Error: listen EADDRINUSE: address already in use :::3000');
    assert.deepEqual([t.span.start, t.span.end], [1, 13]);
    assert.equal(t.frames.length, 4);
    assert.equal(t.frames[0]!.source, undefined);
    assert.deepEqual(t.frames[2]!.notes, ["emitted 'error' event on Server instance"]);
    assert.deepEqual(triple(t.frames[3]), [
      'process.processTicksAndRejections',
      'node:internal/process/task_queues',
      82,
    ]);

    const m = only(
      lines(
        'Error: Command failed: git status',
        'fatal: not a git repository (or any of the parent directories): .git',
        '',
        '    at ChildProcess.exithandler (node:child_process:422:12)',
        '    at ChildProcess.emit (node:events:517:28)',
      ),
    );
    assert.equal(m.type, 'Error');
    assert.equal(
      m.message,
      'Command failed: git status\nfatal: not a git repository (or any of the parent directories): .git',
    );
    assert.equal(m.title, 'Error: Command failed: git status');
    assert.deepEqual([m.span.start, m.span.end], [1, 5]);
  });

  it('Jest: code frame between the message and the frames is not part of the message', () => {
    const t = only(
      lines(
        '  ● Cart › adds an item',
        '',
        "    TypeError: Cannot read properties of undefined (reading 'push')",
        '',
        '      12 |   add(item) {',
        '    > 13 |     this.items.push(item);',
        '         |                ^',
        '      14 |   }',
        '',
        '      at Cart.push [as add] (src/cart.js:13:16)',
        '      at Object.<anonymous> (src/cart.test.js:8:10)',
      ),
    );
    assert.equal(t.message, "Cannot read properties of undefined (reading 'push')");
    assert.deepEqual([t.span.start, t.span.end], [3, 11]);
    assert.deepEqual(triple(t.frames[0]), ['Cart.push', 'src/cart.js', 13]);
  });

  it('[cause] chain printed by util.inspect, with "lines matching cause stack trace"', () => {
    const t = only(
      lines(
        'Error: could not load config',
        '    at loadConfig (/app/config.js:14:11)',
        '    ... 6 lines matching cause stack trace ...',
        '    at node:internal/main/run_main_module:23:47 {',
        "  [cause]: Error: ENOENT: no such file or directory, open '/etc/app.json'",
        '      at Object.openSync (node:fs:596:3)',
        '      at readFileSync (node:fs:464:35)',
        '      at loadConfig (/app/config.js:12:18) {',
        '    errno: -2,',
        "    code: 'ENOENT'",
        '  }',
        '}',
        'next log line',
      ),
    );
    assert.deepEqual([t.span.start, t.span.end], [1, 12]);
    assert.equal(t.frames.length, 2);
    assert.equal(t.omittedFrames, 6);
    assert.equal(t.causes.length, 1);
    const c = t.causes[0]!;
    assert.equal(c.relation, 'cause');
    assert.equal(c.title, "Error: ENOENT: no such file or directory, open '/etc/app.json'");
    assert.equal(c.frames.length, 3);
    assert.deepEqual(triple(c.frames[0]), ['Object.openSync', 'node:fs', 596]);
    assert.deepEqual(triple(c.frames[2]), ['loadConfig', '/app/config.js', 12]);
  });

  it('AggregateError: the [errors] become inner nodes', () => {
    const t = only(
      lines(
        'AggregateError: All promises were rejected',
        '    at Object.<anonymous> (/app/agg.js:1:7)',
        '    at Module._compile (node:internal/modules/cjs/loader:1256:14) {',
        '  [errors]: [',
        '    Error: a',
        '        at Object.<anonymous> (/app/agg.js:1:33)',
        '        at Module._compile (node:internal/modules/cjs/loader:1256:14),',
        '    TypeError: b',
        '        at Object.<anonymous> (/app/agg.js:1:50)',
        '  ]',
        '}',
      ),
    );
    assert.equal(t.type, 'AggregateError');
    assert.equal(t.frames.length, 2);
    assert.deepEqual([t.span.start, t.span.end], [1, 11]);
    assert.deepEqual(
      t.causes.map((c) => [c.relation, c.title, c.frames.length]),
      [
        ['inner', 'Error: a', 2],
        ['inner', 'TypeError: b', 1],
      ],
    );
    assert.deepEqual(triple(t.causes[0]!.frames[1]), [
      'Module._compile',
      'node:internal/modules/cjs/loader',
      1256,
    ]);
  });

  it('a stack without a header line is titled by its first frame', () => {
    const t = only(lines('', '    at foo (/app/a.js:1:2)', '    at bar (/app/b.js:3:4)'));
    assert.equal(t.type, null);
    assert.equal(t.title, 'at foo (/app/a.js:1:2)');
    assert.deepEqual([t.span.start, t.span.end], [2, 3]);
  });
});

describe('node parser: what is not a V8 frame', () => {
  it('leaves .NET, Mono, Java, Rust, gdb, valgrind and prose alone', () => {
    const texts = [
      lines(
        'System.InvalidOperationException: Sequence contains no elements',
        '   at System.Linq.ThrowHelper.ThrowNoElementsException()',
        '   at Acme.Orders.OrderService.GetFirst(Int32 id) in C:\\src\\Acme\\OrderService.cs:line 42',
      ),
      lines(
        'System.NullReferenceException: Object reference not set to an instance of an object',
        '  at Game.Player.Update () [0x0001c] in /Users/dev/Game/Assets/Player.cs:42',
        '  at (wrapper managed-to-native) System.Object.__icall_wrapper_mono_gc_alloc_obj (intptr,intptr)',
      ),
      lines(
        "thread 'main' panicked at src/main.rs:4:5:",
        'stack backtrace:',
        '   0: rust_begin_unwind',
        '             at /rustc/90c541806f23a127002de5b4038be731ba1458ca/library/std/src/panicking.rs:645:5',
      ),
      lines(
        '#1  0x00007ffff7a42801 in __GI_abort () at abort.c:79',
        '    at ../sysdeps/unix/sysv/linux/raise.c:50',
      ),
      lines('Invalid read of size 4', '   at 0x4C2FB0F: malloc (vg_replace_malloc.c:299)'),
      lines('We met at 10:30', '  at home:12:30 we ate', 'Contact: bob@example.com:25', 'user@host:~$ ls'),
      lines('Status: ok', '    Listening localhost:8080'),
      lines('Mail relay', 'bob@example.com:25', 'git@github.com:acme/app.git'),
    ];
    for (const text of texts) {
      const found = parseText(text).filter((t) => t.format === 'node' || t.format === 'gecko');
      assert.deepEqual(
        found.map((t) => t.title),
        [],
        text,
      );
    }
  });
});

describe('gecko parser', () => {
  it('Safari: global code, [native code], anonymous frames', () => {
    const t = only(
      lines(
        "TypeError: undefined is not an object (evaluating 'user.profile.name')",
        'render@https://app.example.com/static/js/main.js:2:10452',
        'forEach@[native code]',
        '@https://app.example.com/static/js/main.js:1:88',
        'global code@https://app.example.com/index.html:12:5',
      ),
    );
    assert.equal(t.format, 'gecko');
    assert.equal(t.kind, 'exception');
    assert.equal(t.type, 'TypeError');
    assert.deepEqual([t.span.start, t.span.end], [1, 5]);
    assert.equal(t.frames.length, 4);
    assert.deepEqual(triple(t.frames[0]), ['render', 'https://app.example.com/static/js/main.js', 2]);
    assert.equal(t.frames[0]!.column, 10452);
    assert.deepEqual(triple(t.frames[1]), ['forEach', null, null]);
    assert.deepEqual(t.frames[1]!.notes, ['native']);
    assert.deepEqual(triple(t.frames[2]), [null, 'https://app.example.com/static/js/main.js', 1]);
    assert.deepEqual(triple(t.frames[3]), ['global code', 'https://app.example.com/index.html', 12]);
  });

  it('Firefox: async causes, moz-extension URLs, eval chains, node_modules package', () => {
    const ext = 'moz-extension://0d2b3c4e-1111-2222-3333-444455556666';
    const t = only(
      lines(
        'Error: request failed',
        `fetchData@${ext}/background.js:20:11`,
        `async*loadAll@${ext}/background.js:31:22`,
        `promise callback*init@${ext}/background.js:40:3`,
        '@https://example.com/page.js line 2 > eval:1:5',
        'h@http://localhost:3000/node_modules/preact/dist/preact.mjs:1:200',
      ),
    );
    assert.equal(t.title, 'Error: request failed');
    assert.equal(t.frames.length, 5);
    assert.deepEqual(triple(t.frames[1]), ['loadAll', `${ext}/background.js`, 31]);
    assert.deepEqual(t.frames[1]!.notes, ['async']);
    assert.deepEqual(t.frames[2]!.notes, ['async', 'promise callback']);
    assert.equal(t.frames[2]!.function, 'init');
    assert.deepEqual(triple(t.frames[3]), [null, 'https://example.com/page.js line 2 > eval', 1]);
    assert.equal(t.frames[3]!.column, 5);
    assert.equal(t.frames[4]!.module, 'preact');
  });

  it('Firefox console copy: one row per frame with an (Async: …) separator', () => {
    const t = only(
      lines(
        'Uncaught (in promise) TypeError: NetworkError when attempting to fetch resource.',
        '    loadUser https://app.example.com/js/user.js:14',
        '    (Async: promise callback)',
        '    init https://app.example.com/js/main.js:3',
        '',
        'Some other console line',
      ),
    );
    assert.equal(t.format, 'gecko');
    assert.equal(t.title, 'TypeError: NetworkError when attempting to fetch resource.');
    assert.deepEqual([t.span.start, t.span.end], [1, 4]);
    assert.equal(t.frames.length, 2);
    assert.deepEqual(triple(t.frames[0]), ['loadUser', 'https://app.example.com/js/user.js', 14]);
    assert.deepEqual(t.frames[1]!.notes, ['async', 'promise callback']);
  });
});

describe('node / gecko parsers: documents', () => {
  it('picks the right parser for each trace in a mixed log', () => {
    const doc = lines(
      '2024-05-01 12:00:00,100 INFO  [main] Starting worker',
      '2024-05-01 12:00:01,200 ERROR [main] Unhandled rejection: TypeError: fetch failed',
      '    at Object.fetch (node:internal/deps/undici/undici:11730:11)',
      '    at async sync (/srv/worker/dist/sync.js:42:17)',
      '2024-05-01 12:00:02,300 ERROR [pool-1] Request failed',
      'java.lang.IllegalStateException: pool exhausted',
      '\tat com.acme.pool.Pool.borrow(Pool.java:88)',
      '\tat com.acme.api.Handler.handle(Handler.java:31)',
      '2024-05-01 12:00:03,400 WARN  [ui] client error',
      'Error: Script error',
      'onClick@https://app.example.com/js/app.js:10:5',
      'dispatch@https://app.example.com/js/app.js:2:100',
      '2024-05-01 12:00:04,500 INFO  [main] done',
    );
    const traces = parseText(doc);
    assert.deepEqual(
      traces.map((t) => [t.format, t.title, t.span.start, t.span.end, t.frames.length]),
      [
        ['node', 'TypeError: fetch failed', 2, 4, 2],
        ['java', 'java.lang.IllegalStateException: pool exhausted', 6, 8, 2],
        ['gecko', 'Error: Script error', 10, 12, 2],
      ],
    );
    assert.equal(traces[0]!.timestamp, '2024-05-01 12:00:01,200');
    assert.deepEqual(triple(traces[0]!.frames[1]), ['sync', '/srv/worker/dist/sync.js', 42]);
  });

  it('two stacks back to back are two traces', () => {
    const traces = parseText(
      lines(
        'TypeError: a is not a function',
        '    at f (/app/a.js:1:1)',
        'RangeError: Maximum call stack size exceeded',
        '    at g (/app/b.js:2:2)',
        '    at g (/app/b.js:2:2)',
      ),
    );
    assert.deepEqual(
      traces.map((t) => [t.type, t.span.start, t.span.end, t.frames.length]),
      [
        ['TypeError', 1, 2, 1],
        ['RangeError', 3, 5, 2],
      ],
    );
  });

  it('CRLF input', () => {
    const t = only(
      [
        "TypeError: Cannot read properties of undefined (reading 'x')",
        '    at run (C:\\app\\index.js:3:9)',
        '    at Module._compile (node:internal/modules/cjs/loader:1256:14)',
        '',
      ].join('\r\n'),
    );
    assert.equal(t.message, "Cannot read properties of undefined (reading 'x')");
    assert.deepEqual(triple(t.frames[0]), ['run', 'C:\\app\\index.js', 3]);
    assert.deepEqual(triple(t.frames[1]), ['Module._compile', 'node:internal/modules/cjs/loader', 1256]);
    assert.equal(t.frames[1]!.column, 14);

    const g = only(['Error: x', 'a@https://h/a.js:1:2', 'b@https://h/b.js:3:4', ''].join('\r\n'));
    assert.deepEqual(triple(g.frames[1]), ['b', 'https://h/b.js', 3]);
  });

  it('truncated input: a frame cut mid-line is dropped', () => {
    const t = only(
      lines(
        'Error: boom',
        '    at a (/app/a.js:1:2)',
        '    at Module._compile (node:internal/modules/cjs/lo',
      ),
    );
    assert.equal(t.frames.length, 1);
    assert.deepEqual([t.span.start, t.span.end], [1, 2]);

    const g = only(lines('Error: x', 'a@https://h/a.js:1:2', 'b@https://h/b.js:'));
    assert.equal(g.frames.length, 1);
  });

  it('re-indented input: tabs, two spaces or no indentation', () => {
    const t = only(
      lines(
        'TypeError: x is not a function',
        'at a (/app/a.js:1:2)',
        '\tat b (/app/b.js:3:4)',
        '  at /app/c.js:5:6',
        '        at new D (/app/d.js:7:8)',
      ),
    );
    assert.deepEqual(
      t.frames.map((f) => triple(f)),
      [
        ['a', '/app/a.js', 1],
        ['b', '/app/b.js', 3],
        [null, '/app/c.js', 5],
        ['D', '/app/d.js', 7],
      ],
    );

    const g = only(lines('  Error: x', '      a@https://h/a.js:1:2', '  b@https://h/b.js:3:4'));
    assert.equal(g.frames.length, 2);
  });
});
