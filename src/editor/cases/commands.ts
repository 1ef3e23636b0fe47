// Case commands: start, switch and link a case to its branch; status and next action; attach findings from a
// selection, a frame, a trace, a log line or free text; evidence; the handover and the customer's action plan.
// Every command that asks also takes its answers as an argument, so tests and keybindings can skip the prompts.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type {
  Case,
  CodeRef,
  FindingData,
  FindingKind,
  FindingOrigin,
  Severity,
  StartCaseInput,
  Status,
} from '../../core/cases';
import type { Frame, Trace } from '../../core/trace';
import type { TraceExplorer } from '../explorer';
import { guard } from '../guard';
import { engine } from '../loadEngine';
import { crashSite } from '../../core/trace/locate';
import { parseRefUri, refUri, type Analysis, type FrameTarget, type Sources } from '../sources';
import { Commands } from '../commands';
import type { CaseService } from './service';
import type { CasesView, FindingItem } from './views';

/** What Attach to Case… records, given as an argument to skip the prompts. */
export interface AttachArgs {
  kind?: FindingKind;
  text?: string;
  internal?: boolean;
  caseId?: string;
}

export interface CaseCommandDeps {
  cases: CaseService;
  sources: Sources;
  explorer: TraceExplorer;
  casesView: CasesView;
  log: vscode.LogOutputChannel;
}

function cancelled(): never {
  throw new vscode.CancellationError();
}

async function ask(prompt: string, opts: vscode.InputBoxOptions = {}): Promise<string> {
  const v = await vscode.window.showInputBox({ prompt, ignoreFocusOut: true, ...opts });
  if (v === undefined) cancelled();
  return v.trim();
}

