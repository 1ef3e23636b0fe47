// Frame → file and line in the repositories at the customer's ref, in the order DESIGN.md sets: explicit path
// mappings, longest path suffix (with the prefix learnt from one frame reused for the trace's others), symbol
// lookup, fuzzy name match. Every answer says how it was found and how sure it is; a guess never passes as certain.

import Fuse from 'fuse.js';
import { allFrames, type FormatId, type Frame, type TraceNode } from '../trace/model';
import { baseName, parseTracePath, type TracePath } from './paths';
import {
  Manifests,
  dartCandidates,
  dotnetCandidates,
  erlangCandidates,
  goCandidates,
  jvmCandidates,
  jvmSymbol,
  dotnetSymbol,
  lineOf,
  preferKnownRoots,
  pythonModuleCandidates,
  rememberRoot,
  rustCandidates,
  symbolFamily,
  type Candidate,
  type SymbolContext,
} from './symbols';
import type { RepoTree } from './tree';

export type Method = 'mapping' | 'suffix' | 'symbol' | 'fuzzy';

export interface Resolution {
  /** Repository name (folder name). */
  repo: string;
  /** Path in the repository at `ref`. */
  path: string;
  /** Ref as the user reads it, and its commit. */
  ref: string;
  commit: string;
  /** Line at the ref: the trace's own line, or a declaration's when the trace gave none (then `reason` says so). */
  line: number | null;
  column: number | null;
  method: Method;
  /** 0..1. At or above `CONFIDENT` the answer is shown as the place; below, as a possibility with its reason. */
  confidence: number;
  /** Why it is not certain, or how it was found when that is not obvious. */
  reason?: string;
}

export interface Unresolved {
  reason: string;
  /** Equally likely places when the answer was ambiguous. */
  candidates?: { repo: string; path: string }[];
}

export type FrameResult = { resolved: Resolution } | { resolved: null; unresolved: Unresolved };

/** At or above this an answer is taken without looking further (DESIGN.md: "the first confident answer"). */
export const CONFIDENT = 0.8;
/** Fuse.js score (0 = identical) above which a differently named file is not considered. */
const FUZZY_THRESHOLD = 0.3;

export interface PathMapping {
  /** Build-machine prefix as traces write it (`C:\agent\_work\3\s`, `/home/builder/rpmbuild/BUILD/app-5.5.1`). */
  from: string;
  /** Where that prefix is: a folder inside one of the repositories (absolute), or a repository-relative path. */
  to: string;
}

interface CompiledMapping {
  from: string[];
  windows: boolean;
  /** Null: applies to every tree with the relative prefix `dir`. */
  tree: RepoTree | null;
  dir: string;
  label: string;
}

export class MappingError extends Error {}

function trimSlashes(s: string): string {
  let end = s.length;
  while (end > 1 && s[end - 1] === '/') end--;
  return s.slice(0, end);
}

function eq(a: string, b: string, ignoreCase: boolean): boolean {
  return a === b || (ignoreCase && a.toLowerCase() === b.toLowerCase());
}

function startsWithSegments(
  segs: readonly string[],
  prefix: readonly string[],
  ignoreCase: boolean,
): boolean {
  if (prefix.length > segs.length) return false;
  for (let i = 0; i < prefix.length; i++) if (!eq(segs[i]!, prefix[i]!, ignoreCase)) return false;
  return true;
}

function joinPath(dir: string, rest: readonly string[]): string {
  return [dir, ...rest].filter((s) => s !== '').join('/');
}

/** Trailing segments that a tree path and a trace path share. */
function sharedSuffix(path: string, segs: readonly string[], ignoreCase: boolean): number {
  const p = path.split('/');
  let k = 0;
  while (k < p.length && k < segs.length && eq(p[p.length - 1 - k]!, segs[segs.length - 1 - k]!, ignoreCase))
    k++;
  return k;
}

interface SuffixHit {
  tree: RepoTree;
  path: string;
  /** Trailing segments the path shares with the trace's. */
  shared: number;
}

interface Learnt {
  /** The frame it was learnt from: that frame's own answer is its suffix match. */
  from: Frame;
  tracePrefix: string[];
  windows: boolean;
  tree: RepoTree;
  repoPrefix: string;
}

interface TraceContext extends SymbolContext {
  learnt: Learnt[];
}

export interface ResolverOptions {
  mappings?: readonly PathMapping[];
}

