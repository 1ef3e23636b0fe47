// A replay's frames → DAP sources at the session's (or case's) version through the resolver, and back: the
// file a breakpoint is set in → the recorded paths the resolver placed there.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { GitError, carryLine, type GitRepo } from '../core/git';
import { sameFileDefault } from '../core/replay/breakpoints';
import {
  CONFIDENT,
  MappingError,
  Resolver,
  checkLines,
  indexFolder,
  openWorkspace,
  type FrameResult,
  type PathMapping,
  type RepoTree,
  type Workspace,
} from '../core/resolve';
import { emptyFrame, type FormatId, type Frame } from '../core/trace/model';
import { LaunchError, LaunchErrors, describe } from './launch';

/** A recorded location, as frames and log records carry it. */
export interface Recorded {
  function: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
  module?: string | null;
}

/** Where a recorded location is. `key` (`repo\0path`) names the file whatever the ref. */
export type Place =
  | {
      kind: 'file';
      key: string;
      path: string;
      line: number | null;
      column: number | null;
      note: string | null;
    }
  | {
      kind: 'ref';
      key: string;
      reference: number;
      name: string;
      origin: string;
      line: number | null;
      column: number | null;
    }
  | { kind: 'unresolved'; file: string | null; line: number | null; column: number | null; reason: string };

export interface SourceOptions {
  repos: string[];
  /** The version to resolve at; null: HEAD. */
  ref: string | null;
  /** Whether the user named `ref` (an unknown one is then an error, not a fall back to HEAD). */
  explicit: boolean;
  mappings: PathMapping[];
}

/**
 * A repository (or plain folder) frames resolve in: `commit` is the one resolved at, `head` the working
 * tree's (both '' for a folder, which is read from disk). `tree` reads files at `commit`, keeping their texts.
 */
interface Site {
  name: string;
  root: string;
  commit: string;
  head: string;
  git: GitRepo | null;
  tree: RepoTree;
}

/** A file served by `sourceReference`: at its site's commit (the only one the resolver answers with). */
interface RefDocument {
  site: Site;
  path: string;
}

/** Resolved locations kept (the resolver keeps its own, cheaper, memos beyond this). */
const MAX_KEPT = 100_000;

/** The prefix of breakpoint keys that name a document at a ref rather than a file on disk. */
const REF_KEY = 'escalate-ref:';

/**
 * The trace format whose lookup rules fit a file (symbol lookup for JVM, .NET, Go, Rust, Dart, Python,
 * Erlang). Anything else resolves by path alone, for which any format without a symbol family does: `cpp`
 * stands for them (`node` would treat a bare `app.js` as a runtime module).
 */
const FORMAT_BY_EXTENSION: Record<string, FormatId> = {
  java: 'java',
  kt: 'java',
  kts: 'java',
  scala: 'java',
  groovy: 'java',
  cs: 'dotnet',
  fs: 'dotnet',
  vb: 'dotnet',
  go: 'go',
  rs: 'rust',
  dart: 'dart',
  py: 'python',
  erl: 'erlang',
  hrl: 'erlang',
  ex: 'elixir',
  exs: 'elixir',
};

function formatOfFile(file: string | null): FormatId | null {
  const dot = file?.lastIndexOf('.') ?? -1;
  return dot < 0 ? null : (FORMAT_BY_EXTENSION[file!.slice(dot + 1).toLowerCase()] ?? null);
}

/** One format for a stack: its frames without a file (native methods) follow those with one. */
function formatOfStack(frames: readonly Recorded[]): FormatId {
  for (const f of frames) {
    const format = formatOfFile(f.file);
    if (format) return format;
  }
  return 'cpp';
}

function traceFrame(r: Recorded): Frame {
  return {
    ...emptyFrame([r.function, r.file].filter((x) => x !== null).join(' '), 0),
    function: r.function,
    file: r.file,
    line: r.line,
    column: r.column,
    module: r.module ?? null,
  };
}

