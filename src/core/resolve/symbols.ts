// Symbol lookup: where a frame has no usable path, its qualified name says where the code lives — a Java
// package and class, a .NET namespace and type, a Go import path, a Rust crate, a Dart or Python package.

import type { Frame, FormatId } from '../trace/model';
import type { TracePath } from './paths';
import type { RepoTree } from './tree';

/** A place a frame may be, before the resolver weighs it. */
export interface Candidate {
  tree: RepoTree;
  path: string;
  confidence: number;
  /** Why this place (shown with uncertain answers). */
  reason: string;
  /** A line found by reading the file (a method's declaration) when the trace gave none. */
  line?: number;
  /** Length of the path's tail the symbol accounts for (`com/acme/orders/OrderService.java`): the rest is the
   *  source root, which earlier frames of the trace may have shown. */
  suffixLen?: number;
}

/** Per-trace lookup state: what earlier frames taught about the layout (source roots, module maps). */
export interface SymbolContext {
  trees: readonly RepoTree[];
  /** `tree index → source roots` where earlier frames of the trace were found (`orders/src/main/java`). */
  roots: Map<RepoTree, Set<string>>;
}

const JVM_EXTS = ['.java', '.kt', '.scala', '.groovy', '.kts'];
const DOTNET_EXTS = ['.cs', '.vb', '.fs'];
/** How many files a declaration scan reads at most before it gives up (a 100k-file monorepo must stay fast). */
const SCAN_LIMIT = 4000;

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Prefers candidates under a source root an earlier frame of the same trace was found under. */
export function preferKnownRoots(hits: Candidate[], ctx: SymbolContext): Candidate[] {
  if (hits.length < 2) return hits;
  const known = hits.filter((h) => {
    const suffixLen = h.suffixLen ?? h.path.length - h.path.lastIndexOf('/') - 1;
    const root = h.path.slice(0, Math.max(0, h.path.length - suffixLen - 1));
    return ctx.roots.get(h.tree)?.has(root) ?? false;
  });
  return known.length > 0 ? known : hits;
}

export function rememberRoot(ctx: SymbolContext, tree: RepoTree, path: string, suffixLen: number): void {
  const root = path.slice(0, Math.max(0, path.length - suffixLen - 1));
  let set = ctx.roots.get(tree);
  if (!set) ctx.roots.set(tree, (set = new Set()));
  set.add(root);
}

// ---- JVM: Java, Kotlin, Scala, Groovy ----

export interface JvmSymbol {
  pkg: string;
  /** Outermost class's simple name (`OrderService` for `OrderService$Inner$1`). */
  outer: string;
  method: string;
  /** File names the class may live in, most likely first. */
  fileNames: string[];
}

export function jvmSymbol(frame: Frame): JvmSymbol | null {
  const fn = frame.function;
  if (!fn) return null;
  // kotlinx pseudo-frames and R8-style one-letter names carry no package.
  const dot = fn.lastIndexOf('.');
  if (dot <= 0) return null;
  const cls = fn.slice(0, dot);
  const method = fn.slice(dot + 1).replace(/^lambda\$(.+?)\$\d+$/, '$1');
  const outerQ = cls.split('$')[0]!;
  const pd = outerQ.lastIndexOf('.');
  const pkg = pd < 0 ? '' : outerQ.slice(0, pd);
  const outer = outerQ.slice(pd + 1);
  if (!/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(outer)) return null;
  const names: string[] = [];
  if (frame.file && /^[^/\\]+\.(?:java|kt|kts|scala|groovy)$/.test(frame.file)) names.push(frame.file);
  if (outer.endsWith('Kt') && outer.length > 2) names.push(outer.slice(0, -2) + '.kt');
  for (const e of JVM_EXTS) if (!names.includes(outer + e)) names.push(outer + e);
  return { pkg, outer, method, fileNames: names };
}

