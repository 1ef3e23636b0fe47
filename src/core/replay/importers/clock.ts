// The session clock for importers that stream records with or without timestamps (logs, traces in a log):
// the first timestamp met is t = 0 and later ones count in milliseconds from it; input without timestamps
// gets a plain sequence. The header is written once that is known, so early events wait, a bounded number.

import type { SessionEvent, SessionHeader } from '../format';
import { SESSION_FORMAT, SESSION_VERSION } from '../format';
import type { SessionWriter } from '../writer';
import { isoOf } from './time';

/** Events held while no timestamp has been seen; if none comes by then the clock is a sequence. */
const DECIDE_WITHIN = 1000;

export class StreamClock {
  private held: { event: SessionEvent; stamp: number | null }[] = [];
  private mode: 'undecided' | 'ms' | 'seq' = 'undecided';
  private origin = 0;
  private last = 0;
  private index = 0;

  constructor(
    private readonly writer: SessionWriter,
    private readonly header: Omit<SessionHeader, 'clock' | 'format' | 'version'>,
  ) {}

  /** Writes an event (its `t` is set here) with the epoch milliseconds of its record, if it had a time. */
  async push(event: SessionEvent, stamp: number | null): Promise<void> {
    if (this.mode === 'undecided') {
      this.held.push({ event, stamp });
      if (stamp !== null) await this.decide('ms', stamp);
      else if (this.held.length >= DECIDE_WITHIN) await this.decide('seq', 0);
      return;
    }
    await this.write(event, stamp);
  }

  /** The input ended: decides the clock if nothing did and writes what waits. */
  async finish(): Promise<void> {
    if (this.mode === 'undecided') await this.decide('seq', 0);
  }

  private async decide(mode: 'ms' | 'seq', origin: number): Promise<void> {
    this.mode = mode;
    this.origin = origin;
    await this.writer.header({
      format: SESSION_FORMAT,
      version: SESSION_VERSION,
      ...this.header,
      clock: mode === 'ms' ? { unit: 'ms', origin: isoOf(origin) } : { unit: 'seq' },
    });
    const held = this.held;
    this.held = [];
    for (const h of held) await this.write(h.event, h.stamp);
  }

  private async write(event: SessionEvent, stamp: number | null): Promise<void> {
    if (this.mode === 'seq') event.t = this.index++;
    else event.t = stamp !== null ? stamp - this.origin : this.last;
    // The writer raises a time earlier than the previous one (out-of-order records) and counts it.
    await this.writer.event(event);
    this.last = event.t;
  }
}
