// Runs the integration tier: the mocha suite in test/integration/suite/ inside a real VS Code (code-server,
// driven by Chromium), against the built extension in dist/ and a workspace with a real git repository.
// `npm test` builds first; this bundles only the suite. Exit code: the suite's (0 passed, 1 failed).

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import * as esbuild from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { body, TempRepo } from '../unit/resolve/fixture';
import { makeBenchWorkspace } from './benchWorkspace';
import { CHROMIUM, QUIET_SETTINGS, ensureHost, type Host } from './host';
import { INFO_ENV, REPORT_MARK, type IntegrationInfo } from './suite/info';

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, 'out', 'integration');
/** The deadline for everything after the host install: server, browser, suite and all. */
const TIMEOUT_MS =
  Number(process.env.ESCALATE_IT_TIMEOUT_MS) > 0 ? Number(process.env.ESCALATE_IT_TIMEOUT_MS) : 5 * 60_000;
const VERBOSE = process.env.ESCALATE_IT_VERBOSE === '1';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Corpus traces copied into the workspace, as an engineer saves a customer's logs next to the code. */
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus');
const CORPUS_DIRS = ['java-exception', 'python', 'go', 'nodejs'];

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/**
 * Clean-up steps, run last-in first-out, each bounded in time. `run` starts them once; a signal arriving while a
 * failed run cleans up waits for the same clean-up. A step added after that (a phase still under way when the
 * deadline passed) runs at once, and `ensureRunning` stops such a phase before it starts anything new.
 */
class Cleanup {
  private readonly steps: { what: string; fn: () => Promise<void> | void }[] = [];
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  add(what: string, fn: () => Promise<void> | void): void {
    this.steps.push({ what, fn });
    if (this.stopped) this.chain = this.chain.then(() => this.drain());
  }

  ensureRunning(): void {
    if (this.stopped) throw new Error('stopped');
  }