async function declaring(
  tree: RepoTree,
  paths: string[],
  test: (text: string) => number | null,
): Promise<{ path: string; line: number }[]> {
  const out: { path: string; line: number }[] = [];
  for (let i = 0; i < paths.length && i < SCAN_LIMIT; i += 200) {
    const batch = paths.slice(i, Math.min(i + 200, SCAN_LIMIT));
    const texts = await tree.read(batch);
    for (const p of batch) {
      const t = texts.get(p);
      if (!t) continue;
      const line = test(t);
      if (line !== null) out.push({ path: p, line });
    }
  }
  return out;
}

/** Lines longer than this (minified or generated code) are not searched for declarations. */
const MAX_DECL_LINE = 2000;

/**
 * 1-based line of the first line of `text` that `re` matches, or null. Patterns are anchored per line and run
 * one line at a time, on lines of bounded length: no pattern can backtrack across a whole file.
 */
export function lineOf(text: string, re: RegExp): number | null {
  let line = 0;
  for (let start = 0; start <= text.length;) {
    line++;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start <= MAX_DECL_LINE) {
      const l = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      if (re.test(l)) return line;
    }
    start = end + 1;
  }
  return null;
}

export async function jvmCandidates(frame: Frame, ctx: SymbolContext): Promise<Candidate[]> {
  const sym = jvmSymbol(frame);
  if (!sym) return [];
  const dir = sym.pkg.replace(/\./g, '/');
  const named = frame.file !== null && sym.fileNames[0] === frame.file;
  for (const name of sym.fileNames) {
    const suffix = dir ? `${dir}/${name}` : name;
    const hits: Candidate[] = [];
    for (const tree of ctx.trees) {
      for (const p of tree.withBase(name)) {
        if (p === suffix || p.endsWith('/' + suffix))
          hits.push({
            tree,
            path: p,
            confidence: named || name !== sym.fileNames[sym.fileNames.length - 1] ? 0.95 : 0.9,
            reason: `class ${sym.pkg ? sym.pkg + '.' : ''}${sym.outer} is in ${suffix}`,
          });
      }
    }
    if (hits.length > 0) return hits.map((h) => ({ ...h, suffixLen: suffix.length }));
  }

  // The class is not in a file of its own name: another file of its package declares it (several top-level
  // classes in one file, a class moved into a sibling file).
  const decl = new RegExp(
    `^[ \\t]*(?:(?:public|private|protected|internal|abstract|final|sealed|open|data|static|inline|value|enum|annotation|case|fun)\\s+)*(?:class|interface|enum|record|object|trait)\\s+${escapeRe(sym.outer)}\\b`,
  );
  const hits: Candidate[] = [];
  for (const tree of ctx.trees) {
    // No folder of the package (the JDK, a dependency) means nothing to scan: inPackageDir is then empty.
    const files = dir ? tree.inPackageDir(dir, JVM_EXTS) : [];
    for (const d of await declaring(tree, files, (t) => lineOf(t, decl))) {
      hits.push({
        tree,
        path: d.path,
        confidence: 0.85,
        reason: `no ${sym.fileNames[0]} in ${dir || 'the default package'}; ${sym.outer} is declared in ${d.path}`,
      });
    }
  }
  if (hits.length > 0) return hits;
  // Kotlin does not require the directory to follow the package: a file of that name declaring the package.
  const pkgDecl = new RegExp(`^[ \\t]*package[ \\t]+${escapeRe(sym.pkg)}[ \\t]*;?[ \\t]*$`);
  for (const tree of ctx.trees) {
    for (const name of sym.fileNames) {
      const files = tree.withBase(name);
      for (const d of await declaring(tree, files, (t) => (sym.pkg ? lineOf(t, pkgDecl) : null))) {
        hits.push({
          tree,
          path: d.path,
          confidence: 0.8,
          reason: `${d.path} declares package ${sym.pkg} outside its package directory`,
        });
      }
    }
  }
  return hits;
}

// ---- .NET ----

export interface DotnetSymbol {
  namespace: string;
  type: string;
  method: string;
}

