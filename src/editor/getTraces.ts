// Getting a trace in: Open Trace…, Paste Trace from Clipboard, and Open Trace from Log… for files too big for
// the editor (VS Code gives extensions no document over 50 MB): scanned from disk with progress and cancel.

import * as fs from 'node:fs';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import { engine } from './loadEngine';
import type { Trace } from '../core/trace';

/** Files above this are scanned from disk rather than opened as documents. */
const EDITOR_LIMIT = 50 * 1024 * 1024;

export async function pasteTrace(): Promise<vscode.TextEditor | null> {
  const text = await vscode.env.clipboard.readText();
  if (text.trim() === '') {
    void vscode.window.showInformationMessage('Escalate: the clipboard is empty; copy a trace first.');
    return null;
  }
  const doc = await vscode.workspace.openTextDocument({ content: text, language: 'escalate-trace' });
  return vscode.window.showTextDocument(doc);
}

export async function openTrace(uri?: vscode.Uri): Promise<vscode.TextEditor | OpenedLog | null> {
  const target =
    uri ??
    (
      await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: 'Open Trace',
        filters: {
          'Traces and logs': ['trace', 'stacktrace', 'tdump', 'crash', 'log', 'txt', 'json', 'out'],
          All: ['*'],
        },
      })
    )?.[0];
  if (!target) return null;
  const size = (await vscode.workspace.fs.stat(target)).size;
  if (target.scheme === 'file' && size > EDITOR_LIMIT) return openTraceFromLog(target);
  let doc = await vscode.workspace.openTextDocument(target);
  if (doc.languageId === 'plaintext')
    doc = await vscode.languages.setTextDocumentLanguage(doc, 'escalate-trace');
  return vscode.window.showTextDocument(doc);
}

export interface OpenedLog {
  file: string;
  traces: { title: string; format: string; start: number; end: number }[];
  lines: number;
  /** The excerpt opened, if one was chosen. */
  editor: vscode.TextEditor | null;
}

/** Lines start..end (1-based) of a file, read as a stream: the log may be gigabytes. */
async function excerpt(file: string, start: number, end: number): Promise<string[]> {
  const out: string[] = [];
  const rl = readline.createInterface({
    input: fs.createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (n >= start) out.push(line.length > 100_000 ? line.slice(0, 100_000) + ' …' : line);
    if (n >= end) break;
  }
  rl.close();
  return out;
}

/**
 * Scans a log from disk, lists its traces, and opens the chosen one as an excerpt whose header keeps the log's
 * line numbers. `pick` (for scripts and tests) chooses without asking; -1 opens nothing.
 */
export async function openTraceFromLog(uri?: vscode.Uri, pick?: number): Promise<OpenedLog | null> {
  const target =
    uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Scan Log' }))?.[0];
  if (!target) return null;
  if (target.scheme !== 'file') {
    void vscode.window.showErrorMessage("Escalate: Open Trace from Log reads files on this machine's disk.");
    return null;
  }
  const file = target.fsPath;
  const found: Trace[] = [];
  let lines: number;
  try {
    lines = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Escalate: scanning ${vscode.workspace.asRelativePath(target)}`,
        cancellable: true,
      },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let last = 0;
        const result = await engine().scanFile(file, (t) => found.push(t), {
          signal: abort.signal,
          onProgress: (read, total) => {
            const pct = total > 0 ? Math.floor((read / total) * 100) : 0;
            if (pct > last) {
              progress.report({ increment: pct - last, message: `${found.length} traces` });
              last = pct;
            }
          },
        });
        return result.lines;
      },
    );
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') return null;
    if (e instanceof engine().InputError) {
      void vscode.window.showErrorMessage(`Escalate: ${e.message}`);
      return null;
    }
    throw e;
  }
  const traces = found.map((t) => ({
    title: t.title,
    format: t.format,
    start: t.span.start,
    end: t.span.end,
  }));
  const result: OpenedLog = { file, traces, lines, editor: null };
  if (traces.length === 0) {
    void vscode.window.showInformationMessage(`Escalate: no traces in ${lines} lines.`);
    return result;
  }
  let index = pick;
  if (index === undefined) {
    const chosen = await vscode.window.showQuickPick(
      traces.map((t, i) => ({
        label: t.title || '(no header)',
        description: `${t.format}, lines ${t.start}-${t.end}`,
        i,
      })),
      { title: `${traces.length} traces in ${lines} lines`, matchOnDescription: true },
    );
    index = chosen?.i ?? -1;
  }
  const t = traces[index];
  if (!t) return result;
  const body = await excerpt(file, t.start, t.end);
  const header = `# ${file}, lines ${t.start}-${t.end} (an excerpt: line N below is line ${t.start - 2} + N of the log)`;
  const doc = await vscode.workspace.openTextDocument({
    content: [header, '', ...body].join('\n'),
    language: 'escalate-trace',
  });
  result.editor = await vscode.window.showTextDocument(doc);
  return result;
}