  run(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.chain = this.chain.then(() => this.drain());
    }
    return this.chain;
  }

  private async drain(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await bounded(Promise.resolve(step.fn()), 10_000, step.what);
      } catch (e) {
        log(`cleanup: ${step.what}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}

function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not finished within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** Bundles the suite (entry and every *.test.ts) to out/integration/, `vscode` left to the extension host. */
/**
 * What one run of the tier does: which tests it loads, whether the workspace is trusted, and the workspace the
 * tests need. `editor` is the suite `npm test` runs first; `restricted` runs its own tests in a workspace that
 * is not trusted (VS Code's restricted mode); `bench` measures the editor (npm run bench -- editor).
 */
interface Profile {
  name: string;
  /** Folder of the profile's `*.test.ts`, under test/integration. */
  tests: string;
  trusted: boolean;
  workspace(parent: string): IntegrationInfo;
}

const PROFILES: Record<string, Profile> = {
  editor: { name: 'editor', tests: 'suite', trusted: true, workspace: makeWorkspace },
  restricted: { name: 'restricted', tests: 'restricted', trusted: false, workspace: makeWorkspace },
  bench: { name: 'bench', tests: 'bench', trusted: true, workspace: makeBenchWorkspace },
};

/** Bundles the runner module (suite/index.ts) and the profile's tests into one folder. */
async function bundleSuite(profile: Profile): Promise<string> {
  const dir = path.join(__dirname, profile.tests);
  const entryPoints: Record<string, string> = { index: path.join(__dirname, 'suite', 'index.ts') };
  for (const f of fs.readdirSync(dir, { encoding: 'utf8' }).filter((n) => n.endsWith('.test.ts')))
    entryPoints[f.replace(/\.ts$/, '')] = path.join(dir, f);
  const out = path.join(OUT, profile.name);
  fs.rmSync(out, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    sourcesContent: false,
    external: ['vscode'],
    logLevel: 'error',
  });
  return path.join(out, 'index.js');
}

/**
 * The folder VS Code opens: a git repository with two tagged versions of a small Java service, a customer's
 * trace from its 1.0.0 (whose frame lines moved in 1.1.0), and the corpus traces, neither tracked, under
 * traces/. Returns what the suite may rely on.
 */
function makeWorkspace(parent: string): IntegrationInfo {
  const repo = new TempRepo('orders-service', parent);
  const SERVICE = 'src/main/java/com/acme/orders/OrderService.java';
  const service = (guard: string[]): string =>
    [
      'package com.acme.orders;',
      '',
      'public class OrderService {',
      '    public Order place(Cart cart) {',
      ...guard,
      '        return repository.save(Order.from(cart.items()));',
      '    }',
      '}',
      '',
    ].join('\n');
  repo
    .write({
      'README.md': '# orders-service\n',
      [SERVICE]: service([]),
      'src/main/java/com/acme/orders/OrderController.java': body(
        ['package com.acme.orders;', '', 'public class OrderController {'],
        12,
      ).replace('    // line 12', '        return service.place(cart);'),
      'src/main/java/com/acme/orders/Order.java':
        'package com.acme.orders;\n\npublic record Order(long id) {}\n',
    })
    .commit('orders-service 1.0.0');
  repo.tag('v1.0.0', true);
  repo
    .write({
      [SERVICE]: service(['        if (cart == null) throw new IllegalArgumentException("no cart");']),
      'src/main/java/com/acme/orders/Cart.java': 'package com.acme.orders;\n\npublic class Cart {}\n',
    })
    .commit('orders-service 1.1.0: reject a missing cart');
  repo.tag('v1.1.0', true);
  // After the last release: the controller's line 12 (the trace's second frame) itself changes.
  const controller = 'src/main/java/com/acme/orders/OrderController.java';
  repo
    .write({
      [controller]: fs
        .readFileSync(path.join(repo.dir, controller), 'utf8')
        .replace('return service.place(cart);', 'return service.place(Objects.requireNonNull(cart));'),
    })
    .commit('Controller: fail fast on a missing cart');
  fs.appendFileSync(path.join(repo.dir, '.git', 'info', 'exclude'), 'traces/\n');

  // Line 5 of OrderService.java is the `return` at v1.0.0 and the new guard at v1.1.0 (HEAD).
  const customer = 'traces/orders-service-1.0.0.log';
  repo.write({
    [customer]: [
      '2026-01-02 10:15:00.123 ERROR [http-nio-8080-exec-3] c.a.o.OrderController : order failed',
      'java.lang.NullPointerException: Cannot invoke "com.acme.orders.Cart.items()" because "cart" is null',
      '\tat com.acme.orders.OrderService.place(OrderService.java:5)',
      '\tat com.acme.orders.OrderController.post(OrderController.java:12)',
      '\tat java.base/java.lang.Thread.run(Thread.java:833)',
      '',
    ].join('\n'),
  });
  const traces = [customer];
  for (const dir of CORPUS_DIRS) {
    for (const f of fs.readdirSync(path.join(CORPUS, dir)).filter((n) => n.endsWith('.txt'))) {
      fs.mkdirSync(path.join(repo.dir, 'traces', dir), { recursive: true });
      fs.copyFileSync(path.join(CORPUS, dir, f), path.join(repo.dir, 'traces', dir, f));
      traces.push(`traces/${dir}/${f}`);
    }
  }
  return {
    workspace: repo.dir,
    tags: ['v1.0.0', 'v1.1.0'],
    head: repo.git('rev-parse', 'HEAD').trim(),
    traces: traces.sort(),
    customerTrace: { path: customer, version: 'v1.0.0', file: SERVICE, line: 5 },
  };
}

const RUN_PREFIX = 'escalate-it-';

/**
 * Stops what earlier runs left behind when they were killed outright (SIGKILL, a cancelled CI job): their
 * server's process group and their temp folder. Each run records its pid and its server's in run.json; a
 * server is killed only if its command line still names that run's folder (pids get reused).
 */
function reapAbandonedRuns(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(RUN_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    let run: { runner?: number; server?: number };
    try {
      run = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')) as typeof run;
    } catch {
      continue; // not started far enough to say, or not ours
    }
    if (run.runner !== undefined && alive(run.runner)) continue;
    if (run.server !== undefined && alive(run.server)) {
      let cmdline = '';
      try {
        cmdline = fs.readFileSync(`/proc/${run.server}/cmdline`, 'utf8');
      } catch {
        // gone meanwhile
      }
      if (cmdline.includes(dir)) {
        try {
          process.kill(-run.server, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    log(`removed ${dir}, left by an earlier run that was killed`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/**
 * The environment for the server: without an outer npm's, node's or VS Code's variables (VSCODE_IPC_HOOK_CLI
 * makes code-server hand the folder to the VS Code the runner was started from instead of starting).
 */
function serverEnv(host: Host, infoFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(host.env)) {
    if (!/^(npm_|VSCODE_|ELECTRON_)/i.test(k) && !['NODE', 'INIT_CWD', 'NODE_OPTIONS'].includes(k))
      env[k] = v;
  }
  env[INFO_ENV] = infoFile;
  // The server, extension host and git extension put their IPC sockets in the temp folder; a private one goes
  // away with the run instead of collecting in /tmp.
  env.TMPDIR = path.join(path.dirname(infoFile), 'tmp');
  fs.mkdirSync(env.TMPDIR, { recursive: true });
  return env;
}

interface Server {
  child: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

async function startServer(
  host: Host,
  tmp: string,
  infoFile: string,
  trusted: boolean,
  cleanup: Cleanup,
): Promise<Server> {
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  // Untrusted: the folder opens in restricted mode without the trust prompt (a modal nobody would answer).
  const settings = trusted
    ? QUIET_SETTINGS
    : {
        ...QUIET_SETTINGS,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.enabled': true,
      };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  fs.mkdirSync(path.join(tmp, 'extensions'));
  fs.writeFileSync(path.join(tmp, 'config.yaml'), '');
  const logFile = path.join(tmp, 'server.log');

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    cleanup.ensureRunning();
    const out = fs.openSync(logFile, 'a');
    // detached: the server leads a new process group (setsid), so that one kill reaches the extension host
    // and the other helpers it starts; killing only its pid leaves those running.
    const child = spawn(
      host.node,
      [
        host.entry,
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        ...(trusted ? ['--disable-workspace-trust'] : []),
        '--disable-getting-started-override',
        '--user-data-dir',
        userData,
        '--extensions-dir',
        path.join(tmp, 'extensions'),
        '--config',
        path.join(tmp, 'config.yaml'),
        '--vscode-option',
        'enable-smoke-test-driver',
      ],
      { cwd: tmp, env: serverEnv(host, infoFile), detached: true, stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    fs.writeFileSync(path.join(tmp, 'run.json'), JSON.stringify({ runner: process.pid, server: child.pid }));
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code));
      child.on('error', () => resolve(-1));
    });
    const server = { child, port, exited };
    cleanup.add('stop code-server', () => stopServer(server));

    const t = Date.now();
    let gone = false;
    void exited.then(() => (gone = true));
    while (!gone && Date.now() - t < 60_000) {
      if (await healthy(port)) {
        log(`code-server listening on 127.0.0.1:${port} (ready in ${seconds(t)})`);
        return server;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const text = fs.readFileSync(logFile, 'utf8');
    if (gone && /EADDRINUSE/.test(text) && attempt < 3) continue; // lost the port to someone else: retry
    throw new Error(
      `code-server did not become healthy on port ${port}${gone ? ' (it exited)' : ''}; its log:\n${tail(text)}`,
    );
  }
}

async function stopServer(server: Server): Promise<void> {
  const pid = server.child.pid;
  if (pid === undefined) return;
  const group = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  };
  group('SIGTERM');
  await Promise.race([server.exited, new Promise((r) => setTimeout(r, 3000))]);
  // Whatever in the group did not stop with the server (extension host, agent host, file watcher) stops now.
  group('SIGKILL');
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

async function runSuite(
  server: Server,
  info: IntegrationInfo,
  suite: string,
  other: string[],
  cleanup: Cleanup,
): Promise<number> {
  const t = Date.now();
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    // Playwright's own handlers would exit the process on Ctrl-C before the server is stopped.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  cleanup.add('close Chromium', () => browser.close());
  cleanup.ensureRunning();
  const page = await browser.newPage();

  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (finish = resolve));
  // The workbench hands the extension host's console and its own log to codeAutomationLog. mocha's report
  // (marked by the suite) is printed as it arrives; the rest is kept for when something goes wrong.
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
    const text = format(...(Array.isArray(args) ? (args as unknown[]) : [args]));
    if (text.startsWith(REPORT_MARK)) {
      process.stdout.write(`${text.slice(REPORT_MARK.length)}\n`);
    } else {
      const line = `[${type}] ${text}`;
      if (VERBOSE) process.stdout.write(`${line}\n`);
      else other.push(line);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
  if (VERBOSE) page.on('console', (m) => log(`[browser ${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log(`[browser error] ${e.message}`));

  const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(suite)],
    ['enableProposedApi', ''],
    ['skipWelcome', 'true'],
  ];
  const url =
    `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(info.workspace)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  // Whatever ends the run early ends the wait at once rather than at the deadline.
  const broken = new Promise<never>((_, reject) => {
    page.on('crash', () => reject(new Error('the workbench page crashed')));
    browser.on('disconnected', () => reject(new Error('Chromium went away before the suite finished')));
    void server.exited.then((c) => reject(new Error(`code-server exited (${c}) before the suite finished`)));
  });
  broken.catch(() => {}); // observed below; after a normal finish, closing the browser is no error
  await Promise.race([page.goto(url, { waitUntil: 'domcontentloaded', timeout: 0 }), broken]);
  log(`workbench page loaded in ${seconds(t)}; the suite runs once the extension host is up`);

  const code = await Promise.race([finished, broken]);
  log(`suite finished with ${code} in ${seconds(t)}`);
  return code;
}

/** The workbench's and extension host's log lines that were not mocha's report, for a failed run. */
function printOther(lines: string[]): void {
  if (VERBOSE || lines.length === 0) return;
  log(
    `--- the workbench's log during the run (${lines.length} lines; ESCALATE_IT_VERBOSE=1 prints it live) ---`,
  );
  for (const l of lines) log(l);
  log('---');
}

