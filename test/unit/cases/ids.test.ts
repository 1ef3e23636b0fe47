// Case IDs in realistic branch names and commit messages, the words that must not read as IDs (versions,
// dates, standards), user patterns (checked, never able to backtrack for long) and IDs as folder names.

import * as assert from 'node:assert/strict';
import {
  caseIdProblem,
  idFromBranch,
  idMatcher,
  idPatternProblem,
  looksLikeTimestamp,
} from '../../../src/core/cases';

const { matcher } = idMatcher();

describe('case IDs', () => {
  describe('in branch names', () => {
    const cases: [string, string | null][] = [
      ['case/SR-123456-npe-on-checkout', 'SR-123456'],
      ['case/sr-123456-npe-on-checkout', 'SR-123456'],
      ['bugfix/INC0012345', 'INC0012345'],
      ['hotfix/inc0012345-timeout', 'INC0012345'],
      ['feature/ABC-123_foo', 'ABC-123'],
      ['feature/ABC-123-foo-bar', 'ABC-123'],
      ['sr/1-234567890', '1-234567890'],
      ['case/CASE-4711', 'CASE-4711'],
      ['case4711', 'CASE4711'],
      ['escalation/CS0098765-ssl-handshake', 'CS0098765'],
      ['support/2401150010001234-login-loop', '2401150010001234'],
      ['users/dana/SR123456', 'SR123456'],
      ['PROJ-42', 'PROJ-42'],
      ['release/5.5', null],
      ['release/5.5.1', null],
      ['release-2024', null],
      ['HEAD', null],
      ['main', null],
      ['v5.5.1', null],
      ['v5.5.1-1234567890', null],
      ['5.5.1.1234', null],
      ['feature/utf-8-decoding', null],
      ['feature/UTF-8-decoding', null],
      ['fix/SHA-256-checksums', null],
      ['build/x86-64', null],
      ['build/X86-64', null],
      ['deps/node-18', null],
      ['backport/2024-01-15', null],
      ['nightly/20240115', null],
      ['nightly/202401151230', null],
      ['dependabot/npm_and_yarn/lodash-4.17.21', null],
      ['renovate/ISO-8859-1', null],
    ];
    for (const [branch, id] of cases)
      it(`${branch} → ${id ?? 'none'}`, () => assert.equal(idFromBranch(branch, matcher), id));
  });

  describe('in commit messages', () => {
    const cases: [string, string[]][] = [
      ['SR-123456: guard null customer on guest checkout', ['SR-123456']],
      ['Fix NPE (CASE-4711)', ['CASE-4711']],
      ["Merge branch 'case/SR-123456-npe' into release/5.5", ['SR-123456']],
      ['Revert "INC0012345: retry the handshake"', ['INC0012345']],
      ['ABC-123, ABC-124: share the pool', ['ABC-123', 'ABC-124']],
      ['Refs SR-123456 and sr-123456 again', ['SR-123456']],
      ['Bump version to 5.5.2', []],
      ['Use UTF-8 and SHA-256 everywhere; drop MD-5', []],
      ['Build for x86-64 and arm64 on 2024-01-15', []],
      ['See RFC-7231 and CVE-2021-44228', []],
      ['Support TLS-1 and HTTP-2', []],
      ['Release 20240115093000 snapshot', []],
      ['Timestamp 1705312200000 in logs', []],
      ['Customer case 1-234567890 (Oracle SR 3-12345678901)', ['1-234567890', '3-12345678901']],
      ['WIP', []],
    ];
    for (const [message, ids] of cases)
      it(`${JSON.stringify(message)} → ${ids.join(', ') || 'none'}`, () =>
        assert.deepEqual(
          matcher.findAll(message).map((m) => m.id),
          ids,
        ));

    it('finds the ID in a long message without trying every character for long', () => {
      const long = 'x'.repeat(200_000) + ' SR-123456';
      assert.deepEqual(matcher.findAll(long), []);
      const early = 'SR-123456 ' + '9'.repeat(200_000);
      assert.deepEqual(
        matcher.findAll(early).map((m) => m.id),
        ['SR-123456'],
      );
    });
  });

  describe('user patterns', () => {
    it('takes a custom list with case-insensitive patterns and exclusions', () => {
      const { matcher: m, problems } = idMatcher(['(?i)TKT\\d{4,6}', '[A-Z]{3}-[0-9]+'], ['FOO']);
      assert.deepEqual(problems, []);
      assert.equal(idFromBranch('fix/tkt12345-x', m), 'TKT12345');
      assert.equal(idFromBranch('fix/FOO-12', m), null);
      assert.equal(idFromBranch('fix/BAR-12', m), 'BAR-12');
      assert.equal(idFromBranch('case/SR-123456', m), null);
    });

    it('refuses groups, alternation, anchors and nested quantifiers with a clear message, keeping the rest', () => {
      const { matcher: m, problems } = idMatcher([
        '(a+)+',
        'SR|CASE',
        '^SR-\\d+',
        'A**',
        '\\w+',
        '[^x]',
        'OK-\\d+',
      ]);
      assert.equal(problems.length, 6);
      assert.match(problems[0]!, /"\(a\+\)\+" "\(" is not allowed: .*no groups, alternation or anchors/);
      assert.match(problems[3]!, /quantifier on a quantifier/);
      assert.match(problems[4]!, /"\\w" is not allowed/);
      assert.match(problems[5]!, /negated classes/);
      assert.deepEqual(m.patterns, ['OK-\\d+']);
      assert.equal(idFromBranch('fix/OK-7', m), 'OK-7');
    });

    it('bounds counts and length', () => {
      assert.match(idPatternProblem('A{1,999}')!, /count from 0 to 64/);
      assert.match(idPatternProblem('A'.repeat(121))!, /longer than 120/);
      assert.match(idPatternProblem('A?B?C?D?E?F?G?')!, /more than 6 quantifiers/);
      assert.equal(idPatternProblem('(?i)SR-?\\d{5,12}'), null);
    });

    it('a pattern that backtracks badly still only sees 65 characters from each word start', () => {
      const { matcher: m } = idMatcher(['\\d*\\d*\\d*\\d*X']);
      assert.deepEqual(m.findAll('1'.repeat(100_000)), []);
    });
  });

  describe('timestamps', () => {
    it('tells build stamps from service-request numbers', () => {
      assert.equal(looksLikeTimestamp('202401151230'), true);
      assert.equal(looksLikeTimestamp('20240115123059'), true);
      assert.equal(looksLikeTimestamp('1705312200000'), true);
      assert.equal(looksLikeTimestamp('2401150010001234'), false);
      assert.equal(looksLikeTimestamp('123456789012'), false);
    });
  });

  describe('as folder names and branch parts', () => {
    it('accepts plain IDs', () => {
      for (const id of ['SR-123456', 'INC0012345', '1-234567890', 'ABC-123', 'case_1.2'])
        assert.equal(caseIdProblem(id), null);
    });
    it('refuses what a path or a branch could be tricked with', () => {
      assert.match(caseIdProblem('..')!, /"\.\."/);
      assert.match(caseIdProblem('a/b')!, /slashes/);
      assert.match(caseIdProblem('a\\b')!, /slashes/);
      assert.match(caseIdProblem('-x')!, /start with "-"/);
      assert.match(caseIdProblem('.hidden')!, /start with "-" or "\."/);
      assert.match(caseIdProblem('a\nb')!, /control characters \(U\+000a\)/);
      assert.match(caseIdProblem('x'.repeat(65))!, /at most 64/);
      assert.match(caseIdProblem('SR-1.lock')!, /\.lock/);
      assert.match(caseIdProblem('nul.txt')!, /reserved device name/);
      assert.match(caseIdProblem('SR-1@{u}')!, /may only hold/);
    });
  });
});
