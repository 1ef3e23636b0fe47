// Replay in a real VS Code: a captured session starts in the debugger (the inline adapter), stops on entry at
// the recorded frame with its source at the customer's version, shows the recorded variables, steps forward and
// back, and the timeline webview shows the session.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EscalateApi } from '../../../src/extension';
import { readInfo } from './info';
import { until } from './until';

const info = readInfo();

interface StackFrame {
  id: number;
  name: string;
  line: number;
  source?: { name?: string; path?: string; sourceReference?: number };
}

interface Variable {
  name: string;
  value: string;
  variablesReference: number;
}

/** A session of the customer's service: two threads, an order placed, then the NPE with the cart null. */
function writeSession(file: string): void {
  const place = (line: number, cart: string) => ({
    function: 'com.acme.orders.OrderService.place',
    file: 'OrderService.java',
    line,
    scopes: [
      {
        name: 'Locals',
        variables: [
          { name: 'cart', value: cart, type: 'com.acme.orders.Cart' },
          {
            name: 'order',
            value: 'Order{id=42}',
            type: 'com.acme.orders.Order',
            children: [{ name: 'id', value: '42', type: 'long' }],
          },
        ],
      },
    ],
  });
  const controller = {
    function: 'com.acme.orders.OrderController.post',
    file: 'OrderController.java',
    line: 12,
  };
  const lines = [
    {
      format: 'escalate-session',
      version: 1,
      program: 'orders-service',
      product: { version: '1.0.0', ref: 'v1.0.0' },
      threads: [
        { id: 'http-1', name: 'http-nio-8080-exec-1' },
        { id: 'sched', name: 'scheduler' },
      ],
      clock: { unit: 'ms', origin: '2026-01-02T10:15:00Z' },
    },
    { t: 0, thread: 'http-1', kind: 'sample', stack: [place(4, 'Cart{items=1}'), controller] },
    { t: 5, thread: 'sched', kind: 'log', log: { level: 'info', message: 'tick' }, stack: [] },
    { t: 10, thread: 'http-1', kind: 'sample', stack: [place(5, 'null'), controller] },
    {
      t: 11,
      thread: 'http-1',
      kind: 'exception',
      exception: { type: 'java.lang.NullPointerException', message: 'cart is null' },
      stack: [place(5, 'null'), controller],
    },
  ];
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

describe('replay', function () {
  this.timeout(60_000);
  let api: EscalateApi;
  const stops: { reason: string; threadId: number }[] = [];
  let tracker: vscode.Disposable;

  before(async () => {
    const ext = vscode.extensions.getExtension<EscalateApi>('escalate.escalate');
    assert.ok(ext);
    api = await ext.activate();
    tracker = vscode.debug.registerDebugAdapterTrackerFactory('escalate-replay', {
      createDebugAdapterTracker: () => ({
        onDidSendMessage(m: { type?: string; event?: string; body?: { reason: string; threadId: number } }) {
          if (m.type === 'event' && m.event === 'stopped' && m.body) stops.push(m.body);
        },
      }),
    });
  });

  after(async () => {
    tracker.dispose();
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging(vscode.debug.activeDebugSession);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('stops on entry at the recorded frame, with its source at the customer version and the recorded variables', async () => {
    const file = path.join(info.workspace, 'traces', 'orders.session.jsonl');
    writeSession(file);
    const folder = vscode.workspace.workspaceFolders![0]!;
    const started = await vscode.debug.startDebugging(folder, {
      type: 'escalate-replay',
      request: 'launch',
      name: 'Replay orders',
      session: file,
      stopOnEntry: true,
    });
    assert.ok(started, 'the replay started');
    const first = await until('the entry stop', () => stops[0]);
    assert.equal(first.reason, 'entry');
    const session = vscode.debug.activeDebugSession!;
    assert.equal(session.type, 'escalate-replay');

    const { stackFrames } = (await session.customRequest('stackTrace', { threadId: first.threadId })) as {
      stackFrames: StackFrame[];
    };
    assert.equal(stackFrames[0]!.name.includes('OrderService.place'), true, stackFrames[0]!.name);
    assert.equal(stackFrames[0]!.line, 4);
    assert.equal(
      stackFrames[0]!.source?.name,
      'OrderService.java @ v1.0.0',
      'the source at the customer version',
    );
    const content = (await session.customRequest('source', {
      source: stackFrames[0]!.source,
      sourceReference: stackFrames[0]!.source?.sourceReference,
    })) as { content: string };
    assert.match(content.content.split('\n')[4]!, /return repository\.save/, 'line 5 at v1.0.0');

    const { scopes } = (await session.customRequest('scopes', { frameId: stackFrames[0]!.id })) as {
      scopes: { name: string; variablesReference: number }[];
    };
    const locals = scopes.find((s) => s.name === 'Locals');
    assert.ok(locals, scopes.map((s) => s.name).join(', '));
    const { variables } = (await session.customRequest('variables', {
      variablesReference: locals.variablesReference,
    })) as { variables: Variable[] };
    assert.equal(variables.find((v) => v.name === 'cart')?.value, 'Cart{items=1}');
    const order = variables.find((v) => v.name === 'order')!;
    assert.ok(order.variablesReference > 0, 'nested values expand');
    const inner = (await session.customRequest('variables', {
      variablesReference: order.variablesReference,
    })) as {
      variables: Variable[];
    };
    assert.deepEqual(
      inner.variables.map((v) => [v.name, v.value]),
      [['id', '42']],
    );
  });

  it('steps forward to the next event of the thread and back again', async () => {
    const session = vscode.debug.activeDebugSession!;
    const threadId = stops[0]!.threadId;
    const frameAt = async (): Promise<StackFrame> =>
      ((await session.customRequest('stackTrace', { threadId })) as { stackFrames: StackFrame[] })
        .stackFrames[0]!;
    const n = stops.length;
    await session.customRequest('next', { threadId });
    await until('the step stop', () => stops[n]);
    assert.equal((await frameAt()).line, 5, 'the next event of the thread, skipping the other thread’s log');
    const cart = async (): Promise<string | undefined> => {
      const f = await frameAt();
      const { scopes } = (await session.customRequest('scopes', { frameId: f.id })) as {
        scopes: { variablesReference: number }[];
      };
      const { variables } = (await session.customRequest('variables', {
        variablesReference: scopes[0]!.variablesReference,
      })) as { variables: Variable[] };
      return variables.find((v) => v.name === 'cart')?.value;
    };
    assert.equal(await cart(), 'null');
    await session.customRequest('stepBack', { threadId });
    await until('the step-back stop', () => stops[n + 1]);
    assert.equal((await frameAt()).line, 4);
    assert.equal(await cart(), 'Cart{items=1}');
  });

  it('continues to the recorded exception', async () => {
    const session = vscode.debug.activeDebugSession!;
    const n = stops.length;
    await session.customRequest('continue', { threadId: stops[0]!.threadId });
    const stop = await until('the exception stop', () => stops[n]);
    assert.equal(stop.reason, 'exception');
    const ex = (await session.customRequest('exceptionInfo', { threadId: stop.threadId })) as {
      exceptionId: string;
      description?: string;
    };
    assert.equal(ex.exceptionId, 'java.lang.NullPointerException');
  });

  it('imports a customer trace into a session file from the editor', async () => {
    const trace = vscode.Uri.file(path.join(info.workspace, info.customerTrace.path));
    const out = vscode.Uri.file(path.join(info.workspace, 'traces', 'imported.session.jsonl'));
    const written = await vscode.commands.executeCommand<vscode.Uri>('escalate.importSession', [trace], {
      kind: 'trace',
      out,
    });
    assert.equal(written?.fsPath, out.fsPath);
    const [header, ...events] = fs
      .readFileSync(out.fsPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(header!.format, 'escalate-session');
    const thrown = events.find((e) => e.kind === 'exception');
    assert.equal((thrown?.exception as { type: string }).type, 'java.lang.NullPointerException');
    const top = (thrown?.stack as { function: string; line: number }[])[0]!;
    assert.deepEqual([top.function, top.line], ['com.acme.orders.OrderService.place', 5]);
  });

  it('shows the session in the timeline', async () => {
    const shown = await until('the timeline', () => {
      const t = api.timeline();
      return t && t.eventCount === 4 ? t : undefined;
    });
    assert.equal(shown.lanes, 2);
  });
});
