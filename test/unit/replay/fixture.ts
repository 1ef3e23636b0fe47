// Session files for the replay tests: a writer for real files in a temp dir, and one crafted two-thread session
// whose stepping and breakpoint answers are worked out by hand in the tests.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ReplayRuntime, type ReplayRuntimeOptions } from '../../../src/core/replay/runtime';

export const WORKER = path.join(__dirname, '..', '..', '..', 'dist', 'replayIndexWorker.js');

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'escalate-'));
}

/** A temp dir removed when the suite that calls this (inside `describe`) ends. */
export function suiteDir(): string {
  const dir = tempDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const HEADER = {
  format: 'escalate-session',
  version: 1,
  program: 'orders-service',
  threads: [
    { id: 'M', name: 'main' },
    { id: 'W', name: 'worker' },
  ],
  clock: { unit: 'ms' },
};

/** Writes a session: the header object then each event (objects as JSON, strings as they are). */
export function writeSession(
  dir: string,
  name: string,
  events: (object | string)[],
  header: object = HEADER,
): string {
  const file = path.join(dir, name);
  const lines = [
    JSON.stringify(header),
    ...events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))),
  ];
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A frame written `fn@line` (file src/<fn>.ts), with locals. */
export function frame(spec: string, locals: Record<string, string | object> = {}): object {
  const [fn, line] = spec.split('@') as [string, string];
  const variables = Object.entries(locals).map(([name, v]) =>
    typeof v === 'string' ? { name, value: v, type: 'int' } : { name, ...v },
  );
  const out: Record<string, unknown> = { function: fn, file: `src/${fn}.ts`, line: Number(line) };
  if (variables.length > 0) out.scopes = [{ name: 'Locals', variables }];
  return out;
}

/** An event; `frames` are outermost first (as one reads a call chain), written innermost first. */
export function ev(t: number, thread: string, frames: object[], extra: object = {}): object {
  return { t, thread, stack: [...frames].reverse(), ...extra };
}

/**
 * The crafted session (M = thread 1, W = thread 2). Outermost frame first:
 *
 *   0 M main@1                     8 M main@3
 *   1 W run@100                    9 M main@4 > a@10 (n 5)       a called again
 *   2 M main@2 > a@10 (n 1)       10 W run@102                   warn log
 *   3 M main@2 > a@11 (n 2)       11 M main@5 > c@30 > d@40      a returned, c called
 *   4 M main@2 > a@12 (n 2) > b@20  12 M main@5 > c@31           IOException
 *   5 W run@101 > work@200  log   13 M main@6
 *   6 M main@2 > a@12 (n 3) > b@21  14 W run@103                 IllegalStateException
 *   7 M main@2 > a@13 (n 3)
 */
export function craftedEvents(): object[] {
  const main = (line: number, x?: string) => frame(`main@${line}`, x === undefined ? {} : { x });
  const a = (line: number, n: string) =>
    frame(`a@${line}`, {
      n,
      order: { value: 'Order@1', type: 'Order', children: [{ name: 'total', value: n }] },
    });
  return [
    ev(0, 'M', [main(1, '0')]),
    ev(1, 'W', [frame('run@100')]),
    ev(2, 'M', [main(2), a(10, '1')]),
    ev(3, 'M', [main(2), a(11, '2')]),
    ev(4, 'M', [main(2), a(12, '2'), frame('b@20')]),
    ev(5, 'W', [frame('run@101'), frame('work@200')], {
      kind: 'log',
      log: { level: 'info', message: 'working' },
    }),
    ev(6, 'M', [main(2), a(12, '3'), frame('b@21')]),
    ev(7, 'M', [main(2), a(13, '3')]),
    ev(8, 'M', [main(3, '1')]),
    ev(9, 'M', [main(4), a(10, '5')]),
    ev(10, 'W', [frame('run@102')], { kind: 'log', log: { level: 'warn', message: 'slow disk' } }),
    ev(11, 'M', [main(5), frame('c@30'), frame('d@40')]),
    ev(12, 'M', [main(5), frame('c@31')], {
      kind: 'exception',
      exception: { type: 'java.io.IOException', message: 'disk full' },
    }),
    ev(13, 'M', [main(6, '2')]),
    ev(14, 'W', [frame('run@103')], { exception: { type: 'java.lang.IllegalStateException' } }),
  ];
}

export type IndexMode = 'on-demand' | 'indexed';
export const MODES: IndexMode[] = ['on-demand', 'indexed'];

/** Opens a runtime; `indexed` waits until the worker's index is in use. */
export async function openRuntime(
  file: string,
  mode: IndexMode,
  options: ReplayRuntimeOptions = {},
): Promise<ReplayRuntime> {
  assert.ok(fs.existsSync(WORKER), `${WORKER} is missing: run npm run build`);
  const r = await ReplayRuntime.open(file, {
    ...options,
    index: mode === 'indexed' ? { workerScript: WORKER, ...(options.index || {}) } : false,
  });
  if (!r.ok) throw new Error(r.error.message);
  if (mode === 'indexed') assert.equal((await r.runtime.whenIndexed()).state, 'ready');
  return r.runtime;
}
