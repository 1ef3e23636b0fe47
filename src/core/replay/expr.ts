// A small, safe expression language over recorded values (hover, watch, breakpoint conditions, logpoints):
// identifiers, `a.b`, `a[0]`, `a["k"]`, literals, comparisons, `&& || !` and parentheses. Nothing is ever
// executed; a hand-written tokenizer and a depth-limited recursive-descent parser keep hostile input linear.

import type { SessionVariable } from './format';

const MAX_EXPRESSION = 10_000;
const MAX_NESTING = 64;
/** Operators per expression: bounds the tree's depth (chains like `a.b.c…` or `a==b==c…` are not nested). */
const MAX_OPERATORS = 1000;

type Token =
  | { k: 'id'; s: string }
  | { k: 'num'; s: string }
  | { k: 'str'; s: string }
  | { k: 'op'; s: string }
  | { k: 'end' };

export type Ast =
  | { t: 'id'; name: string }
  | { t: 'lit'; text: string; type: 'number' | 'string' | 'boolean' | 'null' }
  | { t: 'member'; of: Ast; key: Ast }
  | { t: 'not'; of: Ast }
  | { t: 'neg'; of: Ast }
  | { t: 'bin'; op: string; l: Ast; r: Ast };

/** What an expression evaluates to: a recorded variable, or a value it computed. */
export type Value =
  | { kind: 'variable'; variable: SessionVariable }
  | { kind: 'computed'; text: string; type: 'number' | 'string' | 'boolean' | 'null' };

export type Compiled = { ok: true; ast: Ast } | { ok: false; error: string };
export type Evaluated = { ok: true; value: Value } | { ok: false; error: string };

class ExprError extends Error {}

const TWO_CHAR = ['==', '!=', '<=', '>=', '&&', '||'];
const ONE_CHAR = '.[]()!<>-';

function isIdStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isIdPart(c: string): boolean {
  return isIdStart(c) || isDigit(c);
}

function readString(src: string, start: number): { s: string; end: number } {
  const quote = src[start]!;
  let out = '';
  for (let i = start + 1; i < src.length; i++) {
    const c = src[i]!;
    if (c === quote) return { s: out, end: i + 1 };
    if (c === '\\' && i + 1 < src.length) {
      const n = src[++i]!;
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
    } else out += c;
  }
  throw new ExprError('unterminated string');
}

