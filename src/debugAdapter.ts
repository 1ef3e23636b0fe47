// Standalone debug adapter process (DAP over stdin/stdout); the extension can also run the session inline.

import { EscalateDebugSession } from './debug/session';

const session = new EscalateDebugSession();
// An imported session's temporary file goes with the replay, also when the client stops the process.
process.on('SIGTERM', () => void session.closeReplay().finally(() => session.shutdown()));
session.start(process.stdin, process.stdout);