export function dotnetSymbol(fn: string): DotnetSymbol | null {
  let s = fn;
  const paren = s.indexOf('(');
  if (paren >= 0) s = s.slice(0, paren);
  // Generic arguments written after the method: `Method[T]`.
  if (s.endsWith(']') && s.lastIndexOf('[') > 0) s = s.slice(0, s.lastIndexOf('['));
  let method: string;
  const stateMachine = s.lastIndexOf('>d__');
  const lambda = s.lastIndexOf('.<>c');
  const local = s.lastIndexOf('>g__');
  let m: RegExpExecArray | null;
  if (
    stateMachine > 0 &&
    /^\d+\.[A-Za-z]+$/.test(s.slice(stateMachine + 4)) &&
    s.lastIndexOf('.<', stateMachine) > 0
  ) {
    // Async state machines and iterators: `Type.<PlaceAsync>d__12.MoveNext`.
    const lt = s.lastIndexOf('.<', stateMachine);
    method = s.slice(lt + 2, stateMachine);
    s = s.slice(0, lt);
  } else if (
    lambda > 0 &&
    (m = /^<>c(?:__DisplayClass\w+)?\.<([^>]+)>[a-z]__[\w|]+$/.exec(s.slice(lambda + 1)))
  ) {
    // Lambdas and their closure classes: `Type.<>c__DisplayClass5_0.<Place>b__0`.
    method = m[1]!;
    s = s.slice(0, lambda);
  } else if (local > 0 && (m = /^(\w+)\|\w+$/.exec(s.slice(local + 4))) && s.lastIndexOf('.<', local) > 0) {
    // Local functions: `Type.<Place>g__Validate|5_0`.
    method = m[1]!;
    s = s.slice(0, s.lastIndexOf('.<', local));
  } else {
    const dot = s.lastIndexOf('.');
    if (dot <= 0) return null;
    method = s.slice(dot + 1);
    s = s.slice(0, dot);
  }
  // Nested types (`Outer+Inner`) live in the outer type's file; generic arity (`` `1 ``) is not in the name.
  s = s.split('+')[0]!.replace(/`\d+/g, '');
  const dot = s.lastIndexOf('.');
  const type = s.slice(dot + 1);
  if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(type)) return null;
  return { namespace: dot < 0 ? '' : s.slice(0, dot), type, method: method.replace(/`\d+$/, '') };
}

export async function dotnetCandidates(frame: Frame, ctx: SymbolContext): Promise<Candidate[]> {
  const sym = frame.function ? dotnetSymbol(frame.function) : null;
  if (!sym) return [];
  const typeDecl = new RegExp(
    `^[ \\t]*(?:\\[[^\\]]*\\][ \\t]*)*(?:(?:public|private|protected|internal|static|sealed|abstract|partial|readonly|unsafe|file|ref|new)\\s+)*(?:class|struct|record|interface|enum)\\s+${escapeRe(sym.type)}\\b`,
  );
  const nsDecl = sym.namespace
    ? new RegExp(`^[ \\t]*namespace[ \\t]+${escapeRe(sym.namespace)}[ \\t]*[;{]?[ \\t]*$`)
    : null;
  const methodDecl = new RegExp(`^[^;=]*\\b${escapeRe(sym.method)}\\s*(?:<[^>]*>)?\\s*\\(`);
  const test = (t: string): number | null => {
    const at = lineOf(t, typeDecl);
    if (at === null) return null;
    // Nested `namespace A { namespace B {` blocks: the declarations in order must spell the namespace.
    if (nsDecl && lineOf(t, nsDecl) === null && !nestedNamespaces(t).includes(sym.namespace)) return null;
    return at;
  };
  const found: { tree: RepoTree; path: string; line: number; method: number | null }[] = [];
  const collect = async (tree: RepoTree, files: string[]): Promise<void> => {
    for (const d of await declaring(tree, files, test)) {
      const text = (await tree.read([d.path])).get(d.path) ?? '';
      found.push({ tree, path: d.path, line: d.line, method: lineOf(text, methodDecl) });
    }
  };
  for (const tree of ctx.trees) {
    await collect(
      tree,
      DOTNET_EXTS.flatMap((e) => tree.withBase(sym.type + e)),
    );
  }
  // A library type (System.*, a NuGet package) is in no file of the workspace: not worth the declaration index.
  if (frame.inApp !== false && !found.some((f) => f.method !== null)) {
    // Not in a file of its own name, or another part of a partial class declares the method: the files that
    // declare a type of that name, from each tree's declaration index.
    for (const tree of ctx.trees) {
      const seen = new Set(found.filter((f) => f.tree === tree).map((f) => f.path));
      const files = ((await dotnetDeclarations(tree)).get(sym.type) ?? []).filter((p) => !seen.has(p));
      await collect(tree, files);
    }
  }
  // Partial classes: several files declare the type; the one declaring the method is the frame's.
  const withMethod = found.filter((f) => f.method !== null);
  const pick = withMethod.length > 0 ? withMethod : found;
  const full = `${sym.namespace ? sym.namespace + '.' : ''}${sym.type}`;
  return pick.map((f) => {
    const conventional = f.path.endsWith('/' + sym.type + '.cs') || f.path === sym.type + '.cs';
    return {
      tree: f.tree,
      path: f.path,
      confidence: f.method !== null ? (conventional ? 0.9 : 0.85) : 0.7,
      reason:
        f.method !== null
          ? `${full}.${sym.method} is declared in ${f.path}`
          : `${full} is declared in ${f.path}, but no ${sym.method} was found in it`,
      ...(f.method !== null ? { line: f.method } : {}),
    };
  });
}

