// PLACEHOLDER: replaced by the real node / gecko parsers.

import type { TraceParser } from '../parser';

export const nodeParser: TraceParser = {
  name: 'node',
  trigger: /(?!)/,
  begin: () => null,
};

export const geckoParser: TraceParser = {
  name: 'gecko',
  trigger: /(?!)/,
  begin: () => null,
};
