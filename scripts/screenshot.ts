// `npm run screenshot`: starts the demo, drives it with Debian's Chromium (playwright-core) — opens the customer's
// log, goes to the crash site; shows the Cases view; replays the sample session and steps — and saves
// docs/images/crash-site.png, cases.png and replay.png for the README.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../test/integration/host';

const ROOT = path.resolve(__dirname, '..');
const PORT = 8124;
const IMAGES = path.join(ROOT, 'docs', 'images');
const OUT = path.join(IMAGES, 'crash-site.png');

async function main(): Promise<void> {
  const demo = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'demo.ts')], {
    cwd: ROOT,
    env: { ...process.env, DEMO_PORT: String(PORT) },
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  demo.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const stop = (): void => {
    try {
      if (demo.pid) process.kill(-demo.pid, 'SIGINT');
    } catch {
      // gone
    }
  };
  try {
    const deadline = Date.now() + 240_000;
    while (!/http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/.test(out)) {
      if (Date.now() > deadline) throw new Error(`the demo did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const url = /http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/.exec(out)![0];
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
      // Open the customer's log with the workbench (the payload code-server and VS Code web read from the URL).
      const folder = decodeURIComponent(/folder=([^&\s]+)/.exec(url)![1]!);
      const log = `vscode-remote://127.0.0.1:${PORT}${folder}/customer-traces/orders-service.log`;
      await page.goto(`${url}&payload=${encodeURIComponent(JSON.stringify([['openFile', log]]))}`);
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      await page.waitForTimeout(4000);
      const palette = async (keys: string, text: string): Promise<void> => {
        await page.keyboard.press(keys);
        await page.waitForSelector('.quick-input-widget', { state: 'visible' });
        await page.keyboard.type(text, { delay: 20 });
        await page.waitForTimeout(800);
        await page.keyboard.press('Enter');
        await page.waitForTimeout(1500);
      };
      await page.waitForSelector('.editor-instance', { timeout: 30_000 });
      await page.waitForTimeout(2000);
      await page.click('.editor-instance .view-lines');
      await palette('F1', 'Escalate: Go to Crash Site');
      await page.waitForTimeout(4000);
      fs.mkdirSync(path.dirname(OUT), { recursive: true });
      await page.screenshot({ path: OUT });
      console.log(`saved ${path.relative(ROOT, OUT)}`);

      await palette('F1', 'Escalate: Focus on Cases View');
      await page.waitForTimeout(3000);
      await page.screenshot({ path: path.join(IMAGES, 'cases.png') });
      console.log('saved docs/images/cases.png');

      // The sample session, opened the same way (customer-traces/ is git-excluded, so Quick Open skips it).
      const session = `vscode-remote://127.0.0.1:${PORT}${folder}/customer-traces/orders-service.session.jsonl`;
      await page.goto(`${url}&payload=${encodeURIComponent(JSON.stringify([['openFile', session]]))}`);
      await page.waitForSelector('.editor-instance', { timeout: 60_000 });
      await page.waitForTimeout(4000);
      await page.click('.editor-instance .view-lines');
      await palette('F1', 'Escalate: Replay Session');
      await page.waitForTimeout(8000);
      for (let i = 0; i < 2; i++) await palette('F1', 'Debug: Step Into');
      await palette('F1', 'View: Show Run and Debug');
      await page.waitForTimeout(3000);
      await page.screenshot({ path: path.join(IMAGES, 'replay.png') });
      console.log('saved docs/images/replay.png');
    } finally {
      await browser.close();
    }
  } finally {
    stop();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
