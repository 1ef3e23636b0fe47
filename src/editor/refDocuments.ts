// `escalate-ref:` documents: a file as it was at the customer's version, read-only, opened from frame links.

import type * as vscode from 'vscode';
import type { Sources } from './sources';

export class RefDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly sources: Sources) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const commit = q.get('commit') ?? '';
    const ref = q.get('ref') ?? commit;
    const [, repo = '', ...rest] = uri.path.split('/');
    const path = rest.join('/');
    const text = await this.sources.readAtRef(repo, path, commit);
    if (text === null) throw new Error(`Escalate: ${path} is not in ${repo} at ${ref}`);
    return text;
  }
}
