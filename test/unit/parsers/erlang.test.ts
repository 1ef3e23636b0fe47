// The Erlang and Elixir parsers on inline traces: Elixir exceptions and the Logger reports around them
// (client stacks, wrapped exits, ExUnit failures), Erlang's shell errors, SASL/logger crash and error reports
// with stacktrace terms, and traces inside logs, CRLF, cut or re-indented.

import * as assert from 'node:assert/strict';
import { parseText, type Trace } from '../../../src/core/trace';
import { elixirParser, erlangParser, parseElixirFrame } from '../../../src/core/trace/parsers/erlang';
import { parserTriggered } from '../../../src/core/trace/scanner';
import { lines, triple } from './helpers';

function parse(text: string, count: number): Trace[] {
  const traces = parseText(text);
  assert.equal(traces.length, count, `traces: ${traces.map((t) => `${t.format}:${t.title}`).join(' | ')}`);
  const inside = (n: Trace | Trace['causes'][number], where: string): void => {
    for (const f of n.frames) {
      assert.ok(f.docLine >= n.span.start && f.docLine <= n.span.end, `${where}: ${f.raw} inside the span`);
    }
    for (const c of [...n.causes, ...(n.related ?? [])]) inside(c, where);
  };
  for (const t of traces) inside(t, t.title);
  return traces;
}

const GENSERVER = lines(
  '12:00:00.123 [error] GenServer MyApp.Worker terminating',
  '** (RuntimeError) boom',
  '    (my_app 0.1.0) lib/my_app/worker.ex:10: MyApp.Worker.handle_call/3',
  '    (my_app 0.1.0) MyApp.Worker.helper/2',
  '    (elixir 1.14.0) lib/enum.ex:975: Enum."-map/2-lists^map/1-0-"/2',
  '    (elixir 1.14.0) lib/enum.ex:975: anonymous fn/2 in Enum.map/2',
  '    (stdlib 4.3) gen_server.erl:1149: :gen_server.try_handle_call/4',
  'Last message (from #PID<0.123.0>): :crash',
  'State: %{count: 1}',
  'Client #PID<0.123.0> is alive',
  '',
  '    (stdlib 4.3) gen.erl:240: :gen.do_call/4',
  '    (elixir 1.14.0) lib/gen_server.ex:1035: GenServer.call/3',
);

const SHELL = lines(
  '1> foo:bar(a).',
  '** exception error: an error occurred when evaluating an arithmetic expression',
  '     in operator  +/2',
  '        called as 1 + a',
  '     in call from foo:bar/1 (foo.erl, line 5)',
  '     in call from erl_eval:do_apply/7 (erl_eval.erl:744)',
  '2> ',
);

const ERROR_REPORT = lines(
  '=ERROR REPORT==== 10-Apr-2021::10:00:00.000000 ===',
  '** Generic server foo_server terminating',
  '** Last message in was crash',
  '** When Server state == {state,0}',
  '** Reason for termination ==',
  '** {{badmatch,{error,enoent}},',
  '    [{foo_server,handle_call,3,[{file,"src/foo_server.erl"},{line,30}]},',
  '     {gen_server,try_handle_call,4,[{file,"gen_server.erl"},{line,721}]}]}',
  '** Client <0.80.0> stacktrace',
  '** [{gen,do_call,4,[{file,"gen.erl"},{line,214}]},',
  '    {gen_server,call,2,[{file,"gen_server.erl"},{line,243}]}]',
  '',
);