function recordedKey(r: Recorded, format: FormatId): string {
  return [format, r.function, r.file, r.module ?? null, r.line, r.column].join('\0');
}

function baseName(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] || p;
}

function isDir(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** Opens the repositories at the version; an unknown version the user did not name falls back to HEAD. */
async function openRepos(o: SourceOptions, notes: string[]): Promise<Workspace> {
  try {
    return await openWorkspace(o.repos, o.ref, { skipNonRepos: true });
  } catch (e) {
    if (!(e instanceof GitError) || e.code !== 'unknown-ref' || o.ref === null) {
      throw new LaunchError(LaunchErrors.unreadable, `Cannot open the repositories: ${describe(e)}`);
    }
    if (o.explicit) throw new LaunchError(LaunchErrors.version, `Version ${o.ref}: ${e.message}`);
    notes.push(`The session's version ${o.ref} is in none of the repositories: frames resolve at HEAD.`);
    return openWorkspace(o.repos, null, { skipNonRepos: true });
  }
}

export class ReplaySources {
  private readonly results = new Map<string, Promise<FrameResult>>();
  private readonly documents: RefDocument[] = [];
  private readonly documentIds = new Map<string, number>();
  /** Recorded path → the key of the file it resolves to (null: unresolved), once learnt. */
  private readonly recorded = new Map<string, string | null>();
  private readonly requested = new Map<string, string | null>();
  private readonly sites: Map<string, Site>;

  private constructor(
    private readonly resolver: Resolver,
    sites: Site[],
    private readonly workspace: Workspace | null,
    /** What the user should know about where frames resolve. */
    readonly notes: string[],
    /** The ref frames resolve at, as the user reads it. */
    readonly label: string,
  ) {
    this.sites = new Map(sites.map((s) => [s.name, s]));
  }

  /** Opens the folders' repositories at the version and indexes them (plain folders from disk). */
  static async open(o: SourceOptions): Promise<ReplaySources> {
    const notes: string[] = [];
    for (const dir of o.repos)
      if (!isDir(dir)) throw new LaunchError(LaunchErrors.args, `repos: ${dir} is not a folder`);
    if (o.repos.length === 0) {
      notes.push('No repository folder is open ("repos" or "cwd"): frames show the paths as recorded.');
      return new ReplaySources(new Resolver([]), [], null, notes, o.ref ?? 'HEAD');
    }
    const ws = await openRepos(o, notes);
    notes.push(...ws.warnings);
    const plain = ws.notRepos.map((dir) => indexFolder(dir).tree);
    const trees: RepoTree[] = [...ws.repos.map((r) => r.tree), ...plain];
    const sites: Site[] = [
      ...(await Promise.all(
        ws.repos.map(async (r) => ({
          name: r.tree.info.repo,
          root: r.tree.info.root,
          commit: r.tree.info.commit,
          head: (await r.git.head()) ?? '',
          git: r.git,
          tree: r.tree,
        })),
      )),
      ...plain.map((t) => ({
        name: t.info.repo,
        root: t.info.root,
        commit: '',
        head: '',
        git: null,
        tree: t,
      })),
    ];
    let resolver: Resolver;
    try {
      resolver = new Resolver(trees, { mappings: o.mappings });
    } catch (e) {
      ws.close();
      if (e instanceof MappingError) throw new LaunchError(LaunchErrors.mapping, e.message);
      throw e;
    }
    return new ReplaySources(resolver, sites, ws, notes, ws.repos[0]?.tree.info.ref ?? 'HEAD');
  }

  close(): void {
    this.workspace?.close();
  }

  /** Resolves frames of one stack (what one frame teaches about the build layout serves the others). */
  async place(frames: readonly Recorded[]): Promise<Place[]> {
    // Answers are kept per distinct location; a session with very many forgets them and resolves again.
    if (this.results.size > MAX_KEPT) this.results.clear();
    const format = formatOfStack(frames);
    const keys = frames.map((f) => recordedKey(f, format));
    // Each new location once, though a deep recursion repeats it thousands of times.
    const fresh = new Map<string, Recorded>();
    keys.forEach((k, i) => {
      if (!this.results.has(k)) fresh.set(k, frames[i]!);
    });
    if (fresh.size > 0) {
      const batch = this.resolveBatch([...fresh.values()], format);
      [...fresh.keys()].forEach((k, i) =>
        this.results.set(
          k,
          batch.then((r) => r[i]!),
        ),
      );
    }
    const results = await Promise.all(keys.map((k) => this.results.get(k)!));
    return results.map((r, i) => this.placeOf(r, frames[i]!));
  }

  private async resolveBatch(frames: readonly Recorded[], format: FormatId): Promise<FrameResult[]> {
    try {
      const results = await this.resolver.resolveFrames(frames.map(traceFrame), format);
      await checkLines(results, this.resolver.trees);
      return results;
    } catch (e) {
      const reason = `resolving failed: ${describe(e)}`;
      return frames.map(() => ({ resolved: null, unresolved: { reason } }));
    }
  }

  private placeOf(result: FrameResult, frame: Recorded): Place {
    const res = result.resolved;
    const site = res ? this.sites.get(res.repo) : undefined;
    if (!res || !site) {
      const reason = result.resolved === null ? result.unresolved.reason : `${res!.repo} is not open`;
      return { kind: 'unresolved', file: frame.file, line: frame.line, column: frame.column, reason };
    }
    const key = `${site.name}\0${res.path}`;
    const guess = res.confidence < CONFIDENT ? `a guess (confidence ${res.confidence})` : null;
    const note = [guess, res.reason].filter((x) => x).join(': ') || null;
    if (site.git === null || res.commit === site.head) {
      const file = path.join(site.root, ...res.path.split('/'));
      return { kind: 'file', key, path: file, line: res.line, column: res.column, note };
    }
    const origin = [`${res.ref} (${res.commit.slice(0, 8)})`, note].filter((x) => x).join('; ');
    return {
      kind: 'ref',
      key,
      reference: this.documentId(site, res.path),
      name: `${baseName(res.path)} @ ${res.ref}`,
      origin,
      line: res.line,
      column: res.column,
    };
  }

  private documentId(site: Site, file: string): number {
    const id = `${site.name}\0${file}`;
    let n = this.documentIds.get(id);
    if (n === undefined) {
      n = this.documents.push({ site, path: file });
      this.documentIds.set(id, n);
    }
    return n;
  }

  /** The DAP source of a place (none for a frame that records no file). */
  source(place: Place): DebugProtocol.Source | undefined {
    switch (place.kind) {
      case 'file':
        return {
          name: baseName(place.path),
          path: place.path,
          ...(place.note ? { origin: place.note } : {}),
        };
      case 'ref': {
        const [repo, file] = place.key.split('\0') as [string, string];
        return {
          name: place.name,
          sourceReference: place.reference,
          origin: place.origin,
          adapterData: { repo, path: file },
        };
      }
      case 'unresolved':
        if (place.file === null) return undefined;
        return {
          name: baseName(place.file),
          path: place.file,
          presentationHint: 'deemphasize',
          origin: `not resolved: ${place.reason}`,
        };
    }
  }

  /**
   * The text of a document served by `sourceReference`, through the tree's cache (which checking the
   * frames' lines has mostly filled already).
   */
  async content(reference: number): Promise<string> {
    const doc = this.documents[reference - 1];
    if (!doc) throw new Error(`no source with reference ${reference}`);
    const text = (await doc.site.tree.read([doc.path])).get(doc.path) ?? null;
    if (text === null) throw new Error(`${doc.path} is not a text file at ${doc.site.commit.slice(0, 8)}`);
    return text;
  }

  /**
   * The name a breakpoint's file goes by in the runtime: the path of a file on disk, or
   * `escalate-ref:repo/path` for a document at a ref (its `adapterData`, which the client keeps across
   * sessions). Null: not a file.
   */
  breakpointFile(source: DebugProtocol.Source): string | null {
    const data = source.adapterData as { repo?: unknown; path?: unknown } | undefined;
    if (typeof data?.repo === 'string' && typeof data.path === 'string')
      return `${REF_KEY}${data.repo}/${data.path}`;
    const doc = source.sourceReference ? this.documents[source.sourceReference - 1] : undefined;
    if (doc) return `${REF_KEY}${doc.site.name}/${doc.path}`;
    return source.path ?? null;
  }

  /** The site holding a file on disk, and the file's path in it. */
  private siteOf(file: string): { site: Site; rel: string } | null {
    if (!path.isAbsolute(file)) return null;
    for (const site of this.sites.values()) {
      const rel = path.relative(site.root, file);
      if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel))
        return { site, rel: rel.split(path.sep).join('/') };
    }
    return null;
  }

  /** The file key of a breakpoint's file name, when it is in one of the sites. */
  private requestedKey(requested: string): string | null {
    let key = this.requested.get(requested);
    if (key !== undefined) return key;
    key = null;
    if (requested.startsWith(REF_KEY)) {
      const rest = requested.slice(REF_KEY.length);
      const slash = rest.indexOf('/');
      if (slash > 0) key = `${rest.slice(0, slash)}\0${rest.slice(slash + 1)}`;
    } else {
      const at = this.siteOf(requested);
      if (at) key = `${at.site.name}\0${at.rel}`;
    }
    this.requested.set(requested, key);
    return key;
  }

  /**
   * The lines of the session's version that lines of a breakpoint file stand for: a working-tree file of a
   * repository resolved at another commit has its lines carried back across the diff (null: the line
   * changed).
   */
  async recordedLines(file: string, lines: number[]): Promise<(number | null)[]> {
    const at = this.siteOf(file);
    const git = at?.site.git;
    if (!at || !git || at.site.commit === at.site.head) return lines;
    let hunks;
    try {
      hunks = (await git.diffToWorkingTree(at.site.commit, at.rel)).hunks;
    } catch {
      // Not in the tree at that commit (added or renamed since): its lines are taken as they are.
      return lines;
    }
    const back = hunks.map((h) => ({
      oldStart: h.newStart,
      oldLines: h.newLines,
      newStart: h.oldStart,
      newLines: h.oldLines,
    }));
    return lines.map((l) => (Number.isInteger(l) && l >= 1 ? carryLine(back, l).line : l));
  }

  /**
   * Whether a recorded path names a breakpoint's file: by the resolver's answers where both are known, else
   * by path suffix. The runtime calls it synchronously, so answers come from `learn`, run beforehand.
   */
  readonly sameFile = (recorded: string, requested: string): boolean => {
    const have = this.recorded.get(recorded);
    const want = have ? this.requestedKey(requested) : null;
    return want !== null ? have === want : sameFileDefault(recorded, requested);
  };

  /** Resolves recorded paths not seen yet, for `sameFile`; returns how many it learnt. */
  async learn(files: readonly string[]): Promise<number> {
    const fresh = files.filter((f) => !this.recorded.has(f));
    const byFormat = new Map<FormatId, Recorded[]>();
    for (const file of fresh) {
      const format = formatOfFile(file) ?? 'cpp';
      const list = byFormat.get(format) ?? [];
      list.push({ function: null, file, line: null, column: null });
      byFormat.set(format, list);
    }
    for (const list of byFormat.values()) {
      const places = await this.place(list);
      places.forEach((p, i) => this.recorded.set(list[i]!.file!, p.kind === 'unresolved' ? null : p.key));
    }
    return fresh.length;
  }

  /** The place of a recorded path learnt by `learn` (for loaded sources). */
  async placeOfFile(file: string): Promise<Place> {
    const [p] = await this.place([{ function: null, file, line: null, column: null }]);
    return p!;
  }
}