/** Namespaces a file declares by nesting blocks (`namespace A.B {` … `namespace C {` gives `A.B.C` too). */
function nestedNamespaces(text: string): string[] {
  const out: string[] = [];
  let joined = '';
  for (const line of text.split('\n')) {
    const m = /^[ \t]*namespace[ \t]+([\w.]+)/.exec(line);
    if (!m) continue;
    joined = joined ? `${joined}.${m[1]}` : m[1]!;
    out.push(joined, m[1]!);
  }
  return out;
}

/** Declaration index of a tree's .NET sources: type name → files declaring it. Built once, on the first miss. */
const DECLARATIONS = new WeakMap<RepoTree, Promise<Map<string, string[]>>>();
/** How many .NET files the index reads at most (a bound on the first lookup in a huge monorepo). */
const DECLARATION_FILES = 20000;

function dotnetDeclarations(tree: RepoTree): Promise<Map<string, string[]>> {
  let index = DECLARATIONS.get(tree);
  if (!index) {
    index = (async () => {
      const map = new Map<string, string[]>();
      const files = tree.paths
        .filter((p) => DOTNET_EXTS.some((e) => p.endsWith(e)))
        .slice(0, DECLARATION_FILES);
      const decl =
        /^[ \t]*(?:\[[^\]]*\][ \t]*)*(?:(?:public|private|protected|internal|static|sealed|abstract|partial|readonly|unsafe|file|ref|new)[ \t]+)*(?:class|struct|record|interface|enum|module|type)[ \t]+(\w+)/;
      for (let i = 0; i < files.length; i += 500) {
        const batch = files.slice(i, i + 500);
        const texts = await tree.read(batch);
        for (const p of batch) {
          const t = texts.get(p);
          if (!t) continue;
          for (const line of t.split('\n')) {
            // A cheap filter first: most lines declare nothing; long ones are generated code.
            if (
              line.length > MAX_DECL_LINE ||
              !/\b(?:class|struct|record|interface|enum|module|type)\b/.test(line)
            )
              continue;
            const m = decl.exec(line);
            if (!m) continue;
            const list = map.get(m[1]!);
            if (!list) map.set(m[1]!, [p]);
            else if (list[list.length - 1] !== p) list.push(p);
          }
        }
      }
      return map;
    })();
    DECLARATIONS.set(tree, index);
  }
  return index;
}

// ---- Go ----

