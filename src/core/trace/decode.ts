// Bytes to lines for untrusted customer files: BOMs, UTF-16 from Windows tools, CRLF, lines of any length.
// Works on chunks so that a multi-gigabyte log streams through in bounded memory.

import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { mayHaveZeroWidth } from './normalize';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Longest line handed on to the parsers; the rest of a longer line is dropped (line numbers stay right). */
export const MAX_LINE_LENGTH = 256 * 1024;

export interface EncodingGuess {
  encoding: TextEncoding;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

/** Guesses the encoding from the first bytes: a BOM wins; otherwise the NUL pattern of ASCII text in UTF-16. */
export function detectEncoding(head: Uint8Array): EncodingGuess {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // Without a BOM: ASCII-range text in UTF-16 has a NUL in every other byte.
  const n = Math.min(head.length, 4096) & ~1;
  if (n >= 4) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenNul++;
      if (head[i + 1] === 0) oddNul++;
    }
    const pairs = n / 2;
    if (oddNul > pairs * 0.6 && evenNul < pairs * 0.1) return { encoding: 'utf-16le', bomLength: 0 };
    if (evenNul > pairs * 0.6 && oddNul < pairs * 0.1) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Swaps byte pairs: Node's TextDecoder has no streaming UTF-16BE, so BE input is decoded as LE after a swap. */
function swap16(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}

/**
 * Splits decoded text into lines. `\n`, `\r\n` and a lone `\r` (old Mac, some Windows tools) end a line.
 * Lines longer than MAX_LINE_LENGTH are cut; what follows up to the line break is skipped.
 */
export class LineSplitter {
  private carry = '';
  private carryCut = false;
  private pendingCR = false;
  private lineNo = 0;
  /** Whether the current chunk (and the carried start of a line) may hold zero-width characters. */
  private zeroWidth = true;
  private carryZeroWidth = false;

  /** `zeroWidth: false` tells the receiver that the line has no zero-width characters to remove. */
  constructor(private readonly onLine: (text: string, docLine: number, zeroWidth: boolean) => void) {}

  push(chunk: string): void {
    if (chunk.length === 0) return;
    // Tested once per chunk: far cheaper than per line, and most chunks have none.
    this.zeroWidth = mayHaveZeroWidth(chunk);
    let start = 0;
    const len = chunk.length;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (chunk.charCodeAt(0) === 10) start = 1;
    }
    // Positions of the next LF and CR are searched once and reused until passed: searching for a CR that
    // is not there on every line would rescan the rest of the chunk each time (quadratic).
    let nl = -2;
    let cr = -2;
    while (start < len) {
      if (nl !== -1 && nl < start) nl = chunk.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf('\r', start);
      let end: number;
      let next: number;
      if (nl < 0 && cr < 0) {
        this.append(chunk, start, len);
        return;
      }
      if (cr >= 0 && (nl < 0 || cr < nl)) {
        end = cr;
        if (cr + 1 < len) {
          next = chunk.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
        } else {
          next = len;
          this.pendingCR = true;
        }
      } else {
        end = nl;
        next = nl + 1;
      }
      this.append(chunk, start, end);
      this.emit();
      start = next;
    }
  }

  /** Flushes the last line (a file need not end with a newline). */
  end(): void {
    if (this.carry.length > 0 || this.carryCut) this.emit();
    this.pendingCR = false;
  }

  /** Lines emitted so far. */
  get lines(): number {
    return this.lineNo;
  }

  private append(chunk: string, from: number, to: number): void {
    if (this.carryCut) return;
    this.carryZeroWidth ||= this.zeroWidth;
    const room = MAX_LINE_LENGTH - this.carry.length;
    if (to - from > room) {
      this.carry += chunk.slice(from, from + room);
      this.carryCut = true;
    } else if (this.carry.length === 0) {
      this.carry = from === 0 && to === chunk.length ? chunk : chunk.slice(from, to);
    } else {
      this.carry += chunk.slice(from, to);
    }
  }

  private emit(): void {
    const text = this.carry;
    const zeroWidth = this.carryZeroWidth;
    this.carry = '';
    this.carryCut = false;
    this.carryZeroWidth = false;
    this.onLine(text, ++this.lineNo, zeroWidth);
  }
}

/** Decodes a byte stream chunk by chunk (encoding guessed from the first chunk) and splits it into lines. */
export class ByteLineReader {
  private decoder: TextDecoder | null = null;
  private swap = false;
  private head: Uint8Array | null = null;
  private readonly splitter: LineSplitter;
  encoding: TextEncoding = 'utf-8';
  /** True when the start of the input looks like binary data rather than text. */
  binary = false;

  constructor(
    onLine: (text: string, docLine: number, zeroWidth: boolean) => void,
    /** Skip detection: the bytes are the middle of a UTF-8 file (a block of a parallel scan). */
    knownUtf8 = false,
  ) {
    this.splitter = new LineSplitter(onLine);
    if (knownUtf8) this.decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  }

  push(bytes: Uint8Array): void {
    if (!this.decoder) {
      // Wait for enough bytes to guess the encoding reliably (or the end of input).
      this.head = this.head ? concat(this.head, bytes) : new Uint8Array(bytes); // a copy: Buffer#slice would be a view
      if (this.head.length < 512) return;
      bytes = this.start(this.head);
      this.head = null;
    }
    this.decode(bytes, true);
  }

