// JavaScript stacks from the corpus: Node.js / Chrome (V8) and Firefox / Safari, as a reader lists their frames.

import { expectTraces } from './harness';

describe('corpus: nodejs', () => {
  it('03 NoOS: uncaught-exception preamble, [as runMain] alias, anonymous last frame', () => {
    // The preamble (`/home/CarsonDay/NoOS/index.js:9`, the source line, the caret, a blank) is part of the trace;
    // `Node.js v18.19.0` after the stack is not.
    expectTraces('nodejs/03-noos-shell-prompts-node18.txt', [
      {
        format: 'node',
        kind: 'exception',
        title: "TypeError: Cannot read properties of undefined (reading 'on')",
        type: 'TypeError',
        span: [4, 15],
        frames: 7,
        first: ['Object.<anonymous>', '/home/CarsonDay/NoOS/index.js', 9],
        last: [null, 'node:internal/main/run_main_module', 28],
        at: {
          0: { column: 5, module: null, source: "app.on('ready', () => {" },
          2: { function: 'Module._extensions..js', file: 'node:internal/modules/cjs/loader', line: 1414 },
          5: {
            function: 'Function.executeUserEntryPoint',
            file: 'node:internal/modules/run_main',
            notes: ['as runMain'],
          },
          6: { column: 49 },
        },
      },
    ]);
  });

  it('04 chaoxing: old Node internals (module.js, bootstrap_node.js) after an npm banner', () => {
    expectTraces('nodejs/04-chaoxing-npm-start-old-node8-cjk-output.txt', [
      {
        format: 'node',
        kind: 'exception',
        type: 'TypeError',
        message: "Cannot read property 'readFile' of undefined",
        span: [10, 20],
        frames: 10,
        first: ['Config.read', '/home/spock/chaoxing-xuexitong-autoflush/config.js', 36],
        last: ['startup', 'bootstrap_node.js', 188],
        at: {
          0: { column: 28 },
          4: { function: 'Object.Module._extensions..js', file: 'module.js', line: 663, column: 10 },
          8: { function: 'Function.Module.runMain' },
        },
      },
    ]);
  });

  it("05 nazuna: an app's `Stack: ` wrapper in front of the header", () => {
    // `Erro: …` on line 1 is the app's own summary, not the stack's header; `Ambiente:` ends the trace.
    expectTraces('nodejs/05-nazuna-custom-wrapper-portuguese.txt', [
      {
        format: 'node',
        kind: 'exception',
        title: "TypeError: Cannot read properties of undefined (reading 'msg')",
        type: 'TypeError',
        span: [2, 4],
        frames: 2,
        first: ['NazuninhaBotExec', '/home/container/dados/src/index.js', 84],
        last: ['process.processTicksAndRejections', 'node:internal/process/task_queues', 95],
        at: { 0: { column: 200 }, 1: { column: 5 } },
      },
    ]);
  });

  it('06 js-slang: (node:PID) UnhandledPromiseRejectionWarning prefix, later warnings not included', () => {
    expectTraces('nodejs/06-js-slang-unhandled-rejection-warning-pid-prefix.txt', [
      {
        format: 'node',
        kind: 'exception',
        type: 'TypeError',
        message: "Cannot read property '0' of undefined",
        span: [1, 4],
        frames: 3,
        first: ['fmtError', '/Users/vigneshshankar/workspace/cs1101s/slang/dist/repl.js', 7],
        last: ['process._tickCallback', 'internal/process/next_tick.js', 68],
        at: { 1: { function: 'promise.then', line: 20, column: 22 } },
      },
    ]);
  });

  it('07 node-red: anonymous first frame in node_modules, runMicrotasks (<anonymous>)', () => {
    expectTraces('nodejs/07-node-red-tahoma-anonymous-frames-runMicrotasks.txt', [
      {
        format: 'node',
        kind: 'exception',
        type: 'TypeError',
        message: "Cannot read property 'finished' of undefined",
        span: [2, 5],
        frames: 3,
        first: [null, '/home/pi/.node-red/node_modules/node-red-contrib-tahoma/dist/nodes/tahoma.js', 105],
        last: ['processTicksAndRejections', 'internal/process/task_queues.js', 97],
        at: {
          0: { column: 42, module: 'node-red-contrib-tahoma' },
          1: { function: 'runMicrotasks', file: null, line: null, notes: ['<anonymous>'] },
        },
      },
    ]);
  });
});

