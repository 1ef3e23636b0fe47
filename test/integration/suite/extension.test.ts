// The extension inside a real VS Code: it activates, its commands are exactly the contributed ones, and
// "Show Traces" run on a customer's trace in the workspace returns what a reader of that trace sees.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Frame, Trace } from '../../../src/core/trace';
import { readInfo } from './info';

const EXTENSION_ID = 'escalate.escalate';

interface Manifest {
  contributes?: {
    commands?: { command: string }[];
    views?: Record<string, { id: string }[]>;
  };
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in the test VS Code`);
  return ext;
}

/** Commands VS Code itself registers for a contributed view (`<view>.focus` and the like). */
function viewCommands(manifest: Manifest): Set<string> {
  const out = new Set<string>();
  for (const views of Object.values(manifest.contributes?.views ?? {})) {
    for (const v of views) {
      for (const suffix of ['focus', 'resetViewLocation', 'removeView', 'toggleVisibility', 'open']) {
        out.add(`${v.id}.${suffix}`);
      }
    }
  }
  return out;
}

function frame(f: Frame | undefined): [string | null, string | null, number | null] | undefined {
  return f ? [f.function, f.file, f.line] : undefined;
}

async function showTracesIn(rel: string): Promise<Trace[]> {
  const info = readInfo();
  assert.ok(info.traces.includes(rel), `${rel} was copied into the workspace`);
  const uri = vscode.Uri.file(path.join(info.workspace, rel));
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
  const traces = await vscode.commands.executeCommand<Trace[] | undefined>('escalate.showTraces');
  assert.ok(Array.isArray(traces), 'escalate.showTraces returns the traces it found');
  return traces;
}

describe('extension', () => {
  before(async () => {
    await extension().activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is present, activates, and runs in the Node extension host', () => {
    const ext = extension();
    assert.ok(ext.isActive);
    // activate() returns the API later scenarios drive (src/extension.ts EscalateApi); check what exists.
    const api = ext.exports as Record<string, unknown> | undefined;
    if (api !== undefined) {
      assert.equal(typeof api, 'object');
      for (const fn of ['analyse', 'highlightsOf']) assert.equal(typeof api[fn], 'function', `api.${fn}`);
    }
    // The server's extension host (node, file system, git), not the browser's web worker host.
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
    assert.ok(vscode.env.remoteName, 'runs in the remote (server) extension host');
    assert.ok(Number(process.versions.node.split('.')[0]) >= 20, `node ${process.versions.node}`);
  });

  it('opened the test workspace: a git repository with the tagged versions', () => {
    const info = readInfo();
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.deepEqual(
      folders.map((f) => f.uri.fsPath),
      [info.workspace],
    );
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: info.workspace, encoding: 'utf8' }).trim();
    assert.deepEqual(git('tag', '--list').split('\n'), info.tags);
    assert.equal(git('rev-parse', 'HEAD'), info.head);
  });

  it('registers every contributed command and contributes every escalate. command it registers', async () => {
    const manifest = extension().packageJSON as Manifest;
    const contributed = (manifest.contributes?.commands ?? []).map((c) => c.command).sort();
    assert.ok(contributed.length > 0);
    const generated = viewCommands(manifest);
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !all.has(c));
    assert.deepEqual(missing, [], 'contributed but not registered');
    const registered = [...all].filter((c) => c.startsWith('escalate.') && !generated.has(c)).sort();
    assert.deepEqual(registered, contributed, 'registered escalate. commands = contributed commands');
  });

  it('Show Traces on a Java exception: one trace, its first frame and its cause', async () => {
    const traces = await showTracesIn('traces/java-exception/01-pulsar-flaky-noclassdef.txt');
    assert.equal(traces.length, 1);
    const [t] = traces;
    assert.equal(t!.format, 'java');
    assert.equal(t!.type, 'java.util.concurrent.ExecutionException');
    assert.equal(t!.frames.length, 15);
    assert.deepEqual(frame(t!.frames[0]), [
      'java.util.concurrent.CompletableFuture.reportGet',
      'CompletableFuture.java',
      396,
    ]);
    assert.equal(t!.causes.length, 1);
    assert.equal(t!.causes[0]!.type, 'java.lang.NoClassDefFoundError');
  });

  it('Show Traces on a Python traceback: innermost frame first', async () => {
    const traces = await showTracesIn('traces/python/03-django-session-flattened-no-indent.txt');
    assert.equal(traces.length, 1);
    const [t] = traces;
    assert.equal(t!.format, 'python');
    assert.equal(t!.title, 'binascii.Error: Incorrect padding');
    assert.equal(t!.frames.length, 19);
    assert.deepEqual(frame(t!.frames[0]), ['b64decode', '/usr/local/lib/python3.8/base64.py', 87]);
  });
});
