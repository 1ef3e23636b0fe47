// The workspace's source as the resolver sees it: the folders' repositories at the trace's ref (or, in a restricted
// workspace, the folders on disk with git off), and each trace document's frames resolved against them.

import * as vscode from 'vscode';
import type { CommitInfo } from '../core/git';
import type {
  FrameResult,
  HistoryCache,
  PathMapping,
  Resolution,
  Resolver,
  Workspace,
} from '../core/resolve';
import type { ClassifyOptions, Frame, PlacedFrame, Trace } from '../core/trace';
import { engine } from './loadEngine';

/** Where a resolved frame is, in the two documents an engineer may open. */
export interface FrameTarget {
  result: FrameResult;
  /** The file at the ref (read-only `escalate-ref:` document), or the working file when resolving at HEAD/on disk. */
  atRef: { uri: vscode.Uri; line: number | null } | null;
  /** The same line in the working tree, when it still exists there; null until `carried` settles. */
  working: { uri: vscode.Uri; line: number | null; status: string } | null;
  /** Settles when `working` is known (carrying lines across the diff runs after links are shown). */
  carried: Promise<void>;
  /** The commits since the ref that touched the frame's line (git log -L, asked for on first use), newest first. */
  changedSince?: () => Promise<CommitInfo[]>;
}

export interface Analysis {
  uri: vscode.Uri;
  version: number;
  traces: Trace[];
  frames: PlacedFrame[];
  targets: Map<Frame, FrameTarget>;
  /** The ref the frames were resolved at as the user reads it (`v5.5.1`, `HEAD`, `working tree`). */
  refLabel: string;
  /** Why resolution is limited (restricted workspace, no folder, a version not found), if it is. */
  notice: string | null;
  /** Milliseconds per phase (parse, open, resolve, check, prefetch, carry), for the log and the benchmark. */
  timings?: Record<string, number>;
  /** When the analysis started and finished (performance.now() of the extension host), for the benchmark. */
  span?: { startedAt: number; doneAt: number };
}

export const REF_SCHEME = 'escalate-ref';

const DONE: Promise<void> = Promise.resolve();

/**
 * `escalate-ref:/<repo>/<path>?{"commit":…,"ref":…}`: a file as it is at a commit. The query is JSON because
 * VS Code's resource label formatters read `${query.ref}` only from a JSON query: package.json's formatter titles
 * these tabs `OrderService.java @ v5.5.1`.
 */
export function refUri(repo: string, path: string, commit: string, ref: string): vscode.Uri {
  return vscode.Uri.from({
    scheme: REF_SCHEME,
    path: `/${repo}/${path}`,
    query: JSON.stringify({ commit, ref }),
  });
}

/** The parts of a `refUri`; null when the URI was not made by it (hand-typed, or from an older version). */
export function parseRefUri(
  uri: vscode.Uri,
): { repo: string; path: string; commit: string; ref: string } | null {
  let q: unknown;
  try {
    q = JSON.parse(uri.query);
  } catch {
    return null;
  }
  if (typeof q !== 'object' || q === null) return null;
  const { commit, ref } = q as Record<string, unknown>;
  if (typeof commit !== 'string' || !commit) return null;
  const [, repo = '', ...rest] = uri.path.split('/');
  return { repo, path: rest.join('/'), commit, ref: typeof ref === 'string' && ref ? ref : commit };
}

interface Opened {
  resolver: Resolver;
  workspace: Workspace | null;
  history: HistoryCache | null;
  refLabel: string;
  notice: string | null;
}

export function classifyOptions(): ClassifyOptions {
  const config = vscode.workspace.getConfiguration('escalate');
  return { inApp: config.get<string[]>('inApp', []), notInApp: config.get<string[]>('notInApp', []) };
}