describe('corpus: browser-firefox-safari', () => {
  it('02 tab-manager: XPCOM [Exception... ] header, fn@resource:// frames with /< names', () => {
    // The `Security Error:` line is a separate console message (a blank line apart, no frames): not a trace.
    expectTraces('browser-firefox-safari/02-tab-manager-firefox-xpcom-exception-resource-urls.txt', [
      {
        format: 'gecko',
        kind: 'exception',
        title: 'NS_ERROR_NOT_INITIALIZED: Component not initialized',
        span: [3, 12],
        frames: 9,
        first: ['api/register/publicAPI.onDisconnect<', 'resource://gre/modules/ExtensionChild.jsm', 188],
        last: ['receiveMessage', 'resource://gre/modules/MessageChannel.jsm', 211],
        at: {
          0: { column: 35, module: null },
          4: { function: '_handleMessage/</<', file: 'resource://gre/modules/MessageChannel.jsm', line: 922 },
          7: { function: 'receiveMessage/<', column: 9 },
        },
      },
    ]);
  });

  it('03 bitwarden: Firefox console copy, location line between two copies of the frames', () => {
    // One trace: the rows above `<anonymous code>:11:5` repeat the start of the full stack below it, so the
    // frames are the seven rows of the second block; the location line gives the top frame its column.
    expectTraces('browser-firefox-safari/03-bitwarden-firefox-console-display-format.txt', [
      {
        format: 'gecko',
        kind: 'exception',
        type: 'ReferenceError',
        message: 'chrome is not defined',
        span: [1, 12],
        frames: 7,
        first: [null, '<anonymous code>', 11],
        last: ['loadContentScript', 'resource://gre/modules/ExtensionProcessScript.sys.mjs', 411],
        at: {
          0: { column: 5, docLine: 6 },
          2: { function: null, file: '<anonymous code>', line: 31, column: null },
          3: {
            function: '#injectIntoMainWorld',
            file: 'resource://gre/modules/ExtensionContent.sys.mjs',
            line: 728,
          },
        },
      },
    ]);
  });

  it('04 kui (PARTIAL): console frames flattened onto one line, cut mid-URL', () => {
    // Ten `fn url:line` pairs on line 3; the tenth is cut at `https://localhost:9080` (no path, so no location
    // can be read from it) and is dropped: nine frames, all on document line 3.
    expectTraces('browser-firefox-safari/04-kui-firefox-console-frames-on-one-line-PARTIAL.txt', [
      {
        format: 'gecko',
        kind: 'exception',
        title: 'SyntaxError: invalid regexp group main.add56aea4434250e50cd.bundle.js:407:29',
        span: [1, 3],
        frames: 9,
        first: ['js', 'https://localhost:9080/main.add56aea4434250e50cd.bundle.js', 756],
        last: ['js', 'https://localhost:9080/main.add56aea4434250e50cd.bundle.js', 338],
        at: {
          1: { function: '__webpack_require__', line: 64, docLine: 3 },
          2: {
            function: null,
            file: 'webpack:////private/tmp/kui-webpack-tmp/kui/node_modules/@kui-shell/core/webapp/cli.js?',
            line: 36,
            column: null,
            module: '@kui-shell/core',
          },
          6: {
            file: 'webpack:////private/tmp/kui-webpack-tmp/kui/node_modules/@kui-shell/core/core/repl.js?',
            line: 40,
          },
          8: { docLine: 3 },
        },
      },
    ]);
  });
});
