// Interned stacks: every distinct stack is a node of a trie, built from the outermost frame in (node = a frame
// plus its caller's node). Two events share a caller chain exactly when they share an ancestor node, so the
// stepping rules ("still inside this frame?") and breakpoints "in any frame" are answered per distinct stack,
// never per event, and without re-reading the file.

import type { SessionFrame } from './format';

/** The empty stack (depth 0). */
const ROOT = 0;

/** The plain-data form of a table, as the index worker hands it over (typed arrays are transferred). */
export interface StackTableData {
  nodes: number;
  parent: Int32Array;
  frame: Int32Array;
  depth: Uint16Array;
  frames: number;
  frameFunction: Int32Array;
  frameFile: Int32Array;
  frameLine: Int32Array;
  /** Interned function names and file paths; `frameFunction`/`frameFile` index them (-1: none). */
  names: string[];
}

/** `a`, or a copy at least twice as long when it is shorter than `need` (new slots are 0). */
export function grow<T extends Int32Array | Uint16Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Hash of two 32-bit integers (for the open-addressed tables). */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 15;
  return Math.imul(h, 0x2c1b3c6d) >>> 0;
}

export class StackTable {
  private parentOf: Int32Array;
  private frameOf: Int32Array;
  private depthOf: Uint16Array;
  private nodeCount: number;
  private fnOf: Int32Array;
  private fileOf: Int32Array;
  private lineOf: Int32Array;
  private frameCount: number;
  private readonly names: string[];
  /** Building state; absent on a table received from the worker. */
  private building: {
    nodeSlots: Int32Array;
    frameSlots: Int32Array;
    nameIds: Map<string, number>;
  } | null;

  constructor(data?: StackTableData) {
    this.parentOf = data?.parent ?? new Int32Array(1024);
    this.frameOf = data?.frame ?? new Int32Array(1024);
    this.depthOf = data?.depth ?? new Uint16Array(1024);
    this.nodeCount = data?.nodes ?? 1;
    this.fnOf = data?.frameFunction ?? new Int32Array(256);
    this.fileOf = data?.frameFile ?? new Int32Array(256);
    this.lineOf = data?.frameLine ?? new Int32Array(256);
    this.frameCount = data?.frames ?? 0;
    this.names = data?.names ?? [];
    this.building = data
      ? null
      : {
          nodeSlots: new Int32Array(2048).fill(-1),
          frameSlots: new Int32Array(512).fill(-1),
          nameIds: new Map(),
        };
    if (!data) {
      this.parentOf[ROOT] = -1;
      this.frameOf[ROOT] = -1;
    }
  }

  get size(): number {
    return this.nodeCount;
  }

  /** Distinct frames (function, file, line); frame ids are 0 … frames − 1. */
  get frames(): number {
    return this.frameCount;
  }

  parent(node: number): number {
    return this.parentOf[node]!;
  }

  depth(node: number): number {
    return this.depthOf[node]!;
  }

  /** The frame id of a node's innermost frame (-1 for the root). */
  frame(node: number): number {
    return this.frameOf[node]!;
  }

  /** Interned name id of a frame's function (-1: none); equal ids, equal names. */
  functionId(frame: number): number {
    return this.fnOf[frame]!;
  }

  functionName(frame: number): string | null {
    const id = this.fnOf[frame]!;
    return id < 0 ? null : this.names[id]!;
  }

  fileName(frame: number): string | null {
    const id = this.fileOf[frame]!;
    return id < 0 ? null : this.names[id]!;
  }

  line(frame: number): number | null {
    const l = this.lineOf[frame]!;
    return l < 0 ? null : l;
  }

  /** The node at `depth` on the way from `node` to the root (the suffix of that many outer frames). */
  ancestor(node: number, depth: number): number {
    let n = node;
    for (let d = this.depthOf[n]!; d > depth; d--) n = this.parentOf[n]!;
    return n;
  }

  /** The node of a stack (innermost first, as events record it). */
  intern(stack: readonly SessionFrame[]): number {
    let node = ROOT;
    for (let i = stack.length - 1; i >= 0; i--) node = this.child(node, this.internFrame(stack[i]!));
    return node;
  }

