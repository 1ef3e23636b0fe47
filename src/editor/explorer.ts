// The Trace Explorer: the traces of the active document → exception chain or thread → frames, each frame with
// an icon for in-app, library or unresolved, its file:line, and a click that opens its source.

import * as vscode from 'vscode';
import type { Frame, Trace, TraceNode } from '../core/trace';
import { TRACE_LANGUAGES, targetUri } from './frames';
import type { Analysis, Sources } from './sources';

type Item =
  | { kind: 'trace'; trace: Trace }
  | { kind: 'node'; node: TraceNode; label: string }
  | { kind: 'frame'; frame: Frame };

export class TraceExplorer implements vscode.TreeDataProvider<Item>, vscode.Disposable {
  private analysis: Analysis | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly sources: Sources) {
    this.subscriptions.push(
      this.changed,
      vscode.window.onDidChangeActiveTextEditor((e) => void this.follow(e)),
      sources.onDidChange(() => void this.follow(vscode.window.activeTextEditor)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.analysis && e.document.uri.toString() === this.analysis.uri.toString())
          void this.follow(vscode.window.activeTextEditor);
      }),
    );
    void this.follow(vscode.window.activeTextEditor);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /** The document shown; source editors opened from it keep it. */
  get shown(): Analysis | null {
    return this.analysis;
  }

  private async follow(editor: vscode.TextEditor | undefined): Promise<void> {
    if (!editor || !TRACE_LANGUAGES.includes(editor.document.languageId)) return;
    const a = await this.sources.analyse(editor.document);
    if (a.traces.length === 0 && this.analysis?.uri.toString() !== a.uri.toString()) return;
    this.analysis = a;
    void vscode.commands.executeCommand('setContext', 'escalate.hasTraces', a.traces.length > 0);
    this.changed.fire();
  }

  getChildren(item?: Item): Item[] {
    const a = this.analysis;
    if (!a) return [];
    if (!item) return a.traces.map((trace) => ({ kind: 'trace', trace }));
    if (item.kind === 'frame') return [];
    const node = item.kind === 'trace' ? item.trace : item.node;
    const out: Item[] = node.frames.map((frame) => ({ kind: 'frame', frame }));
    for (const c of node.causes)
      out.push({ kind: 'node', node: c, label: c.relation === 'inner' ? 'Inner' : 'Caused by' });
    for (const s of node.suppressed) out.push({ kind: 'node', node: s, label: 'Suppressed' });
    for (const r of node.related ?? []) out.push({ kind: 'node', node: r, label: r.role ?? 'Related' });
    return out;
  }

  getTreeItem(item: Item): vscode.TreeItem {
    const a = this.analysis!;
    if (item.kind === 'trace') {
      const t = item.trace;
      const ti = new vscode.TreeItem(t.title || '(no header)', vscode.TreeItemCollapsibleState.Expanded);
      ti.description = `${t.format} ${t.kind}, lines ${t.span.start}-${t.span.end}`;
      ti.iconPath = new vscode.ThemeIcon(t.kind === 'thread' ? 'list-tree' : 'bug');
      ti.contextValue = 'trace';
      ti.command = this.reveal(t.span.start);
      return ti;
    }
    if (item.kind === 'node') {
      const ti = new vscode.TreeItem(
        `${item.label}: ${item.node.title}`,
        vscode.TreeItemCollapsibleState.Expanded,
      );
      ti.iconPath = new vscode.ThemeIcon('arrow-small-down');
      ti.command = this.reveal(item.node.span.start);
      return ti;
    }
    const f = item.frame;
    const t = a.targets.get(f);
    const r = t?.result.resolved ?? null;
    const ti = new vscode.TreeItem(f.function ?? f.raw.trim(), vscode.TreeItemCollapsibleState.None);
    ti.description = r
      ? `${r.path.split('/').pop()}:${r.line ?? '?'}`
      : f.file
        ? `${f.file}${f.line !== null ? `:${f.line}` : ''}`
        : '';
    ti.iconPath = !r
      ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'))
      : f.inApp === false
        ? new vscode.ThemeIcon('library')
        : new vscode.ThemeIcon('debug-stackframe', new vscode.ThemeColor('escalate.frameRuler'));
    ti.tooltip = r
      ? `${r.repo}/${r.path}:${r.line ?? '?'} at ${r.ref} (${r.method}, ${r.confidence.toFixed(2)})${r.reason ? `\n${r.reason}` : ''}`
      : t && !t.result.resolved
        ? `Unresolved: ${t.result.unresolved.reason}`
        : 'Not resolved';
    ti.contextValue = r ? 'frame.resolved' : 'frame';
    const target = t ? targetUri(t) : null;
    ti.command = target
      ? {
          command: 'vscode.open',
          title: 'Open Source',
          arguments: [
            target.with({ fragment: '' }),
            { selection: this.lineRange(t?.atRef?.line ?? t?.working?.line ?? null), preview: true },
          ],
        }
      : this.reveal(f.docLine);
    return ti;
  }

  private lineRange(line: number | null): vscode.Range | undefined {
    return line !== null ? new vscode.Range(line - 1, 0, line - 1, 0) : undefined;
  }

  private reveal(docLine: number): vscode.Command {
    return {
      command: 'vscode.open',
      title: 'Show in Trace',
      arguments: [this.analysis!.uri, { selection: new vscode.Range(docLine - 1, 0, docLine - 1, 0) }],
    };
  }

  /** The frame a context-menu command was run on, with where it resolved. */
  frameOf(item: unknown): { frame: Frame; target: ReturnType<Analysis['targets']['get']> } | null {
    const i = item as Item | undefined;
    if (i?.kind !== 'frame') return null;
    return { frame: i.frame, target: this.analysis?.targets.get(i.frame) };
  }
}
