// Shared by the importer tests: real fixture paths, temporary directories, and running an import into
// memory to look at the header and events it wrote.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SessionEvent, SessionHeader } from '../../../../src/core/replay/format';
import {
  importSession,
  type ImportKind,
  type ImportOptions,
  type ImportResult,
} from '../../../../src/core/replay/importers';
import { SessionWriter } from '../../../../src/core/replay/writer';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures');

/** A fixture of test/fixtures/sessions (`dumps/01-….txt`). */
export function session(rel: string): string {
  return path.join(FIXTURES, 'sessions', rel);
}

/** A trace of test/fixtures/corpus (`go/07-….txt`). */
export function corpus(rel: string): string {
  return path.join(FIXTURES, 'corpus', rel);
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'escalate-'));
}

/** Writes `content` to a file named `name` in a fresh temporary directory; returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, content);
  return file;
}

export interface Imported {
  header: SessionHeader;
  events: SessionEvent[];
  result: ImportResult;
  lines: string[];
}

/** Imports into memory and parses what was written. */
export async function importToMemory(
  kind: ImportKind,
  files: string[],
  options: ImportOptions = {},
): Promise<Imported> {
  const lines: string[] = [];
  const result = await importSession(kind, files, SessionWriter.toArray(lines), options);
  const [head, ...rest] = lines.map((l) => JSON.parse(l) as unknown);
  return { header: head as SessionHeader, events: rest as SessionEvent[], result, lines };
}

/** `function file:line` of a frame, for compact assertions. */
export function where(e: SessionEvent, index = 0): string {
  const f = e.stack[index];
  return f ? `${f.function} ${f.file}:${f.line}` : '(none)';
}

/** The variables of a named scope on the event's innermost frame, as name → value. */
export function scope(e: SessionEvent, name: string): Record<string, string> {
  const s = e.stack[0]?.scopes?.find((x) => x.name === name);
  return Object.fromEntries((s?.variables ?? []).map((v) => [v.name, v.value]));
}

export function messages(r: ImportResult): string[] {
  return r.warnings.map((w) => `${path.basename(w.file)}${w.line ? `:${w.line}` : ''}: ${w.message}`);
}
