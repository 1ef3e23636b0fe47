// How the debug adapter words replay answers in DAP: the expressions a watch uses for nested variables, the
// exception filters, and stop reasons with their descriptions.

import * as assert from 'node:assert/strict';
import { childExpression, exceptionFilters, isPath, stoppedEvent } from '../../../src/debug/present';

describe('debug adapter presentation', function () {
  it('names nested variables with expressions the evaluator reads', function () {
    assert.equal(childExpression('', 'order'), 'order');
    assert.equal(childExpression('order', 'total'), 'order.total');
    assert.equal(childExpression('order.items', '0'), 'order.items[0]');
    assert.equal(childExpression('headers', 'content-type'), 'headers["content-type"]');
    assert.equal(childExpression('headers', 'say "hi"'), undefined);
    assert.equal(childExpression('', '0'), undefined);
    assert.equal(isPath('order.items[0]["content-type"].sku'), true);
    assert.equal(isPath('count == 1'), false);
    assert.equal(isPath(`a${'.b'.repeat(50_000)} +`), false);
  });

  it('turns DAP exception filters into the runtime filters', function () {
    const { filters, statuses } = exceptionFilters({
      filters: ['all'],
      filterOptions: [
        { filterId: 'types', condition: ' IOException ,java.lang.Error,' },
        { filterId: 'odd' },
      ],
    });
    assert.deepEqual(filters, { all: true, types: ['IOException', 'java.lang.Error'] });
    assert.deepEqual(
      statuses.map((s) => s.verified),
      [true, true, false],
    );
  });

  it('says where and why a replay stopped', function () {
    const base = { index: 41, threadId: 3, frameIndex: 0, output: [], omittedOutput: 0 };
    const data = stoppedEvent(
      { ...base, reason: { kind: 'data-breakpoint', breakpointId: 7, oldValue: '1', newValue: '2' } },
      100,
    );
    assert.deepEqual(data.body, {
      reason: 'data breakpoint',
      threadId: 3,
      description: 'Value changed: 1 → 2 (event 42 of 100)',
      allThreadsStopped: true,
      hitBreakpointIds: [7],
    });
    const end = stoppedEvent({ ...base, reason: { kind: 'end' } }, 100);
    assert.equal(end.body.reason, 'end of session');
    assert.equal(end.event, 'stopped');
    const ex = stoppedEvent({ ...base, reason: { kind: 'exception', type: 'E', message: null } }, 100);
    assert.equal(ex.body.text, 'E');
  });
});
