// "Show Traces in Active Editor": lists the traces the core finds in the active document in the output.

import * as vscode from 'vscode';
import type { Trace } from '../core/trace';
import { engine } from './loadEngine';
import { classifyOptions } from './sources';

export function describeTraces(traces: readonly Trace[]): string[] {
  return traces.map((t) => {
    const sig = engine().signatureOf(t);
    const top = sig.frames[0];
    const at = top
      ? `; top frame ${top.function ?? top.file ?? '?'}${top.line !== null ? `:${top.line}` : ''}`
      : '';
    return `${t.format} ${t.kind} at lines ${t.span.start}-${t.span.end}: ${t.title} (${t.frames.length} frames${at}; ${sig.id})`;
  });
}

export function showTraces(log: vscode.LogOutputChannel): Trace[] {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Escalate: open a document with a trace first.');
    return [];
  }
  const options = classifyOptions();
  const { parseText, classifyTrace } = engine();
  const traces = parseText(editor.document.getText()).map((t) => classifyTrace(t, options));
  log.info(`${editor.document.uri.toString()}: ${traces.length} trace(s)`);
  for (const line of describeTraces(traces)) log.info(line);
  log.show(true);
  void vscode.window.showInformationMessage(
    traces.length === 0
      ? 'Escalate: no traces found in this document.'
      : `Escalate: ${traces.length} trace(s) found; see the Escalate output.`,
  );
  return traces;
}
