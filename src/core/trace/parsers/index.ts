// Every format parser the scanner knows, in tie-break order (on equal scores the earlier one wins).

import type { TraceParser } from '../parser';
import { dotnetParser } from './dotnet';
import { gdbParser } from './gdb';
import { goParser } from './go';
import { javaParser } from './java';
import { lldbParser } from './lldb';
import { geckoParser, nodeParser } from './node';
import { pythonParser } from './python';

export const PARSERS: readonly TraceParser[] = [
  javaParser,
  dotnetParser,
  pythonParser,
  nodeParser,
  geckoParser,
  goParser,
  gdbParser,
  lldbParser,
];
