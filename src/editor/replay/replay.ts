// The VS Code side of replay: the `escalate-replay` debug type (inline adapter by default, or the standalone
// process), Replay Session on session and trace files, reverse step in/out and jumps, and the log lines the
// replay wrote, kept so that Jump to Output… can go back to the moment one was written.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImportKind } from '../../core/replay/importers/common';
import type { OutputData, Position } from '../../debug/protocol';
import { Commands } from '../commands';
import { guard } from '../guard';
import { engine } from '../loadEngine';
import type { CaseService } from '../cases/service';
import type { Sources } from '../sources';

export const DEBUG_TYPE = 'escalate-replay';

/** One log line the replay wrote, with the event that wrote it. */
interface Written {
  text: string;
  eventIndex: number;
}

const KEPT_OUTPUTS = 5000;

/** Output lines per debug session id, newest last, bounded. */
class Outputs {
  private readonly bySession = new Map<string, Written[]>();

  add(session: string, text: string, eventIndex: number): void {
    let list = this.bySession.get(session);
    if (!list) this.bySession.set(session, (list = []));
    list.push({ text, eventIndex });
    if (list.length > KEPT_OUTPUTS) list.splice(0, list.length - KEPT_OUTPUTS);
  }

  of(session: string): Written[] {
    return this.bySession.get(session) ?? [];
  }

  forget(session: string): void {
    this.bySession.delete(session);
  }
}

function replaySession(): vscode.DebugSession {
  const s = vscode.debug.activeDebugSession;
  if (!s || s.type !== DEBUG_TYPE)
    throw new Error('Escalate: no replay is running (Replay Session… starts one).');
  return s;
}

function threadOf(s: vscode.DebugSession): number | undefined {
  const item = vscode.debug.activeStackItem;
  return item && item.session.id === s.id ? item.threadId : undefined;
}

export interface ReplayDeps {
  extensionPath: string;
  log: vscode.LogOutputChannel;
  sources: Sources;
  cases: CaseService;
  /** Tells the timeline where the replay is now. */
  onMoved: (session: vscode.DebugSession) => void;
}

