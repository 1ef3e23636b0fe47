// What the runner tells the suite about the workspace it built: passed as a JSON file named by an environment
// variable, which code-server hands down to the extension host (both run on this machine).

import { readFileSync } from 'node:fs';

export const INFO_ENV = 'ESCALATE_INTEGRATION_INFO';

/**
 * Starts every line of mocha's report. The workbench hands its own log and the extension host's console to the
 * runner through one channel; the runner prints marked lines as they come and keeps the rest for failures.
 */
export const REPORT_MARK = '[escalate-it] ';

export interface IntegrationInfo {
  /** The folder VS Code opened: a git repository. */
  workspace: string;
  /** Its tags, oldest first. */
  tags: string[];
  /** The commit checked out. */
  head: string;
  /** Corpus traces copied into the workspace, relative to it (`traces/java-exception/01-….txt`), sorted. */
  traces: string[];
  /**
   * A customer's trace written against `version`: its top frame is `file`:`line` there, and that line holds
   * different code at HEAD.
   */
  customerTrace: { path: string; version: string; file: string; line: number };
  /** The editor benchmark's workspace: how many files, in-app frames per trace, and where to write figures. */
  bench?: { files: number; appFrames: number; results: string };
}

export function readInfo(): IntegrationInfo {
  const file = process.env[INFO_ENV];
  if (!file) throw new Error(`${INFO_ENV} is not set: run the suite through test/integration/run.ts`);
  return JSON.parse(readFileSync(file, 'utf8')) as IntegrationInfo;
}
