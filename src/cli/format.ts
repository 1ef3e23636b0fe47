// Human-readable rendering of traces for the terminal.

import type { Frame, Trace, TraceNode } from '../core/trace';

export function describeFrame(f: Frame): string {
  const where: string[] = [];
  if (f.file !== null) {
    let loc = f.file;
    if (f.line !== null) loc += `:${f.line}`;
    if (f.column !== null) loc += `:${f.column}`;
    where.push(loc);
  }
  if (f.module !== null) where.push(`in ${f.module}`);
  if (f.address !== null) where.push(f.address);
  const fn = f.function ?? '??';
  return where.length ? `${fn}  (${where.join(', ')})` : fn;
}

function renderNode(node: TraceNode, indent: string, out: string[]): void {
  for (const f of node.frames) {
    const shown = f.notes?.filter((n) => !n.startsWith('packaging')) ?? [];
    const notes = shown.length ? `  [${shown.join('; ')}]` : '';
    out.push(`${indent}  at ${describeFrame(f)}${notes}    line ${f.docLine}`);
    for (const l of f.locks ?? []) {
      out.push(`${indent}    - ${l.action} ${l.address ?? ''}${l.className ? ` (${l.className})` : ''}`);
    }
  }
  if (node.omittedFrames)
    out.push(`${indent}  ... ${node.omittedFrames} more (shared with the enclosing trace)`);
  for (const s of node.suppressed) {
    out.push(`${indent}  Suppressed: ${s.title}`);
    renderNode(s, `${indent}    `, out);
  }
  for (const r of node.related ?? []) {
    out.push(`${indent}${r.role ?? 'Related'}: ${r.title}`);
    renderNode(r, `${indent}  `, out);
  }
  for (const c of node.causes) {
    const label =
      c.relation === 'context' ? 'During handling of' : c.relation === 'inner' ? 'Inner' : 'Caused by';
    out.push(`${indent}${label}: ${c.title}`);
    renderNode(c, indent, out);
  }
}

export function renderTrace(trace: Trace, index: number): string {
  const out: string[] = [];
  const span =
    trace.span.start === trace.span.end
      ? `line ${trace.span.start}`
      : `lines ${trace.span.start}-${trace.span.end}`;
  const thread = trace.thread?.name ? `  thread "${trace.thread.name}"` : '';
  const ts = trace.timestamp ? `  at ${trace.timestamp}` : '';
  out.push(`[${index}] ${trace.format} ${trace.kind}, ${span}${thread}${ts}`);
  out.push(`  ${trace.title || '(no header)'}`);
  renderNode(trace, '  ', out);
  return out.join('\n');
}