describe('elixir parser', () => {
  it('Logger GenServer report: process, frames with and without files, fields, the client stack', () => {
    const [t] = parse(GENSERVER, 1);
    assert.equal(t!.format, 'elixir');
    assert.equal(t!.kind, 'exception');
    assert.equal(t!.title, 'RuntimeError: boom');
    assert.deepEqual(t!.thread, { name: 'MyApp.Worker', id: null, state: null });
    assert.deepEqual(t!.span, { start: 1, end: 13 });
    assert.deepEqual(t!.frames.map(triple), [
      ['MyApp.Worker.handle_call/3', 'lib/my_app/worker.ex', 10],
      ['MyApp.Worker.helper/2', null, null],
      ['Enum."-map/2-lists^map/1-0-"/2', 'lib/enum.ex', 975],
      ['anonymous fn/2 in Enum.map/2', 'lib/enum.ex', 975],
      [':gen_server.try_handle_call/4', 'gen_server.erl', 1149],
    ]);
    assert.equal(t!.frames[0]!.module, 'my_app 0.1.0');
    assert.equal(t!.frames[1]!.module, 'my_app 0.1.0');
    const client = t!.related?.[0];
    assert.equal(client?.role, 'client');
    assert.equal(client?.relation, 'related');
    assert.deepEqual(client?.frames.map(triple), [
      [':gen.do_call/4', 'gen.erl', 240],
      ['GenServer.call/3', 'lib/gen_server.ex', 1035],
    ]);
  });

  it('`** (stop)` without a stacktrace: the report is a trace of its own, the next record is not in it', () => {
    const [t, iex] = parse(
      lines(
        '10:00:00.000 [error] GenServer MyApp.Worker terminating',
        '** (stop) {:bad_return_value, :ok}',
        'Last message: :tick',
        'State: %{}',
        '10:00:00.001 [info] restarted',
        'iex(1)> raise "x"',
        '** (RuntimeError) x',
        '    iex:1: (file)',
      ),
      2,
    );
    assert.equal(t!.title, 'stop: {:bad_return_value, :ok}');
    assert.equal(t!.frames.length, 0);
    assert.deepEqual(t!.span, { start: 1, end: 4 });
    assert.deepEqual(iex!.span, { start: 7, end: 8 });
    assert.deepEqual(iex!.frames.map(triple), [['(file)', 'iex', 1]]);
  });

  it('`** (exit) exited in:` wrapping indented exceptions: frames go to the header left of them', () => {
    const text = lines(
      '** (exit) exited in: GenServer.call(MyApp.Worker, :crash, 5000)',
      '    ** (EXIT) an exception was raised:',
      '        ** (ArgumentError) errors were found at the given arguments:',
      '',
      '  * 1st argument: not an atom',
      '',
      '            (erts) :erlang.atom_to_binary("x")',
      '            (my_app 0.1.0) lib/my_app.ex:5: MyApp.go/0',
      '    (elixir 1.14.0) lib/gen_server.ex:1038: GenServer.call/3',
      '    iex:3: (file)',
      'iex(4)>',
    );
    const [t] = parse(text, 1);
    assert.equal(t!.title, 'exit: exited in: GenServer.call(MyApp.Worker, :crash, 5000)');
    assert.deepEqual(t!.span, { start: 1, end: 10 });
    assert.deepEqual(t!.frames.map(triple), [
      ['GenServer.call/3', 'lib/gen_server.ex', 1038],
      ['(file)', 'iex', 3],
    ]);
    const exit = t!.causes[0]!;
    assert.equal(exit.type, 'EXIT');
    assert.equal(exit.relation, 'cause');
    assert.equal(exit.frames.length, 0);
    const arg = exit.causes[0]!;
    assert.equal(arg.type, 'ArgumentError');
    assert.equal(arg.message, 'errors were found at the given arguments:\n* 1st argument: not an atom');
    assert.deepEqual(arg.frames.map(triple), [
      [':erlang.atom_to_binary', null, null],
      ['MyApp.go/0', 'lib/my_app.ex', 5],
    ]);
    assert.equal(arg.frames[0]!.args, '"x"');
    assert.equal(arg.frames[0]!.module, 'erts');
  });

  it('an ExUnit failure: `code:` and `stacktrace:` before the frames', () => {
    const text = lines(
      '  1) test greets (MyAppTest)',
      '     test/my_app_test.exs:5',
      '     ** (RuntimeError) boom',
      '     code: MyApp.hello()',
      '     stacktrace:',
      '       (my_app 0.1.0) lib/my_app.ex:3: MyApp.hello/0',
      '       test/my_app_test.exs:6: (test)',
      '',
      'Finished in 0.02 seconds',
    );
    const [t] = parse(text, 1);
    assert.equal(t!.title, 'RuntimeError: boom');
    assert.deepEqual(t!.span, { start: 3, end: 7 });
    assert.deepEqual(t!.frames.map(triple), [
      ['MyApp.hello/0', 'lib/my_app.ex', 3],
      ['(test)', 'test/my_app_test.exs', 6],
    ]);
  });

  it('a Task crash and frames parsed on their own; `(gdb) run` is not a frame', () => {
    const [t] = parse(
      lines(
        '[error] Task #PID<0.119.0> started from #PID<0.117.0> terminating',
        '** (ArithmeticError) bad argument in arithmetic expression',
        '    :erlang.+(1, :a)',
        '    (my_app 0.2.0) lib/my_app/job.ex:7: MyApp.Job.run/1',
        'Function: #Function<0.1/0 in MyApp.Job.start/0>',
        '    Args: []',
      ),
      1,
    );
    assert.deepEqual(t!.thread, { name: null, id: '#PID<0.119.0>', state: null });
    // A module of no application, without a file: indented as a frame and unmistakably a function.
    assert.deepEqual(t!.frames.map(triple), [
      [':erlang.+', null, null],
      ['MyApp.Job.run/1', 'lib/my_app/job.ex', 7],
    ]);
    assert.equal(t!.frames[0]!.args, '1, :a');
    assert.equal(t!.message, 'bad argument in arithmetic expression');
    assert.deepEqual(t!.span, { start: 1, end: 6 });
    assert.equal(parseElixirFrame('(gdb) run', 1, 'app'), null);
    assert.equal(parseElixirFrame('(lldb) frame variable c', 1, 'app'), null);
    const f = parseElixirFrame('    (my_app) MyApp.fun(1, 2)', 9, 'app')!;
    assert.deepEqual([f.function, f.args, f.module, f.file], ['MyApp.fun', '1, 2', 'my_app', null]);
    assert.equal(parserTriggered(elixirParser, '** (RuntimeError) boom'), true);
  });
});