async function main(profile: Profile): Promise<number> {
  const started = Date.now();
  // A reader that goes away (`| head`) must not kill the runner before it has stopped the server.
  process.stdout.on('error', () => {});
  const cleanup = new Cleanup();
  let interrupted = false;
  // `on`, not `once`: Ctrl-C reaches this process from the terminal and again through npm; a second signal
  // must not kill the runner before it has stopped the server, whose process group no terminal signal reaches.
  const stop = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping`);
    void cleanup.run().finally(() => process.exit(130));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);

  let tmp: string | undefined;
  const other: string[] = [];
  try {
    const extension = path.join(ROOT, 'dist', 'extension.js');
    if (!fs.existsSync(extension)) throw new Error(`${extension} is missing: run \`npm run build\` first`);
    const host = await ensureHost(log);

    // Everything after the install is bounded by one deadline.
    return await bounded(
      (async () => {
        const suite = await bundleSuite(profile);
        cleanup.ensureRunning();
        reapAbandonedRuns();
        tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), RUN_PREFIX)));
        const dir = tmp;
        fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ runner: process.pid }));
        cleanup.add('remove temp folders', () => fs.rmSync(dir, { recursive: true, force: true }));
        const info = profile.workspace(tmp);
        const infoFile = path.join(tmp, 'integration.json');
        fs.writeFileSync(infoFile, JSON.stringify(info, null, 2));
        const server = await startServer(host, tmp, infoFile, profile.trusted, cleanup);
        const code = await runSuite(server, info, suite, other, cleanup);
        if (code !== 0) printOther(other);
        return code;
      })(),
      TIMEOUT_MS,
      `the run (ESCALATE_IT_TIMEOUT_MS=${TIMEOUT_MS})`,
    );
  } catch (e) {
    if (interrupted) return 130;
    printOther(other);
    log(`integration tests: ${e instanceof Error ? e.message : String(e)}`);
    const serverLog = tmp ? path.join(tmp, 'server.log') : undefined;
    if (serverLog && fs.existsSync(serverLog)) {
      log(`end of code-server's log:\n${tail(fs.readFileSync(serverLog, 'utf8'))}`);
    }
    return 1;
  } finally {
    await cleanup.run();
    log(`integration tests took ${seconds(started)}`);
  }
}

// git must be there to build the workspace; say so plainly rather than with a spawn error.
try {
  execFileSync('git', ['--version'], { stdio: 'ignore' });
} catch {
  log('integration tests: git is missing');
  process.exit(1);
}

const profile = PROFILES[process.argv[2] ?? 'editor'];
if (!profile) {
  log(`usage: run.ts [${Object.keys(PROFILES).join('|')}]`);
  process.exit(2);
}
log(`integration tier: ${profile.name}`);
void main(profile).then((code) => process.exit(code));
