// Sessions the DAP tests replay: written to temp files as JSON Lines, with events whose stepping and
// breakpoint answers are worked out by hand in the comments below.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  SessionEvent,
  SessionFrame,
  SessionHeader,
  SessionVariable,
} from '../../src/core/replay/format';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'escalate-'));
}

/** Writes a session (header, then one event per line) and returns its path. */
export function writeSession(
  dir: string,
  name: string,
  header: Partial<SessionHeader>,
  events: SessionEvent[],
): string {
  const file = path.join(dir, name);
  const head: SessionHeader = {
    format: 'escalate-session',
    version: 1,
    threads: [],
    clock: { unit: 'ms' },
    ...header,
  };
  fs.writeFileSync(file, [head, ...events].map((x) => JSON.stringify(x)).join('\n') + '\n');
  return file;
}

function v(name: string, value: string, children?: SessionVariable[]): SessionVariable {
  return children ? { name, value, children } : { name, value };
}

function frame(fn: string, file: string, line: number, locals?: SessionVariable[]): SessionFrame {
  const f: SessionFrame = { function: fn, file, line };
  if (locals) f.scopes = [{ name: 'Locals', variables: locals }];
  return f;
}

/** `order` as recorded in `process`: nested object with an array of items. */
function order(total: string): SessionVariable {
  return v('order', 'Order#7', [
    v('id', '7'),
    v('total', total),
    v('items', 'Item[1]', [v('0', 'Item', [v('sku', 'A'), v('qty', '1')])]),
  ]);
}

const MAIN = 'app/Main.java';
const ORDERS = 'app/Orders.java';
const REPO = 'app/Repo.java';
const WORKER = 'app/Worker.java';

const main = (line: number): SessionFrame => frame('app.Main.main', MAIN, line);

/**
 * Three threads (main = 1, worker-1 = 2, worker-2 = 3), t = 10 ms per event from 2026-01-01T00:00:00Z.
 *
 *  0 main  main:10
 *  1 main  process:20 (order 10.50, count 1) < main:11
 *  2 w1    run:5                                  log info "worker started"
 *  3 main  save:30 < process:21 < main:11         (save locals: total)
 *  4 main  process:22 (order 12.00, count 2) < main:11
 *  5 w2    run:5                                  log warn "slow disk"
 *  6 main  main:12
 *  7 w1    handle:9 < run:6                       exception java.io.IOException "disk full"
 *  8 main  process:20 (order 15.00, count 3) < main:13
 *  9 main  process:22 (order 15.00, count 3) < main:13   log error "order failed"
 * 10 w2    run:7                                  exception java.lang.IllegalStateException "bad state"
 * 11 main  main:14
 *
 * Main's steps: in 0→1; next 1→4, 4→6, 6→11; out 3→4, 8→11; back 4→1, 11→6; reverse in 11→9; reverse out 9→6.
 */
export function ordersEvents(): SessionEvent[] {
  const process = (line: number, total: string, count: string, caller: number): SessionFrame[] => [
    frame('app.Orders.process', ORDERS, line, [order(total), v('count', count)]),
    main(caller),
  ];
  const list: Omit<SessionEvent, 't'>[] = [
    { thread: 'main', stack: [frame('app.Main.main', MAIN, 10, [v('args', '[]')])] },
    { thread: 'main', stack: process(20, '10.50', '1', 11) },
    {
      thread: 'w1',
      stack: [frame('app.Worker.run', WORKER, 5)],
      kind: 'log',
      log: { level: 'info', message: 'worker started' },
    },
    {
      thread: 'main',
      stack: [
        frame('app.Repo.save', REPO, 30, [v('total', '10.50')]),
        frame('app.Orders.process', ORDERS, 21),
        main(11),
      ],
    },
    { thread: 'main', stack: process(22, '12.00', '2', 11) },
    {
      thread: 'w2',
      stack: [frame('app.Worker.run', WORKER, 5)],
      kind: 'log',
      log: { level: 'warn', message: 'slow disk' },
    },
    { thread: 'main', stack: [main(12)] },
    {
      thread: 'w1',
      stack: [frame('app.Worker.handle', WORKER, 9), frame('app.Worker.run', WORKER, 6)],
      kind: 'exception',
      exception: { type: 'java.io.IOException', message: 'disk full' },
    },
    { thread: 'main', stack: process(20, '15.00', '3', 13) },
    {
      thread: 'main',
      stack: process(22, '15.00', '3', 13),
      kind: 'log',
      log: { level: 'error', message: 'order failed' },
    },
    {
      thread: 'w2',
      stack: [frame('app.Worker.run', WORKER, 7)],
      kind: 'exception',
      exception: { type: 'java.lang.IllegalStateException', message: 'bad state' },
    },
    { thread: 'main', stack: [main(14)] },
  ];
  return list.map((e, i) => ({ t: i * 10, ...e }));
}

export const ORDERS_HEADER: Partial<SessionHeader> = {
  program: 'orders-service',
  threads: [
    { id: 'main', name: 'main' },
    { id: 'w1', name: 'worker-1' },
    { id: 'w2', name: 'worker-2' },
  ],
  clock: { unit: 'ms', origin: '2026-01-01T00:00:00.000Z' },
};
