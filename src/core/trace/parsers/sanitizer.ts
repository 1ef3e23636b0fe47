// PLACEHOLDER — sanitizer reports and Valgrind memcheck. Replaced by the real parser.

import type { TraceParser } from '../parser';

export const sanitizerParser: TraceParser = { name: 'sanitizer', trigger: /^(?!)/, begin: () => null };

export const valgrindParser: TraceParser = { name: 'valgrind', trigger: /^(?!)/, begin: () => null };
