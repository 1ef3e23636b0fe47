// Recorded values: the references the UI holds to scopes and nested variables (valid until the next move),
// identifier lookup for expressions, and a variable's value by path for data breakpoints.

import type { SessionFrame, SessionVariable } from './format';

/** What a variables reference points at: the children of a scope or of a variable, and where they live. */
export interface Handle {
  threadId: number;
  event: number;
  frameIndex: number;
  function: string | null;
  scope: string;
  /** Names from the scope down to the variable whose children these are ([] for the scope itself). */
  path: string[];
  children: SessionVariable[];
  /** Children of an expression that is not a plain path: shown, but not watchable. */
  detached?: boolean;
}

export class Handles {
  private readonly byRef = new Map<number, Handle>();
  private readonly byKey = new Map<string, number>();

  /** A reference for the children of a scope or variable; the same place gets the same reference. */
  ref(h: Handle): number {
    const key = `${h.event}\u0000${h.frameIndex}\u0000${h.scope}\u0000${h.path.join('\u0000')}`;
    let ref = this.byKey.get(key);
    if (ref === undefined) {
      ref = this.byRef.size + 1;
      this.byRef.set(ref, h);
      this.byKey.set(key, ref);
    }
    return ref;
  }

  get(ref: number): Handle | undefined {
    return this.byRef.get(ref);
  }

  clear(): void {
    this.byRef.clear();
    this.byKey.clear();
  }
}

/** An identifier in a frame: the first scope (in recorded order) that has it. */
export function lookupIn(frame: SessionFrame | undefined, name: string): SessionVariable | undefined {
  for (const scope of frame?.scopes ?? []) {
    const v = scope.variables.find((x) => x.name === name);
    if (v) return v;
  }
  return undefined;
}

/** A variable by scope and path (exact names); undefined when this frame did not record it. */
export function variableAt(
  frame: SessionFrame,
  scope: string | undefined,
  path: readonly string[],
): SessionVariable | undefined {
  const [root, ...rest] = path;
  if (root === undefined) return undefined;
  const scopes = frame.scopes ?? [];
  let v =
    scope === undefined
      ? lookupIn(frame, root)
      : scopes.find((s) => s.name === scope)?.variables.find((x) => x.name === root);
  for (const name of rest) v = v?.children?.find((c) => c.name === name);
  return v;
}

/** A value with its children, as one comparable string (a changed field of an object is a change). */
export function valueKey(v: SessionVariable): string {
  return v.children ? `${v.value}\u0000${JSON.stringify(v.children)}` : v.value;
}