function readNumber(src: string, start: number): number {
  let i = start;
  while (i < src.length && isDigit(src[i]!)) i++;
  if (src[i] === '.') for (i++; i < src.length && isDigit(src[i]!);) i++;
  if (src[i] === 'e' || src[i] === 'E') {
    let j = i + 1;
    if (src[j] === '+' || src[j] === '-') j++;
    if (isDigit(src[j] ?? '')) for (i = j; i < src.length && isDigit(src[i]!);) i++;
  }
  return i;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (isIdStart(c)) {
      let j = i + 1;
      while (j < src.length && isIdPart(src[j]!)) j++;
      out.push({ k: 'id', s: src.slice(i, j) });
      i = j;
    } else if (isDigit(c)) {
      const j = readNumber(src, i);
      out.push({ k: 'num', s: src.slice(i, j) });
      i = j;
    } else if (c === '"' || c === "'") {
      const r = readString(src, i);
      out.push({ k: 'str', s: r.s });
      i = r.end;
    } else if (TWO_CHAR.includes(src.slice(i, i + 2))) {
      out.push({ k: 'op', s: src.slice(i, i + 2) });
      i += 2;
    } else if (ONE_CHAR.includes(c)) {
      out.push({ k: 'op', s: c });
      i++;
    } else {
      throw new ExprError(`unexpected '${c}' at ${i + 1}`);
    }
  }
  out.push({ k: 'end' });
  return out;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private operators = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Ast {
    const ast = this.or();
    const rest = this.peek();
    if (rest.k !== 'end') throw new ExprError(`unexpected '${'s' in rest ? rest.s : ''}'`);
    return ast;
  }

  /** Counts a compound node. */
  private op<T extends Ast>(ast: T): T {
    if (++this.operators > MAX_OPERATORS)
      throw new ExprError(`expression has more than ${MAX_OPERATORS} operators`);
    return ast;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private isOp(s: string): boolean {
    const t = this.peek();
    return t.k === 'op' && t.s === s;
  }

  private expect(s: string): void {
    if (!this.isOp(s)) throw new ExprError(`'${s}' expected`);
    this.pos++;
  }

  /** Every recursive rule goes through here, so nesting is bounded whatever the input. */
  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_NESTING) throw new ExprError(`expression nested more than ${MAX_NESTING} deep`);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private binary(ops: string[], next: () => Ast): Ast {
    let l = next();
    for (;;) {
      const t = this.peek();
      if (t.k !== 'op' || !ops.includes(t.s)) return l;
      this.pos++;
      l = this.op({ t: 'bin', op: t.s, l, r: next() });
    }
  }

  private or(): Ast {
    return this.nested(() => this.binary(['||'], () => this.and()));
  }

  private and(): Ast {
    return this.binary(['&&'], () => this.compare());
  }

  private compare(): Ast {
    return this.binary(['==', '!=', '<', '<=', '>', '>='], () => this.unary());
  }

  private unary(): Ast {
    if (this.isOp('!') || this.isOp('-')) {
      const op = this.peek();
      this.pos++;
      const of = this.nested(() => this.unary());
      return this.op(op.k === 'op' && op.s === '!' ? { t: 'not', of } : { t: 'neg', of });
    }
    return this.postfix();
  }

  private postfix(): Ast {
    let ast = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.pos++;
        const t = this.peek();
        if (t.k !== 'id') throw new ExprError('a name is expected after "."');
        this.pos++;
        ast = this.op({ t: 'member', of: ast, key: { t: 'lit', text: t.s, type: 'string' } });
      } else if (this.isOp('[')) {
        this.pos++;
        const key = this.nested(() => this.or());
        this.expect(']');
        ast = this.op({ t: 'member', of: ast, key });
      } else {
        return ast;
      }
    }
  }

  private primary(): Ast {
    const t = this.peek();
    this.pos++;
    if (t.k === 'num') return { t: 'lit', text: t.s, type: 'number' };
    if (t.k === 'str') return { t: 'lit', text: t.s, type: 'string' };
    if (t.k === 'id') {
      if (t.s === 'true' || t.s === 'false') return { t: 'lit', text: t.s, type: 'boolean' };
      if (t.s === 'null') return { t: 'lit', text: 'null', type: 'null' };
      return { t: 'id', name: t.s };
    }
    if (t.k === 'op' && t.s === '(') {
      const inner = this.nested(() => this.or());
      this.expect(')');
      return inner;
    }
    throw new ExprError(t.k === 'end' ? 'the expression ends too early' : `unexpected '${t.s}'`);
  }
}

