// PHP traces from the corpus, as a reader lists their frames. The header's `in file:line` (where the exception
// was thrown) is frame 0, noted `throw site`: PHP's `#0` is already the call of the function that threw.
// A frame cut before its `(line):` (`#6 /Users/dev/app...`) has no function and no line: it is dropped.

import { expectTraces } from './harness';

const FAVEO = '/Users/macmini3/Desktop/faveo-helpdesk/vendor';

describe('corpus: php', () => {
  it('02 Bugsnag issue: Uncaught … in file:line, [internal function], truncated args, cut last frame', () => {
    expectTraces('php/02-faveo-bugsnag-internal-function-truncated-args.txt', [
      {
        format: 'php',
        kind: 'exception',
        type: 'Symfony\\Component\\Debug\\Exception\\FatalThrowableError',
        message: "syntax error, unexpected ',', expecting ';'",
        title:
          "Symfony\\Component\\Debug\\Exception\\FatalThrowableError: syntax error, unexpected ',', expecting ';'",
        // The Bugsnag markdown above and the link below are not the trace's; the cut `#6` line is.
        span: [4, 12],
        frames: 7,
        first: [null, `${FAVEO}/laravel/framework/src/Illuminate/Database/Connectors/Connector.php`, 44],
        last: ['Composer\\Autoload\\ClassLoader->loadClass', null, null],
        at: {
          0: { notes: ['throw site'], docLine: 4 },
          1: {
            function: 'Composer\\Autoload\\includeFile',
            file: `${FAVEO}/composer/ClassLoader.php`,
            line: 346,
            args: "'/Users/macmini3...'",
          },
          2: { file: null, notes: ['internal function'], args: "'Illuminate\\\\Data...'" },
          3: { function: 'spl_autoload_call', line: 7 },
          4: { function: 'include', file: `${FAVEO}/composer/ClassLoader.php`, line: 478 },
        },
      },
    ]);
  });

  // The shared line cleaner takes the `\r` of `…\Desktop\repos\…` and the `\f` of `…\faveohelpdesk` for JSON
  // escapes (the frame lines trigger gdb's, sanitizer's and dart's patterns, so they are split): the paths
  // are cut apart and lose characters before any parser sees them. Unskip when normalize.ts only splits
  // lines whose backslashes are all valid JSON escapes (`\U`, `\G`, `\D` here are not).
  it.skip("03 Windows paths, Object(Closure)/Array/'' args, Bugsnag cut (needs the normalize fix)", () => {
    const root = 'C:\\Users\\Gideo\\Desktop\\repos\\faveohelpdesk\\vendor';
    expectTraces('php/03-faveo-windows-object-closure-args.txt', [
      {
        format: 'php',
        kind: 'exception',
        type: 'Symfony\\Component\\Debug\\Exception\\FatalThrowableError',
        message:
          "syntax error, unexpected ',', expecting identifier (T_STRING) or variable (T_VARIABLE) or '{' or '$'",
        span: [1, 7],
        frames: 5,
        first: [null, `${root}\\laravel\\framework\\src\\Illuminate\\Database\\Connection.php`, 717],
        last: [
          'Illuminate\\Database\\Connectors\\ConnectionFactory->createConnection',
          `${root}\\laravel\\framework\\src\\Illuminate\\Database\\Connectors\\ConnectionFactory.php`,
          76,
        ],
        at: {
          1: { function: 'Composer\\Autoload\\includeFile', args: "'C:\\\\Users\\\\Gideo\\\\...'" },
          2: { notes: ['internal function'] },
          4: { args: "'mysql', Object(Closure), 'faveolocal', '', Array" },
        },
      },
    ]);
  });

  it('04 PARTIAL: Laravel trace from a JSON log field, a frame wrapped over two lines, cut at both ends', () => {
    // The excerpt starts inside `#33` (no `#N`, not a frame) and ends inside `#43` (cut in its path: dropped).
    // `#40` was broken inside `…/Compile|rEngine.php` when stored: its two pieces are joined.
    const vendor = '/var/www/bookstack/vendor/laravel/framework/src/Illuminate';
    expectTraces('php/04-bookstack-json-escaped-laravel-trace-PARTIAL.txt', [
      {
        format: 'php',
        kind: 'exception',
        type: null,
        span: [1, 2],
        frames: 9,
        first: ['Illuminate\\View\\View->getContents', `${vendor}/View/View.php`, 178],
        last: ['Illuminate\\View\\View->getContents', `${vendor}/View/View.php`, 178],
        at: {
          2: {
            function: 'Illuminate\\View\\View->render',
            file: '/var/www/bookstack/storage/framework/views/444e2e0a8c776f8bed9002e3000a037539df392e.php',
            line: 16,
          },
          3: { function: 'require', args: "'...'" },
          4: { function: 'Illuminate\\Filesystem\\Filesystem::Illuminate\\Filesystem\\{closure}', args: '' },
          6: {
            function: 'Illuminate\\View\\Engines\\PhpEngine->evaluatePath',
            file: `${vendor}/View/Engines/CompilerEngine.php`,
            line: 70,
            docLine: 1,
          },
          7: { function: 'Illuminate\\View\\Engines\\CompilerEngine->get', docLine: 2 },
        },
      },
    ]);
  });
});