export class Resolver {
  private readonly mappings: CompiledMapping[];
  private readonly manifests: Manifests;
  private readonly fuse = new Map<RepoTree, Fuse<string>>();
  private readonly fuzzyMemo = new Map<string, { tree: RepoTree; path: string; score: number }[]>();

  constructor(
    readonly trees: readonly RepoTree[],
    opts: ResolverOptions = {},
  ) {
    this.manifests = new Manifests(trees);
    this.mappings = (opts.mappings ?? []).map((m) => this.compile(m));
  }

  private compile(m: PathMapping): CompiledMapping {
    const from = parseTracePath(m.from);
    if (from.segments.length === 0)
      throw new MappingError(`path mapping "${m.from}": the build prefix is empty`);
    const to = trimSlashes(m.to.replace(/\\/g, '/'));
    const label = `${m.from} → ${m.to}`;
    if (to.startsWith('/') || /^[A-Za-z]:\//.test(to)) {
      for (const tree of this.trees) {
        const root = trimSlashes(tree.info.root.replace(/\\/g, '/'));
        if (to === root || to.startsWith(root + '/')) {
          return { from: from.segments, windows: from.windows, tree, dir: to.slice(root.length + 1), label };
        }
      }
      throw new MappingError(`path mapping "${label}": ${m.to} is not inside any of the repositories`);
    }
    const dir = to
      .split('/')
      .filter((s) => s !== '' && s !== '.')
      .join('/');
    if (dir.split('/').includes('..'))
      throw new MappingError(`path mapping "${label}": the repository path may not contain ".."`);
    return { from: from.segments, windows: from.windows, tree: null, dir, label };
  }

  /** Resolves every frame of a trace, its causes, suppressed and related stacks; one context per trace. */
  async resolveTrace(trace: TraceNode, format: FormatId): Promise<Map<Frame, FrameResult>> {
    const frames = [...allFrames(trace)];
    const results = await this.resolveFrames(frames, format);
    return new Map(frames.map((f, i) => [f, results[i]!]));
  }

  /** Resolves frames of one trace: what one frame teaches about the layout is used for the others. */
  async resolveFrames(frames: readonly Frame[], format: FormatId): Promise<FrameResult[]> {
    const ctx: TraceContext = { trees: this.trees, roots: new Map(), learnt: [] };
    const paths = frames.map((f) => (f.file ? parseTracePath(f.file) : null));
    // Learn build prefixes first from frames whose path matches unambiguously on two segments or more.
    paths.forEach((tp, i) => {
      if (!tp || tp.notSource || tp.segments.length < 2) return;
      const best = this.suffixMatches(tp);
      if (best.hits.length === 1 && best.k >= 2) this.learn(ctx, frames[i]!, tp, best.hits[0]!);
    });
    const out: FrameResult[] = [];
    for (let i = 0; i < frames.length; i++)
      out.push(await this.resolveOne(frames[i]!, paths[i]!, format, ctx));
    return out;
  }

  private learn(ctx: TraceContext, from: Frame, tp: TracePath, hit: SuffixHit): void {
    const k = hit.shared;
    const tracePrefix = tp.segments.slice(0, tp.segments.length - k);
    const p = hit.path.split('/');
    const repoPrefix = p.slice(0, p.length - k).join('/');
    if (
      !ctx.learnt.some(
        (l) =>
          l.tree === hit.tree &&
          l.repoPrefix === repoPrefix &&
          l.tracePrefix.length === tracePrefix.length &&
          startsWithSegments(l.tracePrefix, tracePrefix, tp.windows),
      )
    )
      ctx.learnt.push({ from, tracePrefix, windows: tp.windows, tree: hit.tree, repoPrefix });
  }

  /**
   * Tree paths sharing the most trailing segments with the trace path. `k` is that count, plus one for a file at
   * a repository's root when the trace names the repository's folder just above it (`…/orders/config.js`) or when
   * a relative trace path is the whole repository path: such a file beats the same name deeper in the tree.
   */
  private readonly suffixMemo = new Map<string, { k: number; hits: SuffixHit[] }>();

  private suffixMatches(tp: TracePath): { k: number; hits: SuffixHit[] } {
    const key = `${tp.windows ? 'w' : ''}${tp.absolute ? 'a' : ''}:${tp.segments.join('/')}`;
    let got = this.suffixMemo.get(key);
    if (!got) {
      got = this.computeSuffixMatches(tp);
      if (this.suffixMemo.size > 100000) this.suffixMemo.clear();
      this.suffixMemo.set(key, got);
    }
    return got;
  }