/** Parses an expression; errors (too long, too deep, syntax) come back as values. */
export function compile(src: string): Compiled {
  if (src.length > MAX_EXPRESSION) {
    return { ok: false, error: `expression too long (${src.length} characters; at most ${MAX_EXPRESSION})` };
  }
  try {
    return { ok: true, ast: new Parser(tokenize(src)).parse() };
  } catch (e) {
    if (e instanceof ExprError) return { ok: false, error: e.message };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------

/** A recorded value as plain text: one pair of surrounding quotes (as debuggers print strings) removed. */
function plain(text: string): string {
  const q = text[0];
  return text.length >= 2 && (q === '"' || q === "'") && text[text.length - 1] === q
    ? text.slice(1, -1)
    : text;
}

function asNumber(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function textOf(v: Value): string {
  return v.kind === 'variable' ? v.variable.value : v.text;
}

const FALSY = new Set(['', 'false', '0', 'null', 'nil', 'none', 'undefined', 'nullptr']);

export function truthy(v: Value): boolean {
  const s = plain(textOf(v)).trim();
  const n = asNumber(s);
  return n !== null ? n !== 0 : !FALSY.has(s.toLowerCase());
}

const NULLISH = new Set(['null', 'nil', 'none', 'undefined', 'nullptr', '<null>']);

/** -1, 0, 1: numerically when both read as numbers, else as text (booleans and null by their sense). */
function order(a: Value, b: Value): number {
  const isType = (v: Value, type: string): boolean => v.kind === 'computed' && v.type === type;
  if (isType(a, 'null') || isType(b, 'null')) {
    const other = isType(a, 'null') ? b : a;
    return NULLISH.has(plain(textOf(other)).trim().toLowerCase()) ? 0 : 1;
  }
  if (isType(a, 'boolean') || isType(b, 'boolean')) return truthy(a) === truthy(b) ? 0 : 1;
  const x = plain(textOf(a));
  const y = plain(textOf(b));
  const nx = asNumber(x);
  const ny = asNumber(y);
  if (nx !== null && ny !== null) return nx < ny ? -1 : nx > ny ? 1 : 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

function bool(b: boolean): Value {
  return { kind: 'computed', text: b ? 'true' : 'false', type: 'boolean' };
}

/** A child of a recorded value by name (`a.b`, `a["b"]`) or position (`a[0]`: a child named `0` or `[0]`). */
function member(of: Value, key: Value): Value {
  if (of.kind !== 'variable') throw new ExprError('only recorded values have members');
  const name = plain(textOf(key));
  const children = of.variable.children ?? [];
  const found = children.find((c) => c.name === name) ?? children.find((c) => c.name === `[${name}]`);
  if (found) return { kind: 'variable', variable: found };
  const index = asNumber(name);
  if (index !== null && Number.isInteger(index) && children.every((c) => c.name === '')) {
    const byPosition = children[index];
    if (byPosition) return { kind: 'variable', variable: byPosition };
  }
  throw new ExprError(`${of.variable.name} has no recorded member ${name}`);
}

function compareOp(op: string, c: number): boolean {
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

function evalAst(ast: Ast, lookup: (name: string) => SessionVariable | undefined): Value {
  switch (ast.t) {
    case 'lit':
      return { kind: 'computed', text: ast.text, type: ast.type };
    case 'id': {
      const v = lookup(ast.name);
      if (!v) throw new ExprError(`${ast.name} is not recorded here`);
      return { kind: 'variable', variable: v };
    }
    case 'member':
      return member(evalAst(ast.of, lookup), evalAst(ast.key, lookup));
    case 'not':
      return bool(!truthy(evalAst(ast.of, lookup)));
    case 'neg': {
      const n = asNumber(plain(textOf(evalAst(ast.of, lookup))));
      if (n === null) throw new ExprError('"-" needs a number');
      return { kind: 'computed', text: String(-n), type: 'number' };
    }
    case 'bin': {
      if (ast.op === '&&' || ast.op === '||') {
        const l = truthy(evalAst(ast.l, lookup));
        if (ast.op === '&&' ? !l : l) return bool(l);
        return bool(truthy(evalAst(ast.r, lookup)));
      }
      return bool(compareOp(ast.op, order(evalAst(ast.l, lookup), evalAst(ast.r, lookup))));
    }
  }
}

/** Evaluates a compiled expression; `lookup` finds an identifier among the frame's recorded variables. */
export function evaluateAst(ast: Ast, lookup: (name: string) => SessionVariable | undefined): Evaluated {
  try {
    return { ok: true, value: evalAst(ast, lookup) };
  } catch (e) {
    if (e instanceof ExprError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Names from a root identifier down, when the expression is only that (`order.items[0]`); else null. */
export function variablePath(ast: Ast): string[] | null {
  if (ast.t === 'id') return [ast.name];
  if (ast.t !== 'member' || ast.key.t !== 'lit') return null;
  const base = variablePath(ast.of);
  return base ? [...base, ast.key.text] : null;
}
