// The editor features in a real VS Code: a customer's trace links to the source as it was at the customer's
// version, Next Frame and Go to Crash Site land on the right lines, the crash site is marked in the source, a
// pasted trace opens as a trace document, and a big log is scanned from disk.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EscalateApi } from '../../../src/extension';
import { readInfo } from './info';
import { until } from './until';

const info = readInfo();

/** The text of every hover at a position, markdown as given. */
async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    pos,
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n')
    .replace(/&nbsp;/g, ' ');
}

function gitShow(ref: string, file: string): string {
  return execFileSync('git', ['show', `${ref}:${file}`], { cwd: info.workspace, encoding: 'utf8' });
}

describe('trace documents in the editor', function () {
  this.timeout(60_000);
  let api: EscalateApi;
  const trace = vscode.Uri.file(path.join(info.workspace, info.customerTrace.path));

  before(async () => {
    const ext = vscode.extensions.getExtension<EscalateApi>('escalate.escalate');
    assert.ok(ext, 'the extension is installed');
    api = await ext.activate();
    await vscode.workspace
      .getConfiguration('escalate')
      .update('defaultRef', info.customerTrace.version, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration('escalate')
      .update('defaultRef', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('links each resolved frame to its file and line at the customer version', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(trace));
    const links = await until('document links', async () => {
      const l = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
        'vscode.executeLinkProvider',
        trace,
      );
      return l.length >= 2 ? l : undefined;
    });
    const top = links.find((l) => l.range.start.line === 2);
    assert.ok(top?.target, 'the top frame (line 3 of the log) is a link');
    assert.equal(top.target.scheme, 'escalate-ref');
    assert.ok(top.target.path.endsWith(`/${info.customerTrace.file}`), top.target.toString());
    assert.equal(top.target.fragment, `L${info.customerTrace.line}`);
    assert.equal((JSON.parse(top.target.query) as { ref: string }).ref, info.customerTrace.version);
    const thread = links.find((l) => l.range.start.line === 4);
    assert.equal(thread, undefined, 'the JDK frame is not in the workspace: no link');
  });

  it('opens the file at the customer version with the text git show gives', async () => {
    const a = await api.analyse(trace);
    const top = a.frames[0]!;
    const target = a.targets.get(top.frame)?.atRef;
    assert.ok(target, 'the top frame resolved');
    const doc = await vscode.workspace.openTextDocument(target.uri);
    assert.equal(doc.getText(), gitShow(info.customerTrace.version, info.customerTrace.file));
    assert.notEqual(
      doc.getText(),
      fs.readFileSync(path.join(info.workspace, info.customerTrace.file), 'utf8'),
    );
    assert.equal(target.line, info.customerTrace.line);
    assert.match(doc.lineAt(target.line - 1).text, /return repository\.save/, 'the line the customer ran');
    await vscode.window.showTextDocument(doc);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.equal(tab?.label, `${path.basename(info.customerTrace.file)} @ ${info.customerTrace.version}`);
    assert.equal(doc.isDirty, false);
  });

  it('hovering a frame says where, how and at which ref it resolved, and which commits changed the line', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(trace));
    const text = await hoverText(trace, new vscode.Position(2, 12));
    assert.match(
      text,
      new RegExp(`${info.customerTrace.file}:${info.customerTrace.line} at ${info.customerTrace.version}`),
    );
    assert.match(text, /confidence (1\.00|0\.\d\d)/);
    assert.match(text, /Open working copy \(line 6\)/, 'the line moved down by the guard added in 1.1.0');
    const caller = await hoverText(trace, new vscode.Position(3, 12));
    assert.match(caller, /changed since v1\.0\.0 by:/);
    assert.match(caller, /Controller: fail fast on a missing cart/, 'the commit that changed the line');
    assert.doesNotMatch(
      caller,
      /reject a missing cart/,
      'a commit that did not touch the line is not listed',
    );
    const jdk = await hoverText(trace, new vscode.Position(4, 12));
    assert.match(jdk, /Unresolved: /, 'an unresolved frame says why');
  });

  it('hovering the marked crash-site line shows the frame, the exception and its caller as a link', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(trace));
    await vscode.commands.executeCommand('escalate.goToCrashSite');
    const source = await until('the source editor', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'escalate-ref'),
    );
    await until('highlights', () => (api.highlightsOf(source).crashSite.length > 0 ? true : undefined));
    const text = await hoverText(source.document.uri, new vscode.Position(info.customerTrace.line - 1, 4));
    assert.match(text, /Crash site/);
    assert.match(text, /NullPointerException/);
    assert.match(text, /Frame 1 of \d+/);
    assert.match(text, new RegExp(`Caller: \\[[^\\]]+\\]\\(command:vscode\\.open`));
    assert.ok(editor.document.uri.toString() === trace.toString());
  });

  it('Next Frame moves to the frame and opens its source beside at the line', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(trace));
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('escalate.nextFrame');
    assert.equal(editor.selection.active.line, 2, 'the cursor is on the first frame');
    const source = await until('the source editor', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'escalate-ref'),
    );
    assert.ok(source.document.uri.path.endsWith(info.customerTrace.file));
    assert.equal(source.selection.active.line, info.customerTrace.line - 1);
    await vscode.commands.executeCommand('escalate.nextFrame');
    assert.equal(editor.selection.active.line, 3, 'then the second frame');
  });

  it('marks the crash site line in the source at the customer version', async () => {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(trace));
    await vscode.commands.executeCommand('escalate.goToCrashSite');
    assert.equal(editor.selection.active.line, 2);
    const source = await until('the source editor', () =>
      vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'escalate-ref'),
    );
    const marks = await until('highlights', () => {
      const h = api.highlightsOf(source);
      return h.crashSite.length > 0 ? h : undefined;
    });
    assert.deepEqual(marks.crashSite, [info.customerTrace.line]);
  });

  it('shows the active trace in the Trace Explorer view', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(trace));
    await vscode.commands.executeCommand('escalate.traces.focus');
    const shown = await until('the explorer to follow the trace', () => {
      const u = api.explorerDocument();
      return u?.toString() === trace.toString() ? u : undefined;
    });
    assert.equal(shown.fsPath, trace.fsPath);
  });

  it('opens a pasted trace as a trace document', async () => {
    const text =
      'java.lang.IllegalStateException: pasted\n\tat com.acme.orders.OrderService.place(OrderService.java:5)\n';
    await vscode.env.clipboard.writeText(text);
    await vscode.commands.executeCommand('escalate.pasteTrace');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.languageId, 'escalate-trace');
    assert.equal(editor.document.getText(), text);
    assert.equal(editor.document.isUntitled, true);
  });

  it('scans a 200 MB log from disk and lists its traces', async function () {
    this.timeout(180_000);
    const file = path.join(os.tmpdir(), `escalate-it-big-${process.pid}.log`);
    const block = [
      ...Array.from(
        { length: 2000 },
        (_, i) =>
          `2026-01-02 10:15:00.${String(i % 1000).padStart(3, '0')} INFO  [main] c.a.o.Worker : tick ${i} ok`,
      ),
      '2026-01-02 10:15:01.000 ERROR [main] c.a.o.Worker : failed',
      'java.lang.IllegalStateException: boom',
      '\tat com.acme.orders.OrderService.place(OrderService.java:5)',
      '\tat com.acme.orders.OrderController.post(OrderController.java:12)',
      '',
    ].join('\n');
    const fd = fs.openSync(file, 'w');
    let blocks = 0;
    try {
      for (let size = 0; size < 200 * 1024 * 1024; size += Buffer.byteLength(block) + 1) {
        fs.writeSync(fd, block + '\n');
        blocks++;
      }
    } finally {
      fs.closeSync(fd);
    }
    try {
      const got = await vscode.commands.executeCommand<{ traces: unknown[]; lines: number }>(
        'escalate.openTraceFromLog',
        vscode.Uri.file(file),
        -1,
      );
      assert.equal(got.traces.length, blocks);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