export function registerReplay(deps: ReplayDeps): vscode.Disposable[] {
  const outputs = new Outputs();
  return [
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor(session) {
        const config = vscode.workspace.getConfiguration('escalate');
        const inline = config.get<boolean>('replay.inline', true);
        if (inline && session.configuration.debugServer === undefined) {
          return new vscode.DebugAdapterInlineImplementation(new (engine().EscalateDebugSession)());
        }
        // The standalone adapter, as the DAP tests run it: node (the extension host's own) in a child process.
        return new vscode.DebugAdapterExecutable(
          process.execPath,
          [path.join(deps.extensionPath, 'dist', 'debugAdapter.js')],
          { env: { ELECTRON_RUN_AS_NODE: '1' } },
        );
      },
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, {
      // F5 with no launch.json on a session or trace file replays it; the active case gives ref and case.
      resolveDebugConfiguration(folder, config) {
        if (!config.type && !config.request && !config.name) {
          const doc = vscode.window.activeTextEditor?.document;
          if (!doc || doc.uri.scheme !== 'file') return undefined;
          Object.assign(config, launchConfig(doc.uri));
        }
        if (!config.session) {
          void vscode.window.showErrorMessage(
            'Escalate: the launch configuration needs "session": the file to replay.',
          );
          return undefined;
        }
        // The one place a launch is completed: from launch.json, F5 on a file, or Replay Session.
        const c = deps.cases.active?.case;
        if (c && config.case === undefined) config.case = c.id;
        if (c?.ref && config.ref === undefined && config.version === undefined) config.ref = c.ref;
        if (!config.repos && folder) config.repos = [folder.uri.fsPath];
        const settings = vscode.workspace.getConfiguration('escalate');
        config.breakpointsInAnyFrame ??= settings.get<boolean>('replay.breakpointsInAnyFrame', false);
        return config;
      },
    }),
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker(session) {
        return {
          onDidSendMessage(m: { type?: string; event?: string; body?: Record<string, unknown> }) {
            if (m.type !== 'event') return;
            if (m.event === 'stopped') deps.onMoved(session);
            if (m.event === 'output' && m.body) {
              const data = m.body.data as OutputData | undefined;
              if (typeof data?.eventIndex === 'number')
                outputs.add(
                  session.id,
                  (typeof m.body.output === 'string' ? m.body.output : '').trimEnd(),
                  data.eventIndex,
                );
            }
          },
          onWillStopSession() {
            outputs.forget(session.id);
          },
        };
      },
    }),
    // The setting reaches replays already running, not only the next one.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('escalate.replay.breakpointsInAnyFrame')) return;
      const config = vscode.workspace.getConfiguration('escalate');
      const any = config.get<boolean>('replay.breakpointsInAnyFrame', false);
      const s = vscode.debug.activeDebugSession;
      if (s?.type === DEBUG_TYPE) void s.customRequest('escalate/breakpointsInAnyFrame', { any });
    }),
    vscode.commands.registerCommand(
      Commands.replaySession,
      guard(deps.log, async (uri?: vscode.Uri) => {
        const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
        if (!target || target.scheme !== 'file') {
          const picked = await vscode.window.showOpenDialog({ openLabel: 'Replay', canSelectMany: false });
          if (!picked?.[0]) throw new vscode.CancellationError();
          return start(picked[0]);
        }
        return start(target);
      }),
    ),
    vscode.commands.registerCommand(
      Commands.importSession,
      guard(deps.log, (files?: vscode.Uri[] | vscode.Uri, args?: { kind?: ImportKind; out?: vscode.Uri }) =>
        importFiles(deps, files, args),
      ),
    ),
    vscode.commands.registerCommand(
      Commands.reverseStepIn,
      guard(deps.log, async () => {
        const s = replaySession();
        await s.customRequest('reverseStepIn', { threadId: threadOf(s) });
      }),
    ),
    vscode.commands.registerCommand(
      Commands.reverseStepOut,
      guard(deps.log, async () => {
        const s = replaySession();
        await s.customRequest('reverseStepOut', { threadId: threadOf(s) });
      }),
    ),
    vscode.commands.registerCommand(
      Commands.jumpToEvent,
      guard(deps.log, async (where?: { index?: number; time?: number | string }) => {
        const s = replaySession();
        let args = where;
        if (!args) {
          const pos = (await s.customRequest('escalate/position')) as Position;
          const v = await vscode.window.showInputBox({
            prompt: `Event number (0–${pos.eventCount - 1}), or a time: @1234 on the session's clock, or an ISO date`,
            value: String(pos.index),
          });
          if (v === undefined) throw new vscode.CancellationError();
          const t = v.trim();
          args = /^\d+$/.test(t)
            ? { index: Number(t) }
            : { time: t.startsWith('@') ? Number(t.slice(1)) : t };
        }
        return s.customRequest('escalate/jump', args);
      }),
    ),
    vscode.commands.registerCommand(
      Commands.jumpToOutput,
      guard(deps.log, async (eventIndex?: number) => {
        const s = replaySession();
        let index = eventIndex;
        if (typeof index !== 'number') {
          const written = outputs.of(s.id);
          if (written.length === 0) throw new Error('Escalate: the replay has written no log lines yet.');
          const pick = await vscode.window.showQuickPick(
            [...written]
              .reverse()
              .map((w) => ({ label: w.text.slice(0, 200), description: `event ${w.eventIndex}`, w })),
            {
              placeHolder: 'The log line to go back to (the moment it was written)',
              matchOnDescription: true,
            },
          );
          if (!pick) throw new vscode.CancellationError();
          index = pick.w.eventIndex;
        }
        return s.customRequest('escalate/outputAt', { index });
      }),
    ),
  ];
}