/** The import path of a Go function (`github.com/x/y/pkg.(*T).M` → `github.com/x/y/pkg`), or null for `main`. */
export function goImportPath(fn: string): string | null {
  const slash = fn.lastIndexOf('/');
  const dot = fn.indexOf('.', slash + 1);
  if (dot <= 0) return null;
  const p = fn.slice(0, dot);
  return p === 'main' ? null : p;
}

interface ModuleDir {
  tree: RepoTree;
  /** Directory of the manifest in the tree ('' at the root). */
  dir: string;
  /** Rust: the library root relative to `dir` (`[lib] path`, by default `src/lib.rs`). */
  lib?: string;
}

/** Go modules, Cargo crates and Dart packages of the trees, by name; read once per resolver. */
export class Manifests {
  private go: Map<string, ModuleDir[]> | null = null;
  private rust: Map<string, ModuleDir[]> | null = null;
  private dart: Map<string, ModuleDir[]> | null = null;
  constructor(private readonly trees: readonly RepoTree[]) {}

  private async load(
    file: string,
    nameOf: (text: string) => string | { name: string; lib: string } | null,
  ): Promise<Map<string, ModuleDir[]>> {
    const map = new Map<string, ModuleDir[]>();
    for (const tree of this.trees) {
      const paths = tree.withBase(file).slice(0, 2000);
      const texts = await tree.read(paths);
      for (const p of paths) {
        const got = nameOf(texts.get(p) ?? '');
        if (!got) continue;
        const [name, lib] = typeof got === 'string' ? [got, undefined] : [got.name, got.lib];
        const list = map.get(name) ?? [];
        list.push({ tree, dir: dirOf(p), ...(lib ? { lib } : {}) });
        map.set(name, list);
      }
    }
    return map;
  }

  async goModules(): Promise<Map<string, ModuleDir[]>> {
    return (this.go ??= await this.load('go.mod', (t) => {
      for (const line of t.split('\n')) {
        const m = /^module\s+"?([^\s"]+)/.exec(line.trim());
        if (m) return m[1]!;
      }
      return null;
    }));
  }
  async crates(): Promise<Map<string, ModuleDir[]>> {
    return (this.rust ??= await this.load('Cargo.toml', (t) => {
      let section = '';
      let name: string | null = null;
      let lib = 'src/lib.rs';
      for (const raw of t.split('\n')) {
        const line = raw.trim();
        if (line.startsWith('[')) section = line;
        const m = /^(name|path)\s*=\s*"([^"]+)"/.exec(line);
        if (m && section === '[package]' && m[1] === 'name') name = m[2]!.replace(/-/g, '_');
        if (m && section === '[lib]' && m[1] === 'path') lib = m[2]!.replace(/^\.\//, '');
      }
      return name ? { name, lib } : null;
    }));
  }
  async dartPackages(): Promise<Map<string, ModuleDir[]>> {
    return (this.dart ??= await this.load('pubspec.yaml', (t) => {
      for (const line of t.split('\n')) {
        const m = /^name:[ \t]*['"]?(\w+)/.exec(line);
        if (m) return m[1]!;
      }
      return null;
    }));
  }
}

function join(dir: string, rest: string): string {
  return dir ? `${dir}/${rest}` : rest;
}

function existing(
  mods: ModuleDir[] | undefined,
  rest: string,
  confidence: number,
  reason: string,
): Candidate[] {
  return (mods ?? [])
    .filter((m) => m.tree.has(join(m.dir, rest)))
    .map((m) => ({ tree: m.tree, path: join(m.dir, rest), confidence, reason }));
}

