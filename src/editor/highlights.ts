// Marks, in every source editor, the lines the active trace's frames point at: the crash site distinct from the
// other frames, library frames softer; gutter, whole line and overview ruler, in themable colours.

import * as vscode from 'vscode';
import type { Frame } from '../core/trace';
import { crashSite } from '../core/trace/locate';
import { TRACE_LANGUAGES } from './frames';
import type { Analysis, Sources } from './sources';

export interface HighlightState {
  crashSite: number[];
  frames: number[];
  library: number[];
}

function sameDoc(a: vscode.Uri, b: vscode.Uri): boolean {
  return a.scheme === b.scheme && a.path === b.path && (a.scheme === 'file' || a.query === b.query);
}

export class Highlights implements vscode.Disposable {
  private readonly crash: vscode.TextEditorDecorationType;
  private readonly frame: vscode.TextEditorDecorationType;
  private readonly library: vscode.TextEditorDecorationType;
  private active: Analysis | null = null;
  private enabled = true;
  private readonly applied = new WeakMap<vscode.TextEditor, HighlightState>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly sources: Sources,
    media: vscode.Uri,
  ) {
    const kind = (bg: string, ruler: string, icon: string): vscode.TextEditorDecorationType =>
      vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        backgroundColor: new vscode.ThemeColor(bg),
        overviewRulerColor: new vscode.ThemeColor(ruler),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
        gutterIconPath: vscode.Uri.joinPath(media, icon),
        gutterIconSize: 'contain',
      });
    this.crash = kind('escalate.crashSiteBackground', 'escalate.crashSiteRuler', 'crash-site.svg');
    this.frame = kind('escalate.frameBackground', 'escalate.frameRuler', 'frame.svg');
    this.library = kind('escalate.libraryFrameBackground', 'escalate.libraryFrameRuler', 'library-frame.svg');
    this.subscriptions.push(
      this.crash,
      this.frame,
      this.library,
      vscode.window.onDidChangeActiveTextEditor((e) => void this.follow(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.paint()),
      sources.onDidChange(() => void this.follow(vscode.window.activeTextEditor)),
    );
    void this.follow(vscode.window.activeTextEditor);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /** A trace document becoming active makes its trace the one highlighted; source editors keep it. */
  private async follow(editor: vscode.TextEditor | undefined): Promise<void> {
    if (!editor || editor.document.uri.scheme === 'output') return;
    if (!TRACE_LANGUAGES.includes(editor.document.languageId)) {
      this.paint();
      return;
    }
    const a = await this.sources.analyse(editor.document);
    if (a.traces.length > 0) this.active = a;
    this.paint();
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    this.paint();
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  clear(): void {
    this.active = null;
    this.paint();
  }

  /** The trace document whose frames are marked, if any. */
  get activeAnalysis(): Analysis | null {
    return this.active;
  }

  /** What is marked in an editor now (for the extension's API and tests). */
  stateOf(editor: vscode.TextEditor): HighlightState {
    return this.applied.get(editor) ?? { crashSite: [], frames: [], library: [] };
  }

  /** The active trace's frames that point into `uri`, with the line they point at there. */
  framesIn(uri: vscode.Uri): { frame: Frame; line: number; crash: boolean }[] {
    const a = this.active;
    if (!a) return [];
    const sites = new Set(a.traces.map(crashSite));
    const out: { frame: Frame; line: number; crash: boolean }[] = [];
    for (const p of a.frames) {
      const t = a.targets.get(p.frame);
      if (!t) continue;
      for (const at of [t.atRef, t.working]) {
        if (at && at.line !== null && sameDoc(at.uri, uri)) {
          out.push({ frame: p.frame, line: at.line, crash: sites.has(p.frame) });
          break;
        }
      }
    }
    return out;
  }

  private paint(): void {
    const config = vscode.workspace.getConfiguration('escalate');
    const show = {
      crash: config.get<boolean>('highlight.crashSite', true),
      frames: config.get<boolean>('highlight.frames', true),
      library: config.get<boolean>('highlight.libraryFrames', true),
    };
    for (const editor of vscode.window.visibleTextEditors) {
      const state: HighlightState = { crashSite: [], frames: [], library: [] };
      if (this.enabled) {
        for (const f of this.framesIn(editor.document.uri)) {
          const line = f.line - 1;
          if (line < 0 || line >= editor.document.lineCount) continue;
          if (f.crash) {
            if (show.crash) state.crashSite.push(line + 1);
          } else if (f.frame.inApp === false) {
            if (show.library) state.library.push(line + 1);
          } else if (show.frames) state.frames.push(line + 1);
        }
      }
      const ranges = (lines: number[]): vscode.Range[] =>
        lines.map((l) => new vscode.Range(l - 1, 0, l - 1, 0));
      editor.setDecorations(this.crash, ranges(state.crashSite));
      editor.setDecorations(this.frame, ranges(state.frames.filter((l) => !state.crashSite.includes(l))));
      editor.setDecorations(this.library, ranges(state.library));
      this.applied.set(editor, state);
    }
  }
}