  end(): void {
    if (!this.decoder) {
      const rest = this.start(this.head ?? new Uint8Array(0));
      this.head = null;
      this.decode(rest, true);
    }
    this.splitter.push(this.decoder!.decode());
    this.splitter.end();
  }

  get lines(): number {
    return this.splitter.lines;
  }

  private start(head: Uint8Array): Uint8Array {
    const guess = detectEncoding(head);
    this.encoding = guess.encoding;
    this.binary = guess.encoding === 'utf-8' && looksBinary(head);
    this.swap = guess.encoding === 'utf-16be';
    this.decoder = new TextDecoder(guess.encoding === 'utf-8' ? 'utf-8' : 'utf-16le', { fatal: false });
    return head.subarray(guess.bomLength);
  }

  private decode(bytes: Uint8Array, stream: boolean): void {
    if (bytes.length === 0) return;
    if (this.encoding === 'utf-8' && isAscii(bytes)) {
      // Most log blocks are plain ASCII: checking that (vectorised) and copying bytes to a one-byte string
      // is several times faster than UTF-8 decoding. A sequence the decoder still holds cannot continue
      // into ASCII bytes, so flushing it first yields exactly what decoding would have.
      const pending = this.decoder!.decode();
      if (pending) this.splitter.push(pending);
      this.splitter.push(latin1(bytes));
      return;
    }
    this.splitter.push(this.decoder!.decode(this.swap ? swap16(bytes) : bytes, { stream }));
  }
}

/** Bytes to a one-byte string without the argument checks of Buffer#toString (`latin1Slice` is public API). */
function latin1(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) as Buffer & { latin1Slice(): string };
  return buf.latin1Slice();
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** NUL bytes or many control characters in the first block of a UTF-8 guess mean it is not text. */
export function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return n > 0 && control / n > 0.1;
}

const MAGIC: [bytes: number[], offset: number, what: string][] = [
  [
    [0x4d, 0x44, 0x4d, 0x50],
    0,
    'a Windows minidump (.dmp): open it in WinDbg or run minidump_stackwalk and give Escalate their output',
  ],
  [
    [0x50, 0x41, 0x47, 0x45, 0x44, 0x55],
    0,
    'a Windows kernel dump: run `!analyze -v` in WinDbg and give Escalate its output',
  ],
  [[0x50, 0x4b, 0x03, 0x04], 0, 'a zip archive: extract it and open the files inside'],
  [[0x1f, 0x8b], 0, 'a gzip file: decompress it first (gunzip)'],
  [[0x28, 0xb5, 0x2f, 0xfd], 0, 'a zstd file: decompress it first (unzstd)'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 0, 'an xz file: decompress it first (unxz)'],
  [[0x42, 0x5a, 0x68], 0, 'a bzip2 file: decompress it first (bunzip2)'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 0, 'a 7z archive: extract it first'],
  [[0x52, 0x61, 0x72, 0x21], 0, 'a rar archive: extract it first'],
  [[0x75, 0x73, 0x74, 0x61, 0x72], 257, 'a tar archive: extract it first'],
  [
    [0x7f, 0x45, 0x4c, 0x46],
    0,
    'an ELF binary or core file: run gdb on it (`bt` / `thread apply all bt`) and give Escalate the output',
  ],
  [[0x4d, 0x5a], 0, 'a Windows executable or DLL'],
  [
    [0xcf, 0xfa, 0xed, 0xfe],
    0,
    'a Mach-O binary or core file: run lldb on it (`bt all`) and give Escalate the output',
  ],
  [[0xca, 0xfe, 0xba, 0xbe], 0, 'a Java class file or a universal Mach-O binary'],
  [
    [0x4a, 0x41, 0x56, 0x41, 0x20, 0x50, 0x52, 0x4f, 0x46, 0x49, 0x4c, 0x45],
    0,
    'a Java heap dump (.hprof): open it in a heap analyser such as Eclipse MAT',
  ],
  [[0x25, 0x50, 0x44, 0x46], 0, 'a PDF document'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], 0, 'an SQLite database'],
  [[0x89, 0x50, 0x4e, 0x47], 0, 'a PNG image'],
  [[0xff, 0xd8, 0xff], 0, 'a JPEG image'],
];

/**
 * What a file that is not text is, for a one-line error (`a Windows minidump (.dmp): …`); null when the
 * start of the file looks like text in one of the encodings Escalate reads.
 */
export function describeBinary(head: Uint8Array): string | null {
  for (const [magic, offset, what] of MAGIC) {
    if (head.length < offset + magic.length || !magic.every((b, i) => head[offset + i] === b)) continue;
    // Two or three letters (`MZ`, `BZh`) could start a text file too: those need binary content as well.
    if (magic.length >= 4 || looksBinary(head)) return what;
  }
  if (detectEncoding(head).encoding === 'utf-8' && looksBinary(head)) return 'binary data, not text';
  return null;
}

/** Decodes a whole buffer (small inputs, tests). */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const guess = detectEncoding(bytes);
  const body = bytes.subarray(guess.bomLength);
  const text =
    guess.encoding === 'utf-8'
      ? new TextDecoder('utf-8').decode(body)
      : new TextDecoder('utf-16le').decode(guess.encoding === 'utf-16be' ? swap16(body) : body);
  return { text, encoding: guess.encoding };
}
