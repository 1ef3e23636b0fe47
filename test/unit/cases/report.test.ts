// Reports on a real repository: the handover quotes each finding's code as it is at the case's ref (not the
// later commit, not the working tree), the customer's plan leaves internal material out, and user text cannot
// inject markdown or HTML.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitRepo } from '../../../src/core/git';
import {
  CaseStore,
  customerReport,
  handoverReport,
  writeReport,
  type Case,
  type FindingEntry,
  type FindingKind,
  type JournalRead,
} from '../../../src/core/cases';
import { TempRepo } from '../resolve/fixture';
import { removeTempDirs, tempDir } from './tmp';

const FILE = 'src/main/java/com/acme/OrderService.java';
const AT_REF = '        return order.customer().name(); // 5.5.1';
const LATER = '        return order.customer() == null ? "guest" : order.customer().name();';
const WORKING = '        return name(order); // working tree';

describe('case reports', function () {
  this.timeout(60000);
  let t: TempRepo;
  let repo: GitRepo;
  let store: CaseStore;
  let v551: string;
  const now = new Date('2026-03-10T12:00:00Z');

  beforeEach(async () => {
    t = new TempRepo('orders', tempDir());
    t.write({
      [FILE]: [
        'package com.acme;',
        'class OrderService {',
        '    String name(Order order) {',
        AT_REF,
        '    }',
        '}',
        '',
      ].join('\n'),
      'src/Gone.java': 'class Gone {}\n',
    });
    v551 = t.commit('5.5.1');
    t.tag('v5.5.1');
    t.replace(FILE, 4, LATER);
    t.commit('guard null customer');
    t.replace(FILE, 4, WORKING);
    t.git('remote', 'add', 'origin', 'git@github.com:acme/orders.git');
    repo = await GitRepo.open(t.dir);
    let clock = new Date('2026-03-01T09:00:00Z');
    store = new CaseStore(path.join(tempDir(), 'cases'), {
      now: () => (clock = new Date(clock.getTime() + 60_000)),
    });
    await store.create({
      id: 'SR-123456',
      title: 'NPE on checkout',
      customer: 'Acme Bank',
      severity: 'high',
      productVersion: '5.5.1',
      ref: 'v5.5.1',
      refCommit: v551,
    });
  });
  afterEach(() => repo.close());
  after(removeTempDirs);

  async function load(): Promise<{ c: Case; journal: JournalRead }> {
    const { case: c, journal } = await store.load('SR-123456');
    return { c, journal };
  }

  /** Records a finding on the case: its kind, its text and any other fields. */
  function add(
    findingKind: FindingKind,
    text: string,
    more: Omit<Parameters<CaseStore['appendFinding']>[1], 'findingKind' | 'text'> = {},
  ): Promise<FindingEntry> {
    return store.appendFinding('SR-123456', { findingKind, text, ...more });
  }

  it("quotes the code as it is at the case's ref, not at a later commit or in the working tree", async () => {
    await add('root-cause', 'customer() is null for guest checkouts', {
      from: { type: 'selection' },
      code: {
        path: FILE,
        startLine: 3,
        endLine: 5,
        ref: 'working tree',
        excerpt: ['    String name(Order order) {', WORKING, '    }'].join('\n'),
      },
    });
    const { c, journal } = await load();
    const md = await handoverReport(c, journal, { repos: [repo], now });
    assert.ok(
      md.includes(['```java', '    String name(Order order) {', AT_REF, '    }', '```'].join('\n')),
      md,
    );
    assert.ok(!md.includes(LATER));
    assert.ok(!md.includes('return name(order); // working tree\n```'));
    assert.ok(
      md.includes(
        `([link](<https://github.com/acme/orders/blob/${v551}/src/main/java/com/acme/OrderService.java#L3-L5>))`,
      ),
    );
    assert.match(
      md,
      /\*Note: the excerpt recorded with the finding at working tree differs: the code here is the customer's\.\*/,
    );
  });

  it('the handover has every section, the timeline from the journal and what to do first', async () => {
    await store.update('SR-123456', { status: 'investigating' }, 'reproduced on 5.5.1');
    await store.update('SR-123456', { nextAction: { text: 'Send the patched build', due: '2026-03-05' } });
    await store.addEvidence('SR-123456', { name: 'server.log', data: 'java.lang.NullPointerException\n' });
    await add('question', 'Do guests check out via the API?');
    const obs = await add('observation', 'Only on 5.5.1');
    await add('observation', 'Only on 5.5.x', { supersedes: obs.id });
    await add('observation', 'From the trace', {
      from: {
        type: 'frame',
        frame: 'at com.acme.OrderService.name(OrderService.java:4)',
        trace: 'java.lang.NullPointerException',
      },
      code: { path: 'src/Gone.java', startLine: 1, endLine: 1 },
    });
    await add('observation', 'From the log', {
      from: { type: 'log', text: 'ERROR checkout failed', file: 'server.log', line: 812 },
    });
    const { c, journal } = await load();
    const md = await handoverReport(c, journal, { repos: [repo], now });
    for (const h of [
      '# Handover: SR-123456 — NPE on checkout',
      '## Summary',
      '## Status and next action',
      '## What to do first',
      '## Findings',
      '## Open questions',
      '## Evidence',
      '## Timeline',
    ])
      assert.ok(md.includes(`\n${h}\n`) || md.startsWith(`${h}\n`), h);
    assert.ok(md.includes('1. Send the patched build — due 2026-03-05 **(overdue)**'));
    assert.ok(md.includes("2. Chase the customer's answers to 1 open question (below)."));
    assert.ok(
      md.includes('3. No root cause is recorded: start from the evidence and the observations below.'),
    );
    assert.ok(md.includes('- 2026-03-01 09:03 UTC — status New → Investigating: reproduced on 5.5.1'));
    assert.ok(md.includes('- 2026-03-01 09:05 UTC — next action: Send the patched build (due 2026-03-05)'));
    assert.match(md, /- 2026-03-01 09:0\d UTC — evidence added: server.log \(log, 31 bytes\)/);
    assert.ok(md.includes('observation edited: Only on 5.5.x'));
    assert.ok(md.includes('#### 1. Only on 5.5.x'));
    assert.ok(md.includes('edited 1×'));
    assert.ok(!md.includes('#### 1. Only on 5.5.1'));
    assert.ok(
      md.includes(
        'From frame `at com.acme.OrderService.name(OrderService.java:4)` of java.lang.NullPointerException',
      ),
    );
    assert.ok(md.includes('`src/Gone.java` lines 1–1 at `v5.5.1`'));
    assert.ok(md.includes('From log line `ERROR checkout failed` (server.log:812)'));
  });

  it('a file missing at the ref falls back to the recorded excerpt, saying so; a hostile path is not read', async () => {
    await add('observation', 'new file', {
      code: { path: 'src/New.java', startLine: 1, endLine: 1, excerpt: 'class New {}' },
    });
    await add('observation', 'hostile', { code: { path: '../../etc/passwd', startLine: 1, endLine: 1 } });
    await add('observation', 'still quoted', { code: { path: FILE, startLine: 4, endLine: 4 } });
    const { c, journal } = await load();
    const md = await handoverReport(c, journal, { repos: [repo], now });
    assert.ok(
      md.includes('Not quoted: src/New.java is not in v5.5.1. As recorded:\n\n```java\nclass New {}\n```'),
      md,
    );
    assert.match(
      md,
      /Not quoted: refusing path "\.\.\/\.\.\/etc\/passwd": a path may not contain a "\.\." part\./,
    );
    assert.ok(md.includes(['```java', AT_REF, '```'].join('\n')));
  });

  it("the customer's plan has the customer-facing kinds only, no internal findings, code or paths", async () => {
    await add('root-cause', 'A missing check for guest customers.', {
      code: { path: FILE, startLine: 4, endLine: 4 },
    });
    await add('workaround', 'Ask guests to sign in.');
    await add('action-item', 'Install 5.5.2 when released.');
    await add('action-item', 'Escalate to PG for a hotfix', { internal: true });
    await add('question', 'Which JDK do you run?');
    await add('question', 'Answered already', { done: true });
    await add('observation', 'The code is a mess');
    const { c, journal } = await load();
    const plan = customerReport(c, journal, { now });
    assert.equal(
      plan,
      [
        '# Action plan: SR-123456 — NPE on checkout',
        '',
        '- **Customer:** Acme Bank',
        '- **Product version:** 5.5.1',
        '- **Status:** New',
        '- **Prepared:** 2026-03-10',
        '',
        '## What we found',
        '',
        '- A missing check for guest customers.',
        '',
        '## Workaround',
        '',
        '- Ask guests to sign in.',
        '',
        '## Next steps',
        '',
        '1. Install 5.5.2 when released.',
        '',
        '## What we need from you',
        '',
        '1. Which JDK do you run?',
        '',
      ].join('\n'),
    );
  });

  it('user text cannot open headings, lists, HTML or code blocks', async () => {
    await store.update('SR-123456', {
      title: '# Owned <script>alert(1)</script> [x](javascript:alert(1))',
      customer: '> quoted',
    });
    await add(
      'root-cause',
      '## not a heading\n- not a list\n```\n1. not numbered\n<img src=x onerror=alert(1)>',
    );
    const { c, journal } = await load();
    for (const md of [
      await handoverReport(c, journal, { repos: [repo], now }),
      customerReport(c, journal, { now }),
    ]) {
      assert.ok(!md.includes('<script>') && !md.includes('<img'), md);
      assert.ok(md.includes('\\# Owned &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:alert(1))'));
      const lines = md.split('\n');
      assert.equal(lines.filter((l) => l.startsWith('#') && !/^#{1,4} /.test(l)).length, 0);
      assert.ok(
        !lines.some((l) => l === '## not a heading' || l === '- not a list' || l.startsWith('```\n')),
      );
      assert.ok(md.includes('\\#\\# not a heading'));
      assert.ok(md.includes('\\- not a list'));
      assert.ok(md.includes('1\\. not numbered'));
      assert.ok(!lines.includes('```'));
    }
  });

  it('writes handover.md and action-plan.md into the case folder', async () => {
    const h = await writeReport(store, 'SR-123456', { repos: [repo], now });
    assert.equal(h.file, path.join(store.root, 'SR-123456', 'handover.md'));
    assert.equal(fs.readFileSync(h.file, 'utf8'), h.text);
    const p = await writeReport(store, 'SR-123456', { customer: true, now });
    assert.equal(path.basename(p.file), 'action-plan.md');
    assert.match(fs.readFileSync(p.file, 'utf8'), /^# Action plan: SR-123456/);
  });

  it('without a repository or a ref the handover says why code is not quoted', async () => {
    await add('observation', 'x', { code: { path: FILE, startLine: 4, endLine: 4 } });
    const { c, journal } = await load();
    assert.match(await handoverReport(c, journal, { now }), /Not quoted: no repository to quote from\./);
    const noRef = { ...c, ref: null, refCommit: null };
    assert.match(
      await handoverReport(noRef, journal, { repos: [repo], now }),
      /Not quoted: the case has no ref\./,
    );
  });
});
