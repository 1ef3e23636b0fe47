// PLACEHOLDER: replaced by the real gdb parser.

import type { TraceParser } from '../parser';

export const gdbParser: TraceParser = {
  name: 'gdb',
  trigger: /(?!)/,
  begin: () => null,
};
