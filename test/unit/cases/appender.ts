// A second window for the store tests: a separate process appending findings to a case. Usage:
// node --import tsx appender.ts ROOT ID TAG COUNT|forever [START_AT_MS] [tear]
// Prints `ack N` after each append has returned; with `tear`, writes half a line after COUNT appends (as a
// write cut short by a crash would), prints `torn` and waits to be killed.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaseStore } from '../../../src/core/cases';

async function main(): Promise<void> {
  const [root, id, tag, count, startAt, mode] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string?,
    string?,
  ];
  const store = new CaseStore(root, { lockStaleMs: 2000 });
  const n = count === 'forever' ? Infinity : Number(count);
  const start = Number(startAt ?? 0);
  while (Date.now() < start) await new Promise((r) => setTimeout(r, 1));
  for (let i = 1; i <= n; i++) {
    await store.appendFinding(id, { findingKind: 'observation', text: `${tag} #${i}` });
    process.stdout.write(`ack ${i}\n`);
  }
  if (mode === 'tear') {
    fs.appendFileSync(
      path.join(root, id, 'findings.jsonl'),
      '{"v":1,"id":"torn","at":"2026-01-01T00:00:00Z","kind":"find',
    );
    process.stdout.write('torn\n');
    setInterval(() => undefined, 1000);
  }
}

void main();