  private computeSuffixMatches(tp: TracePath): { k: number; hits: SuffixHit[] } {
    const segs = tp.segments;
    const n = segs.length;
    const base = baseName(segs);
    let best = 0;
    let hits: SuffixHit[] = [];
    if (!base) return { k: 0, hits };
    const consider = (tree: RepoTree, p: string, shared: number): void => {
      const before = segs[n - shared - 1];
      const rooted =
        shared === p.split('/').length &&
        ((!tp.absolute && shared === n && n >= 2) ||
          (before !== undefined && eq(before, tree.info.repo, tp.windows)));
      const k = shared + (rooted ? 1 : 0);
      if (k > best) {
        best = k;
        hits = [{ tree, path: p, shared }];
      } else if (k === best && k > 0) hits.push({ tree, path: p, shared });
    };
    // Files that share the folder name too, when there are any: only they can match two segments or more.
    if (n >= 2) {
      for (const tree of this.trees) {
        for (const p of tree.withTail(segs[n - 2]!, base, tp.windows))
          consider(tree, p, sharedSuffix(p, segs, tp.windows));
      }
    }
    // Otherwise (or besides: a root-level file the repository's folder name makes a two-segment match) every
    // file of the name shares exactly one segment.
    for (const tree of this.trees) {
      if (best >= 2) {
        const root = tree.has(base) ? base : null;
        if (root !== null && segs[n - 2] !== undefined && eq(segs[n - 2]!, tree.info.repo, tp.windows))
          consider(tree, root, 1);
        continue;
      }
      for (const p of tree.withBase(base, tp.windows)) consider(tree, p, 1);
    }
    return { k: best, hits };
  }

  private answer(
    tree: RepoTree,
    path: string,
    frame: Frame,
    method: Method,
    confidence: number,
    reason?: string,
    line?: number,
  ): FrameResult {
    const reasons: string[] = [];
    if (reason) reasons.push(reason);
    let c = confidence;
    let l = frame.line;
    if (l === null && line !== undefined) {
      l = line;
      reasons.push(`the trace gives no line: line ${line} is the declaration`);
      c = Math.min(c, 0.75);
    }
    if (!tree.info.exact) {
      c = Math.min(c, 0.75);
      reasons.push(tree.info.refNote ?? `${tree.info.ref} is not the customer's exact build`);
    }
    return {
      resolved: {
        repo: tree.info.repo,
        path,
        ref: tree.info.ref,
        commit: tree.info.commit,
        line: l,
        column: frame.column,
        method,
        confidence: Math.round(c * 100) / 100,
        ...(reasons.length ? { reason: reasons.join('; ') } : {}),
      },
    };
  }

