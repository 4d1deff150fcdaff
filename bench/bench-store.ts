// Pattern-shaped stores for the benchmarks: generated once per engine, size and seed, then kept in the temp folder.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateStore, type FixtureEngine } from '../src/fixture/generate.js';
import { isProcessAlive } from '../src/surreal/process-identity.js';
import { errorText } from '../src/core/error-text.js';

export interface BenchStore {
  path: string;
  counts: Record<string, number>;
}

async function readCounts(countsFile: string): Promise<Record<string, number> | null> {
  const text = await fs.readFile(countsFile, 'utf8').catch(() => null);
  return text ? (JSON.parse(text) as Record<string, number>) : null;
}

/** A store another process is generating right now (a `.partial-<pid>` of a live pid): waited for, not made twice. */
async function generatedElsewhere(dir: string, countsFile: string): Promise<Record<string, number> | null> {
  const prefix = `${path.basename(dir)}.partial-`;
  const entries = await fs.readdir(path.dirname(dir)).catch(() => [] as string[]);
  const pid = entries.filter((e) => e.startsWith(prefix)).map((e) => Number(e.slice(prefix.length))).find((p) => p !== process.pid && isProcessAlive(p));
  if (pid === undefined) return null;
  process.stderr.write(`waiting for process ${pid}, which is generating ${dir}…\n`);
  while (isProcessAlive(pid)) {
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const counts = await readCounts(countsFile);
    if (counts) return counts;
  }
  return readCounts(countsFile);
}

export interface BenchStoreOptions {
  surreal2?: string;
  /** Engine 2 only: the full-text indexes defined but unbuilt (bench-args.ts), cached apart. */
  fullTextUnbuilt?: boolean;
}

/** The cached store of `messages` messages written by SurrealDB `engine`; generated (slowly, for engine 2) when missing. */
export async function benchStore(engine: FixtureEngine, messages: number, options: BenchStoreOptions = {}): Promise<BenchStore> {
  const { surreal2, fullTextUnbuilt = false } = options;
  const dir = path.join(os.tmpdir(), 'pattern-db-bench', `e${engine}-m${messages}-s1${fullTextUnbuilt ? '-unbuilt' : ''}`);
  const store = path.join(dir, 'pattern.db');
  const countsFile = path.join(dir, 'counts.json');
  const cached = (await readCounts(countsFile)) ?? (await generatedElsewhere(dir, countsFile));
  if (cached) return { path: store, counts: cached };

  // Built beside the cache and moved in whole, so an interrupted generation is never taken for a store.
  const partial = `${dir}.partial-${process.pid}`;
  await fs.rm(partial, { recursive: true, force: true });
  const what = `${messages}-message store written by SurrealDB ${engine}${fullTextUnbuilt ? ', its full-text indexes unbuilt' : ''}`;
  process.stderr.write(`generating a ${what}…\n`);
  const generated = await generateStore({ out: path.join(partial, 'pattern.db'), messages, seed: 1, engine, ...(surreal2 ? { surreal2 } : {}), ...(fullTextUnbuilt ? { fullTextBuilt: false } : {}) }).catch(
    async (error: unknown) => {
      await fs.rm(partial, { recursive: true, force: true });
      throw new Error(`generating the ${what} failed: ${errorText(error)}`);
    },
  );
  await fs.writeFile(path.join(partial, 'counts.json'), JSON.stringify(generated.counts));
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rename(partial, dir);
  process.stderr.write(`generated in ${(generated.ms / 1000).toFixed(0)} s; cached at ${dir}\n`);
  return { path: store, counts: generated.counts };
}
