// Every format parser the scanner knows, in tie-break order (on equal scores the earlier one wins).

import type { TraceParser } from '../parser';
import { appleParser } from './apple';
import { cppParser } from './cpp';
import { dartParser } from './dart';
import { dotnetParser } from './dotnet';
import { elixirParser, erlangParser } from './erlang';
import { gdbParser } from './gdb';
import { goParser } from './go';
import { javaParser } from './java';
import { jstackParser } from './jstack';
import { lldbParser } from './lldb';
import { geckoParser, nodeParser } from './node';
import { phpParser } from './php';
import { pythonParser } from './python';
import { rubyParser } from './ruby';
import { rustParser } from './rust';
import { sanitizerParser, valgrindParser } from './sanitizer';
import { servicesParser } from './services';
import { tombstoneParser } from './tombstone';
import { minidumpParser, windbgParser } from './windbg';

export const PARSERS: readonly TraceParser[] = [
  javaParser,
  jstackParser,
  dotnetParser,
  pythonParser,
  nodeParser,
  geckoParser,
  goParser,
  gdbParser,
  lldbParser,
  tombstoneParser,
  windbgParser,
  minidumpParser,
  sanitizerParser,
  valgrindParser,
  cppParser,
  rustParser,
  dartParser,
  erlangParser,
  elixirParser,
  rubyParser,
  phpParser,
  appleParser,
  servicesParser,
];
