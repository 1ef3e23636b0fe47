// Evaluate over recorded values (hover, watch, conditions): lookups, members, comparisons, logic, and hostile
// expressions that must fail clearly and fast; scopes and variables by reference.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { compile } from '../../../src/core/replay/expr';
import type { ReplayRuntime } from '../../../src/core/replay/runtime';
import { ev, frame, openRuntime, tempDir, writeSession } from './fixture';

describe('replay evaluate', function () {
  this.timeout(30000);
  const dir = tempDir();
  let rt: ReplayRuntime;
  before(async () => {
    const locals = {
      n: '5',
      name: { value: '"Ada"', type: 'String' },
      ok: { value: 'True', type: 'bool' },
      none: { value: 'null', type: 'Object' },
      ratio: { value: '0.25', type: 'double' },
      items: {
        value: 'ArrayList size=2',
        type: 'List',
        children: [
          { name: '[0]', value: '10', type: 'int' },
          { name: '[1]', value: '20', type: 'int' },
        ],
      },
      tuple: {
        value: '(1, 2)',
        children: [
          { name: '', value: '7' },
          { name: '', value: '8' },
        ],
      },
      order: {
        value: 'Order@1',
        type: 'Order',
        children: [
          { name: 'total', value: '12.5', type: 'double' },
          { name: 'customer', value: 'Customer@2', children: [{ name: 'id', value: 'c-9', type: 'String' }] },
          { name: 'the key', value: 'k' },
        ],
      },
    };
    const file = writeSession(dir, 'eval.jsonl', [
      ev(0, 'M', [frame('main@1', { n: '1', argv: '[]' }), frame('a@2', locals)]),
    ]);
    rt = await openRuntime(file, 'on-demand');
  });
  after(async () => {
    await rt.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const value = (expr: string, frameIndex = 0): string => {
    const r = rt.evaluate(expr, 1, frameIndex);
    return r.ok ? r.value : `error: ${r.error}`;
  };

  it('looks up identifiers, members and indexes', () => {
    assert.deepEqual(
      [
        'n',
        'name',
        'order.total',
        'order["customer"].id',
        "order['the key']",
        'items[1]',
        'tuple[0]',
        'n',
        'argv',
      ].map((e, i) => value(e, i === 8 ? 1 : 0)),
      ['5', '"Ada"', '12.5', 'c-9', 'k', '20', '7', '5', '[]'],
    );
    assert.equal(value('n', 1), '1');
    assert.equal(value('order.missing'), 'error: order has no recorded member missing');
    assert.equal(value('nope'), 'error: nope is not recorded here');
    assert.equal(value('n.x'), 'error: n has no recorded member x');
    assert.equal(value('(1).x'), 'error: only recorded values have members');
  });

  it('compares numbers as numbers and the rest as text', () => {
    const cases: [string, string][] = [
      ['n == 5', 'true'],
      ['n == 5.0', 'true'],
      ['n > 10', 'false'],
      ['ratio < 1', 'true'],
      ['items[0] >= 10 && items[1] <= 20', 'true'],
      ['name == "Ada"', 'true'],
      ["name != 'Bob'", 'true'],
      ['"abc" < "abd"', 'true'],
      ['"10" < "9"', 'false'],
      ['ok == true', 'true'],
      ['ok && !none', 'true'],
      ['none == null', 'true'],
      ['n == null', 'false'],
      ['!(n > 1) || order.total > 12', 'true'],
      ['-n < 0', 'true'],
      ['1e3 == 1000', 'true'],
    ];
    for (const [expr, expected] of cases) assert.equal(value(expr), expected, expr);
    assert.equal(value('-name'), 'error: "-" needs a number');
  });

  it('gives values with children a reference to expand', () => {
    const r = rt.evaluate('order', 1, 0);
    assert.ok(r.ok && r.variablesReference > 0);
    assert.deepEqual([r.value, r.type, r.count], ['Order@1', 'Order', 3]);
    const children = rt.variables(r.variablesReference);
    assert.deepEqual(
      children.map((c) => [c.name, c.value, c.type, c.count, c.variablesReference > 0]),
      [
        ['total', '12.5', 'double', 0, false],
        ['customer', 'Customer@2', null, 1, true],
        ['the key', 'k', null, 0, false],
      ],
    );
    assert.deepEqual(
      rt.variables(children[1]!.variablesReference).map((c) => c.value),
      ['c-9'],
    );
    assert.deepEqual(
      rt.variables(r.variablesReference, 1, 1).map((c) => c.name),
      ['customer'],
    );
    assert.deepEqual(rt.variables(9999), []);
    const literal = rt.evaluate('"x"');
    assert.deepEqual(literal, { ok: true, value: 'x', type: 'string', variablesReference: 0, count: 0 });
  });

  it('lists scopes with references, the same reference for the same place', () => {
    const [locals] = rt.scopes(1, 0);
    assert.deepEqual([locals!.name, locals!.count], ['Locals', 8]);
    assert.equal(rt.scopes(1, 0)[0]!.variablesReference, locals!.variablesReference);
    assert.deepEqual(
      rt.variables(locals!.variablesReference).map((v) => v.name),
      ['n', 'name', 'ok', 'none', 'ratio', 'items', 'tuple', 'order'],
    );
    assert.deepEqual(rt.scopes(1, 5), []);
    assert.deepEqual(rt.scopes(2, 0), []);
  });

  it('rejects hostile expressions clearly, without hanging', () => {
    const errors = [
      ['x'.repeat(1024 * 1024), 'expression too long (1048576 characters; at most 10000)'],
      ['('.repeat(4000) + '1' + ')'.repeat(4000), 'expression nested more than 64 deep'],
      ['!'.repeat(500) + 'n', 'expression nested more than 64 deep'],
      ['a' + '.b'.repeat(2000), 'expression has more than 1000 operators'],
      ['n ==' + ' n =='.repeat(1500) + ' n', 'expression has more than 1000 operators'],
      ['a['.repeat(100) + '0' + ']'.repeat(100), 'expression nested more than 64 deep'],
      ['"unterminated', 'unterminated string'],
      ['n; process.exit(1)', "unexpected ';' at 2"],
      ['n = 1', "unexpected '=' at 3"],
      ['', 'the expression ends too early'],
      ['n n', "unexpected 'n'"],
      ['items[0', "']' expected"],
    ];
    for (const [expr, message] of errors) {
      const c = compile(expr!);
      assert.deepEqual(c.ok ? 'compiled' : c.error, message, expr!.slice(0, 40));
    }
    const r = rt.evaluate('constructor.constructor("return process")()');
    assert.deepEqual(r, { ok: false, error: "unexpected '('" });
  });
});
