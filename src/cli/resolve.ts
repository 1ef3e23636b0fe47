// `escalate resolve TRACE --repo DIR… [--ref REF|--version V] [--map FROM=TO…] [--json]`: every frame of the
// trace with the file and line it is at in the customer's version, how sure that is, and what changed since.

import { GitError } from '../core/git';
import {
  CONFIDENT,
  HistoryCache,
  MappingError,
  Resolver,
  checkLines,
  openWorkspace,
  type FrameResult,
  type LineHistory,
  type PathMapping,
  type Workspace,
} from '../core/resolve';
import { InputError, scanFileSync } from '../core/trace/file';
import {
  allFrames,
  classifyTrace,
  traceToJson,
  type ClassifyOptions,
  type Frame,
  type Trace,
} from '../core/trace';
import { describeFrame } from './format';
import type { CliIO } from './main';

export interface ResolveArgs {
  file: string;
  repos: string[];
  /** `--ref` or `--version`; null resolves at HEAD. */
  ref: string | null;
  maps: string[];
  json: boolean;
  classify: ClassifyOptions;
}

/** `FROM=TO`, split at the last `=` that is followed by a path (Windows build paths may hold `=` rarely). */
export function parseMapping(s: string): PathMapping | null {
  const at = s.lastIndexOf('=');
  if (at <= 0 || at === s.length - 1) return null;
  return { from: s.slice(0, at), to: s.slice(at + 1) };
}

interface Answer {
  result: FrameResult;
  history: LineHistory | null;
}

function resolvedJson(a: Answer): Record<string, unknown> {
  if (!a.result.resolved) {
    const u = a.result.unresolved;
    return {
      resolved: null,
      unresolvedReason: u.reason,
      ...(u.candidates ? { candidates: u.candidates } : {}),
    };
  }
  const r = a.result.resolved;
  const h = a.history;
  return {
    resolved: {
      repo: r.repo,
      path: r.path,
      ref: r.ref,
      commit: r.commit,
      line: r.line,
      workingLine: h ? h.workingLine : null,
      workingPath: h ? h.workingPath : null,
      lineStatus: h ? h.status : null,
      method: r.method,
      confidence: r.confidence,
      ...(r.reason ? { reason: r.reason } : {}),
      changedSince: (h?.changedSince ?? []).map((c) => ({
        commit: c.commit,
        subject: c.subject,
        author: c.author,
        date: c.date,
      })),
    },
  };
}

function describeAnswer(a: Answer): string[] {
  if (!a.result.resolved) {
    const u = a.result.unresolved;
    const out = [`✗ unresolved: ${u.reason}`];
    if (u.candidates?.length)
      out.push(`  candidates: ${u.candidates.map((c) => `${c.repo}:${c.path}`).join(', ')}`);
    return out;
  }
  const r = a.result.resolved;
  const h = a.history;
  const sure = r.confidence >= CONFIDENT ? '→' : '?';
  const out = [
    `${sure} ${r.repo}:${r.path}${r.line !== null ? `:${r.line}` : ''} @ ${r.ref}   ${r.method} ${r.confidence.toFixed(2)}${
      r.confidence >= CONFIDENT ? '' : ' (uncertain)'
    }`,
  ];
  // Straightforward answers need no explanation; anything short of near-certain says why.
  if (r.reason && r.confidence < 0.9) out.push(`  ${r.reason}`);
  if (h) {
    const where = h.workingPath && h.workingPath !== r.path ? ` in ${h.workingPath}` : '';
    if (h.status === 'deleted') out.push('  the file is gone from the working tree');
    else if (h.status === 'changed') out.push(`  this line was changed or deleted since ${r.ref}${where}`);
    else if (h.status === 'moved') out.push(`  now line ${h.workingLine}${where} in the working tree`);
    for (const c of h.changedSince.slice(0, 5))
      out.push(
        `  changed since: ${c.commit.slice(0, 10)} ${c.subject} (${c.author}, ${c.date.slice(0, 10)})`,
      );
    if (h.changedSince.length > 5) out.push(`  … and ${h.changedSince.length - 5} more commits`);
  }
  return out;
}

