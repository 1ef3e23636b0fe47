// Runs a command so that a failure is a clear message (and a line in the Escalate log), and a cancelled prompt
// (vscode.CancellationError) is no failure at all.

import * as vscode from 'vscode';

export function guard<A extends unknown[]>(
  log: vscode.LogOutputChannel,
  f: (...args: A) => Promise<unknown>,
) {
  return async (...args: A): Promise<unknown> => {
    try {
      return await f(...args);
    } catch (e) {
      if (e instanceof vscode.CancellationError) return undefined;
      const message = e instanceof Error ? e.message : String(e);
      log.error(message);
      void vscode.window.showErrorMessage(message.startsWith('Escalate') ? message : `Escalate: ${message}`);
      return undefined;
    }
  };
}
