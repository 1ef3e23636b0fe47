// PLACEHOLDER — WinDbg/cdb stacks and minidump_stackwalk output. Replaced by the real parser.

import type { TraceParser } from '../parser';

export const windbgParser: TraceParser = { name: 'windbg', trigger: /^(?!)/, begin: () => null };

export const minidumpParser: TraceParser = { name: 'minidump', trigger: /^(?!)/, begin: () => null };
