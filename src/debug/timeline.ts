// The session as a time line for a webview: thread lanes, time range, exception and log markers. Small
// sessions are read whole; big ones are sampled, so the answer stays small and quick.

import { setImmediate as giveWay } from 'node:timers/promises';
import type { ClockUnit, LogLevel, SessionHeader } from '../core/replay/format';
import type { EventRead } from '../core/replay/reader';

export interface TimelineLane {
  threadId: number;
  name: string;
  /** Events of the thread read (all of them, unless sampled). */
  events: number;
  /** First and last event index of the thread read; -1 when none was. */
  first: number;
  last: number;
}

export interface TimelineMarker {
  index: number;
  threadId: number;
  kind: 'exception' | 'log';
  level: LogLevel | null;
  /** Exception type and message, or the log message (cut to 200 characters). */
  label: string;
}

/** The answer of `escalate/timeline` (the position is filled in by the adapter each time). */
export interface Timeline {
  eventCount: number;
  position: number;
  clock: { unit: ClockUnit; origin: string | null };
  /** Times of the first and last events (header clock units); null when unreadable. */
  start: number | null;
  end: number | null;
  lanes: TimelineLane[];
  markers: TimelineMarker[];
  /** Markers past the cap, not listed (exceptions are listed first, then errors, then other logs). */
  omittedMarkers: number;
  /** True when only a sample of the events was read: lanes and markers are then partial. */
  sampled: boolean;
  /** Events read to build the answer. */
  read: number;
}

/** Sessions up to this many events are read whole. */
export const FULL_READ = 20_000;
/** Events sampled (evenly spread) in a bigger session. */
export const SAMPLES = 4_000;
export const MAX_MARKERS = 500;
const LABEL = 200;

/** What the timeline needs of a replay (the runtime gives it; tests may fake it). */
export interface TimelineSource {
  header: SessionHeader;
  eventCount: number;
  event(index: number): EventRead;
  threadOf(sessionId: string): { id: number; name: string };
}

function rank(m: TimelineMarker): number {
  if (m.kind === 'exception') return 0;
  return m.level === 'error' || m.level === 'fatal' ? 1 : 2;
}

/** The events to read: all, or SAMPLES spread evenly (first and last included). */
function indexesToRead(count: number): number[] {
  if (count <= FULL_READ) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: SAMPLES }, (_, k) => Math.round((k * (count - 1)) / (SAMPLES - 1)));
}

function markerOf(r: EventRead & { ok: true }, threadId: number): TimelineMarker | null {
  const e = r.event;
  if (e.exception) {
    const label = `${e.exception.type}${e.exception.message ? `: ${e.exception.message}` : ''}`;
    return { index: r.index, threadId, kind: 'exception', level: null, label: label.slice(0, LABEL) };
  }
  if (e.log)
    return {
      index: r.index,
      threadId,
      kind: 'log',
      level: e.log.level,
      label: e.log.message.slice(0, LABEL),
    };
  return null;
}

/** Reads the session (or a sample of it) into a timeline; yields to the event loop as it goes. */
export async function buildTimeline(src: TimelineSource): Promise<Timeline> {
  const lanes = new Map<number, TimelineLane>();
  const markers: TimelineMarker[] = [];
  const times: number[] = [];
  const picks = indexesToRead(src.eventCount);
  for (let k = 0; k < picks.length; k++) {
    if (k % 500 === 499) await giveWay();
    const r = src.event(picks[k]!);
    if (!r.ok) continue;
    times.push(r.event.t);
    const thread = src.threadOf(r.event.thread);
    const lane = lanes.get(thread.id) ?? {
      threadId: thread.id,
      name: thread.name,
      events: 0,
      first: -1,
      last: -1,
    };
    lane.events++;
    if (lane.first < 0) lane.first = r.index;
    lane.last = r.index;
    lanes.set(thread.id, lane);
    const m = markerOf(r, thread.id);
    if (m) markers.push(m);
  }
  const kept = [...markers].sort((a, b) => rank(a) - rank(b) || a.index - b.index).slice(0, MAX_MARKERS);
  return {
    eventCount: src.eventCount,
    position: 0,
    clock: { unit: src.header.clock.unit, origin: src.header.clock.origin ?? null },
    start: times.length > 0 ? times[0]! : null,
    end: times.length > 0 ? times[times.length - 1]! : null,
    lanes: [...lanes.values()].sort((a, b) => a.threadId - b.threadId),
    markers: kept.sort((a, b) => a.index - b.index),
    omittedMarkers: markers.length - kept.length,
    sampled: picks.length < src.eventCount,
    read: picks.length,
  };
}

const MS_PER_UNIT: Record<Exclude<ClockUnit, 'seq'>, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000 };

/**
 * A time to jump to, in the header's clock units: a number as it is, or an ISO 8601 date measured from the
 * clock's origin. A string the clock cannot place gives an error message.
 */
export function clockTime(header: SessionHeader, time: number | string): number | string {
  if (typeof time === 'number') return Number.isFinite(time) ? time : 'the time is not a finite number';
  const unit = header.clock.unit;
  const origin = header.clock.origin ? Date.parse(header.clock.origin) : NaN;
  if (unit === 'seq' || Number.isNaN(origin))
    return "the session's clock has no date: jump to a number on its clock, or to an event index";
  const at = Date.parse(time);
  if (Number.isNaN(at)) return `"${time.slice(0, 100)}" is not an ISO 8601 date`;
  return (at - origin) / MS_PER_UNIT[unit];
}

/** A clock reading as an ISO 8601 date, when the clock has an origin. */
export function isoTime(header: SessionHeader, t: number): string | null {
  const unit = header.clock.unit;
  const origin = header.clock.origin ? Date.parse(header.clock.origin) : NaN;
  if (unit === 'seq' || Number.isNaN(origin)) return null;
  const d = new Date(origin + t * MS_PER_UNIT[unit]);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
