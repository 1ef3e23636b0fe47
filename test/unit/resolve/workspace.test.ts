// The resolver on real git repositories: a product at two tagged versions, with lines inserted above a frame's
// line after the tag, the line itself fixed, a class moved into another file and a file moved; and the
// `escalate resolve` command over them, including hostile refs.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main, type CliIO } from '../../../src/cli/main';
import {
  CONFIDENT,
  HistoryCache,
  Resolver,
  checkLines,
  openWorkspace,
  type FrameResult,
  type Resolution,
} from '../../../src/core/resolve';
import { parseText, type Trace } from '../../../src/core/trace';
import { TempRepo, body } from './fixture';

const SERVICE = 'orders-core/src/main/java/com/acme/orders/OrderService.java';
const HELPER = 'orders-core/src/main/java/com/acme/orders/Helper.java';
const CONTROLLER = 'src/Orders/Api/OrdersController.cs';

const JAVA_TRACE = [
  'java.lang.IllegalStateException: order 42 has no lines',
  '\tat com.acme.orders.OrderService.validate(OrderService.java:212)',
  '\tat com.acme.orders.OrderService.place(OrderService.java:100)',
  '\tat com.acme.orders.Helper.run(Helper.java:20)',
  '\tat java.lang.Thread.run(Thread.java:833)',
].join('\n');

function ok(r: FrameResult | undefined): Resolution {
  assert.ok(r?.resolved, `expected an answer, got ${r?.resolved === null ? r.unresolved.reason : 'nothing'}`);
  return r.resolved;
}

function capture(): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s) => void (out += s), flush: () => {} },
    stderr: { write: (s) => void (err += s), flush: () => {} },
    out: () => out,
    err: () => err,
  };
}

