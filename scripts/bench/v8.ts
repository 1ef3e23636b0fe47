// Per-trace parsing of V8 stacks: Escalate against the npm packages stacktrace-parser and error-stack-parser,
// speed (same stacks, same process) and accuracy (frames each gets wrong against what a reader lists).

import * as fs from 'node:fs';
import * as path from 'node:path';
import ErrorStackParserModule from 'error-stack-parser';
import * as stacktraceParser from 'stacktrace-parser';
import { parseText } from '../../src/core/trace';

// The package sets `module.exports.default` without `__esModule`: bundled, the default import is the exports.
const ErrorStackParser =
  (ErrorStackParserModule as unknown as { default?: typeof ErrorStackParserModule }).default ??
  ErrorStackParserModule;

type Truth = [fn: string | null, file: string | null, line: number | null, column: number | null];

/** Stacks with the frame shapes V8 writes, and the frames a careful reader lists. */
const CASES: { stack: string; frames: Truth[] }[] = [
  {
    stack: `TypeError: Cannot read properties of undefined (reading 'id')
    at OrderService.place (/srv/app/src/orders.js:42:11)
    at new Basket (/srv/app/src/basket.js:7:3)
    at Object.<anonymous> (/srv/app/index.js:3:1)
    at /srv/app/src/anon.js:5:9
    at Array.forEach (<anonymous>)
    at Foo.bar [as baz] (/srv/app/src/foo.js:1:2)
    at async Promise.all (index 0)
    at async main (file:///srv/app/src/main.mjs:12:5)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`,
    frames: [
      ['OrderService.place', '/srv/app/src/orders.js', 42, 11],
      ['new Basket', '/srv/app/src/basket.js', 7, 3],
      ['Object.<anonymous>', '/srv/app/index.js', 3, 1],
      [null, '/srv/app/src/anon.js', 5, 9],
      ['Array.forEach', null, null, null],
      ['Foo.bar [as baz]', '/srv/app/src/foo.js', 1, 2],
      ['Promise.all', null, null, null],
      ['main', 'file:///srv/app/src/main.mjs', 12, 5],
      ['process.processTicksAndRejections', 'node:internal/process/task_queues', 95, 5],
    ],
  },
  {
    stack: `Error: boom
    at eval (eval at run (C:\\srv\\app\\src\\run.js:10:3), <anonymous>:1:7)
    at run (C:\\srv\\app\\src\\run.js:10:3)
    at Module._compile (node:internal/modules/cjs/loader:1256:14)
    at f (native)
    at Server.<anonymous> (webpack:///./src/server.ts:88:21)`,
    frames: [
      ['eval', '<anonymous>', 1, 7],
      ['run', 'C:\\srv\\app\\src\\run.js', 10, 3],
      ['Module._compile', 'node:internal/modules/cjs/loader', 1256, 14],
      ['f', null, null, null],
      ['Server.<anonymous>', 'webpack:///./src/server.ts', 88, 21],
    ],
  },
];

function corpusStacks(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
}

function ours(stack: string): Truth[] {
  const t = parseText(stack)[0];
  return (t?.frames ?? []).map((f) => [f.function, f.file, f.line, f.column]);
}

function viaStacktraceParser(stack: string): Truth[] {
  return stacktraceParser
    .parse(stack)
    .map((f) => [f.methodName === '<unknown>' ? null : f.methodName, f.file, f.lineNumber, f.column]);
}

function viaErrorStackParser(stack: string): Truth[] {
  try {
    return ErrorStackParser.parse({ stack, message: '', name: '' }).map((f) => [
      f.functionName ?? null,
      f.fileName ?? null,
      f.lineNumber ?? null,
      f.columnNumber ?? null,
    ]);
  } catch {
    return [];
  }
}

/** `new Foo` and `Foo.bar [as baz]` count as right whether or not the decoration is in the function name. */
function same(t: Truth): Truth {
  const fn = t[0]?.replace(/^new /, '').replace(/ \[as [^\]]*\]$/, '') ?? null;
  return [fn, t[1], t[2], t[3]];
}

const PARSERS: [string, (s: string) => Truth[]][] = [
  ['escalate', ours],
  ['stacktrace-parser', viaStacktraceParser],
  ['error-stack-parser', viaErrorStackParser],
];

function timeIt(f: (s: string) => unknown, stacks: string[]): number {
  const rounds = 300;
  for (const s of stacks) f(s); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) for (const s of stacks) f(s);
  return Number(process.hrtime.bigint() - t0) / 1e3 / (rounds * stacks.length);
}

export function compareV8(corpusDir: string): void {
  const stacks = [...CASES.map((c) => c.stack), ...corpusStacks(corpusDir)];
  console.log(
    `\nV8 stacks, per trace (${CASES.length} reference stacks with ${CASES.reduce((s, c) => s + c.frames.length, 0)} frames, plus ${stacks.length - CASES.length} corpus traces for speed)`,
  );
  const base = timeIt(ours, stacks);
  for (const [name, f] of PARSERS) {
    const us = name === 'escalate' ? base : timeIt(f, stacks);
    let right = 0;
    let total = 0;
    const wrong: string[] = [];
    for (const c of CASES) {
      const got = f(c.stack);
      c.frames.forEach((want, i) => {
        total++;
        const g = got[i];
        if (g && JSON.stringify(same(g)) === JSON.stringify(same(want))) right++;
        else wrong.push(`${want[0] ?? want[1]} → ${g ? JSON.stringify(g) : 'missing'}`);
      });
      if (got.length > c.frames.length) wrong.push(`${got.length - c.frames.length} extra frame(s)`);
    }
    console.log(
      `  ${name.padEnd(20)} ${us.toFixed(1).padStart(7)} µs/trace  ${(us / base).toFixed(2)}× escalate's time  ${right}/${total} frames right`,
    );
    for (const w of wrong.slice(0, 6)) console.log(`      wrong: ${w}`);
    if (wrong.length > 6) console.log(`      … ${wrong.length - 6} more`);
  }
}
