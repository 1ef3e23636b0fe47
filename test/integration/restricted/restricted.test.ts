// Restricted mode (a workspace that is not trusted): no git runs, yet parsing, links and highlights work from
// the working tree on disk, and the UI says that git is off instead of resolving silently at the wrong version.

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EscalateApi } from '../../../src/extension';
import { readInfo } from '../suite/info';
import { until } from '../suite/until';

const info = readInfo();

describe('restricted mode', function () {
  this.timeout(60_000);
  let api: EscalateApi;
  const trace = vscode.Uri.file(path.join(info.workspace, info.customerTrace.path));
  const service = vscode.Uri.file(path.join(info.workspace, info.customerTrace.file));

  before(async () => {
    const ext = vscode.extensions.getExtension<EscalateApi>('escalate.escalate');
    assert.ok(ext, 'the extension is installed');
    api = await ext.activate();
  });

  it('runs in a workspace that is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('links frames to the working tree and says why not to the customer version', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(trace));
    const a = await api.analyse(trace);
    assert.equal(a.traces.length, 1);
    assert.equal(a.refLabel, 'working tree');
    assert.match(a.notice ?? '', /Restricted mode: git is off/);
    const links = await until('document links', async () => {
      const l = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
        'vscode.executeLinkProvider',
        trace,
      );
      return l.length >= 2 ? l : undefined;
    });
    const top = links.find((l) => l.range.start.line === 2);
    assert.equal(top?.target?.scheme, 'file', 'the working file on disk, not an escalate-ref: document');
    assert.equal(top.target.fsPath, service.fsPath);
    assert.equal(top.target.fragment, `L${info.customerTrace.line}`);
  });

  it('shows in the status bar that git is off, and clicking it manages trust', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(trace));
    const shown = await until('the status bar item', () => api.statusBar() ?? undefined);
    assert.match(shown.text, /working tree \(git off\)/);
    assert.match(shown.tooltip, /Restricted mode/);
    assert.equal(shown.command, 'workbench.trust.manage');
  });

  it('marks the crash site in the working file', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(trace));
    await vscode.commands.executeCommand('escalate.goToCrashSite');
    const source = await until('the source editor', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === service.fsPath),
    );
    const marks = await until('highlights', () => {
      const h = api.highlightsOf(source);
      return h.crashSite.length > 0 ? h : undefined;
    });
    assert.deepEqual(marks.crashSite, [info.customerTrace.line]);
  });
});
