// Frames of the trace model as session frames: the location as written, and what the trace recorded with
// a frame — jstack's monitor lines, gdb's `bt full` locals — as scopes of that frame.

import type { Frame, LockInfo, ThreadInfo, Trace, TraceNode } from '../../trace/model';
import type { SessionFrame, SessionScope, SessionVariable } from '../format';

/** `name = value` under a gdb `bt full` frame. */
const GDB_LOCAL = /^\s*([A-Za-z_$][\w$]*) = (.*)$/;

/** Unique names for repeated keys (`locked`, `locked (2)`): evaluate and watch address variables by name. */
function uniqueNames(vars: SessionVariable[]): SessionVariable[] {
  const seen = new Map<string, number>();
  for (const v of vars) {
    const n = (seen.get(v.name) ?? 0) + 1;
    seen.set(v.name, n);
    if (n > 1) v.name = `${v.name} (${n})`;
  }
  return vars;
}

function lockVariable(lock: LockInfo): SessionVariable {
  const where = lock.address ? `<${lock.address}>` : '';
  const what = lock.className ? `(a ${lock.className})` : '';
  const v: SessionVariable = { name: lock.action, value: [where, what].filter(Boolean).join(' ') || '?' };
  if (lock.className) v.type = lock.className;
  return v;
}

function localsOf(notes: readonly string[] | undefined): SessionVariable[] {
  const out: SessionVariable[] = [];
  for (const note of notes ?? []) {
    const m = GDB_LOCAL.exec(note);
    if (m) out.push({ name: m[1]!, value: m[2]! });
  }
  return out;
}

/** A trace model frame as a session frame; `gdbLocals` reads `bt full` locals from the frame's notes. */
function sessionFrame(f: Frame, gdbLocals = false): SessionFrame {
  const out: SessionFrame = { function: f.function, file: f.file, line: f.line };
  if (f.column !== null) out.column = f.column;
  if (f.module !== null) out.module = f.module;
  const scopes: SessionScope[] = [];
  if (gdbLocals) {
    const locals = localsOf(f.notes);
    if (locals.length > 0) scopes.push({ name: 'Locals', variables: uniqueNames(locals) });
  }
  if (f.locks && f.locks.length > 0)
    scopes.push({ name: 'Locks', variables: uniqueNames(f.locks.map(lockVariable)) });
  if (scopes.length > 0) out.scopes = scopes;
  return out;
}

/** What a dump says about a thread (its id, state and header fields) as a `Thread` scope. */
export function threadScope(thread: ThreadInfo): SessionScope {
  const vars: SessionVariable[] = [];
  if (thread.name !== null) vars.push({ name: 'name', value: thread.name });
  if (thread.id !== null) vars.push({ name: 'id', value: thread.id });
  if (thread.state !== null) vars.push({ name: 'state', value: thread.state });
  for (const [k, v] of Object.entries(thread.attrs ?? {})) vars.push({ name: k, value: v });
  return { name: 'Thread', variables: uniqueNames(vars) };
}

/**
 * Adds a scope to the innermost frame (a thread's or record's scope lives with its top frame). The frame is
 * replaced, not changed: events of one exception chain share the frames of the enclosing stack.
 */
export function addScope(stack: SessionFrame[], scope: SessionScope): void {
  const top = stack[0];
  if (!top || scope.variables.length === 0) return;
  stack[0] = { ...top, scopes: [...(top.scopes ?? []), scope] };
}

/** The state as the dump wrote it: jstack's full `java.lang.Thread.State` line where there is one. */
export function stateOf(trace: Trace): string | null {
  const t = trace.thread;
  if (!t) return null;
  return t.attrs?.['java.lang.Thread.State'] ?? t.state ?? t.attrs?.status ?? null;
}

/** How a session names a trace's thread the first time it is met (`goroutine 7`, `main`, `thread 13608`). */
export function labelOf(trace: Trace): string {
  const t = trace.thread;
  if (!t) return 'main';
  if (trace.format === 'go' && t.id !== null) return `goroutine ${t.id}`;
  if (t.name !== null) return t.name;
  return t.id !== null ? `thread ${t.id}` : 'main';
}

/** A node's own frames as session frames (gdb's `bt full` locals become a Locals scope). */
export function traceFrames(trace: Trace, node: TraceNode = trace) {
  return node.frames.map((f) => sessionFrame(f, trace.format === 'gdb'));
}

export function exceptionOf(node: TraceNode): { type: string; message?: string } {
  const e: { type: string; message?: string } = { type: node.type ?? node.title };
  if (node.message !== null) e.message = node.message;
  return e;
}
