// Pattern-shaped stores for the benchmarks: generated once per engine, size and seed (a 3.x one also stamped by a surreal
// 3.1+, --stamped), then kept in the temp folder.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateStore, type FixtureEngine } from '../src/fixture/generate.js';
import { isProcessAlive } from '../src/surreal/process-identity.js';
import { errorText } from '../src/core/error-text.js';
import { storeFormatOf } from '../src/surreal/store.js';
import { dueCompaction } from '../src/surreal/surrealkv-compaction.js';
import { runCommand } from './measure.js';

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
  /** Engine 3 only: the surreal 3.1+ that stamps a copy of the generated store (stampedStore), cached apart. */
  stampWith?: string;
}

/** The cached store of `messages` messages written by SurrealDB `engine`; generated (slowly, for engine 2) when missing. */
export async function benchStore(engine: FixtureEngine, messages: number, options: BenchStoreOptions = {}): Promise<BenchStore> {
  const { surreal2, fullTextUnbuilt = false, stampWith } = options;
  if (stampWith) return stampedStore(messages, stampWith);
  const what = `${messages}-message store written by SurrealDB ${engine}${fullTextUnbuilt ? ', its full-text indexes unbuilt' : ''}`;
  return cachedOrMade(`e${engine}-m${messages}-s1${fullTextUnbuilt ? '-unbuilt' : ''}`, what, async (store) => {
    const generated = await generateStore({ out: store, messages, seed: 1, engine, ...(surreal2 ? { surreal2 } : {}), ...(fullTextUnbuilt ? { fullTextBuilt: false } : {}) });
    return generated.counts;
  });
}

/**
 * The generated 3.x store as the first surreal 3.1+ to open it leaves it: stamped with its storage version (the 3.1+
 * format, which the 3.0 engine cannot read), its levels compacted where due and the full-text index work the 3.0
 * engine left queued done, as a surreal 3.x server on the store does within seconds. A `surreal export` of a copy does
 * all of that as it opens it.
 */
async function stampedStore(messages: number, surreal3: string): Promise<BenchStore> {
  const base = await benchStore(3, messages);
  return cachedOrMade(`e3-m${messages}-s1-stamped`, `${messages}-message store in the format SurrealDB 3.1+ writes`, async (store) => {
    await fs.cp(base.path, store, { recursive: true });
    const exportFile = path.join(path.dirname(store), 'stamping.surql');
    const args = ['export', '--endpoint', `surrealkv://${store}`, '--namespace', 'pattern', '--database', 'pattern', '--log', 'info', exportFile];
    // Waited for to its exit: it compacts the levels after it has written the export (at 100,000 messages, 12 s more).
    const run = await runCommand(surreal3, args, { cwd: path.dirname(store), env: process.env, timeoutMs: 60 * 60_000 });
    if (run.failure) throw new Error(`surreal export of the copy: ${run.failure}`);
    await fs.rm(exportFile, { force: true });
    const format = (await storeFormatOf(store)).format;
    if (format !== 'surrealkv-3.1+') throw new Error(`surreal export left the copy in the ${format} format, not 3.1+`);
    const due = await dueCompaction(store);
    if (due) throw new Error(`surreal export left the copy's level ${due.level} due a compaction`);
    return base.counts;
  });
}

/**
 * The store cached as `name`, else made by `make` (into the store folder it is given; it returns the counts), beside
 * the cache and moved in whole, so that an interrupted generation is never taken for a store.
 */
async function cachedOrMade(name: string, what: string, make: (store: string) => Promise<Record<string, number>>): Promise<BenchStore> {
  const dir = path.join(os.tmpdir(), 'pattern-db-bench', name);
  const store = path.join(dir, 'pattern.db');
  const countsFile = path.join(dir, 'counts.json');
  const cached = (await readCounts(countsFile)) ?? (await generatedElsewhere(dir, countsFile));
  if (cached) return { path: store, counts: cached };

  const partial = `${dir}.partial-${process.pid}`;
  await fs.rm(partial, { recursive: true, force: true });
  await fs.mkdir(partial, { recursive: true });
  process.stderr.write(`generating a ${what}…\n`);
  const started = performance.now();
  const counts = await make(path.join(partial, 'pattern.db')).catch(async (error: unknown) => {
    await fs.rm(partial, { recursive: true, force: true });
    throw new Error(`generating the ${what} failed: ${errorText(error)}`);
  });
  await fs.writeFile(path.join(partial, 'counts.json'), JSON.stringify(counts));
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rename(partial, dir);
  process.stderr.write(`generated in ${((performance.now() - started) / 1000).toFixed(0)} s; cached at ${dir}\n`);
  return { path: store, counts };
}