  toData(): StackTableData {
    return {
      nodes: this.nodeCount,
      parent: this.parentOf.slice(0, this.nodeCount),
      frame: this.frameOf.slice(0, this.nodeCount),
      depth: this.depthOf.slice(0, this.nodeCount),
      frames: this.frameCount,
      frameFunction: this.fnOf.slice(0, this.frameCount),
      frameFile: this.fileOf.slice(0, this.frameCount),
      frameLine: this.lineOf.slice(0, this.frameCount),
      names: this.names,
    };
  }

  private builder(): NonNullable<StackTable['building']> {
    if (!this.building) throw new Error('a stack table received from the index is read-only');
    return this.building;
  }

  private nameId(name: string | null): number {
    if (name === null) return -1;
    const ids = this.builder().nameIds;
    let id = ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      ids.set(name, id);
    }
    return id;
  }

  private internFrame(f: SessionFrame): number {
    const b = this.builder();
    const fn = this.nameId(f.function);
    const file = this.nameId(f.file);
    const line = f.line ?? -1;
    const mask = b.frameSlots.length - 1;
    let slot = mix(mix(fn, file), line) & mask;
    for (;;) {
      const id = b.frameSlots[slot]!;
      if (id < 0) break;
      if (this.fnOf[id] === fn && this.fileOf[id] === file && this.lineOf[id] === line) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.frameCount++;
    this.fnOf = grow(this.fnOf, id + 1, (n) => new Int32Array(n));
    this.fileOf = grow(this.fileOf, id + 1, (n) => new Int32Array(n));
    this.lineOf = grow(this.lineOf, id + 1, (n) => new Int32Array(n));
    this.fnOf[id] = fn;
    this.fileOf[id] = file;
    this.lineOf[id] = line;
    b.frameSlots[slot] = id;
    if (this.frameCount * 2 > b.frameSlots.length) {
      b.frameSlots = this.rehash(b.frameSlots.length * 2, this.frameCount, 0, (k) =>
        mix(mix(this.fnOf[k]!, this.fileOf[k]!), this.lineOf[k]!),
      );
    }
    return id;
  }

  /** The node for `frame` called from `parent`, found in (or added to) the open-addressed slot table. */
  private child(parent: number, frame: number): number {
    const b = this.builder();
    const mask = b.nodeSlots.length - 1;
    let slot = mix(parent, frame) & mask;
    for (;;) {
      const n = b.nodeSlots[slot]!;
      if (n < 0) break;
      if (this.parentOf[n] === parent && this.frameOf[n] === frame) return n;
      slot = (slot + 1) & mask;
    }
    const node = this.nodeCount++;
    this.parentOf = grow(this.parentOf, node + 1, (n) => new Int32Array(n));
    this.frameOf = grow(this.frameOf, node + 1, (n) => new Int32Array(n));
    this.depthOf = grow(this.depthOf, node + 1, (n) => new Uint16Array(n));
    this.parentOf[node] = parent;
    this.frameOf[node] = frame;
    this.depthOf[node] = this.depthOf[parent]! + 1;
    b.nodeSlots[slot] = node;
    if (this.nodeCount * 2 > b.nodeSlots.length) {
      b.nodeSlots = this.rehash(b.nodeSlots.length * 2, this.nodeCount, 1, (n) =>
        mix(this.parentOf[n]!, this.frameOf[n]!),
      );
    }
    return node;
  }

  /** A bigger open-addressed table of ids first … count − 1, placed by `hash`. */
  private rehash(size: number, count: number, first: number, hash: (id: number) => number): Int32Array {
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let id = first; id < count; id++) {
      let slot = hash(id) & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    return slots;
  }
}

/**
 * How an event's stack continues its thread's previous one: `shared`, the depth of their deepest common node
 * (the same caller chain, lines included); `sameFunction`, whether the frame just below that is still the same
 * function (a line moved on within the same call). Frames deeper than that are calls entered since.
 */
export function continuity(
  table: StackTable,
  node: number,
  previous: number,
): { shared: number; sameFunction: boolean } {
  const depth = Math.min(table.depth(node), table.depth(previous));
  let a = table.ancestor(node, depth);
  let b = table.ancestor(previous, depth);
  let x = a;
  let y = b;
  while (a !== b) {
    x = a;
    y = b;
    a = table.parent(a);
    b = table.parent(b);
  }
  const sameFunction = x !== y && table.functionId(table.frame(x)) === table.functionId(table.frame(y));
  return { shared: table.depth(a), sameFunction };
}
