// The Cases view's data: overdue next actions, age and last update, grouping by status, sorting.

import * as assert from 'node:assert/strict';
import { caseRows, groupByStatus, isOverdue, since, type Case } from '../../../src/core/cases';

const NOW = new Date('2026-03-10T12:00:00Z');

function c(id: string, over: Partial<Case>): Case {
  return {
    v: 1,
    id,
    title: id,
    customer: '',
    severity: 'medium',
    status: 'new',
    productVersion: null,
    ref: null,
    refCommit: null,
    workingBranch: null,
    owner: null,
    nextAction: null,
    created: '2026-03-01T00:00:00Z',
    updated: '2026-03-10T09:00:00Z',
    ...over,
  };
}

describe('cases view data', () => {
  it('a next action is overdue after its day, or after its time', () => {
    assert.equal(isOverdue({ text: 'x', due: '2026-03-09' }, NOW), true);
    assert.equal(isOverdue({ text: 'x', due: '2026-03-11' }, NOW), false);
    assert.equal(isOverdue({ text: 'x', due: '2026-03-10T11:00:00Z' }, NOW), true);
    assert.equal(isOverdue({ text: 'x', due: null }, NOW), false);
    assert.equal(isOverdue(null, NOW), false);
  });

  it('says how long ago in the largest whole unit', () => {
    assert.deepEqual(
      [
        '2026-03-10T11:59:30Z',
        '2026-03-10T11:48:00Z',
        '2026-03-10T07:00:00Z',
        '2026-03-07T12:00:00Z',
        'garbage',
      ].map((t) => since(t, NOW)),
      ['just now', '12 min', '5 h', '3 d', '?'],
    );
  });

  it('sorts by severity (then overdue, then oldest), by age and by last update; groups in workflow order', () => {
    const cases = [
      c('A', { severity: 'low', created: '2026-01-01T00:00:00Z' }),
      c('B', { severity: 'critical', status: 'investigating' }),
      c('C', { severity: 'critical', status: 'investigating', nextAction: { text: 'x', due: '2026-03-01' } }),
      c('D', { severity: 'high', status: 'closed', updated: '2026-03-10T11:00:00Z' }),
    ];
    assert.deepEqual(
      caseRows(cases, NOW).map((r) => r.case.id),
      ['C', 'B', 'D', 'A'],
    );
    assert.deepEqual(
      caseRows(cases, NOW, 'age').map((r) => r.case.id),
      ['A', 'B', 'C', 'D'],
    );
    assert.deepEqual(
      caseRows(cases, NOW, 'updated').map((r) => r.case.id),
      ['D', 'A', 'B', 'C'],
    );
    const groups = groupByStatus(caseRows(cases, NOW));
    assert.deepEqual(
      groups.map((g) => [g.label, g.rows.map((r) => r.case.id)]),
      [
        ['New', ['A']],
        ['Investigating', ['C', 'B']],
        ['Closed', ['D']],
      ],
    );
    const a = caseRows(cases, NOW, 'age')[0]!;
    assert.deepEqual(
      [a.ageDays, a.lastUpdate, a.severityLabel, a.statusLabel, a.overdue],
      [68, '3 h', 'Sev 4 (low)', 'New', false],
    );
  });
});
