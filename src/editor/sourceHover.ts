// Hovering a line the active trace marks in a source editor: which frame it is, the exception, and its
// neighbours in the stack (caller and callee) as links back into the trace.

import * as vscode from 'vscode';
import { changesMarkdown, esc } from './frames';
import type { Highlights } from './highlights';

export class SourceHover implements vscode.HoverProvider {
  constructor(private readonly highlights: Highlights) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | null> {
    const here = this.highlights.framesIn(doc.uri).filter((f) => f.line - 1 === pos.line);
    if (here.length === 0) return null;
    const active = this.highlights.activeAnalysis;
    if (!active) return null;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['vscode.open'] };
    for (const f of here) {
      const p = active.frames.find((x) => x.frame === f.frame);
      if (!p) continue;
      md.appendMarkdown(`${f.crash ? '**Crash site** · ' : ''}**${esc(p.trace.title)}**\n\n`);
      const neighbour = (i: number, label: string): void => {
        const n = p.node.frames[i];
        if (!n) return;
        const at = active.uri.with({ fragment: `L${n.docLine}` });
        const link = `command:vscode.open?${encodeURIComponent(JSON.stringify([at]))}`;
        md.appendMarkdown(`${label}: [${esc(n.function ?? n.raw.trim())}](${link})  \n`);
      };
      md.appendMarkdown(
        `Frame ${p.index + 1} of ${p.node.frames.length}: \`${esc(f.frame.function ?? '?')}\`  \n`,
      );
      neighbour(p.index - 1, 'Callee');
      neighbour(p.index + 1, 'Caller');
      const t = active.targets.get(f.frame);
      if (t) md.appendMarkdown(await changesMarkdown(t, active.refLabel));
      md.appendMarkdown('\n\n---\n\n');
    }
    md.appendMarkdown(
      `From ${esc(vscode.workspace.asRelativePath(active.uri))}, resolved at ${esc(active.refLabel)}`,
    );
    return new vscode.Hover(md);
  }
}
