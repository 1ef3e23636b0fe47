// The DAP tier on input that is not a session: a jstack thread dump from the corpus is imported on the fly
// into a temporary session, replayed, and the temporary file removed when the client disconnects.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useClient, type RecordedClient } from './harness';

const DUMP = path.join(
  __dirname,
  '..',
  'fixtures',
  'corpus',
  'java-thread-dump',
  '01-jstack-deadlock-padded.txt',
);

describe('DAP: a thread dump imported on the fly', function () {
  let dc: RecordedClient;
  const client = useClient();

  beforeEach(function () {
    dc = client();
  });

  it('replays the dump as a session and removes the import at the end', async function () {
    const notes: string[] = [];
    dc.on('output', (e: { body: { output: string } }) => notes.push(e.body.output));
    // The dump names its threads in its events: they are all known once the index is built.
    const indexed = dc.waitForEvent('thread');
    const stopped = await dc.launchReplay({ session: DUMP });
    assert.equal(stopped.body.reason, 'entry');
    assert.ok(notes.some((n) => /a jstack thread dump, imported as \d+ events/.test(n)));

    const position = await dc.position();
    assert.equal(position.imported, true);
    assert.equal(position.input, DUMP);
    const temp = position.session as string;
    assert.notEqual(temp, DUMP);
    assert.ok(fs.existsSync(temp));

    await indexed;
    const threads = (await dc.threadsRequest()).body.threads.map((t) => t.name);
    assert.ok(threads.includes('Thread-0'), threads.join(', '));
    assert.ok(threads.includes('Thread-1'), threads.join(', '));

    // Thread-1 is blocked in EasyJstackResource.read, called from EasyJstack.run.
    const t1 = (await dc.threadsRequest()).body.threads.find((t) => t.name === 'Thread-1')!;
    await dc.stopAfter(() => dc.continueRequest({ threadId: t1.id }));
    const frames = (await dc.stackTraceRequest({ threadId: t1.id })).body.stackFrames;
    assert.deepEqual(
      frames.map((f) => `${f.name}:${f.line}`),
      ['com.qinchy.deadlock.EasyJstackResource.read:19', 'com.qinchy.deadlock.EasyJstack.run:25'],
    );
    assert.equal(frames[0]!.source?.name, 'EasyJstackResource.java');
    assert.equal(frames[0]!.source?.presentationHint, 'deemphasize');

    await dc.stop();
    assert.equal(fs.existsSync(temp), false);
    assert.equal(fs.existsSync(path.dirname(temp)), false);
  });
});
