// Buckets: the distinct crashes in one or more logs, each with how often and when it happened. Traces
// are grouped by signature (signature.ts); memory grows with the number of distinct crashes, not with
// the number of occurrences or the size of the logs.

import { classifyTrace, type ClassifyOptions } from './classify';
import { frameToJson, type FrameJson } from './json';
import type { Trace } from './model';
import { signatureOf } from './signature';

export interface Occurrence {
  file: string;
  line: number;
  /** The timestamp of the log line that carried the trace, as written; null where the log has none. */
  time: string | null;
}

export interface Bucket {
  signature: string;
  count: number;
  title: string;
  format: string;
  kind: string;
  first: Occurrence;
  last: Occurrence;
  /** The top in-app frame of the root cause (or its top frame when none is in-app). */
  frame: FrameJson | null;
  /** The normalised parts the signature was hashed from. */
  parts: string[];
}

export interface BucketOptions extends ClassifyOptions {
  /** Also bucket `thread` traces (thread dumps' idle threads are not crashes, so by default they are not). */
  threads?: boolean;
}

/**
 * A deep copy whose strings own their memory. A trace's strings are slices of the block of the file they
 * were read from, and a slice keeps the whole block alive: what a bucket keeps for the rest of the scan must
 * be copied, or memory grows with the number of distinct crashes times the block size.
 */
function owned<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Collects traces (in document order per file) into buckets. */
export class BucketCollector {
  private readonly buckets = new Map<string, Bucket & { order: number }>();
  private order = 0;
  traces = 0;

  constructor(private readonly options: BucketOptions = {}) {}

  add(trace: Trace, file: string): void {
    if (trace.kind === 'thread' && !this.options.threads) return;
    this.traces++;
    classifyTrace(trace, this.options);
    const sig = signatureOf(trace);
    const at: Occurrence = owned({ file, line: trace.span.start, time: trace.timestamp ?? null });
    const known = this.buckets.get(sig.id);
    if (known) {
      known.count++;
      known.last = at;
      return;
    }
    const top = sig.frames[0];
    const bucket: Bucket = {
      signature: sig.id,
      count: 1,
      title: trace.title || sig.parts[2] || '(no title)',
      format: trace.format,
      kind: trace.kind,
      first: at,
      last: at,
      frame: top ? frameToJson(top) : null,
      parts: sig.parts,
    };
    this.buckets.set(sig.id, { ...owned(bucket), order: this.order++ });
  }

  /** Most frequent first; equal counts in order of first occurrence. */
  result(): Bucket[] {
    return [...this.buckets.values()]
      .sort((a, b) => b.count - a.count || a.order - b.order)
      .map(({ order: _order, ...b }) => b);
  }
}

/** The `escalate buckets --json` contract. Change it only by adding fields. */
export function bucketsToJson(buckets: readonly Bucket[]): {
  buckets: Omit<Bucket, 'parts' | 'kind'>[];
} {
  return {
    buckets: buckets.map((b) => ({
      signature: b.signature,
      count: b.count,
      title: b.title,
      format: b.format,
      first: b.first,
      last: b.last,
      frame: b.frame,
    })),
  };
}
