// Breakpoints of a replay: their definitions (conditions compiled, hit conditions parsed) and which distinct
// stacks they match, memoised per interned stack node so that a search tests one array slot per event.

import { compile, type Ast } from './expr';
import { grow, type StackTable } from './stacks';

export type HitTest = (n: number) => boolean;

function isDigits(s: string): boolean {
  if (s === '' || s.length > 15) return false;
  for (const c of s) if (c < '0' || c > '9') return false;
  return true;
}

const HIT_OPS = ['>=', '<=', '===', '==', '=', '>', '<', '%'] as const;

/** DAP hit conditions: `N` (the Nth hit), `>= N`, `> N`, `<= N`, `< N`, `== N`, `% N` (every Nth). */
function parseHitCondition(text: string): { ok: true; test: HitTest } | { ok: false; error: string } {
  const s = text.trim();
  const op = HIT_OPS.find((o) => s.startsWith(o)) ?? '';
  const num = s.slice(op.length).trim();
  if (!isDigits(num)) return { ok: false, error: `hit condition "${text}" is not N, >= N or % N` };
  const n = Number(num);
  switch (op) {
    case '>=':
      return { ok: true, test: (k) => k >= n };
    case '>':
      return { ok: true, test: (k) => k > n };
    case '<=':
      return { ok: true, test: (k) => k <= n };
    case '<':
      return { ok: true, test: (k) => k < n };
    case '%':
      return n === 0 ? { ok: false, error: 'hit condition "% 0"' } : { ok: true, test: (k) => k % n === 0 };
    default:
      return { ok: true, test: (k) => k === n };
  }
}

/** A part of a logpoint's message: text, or an expression between braces. */
export type LogPart = { text: string } | { expr: Ast } | { error: string };

/** Splits `a {x} b` into parts; `{` without a closing `}` stays text. */
export function parseLogMessage(message: string): LogPart[] {
  const parts: LogPart[] = [];
  let i = 0;
  while (i < message.length) {
    const open = message.indexOf('{', i);
    const close = open < 0 ? -1 : message.indexOf('}', open + 1);
    if (open < 0 || close < 0) {
      parts.push({ text: message.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: message.slice(i, open) });
    const c = compile(message.slice(open + 1, close));
    parts.push(c.ok ? { expr: c.ast } : { error: c.error });
    i = close + 1;
  }
  return parts;
}

/** What every breakpoint kind shares. */
export interface BreakpointBase {
  id: number;
  condition: Ast | null;
  hit: HitTest | null;
  /** Set when the condition or hit condition did not compile (the breakpoint is then not verified). */
  error: string | null;
  /** Hits in session order, when a hit condition needs them (built once per definition). */
  hits?: number[];
  /** The condition failed to evaluate once already (said once, as a notice). */
  noticed?: boolean;
  /** The definition as set, to keep a breakpoint (its id, its hits) when it is set again unchanged. */
  spec: string;
}

export interface LineBreakpointDef extends BreakpointBase {
  file: string;
  line: number;
  log: LogPart[] | null;
}

export interface FunctionBreakpointDef extends BreakpointBase {
  name: string;
}

export interface DataBreakpointDef extends BreakpointBase {
  threadId: number | undefined;
  function: string | null;
  scope: string | undefined;
  path: string[];
  description: string;
}

/** Compiles what every kind has; the id is the caller's. */
export function base(
  id: number,
  spec: string,
  condition: string | undefined,
  hitCondition: string | undefined,
): BreakpointBase {
  const out: BreakpointBase = { id, spec, condition: null, hit: null, error: null };
  if (condition !== undefined && condition.trim() !== '') {
    const c = compile(condition);
    if (c.ok) out.condition = c.ast;
    else out.error = `condition: ${c.error}`;
  }
  if (hitCondition !== undefined && hitCondition.trim() !== '') {
    const h = parseHitCondition(hitCondition);
    if (h.ok) out.hit = h.test;
    else out.error = h.error;
  }
  return out;
}

/** `save` matches `Repo.save`, `acme::Repo::save`, `Repo#save`; a full name matches itself. */
export function functionMatches(recorded: string, wanted: string): boolean {
  if (recorded === wanted) return true;
  if (!recorded.endsWith(wanted)) return false;
  const before = recorded.slice(0, recorded.length - wanted.length);
  return before.endsWith('.') || before.endsWith('::') || before.endsWith('#') || before.endsWith('/');
}

/** `IOException` matches `java.io.IOException`; a full name matches itself. */
export function exceptionMatches(recorded: string, wanted: string): boolean {
  return functionMatches(recorded, wanted) || recorded.endsWith(`$${wanted}`);
}

function normalisePath(p: string): string {
  const parts = p.replace(/\\/g, '/').split('/');
  const s = parts.filter((x, i) => (x !== '' || i === 0) && x !== '.').join('/');
  return /^[A-Za-z]:\//.test(s) || p.includes('\\') ? s.toLowerCase() : s;
}

/** Default file matching: one normalised path ends with the other on a segment boundary. */
export function sameFileDefault(recorded: string, requested: string): boolean {
  const a = normalisePath(recorded);
  const b = normalisePath(requested);
  if (a === '' || b === '') return false;
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}

/** A breakpoint matched at a frame: `depth` is the frame's depth from the root (innermost = stack depth). */
export interface FrameHit<B> {
  bp: B;
  depth: number;
}

const UNKNOWN = 0;
const NONE = 1;

/**
 * Per stack node, the list of breakpoints whose frames it holds; a node's list is its own frame's hits plus
 * (when all frames count) its parent's. Slot 0 unknown, 1 none, k ≥ 2 list k − 2.
 */
export class NodeMemo<B> {
  private slots = new Int32Array(1024);
  private readonly lists: FrameHit<B>[][] = [];
  private readonly frameHits = new Map<number, B[]>();

  constructor(
    readonly table: StackTable,
    /** The breakpoints one frame matches. */
    private readonly ofFrame: (frame: number) => B[],
    /** Whether outer frames count, or only the innermost. */
    private readonly allFrames: boolean,
  ) {}

  private hitsOfFrame(frame: number): B[] {
    let h = this.frameHits.get(frame);
    if (!h) {
      h = frame < 0 ? [] : this.ofFrame(frame);
      this.frameHits.set(frame, h);
    }
    return h;
  }

  /** The hits of a node, innermost frame first; null when none. */
  get(node: number): FrameHit<B>[] | null {
    const s = this.slots[node] ?? UNKNOWN;
    if (s === NONE) return null;
    if (s !== UNKNOWN) return this.lists[s - 2]!;
    // Outermost unknown ancestor first, without recursion (stacks can be 65,535 frames deep).
    const chain = [node];
    for (let n = node; this.allFrames && this.table.depth(n) > 1;) {
      n = this.table.parent(n);
      if ((this.slots[n] ?? UNKNOWN) !== UNKNOWN) break;
      chain.push(n);
    }
    for (let k = chain.length - 1; k >= 0; k--) this.compute(chain[k]!);
    return this.get(node);
  }

  private compute(node: number): void {
    const depth = this.table.depth(node);
    const own = this.hitsOfFrame(this.table.frame(node)).map((bp) => ({ bp, depth }));
    const parent = this.allFrames && depth > 1 ? (this.get(this.table.parent(node)) ?? []) : [];
    const list = own.length === 0 ? parent : [...own, ...parent];
    this.slots = grow(this.slots, node + 1, (n) => new Int32Array(n));
    this.slots[node] = list.length === 0 ? NONE : this.lists.push(list) + 1;
  }
}
