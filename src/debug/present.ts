// How replay answers read in DAP: capabilities, stop reasons, output lines, breakpoint statuses, exception
// filters, the names a watch uses for a variable. Pure functions; the session sends what they build.

import { Event } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { LogLevel } from '../core/replay/format';
import type { BreakpointStatus, ExceptionFilters, ReplayOutput, Stop } from '../core/replay/runtime';

const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  {
    filter: 'all',
    label: 'All Exceptions',
    description: 'Stop at every exception the session recorded.',
    default: true,
  },
  {
    filter: 'types',
    label: 'Exceptions of Type…',
    description: 'Stop at recorded exceptions of the types named in the condition.',
    default: false,
    supportsCondition: true,
    conditionDescription: 'Comma-separated types: IOException, java.lang.IllegalStateException',
  },
];

export const CAPABILITIES: DebugProtocol.Capabilities = {
  supportsConfigurationDoneRequest: true,
  supportsStepBack: true,
  supportsRestartRequest: true,
  supportsTerminateRequest: true,
  supportsConditionalBreakpoints: true,
  supportsHitConditionalBreakpoints: true,
  supportsLogPoints: true,
  supportsFunctionBreakpoints: true,
  supportsDataBreakpoints: true,
  supportsEvaluateForHovers: true,
  supportsExceptionInfoRequest: true,
  supportsExceptionFilterOptions: true,
  exceptionBreakpointFilters: EXCEPTION_FILTERS,
  supportsLoadedSourcesRequest: true,
  supportsDelayedStackTraceLoading: true,
};

interface StopText {
  reason: string;
  description: string;
  text?: string;
  ids?: number[];
}

function stopText(stop: Stop): StopText {
  const r = stop.reason;
  switch (r.kind) {
    case 'entry':
      return { reason: 'entry', description: 'Paused at the first event' };
    case 'step':
      return { reason: 'step', description: 'Paused after a step' };
    case 'goto':
      return { reason: 'goto', description: 'Jumped' };
    case 'pause':
      return { reason: 'pause', description: 'Paused' };
    case 'breakpoint':
      return { reason: 'breakpoint', description: 'Paused on breakpoint', ids: r.breakpointIds };
    case 'function-breakpoint':
      return {
        reason: 'function breakpoint',
        description: 'Paused on function breakpoint',
        ids: r.breakpointIds,
      };
    case 'data-breakpoint':
      return {
        reason: 'data breakpoint',
        description: `Value changed: ${r.oldValue} → ${r.newValue}`,
        ids: [r.breakpointId],
      };
    case 'exception':
      return {
        reason: 'exception',
        description: `Paused on ${r.type}`,
        text: r.message === null ? r.type : `${r.type}: ${r.message}`,
      };
    case 'end':
      return {
        reason: 'end of session',
        description: 'The end of the session: step back or reverse-continue',
      };
    case 'start':
      return { reason: 'start of session', description: 'The start of the session' };
  }
}

/** The `stopped` event of a move; every thread stops (a replay moves them all together). */
export function stoppedEvent(stop: Stop, eventCount: number): DebugProtocol.StoppedEvent {
  const t = stopText(stop);
  const body: DebugProtocol.StoppedEvent['body'] = {
    reason: t.reason,
    threadId: stop.threadId,
    description: `${t.description} (event ${stop.index + 1} of ${eventCount})`,
    allThreadsStopped: true,
  };
  if (t.text !== undefined) body.text = t.text;
  if (t.ids) body.hitBreakpointIds = t.ids;
  return new Event('stopped', body) as DebugProtocol.StoppedEvent;
}

const STDERR_LEVELS: readonly (LogLevel | null)[] = ['error', 'fatal'];

/**
 * Category and text of an output line: logs as the program wrote them, logpoints and notices to the console.
 */
export function outputLine(o: ReplayOutput, threadName: string | null): { category: string; text: string } {
  if (o.kind === 'log') {
    const level = (o.level ?? 'info').toUpperCase();
    const text = `${threadName ? `[${threadName}] ` : ''}${level} ${o.message}`;
    return { category: STDERR_LEVELS.includes(o.level) ? 'stderr' : 'stdout', text };
  }
  return { category: 'console', text: o.kind === 'notice' ? `(replay) ${o.message}` : o.message };
}

/**
 * A runtime breakpoint status as DAP reports it, without its line: the editor's line stands (the runtime's is
 * the session version's, which may differ from a working-tree file's).
 */
export function breakpointOf(s: BreakpointStatus, source?: DebugProtocol.Source): DebugProtocol.Breakpoint {
  const bp: DebugProtocol.Breakpoint = { id: s.id, verified: s.verified };
  if (s.message !== undefined) bp.message = s.message;
  if (source) bp.source = source;
  return bp;
}

/** The runtime's exception filters from DAP's filters and filter options, and a status for each. */
export function exceptionFilters(args: DebugProtocol.SetExceptionBreakpointsArguments): {
  filters: Required<ExceptionFilters>;
  statuses: DebugProtocol.Breakpoint[];
} {
  const options = [
    ...args.filters.map((filterId) => ({ filterId, condition: undefined })),
    ...(args.filterOptions ?? []),
  ];
  const filters = { all: false, types: [] as string[] };
  const statuses = options.map((o): DebugProtocol.Breakpoint => {
    if (o.filterId === 'all') {
      filters.all = true;
      return { verified: true };
    }
    if (o.filterId !== 'types') return { verified: false, message: `Unknown exception filter ${o.filterId}` };
    const types = (o.condition ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    filters.types.push(...types);
    return types.length > 0
      ? { verified: true }
      : { verified: false, message: 'Name the exception types in the condition, separated by commas.' };
  });
  return { filters, statuses };
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const INDEX = /^\d+$/;
/**
 * A plain path of the expression language: `a`, `a.b`, `a[0]`, `a["k"]` (anchored, one pass, no
 * backtracking).
 */
const PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["[^"\\]*"\])*$/;

/** The expression that names a child of the variable named `parent` ('' for a scope), if there is one. */
export function childExpression(parent: string, name: string): string | undefined {
  if (parent === '') return IDENTIFIER.test(name) ? name : undefined;
  if (IDENTIFIER.test(name)) return `${parent}.${name}`;
  if (INDEX.test(name)) return `${parent}[${name}]`;
  return name.includes('"') || name.includes('\\') ? undefined : `${parent}["${name}"]`;
}

/** Whether an expression is a plain path (its children can then be named from it). */
export function isPath(expression: string): boolean {
  return PATH.test(expression);
}

/** `presentationHint` of a recorded scope, by its usual names. */
export function scopeHint(name: string): DebugProtocol.Scope['presentationHint'] {
  const n = name.toLowerCase();
  if (n === 'locals' || n === 'local') return 'locals';
  if (n === 'arguments' || n === 'args' || n === 'parameters') return 'arguments';
  if (n === 'registers') return 'registers';
  return undefined;
}
