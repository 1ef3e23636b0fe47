// PLACEHOLDER: replaced by the real dotnet parser.

import type { TraceParser } from '../parser';

export const dotnetParser: TraceParser = {
  name: 'dotnet',
  trigger: /(?!)/,
  begin: () => null,
};
