// Checks answers against the file at the ref: a line past the end of the file means the trace came from
// another version (or the wrong file), so the answer is demoted and says so instead of pointing at nothing.

import type { FrameResult } from './resolver';
import type { RepoTree } from './tree';

function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}

/** Reads each resolved file once per tree and demotes answers whose line the file at the ref does not have. */
export async function checkLines(results: Iterable<FrameResult>, trees: readonly RepoTree[]): Promise<void> {
  const byTree = new Map<RepoTree, FrameResult[]>();
  const treeOf = new Map(trees.map((t) => [`${t.info.repo}\0${t.info.commit}`, t]));
  for (const r of results) {
    if (!r.resolved || r.resolved.line === null) continue;
    const tree = treeOf.get(`${r.resolved.repo}\0${r.resolved.commit}`);
    if (!tree) continue;
    const list = byTree.get(tree) ?? [];
    list.push(r);
    byTree.set(tree, list);
  }
  for (const [tree, list] of byTree) {
    const texts = await tree.read([...new Set(list.map((r) => r.resolved!.path))]);
    for (const r of list) {
      const res = r.resolved!;
      const text = texts.get(res.path);
      if (text === null || text === undefined) continue;
      const n = lineCount(text);
      if (res.line! > n) {
        res.confidence = Math.min(res.confidence, 0.3);
        const note = `line ${res.line} is past the end of ${res.path} (${n} lines) at ${res.ref}: the trace is probably from another version`;
        res.reason = res.reason ? `${res.reason}; ${note}` : note;
      }
    }
  }
}
