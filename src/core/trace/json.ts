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
  /** Present when the classifier ran (always, from the CLI): the frame is the application's own code. */
  inApp?: boolean;
  /** Only present when the trace printed lock lines under the frame (jstack). */
  locks?: { action: string; address: string | null; className: string | null }[];
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
  /** Only present for reports with several stacks (sanitizers, Valgrind): the other stacks, each with its role. */
  related?: TraceJson[];
  /** Only present when the report names what the stack is (`access`, `allocation`, `free`, …). */
  role?: string;
  /** Only present on traces that name their thread; `attrs` only when the header had further fields. */
  thread?: { name: string | null; id: string | null; state: string | null; attrs?: Record<string, string> };
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
    ...(f.inApp !== undefined ? { inApp: f.inApp } : {}),
    ...(f.locks?.length ? { locks: f.locks.map((l) => ({ ...l })) } : {}),
  };
}

/** Adds fields to a frame's JSON (the resolver's answer); the contract's own fields stay as they are. */
export type FrameDecorator = (f: Frame) => Record<string, unknown> | undefined;

function nodeToJson(node: TraceNode, format: string, kind: string, decorate?: FrameDecorator): TraceJson {
  const out: TraceJson = {
    format,
    kind,
    title: node.title,
    message: node.message,
    span: { start: node.span.start, end: node.span.end },
    frames: node.frames.map((f) => (decorate ? { ...frameToJson(f), ...decorate(f) } : frameToJson(f))),
    causes: node.causes.map((c) => nodeToJson(c, format, kind, decorate)),
  };
  if (node.suppressed.length > 0)
    out.suppressed = node.suppressed.map((s) => nodeToJson(s, format, kind, decorate));
  if (node.related?.length) out.related = node.related.map((r) => nodeToJson(r, format, kind, decorate));
  if (node.role !== undefined) out.role = node.role;
  return out;
}

export function traceToJson(trace: Trace, decorate?: FrameDecorator): TraceJson {
  const out = nodeToJson(trace, trace.format, trace.kind, decorate);
  if (trace.thread) {
    const { name, id, state, attrs } = trace.thread;
    out.thread = { name, id, state };
    if (attrs && Object.keys(attrs).length > 0) out.thread.attrs = { ...attrs };
  }
  return out;
}
