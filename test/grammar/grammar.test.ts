// The trace grammar runs in the editor on every line of whatever a customer sent: each of its regular
// expressions is checked for catastrophic backtracking with recheck (as the core's are, see
// test/unit/core/redos.test.ts), every rule outside a capture is anchored at the start of the line, and the
// expressions stay in the syntax Oniguruma and JavaScript share so that both tools read them alike.
// The scopes themselves are tested by the `.trace` files next to this one (vscode-tmgrammar-test).

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { check } from 'recheck';

interface Capture {
  name?: string;
  patterns?: Rule[];
}

interface Rule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  while?: string;
  captures?: Record<string, Capture>;
  beginCaptures?: Record<string, Capture>;
  endCaptures?: Record<string, Capture>;
  patterns?: Rule[];
}

interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

const GRAMMAR = path.join(__dirname, '..', '..', 'syntaxes', 'escalate-trace.tmLanguage.json');
const grammar = JSON.parse(readFileSync(GRAMMAR, 'utf8')) as Grammar;

interface Found {
  where: string;
  source: string;
  /** Inside a capture's `patterns`: run on the captured text only, not anchored. */
  inCapture: boolean;
}

function walk(visitRule: (r: Rule, where: string, inCapture: boolean) => void): void {
  const visit = (r: Rule, where: string, inCapture: boolean): void => {
    visitRule(r, where, inCapture);
    for (const k of ['captures', 'beginCaptures', 'endCaptures'] as const) {
      for (const [i, c] of Object.entries(r[k] ?? {})) {
        c.patterns?.forEach((p, j) => visit(p, `${where}.${k}[${i}][${j}]`, true));
      }
    }
    r.patterns?.forEach((p, j) => visit(p, `${where}.patterns[${j}]`, inCapture));
  };
  grammar.patterns.forEach((p, j) => visit(p, `patterns[${j}]`, false));
  for (const [name, r] of Object.entries(grammar.repository)) visit(r, name, false);
}

function regexes(): Found[] {
  const out: Found[] = [];
  walk((r, where, inCapture) => {
    for (const k of ['match', 'begin', 'end', 'while'] as const) {
      const source = r[k];
      if (source !== undefined) out.push({ where: `${where}.${k}`, source, inCapture });
    }
  });
  return out;
}

describe('trace grammar (syntaxes/escalate-trace.tmLanguage.json)', function () {
  this.timeout(600000);
  const all = regexes();

  it('is the source.escalate-trace grammar and every include resolves', () => {
    assert.equal(grammar.scopeName, 'source.escalate-trace');
    assert.ok(all.length > 100, `only ${all.length} regexes found`);
    walk((r, where) => {
      if (r.include === undefined || r.include === '$self' || r.include === '$base') return;
      assert.ok(
        r.include.startsWith('#') && grammar.repository[r.include.slice(1)],
        `${where}: ${r.include}`,
      );
    });
  });

  it('writes every regex in the syntax JavaScript reads too', () => {
    for (const r of all) {
      assert.doesNotThrow(() => new RegExp(r.source), `${r.where}: /${r.source}/`);
    }
  });

  it('anchors every rule outside a capture at the start of the line', () => {
    for (const r of all.filter((x) => !x.inCapture)) {
      assert.ok(r.source.startsWith('^'), `${r.where}: /${r.source.slice(0, 60)}…/`);
    }
  });

  it('has no regex that can backtrack catastrophically', async () => {
    const bad: string[] = [];
    for (const r of all) {
      const res = await check(r.source, '', { timeout: 20000 });
      if (res.status !== 'safe') {
        const detail =
          res.status === 'vulnerable'
            ? `${res.complexity.type}, attack ${res.attack.pattern}`
            : res.error.kind;
        bad.push(`${r.where}: /${r.source.slice(0, 80)}…/ is ${res.status} (${detail})`);
      }
    }
    assert.deepEqual(bad, []);
  });
});
