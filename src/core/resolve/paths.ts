// Reads a path as a trace wrote it (build-machine absolute paths, Windows paths, bundler URLs, package caches)
// into repository-comparable segments, plus what the path says about where the code came from.

/** What a trace's file path says beyond its segments. */
export interface TracePath {
  /** The path as written. */
  raw: string;
  /** Segments after the scheme, drive and bundler prefixes were removed (`./` and empty segments dropped). */
  segments: string[];
  /** Written on Windows (backslashes or a drive letter): compare case-insensitively when exact case fails. */
  windows: boolean;
  /** The path was absolute or carried a scheme: its leading segments are the build machine's, not the repo's. */
  absolute: boolean;
  /** A Go module cache path: `…/pkg/mod/github.com/x/y@v1.2.3/rest`. */
  goModule?: { module: string; version: string; rest: string[] };
  /** A Cargo registry or git checkout path: the crate (or checkout) name and the path inside it. */
  rustCrate?: { name: string; rest: string[] };
  /** A Dart `package:name/…` URI: the package and the path under its `lib/`. */
  dartPackage?: { name: string; rest: string[] };
  /** Under `site-packages` / `dist-packages`: the segments from the package root on. */
  pythonPackage?: string[];
  /** Why no repository can hold this file (a runtime's own code, an eval, a generated name), if so. */
  notSource?: string;
}

