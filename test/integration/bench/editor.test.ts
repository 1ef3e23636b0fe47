// The editor benchmark, run by the integration harness in a real VS Code (npm run bench -- editor): activation
// time against a built-in extension's in the same window, and the time from opening a 60-frame trace to its
// links and crash-site highlight on a 50,000-file repository, cold (first trace) and warm (the next ones),
// against `git ls-tree` of the same tree and VS Code answering links for the same text as markdown.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EscalateApi } from '../../../src/extension';
import { readInfo } from '../suite/info';
import { until } from '../suite/until';

const info = readInfo();
const bench = info.bench!;
const figures: Record<string, unknown> = {};

/** The built-in extensions tried, in order, as the activation baseline: the first not yet active is used. */
const BASELINES = [
  'vscode.markdown-language-features',
  'vscode.emmet',
  'vscode.npm',
  'vscode.references-view',
];

function ms0(from: number, to: number): number {
  return Math.round((to - from) * 10) / 10;
}

function ms(since: number): number {
  return Math.round((performance.now() - since) * 10) / 10;
}

/**
 * The crash site's file at the customer version, opened beside before the clock starts, as an engineer has the
 * source open: what is timed is Escalate's work (parse, resolve, links, decorations), not VS Code opening an editor.
 */
async function openCrashSiteBeside(rel: string, commit: string): Promise<vscode.TextEditor> {
  const text = fs.readFileSync(path.join(info.workspace, rel), 'utf8');
  const m = /at com\.acme\.m(\d+)\.p(\d+)\.C(\d+)\./.exec(text);
  assert.ok(m, 'the trace has an in-app frame');
  const file = `module-${m[1]}/src/main/java/com/acme/m${m[1]}/p${m[2]}/C${m[3]}.java`;
  const uri = vscode.Uri.from({
    scheme: 'escalate-ref',
    path: `/${path.basename(info.workspace)}/${file}`,
    query: JSON.stringify({ commit, ref: info.customerTrace.version }),
  });
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.Two);
}

async function openAndMeasure(
  api: EscalateApi,
  rel: string,
  commit: string,
): Promise<Record<string, unknown>> {
  const source = await openCrashSiteBeside(rel, commit);
  const uri = vscode.Uri.file(path.join(info.workspace, rel));
  const t0 = performance.now();
  let activeAt = 0;
  const listener = vscode.window.onDidChangeActiveTextEditor((e) => {
    if (e?.document.uri.toString() === uri.toString() && !activeAt) activeAt = ms(t0);
  });
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), vscode.ViewColumn.One);
  const shown = ms(t0);
  // Two pollers, so that a slow round trip for links does not delay noticing the highlight, or the reverse.
  const [links, highlight] = await Promise.all([
    until(
      'links',
      async () => {
        const l = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
          'vscode.executeLinkProvider',
          uri,
        );
        return l.length >= bench.appFrames ? ms(t0) : undefined;
      },
      60_000,
      2,
    ),
    until(
      'the crash-site highlight',
      () => (api.highlightsOf(source).crashSite.length > 0 ? ms(t0) : undefined),
      60_000,
      2,
    ),
  ]);
  const { timings, span } = await api.analyse(uri);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  const analysis = span ? { started: ms0(t0, span.startedAt), done: ms0(t0, span.doneAt) } : undefined;
  listener.dispose();
  return { shown, activeAt, links, highlight, analysis, phases: timings };
}

describe('editor benchmark', function () {
  this.timeout(600_000);
  let api: EscalateApi;

  after(() => {
    fs.writeFileSync(bench.results, JSON.stringify(figures, null, 2));
  });

  it('activates', async () => {
    const ext = vscode.extensions.getExtension<EscalateApi>('escalate.escalate');
    assert.ok(ext);
    // VS Code may have activated it already (an output channel is a `log` document): then only the time from
    // the bundle starting to run to the end of activate() is known, not the whole activate call.
    const wasActive = ext.isActive;
    let t = performance.now();
    api = await ext.activate();
    if (!wasActive) figures.activateCallMs = ms(t);
    figures.loadMs = Math.round(api.activation.loadMs * 10) / 10;
    figures.activateMs = Math.round(api.activation.activateMs * 10) / 10;
    const base = BASELINES.map((id) => vscode.extensions.getExtension(id)).find((e) => e && !e.isActive);
    if (base) {
      t = performance.now();
      await base.activate();
      figures.baseline = { extension: base.id, activateCallMs: ms(t) };
    }
    figures.bundleBytes = fs.statSync(path.join(ext.extensionPath, 'dist', 'extension.js')).size;
    figures.engineBytes = fs.statSync(path.join(ext.extensionPath, 'dist', 'engine.js')).size;
  });

  it('opens 60-frame traces on a 50,000-file repository: links and highlights', async () => {
    await vscode.workspace
      .getConfiguration('escalate')
      .update('defaultRef', info.customerTrace.version, vscode.ConfigurationTarget.Workspace);
    let t = performance.now();
    execFileSync('git', ['ls-tree', '-r', '--name-only', info.customerTrace.version], {
      cwd: info.workspace,
      maxBuffer: 1 << 28,
    });
    figures.lsTreeMs = ms(t);
    figures.files = bench.files;
    const commit = execFileSync('git', ['rev-parse', `${info.customerTrace.version}^{commit}`], {
      cwd: info.workspace,
      encoding: 'utf8',
    }).trim();
    const [cold, ...rest] = info.traces;
    figures.cold = await openAndMeasure(api, cold!, commit);
    const warm = [];
    for (const rel of rest) warm.push(await openAndMeasure(api, rel, commit));
    figures.warm = warm;
    // The floor for a warm open: VS Code opening the same text as markdown and answering its links.
    const md = path.join(info.workspace, 'traces', 'copy.md');
    fs.copyFileSync(path.join(info.workspace, rest[0]!), md);
    t = performance.now();
    const doc = await vscode.workspace.openTextDocument(md);
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('vscode.executeLinkProvider', doc.uri);
    figures.markdownOpenMs = ms(t);
  });
});