function launchConfig(file: vscode.Uri): vscode.DebugConfiguration {
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Replay ${path.basename(file.fsPath)}`,
    session: file.fsPath,
    stopOnEntry: true,
  };
}

/** Replays `file`; resolveDebugConfiguration adds the case, its ref and the folder to resolve in. */
async function start(file: vscode.Uri): Promise<boolean> {
  const folder = vscode.workspace.getWorkspaceFolder(file) ?? vscode.workspace.workspaceFolders?.[0];
  const ok = await vscode.debug.startDebugging(folder, launchConfig(file));
  if (!ok)
    throw new Error(
      `Escalate: could not start replaying ${path.basename(file.fsPath)} (see the Debug Console).`,
    );
  return ok;
}

const KINDS: { kind: ImportKind; label: string; detail: string }[] = [
  {
    kind: 'dumps',
    label: 'Thread dumps',
    detail: 'jstack, Go goroutine dumps, gdb, py-spy, dotnet-stack: one event per thread per dump',
  },
  {
    kind: 'log',
    label: 'Log with source locations',
    detail: 'JSON logs with caller/file/line, text logs with file:line',
  },
  { kind: 'trace', label: 'Trace', detail: 'an exception or crash: a session that stops at it' },
  { kind: 'profile', label: 'Profile', detail: 'Chrome Trace Event JSON or a V8 .cpuprofile' },
];

/**
 * Import Session…: files (several dumps make one series) → a session file, with progress and cancel; what the
 * importer warns about goes to the Escalate log; then offers to replay it.
 */
async function importFiles(
  deps: ReplayDeps,
  given: vscode.Uri[] | vscode.Uri | undefined,
  args: { kind?: ImportKind; out?: vscode.Uri } | undefined,
): Promise<vscode.Uri> {
  const files = Array.isArray(given)
    ? given
    : given instanceof vscode.Uri
      ? [given]
      : await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Import' });
  if (!files || files.length === 0) throw new vscode.CancellationError();
  const { detectImport, importSession } = engine();
  let kind: ImportKind | undefined = args?.kind;
  if (!kind) {
    const guess = detectImport(files[0]!.fsPath);
    const picked = await vscode.window.showQuickPick(
      KINDS.map((k) => ({
        label: k.label,
        description: guess?.kind === k.kind ? `detected: ${guess.reason}` : undefined,
        detail: k.detail,
        importKind: k.kind,
      })).sort((a, b) => Number(b.importKind === guess?.kind) - Number(a.importKind === guess?.kind)),
      {
        placeHolder: `Import ${files.length === 1 ? path.basename(files[0]!.fsPath) : `${files.length} files`} as`,
      },
    );
    if (!picked) throw new vscode.CancellationError();
    kind = picked.importKind;
  }
  const first = files[0]!.fsPath;
  const out =
    args?.out ??
    (await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(
        path.join(path.dirname(first), `${path.basename(first).replace(/\.[^.]*$/, '')}.session.jsonl`),
      ),
      filters: { 'Escalate session': ['jsonl'] },
    }));
  if (!out) throw new vscode.CancellationError();
  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Escalate: importing ${kind}`,
      cancellable: true,
    },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let done = 0;
      return importSession(
        kind,
        files.map((f) => f.fsPath),
        out.fsPath,
        {
          signal: abort.signal,
          onProgress: (fraction) => {
            const pct = Math.floor(fraction * 100);
            if (pct > done) progress.report({ increment: pct - done, message: `${pct}%` });
            done = Math.max(done, pct);
          },
        },
      );
    },
  );
  for (const w of result.warnings)
    deps.log.warn(`import ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`);
  if (result.events === 0)
    throw new Error(
      `Escalate: no ${kind} events found in ${files.map((f) => path.basename(f.fsPath)).join(', ')}; nothing written.`,
    );
  const warned = result.warnings.length + result.moreWarnings;
  const replay = 'Replay';
  void vscode.window
    .showInformationMessage(
      `Escalate: ${result.events} events on ${result.threads} threads written to ${path.basename(out.fsPath)}${warned ? ` (${warned} warnings in the Escalate log)` : ''}.`,
      replay,
    )
    .then((pick) => (pick === replay ? start(out) : undefined));
  return out;
}
