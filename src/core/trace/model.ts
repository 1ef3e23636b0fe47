// The trace model: what a customer's trace says, as written. Parsers fill it; nothing here is guessed.
// A document holds zero or more traces; a trace is one exception chain, one crash or one thread's stack.

/** Which writer produced a trace. Stable ids: they appear in `escalate parse --json`. */
export type FormatId =
  | 'java'
  | 'jstack'
  | 'dotnet'
  | 'python'
  | 'node'
  | 'gecko'
  | 'go'
  | 'gdb'
  | 'coredump'
  | 'lldb'
  | 'tombstone'
  | 'rust'
  | 'cpp'
  | 'windbg'
  | 'minidump'
  | 'sanitizer'
  | 'valgrind'
  | 'ruby'
  | 'php'
  | 'erlang'
  | 'elixir'
  | 'dart'
  | 'apple';

/** `exception`: a thrown error with its chain; `crash`: a signal, panic or abort; `thread`: one thread's stack in a dump. */
export type TraceKind = 'exception' | 'thread' | 'crash';

/** 1-based, inclusive line numbers in the input document. */
export interface LineSpan {
  start: number;
  end: number;
}

/** One stack frame exactly as the trace wrote it. */
export interface Frame {
  /** Function or method as written, qualified as the trace qualifies it (`com.acme.Foo.bar`, `main.(*T).Run`). */
  function: string | null;
  /** The file path as written, never normalised (`C:\agent\_work\s\Foo.cs`, `webpack:///./src/a.ts`). */
  file: string | null;
  line: number | null;
  column: number | null;
  /** Assembly, jar, library, crate or package the trace names for the frame. */
  module: string | null;
  /** Instruction address as written (`0x00007ffff38a97f4`). */
  address: string | null;
  /** Offset into the function or module as written (`+0x1d`, `+ 28`). */
  offset: string | null;
  /** Arguments as written, without the surrounding parentheses. */
  args: string | null;
  /** The frame's text in the document (after prefixes were stripped and wrapped lines joined). */
  raw: string;
  /** 1-based line of the frame in the input document (its first line when it was wrapped). */
  docLine: number;
  /** What else the trace said about this frame: `native`, `unknown source`, `inlined`, `async`, lock lines, locals. */
  notes?: string[];
  /** Echoed source line that followed the frame (Python, gdb), not a frame of its own. */
  source?: string;
  /** Monitor and lock lines printed under the frame (jstack `- locked <0x…> (a java.lang.Object)`), in order. */
  locks?: LockInfo[];
  /**
   * Whether the frame is the application's own code rather than a runtime or library frame. Not set by
   * parsers: the classifier (classify.ts) sets it after parsing, from the format and the user's settings.
   */
  inApp?: boolean;
}

/** One lock line under a frame. */
export interface LockInfo {
  /** As written: `locked`, `waiting on`, `waiting to lock`, `parking to wait for`, `eliminated`, `waiting to re-lock`. */
  action: string;
  /** `0x000000076ab62208` as written, if any. */
  address: string | null;
  /** The lock object's class (`java.lang.Object`, `java.util.concurrent.locks.ReentrantLock$NonfairSync`). */
  className: string | null;
}

/** One exception (or crash or thread) with its own frames and the chain hanging off it. */
export interface TraceNode {
  /** Headline as a reader would quote it: `java.lang.NullPointerException: boom`, `goroutine 7 [running]`. */
  title: string;
  /** Exception type or crash reason as written (`java.lang.NullPointerException`, `SIGSEGV`), if any. */
  type: string | null;
  /** The message after the type, first line plus continuation lines, if any. */
  message: string | null;
  span: LineSpan;
  /** Innermost first. */
  frames: Frame[];
  /** `... N more` / `N common frames omitted`: frames the writer left out (shared with the enclosing trace). */
  omittedFrames?: number;
  /** Exceptions this one was caused by (`Caused by:`, .NET inner `--->`, Python `__cause__`/`__context__`). */
  causes: TraceNode[];
  /** Java `Suppressed:` exceptions. */
  suppressed: TraceNode[];
  /**
   * Other stacks of the same report that are not causes: a sanitizer's allocation and free stacks, a
   * Valgrind block's allocation stack, a thread's creation stack. Each says its `role`.
   */
  related?: TraceNode[];
  /** How this node hangs off its parent. */
  relation?: 'cause' | 'context' | 'inner' | 'suppressed' | 'related';
  /**
   * What the stack is in its report, for reports with several stacks: `access`, `allocation`, `free`,
   * `thread-creation`, `origin`, `previous-access`, `mutex`, `leak`, `last-exception` — or the report's own
   * words where none of those fit.
   */
  role?: string;
}

export interface ThreadInfo {
  name: string | null;
  id: string | null;
  state: string | null;
  /** Other header fields as written, keyed by the dump's own names (`prio`, `os_prio`, `tid`, `nid`, `daemon`, `#`). */
  attrs?: Record<string, string>;
}

export interface Trace extends TraceNode {
  format: FormatId;
  kind: TraceKind;
  /** For `thread` traces, and crashes that name their thread. */
  thread?: ThreadInfo;
  /** Timestamp of the log line that carried the trace, as written. */
  timestamp?: string;
}

export function emptyFrame(raw: string, docLine: number): Frame {
  return {
    function: null,
    file: null,
    line: null,
    column: null,
    module: null,
    address: null,
    offset: null,
    args: null,
    raw,
    docLine,
  };
}

/** All frames of a trace and its chain, in document order of the nodes (node, causes…, suppressed…). */
export function* allFrames(node: TraceNode): Generator<Frame> {
  yield* node.frames;
  for (const c of node.causes) yield* allFrames(c);
  for (const s of node.suppressed) yield* allFrames(s);
  for (const r of node.related ?? []) yield* allFrames(r);
}
