// PLACEHOLDER — Java thread dumps (jstack, jcmd Thread.print, kill -3). Replaced by the real parser.

import type { TraceParser } from '../parser';

export const jstackParser: TraceParser = { name: 'jstack', trigger: /^(?!)/, begin: () => null };
