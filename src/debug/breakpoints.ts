// Line breakpoints as an editor sets them on a replay: the runtime's name for their file, lines carried from
// the working tree back to the session's version, kept to be set again once the recorded paths are resolved.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { LineBreakpoint, ReplayRuntime } from '../core/replay/runtime';
import { breakpointOf } from './present';
import type { ReplaySources } from './sources';

export class LineBreakpoints {
  private readonly files = new Map<string, { source: DebugProtocol.Source; lines: LineBreakpoint[] }>();

  constructor(
    private readonly runtime: ReplayRuntime,
    private readonly sources: ReplaySources,
  ) {}

  /** Whether any line breakpoint is set (moves then wait for the recorded paths to be resolved). */
  get any(): boolean {
    return this.files.size > 0;
  }

  /**
   * Replaces the breakpoints of one source. `requested` lines are the editor's; the answers carry them too,
   * whatever line of the session's version they stand for.
   */
  async set(source: DebugProtocol.Source, requested: LineBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
    const file = this.sources.breakpointFile(source);
    if (file === null)
      return requested.map(() => ({ verified: false, message: 'Not a file of this session' }));
    const recorded = await this.sources.recordedLines(
      file,
      requested.map((b) => b.line),
    );
    const lines = requested.flatMap((b, i) => (recorded[i] === null ? [] : [{ ...b, line: recorded[i]! }]));
    if (lines.length > 0) this.files.set(file, { source, lines });
    else this.files.delete(file);
    const statuses = this.runtime.setBreakpoints(file, lines);
    let k = 0;
    return requested.map((b, i) => {
      if (recorded[i] === null) {
        const ref = this.sources.label;
        const message = `Line ${b.line} has changed since ${ref}: set the breakpoint in the file at ${ref}.`;
        return { verified: false, line: b.line, message, source };
      }
      return { ...breakpointOf(statuses[k++]!, source), line: b.line };
    });
  }

  /** Sets every file's breakpoints again (matching may have changed); their new statuses, lines left out. */
  again(): DebugProtocol.Breakpoint[] {
    return [...this.files].flatMap(([file, { source, lines }]) =>
      this.runtime.setBreakpoints(file, lines).map((s) => breakpointOf(s, source)),
    );
  }
}
