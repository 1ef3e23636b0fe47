// `escalate session import …` (src/cli/session.ts): output, warnings, exit codes and one-line errors.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../runCli';
import { session, tempDir } from './helpers';

const run = (...args: string[]): ReturnType<typeof runCli> => runCli('session', ...args);

describe('escalate session import', () => {
  it('imports a series of dumps and says how many events on how many threads', async () => {
    const out = path.join(tempDir(), 'lockdemo.jsonl');
    const dumps = [1, 2, 3].map((n) => session(`dumps/0${n}-lockdemo-jstack${n}.txt`));
    const r = await run('import', 'dumps', ...dumps, '-o', out);
    assert.deepEqual(r, { status: 0, stdout: `${out}: 105 events on 38 threads\n`, stderr: '' });
    const header = JSON.parse(fs.readFileSync(out, 'utf8').split('\n')[0]!) as { clock: unknown };
    assert.deepEqual(header.clock, { unit: 'ms', origin: '2021-10-27T11:48:44.000Z' });
  });

  it('detects the kind with auto', async () => {
    const out = path.join(tempDir(), 'p.jsonl');
    const r = await run(
      'import',
      'auto',
      session('profile/02-server-stopwatch-node.cpuprofile'),
      '--output',
      out,
    );
    assert.equal(r.status, 0);
    assert.match(r.stderr, /02-server-stopwatch-node\.cpuprofile: a V8 CPU profile: importing as profile\n$/);
    assert.equal(r.stdout, `${out}: 3060 events on 1 thread\n`);
  });

  it('prints warnings and passes --pattern to the log importer', async () => {
    const out = path.join(tempDir(), 'g.jsonl');
    const r = await run('import', 'log', session('log/11-lnav-glog.log'), '-o', out, '--pattern', '(a+)+$');
    assert.equal(r.status, 0);
    assert.match(
      r.stderr,
      /^escalate: warning: --pattern: \(a\+\)\+\$: refused: a repeated group contains a repetition/,
    );
    assert.equal(r.stdout, `${out}: 7 events on 7 threads\n`);
  });

  it('exits 2 with one line for usage errors, unreadable input and nothing found', async () => {
    const dir = tempDir();
    assert.deepEqual(await run('import', 'dumps', session('dumps/06-calendarbot-py-spy-dump.txt')), {
      status: 2,
      stdout: '',
      stderr: 'escalate: session import needs a KIND, at least one FILE and -o OUT.jsonl\n',
    });
    const bogus = await run('import', 'core', 'x.txt', '-o', path.join(dir, 'o.jsonl'));
    assert.deepEqual(
      [bogus.status, bogus.stderr],
      [2, "escalate: unknown import kind 'core' (dumps, log, trace, profile or auto)\n"],
    );
    const missing = await run('import', 'trace', path.join(dir, 'nope.txt'), '-o', path.join(dir, 'o.jsonl'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^escalate: \S*nope\.txt: no such file\n$/);
    const prose = path.join(dir, 'prose.txt');
    fs.writeFileSync(prose, 'hello\n');
    const none = await run('import', 'trace', prose, '-o', path.join(dir, 'o.jsonl'));
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no events found in \S*prose\.txt; nothing written\n$/);
    assert.equal(fs.existsSync(path.join(dir, 'o.jsonl')), false);
    const unwritable = await run('import', 'trace', prose, '-o', path.join(dir, 'no', 'dir', 'o.jsonl'));
    assert.equal(unwritable.status, 2);
    assert.match(unwritable.stderr, /^escalate: \S*o\.jsonl: cannot write \(ENOENT\)\n$/);
    const unknownOption = await run('import', 'trace', prose, '--bogus');
    assert.equal(unknownOption.status, 2);
    assert.match(unknownOption.stderr, /^escalate: Unknown option '--bogus'/);
  });

  it('prints its usage with --help', async () => {
    const r = await run('--help');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: escalate session import KIND FILE\.\.\. -o OUT\.jsonl/);
  });
});
