// Opens a captured session (docs/session-format.md) for random access: one pass over the file records where
// each event's line starts; events are parsed on demand, one line at a time.

import * as fs from 'node:fs';
import type { SessionEvent, SessionHeader } from './format';
import { NewlineFinder, SCAN_SPAN } from './newlines';
import { normalizeEvent, readHeader } from './normalize';

/** Why a file could not be opened as a session. */
export interface SessionOpenError {
  kind: 'empty' | 'not-a-session' | 'unknown-version' | 'io' | 'aborted';
  message: string;
}

export type SessionOpenResult = { ok: true; session: SessionFile } | { ok: false; error: SessionOpenError };

/** One event read on demand: the parsed event, or why its line could not be read (never a throw). */
export type EventRead =
  | { ok: true; index: number; line: number; event: SessionEvent }
  | { ok: false; index: number; line: number; message: string };

/** A problem met while opening that did not stop it (a torn last line). */
export interface SessionWarning {
  line: number;
  message: string;
}

export interface SessionOpenOptions {
  signal?: AbortSignal;
  /** Bytes read so far of the total; called about every chunk. */
  onProgress?: (bytes: number, total: number) => void;
}

/** The byte range of the events, for a second reader of the file (the index worker). */
export interface EventSpan {
  /** Offset of the first event's line. */
  start: number;
  /** Offset just past the last event's line (a torn last line is outside). */
  end: number;
  count: number;
}

const CHUNK = 4 * 1024 * 1024;
/** A header line longer than this is not a header. */
const MAX_HEADER = 16 * 1024 * 1024;
/** Lines longer than this are reported unreadable rather than read (V8 strings stop near 512 MB). */
export const MAX_LINE = 256 * 1024 * 1024;
const CACHE = 256;
const OFFSETS_PER_CHUNK = 1 << 16;
const LF = 0x0a;
const CR = 0x0d;

/** Event line starts: Float64 (files over 4 GB) in fixed-size chunks, so growing never copies. */
class OffsetList {
  private readonly chunks: Float64Array[] = [];
  private current = new Float64Array(0);
  private slot = 0;
  count = 0;

  push(offset: number): void {
    if (this.slot === this.current.length) {
      this.current = new Float64Array(OFFSETS_PER_CHUNK);
      this.chunks.push(this.current);
      this.slot = 0;
    }
    this.current[this.slot++] = offset;
    this.count++;
  }

  get(i: number): number {
    return this.chunks[Math.floor(i / OFFSETS_PER_CHUNK)]![i % OFFSETS_PER_CHUNK]!;
  }
}

/** Blank lines (empty, or a lone CR) are skipped, not events; where they were keeps line numbers right. */
interface LineFacts {
  offsets: OffsetList;
  /** Event counts at which a blank line was skipped (ascending; one entry per blank line). */
  blanks: number[];
  header: { start: number; end: number; line: number } | null;
  /** Start of the unterminated last line, if any. */
  tail: number | null;
  /** Offset past the last terminated line. */
  terminatedEnd: number;
}

function readRange(fd: number, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(end - start);
  let got = 0;
  while (got < buf.length) {
    const n = fs.readSync(fd, buf, got, buf.length - got, start + got);
    if (n <= 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

function readAt(fd: number, buf: Buffer, pos: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.read(fd, buf, 0, buf.length, pos, (e, n) => (e ? reject(e) : resolve(n))),
  );
}

/** Line text without its CR, decoded; the BOM is dropped at the file's start. */
function lineText(buf: Buffer, fileOffset: number): string {
  let end = buf.length;
  if (end > 0 && buf[end - 1] === CR) end--;
  const start = fileOffset === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  return buf.toString('utf8', start, end);
}

/** The first byte that is neither BOM nor whitespace, if the first chunk shows one. */
function firstSignificant(buf: Buffer): number | undefined {
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === CR || buf[i] === LF)) i++;
  return buf[i];
}

class LineScan {
  readonly facts: LineFacts = {
    offsets: new OffsetList(),
    blanks: [],
    header: null,
    tail: null,
    terminatedEnd: 0,
  };
  private lineStart = 0;
  private lines = 0;
  private lastByte = -1;
  /** Set when the header line turned out too long: stop scanning. */
  tooLong = false;

  /** The newline at b[j] (file offset base + j) ends a line: an event's, unless blank or the header's. */
  private newline(b: Buffer, j: number, base: number): void {
    const end = base + j;
    const len = end - this.lineStart;
    if (len > 1 && this.facts.header !== null) this.facts.offsets.push(this.lineStart);
    else this.rare(len, j > 0 ? b[j - 1]! : this.lastByte, end);
    this.lineStart = end + 1;
  }

  /** Records the lines ending in `b` (bytes at file offset `base`), finding newlines with indexOf. */
  chunk(b: Buffer, base: number): void {
    for (let j = b.indexOf(LF); j >= 0; j = b.indexOf(LF, j + 1)) this.newline(b, j, base);
    this.chunkEnd(b, base);
  }

