// The PHP parser on inline traces: uncaught exceptions (PHP 5 and 7+), `Next` chains, the error log's and
// nginx's renderings, Laravel's laravel.log with `[previous exception]`, Xdebug's stack, eval'd code and PHP
// 8.4 closure names, and the document-level cases: a mixed log next to Java and gdb, CRLF, cut and re-indented.

import * as assert from 'node:assert/strict';
import { parseText, type Trace } from '../../../src/core/trace';
import { parsePhpFrame, parsePhpHeader, phpParser } from '../../../src/core/trace/parsers/php';
import { parserTriggered } from '../../../src/core/trace/scanner';
import { lines, parse, triple } from './helpers';

function one(text: string): Trace {
  const t = parse(text, 1)[0]!;
  assert.equal(t.format, 'php');
  assert.equal(t.kind, 'exception');
  return t;
}

const NEXT_CHAIN = lines(
  '[15-Jan-2024 10:23:45 UTC] PHP Fatal error:  Uncaught InvalidArgumentException: bad id in /var/www/app/src/Repo.php:14',
  'Stack trace:',
  "#0 /var/www/app/src/Service.php(30): App\\Repo->find('abc')",
  '#1 {main}',
  '',
  'Next RuntimeException: lookup failed',
  'for user 7 in /var/www/app/src/Service.php:33',
  'Stack trace:',
  '#0 /var/www/app/public/index.php(8): App\\Service->load(7)',
  '#1 {main}',
  '  thrown in /var/www/app/src/Service.php on line 33',
);

