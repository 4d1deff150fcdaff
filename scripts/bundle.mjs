#!/usr/bin/env node
// Bundles the compiled program (dist/src, from tsc) into dist/bundle: one file per program Node starts, and chunks for
// what they load lazily. Node then reads a handful of files instead of about 480 modules, which halves a command's
// start (measured: `pattern-db help` 0.61 s unbundled, 0.27 s bundled). The forked workers are entries of their own,
// beside the chunks: compiledPath finds each next to the module that forks it.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const compiled = (file) => path.join(root, 'dist', 'src', file);

const outdir = path.join(root, 'dist', 'bundle');
// Chunk names change with their content: last build's would pile up.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    cli: compiled('cli.js'),
    'embedded-worker': compiled('surreal/embedded-worker.js'),
    'lean-segment-worker': compiled('surreal/lean-segment-worker.js'),
    worker: compiled('fixture/worker.js'),
    'store-query-worker': compiled('fixture/store-query-worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // A native addon, and Ink's optional helpers that Node loads from node_modules only if they are ever asked for.
  external: ['@surrealdb/node', 'react-devtools-core', 'yoga-layout'],
  // The CommonJS packages bundled in (commander, cross-spawn…) call require() for Node's own modules.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