describe('erlang parser', () => {
  it("the shell's `** exception error:` with `in operator`, `called as`, `in call from`", () => {
    const [t] = parse(SHELL, 1);
    assert.equal(t!.format, 'erlang');
    assert.equal(t!.kind, 'exception');
    assert.equal(t!.title, 'error: an error occurred when evaluating an arithmetic expression');
    assert.deepEqual(t!.span, { start: 2, end: 6 });
    assert.deepEqual(t!.frames.map(triple), [
      ['+/2', null, null],
      ['foo:bar/1', 'foo.erl', 5],
      ['erl_eval:do_apply/7', 'erl_eval.erl', 744],
    ]);
    assert.equal(t!.frames[0]!.args, '1 + a');
    assert.deepEqual(t!.frames[0]!.notes, ['operator']);
  });

  it('a CRASH REPORT: `exception exit:` with a stacktrace term is the cause of the exit', () => {
    const text = lines(
      '=CRASH REPORT==== 10-Apr-2021::10:00:00.000000 ===',
      '  crasher:',
      '    initial call: foo_server:init/1',
      '    pid: <0.85.0>',
      '    registered_name: foo_server',
      '    exception exit: {badarith,[{foo_server,handle_call,3,',
      '                                           [{file,"src/foo_server.erl"},{line,22}]},',
      '                               {proc_lib,init_p_do_apply,3,',
      '                                         [{file,"proc_lib.erl"},{line,226}]}]}',
      '      in function  gen_server:handle_common_reply/8 (gen_server.erl, line 805)',
      '    ancestors: [foo_sup,<0.83.0>]',
      '    messages: []',
      '  neighbours:',
      '',
      'Eshell V12.0',
    );
    const [t] = parse(text, 1);
    assert.equal(t!.kind, 'crash');
    assert.equal(t!.title, 'exit: badarith');
    assert.deepEqual(t!.thread, { name: 'foo_server', id: '<0.85.0>', state: null });
    assert.deepEqual(t!.span, { start: 1, end: 13 });
    assert.deepEqual(t!.frames.map(triple), [['gen_server:handle_common_reply/8', 'gen_server.erl', 805]]);
    const cause = t!.causes[0]!;
    assert.equal(cause.relation, 'cause');
    assert.equal(cause.type, 'badarith');
    assert.deepEqual(cause.frames.map(triple), [
      ['foo_server:handle_call/3', 'src/foo_server.erl', 22],
      ['proc_lib:init_p_do_apply/3', 'proc_lib.erl', 226],
    ]);
    assert.equal(cause.frames[0]!.docLine, 6);
    assert.equal(cause.frames[1]!.docLine, 8);
  });

  it('an ERROR REPORT: `{{badmatch,…}, Stack}` reason and the client stacktrace as a related stack', () => {
    const [t] = parse(ERROR_REPORT, 1);
    assert.equal(t!.title, 'badmatch: {error,enoent}');
    assert.deepEqual(t!.thread, { name: 'foo_server', id: null, state: null });
    assert.deepEqual(t!.span, { start: 1, end: 11 });
    assert.deepEqual(t!.frames.map(triple), [
      ['foo_server:handle_call/3', 'src/foo_server.erl', 30],
      ['gen_server:try_handle_call/4', 'gen_server.erl', 721],
    ]);
    const client = t!.related?.[0];
    assert.equal(client?.role, 'client');
    assert.equal(client?.title, 'Client <0.80.0> stacktrace');
    assert.deepEqual(triple(client?.frames[1]), ['gen_server:call/2', 'gen_server.erl', 243]);
  });

  it('a one-line logger record holding a stacktrace term', () => {
    const [t] = parse(
      lines(
        '2021-04-10T10:00:00.000000+00:00 error: Error in process <0.90.0> with exit value: {badarg,[{erlang,list_to_atom,[1],[{error_info,#{module => erl_erts_errors}}]},{foo,go,0,[{file,"foo.erl"},{line,3}]}]}',
        '2021-04-10T10:00:00.000001+00:00 info: next',
      ),
      1,
    );
    assert.equal(t!.title, 'badarg');
    assert.deepEqual(t!.thread, { name: null, id: '<0.90.0>', state: null });
    assert.deepEqual(t!.frames.map(triple), [
      ['erlang:list_to_atom', null, null],
      ['foo:go/0', 'foo.erl', 3],
    ]);
    assert.equal(t!.frames[0]!.args, '1');
    assert.deepEqual(t!.span, { start: 1, end: 1 });
    assert.equal(parserTriggered(erlangParser, '=ERROR REPORT==== 1-Jan-2020::00:00:00 ==='), true);
  });

  it('an INFO REPORT makes no trace, nor does a report without a stack or a termination', () => {
    parse(
      lines(
        '=INFO REPORT==== 10-Apr-2021::10:00:00 ===',
        '    application: foo',
        '    started_at: nonode@nohost',
        '',
        '=ERROR REPORT==== 10-Apr-2021::10:00:00 ===',
        'Something went wrong: {error,timeout}',
        '',
      ),
      0,
    );
  });
});

