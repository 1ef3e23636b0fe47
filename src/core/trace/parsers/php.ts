// PLACEHOLDER — PHP stack traces. Replaced by the real parser.

import type { TraceParser } from '../parser';

export const phpParser: TraceParser = { name: 'php', trigger: /^(?!)/, begin: () => null };
