// Readers for two thread-dump writers the trace parsers do not know: py-spy's `dump` and .NET's
// `dotnet-stack report`. Each is fed every line and hands on one thread at a time.

import type { SessionFrame, SessionScope, SessionVariable } from '../format';

/** One thread of one dump, as any dump reader reports it. */
export interface DumpThread {
  /** 1-based line of the thread's header. */
  docLine: number;
  /** What identifies the thread across dumps (a tid, a goroutine number, a Java thread id). */
  identity: string;
  /** The session thread id to use when this is the thread's first appearance. */
  label: string;
  state: string | null;
  stack: SessionFrame[];
  /** For traces that are exceptions or crashes rather than a thread's stack. */
  exception?: { type: string; message?: string };
  /** A scope for the innermost frame: the thread header's fields. */
  threadScope?: SessionScope;
}

export interface LineReader {
  /** Feeds a line; returns true when the line belonged to this reader's format. */
  feed(text: string, docLine: number): boolean;
  /** The input ended: hand on what is open. */
  end(): void;
}

/** py-spy: `Thread 0x7F8A (idle): "MainThread"` (the name is optional). */
const PYSPY_THREAD = /^Thread (0x[0-9A-Fa-f]{1,16}|\d{1,20}) \(([a-z+ ]{1,40})\)(?:: "(.*)")?$/;
/** py-spy: `Process 712529: python3 app.py`, which starts each dump. */
export const PYSPY_PROCESS = /^Process (\d{1,20}): (.*)$/;
/** py-spy --locals: `        Arguments:` / `        Locals:` (older versions print a second colon). */
const PYSPY_SCOPE = /^ {8}(Arguments|Locals)::?$/;

/** `file:line` or `file` as py-spy prints a frame's location. */
function splitLocation(loc: string): { file: string; line: number | null } {
  const colon = loc.lastIndexOf(':');
  if (colon > 0) {
    const digits = loc.slice(colon + 1);
    if (digits.length > 0 && digits.length < 10 && /^\d+$/.test(digits)) {
      return { file: loc.slice(0, colon), line: Number(digits) };
    }
  }
  return { file: loc, line: null };
}

/** `    name (file:line)`: four spaces, the function, the location in parentheses. */
function pySpyFrame(text: string): SessionFrame | null {
  if (!text.startsWith('    ') || text.charCodeAt(4) === 32 || !text.endsWith(')')) return null;
  const open = text.indexOf(' (', 4);
  if (open < 0) return null;
  const { file, line } = splitLocation(text.slice(open + 2, -1));
  return { function: text.slice(4, open), file, line };
}

/** Reads py-spy `dump` output (with or without `--locals`). */
export class PySpyReader implements LineReader {
  private current: DumpThread | null = null;
  private scope: SessionScope | null = null;

  constructor(private readonly onThread: (t: DumpThread) => void) {}

  feed(text: string, docLine: number): boolean {
    const header = PYSPY_THREAD.exec(text);
    if (header) {
      this.end();
      const [, tid, status, name] = header;
      this.current = {
        docLine,
        identity: tid!,
        label: name ?? tid!,
        state: status!,
        stack: [],
        threadScope: {
          name: 'Thread',
          variables: [
            ...(name !== undefined ? [{ name: 'name', value: name }] : []),
            { name: 'id', value: tid! },
            { name: 'status', value: status! },
          ],
        },
      };
      return true;
    }
    return this.current !== null && this.body(text);
  }

  end(): void {
    if (this.current) this.onThread(this.current);
    this.current = null;
    this.scope = null;
  }

  /** A frame, a scope heading or a local under the open thread; anything else ends the thread. */
  private body(text: string): boolean {
    const frame = pySpyFrame(text);
    if (frame) {
      this.current!.stack.push(frame);
      this.scope = null;
      return true;
    }
    const heading = PYSPY_SCOPE.exec(text);
    const top = this.current!.stack[this.current!.stack.length - 1];
    if (heading && top) {
      this.scope = { name: heading[1]!, variables: [] };
      (top.scopes ??= []).push(this.scope);
      return true;
    }
    if (this.scope && text.startsWith('            ')) {
      const colon = text.indexOf(': ', 12);
      const v: SessionVariable =
        colon < 0
          ? { name: text.trim(), value: '?' }
          : { name: text.slice(12, colon), value: text.slice(colon + 2) };
      this.scope.variables.push(v);
      return true;
    }
    this.end();
    return false;
  }
}

/** dotnet-stack: `Thread (0x48F8):`, indented as the tool or a document printed it. */
const DOTNET_THREAD = /^\s{0,8}Thread \((0x[0-9A-Fa-f]{1,16})\):\s*$/;

/** `Module!Namespace.Type.Method(args)` or `[Native Frames]`. */
function dotnetFrame(line: string): SessionFrame | null {
  if (line === '[Native Frames]') return { function: '[Native Frames]', file: null, line: null };
  const bang = line.indexOf('!');
  if (bang <= 0) return null;
  const rest = line.slice(bang + 1);
  const paren = rest.indexOf('(');
  return {
    function: paren > 0 ? rest.slice(0, paren) : rest,
    file: null,
    line: null,
    module: line.slice(0, bang),
  };
}

/** Reads `dotnet-stack report` output. */
export class DotnetStackReader implements LineReader {
  private current: DumpThread | null = null;
  private indent = 0;

  constructor(private readonly onThread: (t: DumpThread) => void) {}

  feed(text: string, docLine: number): boolean {
    const header = DOTNET_THREAD.exec(text);
    if (header) {
      this.end();
      this.indent = text.length - text.trimStart().length;
      this.current = {
        docLine,
        identity: header[1]!,
        label: header[1]!,
        state: null,
        stack: [],
        threadScope: { name: 'Thread', variables: [{ name: 'id', value: header[1]! }] },
      };
      return true;
    }
    if (!this.current) return false;
    const body = text.trimStart();
    const frame = text.length - body.length > this.indent ? dotnetFrame(body.trimEnd()) : null;
    if (frame) {
      this.current.stack.push(frame);
      return true;
    }
    this.end();
    return false;
  }

  end(): void {
    if (this.current) this.onThread(this.current);
    this.current = null;
  }
}
