// Real git repositories for resolver tests, built in a temp folder: write files, commit, tag, move.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Dana Dev',
  GIT_AUTHOR_EMAIL: 'dana@example.com',
  GIT_COMMITTER_NAME: 'Dana Dev',
  GIT_COMMITTER_EMAIL: 'dana@example.com',
};

export class TempRepo {
  readonly dir: string;
  private tick = 0;

  constructor(name: string, parent?: string) {
    const base = parent ?? fs.mkdtempSync(path.join(os.tmpdir(), 'escalate-resolve-'));
    this.dir = path.join(base, name);
    fs.mkdirSync(this.dir, { recursive: true });
    this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    // A fixed, increasing date keeps commit order and ids stable from run to run.
    const date = `2026-01-01T00:${String(Math.floor(this.tick / 60)).padStart(2, '0')}:${String(this.tick % 60).padStart(2, '0')}Z`;
    this.tick++;
    return execFileSync('git', args, {
      cwd: this.dir,
      env: { ...ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      encoding: 'utf8',
    });
  }

  write(files: Record<string, string>): this {
    for (const [p, text] of Object.entries(files)) {
      const abs = path.join(this.dir, p);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
    }
    return this;
  }

  read(p: string): string {
    return fs.readFileSync(path.join(this.dir, p), 'utf8');
  }

  /** Inserts `lines` before line `at` (1-based) of a file. */
  insert(p: string, at: number, lines: string[]): this {
    const l = this.read(p).split('\n');
    l.splice(at - 1, 0, ...lines);
    return this.write({ [p]: l.join('\n') });
  }

  /** Replaces line `at` (1-based). */
  replace(p: string, at: number, line: string): this {
    const l = this.read(p).split('\n');
    l[at - 1] = line;
    return this.write({ [p]: l.join('\n') });
  }

  move(from: string, to: string): this {
    fs.mkdirSync(path.dirname(path.join(this.dir, to)), { recursive: true });
    this.git('mv', from, to);
    return this;
  }

  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  tag(name: string, annotated = false): this {
    if (annotated) this.git('tag', '-a', name, '-m', `release ${name}`);
    else this.git('tag', name);
    return this;
  }

  branch(name: string): this {
    this.git('branch', name);
    return this;
  }
}

/** `n` numbered lines of a source file after a header, so that line numbers in traces point somewhere real. */
export function body(header: string[], n: number, prefix = '    // line'): string {
  const out = [...header];
  while (out.length < n) out.push(`${prefix} ${out.length + 1}`);
  return out.join('\n') + '\n';
}
