// Writes a captured session (docs/session-format.md) as it is produced: the header, then one event per line.
// Importers stream through it, so a session of any size is written in bounded memory.

import * as fs from 'node:fs';
import { once } from 'node:events';
import * as path from 'node:path';
import type { SessionEvent, SessionHeader } from './format';

/** Thrown when the session cannot be written; `message` is one line fit for the user. */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** Where serialised lines go: a file (through a temporary name until complete) or an array in tests. */
interface LineSink {
  write(chunk: string): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

/** Lines are gathered into chunks of about this many characters before they are handed to the stream. */
const CHUNK = 1 << 16;

function describe(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

/** A file written under a temporary name beside it and renamed when complete: a failed import leaves nothing. */
class FileSink implements LineSink {
  private readonly temp: string;
  private readonly stream: fs.WriteStream;
  private failure: Error | null = null;

  constructor(private readonly file: string) {
    this.temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.partial`);
    this.stream = fs.createWriteStream(this.temp, { flags: 'wx' });
    this.stream.on('error', (e) => (this.failure ??= e));
  }

  async write(chunk: string): Promise<void> {
    this.check();
    // Backpressure: wait for the stream to drain rather than queue the whole session in memory (`once`
    // rejects if the stream fails meanwhile).
    if (!this.stream.write(chunk)) {
      await once(this.stream, 'drain').catch((e: unknown) => {
        throw new OutputError(`${this.file}: cannot write (${describe(e)})`);
      });
    }
    this.check();
  }

  async finish(): Promise<void> {
    this.check();
    await new Promise<void>((resolve, reject) => {
      this.stream.end((e?: Error | null) => (e ? reject(e) : resolve()));
    }).catch((e: unknown) => {
      throw new OutputError(`${this.file}: write failed (${describe(e)})`);
    });
    this.check();
    try {
      fs.renameSync(this.temp, this.file);
    } catch (e) {
      fs.rmSync(this.temp, { force: true });
      throw new OutputError(`${this.file}: cannot write (${describe(e)})`);
    }
  }

  async abort(): Promise<void> {
    this.stream.destroy();
    await once(this.stream, 'close').catch(() => undefined);
    fs.rmSync(this.temp, { force: true });
  }

  private check(): void {
    if (this.failure) throw new OutputError(`${this.file}: cannot write (${describe(this.failure)})`);
  }
}

class ArraySink implements LineSink {
  constructor(private readonly lines: string[]) {}
  write(chunk: string): Promise<void> {
    for (const line of chunk.split('\n')) if (line !== '') this.lines.push(line);
    return Promise.resolve();
  }
  finish(): Promise<void> {
    return Promise.resolve();
  }
  abort(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Streams a session: `header()` once, then `event()` in time order, then `close()`. An event whose `t` is
 * earlier than the one before it is given that time (the format promises non-decreasing `t`); `clamped`
 * counts them so that the importer can say so.
 */
export class SessionWriter {
  private chunk = '';
  private headerWritten = false;
  private lastT = Number.NEGATIVE_INFINITY;
  private closed = false;
  /** Events written so far. */
  events = 0;
  /** Events whose `t` was raised to the previous event's. */
  clamped = 0;

  private constructor(private readonly sink: LineSink) {}

  /** Writes to `file`, which appears only when `close()` succeeds. */
  static toFile(file: string): SessionWriter {
    let sink: FileSink;
    try {
      fs.accessSync(path.dirname(path.resolve(file)), fs.constants.W_OK);
      sink = new FileSink(path.resolve(file));
    } catch (e) {
      throw new OutputError(`${file}: cannot write (${describe(e)})`);
    }
    return new SessionWriter(sink);
  }

  /** Appends each line (header first) to `lines`: for tests and in-memory use. */
  static toArray(lines: string[]): SessionWriter {
    return new SessionWriter(new ArraySink(lines));
  }

  async header(header: SessionHeader): Promise<void> {
    if (this.headerWritten) throw new Error('session header written twice');
    this.headerWritten = true;
    await this.append(JSON.stringify(header));
  }

  async event(event: SessionEvent): Promise<void> {
    if (!this.headerWritten) throw new Error('session event before the header');
    if (!(event.t >= this.lastT)) {
      if (Number.isFinite(this.lastT)) this.clamped++;
      event.t = Number.isFinite(this.lastT) ? this.lastT : 0;
    }
    this.lastT = event.t;
    this.events++;
    await this.append(JSON.stringify(event));
  }

  /** Flushes and completes the output. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.chunk !== '') await this.sink.write(this.chunk);
      this.chunk = '';
      await this.sink.finish();
    } catch (e) {
      await this.sink.abort();
      throw e;
    }
  }

  /** Drops the output (an import that failed or was cancelled). */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.chunk = '';
    await this.sink.abort();
  }

  private async append(line: string): Promise<void> {
    this.chunk += line + '\n';
    if (this.chunk.length >= CHUNK) {
      const chunk = this.chunk;
      this.chunk = '';
      await this.sink.write(chunk);
    }
  }
}
