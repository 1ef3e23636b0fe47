// What every importer shares: options, warnings about the input, and reading a file's lines as a stream
// (BOMs, UTF-16, CRLF and over-long lines handled by the trace core's line reader).

import * as fs from 'node:fs';
import { ByteLineReader, decodeBytes } from '../../trace/decode';
import { InputError, openInput } from '../../trace/file';

export type ImportKind = 'dumps' | 'log' | 'trace' | 'profile';

export interface ImportOptions {
  signal?: AbortSignal;
  /** Fraction done (0–1) across all files, called about every block read. */
  onProgress?: (fraction: number) => void;
  /** Log importer: regular expressions that find a source location in a text line (docs/importing.md). */
  patterns?: readonly string[];
}

/** Something about the input the user should know; the import goes on. */
export interface ImportWarning {
  file: string;
  /** 1-based line in the file, where one line is to blame. */
  line?: number;
  message: string;
}

/** Warnings kept in full; past this many only a count is kept, so hostile input cannot fill memory. */
const MAX_WARNINGS = 200;

export class Warnings {
  readonly list: ImportWarning[] = [];
  /** Warnings beyond MAX_WARNINGS, counted but not kept. */
  dropped = 0;

  add(file: string, line: number | undefined, message: string): void {
    if (this.list.length >= MAX_WARNINGS) {
      this.dropped++;
      return;
    }
    this.list.push(line === undefined ? { file, message } : { file, line, message });
  }
}

/** Spreads byte progress over several files so that the fraction covers the whole import. */
export class Progress {
  private done = 0;
  constructor(
    private readonly total: number,
    private readonly report: ((fraction: number) => void) | undefined,
  ) {}

  /** Adds bytes read; returns nothing, reports the fraction. */
  advance(bytes: number): void {
    this.done += bytes;
    if (this.report && this.total > 0) this.report(Math.min(1, this.done / this.total));
  }
}

/** Total size of the files (0 for one that cannot be stat'ed: opening it will say why). */
export function totalSize(files: readonly string[]): number {
  let total = 0;
  for (const f of files) {
    try {
      total += fs.statSync(f).size;
    } catch {
      // Reported when the file is opened.
    }
  }
  return total;
}

const BLOCK = 262144;

/**
 * Reads a file's lines without holding the file: `onLine` gets each line (over-long ones cut), its
 * 1-based number and the line reader's zero-width hint (see LineSplitter). Returns the detected encoding. Throws InputError for a file that cannot be read or is
 * not text; an AbortError when `signal` fires.
 */
export async function readLines(
  file: string,
  onLine: (text: string, docLine: number, zeroWidth: boolean) => void,
  options: {
    signal?: AbortSignal;
    progress?: Progress;
    /** Awaited after each block's lines: where an importer writes what those lines produced. */
    afterBlock?: () => Promise<void>;
  } = {},
): Promise<{ lines: number; encoding: string }> {
  const { fd } = openInput(file);
  const reader = new ByteLineReader(onLine);
  const buf = Buffer.allocUnsafe(BLOCK);
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const n = await readBlock(fd, buf, file);
      if (n === 0) break;
      reader.push(buf.subarray(0, n));
      options.progress?.advance(n);
      await options.afterBlock?.();
    }
  } finally {
    fs.closeSync(fd);
  }
  reader.end();
  await options.afterBlock?.();
  return { lines: reader.lines, encoding: reader.encoding };
}

/** Reads the next block of an open file; a failure is a one-line InputError. */
export function readBlock(fd: number, buf: Buffer, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.read(fd, buf, 0, buf.length, null, (e, n) => {
      if (e) reject(new InputError(`${file}: read failed (${e.code ?? String(e)})`));
      else resolve(n);
    });
  });
}

/** The decoded text of a file's first bytes (BOMs and UTF-16 handled); InputError if it cannot be read. */
export function readHeadText(file: string, bytes = 65536): string {
  const { fd } = openInput(file);
  try {
    const buf = Buffer.alloc(bytes);
    return decodeBytes(buf.subarray(0, fs.readSync(fd, buf, 0, bytes, 0))).text;
  } finally {
    fs.closeSync(fd);
  }
}
