// Runs the standalone adapter under DebugClient for the DAP tier: a fresh bundle of it in out/dap/ (so the
// tier never tests a stale dist/), and a transcript of every message, printed when a test fails.

import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, 'out', 'dap');

let built: Promise<void> | null = null;

/** Bundles the adapter and the index worker beside it, once per run, as esbuild.mjs does for dist/. */
function buildAdapter(): Promise<void> {
  built ??= esbuild
    .build({
      entryPoints: {
        debugAdapter: path.join(ROOT, 'src', 'debugAdapter.ts'),
        replayIndexWorker: path.join(ROOT, 'src', 'replayIndexWorker.ts'),
      },
      outdir: OUT,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'inline',
      logLevel: 'silent',
    })
    .then(() => undefined);
  return built;
}

/** A DebugClient whose requests, responses and events are written down as they happen. */
export class RecordedClient extends DebugClient {
  readonly transcript: string[] = [];

  constructor() {
    super('node', path.join(OUT, 'debugAdapter.js'), 'escalate-replay');
    // A loaded machine (other test tiers run beside this one) can be slow to answer.
    this.defaultTimeout = 20000;
    const send = this.send.bind(this) as (command: string, args?: unknown) => Promise<DebugProtocol.Response>;
    const self = this as unknown as { send: typeof send };
    self.send = async (command, args) => {
      this.note('→', command, args);
      try {
        const r = await send(command, args);
        this.note('←', `${command} response`, r.body);
        return r;
      } catch (e) {
        this.note('←', `${command} error`, e instanceof Error ? e.message : e);
        throw e;
      }
    };
  }

  private stopped = false;

  /** Disconnects (the adapter cleans up before it answers) and ends the adapter process, once. */
  override async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await super.stop();
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const e = args[0] as DebugProtocol.Event | undefined;
    if (e?.type === 'event') this.note('←', `event ${e.event}`, e.body);
    return super.emit(event, ...args);
  }

  private note(dir: string, what: string, body: unknown): void {
    const json = body === undefined ? '' : ` ${JSON.stringify(body)}`;
    this.transcript.push(`${dir} ${what}${json.length > 2000 ? `${json.slice(0, 2000)}…` : json}`);
  }

  /** Resolves with the next `stopped` event after `action` (waiting starts before it, so none is missed). */
  async stopAfter(action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
    const stopped = this.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await action();
    return stopped;
  }

  /**
   * Initialize, launch, `configure` (breakpoints) once the adapter is initialized, configurationDone:
   * resolves with the first stop.
   */
  async launchReplay(
    args: Record<string, unknown>,
    configure?: () => Promise<unknown>,
  ): Promise<DebugProtocol.StoppedEvent> {
    const initialized = this.waitForEvent('initialized');
    await this.initializeRequest({
      adapterID: 'escalate-replay',
      linesStartAt1: true,
      columnsStartAt1: true,
      pathFormat: 'path',
    });
    await this.launchRequest(args);
    await initialized;
    await configure?.();
    return this.stopAfter(() => this.configurationDoneRequest());
  }

  /** The innermost frame of a thread's stack. */
  async top(threadId: number): Promise<DebugProtocol.StackFrame | undefined> {
    const r = await this.stackTraceRequest({ threadId });
    return r.body.stackFrames[0];
  }

  /** `{ index, threadId }` of the position. */
  async position(): Promise<{ index: number; threadId: number } & Record<string, unknown>> {
    const r = await this.customRequest('escalate/position');
    return r.body as { index: number; threadId: number };
  }
}

/** Prints a failed test's DAP transcript (call from afterEach with mocha's `this`). */
function printTranscriptIfFailed(ctx: Mocha.Context, client: RecordedClient | undefined): void {
  if (ctx.currentTest?.state !== 'failed' || !client) return;
  console.log(`\nDAP transcript of "${ctx.currentTest.fullTitle()}":\n  ${client.transcript.join('\n  ')}\n`);
}

/**
 * Registers the hooks of a DAP suite: the adapter bundled once, a fresh client per test (stopped after it),
 * the transcript printed when a test fails. Returns the current test's client.
 */
export function useClient(): () => RecordedClient {
  let dc: RecordedClient | undefined;
  before(async function () {
    this.timeout(60000);
    await buildAdapter();
  });
  beforeEach(async function () {
    dc = new RecordedClient();
    await dc.start();
  });
  afterEach(async function () {
    printTranscriptIfFailed(this, dc);
    await dc?.stop();
  });
  return () => dc!;
}
