// Ruby backtraces from the corpus, as a reader lists their frames: the uncaught-exception line is frame 0
// (Ruby prints the innermost frame there), the `from` lines follow.

import { expectTraces } from './harness';

describe('corpus: ruby', () => {
  it('02 all-ruby: version column before the header, error_highlight lines, 3.3 backticks and 3.4 quotes', () => {
    // Each version's run is its own trace: `exit 1` and the `...` line end it.
    const v33 = (span: [number, number]) => ({
      format: 'ruby' as const,
      kind: 'exception' as const,
      type: 'NameError',
      message: "undefined local variable or method `time' for main",
      title: "NameError: undefined local variable or method `time' for main",
      span,
      frames: 2,
      first: ['foo', '-e', 1] as [string, string, number],
      last: ['<main>', '-e', 1] as [string, string, number],
      // error_highlight's echoed line belongs to the frame it marks, not to the message.
      at: { 0: { source: 'def foo; time; end; foo', column: null } },
    });
    expectTraces('ruby/02-all-ruby-versions-column-error-highlight-34-quotes.txt', [
      v33([2, 6]),
      v33([9, 13]),
      {
        format: 'ruby',
        kind: 'exception',
        type: 'NameError',
        message: "undefined local variable or method 'time' for main",
        span: [15, 19],
        frames: 2,
        first: ['Object#foo', '-e', 1],
        last: ['<main>', '-e', 1],
        at: { 0: { source: 'def foo; time; end; foo' } },
      },
    ]);
  });

  it('03 pry: `NameError: …` without a location, did_you_mean line, `from (pry):4`', () => {
    expectTraces('ruby/03-pry-nameerror-did-you-mean-from-pry.txt', [
      {
        format: 'ruby',
        kind: 'exception',
        type: 'NameError',
        // The suggestion is not part of the message.
        message: "undefined local variable or method `greeting' for Person:Class",
        span: [8, 10],
        frames: 1,
        first: ['<class:Person>', '(pry)', 4],
        last: ['<class:Person>', '(pry)', 4],
      },
    ]);
  });

  it('04 did_you_mean between the message and a 7-space-indented `from`', () => {
    expectTraces('ruby/04-did-you-mean-between-message-and-from.txt', [
      {
        format: 'ruby',
        kind: 'exception',
        type: 'NameError',
        message: "undefined local variable or method `x' for main:Object",
        span: [1, 3],
        frames: 2,
        first: ['fun', 'test.rb', 3],
        last: ['<main>', 'test.rb', 7],
      },
    ]);
  });

  it('05 Honeybadger: `line N of [PROJECT_ROOT]/path: method`, no exception line', () => {
    expectTraces('ruby/05-honeybadger-line-of-project-root.txt', [
      {
        format: 'ruby',
        kind: 'exception',
        type: null,
        span: [3, 3],
        frames: 1,
        // The placeholder is kept as written: it stands for the project root, which a resolver maps.
        first: ['block in <main>', '[PROJECT_ROOT]/config/initializers/rack_attack.rb', 30],
      },
    ]);
  });
});
