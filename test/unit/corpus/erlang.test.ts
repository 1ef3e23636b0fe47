// Erlang and Elixir traces from the corpus, as a reader lists their frames. Decisions the traces force:
// - an Elixir frame's function is written as Elixir writes it: `Mod.fun/2`, or `Mod.fun` with the arguments
//   in `args` when the frame carries them (cut argument dumps keep what is there and are noted 'truncated');
//   `module` is the OTP application with its version as written (`stdlib 6.2.2.2`);
// - an Erlang term frame `{M,F,A,Loc}` is `M:F/A` (or `M:F` with args), atoms as written (quotes kept);
//   a frame cut mid-term is kept with what is there, noted 'truncated';
// - a stacktrace inside a frame's arguments (terminate/2 called with the first crash) is a cause of the
//   report's exception with relation 'context' (it was being handled when the second one happened);
// - headless Elixir frames at the top of an excerpt are a trace of their own.

import { expectTraces } from './harness';

describe('corpus: erlang-elixir', () => {
  it('02 ejabberd: Elixir-formatted GenServer crash of an Erlang module, args cut by the logger', () => {
    expectTraces('erlang-elixir/02-ejabberd-erlang-module-elixir-formatted-log.txt', [
      {
        format: 'elixir',
        kind: 'exception',
        title: 'FunctionClauseError: no function clause matching in :mod_muc_log.terminate/2',
        type: 'FunctionClauseError',
        message: 'no function clause matching in :mod_muc_log.terminate/2',
        thread: { name: ':"mod_muc_log_example.com"', id: '<0.603.0>' },
        span: [1, 7],
        frames: 4,
        first: [':mod_muc_log.terminate', 'src/mod_muc_log.erl', 147],
        last: [':proc_lib.init_p_do_apply/3', 'proc_lib.erl', 329],
        at: {
          0: {
            module: 'ejabberd 25.10.0',
            args: ':shutdown, {:logstate, "example.com", "/var/www/chatlogs", :plain, :room_jid, :html, {644, 33}, {:file, "/',
            notes: ['truncated'],
          },
          1: { function: ':gen_server.try_terminate/3', module: 'stdlib 6.2.2.2', args: null },
        },
      },
    ]);
  });

  it('03 gen_magic: re-indented pre-1.10 report, applications without versions, full arguments', () => {
    expectTraces('erlang-elixir/03-gen-magic-old-elixir-app-without-version.txt', [
      {
        format: 'elixir',
        kind: 'exception',
        type: 'FunctionClauseError',
        message: 'no function clause matching in GenMagic.ApprenticeServer.handle_info/2',
        thread: { name: null, id: '#PID<0.199.0>' },
        span: [1, 7],
        frames: 4,
        first: ['GenMagic.ApprenticeServer.handle_info', 'lib/gen_magic/apprentice_server.ex', 41],
        last: [':proc_lib.init_p_do_apply/3', 'proc_lib.erl', 249],
        at: {
          0: {
            module: 'gen_magic',
            args: '{:stderr, 12304, "\\n"}, %GenMagic.ApprenticeServer.State{count: 2, ospid: 12304, pid: #PID<0.243.0>, started: true}',
            notes: undefined,
          },
          3: { module: 'stdlib' },
        },
      },
    ]);
  });

  it("04 remote_retro: Honeybadger's Ruby-like rendering of Elixir and Erlang frames", () => {
    expectTraces('erlang-elixir/04-remote-retro-honeybadger-elixir-ruby-style.txt', [
      {
        format: 'elixir',
        kind: 'exception',
        title: 'FunctionClauseError: no function clause matching in :lib.is_op/2',
        type: 'FunctionClauseError',
        span: [1, 9],
        frames: 6,
        first: ['add_idea!/2', 'lib/remote_retro_web/channels/retro_channel.ex', 92],
        last: ['handle_msg/6', 'gen_server.erl', 686],
        at: {
          2: { function: '-handle_info/2-fun-4-/4', file: 'lib/phoenix/channel/server.ex', line: 244 },
          4: { function: 'try_dispatch/4', file: 'gen_server.erl', module: null },
        },
      },
    ]);
  });

  it('05 elixir_talk (PARTIAL): =ERROR REPORT==== with a nested stacktrace term, cut mid-term', () => {
    expectTraces('erlang-elixir/05-elixir-talk-erlang-error-report-nested-term-PARTIAL.txt', [
      {
        // The tail of the report before it: two headless Elixir frames.
        format: 'elixir',
        kind: 'exception',
        span: [1, 2],
        frames: 2,
        first: [':gen_server.terminate/7', 'gen_server.erl', 787],
        last: [':proc_lib.init_p_do_apply/3', 'proc_lib.erl', 237],
        at: { 0: { module: 'stdlib' } },
      },
      {
        format: 'erlang',
        kind: 'crash',
        title: 'function_clause',
        type: 'function_clause',
        thread: { name: null, id: '<0.112.0>' },
        span: [5, 28],
        frames: 4,
        first: ["'Elixir.ElixirTalk.Connect':terminate", 'lib/elixir_talk/connect.ex', 81],
        last: ['proc_lib:init_p_do_apply/3', null, null],
        at: {
          0: { docLine: 11 },
          1: { function: 'gen_server:try_terminate/3', file: 'gen_server.erl', line: 621, docLine: 26 },
          3: { notes: ['truncated'], docLine: 28 },
        },
        causes: [
          {
            relation: 'context',
            type: 'function_clause',
            frames: 5,
            first: ["'Elixir.ElixirTalk.Connect':do_result", 'lib/elixir_talk/connect.ex', 108],
            last: ['proc_lib:init_p_do_apply/3', 'proc_lib.erl', 237],
            at: {
              0: { args: '<<"WATCHING">>,<<>>', docLine: 13 },
              1: { function: "'Elixir.ElixirTalk.Connect':handle_call/3", line: 63, docLine: 16 },
            },
          },
        ],
      },
    ]);
  });
});
