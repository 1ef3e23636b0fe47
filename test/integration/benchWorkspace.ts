// The editor benchmark's workspace: a 50,000-file Java repository with two tagged versions and customer traces
// of 60 frames each (40 into the product, 20 into the JDK and Spring), one per measured open.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from '../unit/resolve/fixture';
import type { IntegrationInfo } from './suite/info';

const MODULES = 10;
const PACKAGES = 50;
const CLASSES = 100;
/** Traces opened: the first cold (right after activation), the rest warm. */
const TRACES = 11;
const APP_FRAMES = 40;

const LIBRARY = [
  'org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)',
  'org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1067)',
  'org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:963)',
  'org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)',
  'org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:202)',
  'java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1136)',
  'java.base/java.lang.Thread.run(Thread.java:833)',
];

function javaFile(m: number, p: number, c: number, extra: string): string {
  const lines = [`package com.acme.m${m}.p${p};`, '', `public class C${c} {`];
  for (let k = 0; k < 8; k++)
    lines.push(`    public int step${k}(int x) {`, `        return x + ${k};${extra}`, '    }');
  lines.push('}', '');
  return lines.join('\n');
}

export function makeBenchWorkspace(parent: string): IntegrationInfo {
  const repo = new TempRepo('product', parent);
  const rel = (m: number, p: number, c: number): string =>
    `module-${m}/src/main/java/com/acme/m${m}/p${p}/C${c}.java`;
  for (let m = 0; m < MODULES; m++)
    for (let p = 0; p < PACKAGES; p++) {
      const dir = path.join(repo.dir, path.dirname(rel(m, p, 0)));
      fs.mkdirSync(dir, { recursive: true });
      for (let c = 0; c < CLASSES; c++) fs.writeFileSync(path.join(dir, `C${c}.java`), javaFile(m, p, c, ''));
    }
  repo.git('add', '-A');
  repo.git('commit', '-q', '-m', 'product 1.0.0');
  repo.git('tag', 'v1.0.0');
  // 1.1.0 changes one class in fifty, so carrying lines to the working tree has diffs to read.
  for (let m = 0; m < MODULES; m++)
    for (let p = 0; p < PACKAGES; p += 5)
      for (let c = 0; c < CLASSES; c += 10)
        fs.writeFileSync(path.join(repo.dir, rel(m, p, c)), javaFile(m, p, c, ' // 1.1.0'));
  repo.git('commit', '-q', '-a', '-m', 'product 1.1.0');
  repo.git('tag', 'v1.1.0');
  fs.appendFileSync(path.join(repo.dir, '.git', 'info', 'exclude'), 'traces/\n');

  const traces: string[] = [];
  fs.mkdirSync(path.join(repo.dir, 'traces'));
  for (let t = 0; t < TRACES; t++) {
    const lines = [`java.lang.IllegalStateException: customer case ${t}`];
    for (let f = 0; f < APP_FRAMES; f++) {
      const m = (t * 3 + f) % MODULES;
      const p = (t * 7 + f * 3) % PACKAGES;
      const c = (t * 11 + f * 13) % CLASSES;
      const k = f % 8;
      lines.push(`\tat com.acme.m${m}.p${p}.C${c}.step${k}(C${c}.java:${5 + k * 3})`);
    }
    for (let f = 0; f < 60 - APP_FRAMES; f++) lines.push(`\tat ${LIBRARY[f % LIBRARY.length]}`);
    const name = `traces/case-${t}.log`;
    fs.writeFileSync(path.join(repo.dir, name), lines.join('\n') + '\n');
    traces.push(name);
  }
  return {
    workspace: repo.dir,
    tags: ['v1.0.0', 'v1.1.0'],
    head: repo.git('rev-parse', 'HEAD').trim(),
    traces,
    customerTrace: { path: traces[0]!, version: 'v1.0.0', file: rel(0, 0, 0), line: 5 },
    bench: {
      files: MODULES * PACKAGES * CLASSES,
      appFrames: APP_FRAMES,
      results: process.env.ESCALATE_BENCH_OUT ?? path.join(parent, 'bench.json'),
    },
  };
}