  /** The same with the SIMD finder, over input k of `finder` holding `n` bytes. The hot loop. */
  chunkFound(finder: NewlineFinder, k: 0 | 1, n: number, base: number): void {
    const b = finder.inputs[k].subarray(0, n);
    const offsets = this.facts.offsets;
    for (let from = 0; from < n; from += SCAN_SPAN) {
      const after = finder.find(k, from, Math.min(n, from + SCAN_SPAN));
      for (let x = 0; x < after.length; x++) {
        const end = base + after[x]! - 1;
        const len = end - this.lineStart;
        if (len > 1 && this.facts.header !== null) offsets.push(this.lineStart);
        else this.rare(len, end > base ? b[end - base - 1]! : this.lastByte, end);
        this.lineStart = end + 1;
      }
    }
    this.chunkEnd(b, base);
  }

  private chunkEnd(b: Buffer, base: number): void {
    if (b.length > 0) this.lastByte = b[b.length - 1]!;
    if (this.facts.header === null && base + b.length - this.lineStart > MAX_HEADER) this.tooLong = true;
    this.facts.terminatedEnd = this.lineStart;
  }

  /** A line of at most one byte (blank, or an event of one byte), or one before the header's end. */
  private rare(len: number, before: number, end: number): void {
    if (this.facts.header === null) this.lines++;
    const blank = len === 0 || (len === 1 && before === CR);
    if (blank) {
      if (this.facts.header) this.facts.blanks.push(this.facts.offsets.count);
    } else if (this.facts.header) {
      this.facts.offsets.push(this.lineStart);
    } else {
      this.facts.header = { start: this.lineStart, end, line: this.lines };
    }
  }

  finish(size: number): LineFacts {
    if (this.lineStart < size) this.facts.tail = this.lineStart;
    return this.facts;
  }
}

/** Files from this size on are scanned with the SIMD finder (its memory is worth it). */
const FINDER_FROM = 4 * 1024 * 1024;

async function scanLines(
  fd: number,
  size: number,
  options: SessionOpenOptions,
): Promise<LineScan | 'aborted'> {
  const scan = new LineScan();
  const finder = size >= FINDER_FROM ? NewlineFinder.create(CHUNK) : null;
  const small = Math.min(CHUNK, size);
  const bufs = finder ? finder.inputs : [Buffer.allocUnsafe(small), Buffer.allocUnsafe(small)];
  let k: 0 | 1 = 0;
  let pos = 0;
  let pending = readAt(fd, bufs[0], 0);
  for (;;) {
    const n = await pending;
    if (n <= 0) break;
    const buf = bufs[k];
    const base = pos;
    pos += n;
    // Read the next chunk (on libuv's thread) while this one is scanned.
    pending = pos < size ? readAt(fd, bufs[k ^ 1]!, pos) : Promise.resolve(0);
    if (finder) scan.chunkFound(finder, k, n, base);
    else scan.chunk(n === buf.length ? buf : buf.subarray(0, n), base);
    k = k === 0 ? 1 : 0;
    options.onProgress?.(pos, size);
    if (options.signal?.aborted) {
      await pending;
      return 'aborted';
    }
    if (scan.tooLong) break;
  }
  return scan;
}

type Fail = { ok: false; error: SessionOpenError };

function fail(kind: SessionOpenError['kind'], message: string): Fail {
  return { ok: false, error: { kind, message } };
}

/** Decides about the unterminated last line: an event if it parses, else a torn line (warned, excluded). */
function settleTail(
  fd: number,
  size: number,
  facts: LineFacts,
  warnings: SessionWarning[],
  lineNumber: number,
): void {
  if (facts.tail === null) return;
  const start = facts.tail;
  const len = size - start;
  if (len > MAX_LINE) {
    warnings.push({ line: lineNumber, message: `line ${lineNumber} is unterminated and too long; ignored` });
    return;
  }
  const buf = readRange(fd, start, size);
  if (buf.length === 0 || (buf.length === 1 && buf[0] === CR)) return;
  if (facts.header === null) {
    facts.header = { start, end: size, line: lineNumber };
    return;
  }
  try {
    JSON.parse(lineText(buf, start));
    facts.offsets.push(start);
    facts.terminatedEnd = size;
  } catch {
    warnings.push({
      line: lineNumber,
      message: `line ${lineNumber} is incomplete (the capture was cut off); ignored`,
    });
  }
}

function validateHeader(fd: number, facts: LineFacts): { ok: true; header: SessionHeader } | Fail {
  const h = facts.header;
  if (!h) return fail('empty', 'the file holds no session header (it is empty or blank)');
  if (h.end - h.start > MAX_HEADER)
    return fail('not-a-session', 'the first line is too long to be a session header');
  const r = readHeader(lineText(readRange(fd, h.start, h.end), h.start));
  return r.ok ? r : fail(r.kind, r.message);
}

