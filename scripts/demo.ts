// `npm run demo`: packages the extension, installs it into VS Code (code-server, from the integration tier's
// cached host) and serves a sample workspace — a product repository with tagged versions and customer traces
// pointing into it — on 127.0.0.1. Prints the URL; Ctrl-C stops everything.
//
// DEMO_PORT=8080 npm run demo   — a fixed port (default: 8123).

import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaseStore } from '../src/core/cases';
import { GitRepo } from '../src/core/git';
import { QUIET_SETTINGS, ensureHost } from '../test/integration/host';

const ROOT = path.resolve(__dirname, '..');
const DEMO = path.join(ROOT, '.demo');
const PORT = Number(process.env.DEMO_PORT ?? 8123);
const STOCK = 'inventory/src/main/java/com/acme/inventory/StockService.java';

function step(what: string): void {
  console.log(`== ${what}`);
}

/** The sample product (scripts/sample-repo.mjs: v5.5.1, then later commits) plus the customer's traces. */
function workspace(): string {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'sample-repo.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const repo = path.join(ROOT, '.sample', 'orders');
  const traces = path.join(repo, 'customer-traces');
  fs.mkdirSync(traces, { recursive: true });
  for (const dir of ['traces', 'sessions'])
    for (const f of fs.readdirSync(path.join(ROOT, 'samples', dir)))
      fs.copyFileSync(path.join(ROOT, 'samples', dir, f), path.join(traces, f));
  fs.appendFileSync(path.join(repo, '.git', 'info', 'exclude'), 'customer-traces/\n.vscode/\n.escalate/\n');
  fs.mkdirSync(path.join(repo, '.vscode'), { recursive: true });
  // The case: the customer runs 5.5.1.
  fs.writeFileSync(
    path.join(repo, '.vscode', 'settings.json'),
    JSON.stringify({ 'escalate.defaultRef': '5.5.1' }, null, 2),
  );
  return repo;
}

/** Two open cases in the workspace's case store, one with findings, for the Cases view. */
async function sampleCases(repo: string): Promise<void> {
  const store = new CaseStore(path.join(repo, '.escalate', 'cases'), { by: 'demo' });
  const git = await GitRepo.open(repo);
  try {
    const v551 = await git.resolveRef('v5.5.1');
    const c = await store.create({
      id: 'SR-204611',
      title: 'Orders fail with NPE for SKUs without stock',
      customer: 'Contoso Retail',
      severity: 'high',
      status: 'investigating',
      productVersion: '5.5.1',
      ref: v551.name,
      refCommit: v551.commit,
      nextAction: {
        text: 'Send the hotfix plan to the customer',
        due: new Date().toISOString().slice(0, 10),
      },
    });
    await store.addEvidence(c.id, { path: path.join(ROOT, 'samples', 'traces', 'orders-service.log') });
    const code = (await git.readFiles(v551.commit, [STOCK]))
      .get(STOCK)
      ?.toString('utf8')
      .split('\n')
      .slice(45, 47)
      .join('\n');
    await store.appendFinding(c.id, {
      findingKind: 'root-cause',
      text: 'StockService.reserve dereferences the stock of a SKU the warehouse never stocked',
      from: { type: 'selection' },
      code: {
        path: STOCK,
        ref: v551.name,
        commit: v551.commit,
        startLine: 46,
        endLine: 47,
        ...(code ? { excerpt: code } : {}),
      },
    });
    await store.appendFinding(c.id, {
      findingKind: 'question',
      text: 'Were SKU-3003 and other new SKUs added to the catalogue before the warehouse sync?',
    });
    await store.create({
      id: 'INC0012345',
      title: 'Checkout slow after upgrade',
      customer: 'Fabrikam',
      severity: 'medium',
      status: 'waiting-customer',
      productVersion: '5.5.1',
      ref: v551.name,
      refCommit: v551.commit,
      nextAction: { text: 'Ask for a thread dump series during the slowdown', due: '2026-11-20' },
    });
  } finally {
    git.close();
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(DEMO, { recursive: true });
  step('packaging the extension');
  const vsix = path.join(DEMO, 'escalate.vsix');
  execFileSync(
    'npx',
    [
      'vsce',
      'package',
      '--no-dependencies',
      '--baseContentUrl',
      'https://example.invalid/escalate',
      '-o',
      vsix,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  step('VS Code (code-server)');
  const host = await ensureHost();
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'escalate-demo-'));
  const userData = path.join(data, 'user-data');
  const extensions = path.join(data, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));
  fs.writeFileSync(path.join(data, 'config.yaml'), '');
  const common = [
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
    '--config',
    path.join(data, 'config.yaml'),
  ];
  execFileSync(host.node, [host.entry, ...common, '--install-extension', vsix], {
    env: host.env,
    stdio: 'inherit',
  });
  step('sample workspace');
  const folder = workspace();
  await sampleCases(folder);
  const server = spawn(
    host.node,
    [
      host.entry,
      '--bind-addr',
      `127.0.0.1:${PORT}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      // The sample workspace is ours: trusted, so git runs and frames resolve at the customer's version.
      '--disable-workspace-trust',
      ...common,
    ],
    { env: host.env, detached: true, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const stop = (): void => {
    try {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    fs.rmSync(data, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    stop();
    process.exit(0);
  });
  process.on('SIGTERM', () => {
    stop();
    process.exit(0);
  });
  server.on('exit', (code) => {
    console.error(`code-server exited (${code})`);
    fs.rmSync(data, { recursive: true, force: true });
    process.exit(code ?? 1);
  });
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${PORT}/healthz`);
      if (r.ok) break;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `http://127.0.0.1:${PORT}/?folder=${encodeURIComponent(folder)}`;
  console.log(`\nEscalate is running in VS Code at\n\n  ${url}\n`);
  console.log(
    'Open customer-traces/orders-service.log, click a frame (or Ctrl+K Alt+.) — Ctrl-C here stops it.',
  );
  if (process.env.DEMO_EXIT_WHEN_READY === '1') {
    stop();
    process.exit(0);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
