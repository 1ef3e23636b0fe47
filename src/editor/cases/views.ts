// The Cases view (every case by status, with severity, customer, age, last update and next action; overdue
// actions stand out), the Findings view (the active case's findings and evidence), and the case status bar item.

import * as vscode from 'vscode';
import type {
  CaseGroup,
  CaseRow,
  CaseSort,
  CaseState,
  CurrentFinding,
  EvidenceEntry,
} from '../../core/cases';
import { esc } from '../frames';
import { engine } from '../loadEngine';
import { Commands } from '../commands';
import type { CaseService } from './service';

export type CaseItem =
  { kind: 'group'; group: CaseGroup } | { kind: 'case'; row: CaseRow } | { kind: 'problem'; text: string };

const SEVERITY_ICON: Record<string, vscode.ThemeIcon> = {
  critical: new vscode.ThemeIcon('flame', new vscode.ThemeColor('errorForeground')),
  high: new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground')),
  medium: new vscode.ThemeIcon('circle-filled'),
  low: new vscode.ThemeIcon('circle-outline'),
};

export class CasesView implements vscode.TreeDataProvider<CaseItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private sort: CaseSort = 'severity';
  private readonly subscription: vscode.Disposable;

  constructor(private readonly cases: CaseService) {
    this.subscription = cases.onDidChange(() => this.changed.fire());
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  setSort(sort: CaseSort): void {
    this.sort = sort;
    void vscode.commands.executeCommand('setContext', 'escalate.casesSort', sort);
    this.changed.fire();
  }

  async getChildren(item?: CaseItem): Promise<CaseItem[]> {
    if (item?.kind === 'group') return item.group.rows.map((row) => ({ kind: 'case', row }));
    if (item) return [];
    if (!this.cases.storeRoot()) return [];
    const list = await this.cases.list();
    const { caseRows, groupByStatus } = engine().cases;
    const groups = groupByStatus(caseRows(list.cases, new Date(), this.sort));
    const out: CaseItem[] = groups.map((group) => ({ kind: 'group', group }));
    for (const p of list.problems) out.push({ kind: 'problem', text: `${p.folder}: ${p.message}` });
    return out;
  }

  getTreeItem(item: CaseItem): vscode.TreeItem {
    if (item.kind === 'problem') {
      const t = new vscode.TreeItem(item.text);
      t.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      t.tooltip = `${item.text}\n\nThe folder is left as it is; fix or remove it by hand.`;
      return t;
    }
    if (item.kind === 'group') {
      const t = new vscode.TreeItem(
        `${item.group.label} (${item.group.rows.length})`,
        vscode.TreeItemCollapsibleState.Expanded,
      );
      t.id = `status:${item.group.status}`;
      return t;
    }
    const { row } = item;
    const c = row.case;
    const active = this.cases.active?.id === c.id;
    const t = new vscode.TreeItem(`${c.id} · ${c.title}`);
    t.id = `case:${c.id}`;
    const next = c.nextAction
      ? ` · next: ${c.nextAction.text}${c.nextAction.due ? ` (due ${c.nextAction.due})` : ''}`
      : '';
    t.description = `${c.customer || 'no customer'} · ${row.ageDays} d old · updated ${row.lastUpdate} ago${next}`;
    t.iconPath = row.overdue
      ? new vscode.ThemeIcon('bell-dot', new vscode.ThemeColor('errorForeground'))
      : SEVERITY_ICON[c.severity];
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${esc(c.id)}** — ${esc(c.title)}${active ? ' _(active)_' : ''}\n\n`);
    md.appendMarkdown(
      `${esc(row.statusLabel)} · ${esc(row.severityLabel)} · ${esc(c.customer || 'no customer')}\n\n`,
    );
    md.appendMarkdown(
      `Version ${esc(c.productVersion ?? '?')} · ref ${esc(c.ref ?? 'none')} · branch ${esc(c.workingBranch ?? 'none')}\n\n`,
    );
    if (c.nextAction)
      md.appendMarkdown(
        `${row.overdue ? '**Overdue:** ' : 'Next: '}${esc(c.nextAction.text)}${c.nextAction.due ? ` (due ${c.nextAction.due})` : ''}\n\n`,
      );
    md.appendMarkdown(`Opened ${row.ageDays} d ago, updated ${row.lastUpdate} ago`);
    t.tooltip = md;
    t.contextValue = active ? 'escalate.case.active' : 'escalate.case';
    t.command = { command: Commands.showCase, title: 'Show Case', arguments: [c.id] };
    return t;
  }
}

export type FindingItem =
  | { kind: 'finding'; caseId: string; finding: CurrentFinding }
  | { kind: 'evidence'; caseId: string; evidence: EvidenceEntry }
  | { kind: 'heading'; label: string; children: FindingItem[] };

export class FindingsView implements vscode.TreeDataProvider<FindingItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  /** The state last shown, for the integration tests. */
  shown: { caseId: string; state: CaseState } | null = null;

  constructor(private readonly cases: CaseService) {
    this.subscription = vscode.Disposable.from(
      cases.onDidChange(() => this.changed.fire()),
      cases.onDidChangeFindings(() => this.changed.fire()),
    );
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  async getChildren(item?: FindingItem): Promise<FindingItem[]> {
    if (item?.kind === 'heading') return item.children;
    if (item) return [];
    const id = this.cases.active?.case?.id;
    if (!id) return [];
    const { journal, state } = await this.cases.store().load(id);
    this.shown = { caseId: id, state };
    const findings: FindingItem[] = state.findings
      .filter((f) => !state.retracted.has(f.rootId) && !state.retracted.has(f.entry.id))
      .map((finding) => ({ kind: 'finding', caseId: id, finding }));
    const evidence: FindingItem[] = state.evidence.map((e) => ({
      kind: 'evidence',
      caseId: id,
      evidence: e,
    }));
    const out: FindingItem[] = [];
    if (findings.length > 0)
      out.push({ kind: 'heading', label: `Findings (${findings.length})`, children: findings });
    if (evidence.length > 0)
      out.push({ kind: 'heading', label: `Evidence (${evidence.length})`, children: evidence });
    if (journal.torn)
      out.push({
        kind: 'heading',
        label: `A torn last line (line ${journal.torn.line}) is set aside on the next write`,
        children: [],
      });
    return out;
  }

  getTreeItem(item: FindingItem): vscode.TreeItem {
    if (item.kind === 'heading') {
      return new vscode.TreeItem(
        item.label,
        item.children.length > 0
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.None,
      );
    }
    if (item.kind === 'evidence') {
      const e = item.evidence;
      const t = new vscode.TreeItem(e.name);
      t.description = `${e.evidenceKind} · ${(e.size / 1024).toFixed(0)} KB · ${e.at.slice(0, 10)}`;
      t.iconPath = new vscode.ThemeIcon(e.evidenceKind === 'trace' ? 'debug-stackframe' : 'file');
      t.contextValue = 'escalate.evidence';
      t.command = { command: Commands.openEvidence, title: 'Open Evidence', arguments: [item] };
      return t;
    }
    const f = item.finding.entry;
    const labels = engine().cases.FINDING_LABELS;
    const t = new vscode.TreeItem(f.text.split('\n')[0] ?? '');
    const where = f.code ? `${f.code.path}:${f.code.startLine}${f.code.ref ? ` @ ${f.code.ref}` : ''}` : '';
    t.description = [labels[f.findingKind], where, f.internal ? 'internal' : '', f.done ? 'done' : '']
      .filter(Boolean)
      .join(' · ');
    t.iconPath = new vscode.ThemeIcon(FINDING_ICON[f.findingKind] ?? 'note');
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${esc(labels[f.findingKind])}** · ${esc(f.at)}\n\n`);
    md.appendText(f.text);
    if (f.code?.excerpt) md.appendCodeblock(f.code.excerpt);
    t.tooltip = md;
    t.contextValue = 'escalate.finding';
    if (f.code) t.command = { command: Commands.openFinding, title: 'Open Code', arguments: [item] };
    return t;
  }
}

