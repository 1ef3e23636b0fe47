// The `escalate parse --json` contract: a public shape that scripts and later features rely on.
// Change it only by adding fields.

import type { Frame, Trace, TraceNode } from './model';

export interface FrameJson {
  function: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
  module: string | null;
  address: string | null;
  docLine: number;
}

export interface TraceJson {
  format: string;
  kind: string;
  title: string;
  message: string | null;
  span: { start: number; end: number };
  frames: FrameJson[];
  causes: TraceJson[];
  /** Only present when the exception has suppressed exceptions (Java `Suppressed:`). */
  suppressed?: TraceJson[];
}

export function frameToJson(f: Frame): FrameJson {
  return {
    function: f.function,
    file: f.file,
    line: f.line,
    column: f.column,
    module: f.module,
    address: f.address,
    docLine: f.docLine,
  };
}

function nodeToJson(node: TraceNode, format: string, kind: string): TraceJson {
  const out: TraceJson = {
    format,
    kind,
    title: node.title,
    message: node.message,
    span: { start: node.span.start, end: node.span.end },
    frames: node.frames.map(frameToJson),
    causes: node.causes.map((c) => nodeToJson(c, format, kind)),
  };
  if (node.suppressed.length > 0) out.suppressed = node.suppressed.map((s) => nodeToJson(s, format, kind));
  return out;
}

export function traceToJson(trace: Trace): TraceJson {
  return nodeToJson(trace, trace.format, trace.kind);
}
