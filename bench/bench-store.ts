// Pattern-shaped stores for the benchmarks: generated once per engine, size and seed, then kept in the temp folder.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateStore, type FixtureEngine } from '../src/fixture/generate.js';

export interface BenchStore {
  path: string;
  counts: Record<string, number>;
}

/** The cached store of `messages` messages written by SurrealDB `engine`; generated (slowly, for engine 2) when missing. */
export async function benchStore(engine: FixtureEngine, messages: number, surreal2?: string): Promise<BenchStore> {
  const dir = path.join(os.tmpdir(), 'pattern-db-bench', `e${engine}-m${messages}-s1`);
  const store = path.join(dir, 'pattern.db');
  const countsFile = path.join(dir, 'counts.json');
  const cached = await fs.readFile(countsFile, 'utf8').catch(() => null);
  if (cached) return { path: store, counts: JSON.parse(cached) as Record<string, number> };

  // Built beside the cache and moved in whole, so an interrupted generation is never taken for a store.
  const partial = `${dir}.partial-${process.pid}`;
  await fs.rm(partial, { recursive: true, force: true });
  process.stderr.write(`generating a ${messages}-message store written by SurrealDB ${engine}…\n`);
  const generated = await generateStore({ out: path.join(partial, 'pattern.db'), messages, seed: 1, engine, ...(surreal2 ? { surreal2 } : {}) });
  await fs.writeFile(path.join(partial, 'counts.json'), JSON.stringify(generated.counts));
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rename(partial, dir);
  process.stderr.write(`generated in ${(generated.ms / 1000).toFixed(0)} s; cached at ${dir}\n`);
  return { path: store, counts: generated.counts };
}