export class SessionFile {
  private readonly cache = new Map<number, EventRead>();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    readonly header: SessionHeader,
    readonly size: number,
    private readonly facts: LineFacts,
    readonly warnings: readonly SessionWarning[],
  ) {}

  /** Reads the file once, recording where each event starts; the header is parsed and checked. */
  static async open(file: string, options: SessionOpenOptions = {}): Promise<SessionOpenResult> {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (e) {
      return fail('io', e instanceof Error ? e.message : String(e));
    }
    try {
      const r = await SessionFile.scan(file, fd, options);
      if (!r.ok) fs.closeSync(fd);
      return r;
    } catch (e) {
      fs.closeSync(fd);
      return fail('io', e instanceof Error ? e.message : String(e));
    }
  }

  private static async scan(
    file: string,
    fd: number,
    options: SessionOpenOptions,
  ): Promise<SessionOpenResult> {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return fail('empty', 'the file is empty');
    const first = firstSignificant(readRange(fd, 0, Math.min(size, 4096)));
    if (first === undefined) return fail('empty', 'the file holds only blank lines');
    if (first !== 0x7b) return fail('not-a-session', 'not a session: the first line is not a JSON object');
    const scan = await scanLines(fd, size, options);
    if (scan === 'aborted') return fail('aborted', 'opening the session was cancelled');
    if (scan.tooLong) return fail('not-a-session', 'the first line is too long to be a session header');
    const facts = scan.finish(size);
    const warnings: SessionWarning[] = [];
    const tailLine = facts.header ? facts.header.line + facts.offsets.count + facts.blanks.length + 1 : 1;
    settleTail(fd, size, facts, warnings, tailLine);
    const header = validateHeader(fd, facts);
    if (!header.ok) return header;
    return { ok: true, session: new SessionFile(file, fd, header.header, size, facts, warnings) };
  }

  /** Events in the file (a torn last line is not one). */
  get eventCount(): number {
    return this.facts.offsets.count;
  }

  get span(): EventSpan {
    const count = this.eventCount;
    return { start: count > 0 ? this.facts.offsets.get(0) : 0, end: this.facts.terminatedEnd, count };
  }

  /** 1-based line of the event in the file. */
  lineOf(index: number): number {
    const blanks = this.facts.blanks;
    let lo = 0;
    let hi = blanks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (blanks[mid]! <= index) lo = mid + 1;
      else hi = mid;
    }
    return (this.facts.header?.line ?? 0) + index + lo + 1;
  }

  /** The raw text of an event's line (without CR/LF), or why it cannot be read. */
  lineText(index: number): { ok: true; text: string } | { ok: false; message: string } {
    const span = this.lineSpan(index);
    return span.ok
      ? { ok: true, text: this.cut(readRange(this.fd, span.start, span.end), span.start) }
      : span;
  }

  /** Where an event's line lies (up to the next event: blank lines after it may be inside). */
  private lineSpan(index: number): { ok: true; start: number; end: number } | { ok: false; message: string } {
    if (this.closed) return { ok: false, message: 'the session is closed' };
    if (!Number.isInteger(index) || index < 0 || index >= this.eventCount) {
      return { ok: false, message: `no event ${index} (the session has ${this.eventCount})` };
    }
    const start = this.facts.offsets.get(index);
    const end = index + 1 < this.eventCount ? this.facts.offsets.get(index + 1) : this.facts.terminatedEnd;
    if (end - start > MAX_LINE) return { ok: false, message: `line is too long (${end - start} bytes)` };
    return { ok: true, start, end };
  }

  /** The line's text from bytes read at its start. */
  private cut(buf: Buffer, start: number): string {
    const nl = buf.indexOf(LF);
    return lineText(nl >= 0 ? buf.subarray(0, nl) : buf, start);
  }

  /**
   * The event at `index` (0-based); an index out of range reads as unreadable. Without `scopes` its frames
   * carry no variables (cheaper, for output lines; such reads are not cached).
   */
  event(index: number, scopes = true): EventRead {
    const hit = this.cache.get(index);
    if (hit) {
      this.cache.delete(index);
      this.cache.set(index, hit);
      return hit;
    }
    const read = this.parse(index, scopes);
    if (!scopes) return read;
    this.cache.set(index, read);
    if (this.cache.size > CACHE) this.cache.delete(this.cache.keys().next().value!);
    return read;
  }

  private parse(index: number, scopes: boolean): EventRead {
    const line = this.lineOf(index);
    const text = this.lineText(index);
    const r = text.ok ? normalizeEvent(text.text, scopes) : text;
    return r.ok
      ? { ok: true, index, line, event: r.event }
      : { ok: false, index, line, message: `line ${line}: ${r.message}` };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    fs.closeSync(this.fd);
  }
}
