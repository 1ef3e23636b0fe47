// Extension entry point: builds the few long-lived objects and registers them; the work lives in editor/.

import * as vscode from 'vscode';
import { Commands } from './editor/commands';
import { showTraces } from './editor/showTraces';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Escalate', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand(Commands.showTraces, () => showTraces(log)),
  );
}

export function deactivate(): void {}
