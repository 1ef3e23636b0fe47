// The replay timeline: a webview beside the editor with each thread's events over time, exception and log
// markers and the current position; a click jumps there. Scripts and styles come only from media/, under a CSP
// with a per-load nonce.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Position, Timeline } from '../../debug/protocol';
import { Commands } from '../commands';
import { DEBUG_TYPE } from './replay';

/** Messages from the webview. */
type FromView = { type: 'jump'; index: number } | { type: 'ready' };

export class TimelinePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | null = null;
  private session: vscode.DebugSession | null = null;
  private timeline: Timeline | null = null;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The last state posted to the webview, for the integration tests. */
  posted: { eventCount: number; position: number; lanes: number } | null = null;

  constructor(private readonly media: vscode.Uri) {
    this.subscriptions.push(
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type !== DEBUG_TYPE) return;
        const config = vscode.workspace.getConfiguration('escalate');
        const show = config.get<boolean>('replay.showTimeline', true);
        if (show) void this.show(s);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.id === this.session?.id) {
          this.session = null;
          void this.panel?.webview.postMessage({ type: 'ended' });
        }
      }),
      vscode.commands.registerCommand(Commands.showTimeline, () => {
        const s = vscode.debug.activeDebugSession;
        if (s?.type === DEBUG_TYPE) return this.show(s);
        void vscode.window.showInformationMessage(
          'Escalate: the timeline shows a running replay (Replay Session…).',
        );
        return undefined;
      }),
    );
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  async show(session: vscode.DebugSession): Promise<void> {
    this.session = session;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'escalate.timeline',
        'Replay Timeline',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [this.media], retainContextWhenHidden: true },
      );
      this.panel.onDidDispose(() => (this.panel = null));
      this.panel.webview.onDidReceiveMessage((m: FromView) => void this.receive(m));
      this.panel.webview.html = this.html(this.panel.webview);
    }
    this.panel.title = `Replay Timeline: ${session.name}`;
    this.timeline = (await session.customRequest('escalate/timeline')) as Timeline;
    this.post();
  }

  /** The replay moved: update the position marker. */
  async moved(session: vscode.DebugSession): Promise<void> {
    if (!this.panel || session.id !== this.session?.id || !this.timeline) return;
    const pos = (await session.customRequest('escalate/position')) as Position;
    this.timeline = { ...this.timeline, position: pos.index };
    this.post();
  }

  private post(): void {
    if (!this.panel || !this.timeline) return;
    const t = this.timeline;
    this.posted = { eventCount: t.eventCount, position: t.position, lanes: t.lanes.length };
    void this.panel.webview.postMessage({ type: 'timeline', timeline: t });
  }

  private async receive(m: FromView): Promise<void> {
    if (m.type === 'ready') return this.post();
    if (m.type === 'jump' && this.session && Number.isInteger(m.index)) {
      try {
        await this.session.customRequest('escalate/jump', { index: m.index });
      } catch (e) {
        void vscode.window.showErrorMessage(`Escalate: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'timeline.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'timeline.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Replay Timeline</title>
</head>
<body>
<header><span id="summary">Loading…</span></header>
<div id="lanes" role="list"></div>
<footer id="legend"><span class="m exception"></span> exception <span class="m error"></span> error log <span class="m log"></span> log <span class="m position"></span> now — click a lane or marker to jump there</footer>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }
}
