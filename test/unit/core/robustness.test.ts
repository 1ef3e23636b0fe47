// Bad input never throws, never hangs and never yields a frame outside the document: property tests over
// arbitrary text and bytes and over mangled corpus traces, and the pathological shapes customers send.

import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as fc from 'fast-check';
import {
  allFrames,
  parseBytes,
  parseText,
  traceToJson,
  TraceScanner,
  type Trace,
} from '../../../src/core/trace';
import { mayHaveZeroWidth, prefixEnd, stripPrefix } from '../../../src/core/trace/normalize';
import { allFamilies, corpusTexts, writeMixedLog } from '../../../scripts/bench/generate';
import { CORPUS } from '../corpus/harness';

const corpus: string[] = corpusTexts(CORPUS, allFamilies(CORPUS));

function lineCount(text: string): number {
  if (text.length === 0) return 0;
  const breaks = text.match(/\r\n|\n|\r/g)?.length ?? 0;
  return /(?:\r\n|\n|\r)$/.test(text) ? breaks : breaks + 1;
}

function assertInside(traces: Trace[], lines: number): void {
  for (const t of traces) {
    assert.ok(
      t.span.start >= 1 && t.span.start <= t.span.end && t.span.end <= lines,
      `span ${t.span.start}-${t.span.end} of ${lines}`,
    );
    for (const f of allFrames(t)) {
      assert.ok(f.docLine >= 1 && f.docLine <= lines, `frame docLine ${f.docLine} of ${lines}`);
      assert.ok(f.line === null || (Number.isInteger(f.line) && f.line >= 0), `frame line ${f.line}`);
    }
  }
}

/** Lines of a corpus trace, mangled the ways pastes mangle them. */
const mangled = fc
  .tuple(
    fc.constantFrom(...corpus),
    fc.array(
      fc.record({
        op: fc.constantFrom('delete', 'duplicate', 'reindent', 'cut', 'crlf', 'swap'),
        at: fc.nat(),
        n: fc.nat({ max: 12 }),
      }),
      { maxLength: 8 },
    ),
  )
  .map(([text, ops]) => {
    let lines = text.split('\n');
    for (const { op, at, n } of ops) {
      if (lines.length === 0) break;
      const i = at % lines.length;
      switch (op) {
        case 'delete':
          lines.splice(i, 1);
          break;
        case 'duplicate':
          lines.splice(i, 0, lines[i]!);
          break;
        case 'reindent':
          lines[i] = ' '.repeat(n) + lines[i]!.trimStart();
          break;
        case 'cut':
          lines = lines.slice(0, i + 1);
          lines[i] = lines[i]!.slice(0, Math.floor((lines[i]!.length * n) / 12));
          break;
        case 'crlf':
          lines[i] = lines[i]! + '\r';
          break;
        case 'swap':
          if (i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
          break;
      }
    }
    return lines.join('\n');
  });

describe('robustness', function () {
  this.timeout(120000);

  it('arbitrary text never throws and stays inside the document', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) =>
        assertInside(parseText(s), lineCount(s)),
      ),
      { numRuns: 400 },
    );
  });

  it('text made of trace-like fragments never throws and stays inside the document', () => {
    const fragment = fc.constantFrom(
      '\tat ',
      'Caused by: ',
      '   at ',
      ' in ',
      ':line ',
      'File "',
      '", line ',
      ', in ',
      'Traceback (most recent call last):',
      'goroutine 1 [running]:',
      'panic: ',
      '.go:',
      ' +0x',
      '#0  0x',
      ' in ',
      ' at ',
      ' from ',
      'frame #',
      '* thread #',
      '@',
      ':1:2',
      '(',
      ')',
      '\n',
      '\r\n',
      '\t',
      '  ',
      '--->',
      '--- End of inner exception stack trace ---',
      '...',
      ' more',
      '&lt;',
      '\\n',
      '"',
      '0x7f',
      'Thread 2 (Thread 0x7f (LWP 1)):',
      'a.b.C',
      'x.java:12',
      'Error: ',
      '12',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 120 }), (parts) => {
        const s = parts.join('');
        assertInside(parseText(s), lineCount(s));
      }),
      { numRuns: 600 },
    );
  });

  it('arbitrary bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        parseBytes(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('corpus traces with lines deleted, duplicated, re-indented, swapped or cut never throw', () => {
    fc.assert(
      fc.property(mangled, (s) => assertInside(parseText(s), lineCount(s))),
      { numRuns: 1500 },
    );
  });

  it('every corpus trace cut at any line still parses inside the document', () => {
    for (const text of corpus) {
      const lines = text.split('\n');
      for (let i = 1; i < lines.length; i++) {
        const cut = lines.slice(0, i).join('\n') + '\n' + lines[i]!.slice(0, lines[i]!.length >> 1);
        assertInside(parseText(cut), lineCount(cut));
      }
    }
  });

  it('an empty file, a lone newline and whitespace have no traces', () => {
    for (const s of ['', '\n', '\r\n\r\n', '   \t  ', '\ufeff']) assert.deepEqual(parseText(s), []);
    assert.deepEqual(parseBytes(new Uint8Array(0)), []);
  });

  it('a 5 MB line without a newline is read without hanging', () => {
    const s = 'at a.b.C.d(' + 'x'.repeat(5 * 1024 * 1024);
    parseText(s);
    parseText('\tat ' + 'a.'.repeat(2_000_000) + '(X.java:1)');
    parseText('File "' + '", line 0, in '.repeat(300_000));
  });

  it('a million lines are read, and a million frames become bounded traces', () => {
    const frames = '\tat com.acme.Foo.bar(Foo.java:12)\n'.repeat(1_000_000);
    const traces = parseText('java.lang.IllegalStateException: boom\n' + frames);
    const total = traces.reduce((s, t) => s + t.frames.length, 0);
    assert.equal(total, 1_000_000);
    assert.ok(traces.length > 1, 'a runaway trace is cut into bounded pieces');
    assertInside(traces, 1_000_001);
  });

  it('binary data (a minidump header, a zip) never throws', () => {
    const mdmp = Buffer.concat([
      Buffer.from('MDMP\x93\xa7', 'latin1'),
      Buffer.alloc(4096, 0xab),
      Buffer.from([0, 0, 10]),
    ]);
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(2048, 0)]);
    parseBytes(mdmp);
    parseBytes(zip);
  });
});