  private async resolveOne(
    frame: Frame,
    tp: TracePath | null,
    format: FormatId,
    ctx: TraceContext,
  ): Promise<FrameResult> {
    const why: string[] = [];
    if (tp?.notSource) return { resolved: null, unresolved: { reason: `${tp.raw} is ${tp.notSource}` } };
    // Node prints its own modules by bare name (`module.js:652`, `events.js:1`); the application's files always
    // carry a path.
    if (format === 'node' && tp && tp.segments.length === 1 && !/[/\\]/.test(tp.raw))
      return { resolved: null, unresolved: { reason: `${tp.raw} is a Node.js runtime module` } };

    // 1. Explicit mappings.
    if (tp && tp.segments.length > 0) {
      for (const m of this.mappings) {
        if (!startsWithSegments(tp.segments, m.from, m.windows || tp.windows)) continue;
        const rest = tp.segments.slice(m.from.length);
        const target = joinPath(m.dir, rest);
        for (const tree of m.tree ? [m.tree] : this.trees) {
          if (tree.has(target)) {
            rememberRoot(ctx, tree, target, rest.join('/').length);
            return this.answer(tree, target, frame, 'mapping', 1, undefined);
          }
        }
        why.push(`mapping ${m.label} gives ${target}, which is not in the tree at ${this.refs()}`);
      }
    }

    // 2. A build prefix learnt from another frame of this trace.
    if (tp && tp.segments.length > 1) {
      for (const l of ctx.learnt) {
        if (l.from === frame || !startsWithSegments(tp.segments, l.tracePrefix, l.windows || tp.windows))
          continue;
        const target = joinPath(l.repoPrefix, tp.segments.slice(l.tracePrefix.length));
        if (l.tree.has(target)) return this.answer(l.tree, target, frame, 'suffix', 0.95);
      }
    }

    // 3. Longest suffix of the path that is a path in the tree.
    let weak: FrameResult | null = null;
    let ambiguous: Unresolved | null = null;
    if (tp && tp.segments.length > 0) {
      const found = this.suffixMatches(tp);
      const k = found.k;
      // The result is shared by every frame naming the same path: never changed here.
      let hits: readonly SuffixHit[] = found.hits;
      // A package manager's copy (site-packages, the Go module cache, a Cargo checkout) only matches a repository
      // that holds the package itself: its path from the package root must match whole.
      const pkgRoot = tp.pythonPackage?.length ?? (tp.goModule || tp.rustCrate ? Infinity : 0);
      if (hits.length > 0 && hits[0]!.shared < pkgRoot) {
        why.push(`${tp.raw} is a dependency's copy, not found as that package in the workspace`);
        hits = [];
      }
      // A bare file name (`test.rb`) is relative to where the program ran: the repository's root, not anywhere.
      const bareAtRoot =
        k === 1 && tp.segments.length === 1 && !symbolFamily(format) && hits[0]?.path === tp.segments[0];
      if (hits.length === 1 && (k >= 2 || bareAtRoot)) {
        const hit = hits[0]!;
        const whole = hit.shared === tp.segments.length && !tp.absolute;
        const c = whole || k >= 3 ? 0.95 : k === 2 ? 0.9 : 0.85;
        rememberRoot(ctx, hit.tree, hit.path, tp.segments.slice(-hit.shared).join('/').length);
        return this.answer(hit.tree, hit.path, frame, 'suffix', c);
      }
      if (hits.length === 1) {
        weak = this.answer(
          hits[0]!.tree,
          hits[0]!.path,
          frame,
          'suffix',
          0.55,
          `only the file name ${baseName(tp.segments)} matched; the folders differ`,
        );
      } else if (hits.length > 1) {
        ambiguous = {
          reason: `${hits.length} files match ${tp.segments.slice(-hits[0]!.shared).join('/')} equally`,
          candidates: hits.slice(0, 20).map((h) => ({ repo: h.tree.info.repo, path: h.path })),
        };
      } else if (why.length === 0) {
        why.push(`no file named ${baseName(tp.segments)} at ${this.refs()}`);
      }
    }

    // 4. Symbol lookup.
    const symbolic = await this.symbolCandidates(frame, tp, format, ctx);
    if (symbolic.length === 1) {
      const s = symbolic[0]!;
      if (s.confidence >= CONFIDENT || !weak) {
        rememberRoot(ctx, s.tree, s.path, s.suffixLen ?? s.path.length - s.path.lastIndexOf('/') - 1);
        return this.answer(s.tree, s.path, frame, 'symbol', s.confidence, s.reason, s.line);
      }
    } else if (symbolic.length > 1) {
      ambiguous = {
        reason: `${symbolic.length} files match ${frame.function ?? baseName(tp?.segments ?? []) ?? 'the frame'} equally`,
        candidates: symbolic.slice(0, 20).map((h) => ({ repo: h.tree.info.repo, path: h.path })),
      };
    }
    if (weak) return weak;
    if (ambiguous) return { resolved: null, unresolved: ambiguous };

    // 5. Fuzzy name match, verified against the file's text.
    const fuzzy = await this.fuzzy(frame, tp, format);
    if (fuzzy) return fuzzy.result;
    if (fuzzy === null && tp === null && !frame.function) why.push('the frame names no file and no function');
    else if (tp === null) why.push(`no file or symbol for ${frame.function ?? 'the frame'} found`);
    return { resolved: null, unresolved: { reason: why.join('; ') || 'no match' } };
  }

  private refs(): string {
    const refs = [...new Set(this.trees.map((t) => t.info.ref))];
    return refs.join(', ');
  }

  /** Symbol answers depend only on the frame's names, so each distinct one is looked up once per resolver. */
  private readonly symbolMemo = new Map<string, Promise<Candidate[]>>();

  private async symbolCandidates(
    frame: Frame,
    tp: TracePath | null,
    format: FormatId,
    ctx: TraceContext,
  ): Promise<Candidate[]> {
    const key = `${symbolFamily(format)}\0${frame.function}\0${frame.file}\0${frame.module}\0${frame.inApp}`;
    let hits = this.symbolMemo.get(key);
    if (!hits) {
      hits = this.lookupSymbol(frame, tp, format, ctx);
      if (this.symbolMemo.size > 50000) this.symbolMemo.clear();
      this.symbolMemo.set(key, hits);
    }
    return preferKnownRoots(await hits, ctx);
  }

