// Standalone debug adapter process (stdin/stdout DAP); the extension can also run the session inline.

import { DebugSession } from '@vscode/debugadapter';
import { EscalateDebugSession } from './debug/session';

DebugSession.run(EscalateDebugSession);
