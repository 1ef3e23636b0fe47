// The adapter's replay timeline and clock conversions over a session faked in memory: big sessions sampled,
// markers capped with exceptions first, dates to the session's clock and back.

import * as assert from 'node:assert/strict';
import type { SessionEvent, SessionHeader } from '../../../src/core/replay/format';
import type { EventRead } from '../../../src/core/replay/reader';
import {
  FULL_READ,
  MAX_MARKERS,
  SAMPLES,
  buildTimeline,
  clockTime,
  isoTime,
  type TimelineSource,
} from '../../../src/debug/timeline';

const HEADER: SessionHeader = {
  format: 'escalate-session',
  version: 1,
  threads: [],
  clock: { unit: 'us', origin: '2026-03-01T12:00:00.000Z' },
};

/**
 * `count` events on two threads; every 7th is an error log, every 1000th an exception, event 5 unreadable.
 */
function fake(count: number): TimelineSource & { reads: number } {
  const src = {
    header: HEADER,
    eventCount: count,
    reads: 0,
    event(index: number): EventRead {
      src.reads++;
      if (index === 5) return { ok: false, index, line: index + 2, message: 'line 7: not valid JSON' };
      const event: SessionEvent = { t: index * 100, thread: index % 2 === 0 ? 'a' : 'b', stack: [] };
      if (index % 1000 === 999) event.exception = { type: 'Boom', message: `at ${index}` };
      else if (index % 7 === 0) event.log = { level: 'error', message: `e${index}` };
      return { ok: true, index, line: index + 2, event };
    },
    threadOf: (id: string) => ({ id: id === 'a' ? 1 : 2, name: `thread ${id}` }),
  };
  return src;
}

describe('replay timeline', function () {
  it('reads a small session whole', async function () {
    const src = fake(30);
    const t = await buildTimeline(src);
    assert.equal(src.reads, 30);
    assert.equal(t.sampled, false);
    assert.deepEqual([t.start, t.end], [0, 2900]);
    assert.deepEqual(
      t.lanes.map((l) => [l.threadId, l.name, l.events, l.first, l.last]),
      [
        [1, 'thread a', 15, 0, 28],
        [2, 'thread b', 14, 1, 29],
      ],
    );
    assert.deepEqual(
      t.markers.map((m) => m.index),
      [0, 7, 14, 21, 28],
    );
  });

  it('samples a big session evenly and caps the markers, exceptions first', async function () {
    const src = fake(2_000_000);
    const t = await buildTimeline(src);
    assert.ok(FULL_READ < 2_000_000);
    assert.equal(src.reads, SAMPLES);
    assert.equal(t.sampled, true);
    assert.equal(t.read, SAMPLES);
    assert.deepEqual([t.start, t.end], [0, 199_999_900]);
    assert.equal(t.markers.length, MAX_MARKERS);
    assert.ok(t.omittedMarkers > 0);
    const exceptions = t.markers.filter((m) => m.kind === 'exception');
    assert.ok(exceptions.length > 0);
    // Every sampled exception is kept whatever the cap drops.
    const sampledExceptions = Array.from({ length: SAMPLES }, (_, k) =>
      Math.round((k * 1_999_999) / (SAMPLES - 1)),
    ).filter((i) => i % 1000 === 999).length;
    assert.equal(exceptions.length, sampledExceptions);
    assert.deepEqual(
      t.markers.map((m) => m.index),
      [...t.markers.map((m) => m.index)].sort((a, b) => a - b),
    );
  });
});

describe('replay clock', function () {
  it('converts dates to the session clock and back', function () {
    assert.equal(clockTime(HEADER, '2026-03-01T12:00:01.500Z'), 1_500_000);
    assert.equal(clockTime(HEADER, 42), 42);
    assert.equal(isoTime(HEADER, 1_500_000), '2026-03-01T12:00:01.500Z');
  });

  it('explains a time it cannot place', function () {
    assert.match(String(clockTime(HEADER, 'soon')), /not an ISO 8601 date/);
    assert.match(String(clockTime(HEADER, Number.NaN)), /not a finite number/);
    const seq: SessionHeader = { ...HEADER, clock: { unit: 'seq' } };
    assert.match(String(clockTime(seq, '2026-03-01T12:00:00Z')), /no date/);
    assert.equal(isoTime(seq, 3), null);
  });
});
