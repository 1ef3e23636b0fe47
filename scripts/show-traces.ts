// Developer helper: prints a compact summary of what the parsers find in files (`npx tsx scripts/show-traces.ts FILE…`).

import { readFileSync } from 'node:fs';
import { parseBytes, traceToJson, type FrameJson, type TraceJson } from '../src/core/trace';

function frame(f: FrameJson): string {
  return `${f.function} | ${f.file}:${f.line}:${f.column} mod=${f.module} addr=${f.address} @${f.docLine}`;
}

function show(n: TraceJson, indent: string): void {
  console.log(
    `${indent}[${n.format}/${n.kind}] ${n.title} span=${n.span.start}-${n.span.end} frames=${n.frames.length}`,
  );
  const first = n.frames[0];
  const last = n.frames[n.frames.length - 1];
  if (first && last) {
    console.log(`${indent}  first: ${frame(first)}`);
    console.log(`${indent}  last:  ${frame(last)}`);
  }
  for (const c of n.causes) show(c, `${indent}  C `);
  for (const s of n.suppressed ?? []) show(s, `${indent}  S `);
  for (const r of n.related ?? []) show(r, `${indent}  R(${r.role ?? '?'}) `);
}

for (const file of process.argv.slice(2)) {
  const traces = parseBytes(readFileSync(file));
  console.log('##', file, traces.length);
  for (const t of traces) show(traceToJson(t), '');
}