export async function goCandidates(frame: Frame, tp: TracePath | null, man: Manifests): Promise<Candidate[]> {
  const mods = await man.goModules();
  if (mods.size === 0) return [];
  // The module cache names the module and version outright.
  if (tp?.goModule) {
    const { module, rest } = tp.goModule;
    const hits = existing(mods.get(module), rest.join('/'), 0.95, `module ${module} is in the workspace`);
    if (hits.length > 0) return hits;
  }
  const base = tp && tp.segments.length > 0 ? tp.segments[tp.segments.length - 1]! : null;
  // A GOPATH or build path that spells a module path (`…/src/github.com/x/y/pkg/f.go`).
  if (tp && tp.segments.length > 1) {
    const joined = tp.segments.join('/');
    let best: Candidate[] = [];
    let bestLen = 0;
    for (const [module, dirs] of mods) {
      const at = joined.indexOf(module + '/');
      if (at < 0 || (at > 0 && joined[at - 1] !== '/') || module.length <= bestLen) continue;
      const rest = joined.slice(at + module.length + 1);
      const hits = existing(dirs, rest, 0.95, `the path names module ${module}`);
      if (hits.length > 0) {
        best = hits;
        bestLen = module.length;
      }
    }
    if (best.length > 0) return best;
  }
  const imp = frame.function ? goImportPath(frame.function) : null;
  if (imp && base) {
    let bestLen = -1;
    let out: Candidate[] = [];
    for (const [module, dirs] of mods) {
      if (imp !== module && !imp.startsWith(module + '/')) continue;
      if (module.length <= bestLen) continue;
      const sub = imp.slice(module.length + 1);
      const hits = existing(dirs, sub ? `${sub}/${base}` : base, 0.9, `package ${imp} of module ${module}`);
      if (hits.length > 0) {
        out = hits;
        bestLen = module.length;
      }
    }
    return out;
  }
  return [];
}

export async function rustCandidates(
  frame: Frame,
  tp: TracePath | null,
  man: Manifests,
): Promise<Candidate[]> {
  const crates = await man.crates();
  if (tp?.rustCrate) {
    const name = tp.rustCrate.name.replace(/-/g, '_');
    const rest = tp.rustCrate.rest.join('/');
    const hits = existing(crates.get(name), rest, 0.9, `crate ${tp.rustCrate.name} is in the workspace`);
    if (hits.length > 0) return hits;
    // A git checkout is named after the repository, which may hold the crate at its root.
    const out: Candidate[] = [];
    for (const list of crates.values()) {
      for (const m of list) {
        if (m.dir === '' && m.tree.info.repo.replace(/-/g, '_') === name && m.tree.has(rest))
          out.push({ tree: m.tree, path: rest, confidence: 0.85, reason: `checkout of repository ${name}` });
      }
    }
    if (out.length > 0) return out;
  }
  // A crate-qualified function without a usable path: `acme_orders::service::place` → src/service.rs.
  const parts = frame.function ? rustPath(frame.function) : [];
  if (parts.length >= 2 && (!tp || tp.segments.length === 0)) {
    const crate = parts[0]!;
    // Modules are the lower-case segments up to the first type (`GeckoElement`); the last segment of a path
    // without a type is the function itself.
    const firstType = parts.findIndex((p, i) => i > 0 && /^[A-Z]/.test(p));
    const mods = (firstType > 0 ? parts.slice(1, firstType) : parts.slice(1, -1)).filter((p) =>
      /^[a-z_][a-z0-9_]*$/.test(p),
    );
    const fnName = parts[parts.length - 1]!;
    const decl = new RegExp(
      `^[ \\t]*(?:pub(?:\\([^)]*\\))?[ \\t]+)?(?:(?:async|const|unsafe|extern)[ \\t]+)*fn[ \\t]+${escapeRe(fnName)}\\b`,
    );
    for (const m of crates.get(crate) ?? []) {
      const libDir = dirOf(m.lib ?? 'src/lib.rs');
      const root = m.dir ? (libDir ? `${m.dir}/${libDir}` : m.dir) : libDir;
      const tries = mods.length
        ? [`${mods.join('/')}.rs`, `${mods.join('/')}/mod.rs`]
        : [m.lib ?? 'src/lib.rs', 'src/main.rs'].map((f) => f.slice(libDir ? libDir.length + 1 : 0));
      for (const t of tries) {
        const path = root ? `${root}/${t}` : t;
        if (!m.tree.has(path)) continue;
        const text = (await m.tree.read([path])).get(path) ?? '';
        const line = lineOf(text, decl);
        return [
          {
            tree: m.tree,
            path,
            confidence: line !== null ? 0.8 : 0.6,
            reason: `module path ${crate}::${mods.join('::')}${line !== null ? ` declares fn ${fnName}` : `; no fn ${fnName} found in it`}`,
            ...(line !== null ? { line } : {}),
          },
        ];
      }
    }
  }
  return [];
}

