// Frames in a trace document: links to their source, hovers saying where and how they resolved, and
// Next Frame / Previous Frame / Go to Crash Site.

import * as vscode from 'vscode';
import type { FrameResult } from '../core/resolve';
import type { Frame, PlacedFrame } from '../core/trace';
import { crashSite, frameSpan } from '../core/trace/locate';
import { engine } from './loadEngine';
import type { Analysis, FrameTarget, Sources } from './sources';

/** Languages of documents that may hold traces: trace files, logs and plain text. */
export const TRACE_LANGUAGES: readonly string[] = ['escalate-trace', 'log', 'plaintext'];

/** Documents that may hold traces, saved or not. */
export const TRACE_DOCUMENTS: vscode.DocumentSelector = ['file', 'untitled'].flatMap((scheme) =>
  TRACE_LANGUAGES.map((language) => ({ scheme, language })),
);

export function frameRange(doc: vscode.TextDocument, frame: Frame): vscode.Range {
  const line = Math.min(frame.docLine - 1, doc.lineCount - 1);
  const span = frameSpan(doc.lineAt(line).text, frame);
  return new vscode.Range(line, span.start, line, span.end);
}

/** Where a click on the frame goes: the file at the ref at its line (or the working file when that is all). */
export function targetUri(t: FrameTarget): vscode.Uri | null {
  const at = t.atRef ?? t.working;
  if (!at) return null;
  return at.line !== null ? at.uri.with({ fragment: `L${at.line}` }) : at.uri;
}

/** Markdown-escapes text for a hover. */
export function esc(s: string): string {
  return s.replace(/[[\]*_`\\<>#]/g, '\\$&');
}

/**
 * The hover paragraph for a frame's line that changed since the ref: says so and lists the commits that touched
 * it (newest first, at most five), so the engineer sees at once whether a later release already fixed it.
 */
export async function changesMarkdown(t: FrameTarget, ref: string): Promise<string> {
  await t.carried;
  if (t.working?.status !== 'changed') return '';
  const commits = (await t.changedSince?.()) ?? [];
  const list = commits
    .slice(0, 5)
    .map(
      (c) => `- \`${c.commit.slice(0, 10)}\` ${esc(c.subject)} — ${esc(c.author)}, ${c.date.slice(0, 10)}`,
    );
  if (commits.length > 5) list.push(`- … and ${commits.length - 5} more`);
  return `\n\nThis line was changed since ${esc(ref)}${list.length ? ' by:\n\n' + list.join('\n') : '.'}`;
}

function describe(result: FrameResult): string {
  if (!result.resolved) return `Unresolved: ${result.unresolved.reason}`;
  const r = result.resolved;
  const sure = r.confidence >= engine().CONFIDENT ? '' : ' (uncertain)';
  return `${r.repo}/${r.path}${r.line !== null ? `:${r.line}` : ''} at ${r.ref} — ${r.method}, confidence ${r.confidence.toFixed(2)}${sure}`;
}

export class FrameLinks implements vscode.DocumentLinkProvider, vscode.HoverProvider {
  constructor(private readonly sources: Sources) {}

  async provideDocumentLinks(doc: vscode.TextDocument): Promise<vscode.DocumentLink[]> {
    const a = await this.sources.analyse(doc);
    const links: vscode.DocumentLink[] = [];
    for (const p of a.frames) {
      const t = a.targets.get(p.frame);
      const target = t ? targetUri(t) : null;
      if (!t || !target) continue;
      const link = new vscode.DocumentLink(frameRange(doc, p.frame), target);
      link.tooltip = `Open ${describe(t.result)}`;
      links.push(link);
    }
    return links;
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | null> {
    const a = await this.sources.analyse(doc);
    const p = a.frames.find((x) => x.frame.docLine - 1 === pos.line);
    if (!p) return null;
    const t = a.targets.get(p.frame);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['vscode.open'] };
    md.appendMarkdown(`**${esc(p.trace.title)}**\n\n`);
    if (!t) {
      md.appendText(a.notice ?? 'Not resolved.');
      return new vscode.Hover(md, frameRange(doc, p.frame));
    }
    await t.carried;
    md.appendText(describe(t.result));
    const r = t.result.resolved;
    if (r?.reason) md.appendMarkdown(`\n\n_${esc(r.reason)}_`);
    if (r && t.working) {
      if (t.working.status === 'changed') md.appendMarkdown(await changesMarkdown(t, r.ref));
      else if (t.working.status === 'deleted')
        md.appendMarkdown('\n\nThe file is gone from the working tree.');
      const open = (u: vscode.Uri, line: number | null): string =>
        `command:vscode.open?${encodeURIComponent(JSON.stringify([line !== null ? u.with({ fragment: `L${line}` }) : u]))}`;
      if (t.atRef) md.appendMarkdown(`\n\n[Open at ${r.ref}](${open(t.atRef.uri, t.atRef.line)})`);
      if (t.working.status !== 'deleted')
        md.appendMarkdown(
          ` · [Open working copy${t.working.line !== null ? ` (line ${t.working.line})` : ''}](${open(t.working.uri, t.working.line)})`,
        );
    }
    if (a.notice) md.appendMarkdown(`\n\n${a.notice}`);
    return new vscode.Hover(md, frameRange(doc, p.frame));
  }
}

/** Opens a frame's source beside the trace, keeping the focus in the trace. */
export async function openFrameSource(t: FrameTarget | undefined, preserveFocus = true): Promise<void> {
  const at = t?.atRef ?? t?.working;
  if (!t || !at) {
    const why = t && !t.result.resolved ? t.result.unresolved.reason : 'this frame was not resolved';
    void vscode.window.setStatusBarMessage(`Escalate: ${why}`, 5000);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(at.uri);
  const line = Math.max(0, Math.min((at.line ?? 1) - 1, doc.lineCount - 1));
  await vscode.window.showTextDocument(doc, {
    viewColumn: vscode.ViewColumn.Beside,
    preserveFocus,
    preview: true,
    selection: new vscode.Range(line, 0, line, 0),
  });
}

/** Moves to the next (+1) or previous (-1) frame of the active trace document and shows its source. */
export async function stepFrame(sources: Sources, direction: 1 | -1 | 'crash'): Promise<PlacedFrame | null> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Escalate: open a trace first.');
    return null;
  }
  const a: Analysis = await sources.analyse(editor.document);
  if (a.frames.length === 0) {
    void vscode.window.showInformationMessage('Escalate: no frames in this document.');
    return null;
  }
  const line = editor.selection.active.line + 1;
  let next: PlacedFrame | undefined;
  if (direction === 'crash') {
    const trace = a.traces.find((t) => t.span.start <= line && line <= t.span.end) ?? a.traces[0]!;
    const site = crashSite(trace);
    next = a.frames.find((p) => p.frame === site);
  } else if (direction === 1) next = a.frames.find((p) => p.frame.docLine > line) ?? a.frames[0];
  else next = [...a.frames].reverse().find((p) => p.frame.docLine < line) ?? a.frames[a.frames.length - 1];
  if (!next) return null;
  const range = frameRange(editor.document, next.frame);
  editor.selection = new vscode.Selection(range.start, range.start);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await openFrameSource(a.targets.get(next.frame));
  return next;
}
