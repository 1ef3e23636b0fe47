// Where a frame sits in its document line: the columns an editor underlines as a link and hovers over.

import type { Frame, Trace, TraceNode } from './model';

/** 0-based, end-exclusive columns in the document line. */
export interface ColumnSpan {
  start: number;
  end: number;
}

/**
 * The part of `lineText` a link to the frame's source should cover: the file and its line/column suffix
 * (`OrderService.java:212`, `C:\\x\\a.cs:line 12`, `/app/a.py", line 3`) when the line shows them, otherwise the
 * function, otherwise the line without its indentation.
 */
export function frameSpan(lineText: string, frame: Frame): ColumnSpan {
  if (frame.file) {
    const at = lineText.indexOf(frame.file);
    if (at >= 0) {
      let end = at + frame.file.length;
      // Take the line and column that follow in the writer's own notation.
      const tail = /^(?::line \d+|", line \d+|:\d+(?::\d+)?|\(\d+\)|, line \d+)/.exec(
        lineText.slice(end, end + 40),
      );
      if (tail) end += tail[0].length;
      return { start: at, end };
    }
  }
  if (frame.function) {
    const at = lineText.indexOf(frame.function);
    if (at >= 0) return { start: at, end: at + frame.function.length };
  }
  const start = lineText.length - lineText.trimStart().length;
  return { start, end: Math.max(start, lineText.trimEnd().length) };
}

/** A frame with the trace and node it belongs to, in document order of the nodes. */
export interface PlacedFrame {
  frame: Frame;
  trace: Trace;
  node: TraceNode;
  /** Index of the frame in its node (0 = innermost). */
  index: number;
}

/** Every frame of the traces with its trace and node: causes, suppressed and related stacks included. */
export function placedFrames(traces: readonly Trace[]): PlacedFrame[] {
  const out: PlacedFrame[] = [];
  const walk = (trace: Trace, node: TraceNode): void => {
    node.frames.forEach((frame, index) => out.push({ frame, trace, node, index }));
    for (const c of node.causes) walk(trace, c);
    for (const s of node.suppressed) walk(trace, s);
    for (const r of node.related ?? []) walk(trace, r);
  };
  for (const t of traces) walk(t, t);
  return out.sort((a, b) => a.frame.docLine - b.frame.docLine);
}

/**
 * The crash site of a trace: the innermost in-app frame of its innermost cause (the exception that was thrown
 * first), else that node's innermost frame. For a thread dump, the top of the thread's stack.
 */
export function crashSite(trace: Trace): Frame | null {
  let node: TraceNode = trace;
  while (node.causes.length > 0) node = node.causes[0]!;
  const nodes = node === trace ? [trace] : [node, trace];
  for (const n of nodes) {
    const own = n.frames.find((f) => f.inApp === true);
    if (own) return own;
  }
  return node.frames[0] ?? trace.frames[0] ?? null;
}
