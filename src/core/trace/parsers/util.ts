// Small helpers shared by the format parsers.

import type { Frame, LineSpan, TraceNode } from '../model';

/** Indentation width of a line, counting a tab as 8 columns (pastes turn tabs into 4 or 8 spaces). */
export function indentOf(text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) w++;
    else if (c === 9) w += 8 - (w % 8);
    else break;
  }
  return w;
}

export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** A positive integer as written, or null (never NaN, never a number too large to be a line). */
export function toInt(s: string | undefined): number | null {
  if (s === undefined || s.length === 0 || s.length > 9) return null;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

export function titleOf(type: string | null, message: string | null): string {
  if (type && message) return `${type}: ${message.split('\n', 1)[0]}`;
  return type ?? message?.split('\n', 1)[0] ?? '';
}

export function newNode(type: string | null, message: string | null, docLine: number): TraceNode {
  return {
    title: titleOf(type, message),
    type,
    message,
    span: { start: docLine, end: docLine },
    frames: [],
    causes: [],
    suppressed: [],
  };
}

/** Appends a continuation line to a node's message and keeps its title in step. */
export function appendMessage(node: TraceNode, text: string): void {
  node.message = node.message === null || node.message === '' ? text : `${node.message}\n${text}`;
  node.title = titleOf(node.type, node.message);
}

export function extendSpan(span: LineSpan, docLine: number): void {
  if (docLine > span.end) span.end = docLine;
  if (docLine < span.start) span.start = docLine;
}

/** Widens a node's span to cover its frames and everything hanging off it (causes may be printed first). */
export function closeSpans(node: TraceNode): LineSpan {
  for (const c of [...node.causes, ...node.suppressed, ...(node.related ?? [])]) {
    const s = closeSpans(c);
    extendSpan(node.span, s.start);
    extendSpan(node.span, s.end);
  }
  for (const f of node.frames) extendSpan(node.span, f.docLine);
  return node.span;
}

/** Index of the `(` that matches the `)` at `end` (default: the last character), or -1 when unbalanced. */
export function openingParen(s: string, end = s.length - 1): number {
  let depth = 0;
  for (let i = end; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 41 /* ) */) depth++;
    else if (c === 40 /* ( */ && --depth === 0) return i;
  }
  return -1;
}

export function addNote(frame: Frame, note: string): void {
  (frame.notes ??= []).push(note);
}
