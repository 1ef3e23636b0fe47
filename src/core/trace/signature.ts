// Crash signatures: a stable id for "the same crash", so that a thousand occurrences in a log, or the same
// crash at two customers, group together. Built from the root cause's type and its top in-app frames, with
// everything that differs between builds and runs normalised away. The recipe is versioned (docs/signatures.md):
// a change to it is a new version, never a silent regrouping of last month's buckets.

import { createHash } from 'node:crypto';
import type { Frame, FormatId, Trace, TraceNode } from './model';
import { openingParen } from './parsers/util';

export const SIGNATURE_VERSION = 1;
/** In-app frames that make up a signature. */
export const SIGNATURE_FRAMES = 3;

export interface Signature {
  /** `v1:` and 16 hex digits. */
  id: string;
  /** The normalised parts that were hashed, for people asking "why did these group together?". */
  parts: string[];
  /** The node whose type and frames were used (the root cause). */
  node: TraceNode;
  /** The frames used, innermost first. */
  frames: Frame[];
}

/** Formats that write the same runtime's frames group together. */
function family(format: FormatId): string {
  if (format === 'jstack') return 'java';
  if (format === 'gecko') return 'node';
  if (format === 'elixir') return 'erlang';
  return format;
}

/** The exception at the bottom of the chain: what was thrown first, where the trouble started. */
export function rootCause(node: TraceNode): TraceNode {
  let n = node;
  for (;;) {
    const next = n.causes.find((c) => c.relation !== 'context') ?? n.causes[0];
    if (!next) return n;
    n = next;
  }
}

/** Digits, addresses and hashes in a crash type (`Invalid read of size 4`, `SIGSEGV at 0x0`) become placeholders. */
export function normaliseType(type: string): string {
  return type
    .replace(/0x[0-9a-fA-F]+/g, '0x?')
    .replace(/\b[0-9a-fA-F]{8,}\b/g, '?')
    .replace(/\b\d+\b/g, 'N')
    .trim();
}

/**
 * A function name with build- and run-specific parts removed: lambda and closure numbers, anonymous class
 * numbers, compiler-generated suffixes, generic arguments, Rust hashes, offsets and addresses.
 */
export function normaliseFunction(fn: string): string {
  let s = fn;
  s = s.replace(/::h[0-9a-f]{16}$/, ''); // Rust symbol hash
  s = s.replace(/\+0x[0-9a-fA-F]+$|\+\s*\d+$/, ''); // offset written into the name
  s = s.replace(/0x[0-9a-fA-F]+/g, '0x?');
  s = s.replace(/\$\$Lambda(?:\$\d+)?(?:\/0x[0-9a-f?]+)?(?:\/\d+)?/g, '$$Lambda'); // JVM lambda classes
  s = s.replace(/lambda\$(\w+)\$\d+/g, 'lambda$$$1$$N'); // javac lambda bodies
  s = s.replace(/\$\d+(?=[.$]|$)/g, '$$N'); // anonymous classes Foo$1
  s = s.replace(/<([\w.]+)>[a-z]__\d+/g, '<$1>N'); // C# async/iterator state machines <Run>d__12
  s = s.replace(/<([\w.]+)>b__[\d_]+/g, '<$1>lambda'); // C# lambdas <Main>b__0_1
  s = s.replace(/\{closure#\d+\}/g, '{closure}'); // Rust
  s = s.replace(/\.func\d+(?:\.\d+)*/g, '.funcN'); // Go closures
  s = s.replace(/\.gowrap\d+/g, '.gowrapN');
  s = simplifyGenerics(s);
  s = withoutParameters(s); // C++/C# parameter lists
  s = s.replace(/\s+/g, ' ').trim();
  return s;
}

/** `f(int, char const*) const` → `f`: the parameter list that ends the name, matched from its `)`. */
function withoutParameters(s: string): string {
  let end = s.length;
  if (s.endsWith(' const')) end -= 6;
  while (end > 0 && s.charCodeAt(end - 1) === 32) end--;
  if (s.charCodeAt(end - 1) !== 41 /* ) */) return s;
  const open = openingParen(s, end - 1);
  return open > 0 ? s.slice(0, open) : s;
}

/** `Foo<int, Bar<T>>::baz` → `Foo<>::baz`; `List`1[[System.Int32]]` → `List`1`. */
function simplifyGenerics(s: string): string {
  if (s.indexOf('<') < 0 && s.indexOf('[[') < 0) return s;
  let out = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '<' && !isSpecialAngle(s, i)) {
      if (depth === 0) out += '<>';
      depth++;
    } else if (c === '>' && depth > 0) {
      depth--;
    } else if (depth === 0) {
      out += c;
    }
  }
  return out.replace(/\[\[[^\][]*\]\]/g, '');
}

/** `<lambda>`, `<module>`, `<anonymous>`, `<init>`, `<Run>d__` are names, not generic arguments. */
function isSpecialAngle(s: string, i: number): boolean {
  return (
    i === 0 ||
    /[\s.:$(]/.test(s[i - 1]!) ||
    /^<(?:lambda|module|listcomp|genexpr|dictcomp|setcomp|anonymous|init|clinit|main|unknown|top \(required\)|redacted)>/.test(
      s.slice(i, i + 24),
    )
  );
}

/** The last path segment, with content hashes (`main.3f9a2c1b.js`, `chunk-5QZ3X7.js`) removed. */
export function normaliseFile(file: string): string {
  const query = file.search(/[?#]/);
  const base = (query >= 0 ? file.slice(0, query) : file).split(/[\\/]/).pop() ?? file;
  return base.replace(/[.-][0-9a-f]{6,}(?=\.)/gi, '').replace(/[.-][0-9A-Za-z]{8}(?=\.js$)/, '');
}

function frameKey(f: Frame): string {
  const fn = f.function !== null && f.function !== '??' ? normaliseFunction(f.function) : '?';
  const file = f.file !== null ? normaliseFile(f.file) : '';
  if (fn === '?' && file === '') {
    const mod = f.module !== null ? normaliseFile(f.module) : '?';
    return `? in ${mod}`;
  }
  return file ? `${fn} @ ${file}` : fn;
}

/** The frames a signature is built from: the top in-app ones, or the top ones when none is in-app. */
export function signatureFrames(node: TraceNode, count = SIGNATURE_FRAMES): Frame[] {
  const inApp = node.frames.filter((f) => f.inApp === true);
  const from = inApp.length > 0 ? inApp : node.frames.filter((f) => f.function !== null || f.file !== null);
  return from.slice(0, count);
}

/**
 * The signature of a trace. Frames should have been classified (classify.ts); unclassified frames count as
 * library, so the signature then falls back to the top frames.
 */
export function signatureOf(trace: Trace): Signature {
  let node = rootCause(trace);
  // A cause printed without frames of its own (all "... N more") throws from where its parent does.
  if (node.frames.length === 0) node = trace.frames.length > 0 ? trace : node;
  const frames = signatureFrames(node);
  const type =
    node.type ??
    trace.type ??
    (trace.kind === 'thread' ? 'thread' : (trace.title.split(/[:\n]/, 1)[0] ?? ''));
  const parts = [`v${SIGNATURE_VERSION}`, family(trace.format), normaliseType(type), ...frames.map(frameKey)];
  const id = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
  return { id: `v${SIGNATURE_VERSION}:${id}`, parts, node, frames };
}