async function answer(traces: Trace[], ws: Workspace, resolver: Resolver): Promise<Map<Frame, Answer>> {
  const history = new HistoryCache(ws.sources);
  const results = new Map<Frame, FrameResult>();
  for (const t of traces) {
    const got = await resolver.resolveTrace(t, t.format);
    await checkLines(got.values(), resolver.trees);
    for (const [f, r] of got) results.set(f, r);
  }
  const resolved = [...results.values()].flatMap((r) => (r.resolved ? [r.resolved] : []));
  await history.prefetch(resolved);
  const all = new Map<Frame, Answer>();
  for (const [f, result] of results)
    all.set(f, { result, history: result.resolved ? await history.history(result.resolved) : null });
  return all;
}

export async function resolveCommand(args: ResolveArgs, io: CliIO): Promise<number> {
  const mappings: PathMapping[] = [];
  for (const m of args.maps) {
    const parsed = parseMapping(m);
    if (!parsed) {
      io.stderr.write(`escalate: --map wants FROM=TO (a build prefix and a repository folder), got "${m}"\n`);
      return 2;
    }
    mappings.push(parsed);
  }
  const traces: Trace[] = [];
  let lines: number;
  try {
    lines = scanFileSync(args.file, (t) => {
      classifyTrace(t, args.classify);
      traces.push(t);
    }).lines;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr.write(`escalate: ${e.message}\n`);
    return 2;
  }
  let ws: Workspace;
  try {
    ws = await openWorkspace(args.repos, args.ref);
  } catch (e) {
    if (!(e instanceof GitError)) throw e;
    io.stderr.write(`escalate: ${e.message}\n`);
    return 2;
  }
  try {
    let resolver: Resolver;
    try {
      resolver = new Resolver(
        ws.repos.map((r) => r.tree),
        { mappings },
      );
    } catch (e) {
      if (!(e instanceof MappingError)) throw e;
      io.stderr.write(`escalate: ${e.message}\n`);
      return 2;
    }
    for (const w of ws.warnings) io.stderr.write(`escalate: warning: ${w}\n`);
    const answers = await answer(traces, ws, resolver);
    const refs = ws.repos.map((r) => ({
      repo: r.tree.info.repo,
      root: r.tree.info.root,
      ref: r.tree.info.ref,
      commit: r.tree.info.commit,
      kind: r.ref?.kind ?? 'head',
      exact: r.tree.info.exact,
      ...(r.tree.info.refNote ? { note: r.tree.info.refNote } : {}),
    }));
    if (args.json) {
      const decorate = (f: Frame): Record<string, unknown> | undefined => {
        const a = answers.get(f);
        return a ? resolvedJson(a) : undefined;
      };
      io.stdout.write(
        JSON.stringify({ repos: refs, traces: traces.map((t) => traceToJson(t, decorate)) }) + '\n',
      );
      return 0;
    }
    for (const r of refs)
      io.stdout.write(
        `${r.repo}: ${r.ref} (${r.kind}, ${r.commit.slice(0, 10)})${r.note ? ` — ${r.note}` : ''}\n`,
      );
    io.stdout.write('\n');
    let resolved = 0;
    let frames = 0;
    traces.forEach((t, i) => {
      io.stdout.write(
        `[${i + 1}] ${t.format} ${t.kind}, lines ${t.span.start}-${t.span.end}\n  ${t.title}\n`,
      );
      for (const f of allFrames(t)) {
        const a = answers.get(f);
        if (!a) continue;
        frames++;
        if (a.result.resolved && a.result.resolved.confidence >= CONFIDENT) resolved++;
        io.stdout.write(`  at ${describeFrame(f)}${f.inApp === false ? '  [library]' : ''}\n`);
        for (const l of describeAnswer(a)) io.stdout.write(`       ${l}\n`);
      }
      io.stdout.write('\n');
    });
    io.stdout.write(
      `${traces.length} trace${traces.length === 1 ? '' : 's'} in ${lines} lines; ${resolved} of ${frames} frames resolved with confidence\n`,
    );
    return 0;
  } finally {
    ws.close();
  }
}
