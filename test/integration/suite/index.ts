// The test runner module VS Code loads in the extension host (`extensionTestsPath`): runs every bundled
// *.test.js next to it with mocha and rejects when a test fails, which the workbench turns into exit code 1.

import * as fs from 'node:fs';
import { findSourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import Mocha from 'mocha';
import { REPORT_MARK } from './info';

/**
 * Rewrites bundle positions in a report line (`out/integration/x.test.js:115:12`) to the TypeScript they came
 * from. VS Code's extension host installs its own Error.prepareStackTrace, so node does not do it for us.
 */
function toSource(text: string): string {
  return text.replace(/(\/[^\s()]+\.js):(\d+):(\d+)/g, (whole, file: string, line: string, col: string) => {
    const entry = findSourceMap(file)?.findEntry(Number(line) - 1, Number(col) - 1);
    if (!entry || !('originalSource' in entry)) return whole;
    const source = entry.originalSource.startsWith('file:')
      ? fileURLToPath(entry.originalSource)
      : entry.originalSource;
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

export function run(): Promise<void> {
  // The bundles carry inline source maps; node reads them once this is on (for modules loaded after).
  process.setSourceMapsEnabled(true);
  // One console.log per report line, formatted here: the channel to the runner carries strings best.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) =>
    console.log(REPORT_MARK + toSource(format(...args)));
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 20_000, slow: 2_000 });
  const tests = fs
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (tests.length === 0) return Promise.reject(new Error(`no *.test.js next to ${__filename}`));
  for (const f of tests) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
