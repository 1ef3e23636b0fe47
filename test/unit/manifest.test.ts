// The extension manifest and the code agree: every contributed command is registered and every registered
// command is contributed, and the manifest follows the conventions VS Code and code-server need.

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Commands } from '../../src/editor/commands';

const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { vscode: string };
  activationEvents?: string[];
  devDependencies: Record<string, string>;
  contributes: {
    commands?: { command: string; title: string; category?: string }[];
    configuration?: {
      title: string;
      properties: Record<string, { type: string; markdownDescription?: string }>;
    }[];
  };
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : f.endsWith('.ts') ? [p] : [];
  });
}

function version(v: string): number[] {
  return v
    .replace(/^[^\d]*/, '')
    .split('.')
    .map(Number);
}

describe('manifest', () => {
  const contributed = (pkg.contributes.commands ?? []).map((c) => c.command).sort();
  const ids = Object.values(Commands).sort();

  it('contributes exactly the commands the code knows', () => {
    assert.deepEqual(contributed, ids);
  });

  it('registers every command, through the Commands ids only', () => {
    const registered = new Set<string>();
    for (const file of tsFiles(path.join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/registerCommand\(\s*([^,)]+)/g)) {
        const arg = m[1]!.trim();
        const id = /^Commands\.(\w+)$/.exec(arg);
        assert.ok(id, `${path.relative(ROOT, file)} registers ${arg}: use the Commands ids`);
        registered.add(Commands[id[1] as keyof typeof Commands]);
      }
    }
    assert.deepEqual([...registered].sort(), ids);
  });

  it('contributes every setting the code reads, each with a description and documented in docs/settings.md', () => {
    const sections = pkg.contributes.configuration ?? [];
    // Titled sections (VS Code shows each as a heading in the Settings editor), none empty or untitled.
    for (const sec of sections) {
      assert.ok(sec.title.trim() !== '' && !sec.title.startsWith('Escalate'), `section title "${sec.title}"`);
      assert.ok(Object.keys(sec.properties).length > 0, `section "${sec.title}" has settings`);
    }
    const props = Object.assign({}, ...sections.map((sec) => sec.properties)) as Record<
      string,
      { type: string; markdownDescription?: string }
    >;
    const docs = readFileSync(path.join(ROOT, 'docs', 'settings.md'), 'utf8');
    const read = new Set<string>();
    for (const file of tsFiles(path.join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes("getConfiguration('escalate')")) continue;
      for (const m of text.matchAll(/\bconfig\.get<[^>]+>\('([\w.]+)'/g)) read.add(`escalate.${m[1]!}`);
    }
    assert.ok(read.size > 0);
    for (const key of read) {
      assert.ok(props[key], `${key} is read but not contributed`);
      assert.ok(props[key].markdownDescription, `${key} has a description`);
      assert.ok(docs.includes(`\`${key}\``), `${key} is in docs/settings.md`);
    }
    assert.deepEqual(Object.keys(props).sort(), [...read].sort());
  });

  it('gives every command a category and no "Escalate:" prefix in its title', () => {
    for (const c of pkg.contributes.commands ?? []) {
      assert.equal(c.category, 'Escalate', c.command);
      assert.ok(!c.title.startsWith('Escalate'), c.command);
      assert.ok(c.command.startsWith('escalate.'), c.command);
    }
  });

  it('activates on specific events only and loads in VS Code 1.90 and code-server', () => {
    assert.ok(!(pkg.activationEvents ?? []).includes('*'));
    const engine = version(pkg.engines.vscode);
    assert.ok(engine[0] === 1 && engine[1]! <= 90, `engines.vscode ${pkg.engines.vscode}`);
    const types = version(pkg.devDependencies['@types/vscode']!);
    assert.ok(types[1]! <= engine[1]!, '@types/vscode must not be newer than engines.vscode');
  });
});
