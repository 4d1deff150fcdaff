// A store written by SurrealDB 3.1 or later (the storage-version stamp 3.3+ writes), which @surrealdb/node 3.0's engine
// cannot read: the migration reads its snapshot through a private surreal 3.3, and --driver sdk is refused.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { STORE_READER_ENV } from '../../src/surreal/store-reader-env.js';
import { countingSurreal } from '../helpers/counting-surreal.js';
import { folderDigest, PATTERN_TOML } from '../helpers/fixture-store.js';
import { errorsOf, runPatternDb } from '../helpers/pattern-db.js';
import { storeWrittenBySurreal, type SurrealWrittenStore } from '../helpers/surreal-store.js';
import { startTestServer, surrealBin, surrealVersion, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let store: SurrealWrittenStore;
let target: TestServer;
beforeAll(async () => {
  store = await storeWrittenBySurreal({ messages: 100 });
  cleanups.push(() => fs.rm(store.dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(store.dir, 'pattern.toml'), PATTERN_TOML);
  target = await startTestServer({ major: 3 });
  cleanups.push(target.stop);
}, 300_000);

const env = () => ({ SURREAL_USER: target.username, SURREAL_PASS: target.password });

it('refuses --driver sdk, which would read it with the 3.0 engine', async () => {
  const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', 'sdk', '--target', target.url], { cwd: store.dir, env: env() });
  expect(errorsOf(run)[0]).toBe('E_USAGE');
  expect(run.result?.error?.message).toContain('cannot read this SurrealDB 3.1 or later store');
}, 300_000);

it('migrates it through a private surreal 3.3 on the snapshot, verified, the store untouched', async () => {
  const before = await folderDigest(store.storePath);
  const run = await runPatternDb(['migrate', '--yes', '--json', '--target', target.url], { cwd: store.dir, env: env() });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  const pre = run.result?.preflight;
  expect(pre?.store?.format).toBe('surrealkv-3.1+');
  expect(run.result?.export?.census?.engine).toBe(`surreal ${await surrealVersion()} (a private server on the snapshot)`);
  expect(run.result?.export?.driver).toBe('cli');
  expect(run.result?.verify?.ok).toBe(true);
  expect(run.result?.verify?.records).toBe(Object.values(store.counts).reduce((a, b) => a + b, 0));
  expect(await folderDigest(store.storePath)).toBe(before);
}, 300_000);

// Under `auto` the private server that reads the snapshot exports it too: a `surreal export` of its own opens the store
// with SurrealDB's own settings, whatever its environment says. Under `cli`, `surreal export` reads a throwaway copy,
// so that what it writes into the folder it reads (the index work the store left queued) stays out of the snapshot.
// Either way the private servers read as readers (store-reader-env.ts) and serve the census and the verification.
it.each([
  ['auto', 'the private server that reads the snapshot exports it too'],
  ['cli', '`surreal export` reads a throwaway copy of the snapshot'],
] as const)('--driver %s: %s, and private servers set as readers take the census and serve the verification', async (driver, _how) => {
  const settings = ['SURREAL_SURREALKV_BLOCK_CACHE_CAPACITY', 'SURREAL_INDEX_COMPACTION_INTERVAL'];
  const surreal = await countingSurreal(await surrealBin(3), settings);
  // A run before moved the config to its target: this one starts again from the store, into a target of its own.
  await fs.writeFile(path.join(store.dir, 'pattern.toml'), PATTERN_TOML);
  const own = await startTestServer({ major: 3 });
  cleanups.push(own.stop);
  const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', driver, '--export-file', `${driver}_export.surql`, '--target', own.url], {
    cwd: store.dir,
    env: { SURREAL_USER: own.username, SURREAL_PASS: own.password, SURREAL_BIN: surreal.bin },
  });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect(run.result?.verify).toMatchObject({ ok: true, records: Object.values(store.counts).reduce((a, b) => a + b, 0) });
  const calls = await surreal.calls();
  const callsOf = (command: string) => calls.filter((call) => call.args.startsWith(`${command} `));
  const folderOf = (args: string) => /surrealkv:\/\/(\S+)/.exec(args)?.[1];
  // A store with root users is served without auth: its first start, with a user of pattern-db's, is given up.
  const served = [...new Set(callsOf('start').map((call) => folderOf(call.args)))];
  expect(served, 'private servers read the snapshot alone').toHaveLength(1);
  for (const call of callsOf('start')) expect(call.env).toEqual(Object.fromEntries(settings.map((name) => [name, STORE_READER_ENV[name]])));
  const exported = callsOf('export').map((call) => folderOf(call.args));
  expect(exported).toEqual(driver === 'auto' ? [] : [`${served[0]}-export`]);
  expect(await fs.stat(`${served[0]}-export`).catch(() => null), 'no throwaway copy left').toBeNull();
}, 300_000);
