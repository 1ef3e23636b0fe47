// PLACEHOLDER: replaced by the real lldb parser.

import type { TraceParser } from '../parser';

export const lldbParser: TraceParser = {
  name: 'lldb',
  trigger: /(?!)/,
  begin: () => null,
};