  private lookupSymbol(
    frame: Frame,
    tp: TracePath | null,
    format: FormatId,
    ctx: SymbolContext,
  ): Promise<Candidate[]> {
    switch (symbolFamily(format)) {
      case 'jvm':
        return jvmCandidates(frame, ctx);
      case 'dotnet':
        return dotnetCandidates(frame, ctx);
      case 'go':
        return goCandidates(frame, tp, this.manifests);
      case 'rust':
        return rustCandidates(frame, tp, this.manifests);
      case 'dart':
        return dartCandidates(tp, this.manifests);
      case 'python':
        return Promise.resolve(pythonModuleCandidates(frame, ctx));
      case 'erlang':
        return Promise.resolve(erlangCandidates(frame, ctx));
      default:
        return Promise.resolve([]);
    }
  }

  private fuseFor(tree: RepoTree): Fuse<string> {
    let f = this.fuse.get(tree);
    if (!f) {
      f = new Fuse(tree.baseNames(), {
        includeScore: true,
        threshold: FUZZY_THRESHOLD,
        ignoreLocation: true,
      });
      this.fuse.set(tree, f);
    }
    return f;
  }

  /** The short name a file must mention for a fuzzy candidate to count (method or function name). */
  private shortName(frame: Frame, format: FormatId): string | null {
    const fn = frame.function;
    if (!fn) return null;
    if (symbolFamily(format) === 'jvm') return jvmSymbol(frame)?.method ?? null;
    if (format === 'dotnet') return dotnetSymbol(fn)?.method ?? null;
    const paren = fn.indexOf('(');
    const words = (paren < 0 ? fn : fn.slice(0, paren)).split(/[^\p{L}\p{N}_$]+/u).filter((w) => w !== '');
    return words.length > 0 ? words[words.length - 1]! : null;
  }

  private async fuzzy(
    frame: Frame,
    tp: TracePath | null,
    format: FormatId,
  ): Promise<{ result: FrameResult } | null> {
    const base =
      tp && tp.segments.length > 0
        ? baseName(tp.segments)!
        : symbolFamily(format) === 'jvm'
          ? (jvmSymbol(frame)?.fileNames[0] ?? null)
          : null;
    const name = this.shortName(frame, format);
    // A library frame with no file of its name in the workspace is a dependency, not a renamed file.
    if (frame.inApp === false) return null;
    if (!base || !name || name.length < 3 || /^(?:<|lambda|anonymous|invoke|run|call|apply|main)/i.test(name))
      return null;
    const ext = base.includes('.') ? base.slice(base.lastIndexOf('.')) : '';
    let found = this.fuzzyMemo.get(base);
    if (!found) {
      found = [];
      for (const tree of this.trees) {
        for (const r of this.fuseFor(tree).search(base, { limit: 5 })) {
          if (r.item === base || (ext && !r.item.endsWith(ext))) continue;
          for (const p of tree.withBase(r.item).slice(0, 10))
            found.push({ tree, path: p, score: r.score ?? 1 });
        }
      }
      if (this.fuzzyMemo.size > 50000) this.fuzzyMemo.clear();
      this.fuzzyMemo.set(base, found);
    }
    if (found.length === 0) return null;
    const word = new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\$]/g, '\\$&')}\\b`);
    const verified: { tree: RepoTree; path: string; score: number; line: number | null }[] = [];
    for (const f of found) {
      const text = (await f.tree.read([f.path])).get(f.path);
      if (text && word.test(text)) verified.push({ ...f, line: lineOf(text, word) });
    }
    if (verified.length !== 1) {
      const names = [...new Set(found.map((f) => f.path))].slice(0, 5);
      return {
        result: {
          resolved: null,
          unresolved: {
            reason:
              verified.length === 0
                ? `no file named ${base}; similar names (${names.join(', ')}) do not mention ${name}`
                : `no file named ${base}; ${verified.length} similarly named files mention ${name}`,
            candidates: (verified.length ? verified : found)
              .slice(0, 20)
              .map((h) => ({ repo: h.tree.info.repo, path: h.path })),
          },
        },
      };
    }
    const v = verified[0]!;
    return {
      result: this.answer(
        v.tree,
        v.path,
        frame,
        'fuzzy',
        Math.max(0.2, 0.5 - v.score),
        `no file named ${base} at ${v.tree.info.ref}; ${v.path} has a similar name and mentions ${name} — a guess`,
      ),
    };
  }
}