describe('erlang and elixir in real documents', () => {
  it('reports between log lines and a Java trace: each goes to its own parser', () => {
    const text = lines(
      '2024-05-01 10:00:00,001 INFO  [main] starting',
      SHELL,
      GENSERVER,
      '2024-05-01 10:00:01,002 ERROR [main] bridge failed',
      'java.lang.IllegalStateException: node down',
      '\tat com.acme.Bridge.check(Bridge.java:42)',
      '\tat com.acme.Main.main(Main.java:7)',
      '',
      ERROR_REPORT,
      '2024-05-01 10:00:01,003 INFO  [main] shutting down',
    );
    const traces = parse(text, 4);
    assert.deepEqual(
      traces.map((t) => [t.format, t.span.start, t.span.end]),
      [
        ['erlang', 3, 7],
        ['elixir', 9, 21],
        ['java', 23, 25],
        ['erlang', 27, 37],
      ],
    );
  });

  it('CRLF line endings', () => {
    const [a, b] = parse(`${GENSERVER}\r\n\r\n${ERROR_REPORT}`.split('\n').join('\r\n'), 2);
    assert.equal(a!.frames.length, 5);
    assert.equal(a!.related?.[0]?.frames.length, 2);
    assert.equal(b!.frames[0]!.file, 'src/foo_server.erl');
    assert.equal(b!.related?.[0]?.frames.length, 2);
  });

  it('cut mid-line: Elixir arguments and Erlang terms keep what is there', () => {
    const cut = GENSERVER.slice(0, GENSERVER.indexOf('Enum."-map') + 4);
    const [t] = parse(cut, 1);
    assert.equal(t!.frames.length, 3);
    assert.deepEqual(triple(t!.frames[2]), ['Enum', 'lib/enum.ex', 975]);
    const term = ERROR_REPORT.slice(0, ERROR_REPORT.indexOf('{line,721}') + 3);
    const [r] = parse(term, 1);
    assert.equal(r!.frames.length, 2);
    assert.deepEqual(triple(r!.frames[1]), ['gen_server:try_handle_call/4', 'gen_server.erl', null]);
    assert.deepEqual(r!.frames[1]!.notes, ['truncated']);
  });

  it('re-indented: the same traces', () => {
    const indent = (s: string): string =>
      s
        .split('\n')
        .map((l) => (l === '' ? l : `   ${l}`))
        .join('\n');
    const [shell, gs, report] = parse(lines(indent(SHELL), indent(GENSERVER), indent(ERROR_REPORT)), 3);
    assert.equal(shell!.frames.length, 3);
    assert.equal(gs!.frames.length, 5);
    assert.equal(gs!.related?.[0]?.frames.length, 2);
    assert.deepEqual(gs!.thread, { name: 'MyApp.Worker', id: null, state: null });
    assert.equal(report!.frames.length, 2);
  });
});
