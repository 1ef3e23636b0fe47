// Bytes to lines: encodings, line endings, chunk boundaries and over-long lines.

import * as assert from 'node:assert/strict';
import {
  ByteLineReader,
  decodeBytes,
  detectEncoding,
  LineSplitter,
  MAX_LINE_LENGTH,
} from '../../../src/core/trace/decode';

function splitAll(chunks: string[]): string[] {
  const out: string[] = [];
  const s = new LineSplitter((t, no) => {
    assert.equal(no, out.length + 1);
    out.push(t);
  });
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

function readAll(chunks: Uint8Array[]): { lines: string[]; reader: ByteLineReader } {
  const lines: string[] = [];
  const reader = new ByteLineReader((t) => lines.push(t));
  for (const c of chunks) reader.push(c);
  reader.end();
  return { lines, reader };
}

function utf16(text: string, be: boolean, bom: boolean): Uint8Array {
  const le = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
  if (!be) return le;
  const out = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    out[i] = le[i + 1]!;
    out[i + 1] = le[i]!;
  }
  return out;
}

describe('decode', () => {
  it('splits on LF, CRLF and a lone CR, and keeps a last line without newline', () => {
    assert.deepEqual(splitAll(['a\nb\r\nc\rd']), ['a', 'b', 'c', 'd']);
  });

  it('does not count a CRLF split across chunks as two line breaks', () => {
    assert.deepEqual(splitAll(['a\r', '\nb\r', '', '\nc']), ['a', 'b', 'c']);
  });

  it('joins a line split across chunks', () => {
    assert.deepEqual(splitAll(['ab', 'cd\ne', 'f']), ['abcd', 'ef']);
  });

  it('gives an empty input no lines and a lone newline one empty line', () => {
    assert.deepEqual(splitAll([]), []);
    assert.deepEqual(splitAll(['\n']), ['']);
  });

  it('cuts an over-long line but keeps counting lines after it', () => {
    const long = 'x'.repeat(MAX_LINE_LENGTH * 3);
    const lines = splitAll([long.slice(0, 1000), long.slice(1000), '\nnext']);
    assert.equal(lines.length, 2);
    assert.equal(lines[0]!.length, MAX_LINE_LENGTH);
    assert.equal(lines[1], 'next');
  });

  it('detects BOMs and BOM-less UTF-16', () => {
    assert.deepEqual(detectEncoding(Buffer.from('\ufeffhi', 'utf8')), { encoding: 'utf-8', bomLength: 3 });
    assert.deepEqual(detectEncoding(utf16('hi there', false, true)), { encoding: 'utf-16le', bomLength: 2 });
    assert.deepEqual(detectEncoding(utf16('hi there', true, true)), { encoding: 'utf-16be', bomLength: 2 });
    assert.deepEqual(detectEncoding(utf16('at Foo.Bar()', false, false)), {
      encoding: 'utf-16le',
      bomLength: 0,
    });
    assert.deepEqual(detectEncoding(utf16('at Foo.Bar()', true, false)), {
      encoding: 'utf-16be',
      bomLength: 0,
    });
    assert.deepEqual(detectEncoding(Buffer.from('plain ascii', 'utf8')), { encoding: 'utf-8', bomLength: 0 });
  });

  for (const [name, be, bom] of [
    ['UTF-16 LE with BOM', false, true],
    ['UTF-16 BE with BOM', true, true],
    ['UTF-16 LE without BOM', false, false],
    ['UTF-16 BE without BOM', true, false],
  ] as const) {
    it(`reads ${name} split into odd-sized chunks`, () => {
      const text = 'Unhandled Exception: System.Exception: Größe ✓\r\n   bei A.B() in C:\\x.cs:Zeile 3.\r\n';
      const bytes = utf16(text, be, bom);
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
      const { lines, reader } = readAll(chunks);
      assert.deepEqual(lines, [
        'Unhandled Exception: System.Exception: Größe ✓',
        '   bei A.B() in C:\\x.cs:Zeile 3.',
      ]);
      assert.equal(reader.encoding, be ? 'utf-16be' : 'utf-16le');
    });
  }

  it('reads UTF-8 with a BOM and multi-byte characters split across chunks', () => {
    const bytes = Buffer.from('\ufeff在 A.B()\n場所 C.D()\n', 'utf8');
    const chunks = [...bytes].map((b) => Uint8Array.of(b));
    assert.deepEqual(readAll(chunks).lines, ['在 A.B()', '場所 C.D()']);
  });

  it('copies the first block, so a reused read buffer cannot corrupt it', () => {
    const lines: string[] = [];
    const reader = new ByteLineReader((t) => lines.push(t));
    const buf = Buffer.from('first\n');
    reader.push(buf);
    buf.write('XXXXX\n');
    reader.push(Buffer.from('second\n'));
    reader.end();
    assert.deepEqual(lines, ['first', 'second']);
  });

  it('flags binary input and still never throws on it', () => {
    const bytes = Buffer.from([0x4d, 0x44, 0x4d, 0x50, 0x93, 0xa7, 0, 0, 1, 2, 3, 0, 0xff, 0xfe, 0x0a]);
    const { reader } = readAll([bytes]);
    assert.equal(reader.binary, true);
    assert.equal(decodeBytes(bytes).encoding, 'utf-8');
  });
});
