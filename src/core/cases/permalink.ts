// Links to lines of a file at a commit on the repository's web host, built from a remote URL (ssh, scp-like or
// https) for GitHub, GitLab, Bitbucket and Azure DevOps. Unknown hosts give no link; credentials in a remote
// URL never reach the link, which is rebuilt from the host and the repository's path alone.

import { validatePath } from '../git/validate';

export type HostKind = 'github' | 'gitlab' | 'bitbucket' | 'azure';

export interface WebRemote {
  kind: HostKind;
  /** `https://host[:port]`. */
  origin: string;
  /** Decoded path segments: owner and repository (GitLab: groups…, repository; Azure: org?, project, repo). */
  segments: string[];
}

const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function kindOf(host: string, hosts: Readonly<Record<string, HostKind>>): HostKind | null {
  const h = host.toLowerCase();
  const known = hosts[h];
  if (known) return known;
  if (h === 'github.com' || h === 'ssh.github.com' || h.startsWith('github.')) return 'github';
  if (h === 'gitlab.com' || h.startsWith('gitlab.')) return 'gitlab';
  if (h === 'bitbucket.org') return 'bitbucket';
  if (h === 'dev.azure.com' || h === 'ssh.dev.azure.com' || h.endsWith('.visualstudio.com')) return 'azure';
  return null;
}

/** Host, port and path of a remote URL in any form git takes; null for local paths and file URLs. */
function split(url: string): { scheme: string; host: string; port: string; path: string } | null {
  const u = url.trim();
  if (!u.includes('://')) {
    // scp-like `[user@]host:path`: a colon before any slash.
    const colon = u.indexOf(':');
    const slash = u.indexOf('/');
    if (colon <= 0 || (slash >= 0 && slash < colon)) return null;
    const host = u.slice(u.lastIndexOf('@', colon) + 1, colon);
    return { scheme: 'ssh', host, port: '', path: u.slice(colon + 1) };
  }
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    return null;
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!['https', 'http', 'ssh', 'git', 'git+ssh', 'ssh+git'].includes(scheme) || parsed.hostname === '')
    return null;
  return { scheme, host: parsed.hostname, port: parsed.port, path: parsed.pathname };
}

function decodeSegments(p: string): string[] | null {
  const parts = p.split('/').filter((s) => s !== '');
  const last = parts.length - 1;
  if (last >= 0 && parts[last]!.endsWith('.git')) parts[last] = parts[last]!.slice(0, -4);
  try {
    const out = parts.map((s) => decodeURIComponent(s));
    return out.some((s) => s === '' || s === '.' || s === '..') ? null : out;
  } catch {
    return null;
  }
}

/** Azure DevOps: org, project and repository, from any of its https and ssh forms. */
function azureSegments(host: string, segs: string[]): string[] | null {
  const h = host.toLowerCase();
  if (segs[0] === 'v3') return segs.length === 4 ? segs.slice(1) : null;
  const git = segs.indexOf('_git');
  if (git < 1 || git !== segs.length - 2) return null;
  const before = segs.slice(0, git).filter((s) => s !== 'DefaultCollection');
  const repo = segs[git + 1]!;
  if (h.endsWith('.visualstudio.com')) {
    const org = h.slice(0, h.indexOf('.'));
    return before.length === 1 ? [org, before[0]!, repo] : null;
  }
  return before.length === 2 ? [before[0]!, before[1]!, repo] : null;
}

/** The web host of a remote URL, or null when the host is not one this module knows (see `hosts`). */
export function webRemote(url: string, hosts: Readonly<Record<string, HostKind>> = {}): WebRemote | null {
  const s = split(url);
  if (!s) return null;
  const kind = kindOf(s.host, hosts);
  const segs = kind ? decodeSegments(s.path) : null;
  if (!kind || !segs) return null;
  const web = s.scheme === 'http' || s.scheme === 'https';
  const port = web && s.port ? `:${s.port}` : '';
  if (kind === 'azure') {
    const az = azureSegments(s.host, segs);
    if (!az) return null;
    const vs = s.host.toLowerCase().endsWith('.visualstudio.com') && !s.host.startsWith('vs-ssh.');
    return { kind, origin: vs ? `https://${s.host.toLowerCase()}` : 'https://dev.azure.com', segments: az };
  }
  if ((kind === 'github' || kind === 'bitbucket') && segs.length !== 2) return null;
  if (kind === 'gitlab' && segs.length < 2) return null;
  const host = s.host.toLowerCase() === 'ssh.github.com' ? 'github.com' : s.host.toLowerCase();
  const scheme = s.scheme === 'http' ? 'http' : 'https';
  return { kind, origin: `${scheme}://${host}${port}`, segments: segs };
}

function enc(segments: readonly string[]): string {
  return segments.map(encodeURIComponent).join('/');
}

export interface LineRange {
  startLine: number;
  endLine?: number;
}

function lineLink(r: WebRemote, commit: string, file: string, start: number, end: number): string {
  const one = start === end;
  switch (r.kind) {
    case 'github':
      return `${r.origin}/${enc(r.segments)}/blob/${commit}/${enc(file.split('/'))}#L${start}${one ? '' : `-L${end}`}`;
    case 'gitlab':
      return `${r.origin}/${enc(r.segments)}/-/blob/${commit}/${enc(file.split('/'))}#L${start}${one ? '' : `-${end}`}`;
    case 'bitbucket':
      return `${r.origin}/${enc(r.segments)}/src/${commit}/${enc(file.split('/'))}#lines-${start}${one ? '' : `:${end}`}`;
    case 'azure': {
      const [org, project, repo] = r.segments as [string, string, string];
      const base = r.origin === 'https://dev.azure.com' ? `${r.origin}/${enc([org])}` : r.origin;
      const query = [
        `path=${encodeURIComponent(`/${file}`)}`,
        `version=GC${commit}`,
        `line=${start}`,
        `lineEnd=${end + 1}`,
        'lineStartColumn=1',
        'lineEndColumn=1',
        'lineStyle=plain',
        '_a=contents',
      ].join('&');
      return `${base}/${enc([project])}/_git/${enc([repo])}?${query}`;
    }
  }
}

/**
 * A link to lines `startLine..endLine` of `file` at `commit` (a full id: a link must not move), or null when the
 * host is unknown or an argument is not safe to put in a link.
 */
export function permalink(
  remoteUrl: string,
  commit: string,
  file: string,
  lines: LineRange,
  hosts: Readonly<Record<string, HostKind>> = {},
): string | null {
  const end = lines.endLine ?? lines.startLine;
  if (!FULL_COMMIT.test(commit) || !Number.isInteger(lines.startLine) || !Number.isInteger(end)) return null;
  if (lines.startLine < 1 || end < lines.startLine) return null;
  try {
    validatePath(file);
  } catch {
    return null;
  }
  const r = webRemote(remoteUrl, hosts);
  return r ? lineLink(r, commit, file.replace(/\\/g, '/'), lines.startLine, end) : null;
}
