// Bundles the extension, the standalone debug adapter, the CLI and the benchmark with esbuild.
// Type checking is separate (`npm run typecheck`); this only transpiles and bundles.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build results in the format of VS Code's esbuild problem matcher. */
const problemMatcher = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  define: { __VERSION__: JSON.stringify(pkg.version) },
  plugins: [problemMatcher],
};

const builds = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    // The core (parsers, resolver, git) is dist/engine.js, required on first use (src/editor/loadEngine.ts).
    external: ['vscode'],
    // When the bundle started to run: activation time counts loading the code, not only activate().
    banner: { js: 'globalThis.__escalateLoadStart = performance.now();' },
    footer: { js: 'globalThis.__escalateLoadEnd = performance.now();' },
  },
  { entryPoints: ['src/editor/engine.ts'], outfile: 'dist/engine.js' },
  { entryPoints: ['src/debugAdapter.ts'], outfile: 'dist/debugAdapter.js' },
  {
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  { entryPoints: ['src/scanWorker.ts'], outfile: 'dist/scanWorker.js' },
  { entryPoints: ['src/replayIndexWorker.ts'], outfile: 'dist/replayIndexWorker.js' },
  { entryPoints: ['scripts/bench/main.ts'], outfile: 'dist/bench.js' },
];

const contexts = await Promise.all(builds.map((b) => esbuild.context({ ...common, ...b })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } catch {
    process.exitCode = 1;
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}
