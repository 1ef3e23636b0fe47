// PLACEHOLDER — C++ boost::stacktrace and backward-cpp. Replaced by the real parser.

import type { TraceParser } from '../parser';

export const cppParser: TraceParser = { name: 'cpp', trigger: /^(?!)/, begin: () => null };
