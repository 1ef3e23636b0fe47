// A lens over each trace in a log or text file ("java exception — 12 frames, 9 resolved at v5.5.1"), so traces
// in ordinary files are found without changing their language, and the status bar item with the trace's ref.

import * as vscode from 'vscode';
import { Commands } from './commands';
import { TRACE_LANGUAGES } from './frames';
import type { Sources } from './sources';

export class TraceLenses implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly sources: Sources) {
    this.onDidChangeCodeLenses = sources.onDidChange;
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const a = await this.sources.analyse(doc);
    return a.traces.map((t) => {
      const frames = a.frames.filter((p) => p.trace === t);
      const resolved = frames.filter((p) => a.targets.get(p.frame)?.result.resolved).length;
      const range = new vscode.Range(t.span.start - 1, 0, t.span.start - 1, 0);
      return new vscode.CodeLens(range, {
        title: `$(debug-stackframe) ${t.format} ${t.kind}: ${frames.length} frames, ${resolved} resolved at ${a.refLabel}`,
        tooltip: a.notice ?? 'Go to the crash site and open its source',
        command: Commands.goToCrashSite,
      });
    });
  }
}

export class RefStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'escalate.ref',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly sources: Sources) {
    this.item.name = 'Escalate: customer version';
    this.item.command = Commands.setRef;
    this.subscriptions.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => void this.update()),
      sources.onDidChange(() => void this.update()),
    );
    void this.update();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /** What the item shows now, for the integration tests. */
  get shown(): { text: string; tooltip: string; command: string | undefined } | null {
    if (!this.visible) return null;
    const command = this.item.command;
    return {
      text: this.item.text,
      tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : '',
      command: typeof command === 'string' ? command : command?.command,
    };
  }

  private visible = false;

  private async update(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !TRACE_LANGUAGES.includes(editor.document.languageId)) {
      this.hide();
      return;
    }
    const a = await this.sources.analyse(editor.document);
    if (a.traces.length === 0) {
      this.hide();
      return;
    }
    if (!vscode.workspace.isTrusted) {
      // Restricted mode: say that git is off where the ref would be, and offer the way out.
      this.item.text = `$(workspace-untrusted) ${a.refLabel} (git off)`;
      this.item.tooltip = `${a.notice ?? ''} Click to manage workspace trust.`.trim();
      this.item.command = 'workbench.trust.manage';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.item.text = `$(git-commit) ${a.refLabel}`;
      this.item.tooltip =
        a.notice ?? `Frames resolved at ${a.refLabel}; click to choose the customer's version`;
      this.item.command = Commands.setRef;
      this.item.backgroundColor = undefined;
    }
    this.item.show();
    this.visible = true;
  }

  private hide(): void {
    this.item.hide();
    this.visible = false;
  }
}