async function pick<T extends vscode.QuickPickItem>(items: T[], placeHolder: string): Promise<T> {
  const v = await vscode.window.showQuickPick(items, {
    placeHolder,
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  if (!v) cancelled();
  return v;
}

/** A case ID from an argument (an ID or a Cases view item), else the active case, else a pick. */
async function caseIdOf(deps: CaseCommandDeps, arg: unknown, what: string): Promise<string> {
  if (typeof arg === 'string' && arg !== '') return arg;
  const item = arg as { kind?: string; row?: { case: Case } } | undefined;
  if (item?.kind === 'case' && item.row) return item.row.case.id;
  if (deps.cases.active?.case) return deps.cases.active.case.id;
  const { cases } = await deps.cases.list();
  if (cases.length === 0) throw new Error(`Escalate: no cases to ${what} yet — start one with Start Case…`);
  const chosen = await pick(
    cases.map((c) => ({
      label: c.id,
      description: c.title,
      detail: `${c.customer} · ${c.status}`,
      id: c.id,
    })),
    `Case to ${what}`,
  );
  return chosen.id;
}

export function registerCaseCommands(deps: CaseCommandDeps): vscode.Disposable[] {
  const { cases, log } = deps;
  return [
    vscode.commands.registerCommand(
      Commands.startCase,
      guard(log, (args?: Partial<StartCaseInput> & { version?: string }) => startCase(deps, args)),
    ),
    vscode.commands.registerCommand(
      Commands.switchCase,
      guard(log, (arg?: unknown) => switchCase(deps, arg)),
    ),
    vscode.commands.registerCommand(
      Commands.linkBranch,
      guard(log, async (arg?: unknown) => {
        const repo = await cases.requireRepo('link a branch to a case');
        const id = await caseIdOf(deps, arg, 'link the current branch to');
        const c = await engine().cases.linkCurrentBranch(cases.store(), repo, id);
        await cases.refresh();
        void vscode.window.showInformationMessage(
          `Escalate: ${c.workingBranch ?? ''} is now the branch of ${c.id}.`,
        );
        return c;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.showCase,
      guard(log, async (arg?: unknown) => {
        const id = await caseIdOf(deps, arg, 'show');
        const file = path.join(cases.store().caseDir(id), engine().cases.CASE_FILE);
        await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
      }),
    ),
    vscode.commands.registerCommand(
      Commands.setStatus,
      guard(log, async (arg?: unknown, to?: Status) => {
        const id = await caseIdOf(deps, arg, 'change the status of');
        const { STATUSES, STATUS_LABELS } = engine().cases;
        const status =
          to ??
          (
            await pick(
              STATUSES.map((s) => ({ label: STATUS_LABELS[s], status: s })),
              `Status of ${id}`,
            )
          ).status;
        const c = await cases.store().update(id, { status });
        await cases.refresh();
        return c;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.setNextAction,
      guard(log, async (arg?: unknown, next?: { text: string; due?: string | null }) => {
        const id = await caseIdOf(deps, arg, 'set the next action of');
        const text = next?.text ?? (await ask(`Next action for ${id} (empty: none)`));
        const due =
          next?.due !== undefined
            ? next.due
            : text === ''
              ? null
              : (await ask('Due date (YYYY-MM-DD, empty: none)', {
                  validateInput: (v) =>
                    v.trim() === '' || /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? null : 'A date like 2026-12-01',
                })) || null;
        const c = await cases.store().update(id, { nextAction: text === '' ? null : { text, due } });
        await cases.refresh();
        return c;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.openCaseFolder,
      guard(log, async (arg?: unknown) => {
        const id = await caseIdOf(deps, arg, 'open the folder of');
        await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(cases.store().caseDir(id)));
      }),
    ),
    vscode.commands.registerCommand(
      Commands.attach,
      guard(log, (args?: AttachArgs) => attachFromEditor(deps, args)),
    ),
    vscode.commands.registerCommand(
      Commands.attachTrace,
      guard(log, (args?: AttachArgs) => attachTrace(deps, args)),
    ),
    vscode.commands.registerCommand(
      Commands.attachFrame,
      guard(log, (item?: unknown, args?: AttachArgs) => attachExplorerFrame(deps, item, args)),
    ),
    vscode.commands.registerCommand(
      Commands.addNote,
      guard(log, (args?: AttachArgs) => attach(deps, { type: 'text' }, undefined, args)),
    ),
    vscode.commands.registerCommand(
      Commands.addEvidence,
      guard(log, async (uri?: vscode.Uri, caseId?: string) => {
        const id = await caseIdOf(deps, caseId, 'add evidence to');
        const files =
          uri instanceof vscode.Uri
            ? [uri]
            : await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: `Add to ${id}` });
        if (!files || files.length === 0) cancelled();
        const added = [];
        for (const f of files) added.push(await cases.store().addEvidence(id, { path: f.fsPath }));
        cases.journalChanged();
        const fresh = added.filter((a) => a.added).length;
        void vscode.window.showInformationMessage(
          `Escalate: ${fresh} file(s) added to ${id}${fresh < added.length ? `, ${added.length - fresh} already there` : ''}.`,
        );
        return added;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.openEvidence,
      guard(log, async (item?: FindingItem) => {
        if (item?.kind !== 'evidence') return;
        const file = await cases.store().evidencePath(item.caseId, item.evidence);
        if (!file) throw new Error(`Escalate: ${item.evidence.name} is missing from the case folder`);
        await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
      }),
    ),
    vscode.commands.registerCommand(
      Commands.openFinding,
      guard(log, (item?: FindingItem) => openFinding(deps, item)),
    ),
    vscode.commands.registerCommand(
      Commands.retractFinding,
      guard(log, async (item?: FindingItem) => {
        if (item?.kind !== 'finding') return;
        const reason = await ask('Why is this finding withdrawn? (kept in the journal)');
        await cases.store().retract(item.caseId, item.finding.rootId, reason || undefined);
        cases.journalChanged();
      }),
    ),
    vscode.commands.registerCommand(
      Commands.prepareHandover,
      guard(log, (arg?: unknown) => report(deps, arg, false)),
    ),
    vscode.commands.registerCommand(
      Commands.actionPlan,
      guard(log, (arg?: unknown) => report(deps, arg, true)),
    ),
    vscode.commands.registerCommand(
      Commands.sortBySeverity,
      guard(log, () => Promise.resolve(deps.casesView.setSort('severity'))),
    ),
    vscode.commands.registerCommand(
      Commands.sortByAge,
      guard(log, () => Promise.resolve(deps.casesView.setSort('age'))),
    ),
    vscode.commands.registerCommand(
      Commands.refresh,
      guard(log, () => cases.refresh()),
    ),
  ];
}

async function startCase(
  deps: CaseCommandDeps,
  args: (Partial<StartCaseInput> & { version?: string }) | undefined,
): Promise<Case> {
  const { cases } = deps;
  const repo = await cases.requireRepo('start a case');
  const { caseIdProblem, SEVERITIES, SEVERITY_LABELS, refCandidates, startCase: start } = engine().cases;
  const id =
    args?.id ??
    (await ask('Case ID (SR-123456, CASE-4711, INC0012345…)', {
      validateInput: (v) => (v.trim() === '' ? 'A case needs an ID' : caseIdProblem(v.trim())),
    }));
  const title =
    args?.title ?? (await ask(`Title of ${id}`, { validateInput: (v) => (v.trim() ? null : 'A title') }));
  const customer = args?.customer ?? (await ask('Customer'));
  const severity: Severity =
    args?.severity ??
    (
      await pick(
        SEVERITIES.map((s) => ({ label: SEVERITY_LABELS[s], severity: s })),
        'Severity',
      )
    ).severity;
  const version =
    args?.productVersion ?? args?.version ?? (await ask("The customer's product version (5.5.1)"));
  let ref = args?.ref;
  if (ref === undefined) {
    const candidates = await refCandidates(repo, version);
    if (candidates.length === 0)
      throw new Error('Escalate: the repository has no tags or branches to start from');
    ref = (
      await pick(
        candidates.map((c) => ({ label: c.name, description: c.detail ?? c.kind, ref: c.name })),
        `The customer's build (${version || 'no version given'}): tag, branch or commit`,
      )
    ).ref;
  }
  const result = await start(
    cases.store(),
    repo,
    { id, title, customer, severity, productVersion: version || undefined, ref },
    cases.branchTemplate(),
  );
  await cases.refresh();
  void vscode.window.showInformationMessage(
    `Escalate: case ${result.case.id} started on ${result.branch}, from ${result.ref.name} (${result.ref.commit.slice(0, 10)}).`,
  );
  return result.case;
}

async function switchCase(deps: CaseCommandDeps, arg: unknown): Promise<Case> {
  const { cases } = deps;
  const repo = await cases.requireRepo('switch case');
  let id = typeof arg === 'string' ? arg : (arg as { row?: { case: Case } } | undefined)?.row?.case.id;
  if (!id) {
    const { cases: all } = await cases.list();
    const open = all.filter((c) => c.status !== 'closed');
    if (open.length === 0) throw new Error('Escalate: no open cases — start one with Start Case…');
    id = (
      await pick(
        open.map((c) => ({
          label: c.id,
          description: c.title,
          detail: `${c.customer} · ${c.status} · ${c.ref ?? 'no ref'} · ${c.workingBranch ?? 'no branch'}`,
          id: c.id,
        })),
        'Switch to case (checks out its branch)',
      )
    ).id;
  }
  const { case: c } = await engine().cases.switchCase(cases.store(), repo, id);
  await cases.refresh();
  return c;
}

/** Attach to Case… from the active editor: a frame under the cursor, a log line, or the selected code. */
async function attachFromEditor(deps: CaseCommandDeps, args: AttachArgs | undefined): Promise<unknown> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return attach(deps, { type: 'text' }, undefined, args);
  const doc = editor.document;
  const a = await deps.sources.analyse(doc);
  const line = editor.selection.active.line + 1;
  const placed = a.frames.find((p) => p.frame.docLine === line);
  if (placed) return attachFrame(deps, a, placed.frame, placed.trace, args);
  if (a.traces.length > 0 || doc.languageId === 'log') {
    const text = doc.lineAt(line - 1).text;
    const from: FindingOrigin = {
      type: 'log',
      text,
      ...(doc.uri.scheme === 'file' ? { file: doc.uri.fsPath } : {}),
      line,
    };
    return attach(deps, from, undefined, args);
  }
  return attach(deps, { type: 'selection' }, await selectionCode(deps, editor), args);
}

/** The selected lines (the cursor's line when nothing is selected) as a code reference, at the commit shown. */
async function selectionCode(deps: CaseCommandDeps, editor: vscode.TextEditor): Promise<CodeRef> {
  const doc = editor.document;
  const sel = editor.selection;
  const startLine = sel.start.line + 1;
  const endLine = sel.end.line + 1 - (sel.end.character === 0 && sel.end.line > sel.start.line ? 1 : 0);
  const excerpt = Array.from(
    { length: endLine - startLine + 1 },
    (_, i) => doc.lineAt(startLine - 1 + i).text,
  ).join('\n');
  const atRef = parseRefUri(doc.uri);
  if (doc.uri.scheme !== 'file' && atRef) {
    return withPermalink(deps, {
      repo: atRef.repo,
      path: atRef.path,
      ref: atRef.ref,
      commit: atRef.commit,
      startLine,
      endLine,
      excerpt,
    });
  }
  const repo = await deps.cases.repo();
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const rel = folder
    ? path
        .relative(repo?.root ?? folder.uri.fsPath, doc.uri.fsPath)
        .split(path.sep)
        .join('/')
    : doc.uri.fsPath;
  const code: CodeRef = { path: rel, startLine, endLine, excerpt };
  if (repo && !rel.startsWith('..')) {
    const head = await repo.head();
    if (head) {
      code.commit = head;
      code.ref = (await repo.currentBranch()) ?? head;
    }
    // A file edited since HEAD is recorded as seen; the permalink (to the commit) could point elsewhere.
    if (doc.isDirty) return code;
  }
  return withPermalink(deps, code);
}

async function withPermalink(deps: CaseCommandDeps, code: CodeRef): Promise<CodeRef> {
  const repo = await deps.cases.repo();
  const remote = repo ? await repo.remoteUrl().catch(() => null) : null;
  if (!remote || !code.commit) return code;
  const link = engine().cases.permalink(remote, code.commit, code.path, {
    startLine: code.startLine,
    endLine: code.endLine,
  });
  return link ? { ...code, permalink: link } : code;
}

/** A frame and where it resolved: the code at the ref, as the finding's code. */
async function frameCode(
  deps: CaseCommandDeps,
  target: FrameTarget | undefined,
): Promise<CodeRef | undefined> {
  const r = target?.result.resolved;
  if (!r || r.line === null) return undefined;
  const text = r.commit ? await deps.sources.readAtRef(r.repo, r.path, r.commit) : null;
  const excerpt = text?.split(/\r?\n/)[r.line - 1];
  const code: CodeRef = {
    repo: r.repo,
    path: r.path,
    ...(r.commit ? { ref: r.ref, commit: r.commit } : {}),
    startLine: r.line,
    endLine: r.line,
    ...(excerpt !== undefined ? { excerpt } : {}),
  };
  return withPermalink(deps, code);
}

async function attachFrame(
  deps: CaseCommandDeps,
  a: Analysis,
  frame: Frame,
  trace: Trace,
  args: AttachArgs | undefined,
): Promise<unknown> {
  const code = await frameCode(deps, a.targets.get(frame));
  return attach(deps, { type: 'frame', frame: frame.raw.trim(), trace: trace.title }, code, args);
}

async function attachExplorerFrame(
  deps: CaseCommandDeps,
  item: unknown,
  args: AttachArgs | undefined,
): Promise<unknown> {
  const f = deps.explorer.frameOf(item);
  const a = deps.explorer.shown;
  if (!f || !a) return attachFromEditor(deps, args);
  const trace = a.frames.find((p) => p.frame === f.frame)?.trace;
  if (!trace) return attachFromEditor(deps, args);
  return attachFrame(deps, a, f.frame, trace, args);
}

/** The whole trace under the cursor (or the document's first): its text, and its crash site as the code. */
async function attachTrace(deps: CaseCommandDeps, args: AttachArgs | undefined): Promise<unknown> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new Error('Escalate: open a trace first.');
  const a = await deps.sources.analyse(editor.document);
  const line = editor.selection.active.line + 1;
  const trace = a.traces.find((t) => t.span.start <= line && line <= t.span.end) ?? a.traces[0];
  if (!trace) throw new Error('Escalate: no trace in this document.');
  const text = editor.document.getText(
    new vscode.Range(
      trace.span.start - 1,
      0,
      Math.min(trace.span.end, editor.document.lineCount) - 1,
      Number.MAX_SAFE_INTEGER,
    ),
  );
  const site = crashSite(trace);
  const code = site ? await frameCode(deps, a.targets.get(site)) : undefined;
  return attach(deps, { type: 'trace', title: trace.title, text: text.slice(0, 20_000) }, code, args);
}

async function attach(
  deps: CaseCommandDeps,
  from: FindingOrigin,
  code: CodeRef | undefined,
  args: AttachArgs | undefined,
): Promise<unknown> {
  const { FINDING_KINDS, FINDING_LABELS } = engine().cases;
  const id = await caseIdOf(deps, args?.caseId, 'attach to');
  const kind =
    args?.kind ??
    (
      await pick(
        FINDING_KINDS.map((k) => ({ label: FINDING_LABELS[k], findingKind: k })),
        `Attach to ${id} as`,
      )
    ).findingKind;
  const what = code
    ? `${code.path}:${code.startLine}${code.endLine !== code.startLine ? `-${code.endLine}` : ''}`
    : '';
  const text = args?.text ?? (await ask(`${FINDING_LABELS[kind]}${what ? ` about ${what}` : ''}`));
  if (text === '' && !code && from.type === 'text')
    throw new Error('Escalate: an empty note was not attached.');
  const finding: FindingData = {
    findingKind: kind,
    text:
      text ||
      (from.type === 'frame'
        ? from.frame
        : from.type === 'log'
          ? from.text
          : from.type === 'trace'
            ? from.title
            : ''),
    from,
    ...(code ? { code } : {}),
    ...(args?.internal ? { internal: true } : {}),
  };
  const entry = await deps.cases.store().appendFinding(id, finding);
  deps.cases.journalChanged();
  void vscode.window.setStatusBarMessage(`Escalate: attached to ${id}`, 4000);
  return entry;
}

async function openFinding(deps: CaseCommandDeps, item: FindingItem | undefined): Promise<void> {
  if (item?.kind !== 'finding') return;
  const code = item.finding.entry.code;
  if (!code) return;
  const c = await deps.cases.store().get(item.caseId);
  // The code as the customer has it: at the case's ref when the case has one, else where it was recorded.
  const commit = c.refCommit ?? code.commit;
  const ref = c.ref ?? code.ref ?? commit;
  const folder =
    vscode.workspace.workspaceFolders?.find((f) => f.name === code.repo) ??
    vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('Escalate: open the product folder to see the code of a finding.');
  const uri = commit
    ? refUri(folder.name, code.path, commit, ref ?? commit)
    : vscode.Uri.joinPath(folder.uri, code.path);
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = new vscode.Range(code.startLine - 1, 0, code.endLine - 1, 0);
  await vscode.window.showTextDocument(doc, { selection: range, preview: true });
}

async function report(
  deps: CaseCommandDeps,
  arg: unknown,
  customer: boolean,
): Promise<{ file: string; text: string }> {
  const id = await caseIdOf(deps, arg, customer ? 'write the action plan of' : 'prepare the handover of');
  const repo = await deps.cases.repo();
  const out = await engine().cases.writeReport(deps.cases.store(), id, {
    customer,
    repos: repo ? [repo] : [],
  });
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(out.file));
  return out;
}
