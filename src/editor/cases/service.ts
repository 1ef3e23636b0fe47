// The window's view of the case store: where it is (a setting), the repository the cases branch in, the case
// being worked on (from the checked-out branch and recent commits), and a change event for the views.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GitRepo } from '../../core/git';
import type { ActiveCase, Case, CaseList, CaseStore } from '../../core/cases';
import { engine } from '../loadEngine';

export const DEFAULT_STORE = '.escalate/cases';

/** The case being worked on, with its summary when the store has it. */
export interface Active extends ActiveCase {
  case: Case | null;
}

export class CaseService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the list of cases or the active case may have changed. */
  readonly onDidChange = this.changed.event;
  private readonly findingsChanged = new vscode.EventEmitter<void>();
  /** Fires when a case's journal changed (a finding, evidence): the list and the active case did not. */
  readonly onDidChangeFindings = this.findingsChanged.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed, this.findingsChanged];
  private storeCache: { root: string; store: CaseStore } | null = null;
  private repoPromise: Promise<GitRepo | null> | null = null;
  private listPromise: Promise<CaseList> | null = null;
  private activeCase: Active | null = null;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('escalate.cases')) this.reset();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()),
      { dispose: () => clearTimeout(this.refreshTimer) },
    );
    this.watch();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const w of this.watchers) w.dispose();
    void this.repoPromise?.then((r) => r?.close());
  }

  /** The first workspace folder: where the default store lives and whose repository cases branch in. */
  private folder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  }

  /** The store's folder: `escalate.cases.store`, relative to the first workspace folder unless absolute. */
  storeRoot(): string | null {
    const config = vscode.workspace.getConfiguration('escalate');
    const setting = config.get<string>('cases.store', '').trim();
    const folder = this.folder();
    if (path.isAbsolute(setting)) return setting;
    if (!folder) return null;
    return path.join(folder.uri.fsPath, setting === '' ? DEFAULT_STORE : setting);
  }

  /** The store, or a clear error when there is no folder to keep it in. */
  store(): CaseStore {
    const root = this.storeRoot();
    if (!root) throw new Error('Escalate: open a folder (the product repository) to keep cases in.');
    if (this.storeCache?.root !== root) {
      const config = vscode.workspace.getConfiguration('escalate');
      const by = config.get<string>('cases.owner', '').trim();
      this.storeCache = { root, store: new (engine().cases.CaseStore)(root, by ? { by } : {}) };
    }
    return this.storeCache.store;
  }

  /** The repository cases branch in; null in restricted mode (no git) or without a repository. */
  repo(): Promise<GitRepo | null> {
    this.repoPromise ??= (async () => {
      const folder = this.folder();
      if (!folder || !vscode.workspace.isTrusted) return null;
      try {
        return await engine().GitRepo.open(folder.uri.fsPath);
      } catch (e) {
        this.log.info(`cases: ${folder.uri.fsPath} is not a git repository (${String(e)})`);
        return null;
      }
    })();
    return this.repoPromise;
  }

  /** The repository, or a clear error saying why cases cannot branch here. */
  async requireRepo(what: string): Promise<GitRepo> {
    const repo = await this.repo();
    if (repo) return repo;
    if (!vscode.workspace.isTrusted)
      throw new Error(`Escalate: cannot ${what} in restricted mode (git is off). Trust the workspace first.`);
    throw new Error(`Escalate: cannot ${what}: the workspace folder is not a git repository.`);
  }

  list(): Promise<CaseList> {
    this.listPromise ??= this.store()
      .list()
      .catch((e: unknown) => {
        this.listPromise = null;
        throw e;
      });
    return this.listPromise;
  }

  /** The store's folder exists (a stat; nothing is read). */
  hasStore(): boolean {
    const root = this.storeRoot();
    return root !== null && fs.existsSync(root);
  }

  private refreshed = false;

  /** Refreshes once, the first time someone needs the list or the active case. */
  ensureFresh(): void {
    if (!this.refreshed) void this.refresh();
  }

  get active(): Active | null {
    return this.activeCase;
  }

  /** Re-reads the list and the active case, then tells the views. */
  async refresh(): Promise<void> {
    this.refreshed = true;
    this.listPromise = null;
    let cases: Case[] = [];
    try {
      const list = await this.list();
      cases = list.cases;
      for (const p of list.problems) this.log.warn(`case folder ${p.folder}: ${p.message}`);
    } catch (e) {
      this.log.warn(`cases: ${e instanceof Error ? e.message : String(e)}`);
    }
    const repo = await this.repo();
    let active: Active | null = null;
    if (repo) {
      try {
        const { matcher, problems } = engine().cases.idMatcher(this.idPatterns());
        for (const p of problems) this.log.warn(`escalate.cases.idPatterns: ${p}`);
        const found = await engine().cases.detectActiveCase(repo, matcher, cases);
        if (found) active = { ...found, case: cases.find((c) => c.id === found.id) ?? null };
      } catch (e) {
        this.log.warn(`cases: finding the active case: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.activeCase = active;
    void vscode.commands.executeCommand('setContext', 'escalate.activeCase', active?.case?.id ?? '');
    this.changed.fire();
  }

  idPatterns(): string[] | undefined {
    const config = vscode.workspace.getConfiguration('escalate');
    const p = config.get<string[]>('cases.idPatterns', []);
    return p.length > 0 ? p : undefined;
  }

  branchTemplate(): string {
    const config = vscode.workspace.getConfiguration('escalate');
    const t = config.get<string>('cases.branchTemplate', '').trim();
    return t === '' ? engine().cases.DEFAULT_BRANCH_TEMPLATE : t;
  }

  /** A journal changed: only the Findings view reads it, so the list is not read again. */
  journalChanged(): void {
    this.findingsChanged.fire();
  }

  /** Refresh soon: many file events (a checkout, a pull of a shared store) make one refresh. */
  soon(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 200);
  }

  private reset(): void {
    this.storeCache = null;
    void this.repoPromise?.then((r) => r?.close());
    this.repoPromise = null;
    this.watch();
    this.soon();
  }

  private watchers: vscode.Disposable[] = [];

  /** Watches the store (cases edited in another window, a pulled shared store) and HEAD (a checkout). */
  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const root = this.storeRoot();
    const folder = this.folder();
    const on = (glob: vscode.RelativePattern, f: () => void): void => {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      w.onDidChange(f);
      w.onDidCreate(f);
      w.onDidDelete(f);
      this.watchers.push(w);
    };
    if (root) {
      on(new vscode.RelativePattern(vscode.Uri.file(root), '**/case.json'), () => this.soon());
      on(new vscode.RelativePattern(vscode.Uri.file(root), '**/findings.jsonl'), () => this.journalChanged());
    }
    if (folder) on(new vscode.RelativePattern(folder, '.git/HEAD'), () => this.soon());
  }
}
