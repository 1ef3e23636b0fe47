// `escalate-ref:` documents: a file as it was at the customer's version, read-only, opened from frame links.

import type * as vscode from 'vscode';
import { parseRefUri, type Sources } from './sources';

export class RefDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly sources: Sources) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const at = parseRefUri(uri);
    if (!at) throw new Error(`Escalate: ${uri.toString()} does not name a commit`);
    const text = await this.sources.readAtRef(at.repo, at.path, at.commit);
    if (text === null) throw new Error(`Escalate: ${at.path} is not in ${at.repo} at ${at.ref}`);
    return text;
  }
}
