// Extension entry point: builds the few long-lived objects and registers them; the work lives in editor/.

import * as vscode from 'vscode';
import { Commands } from './editor/commands';
import { registerCaseCommands } from './editor/cases/commands';
import { CaseService } from './editor/cases/service';
import { CaseStatus, CasesView, FindingsView } from './editor/cases/views';
import { registerReplay } from './editor/replay/replay';
import { TimelinePanel } from './editor/replay/timeline';
import { TraceExplorer } from './editor/explorer';
import { FrameLinks, TRACE_DOCUMENTS, openFrameSource, stepFrame } from './editor/frames';
import { openTrace, openTraceFromLog, pasteTrace } from './editor/getTraces';
import { Highlights, type HighlightState } from './editor/highlights';
import { RefDocuments } from './editor/refDocuments';
import { showTraces } from './editor/showTraces';
import { SourceHover } from './editor/sourceHover';
import { REF_SCHEME, Sources, type Analysis } from './editor/sources';
import { RefStatus, TraceLenses } from './editor/traceLens';

/** What the extension offers other extensions and its integration tests. */
export interface EscalateApi {
  /** The traces of a document and where each frame resolved. */
  analyse(uri: vscode.Uri): Promise<Analysis>;
  /** Lines (1-based) marked in an editor now. */
  highlightsOf(editor: vscode.TextEditor): HighlightState;
  /** The document the Trace Explorer shows. */
  explorerDocument(): vscode.Uri | null;
  /** Cases: the store's folder, the active case, the Findings view's state, the case status bar text. */
  cases: {
    storeRoot(): string | null;
    active(): { id: string; ref: string | null } | null;
    refresh(): Promise<void>;
    statusBar(): string | null;
  };
  /** What the replay timeline last showed. */
  timeline(): { eventCount: number; position: number; lanes: number } | null;
  /** The trace status bar item as shown now, or null when hidden. */
  statusBar(): { text: string; tooltip: string; command: string | undefined } | null;
  /**
   * What activation cost this extension, in milliseconds: running the bundle's top level, and activate() itself
   * (the editor benchmark reads it; VS Code's own wait between the two is not ours).
   */
  activation: { loadMs: number; activateMs: number };
}

