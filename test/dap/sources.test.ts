// The DAP tier's sources in a real git repository: frames at the session's version (served as `git show
// tag:path`) or at HEAD, and working-tree breakpoints on frames recorded under a build path.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { SessionEvent } from '../../src/core/replay/format';
import { TempRepo, body } from '../unit/resolve/fixture';
import { tempDir, writeSession } from './fixtures';
import { useClient, type RecordedClient } from './harness';

const SERVICE = 'src/main/java/com/acme/OrderService.java';
const BUILD = '/home/builder/agent/_work/3/s';

/** Two events of one thread: save at line 12, then line 20, called from a frame nobody has the source of. */
function events(): SessionEvent[] {
  const stack = (line: number) => [
    { function: 'com.acme.OrderService.save', file: `${BUILD}/${SERVICE}`, line },
    { function: 'com.vendor.Pool.run', file: '/opt/vendor/src/com/vendor/Pool.java', line: 3 },
  ];
  return [
    { t: 0, thread: 'main', stack: stack(12) },
    { t: 1, thread: 'main', stack: stack(20) },
  ];
}

describe('DAP: frames resolved to source at the session version', function () {
  let repo: TempRepo;
  let dir: string;
  let dc: RecordedClient;
  const client = useClient();

  before(function () {
    dir = tempDir();
    repo = new TempRepo('orders', dir);
    repo.write({ [SERVICE]: body(['package com.acme;', '', 'public class OrderService {'], 40) });
    repo.commit('5.5.1');
    repo.tag('v5.5.1');
    // After the release the file moved on: at HEAD the lines are elsewhere.
    repo.insert(SERVICE, 4, ['  // added after 5.5.1', '  // and another line']);
    repo.commit('later work');
  });

  beforeEach(function () {
    dc = client();
  });

  const session = (name: string, product?: { version: string }): string =>
    writeSession(dir, name, product ? { product } : {}, events());

  const frames = async (): Promise<DebugProtocol.StackFrame[]> =>
    (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;

  it("serves the file as it is at the session's version, named for it", async function () {
    await dc.launchReplay({ session: session('v551.jsonl', { version: '5.5.1' }), repos: [repo.dir] });
    const [top, vendor] = await frames();
    assert.equal(top!.source?.name, 'OrderService.java @ v5.5.1');
    assert.equal(top!.source?.path, undefined);
    assert.ok((top!.source?.sourceReference ?? 0) > 0);
    assert.match(top!.source?.origin ?? '', /^v5\.5\.1 \([0-9a-f]{8}\)/);
    assert.equal(top!.line, 12);
    const content = await dc.sourceRequest({
      source: top!.source,
      sourceReference: top!.source.sourceReference!,
    });
    assert.equal(content.body.content, repo.git('show', `v5.5.1:${SERVICE}`));
    assert.notEqual(content.body.content, repo.read(SERVICE));
    assert.equal(vendor!.source?.presentationHint, 'deemphasize');
    assert.equal(vendor!.source?.path, '/opt/vendor/src/com/vendor/Pool.java');
    assert.match(vendor!.source?.origin ?? '', /^not resolved: /);
    await assert.rejects(dc.sourceRequest({ sourceReference: 999 }), /no source with reference 999/);
  });

  it('stops at a working-tree breakpoint on frames recorded under the build path', async function () {
    const working = path.join(repo.dir, SERVICE);
    let set: DebugProtocol.Breakpoint[] = [];
    await dc.launchReplay(
      { session: session('bp.jsonl', { version: '5.5.1' }), repos: [repo.dir] },
      async () => {
        // Working-tree line 22 is line 20 at v5.5.1 (two lines were inserted above it since); line 5 is new.
        const r = await dc.setBreakpointsRequest({
          source: { path: working },
          breakpoints: [{ line: 22 }, { line: 5 }],
        });
        set = r.body.breakpoints;
      },
    );
    assert.deepEqual(
      set.map((b) => [b.verified, b.line]),
      [
        [true, 22],
        [false, 5],
      ],
    );
    assert.match(set[1]!.message ?? '', /Line 5 has changed since v5\.5\.1/);
    const stopped = await dc.stopAfter(() => dc.continueRequest({ threadId: 1 }));
    assert.equal(stopped.body.reason, 'breakpoint');
    assert.deepEqual(stopped.body.hitBreakpointIds, [set[0]!.id]);
    assert.equal((await dc.position()).index, 1);
  });

  it('stops at a breakpoint set in the document at the ref', async function () {
    // Breakpoints are verified against every recorded location once the index is built (a `thread` event says
    // so).
    const indexed = dc.waitForEvent('thread');
    await dc.launchReplay({ session: session('ref-bp.jsonl', { version: '5.5.1' }), repos: [repo.dir] });
    await indexed;
    const source = (await frames())[0]!.source!;
    const set = await dc.setBreakpointsRequest({ source, breakpoints: [{ line: 20 }, { line: 21 }] });
    assert.deepEqual(
      set.body.breakpoints.map((b) => [b.line, b.verified, b.message]),
      [
        [20, true, undefined],
        [21, false, 'no event of this session is at this line'],
      ],
    );
    const stopped = await dc.stopAfter(() => dc.continueRequest({ threadId: 1 }));
    assert.equal(stopped.body.reason, 'breakpoint');
  });

  it('shows the working-tree file when the session names no version', async function () {
    await dc.launchReplay({ session: session('head.jsonl'), cwd: repo.dir });
    const [top] = await frames();
    assert.equal(top!.source?.path, path.join(repo.dir, SERVICE));
    assert.equal(top!.source?.sourceReference ?? 0, 0);
  });

  it("falls back to HEAD, saying so, when the session's version is not in the repository", async function () {
    const notes: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => notes.push(e.body.output));
    await dc.launchReplay({ session: session('v7.jsonl', { version: '7.0.0' }), repos: [repo.dir] });
    assert.ok(notes.some((n) => /7\.0\.0 is in none of the repositories/.test(n)));
    assert.equal((await frames())[0]!.source?.path, path.join(repo.dir, SERVICE));
  });

  it('refuses a version the launch configuration names that the repository lacks', async function () {
    await dc.initializeRequest();
    await assert.rejects(
      dc.launchRequest({ session: session('bad.jsonl'), repos: [repo.dir], ref: 'v9.9.9' } as never),
      /v9\.9\.9/,
    );
  });

  it('refuses a repository folder that does not exist', async function () {
    await dc.initializeRequest();
    const missing = path.join(dir, 'missing');
    assert.equal(fs.existsSync(missing), false);
    await assert.rejects(
      dc.launchRequest({ session: session('nodir.jsonl'), repos: [missing] } as never),
      /is not a folder/,
    );
  });
});