const RUNTIME_PATHS: [RegExp, string][] = [
  [/^node:/, 'Node.js runtime code'],
  [/^internal\//, 'Node.js runtime code'],
  [/^<(?:frozen |string|stdin|console|ipython-input|anonymous|eval|unknown)/i, 'generated or runtime code'],
  [/^\[native code\]$/, 'native code'],
  [/^(?:dart:|org-dartlang-sdk:)/, 'the Dart SDK'],
  [/^(?:chrome|moz|resource|jar:file|chrome-extension|moz-extension|about):/, 'browser-internal code'],
  [/^\/rustc\/[0-9a-f]{7,40}\//, 'the Rust standard library'],
  [/^\/usr\/(?:src\/debug\/|include\/|lib\/gcc\/)/, 'system library source'],
  [/^(?:\/build\/glibc|\.\/(?:nptl|csu|signal|stdlib|string)\/)/, 'the C library'],
  [/^(?:Native Method|Unknown Source|unknown)$/, 'no source file named'],
];

/** Reads a module cache path's escaped module (`github.com/!azure/…` is `github.com/Azure/…`). */
function unescapeGoModule(s: string): string {
  return s.replace(/!([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function split(path: string): string[] {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      // A `..` above the path's start says nothing about the repository layout: drop it.
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      continue;
    }
    out.push(seg);
  }
  return out;
}

/** Removes a URL or bundler scheme; returns the path part and whether the path was rooted somewhere foreign. */
function stripScheme(p: string): { path: string; absolute: boolean } {
  let m: RegExpExecArray | null;
  // webpack:///./src/a.ts, webpack://my-app/./src/a.ts, webpack-internal:///./src/a.ts, (webpack)/buildin/…
  if ((m = /^webpack(?:-internal)?:\/\/(?:[^/]*)\//.exec(p)))
    return { path: p.slice(m[0].length), absolute: false };
  if (p.startsWith('(webpack)/')) return { path: 'node_modules/webpack/' + p.slice(10), absolute: false };
  // file:///C:/x, file:///home/x, file://host/share/x
  if ((m = /^file:\/\/(?:localhost)?(?=\/)/i.exec(p))) return { path: p.slice(m[0].length), absolute: true };
  // http://localhost:5173/src/app.ts?t=1 (vite dev server), https://cdn.example.com/assets/app.js
  if ((m = /^[a-z][a-z0-9+.-]{1,20}:\/\/[^/?#]*/i.exec(p))) {
    // A dev server serves the project root at `/`: the URL path is project-relative.
    const rest = p
      .slice(m[0].length)
      .replace(/[?#].*$/s, '')
      .replace(/^\/+/, '');
    return { path: rest, absolute: false };
  }
  // app:///src/x.js (React Native, Sentry), capacitor://localhost/…
  if ((m = /^[a-z][a-z0-9+.-]{1,20}:\/\//i.exec(p))) return { path: p.slice(m[0].length), absolute: false };
  return { path: p, absolute: false };
}

export function parseTracePath(raw: string): TracePath {
  const text = raw.trim();
  for (const [re, why] of RUNTIME_PATHS) {
    if (re.test(text)) return { raw, segments: [], windows: false, absolute: false, notSource: why };
  }
  const dart = /^package:([A-Za-z0-9_]+)\/(.*)$/.exec(text);
  if (dart) {
    const rest = split(dart[2]!);
    return {
      raw,
      segments: [dart[1]!, ...rest],
      windows: false,
      absolute: false,
      dartPackage: { name: dart[1]!, rest },
    };
  }
  const windows = text.includes('\\') || /^[A-Za-z]:[\\/]/.test(text);
  let p = text.replace(/\\/g, '/');
  const scheme = stripScheme(p);
  p = scheme.path;
  let absolute = scheme.absolute;
  // Vite serves files outside the root as /@fs/<absolute path>.
  if (/^\/?@fs\//.test(p)) {
    p = p.slice(p.indexOf('@fs/') + 3);
    absolute = true;
  }
  p = p.replace(/[?#](?:[a-z]=|v=|t=|import|worker|url|raw|inline).*$/is, '');
  if (/^\/?[A-Za-z]:\//.test(p)) {
    p = p.replace(/^\/?[A-Za-z]:/, '');
    absolute = true;
  } else if (p.startsWith('//')) {
    // UNC: //server/share/…
    p = p.replace(/^\/\/[^/]+\/[^/]+/, '');
    absolute = true;
  } else if (p.startsWith('/') || p.startsWith('~/')) absolute = true;
  if (p.startsWith('~/')) p = p.slice(2);
  const segments = split(p);
  const out: TracePath = { raw, segments, windows, absolute };

  const mod = segments.indexOf('mod');
  if (mod > 0 && segments[mod - 1] === 'pkg') {
    const at = segments.findIndex((s, i) => i > mod && s.includes('@'));
    if (at > mod) {
      const [last, version] = segments[at]!.split('@', 2) as [string, string];
      const module = unescapeGoModule([...segments.slice(mod + 1, at), last].join('/'));
      out.goModule = { module, version: version ?? '', rest: segments.slice(at + 1) };
    }
  }
  // CARGO_HOME is ~/.cargo by default, /usr/local/cargo in the rust images, /cargo in some CI images.
  let cargo = -1;
  segments.forEach((seg, i) => {
    if ((seg === '.cargo' || seg === 'cargo') && /^(?:registry|git)$/.test(segments[i + 1] ?? '')) cargo = i;
  });
  if (cargo >= 0) {
    const kind = segments[cargo + 1];
    if (kind === 'registry' && segments[cargo + 2] === 'src' && segments.length > cargo + 5) {
      out.rustCrate = { name: crateName(segments[cargo + 4]!), rest: segments.slice(cargo + 5) };
    } else if (kind === 'git' && segments[cargo + 2] === 'checkouts' && segments.length > cargo + 5) {
      const dir = segments[cargo + 3]!;
      const m = /^(.+)-[0-9a-f]{16}$/.exec(dir);
      out.rustCrate = { name: m ? m[1]! : dir, rest: segments.slice(cargo + 5) };
    }
  }
  const goroot = gorootAt(segments);
  if (goroot >= 0) out.notSource = 'the Go standard library';
  let site = -1;
  segments.forEach((s, i) => {
    if (s === 'site-packages' || s === 'dist-packages') site = i;
  });
  if (site >= 0 && site < segments.length - 1) out.pythonPackage = segments.slice(site + 1);
  return out;
}

/** Top-level packages of Go's standard library, as they appear under `$GOROOT/src` (or `src/pkg` before Go 1.4). */
const GO_STD = new Set(
  'archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors expvar flag fmt go hash html image index internal io iter log maps math mime net os path plugin reflect regexp runtime slices sort strconv strings sync syscall testing text time unicode unique unsafe weak'.split(
    ' ',
  ),
);

/** Index of `src` in a GOROOT path (`/usr/local/go/src/sync/…`, `C:/Go/src/pkg/net/…`), or -1. */
function gorootAt(segments: readonly string[]): number {
  for (let i = 1; i < segments.length - 2; i++) {
    if (segments[i] !== 'src' || !/^(?:go|goroot|go-?\d[\d.]*)$/i.test(segments[i - 1]!)) continue;
    const next = segments[i + 1] === 'pkg' ? segments[i + 2] : segments[i + 1];
    if (next !== undefined && GO_STD.has(next)) return i;
  }
  return -1;
}

/** `serde_json-1.0.108` → `serde_json`: the name is everything before the `-` that starts the version. */
function crateName(dir: string): string {
  for (let i = dir.indexOf('-'); i > 0; i = dir.indexOf('-', i + 1)) {
    if (/^\d+\.\d+\.\d+/.test(dir.slice(i + 1, i + 40))) return dir.slice(0, i);
  }
  return dir;
}

/** The file name of a segment list, or null. */
export function baseName(segments: readonly string[]): string | null {
  return segments.length > 0 ? segments[segments.length - 1]! : null;
}