describe('the raw-line fast path', function () {
  this.timeout(60000);

  /** Scans lines either on the fast path where allowed, or always with full cleaning. */
  function scan(lines: string[], fast: boolean): string[] {
    const out: string[] = [];
    const scanner = new TraceScanner((t) => out.push(JSON.stringify(traceToJson(t))));
    lines.forEach((l, i) => scanner.pushLine(l, i + 1, fast ? mayHaveZeroWidth(l) : true));
    scanner.end();
    return out;
  }

  it('finds exactly what full cleaning finds, on every corpus file and a generated log', () => {
    // Every family in the corpus, not only the ones with parsers: the fast path must not start traces either.
    const texts = corpusTexts(
      CORPUS,
      readdirSync(CORPUS).filter((d) => !d.endsWith('.md')),
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'escalate-fast-'));
    const log = path.join(dir, 'mixed.log');
    writeMixedLog(log, 1024 * 1024, corpus, 0.05, 11);
    texts.push(readFileSync(log, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    for (const text of texts) {
      const lines = text.split(/\r\n|\n|\r/);
      assert.deepEqual(scan(lines, true), scan(lines, false));
    }
  });

  it('prefixEnd agrees with stripPrefix on log lines of every layout', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          '2016-01-25 14:14:32,866 ERROR [main] c.a.Foo - ',
          '[2016-11-10T09:42:48,016][DEBUG][o.e.a] [n] ',
          '2024-03-01T10:00:00.123Z stderr F ',
          '06-09 12:00:00.123  1234  5678 E AndroidRuntime: ',
          '06-09 12:00:00.123 E/AndroidRuntime( 1234): ',
          'E/AndroidRuntime( 1234): ',
          '> > ',
          '>>> ',
          'Nov 26 02:37:22 host app[1234]: ',
          '[12:00:01.123] ',
          '12:00:01 ',
          '',
          '2019-01-02 10:00:00.123 1-2/a.b E/T: ',
        ),
        fc.string({ maxLength: 40 }),
        (prefix, rest) => {
          const line = prefix + rest;
          assert.equal(line.slice(prefixEnd(line)), stripPrefix(line));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