describe('php parser', () => {
  describe('uncaught exceptions', () => {
    it('`Next` chains: the exception thrown last is the top, the one it wraps its cause', () => {
      const t = one(NEXT_CHAIN);
      assert.equal(t.type, 'RuntimeException');
      assert.equal(t.message, 'lookup failed\nfor user 7');
      assert.equal(t.title, 'RuntimeException: lookup failed');
      assert.deepEqual(t.span, { start: 1, end: 11 });
      assert.deepEqual(t.frames.map(triple), [
        [null, '/var/www/app/src/Service.php', 33],
        ['App\\Service->load', '/var/www/app/public/index.php', 8],
        ['{main}', null, null],
      ]);
      assert.deepEqual(t.frames[0]!.notes, ['throw site']);
      assert.equal(t.frames[1]!.args, '7');
      assert.equal(t.causes.length, 1);
      const cause = t.causes[0]!;
      assert.equal(cause.relation, 'cause');
      assert.equal(cause.title, 'InvalidArgumentException: bad id');
      assert.deepEqual(cause.span, { start: 1, end: 4 });
      assert.deepEqual(cause.frames.map(triple), [
        [null, '/var/www/app/src/Repo.php', 14],
        ['App\\Repo->find', '/var/www/app/src/Service.php', 30],
        ['{main}', null, null],
      ]);
    });

    it("PHP 5: `exception 'Type' with message '…'`; an exception without a message", () => {
      const t = one(
        lines(
          "PHP Fatal error:  Uncaught exception 'PDOException' with message 'could not find driver' in /home/u/db.php:3",
          'Stack trace:',
          "#0 /home/u/db.php(3): PDO->__construct('mysql:host=loc...')",
          '#1 {main}',
          '  thrown in /home/u/db.php on line 3',
        ),
      );
      assert.equal(t.title, 'PDOException: could not find driver');
      assert.equal(t.frames.length, 3);
      const bare = one(lines('Exception in /srv/t.php:5', 'Stack trace:', '#0 {main}'));
      assert.equal(bare.type, 'Exception');
      assert.equal(bare.message, null);
      assert.deepEqual(triple(bare.frames[0]), [null, '/srv/t.php', 5]);
    });

    it("nginx's error log: the whole report on one line with `\\n` escapes", () => {
      const t = one(
        '2024/01/15 10:23:45 [error] 31#31: *1 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught Error: Call to undefined function foo() in /var/www/html/index.php:3\\nStack trace:\\n#0 {main}\\n  thrown in /var/www/html/index.php on line 3" while reading response header from upstream, client: 172.17.0.1',
      );
      assert.equal(t.title, 'Error: Call to undefined function foo()');
      assert.deepEqual(t.frames.map(triple), [
        [null, '/var/www/html/index.php', 3],
        ['{main}', null, null],
      ]);
      assert.deepEqual(t.span, { start: 1, end: 1 });
    });

    it('Windows paths, Object(Closure) and Array arguments, doubled backslashes in string arguments', () => {
      // No directory here starts with `n` or `r`: the shared line cleaner would take `\n`/`\r` for JSON
      // escapes and split the line (see corpus php/03).
      const t = one(
        lines(
          'PHP Fatal error:  Uncaught Illuminate\\Database\\QueryException: could not find driver in C:\\inetpub\\wwwroot\\app\\vendor\\laravel\\framework\\src\\Illuminate\\Database\\Connection.php:712',
          'Stack trace:',
          "#0 C:\\inetpub\\wwwroot\\app\\vendor\\laravel\\framework\\src\\Illuminate\\Database\\Connection.php(672): Illuminate\\Database\\Connection->runQueryCallback('select * from `...', Array, Object(Closure))",
          "#1 C:\\inetpub\\wwwroot\\app\\app\\Models\\User.php(30): include('C:\\\\inetpub\\\\ww...')",
          '#2 {main}',
          '  thrown in C:\\inetpub\\wwwroot\\app\\vendor\\laravel\\framework\\src\\Illuminate\\Database\\Connection.php on line 712',
        ),
      );
      assert.equal(t.type, 'Illuminate\\Database\\QueryException');
      assert.deepEqual(triple(t.frames[0]), [
        null,
        'C:\\inetpub\\wwwroot\\app\\vendor\\laravel\\framework\\src\\Illuminate\\Database\\Connection.php',
        712,
      ]);
      assert.equal(t.frames[1]!.args, "'select * from `...', Array, Object(Closure)");
      assert.deepEqual(triple(t.frames[2]), [
        'include',
        'C:\\inetpub\\wwwroot\\app\\app\\Models\\User.php',
        30,
      ]);
      assert.equal(t.frames[2]!.args, "'C:\\\\inetpub\\\\ww...'");
      assert.deepEqual(t.span, { start: 1, end: 6 });
    });

    it("eval()'d code, PHP 8.4 closure names, arguments with parentheses, frames without arguments (Sentry)", () => {
      const eval_ = parsePhpFrame("#2 /srv/app/x.php(12) : eval()'d code(3): run(Object(Closure), Array)", 1);
      assert.ok(eval_ && eval_ !== 'cut');
      assert.deepEqual(triple(eval_), ['run', "/srv/app/x.php(12) : eval()'d code", 3]);
      assert.equal(eval_.args, 'Object(Closure), Array');
      const closure = parsePhpFrame('#0 /srv/app/C.php(8): {closure:App\\C::run():7}(1)', 1);
      assert.ok(closure && closure !== 'cut');
      assert.equal(closure.function, '{closure:App\\C::run():7}');
      assert.equal(closure.args, '1');
      const sentry = parsePhpFrame('#5 /db-v4.inc(294): Database::next_record', 1);
      assert.ok(sentry && sentry !== 'cut');
      assert.deepEqual(triple(sentry), ['Database::next_record', '/db-v4.inc', 294]);
      assert.equal(sentry.args, null);
    });

    it("headers after any prefix; `Next`; Monolog's `[object] (…)`; a PHP error without exception", () => {
      assert.equal(
        parsePhpHeader('<b>Fatal error</b>:  Uncaught Exception: x in /a.php:2')?.type,
        'Exception',
      );
      assert.equal(parsePhpHeader('Next LogicException in /a.php:9')?.message, null);
      const obj = parsePhpHeader('[object] (RuntimeException(code: 0): boom at /a.php:4)');
      assert.deepEqual(obj, { type: 'RuntimeException', message: 'boom', file: '/a.php', line: 4 });
      const mem = parsePhpHeader(
        'PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /a.php on line 12',
      );
      assert.deepEqual(mem, {
        type: 'Fatal error',
        message: 'Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes)',
        file: '/a.php',
        line: 12,
      });
      assert.equal(parsePhpHeader('Note: see below'), null);
    });
  });

  describe('logs', () => {
    it('laravel.log: JSON-escaped record over several lines, `[previous exception]`, the closing `"}`', () => {
      const [t] = parse(
        lines(
          '[2024-01-15 10:23:45] production.ERROR: SQLSTATE[HY000] [2002] Connection refused {"userId":1,"exception":"[object] (Illuminate\\\\Database\\\\QueryException(code: 2002): SQLSTATE[HY000] [2002] Connection refused at /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php:712)',
          '[stacktrace]',
          "#0 /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php(672): Illuminate\\\\Database\\\\Connection->runQueryCallback('select * from `...', Array, Object(Closure))",
          "#1 /var/www/html/app/Http/Controllers/UserController.php(20): Illuminate\\\\Database\\\\Connection->select('select * from `...')",
          '#2 {main}',
          '',
          '[previous exception] [object] (PDOException(code: 2002): SQLSTATE[HY000] [2002] Connection refused at /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:70)',
          '[stacktrace]',
          "#0 /var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php(70): PDO->__construct('mysql:host=127....', 'root', '', Array)",
          '#1 {main}',
          '"} ',
          '[2024-01-15 10:23:46] production.INFO: next request',
        ),
        1,
      );
      assert.equal(t!.format, 'php');
      // Laravel writes the thrown exception first and its previous ones after it.
      assert.equal(t!.type, 'Illuminate\\Database\\QueryException');
      assert.equal(t!.message, 'SQLSTATE[HY000] [2002] Connection refused');
      assert.deepEqual(t!.span, { start: 1, end: 11 });
      assert.deepEqual(t!.frames.map(triple), [
        [null, '/var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php', 712],
        [
          'Illuminate\\Database\\Connection->runQueryCallback',
          '/var/www/html/vendor/laravel/framework/src/Illuminate/Database/Connection.php',
          672,
        ],
        [
          'Illuminate\\Database\\Connection->select',
          '/var/www/html/app/Http/Controllers/UserController.php',
          20,
        ],
        ['{main}', null, null],
      ]);
      const prev = t!.causes[0]!;
      assert.equal(prev.title, 'PDOException: SQLSTATE[HY000] [2002] Connection refused');
      assert.equal(prev.frames.length, 3);
      assert.equal(prev.frames[1]!.args, "'mysql:host=127....', 'root', '', Array");
    });

    it("Xdebug's stack: outermost (`{main}`) first, so read backwards; its PHP error above", () => {
      const t = one(
        lines(
          'PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /srv/big.php on line 12',
          'PHP Stack trace:',
          'PHP   1. {main}() /srv/big.php:0',
          'PHP   2. load($n = 100) /srv/big.php:20',
          "PHP   3. str_repeat($string = 'x', $times = 100000000) /srv/big.php:12",
        ),
      );
      assert.equal(
        t.title,
        'Fatal error: Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes)',
      );
      assert.deepEqual(t.frames.map(triple), [
        [null, '/srv/big.php', 12],
        ['str_repeat', '/srv/big.php', 12],
        ['load', '/srv/big.php', 20],
        ['{main}', '/srv/big.php', 0],
      ]);
      assert.equal(t.frames[2]!.args, '$n = 100');
      assert.deepEqual(t.span, { start: 1, end: 5 });
    });
  });

  describe('documents', () => {
    it('a PHP trace between log lines, a Java trace and a gdb backtrace: each to its own parser', () => {
      const traces = parse(
        lines(
          '2024-01-15 10:23:45 INFO request started',
          'PHP Fatal error:  Uncaught Exception: boom in /srv/t.php:3',
          'Stack trace:',
          '#0 /srv/t.php(7): f()',
          '#1 {main}',
          '  thrown in /srv/t.php on line 3',
          '2024-01-15 10:23:46 INFO request ended',
          'java.lang.IllegalStateException: closed',
          '\tat com.acme.Pool.take(Pool.java:41)',
          'Program received signal SIGSEGV, Segmentation fault.',
          '#0  0x00007ffff7a8f4d5 in main () at t.c:5',
        ),
        3,
      );
      assert.deepEqual(
        traces.map((t) => t.format),
        ['php', 'java', 'gdb'],
      );
      assert.deepEqual(traces[0]!.span, { start: 2, end: 6 });
    });

    it('CRLF input parses like LF input', () => {
      assert.deepEqual(parseText(NEXT_CHAIN.split('\n').join('\r\n')), parseText(NEXT_CHAIN));
    });

    it('cut mid-line: a frame cut in its arguments is kept as truncated, one cut in its path is dropped', () => {
      const t = one(
        lines(
          'PHP Fatal error:  Uncaught Exception: boom in /srv/t.php:3',
          'Stack trace:',
          "#0 /srv/t.php(7): f('abc",
        ),
      );
      assert.deepEqual(triple(t.frames[1]), ['f', '/srv/t.php', 7]);
      assert.deepEqual(t.frames[1]!.notes, ['truncated']);
      assert.equal(t.frames[1]!.args, "'abc");
      const u = one(
        lines('Exception: boom in /srv/t.php:3', 'Stack trace:', '#0 /srv/t.php(7): f()', '#1 /srv/lib/Fo'),
      );
      assert.equal(u.frames.length, 2);
      assert.deepEqual(u.span, { start: 1, end: 4 });
    });

    it('a frame wrapped onto the next line is joined', () => {
      const t = one(
        lines(
          'Exception: boom in /srv/t.php:3',
          'Stack trace:',
          '#0 /srv/t.php(7): f()',
          '#1 /srv/vendor/acme/lib/Htt',
          'p/Client.php(40): send()',
          '#2 {main}',
        ),
      );
      assert.deepEqual(triple(t.frames[2]), ['send', '/srv/vendor/acme/lib/Http/Client.php', 40]);
      assert.equal(t.frames[2]!.docLine, 4);
      assert.equal(t.frames.length, 4);
    });

    it('re-indented pastes', () => {
      const t = one(NEXT_CHAIN.replace(/^#/gm, '    #').replace(/^Stack/gm, '  Stack'));
      assert.equal(t.frames.length, 3);
      assert.equal(t.causes[0]!.frames.length, 3);
    });

    it('triggers on `#N` frames with a call site, not on gdb, C++ or markdown lines', () => {
      assert.ok(parserTriggered(phpParser, '#0 /srv/t.php(7): f()'));
      assert.ok(parserTriggered(phpParser, '#1 [internal function]: g()'));
      assert.ok(!parserTriggered(phpParser, '#0  0x00007ffff7a8f4d5 in main () at t.c:5'));
      assert.ok(!parserTriggered(phpParser, '#1 Some heading'));
      assert.equal(parsePhpFrame('#30   Object "", at 0xffffffffffffffff, in', 1), null);
    });
  });
});
