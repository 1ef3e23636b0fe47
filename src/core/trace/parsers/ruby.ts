// PLACEHOLDER — Ruby backtraces. Replaced by the real parser.

import type { TraceParser } from '../parser';

export const rubyParser: TraceParser = { name: 'ruby', trigger: /^(?!)/, begin: () => null };