const FINDING_ICON: Record<string, string> = {
  observation: 'eye',
  'root-cause': 'bug',
  workaround: 'tools',
  'action-item': 'checklist',
  question: 'question',
};

/** The active case and its ref in the status bar; clicking switches case. */
export class CaseStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'escalate.case',
    vscode.StatusBarAlignment.Left,
    51,
  );
  private readonly subscription: vscode.Disposable;

  constructor(private readonly cases: CaseService) {
    this.item.name = 'Escalate: active case';
    this.item.command = Commands.switchCase;
    this.subscription = cases.onDidChange(() => this.update());
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  /** What the item shows, for the integration tests. */
  text: string | null = null;

  private update(): void {
    const a = this.cases.active;
    if (!a) {
      this.item.hide();
      this.text = null;
      return;
    }
    const ref = a.case?.ref ? ` @ ${a.case.ref}` : '';
    this.item.text = `$(briefcase) ${a.id}${ref}`;
    this.item.tooltip = a.case
      ? `Case ${a.id}: ${a.case.title} (${a.case.customer || 'no customer'}); traces resolve at ${a.case.ref ?? 'HEAD'}. Click to switch case.`
      : `Case ${a.id} (named by ${a.source === 'commit' ? 'a recent commit' : 'the branch'}; not in the case store). Click to switch case.`;
    this.item.show();
    this.text = this.item.text;
  }
}
