// Every regular expression in the core runs on untrusted input (multi-gigabyte logs, paths and names from
// traces, files at a ref): each literal in the source is checked for catastrophic backtracking with recheck, and the triggers must be anchored so that
// the scanner's union of them only ever tries the start of a line.

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { check } from 'recheck';
import * as ts from 'typescript';
import { PARSERS } from '../../../src/core/trace/parsers';
import { triggerUnion } from '../../../src/core/trace/scanner';

const CORE = path.join(__dirname, '..', '..', '..', 'src', 'core');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : f.endsWith('.ts') ? [p] : [];
  });
}

/** Regular expression literals in a TypeScript file, found with the TypeScript scanner. */
function regexLiterals(file: string): { source: string; flags: string; line: number }[] {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: { source: string; flags: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const lit = node.text;
      const end = lit.lastIndexOf('/');
      out.push({
        source: lit.slice(1, end),
        flags: lit.slice(end + 1),
        line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

describe('regular expressions are safe on hostile input', function () {
  this.timeout(120000);
  const files = sources(CORE);

  it('finds the literals to check', () => {
    const n = files.reduce((s, f) => s + regexLiterals(f).length, 0);
    assert.ok(n > 30, `only ${n} regex literals found`);
  });

  for (const file of files) {
    const rel = path.relative(CORE, file);
    it(`${rel}: no regex can backtrack catastrophically`, async () => {
      const bad: string[] = [];
      for (const re of regexLiterals(file)) {
        // Anchored patterns are run once per line, so recheck judges them as such.
        const r = await check(re.source, re.flags, { timeout: 20000 });
        if (r.status !== 'safe') {
          const detail =
            r.status === 'vulnerable' ? `${r.complexity.type}, attack ${r.attack.pattern}` : r.error.kind;
          bad.push(`line ${re.line}: /${re.source}/${re.flags} is ${r.status} (${detail})`);
        }
      }
      assert.deepEqual(bad, []);
    });
  }

  it('every trigger is anchored at the start of the line', () => {
    for (const p of PARSERS)
      assert.ok(p.trigger.source.startsWith('^'), `${p.name} trigger /${p.trigger.source}/`);
  });

  it("the scanner's union of triggers is safe", async () => {
    const union = triggerUnion(PARSERS);
    const r = await check(union.source, union.flags, { timeout: 20000 });
    assert.equal(r.status, 'safe', JSON.stringify(r.status === 'vulnerable' ? r.attack : r));
  });
});
