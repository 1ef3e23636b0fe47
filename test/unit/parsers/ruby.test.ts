// The Ruby parser on inline traces: uncaught exceptions before and after 3.4's quoting, causes, `... N levels...`,
// 2.5–2.7's reversed `Traceback`, Rails' log with Logger prefixes and cleaned gem paths, bare backtraces, and
// the document-level cases: a mixed log next to a Java trace, CRLF, cut input, re-indented pastes.

import * as assert from 'node:assert/strict';
import { parseText, type Trace } from '../../../src/core/trace';
import { parseRubyLine, rubyParser } from '../../../src/core/trace/parsers/ruby';
import { parserTriggered } from '../../../src/core/trace/scanner';
import { lines, parse, triple } from './helpers';

function one(text: string): Trace {
  const t = parse(text, 1)[0]!;
  assert.equal(t.format, 'ruby');
  assert.equal(t.kind, 'exception');
  return t;
}

const RUBY_34 = lines(
  "/app/lib/importer.rb:14:in 'Importer#parse': could not parse row 3 (Importer::ParseError)",
  "\tfrom /usr/lib/ruby/gems/3.4.0/gems/csv-3.3.0/lib/csv.rb:1000:in 'CSV#each'",
  "\tfrom /app/lib/importer.rb:9:in 'block (2 levels) in Importer#run'",
  "\tfrom /app/lib/importer.rb:8:in 'Array#each'",
  '\t ... 3 levels...',
  "\tfrom bin/import:5:in '<main>'",
  "/app/lib/importer.rb:20:in 'Integer#/': divided by 0 (ZeroDivisionError)",
  "\tfrom /app/lib/importer.rb:20:in 'rescue in Importer#parse'",
);

