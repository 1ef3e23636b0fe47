// Passing over ordinary lines in runs (LineSkipper) must never change what a scan finds: the prefilters
// are a superset of the triggers, and a skipped scan equals a line-by-line one.

import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { corpusTexts, writeMixedLog } from '../../../scripts/bench/generate';
import { parseBytes, traceToJson } from '../../../src/core/trace';
import { cleanLine } from '../../../src/core/trace/normalize';
import { PARSERS } from '../../../src/core/trace/parsers';
import { attentionPattern, parserTriggered } from '../../../src/core/trace/scanner';
import { CORPUS } from '../corpus/harness';

const families = readdirSync(CORPUS).filter((d) => !d.endsWith('.md'));
const texts = corpusTexts(CORPUS, families);

function json(bytes: Uint8Array, noSkip: boolean): string[] {
  return parseBytes(bytes, { skip: !noSkip }).map((t) => JSON.stringify(traceToJson(t)));
}

const PREFIXES = [
  '',
  '2026-11-26 03:14:15.926 ERROR [main] c.a.Foo - ',
  '06-09 12:00:00.123  1234  5678 E AndroidRuntime: ',
  'E/AndroidRuntime( 1234): ',
  'Nov 26 03:14:15 host app[1234]: ',
  '> ',
  '[03:14:15] ',
];

/** Lines the union always looks at, whatever the prefilters say (entities, ANSI, escapes, zero-width). */
// eslint-disable-next-line no-control-regex -- ESC starts the ANSI sequences the scanner always looks at
const ALWAYS = /[&\x1b\\\r\u200b-\u200d\u2060\ufeff]/;

describe('skipping ordinary lines', () => {
  it('every parser has a prefilter, so logs are searched chunk by chunk', () => {
    for (const p of PARSERS) assert.equal(typeof p.prefilter, 'string', p.name);
    assert.ok(attentionPattern(PARSERS));
  });

  it("each parser's prefilter matches every corpus line its triggers match, under every log prefix", () => {
    for (const p of PARSERS) {
      const pre = new RegExp(p.prefilter!, 'm');
      for (const text of texts) {
        for (const line of text.split(/\r\n|\n|\r/)) {
          for (const prefix of PREFIXES) {
            const raw = prefix + line;
            if (ALWAYS.test(raw)) continue;
            const clean = cleanLine(raw, 1).text;
            if (parserTriggered(p, clean)) {
              assert.ok(pre.test(raw), `${p.name}: prefilter misses ${JSON.stringify(raw)}`);
            }
          }
        }
      }
    }
  });

  it('the union finds arbitrary trigger lines cut out of the corpus and mangled', () => {
    const attention = attentionPattern(PARSERS)!;
    const lines = texts.flatMap((t) => t.split(/\r\n|\n|\r/)).filter((l) => l.trim().length > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...PREFIXES),
        fc.constantFrom(...lines),
        fc.nat(),
        fc.string({ maxLength: 6 }),
        (prefix, line, cut, noise) => {
          const raw = prefix + line.slice(0, line.length - (cut % Math.max(1, line.length))) + noise;
          const clean = cleanLine(raw, 1).text;
          if (PARSERS.some((p) => parserTriggered(p, clean))) {
            attention.lastIndex = 0;
            assert.ok(attention.test(raw), JSON.stringify(raw));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a skipping scan finds exactly what a line-by-line scan finds, on every corpus file', () => {
    for (const text of texts) {
      const bytes = Buffer.from(text, 'utf8');
      assert.deepEqual(json(bytes, false), json(bytes, true));
    }
  });

  it('and on a generated log with CRLF and with every family mixed in', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'escalate-skip-'));
    try {
      const log = path.join(dir, 'mixed.log');
      writeMixedLog(log, 2 * 1024 * 1024, texts, 0.3, 5);
      const lf = readFileSync(log);
      const traces = json(lf, false);
      assert.ok(traces.length > 50, `${traces.length} traces`);
      assert.deepEqual(traces, json(lf, true));
      const crlf = Buffer.from(lf.toString('utf8').replace(/\n/g, '\r\n'), 'utf8');
      assert.deepEqual(json(crlf, false), json(crlf, true));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