export function activate(context: vscode.ExtensionContext): EscalateApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Escalate', { log: true });
  const sources = new Sources(log);
  const links = new FrameLinks(sources);
  const highlights = new Highlights(sources, vscode.Uri.joinPath(context.extensionUri, 'media'));
  const explorer = new TraceExplorer(sources);
  const refStatus = new RefStatus(sources);
  const cases = new CaseService(log);
  const casesView = new CasesView(cases);
  const findingsView = new FindingsView(cases);
  const caseStatus = new CaseStatus(cases);
  const timeline = new TimelinePanel(vscode.Uri.joinPath(context.extensionUri, 'media'));
  context.subscriptions.push(
    log,
    sources,
    highlights,
    vscode.workspace.registerTextDocumentContentProvider(REF_SCHEME, new RefDocuments(sources)),
    vscode.languages.registerDocumentLinkProvider(TRACE_DOCUMENTS, links),
    vscode.languages.registerHoverProvider(TRACE_DOCUMENTS, links),
    vscode.languages.registerHoverProvider(
      [{ scheme: 'file' }, { scheme: REF_SCHEME }],
      new SourceHover(highlights),
    ),
    vscode.commands.registerCommand(Commands.showTraces, () => showTraces(log)),
    vscode.commands.registerCommand(Commands.nextFrame, () => stepFrame(sources, 1)),
    vscode.commands.registerCommand(Commands.previousFrame, () => stepFrame(sources, -1)),
    vscode.commands.registerCommand(Commands.goToCrashSite, () => stepFrame(sources, 'crash')),
    vscode.commands.registerCommand(Commands.setRef, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Escalate: open a trace first, then choose its version.');
        return;
      }
      if (!vscode.workspace.isTrusted) {
        const manage = 'Manage Workspace Trust';
        const pick = await vscode.window.showWarningMessage(
          "Escalate: this workspace is in restricted mode, so git is off and frames resolve against the working tree. Trust the workspace to open the customer's version.",
          manage,
        );
        if (pick === manage) await vscode.commands.executeCommand('workbench.trust.manage');
        return;
      }
      const current = sources.refFor(editor.document.uri) ?? '';
      const ref = await vscode.window.showInputBox({
        title: 'Customer version for this trace',
        prompt: 'A tag, branch, commit or version (5.5.1 finds v5.5.1 or release/5.5); empty for HEAD',
        value: current,
      });
      if (ref !== undefined) sources.setRef(editor.document.uri, ref.trim() === '' ? null : ref.trim());
    }),
    vscode.languages.registerCodeLensProvider(TRACE_DOCUMENTS, new TraceLenses(sources)),
    refStatus,
    vscode.commands.registerCommand(Commands.openTrace, (uri?: vscode.Uri) => openTrace(uri)),
    vscode.commands.registerCommand(Commands.pasteTrace, () => pasteTrace()),
    vscode.commands.registerCommand(Commands.openTraceFromLog, (uri?: vscode.Uri, pick?: number) =>
      openTraceFromLog(uri, pick),
    ),
    explorer,
    vscode.window.registerTreeDataProvider('escalate.traces', explorer),
    cases,
    casesView,
    findingsView,
    caseStatus,
    ...(['escalate.cases', 'escalate.findings'] as const).map((id) => {
      const view = vscode.window.createTreeView<unknown>(id, {
        treeDataProvider: id === 'escalate.cases' ? casesView : findingsView,
      });
      // Opening a case view is when the active case is first worth finding (it reads the store and runs git).
      view.onDidChangeVisibility((e) => {
        if (e.visible) cases.ensureFresh();
      });
      return view;
    }),
    // While a case is active, its traces resolve at the case's ref.
    cases.onDidChange(() => sources.setCaseRef(cases.active?.case?.ref ?? null)),
    ...registerCaseCommands({ cases, sources, explorer, casesView, log }),
    timeline,
    ...registerReplay({
      extensionPath: context.extensionPath,
      log,
      sources,
      cases,
      onMoved: (s) => void timeline.moved(s),
    }),
    vscode.commands.registerCommand(Commands.copyFrame, async (item: unknown) => {
      const f = explorer.frameOf(item);
      if (f) await vscode.env.clipboard.writeText(f.frame.raw.trim());
    }),
    vscode.commands.registerCommand(Commands.openFrameAtRef, (item: unknown) =>
      openFrameSource(explorer.frameOf(item)?.target, false),
    ),
    vscode.commands.registerCommand(Commands.openWorkingCopy, async (item: unknown) => {
      const target = explorer.frameOf(item)?.target;
      await target?.carried;
      const w = target?.working;
      if (!w) {
        void vscode.window.showInformationMessage(
          'Escalate: this frame has no working copy (unresolved, or the file is gone).',
        );
        return;
      }
      const doc = await vscode.workspace.openTextDocument(w.uri);
      const line = Math.max(0, (w.line ?? 1) - 1);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0) });
    }),
    vscode.commands.registerCommand(Commands.clearHighlights, () => highlights.clear()),
    vscode.commands.registerCommand(Commands.toggleHighlights, () =>
      highlights.setEnabled(!highlights.isEnabled),
    ),
  );
  // The active case decides the traces' default ref, so find it now when the workspace keeps cases — after
  // activation, not during it — and otherwise when a case view is first shown or a case is created.
  if (cases.hasStore()) setTimeout(() => cases.ensureFresh(), 0);
  return {
    analyse: async (uri) => sources.analyse(await vscode.workspace.openTextDocument(uri)),
    highlightsOf: (editor) => highlights.stateOf(editor),
    explorerDocument: () => explorer.shown?.uri ?? null,
    statusBar: () => refStatus.shown,
    timeline: () => timeline.posted,
    cases: {
      storeRoot: () => cases.storeRoot(),
      active: () => (cases.active ? { id: cases.active.id, ref: cases.active.case?.ref ?? null } : null),
      refresh: () => cases.refresh(),
      statusBar: () => caseStatus.text,
    },
    activation: { loadMs: loadTime(), activateMs: performance.now() - started },
  };
}

/** Time the bundle's top level took to run (esbuild's banner and footer stamp it; 0 when unbundled). */
function loadTime(): number {
  const g = globalThis as { __escalateLoadStart?: number; __escalateLoadEnd?: number };
  return g.__escalateLoadStart !== undefined && g.__escalateLoadEnd !== undefined
    ? g.__escalateLoadEnd - g.__escalateLoadStart
    : 0;
}

export function deactivate(): void {}
