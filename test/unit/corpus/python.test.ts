// Python tracebacks from the corpus, as a reader lists their frames: innermost (printed last) first, the last
// exception printed is the top of the chain and each one printed before it is its cause.

import * as assert from 'node:assert/strict';
import type { TraceNode } from '../../../src/core/trace';
import { expectTraces, parseCorpus } from './harness';

/** How each node of the first trace hangs off its parent, top first (the harness does not compare it). */
function relations(rel: string): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let n: TraceNode | undefined = parseCorpus(rel)[0]; n; n = n.causes[0]) out.push(n.relation);
  return out;
}

describe('corpus: python', () => {
  it('03 django session: every line flush-left, two "During handling" chains', () => {
    expectTraces('python/03-django-session-flattened-no-indent.txt', [
      {
        format: 'python',
        kind: 'exception',
        type: 'binascii.Error',
        message: 'Incorrect padding',
        title: 'binascii.Error: Incorrect padding',
        // From the first `Traceback` line (the Django log line above is not part of it) to the last exception.
        span: [2, 57],
        frames: 19,
        first: ['b64decode', '/usr/local/lib/python3.8/base64.py', 87],
        last: ['inner', '/usr/local/lib/python3.8/site-packages/django/core/handlers/exception.py', 47],
        at: {
          // Source lines are told from frames and exception lines by content alone, keywords included.
          0: { source: 'return binascii.a2b_base64(s)', docLine: 55 },
          9: {
            function: '<lambda>',
            file: '/usr/local/lib/python3.8/site-packages/django/contrib/auth/middleware.py',
            line: 23,
            source: 'request.user = SimpleLazyObject(lambda: get_user(request))',
          },
          12: {
            function: '_verify_user',
            file: '/usr/local/lib/python3.8/site-packages/django_otp/middleware.py',
          },
          15: { function: 'dispatch', source: 'if not request.user.is_authenticated:' },
        },
        causes: [
          {
            type: 'django.core.signing.BadSignature',
            message: 'Signature "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" does not match',
            span: [7, 16],
            frames: 4,
            first: ['unsign', '/usr/local/lib/python3.8/site-packages/django/core/signing.py', 184],
            last: [
              'decode',
              '/usr/local/lib/python3.8/site-packages/django/contrib/sessions/backends/base.py',
              118,
            ],
            at: { 0: { source: 'raise BadSignature(\'Signature "%s" does not match\' % sig)' } },
            causes: [
              {
                type: 'AttributeError',
                message: "'SessionStore' object has no attribute '_session_cache'",
                span: [2, 5],
                frames: 1,
                first: [
                  '_get_session',
                  '/usr/local/lib/python3.8/site-packages/django/contrib/sessions/backends/base.py',
                  215,
                ],
                at: { 0: { source: 'return self._session_cache' } },
                causes: [],
              },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(relations('python/03-django-session-flattened-no-indent.txt'), [
      undefined,
      'context',
      'context',
    ]);
  });

  it('04 django test runner: one-space File lines, tab-indented source, both chain markers, SQL context lines', () => {
    const sqlContext =
      'LINE 1: ...n_flag", "django_admin_log"."change_message" FROM "django_ad...\n' + '\t'.repeat(15) + ' ^';
    expectTraces('python/04-django-testrunner-tab-indented-both-chain-markers.txt', [
      {
        format: 'python',
        kind: 'exception',
        type: 'psycopg2.errors.InvalidCursorName',
        message: 'cursor "_django_curs_139860821038912_sync_1" does not exist',
        span: [1, 64],
        frames: 19,
        first: [
          'execute_sql',
          '/usr/local/lib/python3.6/site-packages/django/db/models/sql/compiler.py',
          1159,
        ],
        last: ['<module>', './manage.py', 15],
        at: {
          0: { source: 'cursor.close()', docLine: 62 },
          // A source line that is only the tail of a call spread over several lines.
          9: { function: 'setup_databases', line: 616, source: 'self.parallel, **kwargs' },
          18: { source: 'main()', docLine: 26 },
        },
        causes: [
          {
            type: 'django.db.utils.ProgrammingError',
            // The PostgreSQL context lines after the exception line, the tab-aligned caret included.
            message: `relation "django_admin_log" does not exist\n${sqlContext}`,
            span: [8, 23],
            frames: 6,
            first: ['_execute', '/usr/local/lib/python3.6/site-packages/django/db/backends/utils.py', 84],
            last: [
              'execute_sql',
              '/usr/local/lib/python3.6/site-packages/django/db/models/sql/compiler.py',
              1156,
            ],
            at: {
              1: {
                function: '__exit__',
                source: 'raise dj_exc_value.with_traceback(traceback) from exc_value',
              },
            },
            causes: [
              {
                type: 'psycopg2.errors.UndefinedTable',
                message: `relation "django_admin_log" does not exist\n${sqlContext}`,
                span: [1, 6],
                frames: 1,
                first: ['_execute', '/usr/local/lib/python3.6/site-packages/django/db/backends/utils.py', 84],
                causes: [],
              },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(relations('python/04-django-testrunner-tab-indented-both-chain-markers.txt'), [
      undefined,
      'context',
      'cause',
    ]);
  });

  it('05 seaborn in IPython: verbose layout, arrowed context lines, chained twice', () => {
    const core = '~/.Software/miniforge3/envs/py3.9/lib/python3.8/site-packages/seaborn/_core.py';
    expectTraces('python/05-seaborn-ipython-verbose-context-chained.txt', [
      {
        format: 'python',
        kind: 'exception',
        type: 'TypeError',
        title:
          "TypeError: ufunc 'isnan' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''",
        // From the dashed rule above the first header.
        span: [1, 92],
        frames: 10,
        first: ['_lookup_single', core, 151],
        last: ['<module>', '<ipython-input-3-46dd21e9c95a>', 4],
        at: {
          // The header line is the frame's line; the arrowed context line gives its line number.
          0: { args: 'self, key', docLine: 85, source: 'if np.isnan(key):' },
          1: { function: '<listcomp>', args: '.0', line: 63 },
          4: {
            function: 'scatterplot',
            file: '~/.Software/miniforge3/envs/py3.9/lib/python3.8/site-packages/seaborn/relational.py',
            line: 820,
          },
          8: { function: 'map', line: 1265, args: 'self, func, **kwargs' },
          9: { args: null, docLine: 23, source: 'g.map(sns.scatterplot, hue=iris["species"])' },
        },
        causes: [
          {
            type: 'TypeError',
            message: "'NoneType' object is not callable",
            span: [12, 18],
            frames: 1,
            first: ['_lookup_single', core, 149],
            causes: [
              {
                type: 'KeyError',
                message: "'setosa'",
                span: [1, 8],
                frames: 1,
                first: ['_lookup_single', core, 144],
                at: { 0: { source: 'value = self.lookup_table[key]', docLine: 3 } },
                causes: [],
              },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(relations('python/05-seaborn-ipython-verbose-context-chained.txt'), [
      undefined,
      'context',
      'context',
    ]);
  });

  it('06 sklearn in the REPL: <stdin> frame, redacted Windows paths, prompts around the trace', () => {
    const numpy = '[...]\\Python36\\lib\\site-packages\\numpy\\core\\fromnumeric.py';
    const message =
      "Cannot cast array data from dtype('float64') to dtype('<U32') according to the rule 'safe'";
    expectTraces('python/06-sklearn-redacted-path-repl.txt', [
      {
        format: 'python',
        kind: 'exception',
        type: 'TypeError',
        message,
        // Not the `>>> le.transform([])` prompt above it.
        span: [10, 27],
        frames: 5,
        first: ['_wrapit', numpy, 47],
        last: ['<module>', '<stdin>', 1],
        at: {
          1: { function: '_wrapfunc', line: 67 },
          3: {
            function: 'transform',
            file: '[...]\\Python36\\lib\\site-packages\\sklearn\\preprocessing\\label.py',
            line: 134,
          },
          // The REPL echoes no source for <stdin>.
          4: { source: undefined },
        },
        causes: [
          {
            type: 'TypeError',
            message,
            span: [10, 13],
            frames: 1,
            first: ['_wrapfunc', numpy, 57],
            causes: [],
          },
        ],
      },
    ]);
    assert.deepEqual(relations('python/06-sklearn-redacted-path-repl.txt'), [undefined, 'context']);
  });

  it('07 django migrate on Windows: command output and PyCharm marker before the trace, "direct cause"', () => {
    const venv = 'D:\\Projects\\Development\\sqliteerror\\.venv\\lib\\site-packages\\django\\';
    expectTraces('python/07-django-migrate-windows-pycharm-noise.txt', [
      {
        format: 'python',
        kind: 'exception',
        type: 'django.db.utils.OperationalError',
        message: 'the "." operator prohibited in index expressions',
        // Starts at `Traceback`, not at `Applying …python-BaseException`.
        span: [6, 56],
        frames: 21,
        first: ['execute', `${venv}db\\backends\\sqlite3\\base.py`, 416],
        last: ['run_from_argv', `${venv}core\\management\\base.py`, 373],
        at: {
          2: { function: '__exit__', file: `${venv}db\\utils.py`, line: 90 },
          17: { function: 'handle', line: 253, source: 'post_migrate_state = executor.migrate(' },
        },
        causes: [
          {
            type: 'sqlite3.OperationalError',
            message: 'the "." operator prohibited in index expressions',
            span: [6, 11],
            frames: 2,
            first: ['execute', `${venv}db\\backends\\sqlite3\\base.py`, 416],
            last: ['_execute', `${venv}db\\backends\\utils.py`, 84],
            causes: [],
          },
        ],
      },
    ]);
    assert.deepEqual(relations('python/07-django-migrate-windows-pycharm-noise.txt'), [undefined, 'cause']);
  });
});
