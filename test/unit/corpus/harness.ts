// Corpus test harness: parses a real trace from test/fixtures/corpus and compares it with what a person
// reading the trace lists — the number of traces, and per trace (and per cause) the frame count and the
// function, file and line of the first and last frame.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseBytes, type Frame, type Trace, type TraceNode } from '../../../src/core/trace';

export const CORPUS = path.join(__dirname, '..', '..', 'fixtures', 'corpus');

/** `[function, file, line]` as the trace writes them (null where the trace gives none). */
export type FrameExpect = [fn: string | null, file: string | null, line: number | null];

export interface NodeExpect {
  title?: string;
  type?: string | null;
  message?: string | null;
  span?: [number, number];
  relation?: TraceNode['relation'];
  frames: number;
  first?: FrameExpect;
  last?: FrameExpect;
  /** Extra per-frame checks by index: `{ 3: { module: 'libc.so.6' } }`. */
  at?: Record<number, Partial<Frame>>;
  causes?: NodeExpect[];
  suppressed?: NodeExpect[];
  /** Other stacks of the report (sanitizer allocation/free stacks…), each with its role. */
  related?: NodeExpect[];
  role?: string;
}

export interface TraceExpect extends NodeExpect {
  format: Trace['format'];
  kind: Trace['kind'];
  thread?: { name?: string | null; id?: string | null; state?: string | null };
}

export function readCorpus(rel: string): Buffer {
  return readFileSync(path.join(CORPUS, rel));
}

export function parseCorpus(rel: string): Trace[] {
  return parseBytes(readCorpus(rel));
}

function frameTriple(f: Frame | undefined): FrameExpect | undefined {
  return f ? [f.function, f.file, f.line] : undefined;
}

function checkNode(actual: TraceNode, expected: NodeExpect, where: string): void {
  if (expected.title !== undefined) assert.equal(actual.title, expected.title, `${where}: title`);
  if (expected.type !== undefined) assert.equal(actual.type, expected.type, `${where}: type`);
  if (expected.message !== undefined) assert.equal(actual.message, expected.message, `${where}: message`);
  if (expected.relation !== undefined) assert.equal(actual.relation, expected.relation, `${where}: relation`);
  if (expected.span) assert.deepEqual([actual.span.start, actual.span.end], expected.span, `${where}: span`);
  assert.equal(actual.frames.length, expected.frames, `${where}: number of frames`);
  if (expected.first)
    assert.deepEqual(frameTriple(actual.frames[0]), expected.first, `${where}: first frame`);
  if (expected.last) {
    assert.deepEqual(
      frameTriple(actual.frames[actual.frames.length - 1]),
      expected.last,
      `${where}: last frame`,
    );
  }
  for (const [i, want] of Object.entries(expected.at ?? {})) {
    const f = actual.frames[Number(i)];
    assert.ok(f, `${where}: frame ${i} exists`);
    for (const [k, v] of Object.entries(want)) {
      assert.deepEqual(f[k as keyof Frame], v, `${where}: frame ${i} ${k}`);
    }
  }
  if (expected.causes) {
    assert.equal(actual.causes.length, expected.causes.length, `${where}: number of causes`);
    expected.causes.forEach((c, i) => checkNode(actual.causes[i]!, c, `${where} > cause ${i}`));
  }
  if (expected.role !== undefined) assert.equal(actual.role, expected.role, `${where}: role`);
  if (expected.related) {
    const related = actual.related ?? [];
    assert.equal(related.length, expected.related.length, `${where}: number of related stacks`);
    expected.related.forEach((c, i) => checkNode(related[i]!, c, `${where} > related ${i}`));
  }
  if (expected.suppressed) {
    assert.equal(actual.suppressed.length, expected.suppressed.length, `${where}: number of suppressed`);
    expected.suppressed.forEach((c, i) => checkNode(actual.suppressed[i]!, c, `${where} > suppressed ${i}`));
  }
}

/** Asserts the traces of one corpus file. */
export function expectTraces(rel: string, expected: TraceExpect[]): void {
  const traces = parseCorpus(rel);
  const lines = readCorpus(rel)
    .toString('utf8')
    .split(/\r\n|\n|\r/).length;
  assert.equal(
    traces.length,
    expected.length,
    `${rel}: number of traces (got ${traces.map((t) => `${t.format}:${t.title}`).join(' | ')})`,
  );
  traces.forEach((t, i) => {
    const e = expected[i]!;
    const where = `${rel} trace ${i}`;
    assert.equal(t.format, e.format, `${where}: format`);
    assert.equal(t.kind, e.kind, `${where}: kind`);
    if (e.thread) {
      for (const [k, v] of Object.entries(e.thread)) {
        assert.equal(t.thread?.[k as keyof typeof e.thread], v, `${where}: thread ${k}`);
      }
    }
    checkNode(t, e, where);
    assertWithin(t, lines, where);
  });
}

/** Every frame and span lies inside the document. */
export function assertWithin(node: TraceNode, lines: number, where: string): void {
  assert.ok(
    node.span.start >= 1 && node.span.end <= lines && node.span.start <= node.span.end,
    `${where}: span`,
  );
  for (const f of node.frames) {
    assert.ok(f.docLine >= node.span.start && f.docLine <= node.span.end, `${where}: frame docLine in span`);
  }
  for (const c of [...node.causes, ...node.suppressed, ...(node.related ?? [])])
    assertWithin(c, lines, where);
}
