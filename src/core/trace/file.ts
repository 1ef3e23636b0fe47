// Scans a file from disk as a stream: the file is read in blocks and never held whole, so memory stays
// bounded whatever its size (VS Code will not even open a document over 50 MB; logs are read from disk).

import * as fs from 'node:fs';
import { describeBinary, type TextEncoding } from './decode';
import type { Trace } from './model';
import { lineScanner, type ScanOptions } from './scanner';

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

/** The one-line InputError for a failure to open `file`. */
function openError(file: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(`${file}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`${file}: permission denied`);
  if (code === 'EISDIR') return new InputError(`${file}: is a directory`);
  return new InputError(`${file}: cannot open (${code ?? String(e)})`);
}

/**
 * Opens a file for reading, turning the usual failures (and a file that is not text) into one-line
 * InputErrors. Returns the descriptor and the file's first bytes, which were read to check it.
 */
export function openInput(file: string): { fd: number; head: Buffer } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw openError(file, e);
  }
  if (fs.fstatSync(fd).isDirectory()) {
    fs.closeSync(fd);
    throw new InputError(`${file}: is a directory`);
  }
  const head = Buffer.alloc(8192);
  let n: number;
  try {
    n = fs.readSync(fd, head, 0, head.length, 0);
  } catch (e) {
    fs.closeSync(fd);
    throw new InputError(`${file}: read failed (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const notText = notTextError(file, head.subarray(0, n));
  if (notText) {
    fs.closeSync(fd);
    throw notText;
  }
  return { fd, head: head.subarray(0, n) };
}

/** The one-line error for a file whose first bytes are not text (a minidump, a zip), or null. */
function notTextError(file: string, head: Uint8Array): InputError | null {
  const what = describeBinary(head);
  return what === null
    ? null
    : new InputError(`${file}: ${what.startsWith('binary') ? what : `${what} — not text`}`);
}

/** Scans a file synchronously (the CLI's path: fastest, no event-loop round trips). */
export function scanFileSync(
  file: string,
  onTrace: (trace: Trace) => void,
  options?: ScanOptions,
): FileScanResult {
  const { fd } = openInput(file);
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
  const handle = await fs.promises.open(file, 'r').catch((e: unknown) => {
    throw openError(file, e);
  });
  // The same checks as the synchronous path: a directory, a file that is not text.
  const stat = await handle.stat();
  let refused: InputError | null;
  if (stat.isDirectory()) {
    refused = new InputError(`${file}: is a directory`);
  } else {
    const head = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    refused = notTextError(file, head.subarray(0, bytesRead));
  }
  if (refused) {
    await handle.close();
    throw refused;
  }
  const total = stat.size;
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
