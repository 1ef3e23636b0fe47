// One long-lived `git cat-file --batch` per repository: reading hundreds of files at a ref costs one process
// and one pipe round trip instead of a process each. Replies come back in request order, so they are queued.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError } from './types';

export type CatReply =
  | { found: true; oid: string; type: string; data: Buffer }
  | { found: false; reason: 'missing' | 'ambiguous' };

interface Waiting {
  name: string;
  resolve(reply: CatReply): void;
  reject(e: Error): void;
}

const FOUND = /^([0-9a-f]{40}|[0-9a-f]{64}) ([a-z]+) (\d+)$/;
// Only stderr's tail is kept: it explains a crash, and a chatty git must not grow memory.
const STDERR_KEEP = 2048;

export class CatFileBatch {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly waiting: Waiting[] = [];
  private chunks: Buffer[] = [];
  /** Bytes of `chunks[0]` already parsed. */
  private offset = 0;
  private buffered = 0;
  /** Header of the object whose content is still arriving. */
  private pending: { oid: string; type: string; size: number } | null = null;
  private stderr = '';
  private closed = false;
  /** How many processes were started: one for the repository's lifetime unless git died. */
  starts = 0;

  constructor(
    private readonly cwd: string,
    private readonly gitArgs: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Asks for each `<rev>` or `<rev>:<path>`; the names must already be validated (no newline, no NUL). */
  request(names: readonly string[]): Promise<CatReply[]> {
    if (names.length === 0) return Promise.resolve([]);
    if (this.closed) return Promise.reject(new GitError('the repository was closed', 'git-failed'));
    for (const n of names)
      if (/[\n\0]/.test(n))
        return Promise.reject(new GitError('an object name may not hold a newline', 'git-failed'));
    const child = this.start();
    const replies = names.map(
      (name) => new Promise<CatReply>((resolve, reject) => this.waiting.push({ name, resolve, reject })),
    );
    this.keepAlive(true);
    child.stdin.write(`${names.join('\n')}\n`);
    return Promise.all(replies);
  }

  close(): void {
    this.closed = true;
    this.stop(new GitError('the repository was closed', 'git-failed'));
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', [...this.gitArgs, 'cat-file', '--batch'], {
      cwd: this.cwd,
      env: this.env,
      shell: false,
      windowsHide: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.starts++;
    this.child = child;
    this.stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child === child) this.receive(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    // A write to a process that just died fails with EPIPE; 'close' reports the death itself.
    child.stdin.on('error', () => undefined);
    child.on('error', (e) => {
      if (this.child === child)
        this.stop(new GitError(`git cat-file could not start: ${e.message}`, 'git-failed'));
    });
    child.on('close', (code, signal) => {
      if (this.child !== child) return;
      const why = this.stderr.trim().split('\n').pop() || `exit ${code ?? signal}`;
      this.stop(new GitError(`git cat-file stopped: ${why}`, 'git-failed'));
    });
    return child;
  }

  /** Ends the process and fails whatever was still waiting for it. */
  private stop(reason: Error): void {
    const child = this.child;
    this.child = null;
    this.chunks = [];
    this.offset = 0;
    this.buffered = 0;
    this.pending = null;
    if (child) {
      child.stdin.end();
      child.kill();
    }
    for (const w of this.waiting.splice(0)) w.reject(reason);
  }

  /**
   * A waiting request must keep node running (the CLI awaits it); an idle process must not keep a finished
   * program alive just because nobody called close().
   */
  private keepAlive(on: boolean): void {
    const child = this.child;
    if (!child) return;
    for (const s of [child, child.stdin, child.stdout, child.stderr] as { ref(): void; unref(): void }[])
      if (on) s.ref();
      else s.unref();
  }

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      this.drain();
    } catch (e) {
      this.stop(e as Error);
    }
    if (this.waiting.length === 0) this.keepAlive(false);
  }

  /** The unread bytes as one Buffer; chunks are joined only when a header or a whole reply is wanted. */
  private flat(): Buffer {
    if (this.chunks.length > 1) {
      this.chunks = [Buffer.concat([this.chunks[0]!.subarray(this.offset), ...this.chunks.slice(1)])];
      this.offset = 0;
    }
    return (this.chunks[0] ?? Buffer.alloc(0)).subarray(this.offset);
  }

  private consume(n: number): void {
    this.offset += n;
    this.buffered -= n;
    if (this.buffered === 0) {
      this.chunks = [];
      this.offset = 0;
    }
  }

  private drain(): void {
    for (;;) {
      if (!this.pending) {
        if (this.buffered === 0) return;
        const buf = this.flat();
        const nl = buf.indexOf(10);
        if (nl < 0) return;
        const header = buf.subarray(0, nl).toString('utf8');
        this.consume(nl + 1);
        const waiting = this.waiting[0];
        if (!waiting) throw new GitError(`git cat-file sent an unasked reply: ${header}`, 'git-failed');
        const m = FOUND.exec(header);
        if (m) {
          this.pending = { oid: m[1]!, type: m[2]!, size: Number(m[3]) };
        } else if (header === `${waiting.name} missing` || header === `${waiting.name} ambiguous`) {
          this.waiting.shift();
          waiting.resolve({ found: false, reason: header.endsWith(' missing') ? 'missing' : 'ambiguous' });
          continue;
        } else {
          throw new GitError(`git cat-file sent an unexpected reply: ${header.slice(0, 200)}`, 'git-failed');
        }
      }
      const { oid, type, size } = this.pending;
      if (this.buffered < size + 1) return;
      const buf = this.flat();
      // Copied out: the reply must not pin the (possibly much larger) shared buffer.
      const data = Buffer.from(buf.subarray(0, size));
      this.consume(size + 1);
      this.pending = null;
      this.waiting.shift()!.resolve({ found: true, oid, type, data });
    }
  }
}