describe('ruby parser', () => {
  describe('uncaught exceptions', () => {
    it('Ruby 3.4: class-qualified labels, gem paths, blocks, `... N levels...`, the cause printed after', () => {
      const t = one(RUBY_34);
      assert.equal(t.type, 'Importer::ParseError');
      assert.equal(t.message, 'could not parse row 3');
      assert.equal(t.title, 'Importer::ParseError: could not parse row 3');
      assert.deepEqual(t.span, { start: 1, end: 8 });
      assert.deepEqual(t.frames.map(triple), [
        ['Importer#parse', '/app/lib/importer.rb', 14],
        ['CSV#each', '/usr/lib/ruby/gems/3.4.0/gems/csv-3.3.0/lib/csv.rb', 1000],
        ['block (2 levels) in Importer#run', '/app/lib/importer.rb', 9],
        ['Array#each', '/app/lib/importer.rb', 8],
        ['<main>', 'bin/import', 5],
      ]);
      assert.equal(t.frames[1]!.module, 'csv-3.3.0');
      assert.equal(t.frames[0]!.module, null);
      assert.equal(t.omittedFrames, 3);
      // Since 3.1 the interpreter prints the cause after the exception's own backtrace.
      assert.equal(t.causes.length, 1);
      const cause = t.causes[0]!;
      assert.equal(cause.relation, 'cause');
      assert.equal(cause.title, 'ZeroDivisionError: divided by 0');
      assert.deepEqual(cause.frames.map(triple), [
        ['Integer#/', '/app/lib/importer.rb', 20],
        ['rescue in Importer#parse', '/app/lib/importer.rb', 20],
      ]);
    });

    it('before 3.4: backtick-opened labels; a multi-line message continues after the `(Class)` line', () => {
      const t = one(
        lines(
          "app.rb:3:in `validate': invalid record (ArgumentError)",
          'name is missing',
          'email is missing',
          "\tfrom app.rb:7:in `block in <main>'",
          "\tfrom app.rb:6:in `each'",
          "\tfrom app.rb:6:in `<main>'",
        ),
      );
      assert.equal(t.type, 'ArgumentError');
      assert.equal(t.message, 'invalid record\nname is missing\nemail is missing');
      assert.equal(t.title, 'ArgumentError: invalid record');
      assert.equal(t.frames.length, 4);
      assert.deepEqual(triple(t.frames[1]), ['block in <main>', 'app.rb', 7]);
    });

    it('error_highlight: the echoed source line goes to frame 0, the carets are dropped', () => {
      const t = one(
        lines(
          "test.rb:2:in 'Object#foo': undefined method 'time' for nil (NoMethodError)",
          '',
          '  1.time {}',
          '   ^^^^^',
          "\tfrom test.rb:5:in '<main>'",
        ),
      );
      assert.equal(t.message, "undefined method 'time' for nil");
      assert.equal(t.frames[0]!.source, '1.time {}');
      assert.deepEqual(t.span, { start: 1, end: 5 });
    });

    it('did_you_mean with several candidates is neither message nor frame', () => {
      const t = one(
        lines(
          "app.rb:4:in `<main>': uninitialized constant Usr (NameError)",
          'Did you mean?  User',
          '               UserMailer',
          "\tfrom app.rb:1:in `require'",
        ),
      );
      assert.equal(t.message, 'uninitialized constant Usr');
      assert.equal(t.frames.length, 2);
      assert.deepEqual(t.span, { start: 1, end: 4 });
    });

    it('Ruby 2.5–2.7: `Traceback`, numbered frames outermost first, the exception line last', () => {
      const t = one(
        lines(
          'Traceback (most recent call last):',
          "\t2: from t.rb:7:in `<main>'",
          "\t1: from t.rb:3:in `foo'",
          "t.rb:2:in `bar': boom (RuntimeError)",
        ),
      );
      assert.equal(t.title, 'RuntimeError: boom');
      // Innermost first: the exception line's location, then 1:, then 2:.
      assert.deepEqual(t.frames.map(triple), [
        ['bar', 't.rb', 2],
        ['foo', 't.rb', 3],
        ['<main>', 't.rb', 7],
      ]);
      assert.equal(t.span.end, 4);
    });

    it('an exception without a backtrace: only its line; the log lines after it stay out', () => {
      const [t] = parse(
        lines(
          "-e:1:in '<main>': unhandled exception",
          'I, [2024-01-15T10:23:46.000000 #1]  INFO -- : next job',
          'worker started',
        ),
        1,
      );
      assert.equal(t!.format, 'ruby');
      assert.equal(t!.type, null);
      assert.equal(t!.message, 'unhandled exception');
      assert.deepEqual(t!.span, { start: 1, end: 1 });
      assert.deepEqual(triple(t!.frames[0]), ['<main>', '-e', 1]);
    });

    it("Windows paths and an error tracker's `file:line:column`", () => {
      const t = one(
        lines(
          "C:/Ruby32-x64/lib/ruby/3.2.0/net/http.rb:1603:in `connect': Failed to open TCP connection (SocketError)",
          "\tfrom C:/Program Files/app/lib/client.rb:12:5:in `fetch'",
        ),
      );
      assert.deepEqual(triple(t.frames[0]), ['connect', 'C:/Ruby32-x64/lib/ruby/3.2.0/net/http.rb', 1603]);
      assert.deepEqual(triple(t.frames[1]), ['fetch', 'C:/Program Files/app/lib/client.rb', 12]);
      assert.equal(t.frames[1]!.column, 5);
    });
  });

  describe('backtraces printed by applications', () => {
    it("Rails' log: Logger prefixes and request tags, `Type (message):`, cleaned gem paths", () => {
      const [t] = parse(
        lines(
          'I, [2024-01-15T10:23:45.123456 #1]  INFO -- : [req-1] Started GET "/users/1" for 127.0.0.1',
          'F, [2024-01-15T10:23:45.130000 #1] FATAL -- : [req-1]   ',
          "F, [2024-01-15T10:23:45.130000 #1] FATAL -- : [req-1] NoMethodError (undefined method `name' for nil:NilClass):",
          'F, [2024-01-15T10:23:45.130000 #1] FATAL -- : [req-1]   ',
          "F, [2024-01-15T10:23:45.130000 #1] FATAL -- : [req-1] app/controllers/users_controller.rb:12:in `show'",
          "F, [2024-01-15T10:23:45.130000 #1] FATAL -- : [req-1] actionpack (7.0.4) lib/action_controller/metal/basic_implicit_render.rb:6:in `send_action'",
          'I, [2024-01-15T10:23:46.000000 #1]  INFO -- : [req-2] Started GET "/" for 127.0.0.1',
        ),
        1,
      );
      assert.equal(t!.format, 'ruby');
      assert.equal(t!.type, 'NoMethodError');
      assert.equal(t!.message, "undefined method `name' for nil:NilClass");
      assert.deepEqual(t!.span, { start: 3, end: 6 });
      assert.deepEqual(triple(t!.frames[0]), ['show', 'app/controllers/users_controller.rb', 12]);
      const gem = t!.frames[1]!;
      assert.deepEqual(triple(gem), [
        'send_action',
        'lib/action_controller/metal/basic_implicit_render.rb',
        6,
      ]);
      assert.equal(gem.module, 'actionpack (7.0.4)');
    });

    it('a bare `e.backtrace` (one frame per line) with a `Class: message` line above', () => {
      const t = one(
        lines(
          "ActiveRecord::RecordNotFound: Couldn't find User with 'id'=42",
          "/srv/app/vendor/bundle/ruby/3.2.0/gems/activerecord-7.0.4/lib/active_record/core.rb:284:in `find'",
          "/srv/app/app/models/user.rb:12:in `load_profile'",
        ),
      );
      assert.equal(t.type, 'ActiveRecord::RecordNotFound');
      assert.equal(t.frames[0]!.module, 'activerecord-7.0.4');
      assert.deepEqual(t.span, { start: 1, end: 3 });
    });

    it('frames without any header: the first frame is the title', () => {
      const t = one(
        lines("app/models/user.rb:12:in 'save'", "app/controllers/users_controller.rb:30:in 'create'"),
      );
      assert.equal(t.type, null);
      assert.equal(t.title, "app/models/user.rb:12:in 'save'");
      assert.equal(t.frames.length, 2);
    });

    it('Elixir frames written the Ruby way (error trackers) are not Ruby frames', () => {
      assert.equal(parseRubyLine("lib/app/worker.ex:92:in `add_idea!/2'", 1), null);
      assert.equal(parseRubyLine("gen_server.erl:616:in `try_dispatch/4'", 1), null);
      assert.notEqual(parseRubyLine("lib/calc.rb:3:in `/'", 1), null);
    });
  });

  describe('documents', () => {
    const JAVA = lines(
      'java.lang.IllegalStateException: closed',
      '\tat com.acme.Pool.take(Pool.java:41)',
      '\tat com.acme.Main.main(Main.java:9)',
    );

    it('a Ruby trace between log lines and a Java trace: each goes to its own parser', () => {
      const traces = parse(
        lines(
          '2024-01-15 10:23:45 INFO worker booted',
          "/app/worker.rb:5:in 'Worker#run': boom (RuntimeError)",
          "\tfrom /app/worker.rb:2:in '<main>'",
          '2024-01-15 10:23:46 INFO retrying',
          JAVA,
          '2024-01-15 10:23:47 INFO done',
        ),
        2,
      );
      assert.equal(traces[0]!.format, 'ruby');
      assert.deepEqual(traces[0]!.span, { start: 2, end: 3 });
      assert.equal(traces[1]!.format, 'java');
      assert.deepEqual(traces[1]!.span, { start: 5, end: 7 });
    });

    it('CRLF input parses like LF input', () => {
      assert.deepEqual(parseText(RUBY_34.split('\n').join('\r\n')), parseText(RUBY_34));
    });

    it('cut mid-line: a frame cut before its closing quote is dropped, the rest is kept', () => {
      const t = one(
        lines("app.rb:3:in `validate': invalid (ArgumentError)", '\tfrom app.rb:7:in `block in <ma'),
      );
      assert.equal(t.frames.length, 1);
      assert.deepEqual(t.span, { start: 1, end: 1 });
    });

    it('re-indented pastes: frames at column 0, or indented with spaces', () => {
      const flat = one(RUBY_34.replace(/\t/g, ''));
      assert.equal(flat.frames.length, 5);
      assert.equal(flat.causes.length, 1);
      const spaced = one(RUBY_34.replace(/\t/g, '        ').replace(/^\//gm, '    /'));
      assert.equal(spaced.frames.length, 5);
      assert.equal(spaced.causes.length, 1);
    });

    it('triggers only on lines that hold `:in ` and a quote', () => {
      assert.ok(parserTriggered(rubyParser, "\tfrom a.rb:1:in `x'"));
      assert.ok(!parserTriggered(rubyParser, 'checking in at 10:30 in the lobby'));
      assert.equal(parseRubyLine('logged in: user 42', 1), null);
    });
  });
});
