// The index of one repository's files at one ref: what the resolver looks paths up in. Built from the path
// list alone (no file contents), so indexing a 100,000-file tree costs about as much as listing it.

/** Reads files at the tree's ref; resolves to null for a path that is not there or not text. */
export type ReadAtRef = (paths: string[]) => Promise<Map<string, string | null>>;

/** A repository at a ref, as the resolver sees it. I/O comes in through `read`, so tests use in-memory trees. */
export interface SourceTreeInfo {
  /** The repository's name as shown to the user (its folder name). */
  repo: string;
  /** Absolute path of the work tree, for mappings that name a local folder. */
  root: string;
  /** The ref as the user reads it (`v5.5.1`, `release/5.5`, `HEAD`). */
  ref: string;
  /** Commit id of the ref. */
  commit: string;
  /** False when the ref is only an approximation of the customer's build (a release branch, HEAD). */
  exact: boolean;
  /** Why the ref is approximate, if it is. */
  refNote?: string;
}

/** Files whose text a tree keeps for reuse (answers of one trace read the same few files again and again). */
const TEXT_CACHE_FILES = 2000;

export class RepoTree {
  private readonly list: string[] = [];
  private readonly byBase = new Map<string, number | number[]>();
  private byBaseLower: Map<string, number[]> | null = null;
  private exact: Set<string> | null = null;
  private textCache = new Map<string, string | null>();

  constructor(
    readonly info: SourceTreeInfo,
    paths: readonly string[],
    private readonly reader: ReadAtRef,
  ) {
    this.add(paths);
  }

  /** Every file of the tree, in git's order. */
  get paths(): readonly string[] {
    return this.list;
  }

  /**
   * Adds files while the listing is still arriving (indexRepo feeds git's output chunk by chunk). Only during
   * construction: the lookups built on first use do not see later additions.
   */
  add(paths: readonly string[]): void {
    const byBase = this.byBase;
    const list = this.list;
    for (const p of paths) {
      const i = list.length;
      list.push(p);
      const base = p.slice(p.lastIndexOf('/') + 1);
      const had = byBase.get(base);
      // Most names are unique: keep a bare number until a second file shares the name.
      if (had === undefined) byBase.set(base, i);
      else if (typeof had === 'number') byBase.set(base, [had, i]);
      else had.push(i);
    }
  }

  /** Paths whose file name is `base` (exact case; `ignoreCase` for traces written on Windows). */
  withBase(base: string, ignoreCase = false): string[] {
    const hit = this.byBase.get(base);
    if (hit !== undefined)
      return typeof hit === 'number' ? [this.paths[hit]!] : hit.map((i) => this.paths[i]!);
    if (!ignoreCase) return [];
    if (this.byBaseLower === null) {
      this.byBaseLower = new Map();
      for (const [b, ids] of this.byBase) {
        const k = b.toLowerCase();
        const list = this.byBaseLower.get(k) ?? [];
        if (typeof ids === 'number') list.push(ids);
        else list.push(...ids);
        this.byBaseLower.set(k, list);
      }
    }
    return (this.byBaseLower.get(base.toLowerCase()) ?? []).map((i) => this.paths[i]!);
  }

  private tails: Map<string, number[]> | null = null;
  private tailsLower: Map<string, number[]> | null = null;

  /**
   * Paths ending in `dir/base` — the file and its folder's name. Far fewer share those two than the name alone
   * (`__init__.py`, `mod.rs`, `index.ts` repeat thousands of times in a monorepo), so suffix matching starts here.
   */
  withTail(dir: string, base: string, ignoreCase = false): string[] {
    if (this.tails === null) {
      this.tails = new Map();
      for (let i = 0; i < this.paths.length; i++) {
        const p = this.paths[i]!;
        const end = p.lastIndexOf('/');
        if (end < 0) continue;
        const key = p.slice(p.lastIndexOf('/', end - 1) + 1);
        const list = this.tails.get(key);
        if (list) list.push(i);
        else this.tails.set(key, [i]);
      }
    }
    const key = `${dir}/${base}`;
    let ids = this.tails.get(key);
    if (ids === undefined && ignoreCase) {
      if (this.tailsLower === null) {
        this.tailsLower = new Map();
        for (const [k, v] of this.tails) {
          const lk = k.toLowerCase();
          const list = this.tailsLower.get(lk);
          if (list) list.push(...v);
          else this.tailsLower.set(lk, [...v]);
        }
      }
      ids = this.tailsLower.get(key.toLowerCase());
    }
    return ids ? ids.map((i) => this.paths[i]!) : [];
  }

  has(path: string): boolean {
    if (this.exact === null) this.exact = new Set(this.paths);
    return this.exact.has(path);
  }

  /** Distinct file names, for fuzzy matching. */
  baseNames(): string[] {
    return [...this.byBase.keys()];
  }

  /** Files under `dir` (`a/b`, no trailing slash; '' for the whole tree), optionally only those ending in `ext`. */
  under(dir: string, exts?: readonly string[]): string[] {
    const prefix = dir === '' ? '' : dir + '/';
    return this.paths.filter((p) => p.startsWith(prefix) && (!exts || exts.some((e) => p.endsWith(e))));
  }

  /** Directories by their last name (`orders` → `src/main/java/com/acme/orders`, …), built on first use. */
  private dirsByName: Map<string, Map<string, number[]>> | null = null;

  private dirIndex(): Map<string, Map<string, number[]>> {
    if (this.dirsByName === null) {
      this.dirsByName = new Map();
      for (let i = 0; i < this.paths.length; i++) {
        const p = this.paths[i]!;
        const end = p.lastIndexOf('/');
        if (end < 0) continue;
        const dir = p.slice(0, end);
        const name = dir.slice(dir.lastIndexOf('/') + 1);
        let dirs = this.dirsByName.get(name);
        if (!dirs) this.dirsByName.set(name, (dirs = new Map<string, number[]>()));
        let files = dirs.get(dir);
        if (!files) dirs.set(dir, (files = []));
        files.push(i);
      }
    }
    return this.dirsByName;
  }

  /** Paths whose directory ends with `dirSuffix` (`com/acme/orders`), i.e. a package directory under any root. */
  inPackageDir(dirSuffix: string, exts: readonly string[]): string[] {
    const name = dirSuffix.slice(dirSuffix.lastIndexOf('/') + 1);
    const out: string[] = [];
    for (const [dir, files] of this.dirIndex().get(name) ?? []) {
      if (dir !== dirSuffix && !dir.endsWith('/' + dirSuffix)) continue;
      for (const i of files) {
        const p = this.paths[i]!;
        if (exts.some((e) => p.endsWith(e))) out.push(p);
      }
    }
    return out;
  }

  /** Text of files at the ref (cached, up to a bound), null for missing or binary files. */
  async read(paths: string[]): Promise<Map<string, string | null>> {
    const want = paths.filter((p) => !this.textCache.has(p));
    const out = new Map<string, string | null>();
    for (const p of paths) if (this.textCache.has(p)) out.set(p, this.textCache.get(p) ?? null);
    if (want.length > 0) {
      const got = await this.reader(want);
      // A declaration scan may read thousands of files: keep the cache from holding a whole monorepo.
      if (this.textCache.size + want.length > TEXT_CACHE_FILES) this.textCache.clear();
      for (const p of want) {
        const text = got.get(p) ?? null;
        out.set(p, text);
        this.textCache.set(p, text);
      }
    }
    return out;
  }
}
