// `escalate case list|show|report`, in process, over a real store and repository: output, exit codes and the
// one-line messages for bad input.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaseStore } from '../../../src/core/cases';
import { TempRepo } from '../resolve/fixture';
import { runCli } from '../runCli';
import { removeTempDirs, tempDir } from './tmp';

/** Through the CLI's entry point, as `escalate case …` runs. */
async function run(...args: string[]): Promise<{ status: number; out: string; err: string }> {
  const { status, stdout, stderr } = await runCli('case', ...args);
  return { status, out: stdout, err: stderr };
}

describe('escalate case', function () {
  this.timeout(60000);
  let root: string;
  let repo: TempRepo;

  after(removeTempDirs);

  before(async () => {
    repo = new TempRepo('orders', tempDir());
    repo.write({ 'src/A.java': 'class A {\n  void f() { g(null); }\n}\n' });
    const commit = repo.commit('5.5.1');
    repo.tag('v5.5.1');
    repo.replace('src/A.java', 2, '  void f() { g(guard()); }');
    repo.commit('later');
    root = path.join(tempDir(), 'cases');
    const store = new CaseStore(root);
    await store.create({
      id: 'SR-123456',
      title: 'NPE on checkout',
      customer: 'Acme',
      severity: 'critical',
      ref: 'v5.5.1',
      refCommit: commit,
    });
    await store.update('SR-123456', {
      status: 'investigating',
      nextAction: { text: 'Call back', due: '2020-01-01' },
    });
    await store.appendFinding('SR-123456', {
      findingKind: 'root-cause',
      text: 'g gets null',
      code: { path: 'src/A.java', startLine: 2, endLine: 2 },
    });
    await store.appendFinding('SR-123456', { findingKind: 'observation', text: 'internal musing' });
    await store.create({ id: 'CASE-4711', title: 'Slow export', customer: 'Globex', severity: 'low' });
    fs.mkdirSync(path.join(root, 'BROKEN-1'));
    fs.writeFileSync(path.join(root, 'BROKEN-1', 'case.json'), '{nope');
  });

  it('list groups by status, marks overdue next actions and warns about unreadable folders', async () => {
    const r = await run('list', '--store', root);
    assert.equal(r.status, 0);
    const lines = r.out.split('\n');
    assert.equal(lines[0], 'New (1)');
    assert.match(
      lines[1]!,
      /^ {2}CASE-4711 {2}Sev 4 \(low\) {2}Globex {2}Slow export {2}\(age 0 d, updated just now\)$/,
    );
    assert.equal(lines[2], 'Investigating (1)');
    assert.match(
      lines[3]!,
      /^ {2}SR-123456 {2}Sev 1 \(critical\) {2}Acme {2}NPE on checkout .*next: Call back \(due 2020-01-01, OVERDUE\)\)$/,
    );
    assert.equal(lines[4], `2 cases in ${root}`);
    assert.match(r.err, /^escalate: warning: BROKEN-1\/case\.json is not valid JSON/);
  });

  it('list --json', async () => {
    const r = await run('list', '--store', root, '--json', '--sort', 'age');
    const j = JSON.parse(r.out) as {
      cases: { id: string; overdue: boolean }[];
      problems: { folder: string }[];
    };
    assert.deepEqual(
      j.cases.map((c) => [c.id, c.overdue]),
      [
        ['SR-123456', true],
        ['CASE-4711', false],
      ],
    );
    assert.deepEqual(
      j.problems.map((p) => p.folder),
      ['BROKEN-1'],
    );
  });

  it('show prints the case and its findings with their ids; --json too', async () => {
    const r = await run('show', 'SR-123456', '--store', root);
    assert.equal(r.status, 0);
    assert.match(
      r.out,
      /^SR-123456: NPE on checkout\n {2}customer Acme; Sev 1 \(critical\); Investigating\n/,
    );
    assert.match(
      r.out,
      /Findings \(2\)\n {2}\[[0-9a-z]+-[0-9a-f]{8}\] Root cause: g gets null {2}src\/A\.java:2-2\n/,
    );
    const j = JSON.parse((await run('show', 'SR-123456', '--store', root, '--json')).out) as {
      findings: { text: string }[];
    };
    assert.deepEqual(
      j.findings.map((f) => f.text),
      ['g gets null', 'internal musing'],
    );
  });

  it("report -o - prints the handover with code at the case's ref", async () => {
    const r = await run('report', 'SR-123456', '--store', root, '--repo', repo.dir, '-o', '-');
    assert.equal(r.status, 0, r.err);
    assert.ok(r.out.includes('```java\n  void f() { g(null); }\n```'), r.out);
    assert.ok(!r.out.includes('guard()'));
  });

  it('report writes into the case folder; --customer writes the action plan without internal notes', async () => {
    const r = await run('report', 'SR-123456', '--store', root, '--repo', repo.dir);
    assert.equal(r.status, 0, r.err);
    assert.equal(path.resolve(r.out.trim()), path.join(root, 'SR-123456', 'handover.md'));
    const c = await run('report', 'SR-123456', '--store', root, '--customer');
    const plan = fs.readFileSync(path.join(root, 'SR-123456', 'action-plan.md'), 'utf8');
    assert.equal(c.status, 0);
    assert.ok(plan.includes('- g gets null'));
    assert.ok(!plan.includes('internal musing') && !plan.includes('src/A.java'));
  });

  it('bad input: one line on stderr and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['show', 'SR-999', '--store', root], /^escalate: no case SR-999 in .*\n$/],
      [
        ['show', '../etc', '--store', root],
        /^escalate: refusing case ID "\.\.\/etc": a case ID may not contain slashes\n$/,
      ],
      [
        ['show', 'BROKEN-1', '--store', root],
        /^escalate: case BROKEN-1: BROKEN-1\/case\.json is not valid JSON .*will not overwrite it\)\n$/,
      ],
      [
        ['report', 'SR-123456', '--store', root, '--repo', '/nonexistent'],
        /^escalate: not a git work tree: \/nonexistent is not a directory\n$/,
      ],
      [['show', '--store', root], /^escalate: case show needs one case ID\n$/],
      [['frobnicate'], /^escalate: unknown case command 'frobnicate'/],
      [['list', '--sort', 'size'], /^escalate: --sort wants severity, age or updated, not "size"\n$/],
      [['list', '--bogus'], /^escalate: Unknown option '--bogus'/],
    ];
    for (const [args, err] of cases) {
      const r = await run(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.err, err);
      assert.equal(r.err.split('\n').length, 2, r.err);
    }
  });

  it('an empty or missing store lists no cases', async () => {
    const r = await run('list', '--store', path.join(root, 'nothing-here'));
    assert.deepEqual(
      [r.status, r.out.trim(), r.err],
      [0, `0 cases in ${path.join(root, 'nothing-here')}`, ''],
    );
  });
});