describe('resolving against real repositories', function () {
  this.timeout(60000);
  let repo: TempRepo;
  let common: TempRepo;
  let base: string;
  let traceFile: string;

  before(() => {
    repo = new TempRepo('orders');
    base = path.dirname(repo.dir);
    common = new TempRepo('common', base);
    const service = body(['package com.acme.orders;', '', 'public class OrderService {'], 300);
    repo.write({
      [SERVICE]: service.replace('    // line 212\n', '        order.lines().get(0).validate();\n'),
      [HELPER]: body(['package com.acme.orders;', '', 'class Helper {'], 40),
      'billing/src/main/java/com/acme/billing/OrderService.java': body(
        ['package com.acme.billing;', '', 'public class OrderService {'],
        300,
      ),
      [CONTROLLER]: body(['namespace Acme.Orders.Api;', '', 'public class OrdersController', '{'], 60),
      'lib/io.c': body(['#include <stdio.h>'], 80, '/* line */'),
    });
    repo.commit('Orders 5.5.1');
    repo.tag('v5.5.1', true).branch('release/5.5');
    repo.insert(SERVICE, 10, ['    // audit', '    private final Audit audit = new Audit();', '']);
    repo.commit('Add audit logging');
    repo.replace(SERVICE, 215, '        if (!order.lines().isEmpty()) order.lines().get(0).validate();');
    repo.commit('Fix NPE in place when an order has no lines');
    const helper = repo.read(HELPER).split('\n').slice(2).join('\n');
    fs.rmSync(path.join(repo.dir, HELPER));
    repo.write({ [SERVICE]: repo.read(SERVICE) + '\n' + helper });
    repo.commit('Move Helper into OrderService.java');
    repo.move('lib/io.c', 'src/io/io.c');
    repo.insert('src/io/io.c', 2, ['#include <errno.h>', '#include <string.h>']);
    repo.commit('Move io.c under src/io');
    repo.tag('v5.6.0');
    // Uncommitted work in the engineer's tree.
    repo.insert(CONTROLLER, 1, ['// TODO: retry']);

    common.write({
      'src/Common/Retry.cs': body(['namespace Acme.Common;', '', 'public static class Retry', '{'], 40),
    });
    common.commit('Common 5.5.1');
    common.tag('5.5.1');

    traceFile = path.join(base, 'trace.txt');
    fs.writeFileSync(traceFile, JAVA_TRACE + '\n');
  });

  after(() => fs.rmSync(base, { recursive: true, force: true }));

  async function resolveAt(ref: string | null, text: string, dirs = [repo.dir]) {
    const ws = await openWorkspace(dirs, ref);
    const resolver = new Resolver(ws.repos.map((r) => r.tree));
    const [trace] = parseText(text) as [Trace];
    const results = await resolver.resolveTrace(trace, trace.format);
    await checkLines(results.values(), resolver.trees);
    return { ws, trace, results: [...results.values()] };
  }

  it('resolves a Java trace at the customer version and carries each line to the working tree', async () => {
    const { ws, results } = await resolveAt('5.5.1', JAVA_TRACE);
    try {
      assert.equal(ws.repos[0]!.ref?.kind, 'version-tag');
      assert.equal(ws.repos[0]!.ref?.name, 'v5.5.1');
      const history = new HistoryCache(ws.sources);
      const [validate, place, helper, thread] = results;

      const v = ok(validate);
      assert.deepEqual([v.path, v.line, v.ref, v.method], [SERVICE, 212, 'v5.5.1', 'symbol']);
      assert.ok(v.confidence >= CONFIDENT);
      const vh = (await history.history(v))!;
      assert.equal(vh.status, 'changed');
      assert.equal(vh.workingLine, null);
      assert.deepEqual(
        vh.changedSince.map((c) => c.subject),
        ['Fix NPE in place when an order has no lines'],
        'the commit that only inserted lines above does not count',
      );

      const p = ok(place);
      const ph = (await history.history(p))!;
      assert.deepEqual([ph.status, ph.workingLine, ph.workingPath], ['moved', 103, SERVICE]);
      assert.deepEqual(ph.changedSince, []);

      const h = ok(helper);
      assert.deepEqual([h.path, h.line], [HELPER, 20], 'the class was in its own file at 5.5.1');
      assert.equal((await history.history(h))!.status, 'deleted');

      assert.equal(thread!.resolved, null);
    } finally {
      ws.close();
    }
  });

  it('finds the class in the file it moved to when resolving at HEAD', async () => {
    const { ws, results } = await resolveAt(null, JAVA_TRACE);
    try {
      const h = ok(results[2]);
      assert.equal(h.path, SERVICE);
      assert.equal(h.method, 'symbol');
      assert.match(h.reason ?? '', /Helper is declared in/);
    } finally {
      ws.close();
    }
  });

  it('follows a file moved since the tag and an uncommitted edit in the working tree', async () => {
    const text = [
      'Program received signal SIGSEGV, Segmentation fault.',
      '#0  0x00007ffff7a42f10 in io_read (fd=3) at /home/builder/rpmbuild/BUILD/app-5.5.1/lib/io.c:40',
      '#1  0x0000555555555189 in main () at /home/builder/rpmbuild/BUILD/app-5.5.1/lib/io.c:75',
    ].join('\n');
    const { ws, results } = await resolveAt('v5.5.1', text);
    try {
      const history = new HistoryCache(ws.sources);
      const io = ok(results[0]);
      assert.deepEqual([io.path, io.line, io.method, io.ref], ['lib/io.c', 40, 'suffix', 'v5.5.1']);
      const ioh = (await history.history(io))!;
      assert.deepEqual([ioh.workingPath, ioh.workingLine, ioh.status], ['src/io/io.c', 42, 'moved']);
    } finally {
      ws.close();
    }
    const dotnet = [
      'System.InvalidOperationException: Sequence contains no elements',
      '   at Acme.Common.Retry.Run() in C:\\agent\\_work\\7\\s\\src\\Common\\Retry.cs:line 12',
      '   at Acme.Orders.Api.OrdersController.Post() in C:\\agent\\_work\\3\\s\\src\\Orders\\Api\\OrdersController.cs:line 30',
    ].join('\n');
    const both = await resolveAt('5.5.1', dotnet, [repo.dir, common.dir]);
    try {
      const history = new HistoryCache(both.ws.sources);
      const retry = ok(both.results[0]);
      assert.deepEqual([retry.repo, retry.path, retry.ref], ['common', 'src/Common/Retry.cs', '5.5.1']);
      const ctl = ok(both.results[1]);
      assert.deepEqual([ctl.repo, ctl.path, ctl.line, ctl.ref], ['orders', CONTROLLER, 30, 'v5.5.1']);
      const ch = (await history.history(ctl))!;
      assert.deepEqual([ch.workingLine, ch.status], [31, 'moved']);
    } finally {
      both.ws.close();
    }
  });

  it('carries lines the same through one whole-tree diff as through a diff per file', async () => {
    const ws = await openWorkspace([repo.dir], 'v5.5.1');
    try {
      const { git, tree } = ws.repos[0]!;
      const all = await git.diffAllToWorkingTree('v5.5.1');
      assert.deepEqual([...all.keys()].sort(), [CONTROLLER, HELPER, SERVICE, 'lib/io.c'].sort());
      for (const p of tree.paths) {
        const one = await git.diffToWorkingTree('v5.5.1', p);
        assert.deepEqual(all.get(p) ?? { status: 'unchanged', workingPath: p, hunks: [] }, one, p);
      }
      // Many answers over more than a few files take the whole-tree path and give the same histories.
      const answers: Resolution[] = [];
      for (const p of tree.paths)
        for (let line = 1; line <= 30; line += 3)
          answers.push({
            repo: 'orders',
            path: p,
            ref: 'v5.5.1',
            commit: tree.info.commit,
            line,
            column: null,
            method: 'suffix',
            confidence: 1,
          });
      let perFile = 0;
      const counting = {
        ...ws.sources.get('orders')!,
        diffToWorkingTree: (c: string, p: string) => (perFile++, git.diffToWorkingTree(c, p)),
      };
      counting.diffAllToWorkingTree = (c: string) => git.diffAllToWorkingTree(c);
      const bulk = new HistoryCache(new Map([['orders', counting]]), 2);
      const single = new HistoryCache(
        new Map([
          [
            'orders',
            {
              diffToWorkingTree: (c: string, p: string) => git.diffToWorkingTree(c, p),
              commitsTouching: () => Promise.resolve([]),
            },
          ],
        ]),
      );
      await bulk.prefetch(answers);
      for (const a of answers)
        assert.deepEqual(await bulk.carry(a), await single.carry(a), `${a.path}:${a.line}`);
      assert.equal(perFile, 0, 'no per-file diff after prefetch');

      // The next trace at the same commit reuses the whole-tree diff, however few files it has; after
      // invalidate() (a file saved), the working tree is diffed again and the new edit is seen.
      let wholeTree = 0;
      counting.diffAllToWorkingTree = (c: string) => (wholeTree++, git.diffAllToWorkingTree(c));
      const reuse = new HistoryCache(new Map([['orders', counting]]), 2);
      const [first, second] = [
        answers.filter((a) => a.path !== SERVICE),
        answers.filter((a) => a.path === SERVICE),
      ];
      await reuse.prefetch(first);
      await reuse.prefetch(second.slice(0, 1));
      assert.equal(wholeTree, 1, 'one whole-tree diff for both traces');
      const before = await reuse.carry(second[0]!);
      assert.deepEqual(before, await single.carry(second[0]!));
      assert.equal(perFile, 0);
      const serviceText = fs.readFileSync(path.join(repo.dir, SERVICE), 'utf8');
      fs.writeFileSync(path.join(repo.dir, SERVICE), 'inserted\n' + serviceText);
      try {
        reuse.invalidate();
        await reuse.prefetch(first);
        assert.equal(wholeTree, 2, 'diffed again after invalidate');
        const moved = await reuse.carry(second[0]!);
        const fresh = await new HistoryCache(new Map([['orders', counting]]), 2).carry(second[0]!);
        assert.deepEqual(moved, fresh);
        assert.equal(
          moved?.workingLine,
          before!.workingLine! + 1,
          'the line moved down by the inserted line',
        );
      } finally {
        fs.writeFileSync(path.join(repo.dir, SERVICE), serviceText);
      }
    } finally {
      ws.close();
    }
  });

  it('leaves folders that are not repositories aside when asked (an editor workspace), refuses them otherwise', async () => {
    const plain = fs.mkdtempSync(path.join(base, 'plain-'));
    const ws = await openWorkspace([repo.dir, plain], 'v5.5.1', { skipNonRepos: true });
    try {
      assert.deepEqual(ws.notRepos, [plain]);
      assert.deepEqual(
        ws.repos.map((r) => [r.tree.info.repo, r.tree.info.ref]),
        [['orders', 'v5.5.1']],
      );
    } finally {
      ws.close();
    }
    await assert.rejects(openWorkspace([repo.dir, plain], 'v5.5.1'), /not a git work tree/);
  });

  it('marks answers from a release branch as approximate', async () => {
    const { ws, results } = await resolveAt('5.5', JAVA_TRACE);
    try {
      assert.equal(ws.repos[0]!.ref?.kind, 'version-branch');
      const v = ok(results[0]);
      assert.ok(v.confidence < CONFIDENT);
      assert.match(v.reason ?? '', /release\/5\.5/);
    } finally {
      ws.close();
    }
  });

  it('demotes a line that does not exist at the version given', async () => {
    const text = 'java.lang.IllegalStateException: x\n\tat com.acme.orders.Helper.run(Helper.java:400)\n';
    const { ws, results } = await resolveAt('v5.5.1', text);
    try {
      const h = ok(results[0]);
      assert.ok(h.confidence <= 0.3);
      assert.match(h.reason ?? '', /line 400 is past the end/);
    } finally {
      ws.close();
    }
  });

  describe('escalate resolve', () => {
    it('prints each frame with its resolution as JSON', async () => {
      const io = capture();
      const status = await main(
        ['resolve', traceFile, '--repo', repo.dir, '--version', '5.5.1', '--json'],
        io,
      );
      assert.equal(status, 0, io.err());
      const json = JSON.parse(io.out()) as {
        repos: { repo: string; ref: string; kind: string; exact: boolean }[];
        traces: { frames: Record<string, unknown>[] }[];
      };
      assert.deepEqual(
        json.repos.map((r) => [r.repo, r.ref, r.kind, r.exact]),
        [['orders', 'v5.5.1', 'version-tag', true]],
      );
      const [validate, place, , thread] = json.traces[0]!.frames as [
        { function: string; resolved: Record<string, unknown> },
        { resolved: Record<string, unknown> },
        unknown,
        { resolved: null; unresolvedReason: string },
      ];
      assert.equal(validate.function, 'com.acme.orders.OrderService.validate');
      assert.equal(validate.resolved.path, SERVICE);
      assert.equal(validate.resolved.line, 212);
      assert.equal(validate.resolved.workingLine, null);
      assert.equal(validate.resolved.method, 'symbol');
      assert.equal(typeof validate.resolved.commit, 'string');
      assert.deepEqual(
        (validate.resolved.changedSince as { subject: string }[]).map((c) => c.subject),
        ['Fix NPE in place when an order has no lines'],
      );
      assert.equal(place.resolved.workingLine, 103);
      assert.equal(thread.resolved, null);
      assert.match(thread.unresolvedReason, /Thread\.java/);
    });

    it('prints a readable answer per frame', async () => {
      const io = capture();
      const status = await main(['resolve', traceFile, '--repo', repo.dir, '--ref', 'v5.5.1'], io);
      assert.equal(status, 0, io.err());
      const out = io.out();
      assert.match(out, /orders: v5\.5\.1 \(tag, [0-9a-f]{10}\)/);
      assert.match(out, new RegExp(`→ orders:${SERVICE}:212 @ v5\\.5\\.1 {3}symbol 0\\.9\\d`));
      assert.match(out, /this line was changed or deleted since v5\.5\.1/);
      assert.match(
        out,
        /changed since: [0-9a-f]{10} Fix NPE in place when an order has no lines \(Dana Dev, 2026-01-01\)/,
      );
      assert.match(out, /now line 103 in the working tree/);
      assert.match(out, /✗ unresolved: no file named Thread\.java/);
      assert.match(out, /3 of 4 frames resolved with confidence/);
    });

    it('refuses hostile refs and mappings with a clear error and touches nothing', async () => {
      const marker = path.join(base, 'pwned');
      const before = fs.statSync(path.join(repo.dir, '.git', 'index')).mtimeMs;
      for (const args of [
        ['--ref', `--upload-pack=touch ${marker}`],
        ['--ref', `-c core.pager=touch ${marker}`],
        ['--version', `$(touch ${marker})`],
        ['--ref', 'v5.5.1;touch x'],
        ['--ref', 'a'.repeat(300)],
        ['--ref', 'no-such-tag'],
      ]) {
        const io = capture();
        const status = await main(['resolve', traceFile, '--repo', repo.dir, ...args], io);
        assert.equal(status, 2, `${args.join(' ')}: ${io.out()}`);
        assert.match(io.err(), /^escalate: .*ref/m, args.join(' '));
        assert.equal(io.out(), '');
      }
      const io = capture();
      assert.equal(await main(['resolve', traceFile, '--repo', repo.dir, '--map', '/build=/etc'], io), 2);
      assert.match(io.err(), /not inside any of the repositories/);
      assert.equal(fs.existsSync(marker), false);
      assert.equal(fs.existsSync(path.join(repo.dir, 'x')), false);
      assert.equal(fs.statSync(path.join(repo.dir, '.git', 'index')).mtimeMs, before);
    });

    it('says what is wrong with its arguments', async () => {
      const cases: [string[], RegExp][] = [
        [['resolve'], /resolve needs one TRACE file/],
        [
          ['resolve', traceFile, '--repo', repo.dir, '--ref', 'v5.5.1', '--version', '5.5.1'],
          /--ref or --version, not both/,
        ],
        [['resolve', traceFile, '--repo', repo.dir, '--map', 'nothing'], /--map wants FROM=TO/],
        [['resolve', traceFile, '--repo', base], /not .*git|repositor/i],
        [['resolve', path.join(base, 'missing.txt'), '--repo', repo.dir], /missing\.txt/],
      ];
      for (const [args, re] of cases) {
        const io = capture();
        assert.equal(await main(args, io), 2, args.join(' '));
        assert.match(io.err(), re, args.join(' '));
      }
    });
  });
});
