// Scans a file from disk as a stream: the file is read in blocks and never held whole, so memory stays
// bounded whatever its size (VS Code will not even open a document over 50 MB; logs are read from disk).

import * as fs from 'node:fs';
import { ByteLineReader, type TextEncoding } from './decode';
import type { Trace } from './model';
import { mayNeedCleaning } from './normalize';
import { TraceScanner, type ScanOptions } from './scanner';

// Lines kept past their block (history, frames) hold the decoded block alive until a full collection,
// so blocks are kept moderate: a quarter megabyte reads as fast and keeps the resident set small.
const BLOCK = 262144;

export interface FileScanResult {
  bytes: number;
  lines: number;
  encoding: TextEncoding;
  /** The start of the file looks like binary data, not text. */
  binary: boolean;
}

/** Thrown for input that cannot be read; `message` is one line fit for the user. */
export class InputError extends Error {
  override name = 'InputError';
}

/** Opens a file for reading, turning the usual failures into one-line InputErrors. */
export function openInput(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file}: no such file`);
    if (code === 'EACCES' || code === 'EPERM') throw new InputError(`${file}: permission denied`);
    if (code === 'EISDIR') throw new InputError(`${file}: is a directory`);
    throw new InputError(`${file}: cannot open (${code ?? String(e)})`);
  }
  if (fs.fstatSync(fd).isDirectory()) {
    fs.closeSync(fd);
    throw new InputError(`${file}: is a directory`);
  }
  return fd;
}

/** A scanner fed by a byte reader: what every file scan (sync, async, a parallel block) starts from. */
export function lineScanner(
  onTrace: (trace: Trace, startedAt: number) => void,
  options?: ScanOptions,
  knownUtf8 = false,
): { scanner: TraceScanner; reader: ByteLineReader } {
  const scanner = new TraceScanner(onTrace, options);
  const reader = new ByteLineReader(
    (line, no, zw) => scanner.pushLine(line, no, zw),
    mayNeedCleaning,
    knownUtf8,
  );
  return { scanner, reader };
}

/** Scans a file synchronously (the CLI's path: fastest, no event-loop round trips). */
export function scanFileSync(
  file: string,
  onTrace: (trace: Trace) => void,
  options?: ScanOptions,
): FileScanResult {
  const fd = openInput(file);
  const { scanner, reader } = lineScanner(onTrace, options);
  const buf = Buffer.allocUnsafe(BLOCK);
  let bytes = 0;
  try {
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, BLOCK, null);
      } catch (e) {
        throw new InputError(`${file}: read failed (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
      if (n === 0) break;
      bytes += n;
      // The reader keeps references into the chunk only while decoding it, so the buffer can be reused.
      reader.push(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  reader.end();
  scanner.end();
  return { bytes, lines: reader.lines, encoding: reader.encoding, binary: reader.binary };
}

export interface AsyncScanOptions extends ScanOptions {
  /** Called after each block with bytes read so far and the file size. */
  onProgress?: (read: number, total: number) => void;
  signal?: AbortSignal;
}

/** Scans a file without blocking the event loop; cancellable through `signal`. */
export async function scanFile(
  file: string,
  onTrace: (trace: Trace) => void,
  options: AsyncScanOptions = {},
): Promise<FileScanResult> {
  const fd = openInput(file);
  const handle = await fs.promises.open(file, 'r').finally(() => fs.closeSync(fd));
  const total = (await handle.stat()).size;
  const { scanner, reader } = lineScanner(onTrace, options);
  const buf = Buffer.allocUnsafe(BLOCK);
  let bytes = 0;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buf, 0, BLOCK, null);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      reader.push(buf.subarray(0, bytesRead));
      options.onProgress?.(bytes, total);
    }
  } finally {
    await handle.close();
  }
  reader.end();
  scanner.end();
  return { bytes, lines: reader.lines, encoding: reader.encoding, binary: reader.binary };
}
