import { readFileSync } from 'fs';
import { parseBytes, traceToJson } from '../src/core/trace';
for (const f of process.argv.slice(2)) {
  const traces = parseBytes(readFileSync(f));
  console.log('##', f, traces.length);
  for (const t of traces) {
    const j = traceToJson(t);
    const show = (n: any, d: string) => {
      console.log(`${d}[${n.format}/${n.kind}] ${n.title} span=${n.span.start}-${n.span.end} frames=${n.frames.length}`);
      const fr = n.frames;
      if (fr.length) { const a=fr[0], b=fr[fr.length-1]; console.log(`${d}  first: ${a.function} | ${a.file}:${a.line}:${a.column} mod=${a.module} addr=${a.address} @${a.docLine}`); console.log(`${d}  last:  ${b.function} | ${b.file}:${b.line}:${b.column} mod=${b.module} addr=${b.address} @${b.docLine}`); }
      for (const c of n.causes) show(c, d + '  C ');
      for (const c of n.suppressed ?? []) show(c, d + '  S ');
    };
    show(j, '');
  }
}
