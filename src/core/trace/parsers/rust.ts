// PLACEHOLDER — Rust panics and backtraces. Replaced by the real parser.

import type { TraceParser } from '../parser';

export const rustParser: TraceParser = { name: 'rust', trigger: /^(?!)/, begin: () => null };
