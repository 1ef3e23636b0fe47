// The session format's documents agree with each other and with what is written: the example in
// docs/session-format.md, the benchmark's generated session and the test sessions validate against
// docs/session.schema.json (checked by a small validator of the keywords the schema uses), and the example
// replays.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SESSION_FORMAT, SESSION_VERSION } from '../../../src/core/replay/format';
import { generatedLines } from '../../../scripts/bench/replay';
import { HEADER, WORKER, craftedEvents, openRuntime, tempDir } from './fixture';

const DOCS = path.join(__dirname, '..', '..', '..', 'docs');
type Schema = Record<string, unknown>;
const schema = JSON.parse(fs.readFileSync(path.join(DOCS, 'session.schema.json'), 'utf8')) as Schema;

/** Keywords the validator checks, and annotations it may ignore: a schema using others would pass untested. */
const CHECKED = new Set([
  'type',
  'const',
  'enum',
  'required',
  'properties',
  'items',
  'anyOf',
  '$ref',
  'minimum',
]);
const ANNOTATIONS = new Set(['$schema', 'title', 'description', '$defs', 'format']);

function typeOf(v: unknown): string[] {
  if (v === null) return ['null'];
  if (Array.isArray(v)) return ['array'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['number', 'integer'] : ['number'];
  return [typeof v];
}

/** Errors of `v` against `s` (JSON pointers into the value). */
function validate(v: unknown, s: Schema, at = ''): string[] {
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/$defs/', '');
    return validate(v, (schema.$defs as Record<string, Schema>)[name]!, at);
  }
  const errors: string[] = [];
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!typeOf(v).some((t) => types.includes(t))) return [`${at}: not ${types.join('|')}`];
  }
  if ('const' in s && v !== s.const) errors.push(`${at}: not ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.includes(v)) errors.push(`${at}: not one of ${s.enum.join(', ')}`);
  if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum)
    errors.push(`${at}: < ${s.minimum}`);
  if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some((x) => validate(v, x, at).length === 0)) {
    errors.push(`${at}: matches none of anyOf`);
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const r of (s.required as string[] | undefined) ?? []) if (!(r in o)) errors.push(`${at}: no ${r}`);
    for (const [k, sub] of Object.entries((s.properties as Record<string, Schema> | undefined) ?? {})) {
      if (k in o) errors.push(...validate(o[k], sub, `${at}/${k}`));
    }
  }
  if (Array.isArray(v) && s.items)
    v.forEach((x, i) => errors.push(...validate(x, s.items as Schema, `${at}/${i}`)));
  return errors;
}

/** Every keyword the schema uses (property and definition names are not keywords). */
function keywords(s: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(s)) s.forEach((x) => keywords(x, out));
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return out;
  for (const [k, v] of Object.entries(s)) {
    out.add(k);
    if (k === 'properties' || k === '$defs') Object.values(v as object).forEach((x) => keywords(x, out));
    else keywords(v, out);
  }
  return out;
}

/** Errors of a whole session: the header, then every event. */
function validateSession(lines: string[]): string[] {
  const defs = schema.$defs as Record<string, Schema>;
  return lines.flatMap((l, i) =>
    validate(JSON.parse(l), i === 0 ? defs.header! : defs.event!, `line ${i + 1}`),
  );
}

function docExample(): string[] {
  const md = fs.readFileSync(path.join(DOCS, 'session-format.md'), 'utf8');
  const block = md.split('```jsonl\n')[1]?.split('```')[0];
  assert.ok(block, 'docs/session-format.md has a ```jsonl example');
  return block.trimEnd().split('\n');
}

describe('session format', () => {
  it('the schema uses only keywords the validator checks', () => {
    assert.deepEqual(
      [...keywords(schema)].filter((k) => !CHECKED.has(k) && !ANNOTATIONS.has(k)),
      [],
    );
    const defs = schema.$defs as Record<string, Schema>;
    assert.deepEqual((defs.header!.properties as Record<string, Schema>).format, { const: SESSION_FORMAT });
    assert.equal(SESSION_VERSION, 1);
  });

  it('the validator catches what is wrong', () => {
    const defs = schema.$defs as Record<string, Schema>;
    assert.deepEqual(validate({ t: 'x', thread: 1, stack: [{ function: 'f', file: null }] }, defs.event!), [
      '/t: not number',
      '/thread: not string',
      '/stack/0: no line',
    ]);
    assert.deepEqual(validate({ ...HEADER, clock: { unit: 'hours' } }, defs.header!), [
      '/clock/unit: not one of ns, us, ms, s, seq',
    ]);
    assert.deepEqual(validate({ hello: 1 }, schema), [': matches none of anyOf']);
  });

  it("the docs' example validates and replays", async () => {
    const lines = docExample();
    assert.equal(lines.length, 6);
    assert.deepEqual(validateSession(lines), []);
    const dir = tempDir();
    const file = path.join(dir, 'example.jsonl');
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const rt = await openRuntime(file, 'indexed');
    assert.deepEqual(rt.session.warnings, []);
    rt.setExceptionFilters({ types: ['IllegalStateException'] });
    const stop = await rt.continue();
    assert.deepEqual(
      [stop.index, stop.reason.kind, stop.output.map((o) => o.message)],
      [3, 'exception', ['stock low for A-1001']],
    );
    assert.equal(rt.evaluate('order.items[1]', 2, 1).ok, false);
    await rt.jumpToIndex(1);
    assert.deepEqual(rt.evaluate('order.total > 100 && order.id == "A-1001"', 2, 0), {
      ok: true,
      value: 'true',
      type: 'boolean',
      variablesReference: 0,
      count: 0,
    });
    await rt.close();
    fs.rmSync(dir, { recursive: true, force: true });
    assert.ok(fs.existsSync(WORKER));
  });

  it('the generated and test sessions validate', () => {
    assert.deepEqual(validateSession(generatedLines(2000)), []);
    assert.deepEqual(validateSession([HEADER, ...craftedEvents()].map((x) => JSON.stringify(x))), []);
  });
});
