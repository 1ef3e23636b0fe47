// Finds the newlines of a large buffer 16 bytes at a time: a tiny WebAssembly SIMD function, so that opening a
// session costs about what `wc -l` does (one Buffer.indexOf call per line costs twice that). Where WebAssembly
// SIMD is missing, callers fall back to indexOf; both give the same positions.

/** Bytes the caller may hand `find` at once: its positions then fit the output region. */
export const SCAN_SPAN = 1 << 20;

/**
 * The function, as its text form would read:
 *
 *   (func (export "scan") (param $p i32) (param $end i32) (param $out i32) (result i32)
 *     (local $n i32) (local $mask i32) (local $nl v128)
 *     nl = i8x16.splat(10)
 *     while p < end:
 *       mask = i8x16.bitmask(i8x16.eq(v128.load(p), nl))
 *       if end - p < 16: mask &= (1 << (end - p)) - 1        ;; bytes past the end are not ours
 *       while mask != 0:
 *         i32.store(out + 4n, p + ctz(mask) + 1); n += 1     ;; the offset just past each newline
 *         mask &= mask - 1
 *       p += 16
 *     return n)
 */
const P = 0;
const END = 1;
const OUT = 2;
const N = 3;
const MASK = 4;
const NL = 5;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (local: number) => [0x20, local],
  set: (local: number) => [0x21, local],
  const: (v: number) => [0x41, v],
  eqz: [0x45],
  ltU: [0x49],
  geU: [0x4f],
  ctz: [0x68],
  add: [0x6a],
  sub: [0x6b],
  and: [0x71],
  shl: [0x74],
  store: [0x36, 0x02, 0x00],
  v128Load: [0xfd, 0x00, 0x00, 0x00],
  splat: [0xfd, 0x0f],
  eq: [0xfd, 0x23],
  bitmask: [0xfd, 0x64],
};

const BODY = [
  ...op.const(10),
  ...op.splat,
  ...op.set(NL),
  ...op.block,
  ...op.loop,
  ...[...op.get(P), ...op.get(END), ...op.geU, ...op.brIf(1)],
  ...[...op.get(P), ...op.v128Load, ...op.get(NL), ...op.eq, ...op.bitmask, ...op.set(MASK)],
  ...[...op.get(END), ...op.get(P), ...op.sub, ...op.const(16), ...op.ltU, ...op.if],
  ...[...op.get(MASK), ...op.const(1), ...op.get(END), ...op.get(P), ...op.sub, ...op.shl],
  ...[...op.const(1), ...op.sub, ...op.and, ...op.set(MASK), ...op.end],
  ...op.block,
  ...op.loop,
  ...[...op.get(MASK), ...op.eqz, ...op.brIf(1)],
  ...[...op.get(OUT), ...op.get(N), ...op.const(2), ...op.shl, ...op.add],
  ...[...op.get(P), ...op.get(MASK), ...op.ctz, ...op.add, ...op.const(1), ...op.add, ...op.store],
  ...[...op.get(N), ...op.const(1), ...op.add, ...op.set(N)],
  ...[...op.get(MASK), ...op.get(MASK), ...op.const(1), ...op.sub, ...op.and, ...op.set(MASK)],
  ...op.br(0),
  ...op.end,
  ...op.end,
  ...[...op.get(P), ...op.const(16), ...op.add, ...op.set(P), ...op.br(0)],
  ...op.end,
  ...op.end,
  ...op.get(N),
  ...op.end,
];

/** Unsigned LEB128, as WebAssembly writes sizes. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    const low = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? low : low | 0x80);
  } while (n !== 0);
  return out;
}

function section(id: number, bytes: number[]): number[] {
  return [id, ...leb(bytes.length), ...bytes];
}

function name(s: string): number[] {
  return [s.length, ...Buffer.from(s, 'ascii')];
}

const I32 = 0x7f;
const V128 = 0x7b;
/** Locals: two i32 ($n, $mask), one v128 ($nl). */
const CODE = [0x02, 0x02, I32, 0x01, V128, ...BODY];

const MODULE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [0x01, 0x60, 0x03, I32, I32, I32, 0x01, I32]),
  ...section(2, [0x01, ...name('m'), ...name('mem'), 0x02, 0x00, 0x01]),
  ...section(3, [0x01, 0x00]),
  ...section(7, [0x01, ...name('scan'), 0x00, 0x00]),
  ...section(10, [0x01, ...leb(CODE.length), ...CODE]),
]);

const PAGE = 64 * 1024;

/** The few WebAssembly APIs used (the project's TypeScript lib declares none). */
interface Wasm {
  validate(bytes: Uint8Array): boolean;
  Memory: new (limits: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly;

/** Two input buffers (for reading one while the other is scanned) and the output region, in one memory. */
export class NewlineFinder {
  readonly inputs: [Buffer, Buffer];
  private readonly positions: Uint32Array;

  private constructor(
    private readonly scan: (p: number, end: number, out: number) => number,
    memory: { buffer: ArrayBuffer },
    readonly size: number,
  ) {
    this.inputs = [Buffer.from(memory.buffer, 0, size), Buffer.from(memory.buffer, size, size)];
    this.positions = new Uint32Array(memory.buffer, 2 * size, SCAN_SPAN);
  }

  /** A finder with input buffers of `size` bytes (a multiple of 64 KB), or null without WebAssembly SIMD. */
  static create(size: number): NewlineFinder | null {
    if (!wasm?.validate(MODULE)) return null;
    // Inputs, 16 bytes of slack for the last load, and one position per byte of a span.
    const memory = new wasm.Memory({ initial: (2 * size + 4 * SCAN_SPAN) / PAGE + 1 });
    const instance = new wasm.Instance(new wasm.Module(MODULE), { m: { mem: memory } });
    const scan = instance.exports.scan as (p: number, end: number, out: number) => number;
    return new NewlineFinder(scan, memory, size);
  }

  /**
   * Offsets just past each newline in bytes [from, to) of input k (at most SCAN_SPAN bytes), relative to the
   * input's start, in order; valid until the next call.
   */
  find(k: 0 | 1, from: number, to: number): Uint32Array {
    const base = k * this.size;
    const n = this.scan(base + from, base + to, 2 * this.size);
    const out = this.positions.subarray(0, n);
    if (base > 0) for (let i = 0; i < n; i++) out[i]! -= base;
    return out;
  }
}
