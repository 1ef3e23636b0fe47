// PLACEHOLDER — Apple crash reports. Replaced by the real parser.

import type { TraceParser } from '../parser';

export const appleParser: TraceParser = { name: 'apple', trigger: /^(?!)/, begin: () => null };