/**
 * A Rust function's path as segments, generic arguments and closures removed:
 * `<style::gecko::wrapper::GeckoElement<'le> as selectors::Element>::match_pseudo` → style, gecko, wrapper,
 * GeckoElement, match_pseudo.
 */
export function rustPath(fn: string): string[] {
  let s = fn.replace(/::h[0-9a-f]{16}$/, '');
  // Drop generic arguments (balanced `<…>` after a name) and keep the `Type as Trait` qualified form's type.
  let out = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '<') {
      if (depth === 0 && (i === 0 || s[i - 1] === ':')) {
        // `<T as Trait>::` at the start or after `::`: keep T, skip ` as Trait>`.
        let d = 1;
        let j = i + 1;
        let inner = '';
        while (j < s.length && d > 0) {
          const cj = s[j]!;
          if (cj === '<') d++;
          else if (cj === '>') d--;
          if (d > 0) inner += cj;
          j++;
        }
        const as = inner.indexOf(' as ');
        out += rustPath(as >= 0 ? inner.slice(0, as) : inner).join('::');
        i = j - 1;
        continue;
      }
      depth++;
    } else if (c === '>' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  s = out;
  return s.split('::').filter((p) => p !== '' && !p.startsWith('{{') && !/^[&*\s]/.test(p));
}

export async function dartCandidates(tp: TracePath | null, man: Manifests): Promise<Candidate[]> {
  if (!tp?.dartPackage) return [];
  const pkgs = await man.dartPackages();
  const { name, rest } = tp.dartPackage;
  return existing(pkgs.get(name), `lib/${rest.join('/')}`, 0.95, `package:${name} is in the workspace`);
}

export function pythonModuleCandidates(frame: Frame, ctx: SymbolContext): Candidate[] {
  const mod = frame.module;
  if (!mod || !/^[A-Za-z_][\w.]*$/.test(mod)) return [];
  const rel = mod.replace(/\./g, '/');
  const out: Candidate[] = [];
  for (const suffix of [`${rel}.py`, `${rel}/__init__.py`]) {
    const base = suffix.slice(suffix.lastIndexOf('/') + 1);
    for (const tree of ctx.trees)
      for (const p of tree.withBase(base))
        if (p === suffix || p.endsWith('/' + suffix))
          out.push({ tree, path: p, confidence: 0.9, reason: `module ${mod} is ${suffix}` });
    if (out.length > 0) break;
  }
  return out;
}

export function erlangCandidates(frame: Frame, ctx: SymbolContext): Candidate[] {
  // Erlang writes `gen_server:try_dispatch/4`, Elixir `:gen_server.try_dispatch/4`; `module` is the application.
  const m = /^:?([a-z][\w@]*)[:.]/.exec(frame.function ?? '');
  if (!m) return [];
  const out: Candidate[] = [];
  for (const tree of ctx.trees)
    for (const p of tree.withBase(`${m[1]}.erl`))
      out.push({ tree, path: p, confidence: 0.8, reason: `module ${m[1]} is ${m[1]}.erl` });
  return out;
}

/** Which symbol lookups apply to a format. */
export function symbolFamily(
  format: FormatId,
): 'jvm' | 'dotnet' | 'go' | 'rust' | 'dart' | 'python' | 'erlang' | null {
  switch (format) {
    case 'java':
    case 'jstack':
      return 'jvm';
    case 'dotnet':
      return 'dotnet';
    case 'go':
      return 'go';
    case 'rust':
      return 'rust';
    case 'dart':
      return 'dart';
    case 'python':
      return 'python';
    case 'erlang':
    case 'elixir':
      return 'erlang';
    default:
      return null;
  }
}
