// PLACEHOLDER — Android native tombstones and debuggerd backtraces. Replaced by the real parser.

import type { TraceParser } from '../parser';

export const tombstoneParser: TraceParser = { name: 'tombstone', trigger: /^(?!)/, begin: () => null };
