// Helpers shared by the parser unit tests.

import * as assert from 'node:assert/strict';
import { parseText, type Frame, type Trace } from '../../../src/core/trace';

/** Parses `text`, checks the number of traces and that every frame lies inside its trace's span. */
export function parse(text: string, count: number): Trace[] {
  const traces = parseText(text);
  assert.equal(traces.length, count, `traces: ${traces.map((t) => `${t.format}:${t.title}`).join(' | ')}`);
  for (const t of traces) {
    for (const f of t.frames) {
      assert.ok(f.docLine >= t.span.start && f.docLine <= t.span.end, `${t.title}: ${f.raw} inside the span`);
    }
  }
  return traces;
}

/** `[function, file, line]` of a frame. */
export function triple(f: Frame | undefined): [string | null, string | null, number | null] | undefined {
  return f ? [f.function, f.file, f.line] : undefined;
}

/** Lines joined with `\n`. */
export function lines(...l: string[]): string {
  return l.join('\n');
}