function mappings(): PathMapping[] {
  const config = vscode.workspace.getConfiguration('escalate');
  const raw = config.get<unknown>('pathMappings', []);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((m: unknown) => {
    if (typeof m !== 'object' || m === null) return [];
    const { from, to } = m as { from?: unknown; to?: unknown };
    if (typeof from !== 'string' || typeof to !== 'string') return [];
    return [{ from, to: to.replace(/\$\{workspaceFolder\}/g, folder) }];
  });
}

export class Sources implements vscode.Disposable {
  private opened = new Map<string, Promise<Opened>>();
  private analyses = new Map<string, Promise<Analysis>>();
  /** Per document: the ref the user chose for it (Set Ref for Trace), over `escalate.defaultRef`. */
  private readonly docRefs = new Map<string, string | null>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when answers may have changed (settings, folders, trust, a ref chosen). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('escalate')) this.reset();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()),
      vscode.workspace.onDidCloseTextDocument((d) => this.analyses.delete(d.uri.toString())),
      // A saved file moves lines in the working tree: carry them again (answers at the ref stay).
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (d.uri.scheme === 'file') this.workingTreeChanged();
      }),
      { dispose: () => clearTimeout(this.savedTimer) },
    );
  }

  private savedTimer: NodeJS.Timeout | undefined;

  private workingTreeChanged(): void {
    clearTimeout(this.savedTimer);
    this.savedTimer = setTimeout(() => {
      for (const o of this.opened.values())
        void o.then(
          (x) => x.history?.invalidate(),
          () => {},
        );
      this.analyses.clear();
      this.changed.fire();
    }, 300);
  }

  dispose(): void {
    this.closeAll();
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  private closeAll(): void {
    for (const o of this.opened.values())
      void o.then(
        (x) => x.workspace?.close(),
        () => undefined,
      );
    this.opened.clear();
    this.analyses.clear();
  }

  reset(): void {
    this.closeAll();
    this.changed.fire();
  }

  refFor(uri: vscode.Uri): string | null {
    const own = this.docRefs.get(uri.toString());
    if (own !== undefined) return own;
    if (this.caseRef !== null) return this.caseRef;
    const config = vscode.workspace.getConfiguration('escalate');
    const def = config.get<string>('defaultRef', '').trim();
    return def === '' ? null : def;
  }

  /** The active case's ref: traces resolve at it unless the user chose a ref for the trace. */
  private caseRef: string | null = null;

  setCaseRef(ref: string | null): void {
    if (ref === this.caseRef) return;
    this.caseRef = ref;
    this.analyses.clear();
    this.changed.fire();
  }

  setRef(uri: vscode.Uri, ref: string | null): void {
    this.docRefs.set(uri.toString(), ref);
    this.analyses.delete(uri.toString());
    this.changed.fire();
  }

  /** The repositories (or folders) at `ref`, opened once per ref. */
  private open(ref: string | null): Promise<Opened> {
    const key = ref ?? '';
    let o = this.opened.get(key);
    if (!o) {
      o = this.doOpen(ref);
      this.opened.set(key, o);
      // A failure (an unknown ref) is not cached: the user may fix the ref or fetch the tag.
      o.catch(() => this.opened.delete(key));
    }
    return o;
  }

  private async doOpen(ref: string | null): Promise<Opened> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const maps = mappings();
    if (folders.length === 0)
      return {
        resolver: new (engine().Resolver)([], { mappings: [] }),
        workspace: null,
        history: null,
        refLabel: ref ?? 'HEAD',
        notice: "Open the product's folder to resolve frames to source.",
      };
    if (!vscode.workspace.isTrusted) {
      // Restricted mode: no git at all; the working tree on disk stands in for the customer's version.
      const trees = folders.map((f) => engine().indexFolder(f.uri.fsPath, f.name).tree);
      return {
        resolver: new (engine().Resolver)(trees, { mappings: maps }),
        workspace: null,
        history: null,
        refLabel: 'working tree',
        notice:
          "Restricted mode: git is off, frames resolve against the working tree, not the customer's version.",
      };
    }
    // Folders that are not repositories are indexed from disk, beside the repositories at the ref.
    const start = Date.now();
    // A big repository takes a moment to index the first time: say so in the status bar meanwhile.
    const ws = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Window,
        title: `Escalate: indexing the sources at ${ref ?? 'HEAD'}`,
      },
      () =>
        engine().openWorkspace(
          folders.map((f) => f.uri.fsPath),
          ref,
          { skipNonRepos: true },
        ),
    );
    for (const w of ws.warnings) this.log.warn(w);
    const plain = folders.filter((f) => ws.notRepos.includes(f.uri.fsPath));
    const trees = [
      ...ws.repos.map((r) => r.tree),
      ...plain.map((f) => engine().indexFolder(f.uri.fsPath, f.name).tree),
    ];
    const label = ws.repos[0]?.tree.info.ref ?? ref ?? 'HEAD';
    const resolver = new (engine().Resolver)(trees, { mappings: maps });
    this.log.info(
      `sources at ${label}: ${trees.map((t) => `${t.info.repo} (${t.paths.length} files)`).join(', ')} in ${Date.now() - start} ms`,
    );
    return {
      resolver,
      workspace: ws,
      history: new (engine().HistoryCache)(ws.sources),
      refLabel: label,
      notice: ws.warnings.length > 0 ? ws.warnings.join('; ') : null,
    };
  }

  /** The traces of a document and where each frame is; cached per document version and ref. */
  analyse(doc: vscode.TextDocument): Promise<Analysis> {
    const key = doc.uri.toString();
    const ref = this.refFor(doc.uri);
    const cached = this.analyses.get(key);
    if (cached) {
      const ok = cached.then((a) => a.version === doc.version);
      return ok.then((same) => (same ? cached : this.fresh(doc, ref)));
    }
    return this.fresh(doc, ref);
  }

  private fresh(doc: vscode.TextDocument, ref: string | null): Promise<Analysis> {
    const p = this.doAnalyse(doc, ref);
    this.analyses.set(doc.uri.toString(), p);
    p.catch(() => this.analyses.delete(doc.uri.toString()));
    return p;
  }

  private async doAnalyse(doc: vscode.TextDocument, ref: string | null): Promise<Analysis> {
    const timings: Record<string, number> = {};
    const startedAt = performance.now();
    let lap = startedAt;
    const phase = (name: string): void => {
      const now = performance.now();
      timings[name] = Math.round((now - lap) * 10) / 10;
      lap = now;
    };
    const options = classifyOptions();
    const { parseText, classifyTrace, placedFrames, checkLines } = engine();
    const traces = parseText(doc.getText()).map((t) => classifyTrace(t, options));
    phase('parse');
    const frames = placedFrames(traces);
    const base = { uri: doc.uri, version: doc.version, traces, frames };
    if (traces.length === 0) return { ...base, targets: new Map(), refLabel: ref ?? 'HEAD', notice: null };
    let opened: Opened;
    try {
      opened = await this.open(ref);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.log.error(`cannot open the sources at ${ref ?? 'HEAD'}: ${why}`);
      return { ...base, targets: new Map(), refLabel: ref ?? 'HEAD', notice: why };
    }
    phase('open');
    const results = new Map<Frame, FrameResult>();
    for (const t of traces)
      for (const [f, r] of await opened.resolver.resolveTrace(t, t.format)) results.set(f, r);
    phase('resolve');
    await checkLines(results.values(), opened.resolver.trees);
    phase('check');
    const resolved = [...results.values()].flatMap((r) => (r.resolved ? [r.resolved] : []));
    const targets = new Map<Frame, FrameTarget>();
    const roots = new Map(opened.resolver.trees.map((t) => [t.info.repo, t]));
    const toCarry: { target: FrameTarget; r: Resolution; onDisk: (p: string) => vscode.Uri }[] = [];
    for (const [f, result] of results) {
      const r = result.resolved;
      if (!r) {
        targets.set(f, { result, atRef: null, working: null, carried: DONE });
        continue;
      }
      const root = roots.get(r.repo)?.info.root ?? '';
      const onDisk = (p: string): vscode.Uri => vscode.Uri.file(`${root}/${p}`);
      if (!opened.history || r.commit === '') {
        // On disk (restricted mode or a plain folder): the file itself is the only document.
        const here = { uri: onDisk(r.path), line: r.line };
        targets.set(f, { result, atRef: here, working: { ...here, status: 'unchanged' }, carried: DONE });
        continue;
      }
      const target: FrameTarget = {
        result,
        atRef: { uri: refUri(r.repo, r.path, r.commit, r.ref), line: r.line },
        working: null,
        carried: DONE,
        changedSince: this.changedSince(opened.history, r),
      };
      targets.set(f, target);
      toCarry.push({ target, r, onDisk });
    }
    // Links and highlights need only the place at the ref: carrying lines to the working tree (a diff) runs
    // behind them, and fills `working` when it is done.
    if (opened.history && toCarry.length > 0) {
      const history = opened.history;
      const carried = (async () => {
        const t0 = performance.now();
        await history.prefetch(toCarry.map((c) => c.r));
        for (const { target, r, onDisk } of toCarry) {
          const c = await history.carry(r).catch(() => null);
          target.working = c?.workingPath
            ? { uri: onDisk(c.workingPath), line: c.workingLine, status: c.status }
            : null;
        }
        timings.carry = Math.round((performance.now() - t0) * 10) / 10;
        this.changed.fire();
      })().catch((e: unknown) =>
        this.log.warn(`carrying lines to the working tree: ${e instanceof Error ? e.message : String(e)}`),
      );
      for (const c of toCarry) c.target.carried = carried;
    }
    this.log.info(
      `${vscode.workspace.asRelativePath(doc.uri)}: ${frames.length} frames, ${resolved.length} resolved at ${opened.refLabel} (${Object.entries(
        timings,
      )
        .map(([k, v]) => `${k} ${v} ms`)
        .join(', ')})`,
    );
    return {
      ...base,
      targets,
      refLabel: opened.refLabel,
      notice: opened.notice,
      timings,
      span: { startedAt, doneAt: performance.now() },
    };
  }

  /** The commits since the ref that touched an answer's line, asked for once on first use. */
  private changedSince(history: HistoryCache, r: Resolution): () => Promise<CommitInfo[]> {
    let touching: Promise<CommitInfo[]> | null = null;
    return () =>
      (touching ??= history.history(r).then(
        (h) => h?.changedSince ?? [],
        (e: unknown) => {
          this.log.warn(
            `history of ${r.path}:${r.line ?? '?'}: ${e instanceof Error ? e.message : String(e)}`,
          );
          return [];
        },
      ));
  }

  /** Text of a file at a commit, for the `escalate-ref:` documents. */
  async readAtRef(repo: string, path: string, commit: string): Promise<string | null> {
    for (const o of this.opened.values()) {
      const opened = await o.catch(() => null);
      const r = opened?.workspace?.repos.find((x) => x.tree.info.repo === repo);
      if (!r) continue;
      // At the tree's own commit the text is usually cached already (checking lines and symbols read it).
      if (r.tree.info.commit === commit) return (await r.tree.read([path])).get(path) ?? null;
      const got = await r.git.readFiles(commit, [path]);
      const data = got.get(path);
      return data ? data.toString('utf8') : null;
    }
    // Not opened at that ref in this window (a restored editor): open the folder's repository for the read.
    const folder = (vscode.workspace.workspaceFolders ?? []).find((f) => f.name === repo);
    if (!folder || !vscode.workspace.isTrusted) return null;
    const git = await engine().GitRepo.open(folder.uri.fsPath);
    try {
      const data = (await git.readFiles(commit, [path])).get(path);
      return data ? data.toString('utf8') : null;
    } finally {
      git.close();
    }
  }
}
