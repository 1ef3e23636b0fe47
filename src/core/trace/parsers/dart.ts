// PLACEHOLDER — Dart and Flutter stack traces. Replaced by the real parser.

import type { TraceParser } from '../parser';

export const dartParser: TraceParser = { name: 'dart', trigger: /^(?!)/, begin: () => null };
