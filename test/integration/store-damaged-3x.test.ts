// A damaged SurrealDB 3 store. A damaged write-ahead log: surrealkv 0.20+ keeps what comes before the damaged record and
// drops the rest of that segment when it opens the store (a surreal 3 server says so in its log, @surrealdb/node's
// engine not at all). @surrealdb/node 3.0's stores hold everything in that log, so one changed byte can drop every
// message. pattern-db sees it on its copy and stops before anything reaches the target. A damaged table file is
// refused by every read that reaches it, and said to be damage rather than a failed statement.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WizardController } from '../../src/commands/wizard-controller.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { folderDigest, interactiveOptions, patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { errorsOf, runPatternDb } from '../helpers/pattern-db.js';
import { seedPatternDatabase } from '../helpers/pattern-server.js';
import { flipByteHalfway, snapshotsLeftIn, zeroBytes } from '../helpers/store-damage.js';
import { storeWrittenBySurreal } from '../helpers/surreal-store.js';
import { startTestServer, type TestServer } from '../helpers/surreal.js';
import { driveWizard } from '../helpers/wizard-drive.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** The store's largest file in `folder` (wal: its write-ahead log; sstables: its table files). */
async function largestIn(storePath: string, folder: 'wal' | 'sstables'): Promise<string> {
  const dir = path.join(storePath, folder);
  const sized = await Promise.all((await fs.readdir(dir)).map(async (name) => ({ name, size: (await fs.stat(path.join(dir, name))).size })));
  return path.join(dir, sized.sort((a, b) => b.size - a.size)[0]!.name);
}

async function targetServer(): Promise<TestServer> {
  const server = await startTestServer({ major: 3 });
  cleanups.push(server.stop);
  return server;
}

const namespacesOn = async (server: TestServer): Promise<string[]> => {
  const [root] = (await new SurrealHttp({ url: server.url, username: server.username, password: server.password }).sql('INFO FOR ROOT;')) as Array<{ namespaces: Record<string, string> }>;
  return Object.keys(root!.namespaces);
};

const DAMAGED_3 = /^SurrealDB 3 found the write-ahead log of .*pattern\.db damaged \(wal\/0{18}\d\d\.wal\) and read it only up to the damage, dropping everything from byte \d+ of that segment on: about [\d.]+ (MB|bytes)/;

describe('a damaged SurrealDB 3 store', () => {
  it('written by @surrealdb/node 3.0: migrate stops before anything reaches the target, then moves what SurrealDB 3 reads with --resume --skip-check E_STORE_DAMAGED', async () => {
    const folder = await patternFolder(300, 1, PATTERN_TOML, 3);
    await flipByteHalfway(await largestIn(folder.storePath, 'wal'));
    const digest = await folderDigest(folder.storePath);
    const server = await targetServer();
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password };

    const stopped = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: folder.dir, env });
    expect(stopped.exitCode, stopped.stdout + stopped.stderr).toBe(1);
    expect(errorsOf(stopped)).toEqual(['E_STORE_DAMAGED']);
    const error = stopped.result?.error as { message: string; evidence: string; fix: string };
    expect(error.message).toMatch(DAMAGED_3);
    expect(error.evidence).toMatch(/^SurrealDB 3 kept \d+ of the \d+ bytes of wal\/0{20}\.wal when it opened the copy \(its repair\)$/);
    expect(error.fix).toContain('Whatever opens the store itself with SurrealDB 3');
    expect(error.fix).toContain('run the same command again with --resume --skip-check E_STORE_DAMAGED');
    // The census's reader opens the snapshot while `surreal export` reads a copy of it: the import that follows the
    // export must not begin before that reader has looked.
    expect(await namespacesOn(server)).not.toContain('pattern');
    expect(await fs.readFile(folder.configPath, 'utf8')).toBe(PATTERN_TOML);
    expect(await snapshotsLeftIn(folder.dir)).toEqual([]);
    expect(await folderDigest(folder.storePath)).toBe(digest);

    const moved = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url, '--resume', '--skip-check', 'E_STORE_DAMAGED'], { cwd: folder.dir, env });
    expect(moved.exitCode, moved.stdout + moved.stderr).toBe(0);
    expect(moved.result?.verify).toMatchObject({ ok: true, readUpToDamage: expect.stringMatching(/^what SurrealDB 3 read of the store, up to the damage in its write-ahead log: about /) });
    const moves = moved.result?.verify?.tables as Array<{ table: string; target: number }>;
    expect(moves.find((t) => t.table === 'msg')?.target ?? 0).toBeLessThan(folder.counts.msg!);
    expect(await folderDigest(folder.storePath)).toBe(digest);
  }, 300_000);

  it('written by @surrealdb/node 3.0: doctor fails the record counts with what survived, inspect warns, backup writes nothing', async () => {
    const folder: PatternFolder = await patternFolder(300, 1, PATTERN_TOML, 3);
    await flipByteHalfway(await largestIn(folder.storePath, 'wal'));
    const digest = await folderDigest(folder.storePath);

    const doctor = await runPatternDb(['doctor', '--json'], { cwd: folder.dir });
    expect(doctor.exitCode).toBe(1);
    const counts = doctor.events.find((e) => e.type === 'check' && e.id === 'schema.counts')!;
    expect(counts).toMatchObject({ status: 'fail', code: 'E_STORE_DAMAGED' });
    expect(counts.message).toMatch(DAMAGED_3);
    expect(counts.evidence[0]).toBe('records read up to the damage:');

    const inspect = await runPatternDb(['inspect', '--json'], { cwd: folder.dir });
    expect(inspect.exitCode, inspect.stderr).toBe(0);
    expect(inspect.result?.source.damaged).toMatch(DAMAGED_3);

    const backup = await runPatternDb(['backup', '--source', folder.storePath, '--dir', 'backups', '--json'], { cwd: folder.dir });
    expect(errorsOf(backup)).toEqual(['E_STORE_DAMAGED']);
    expect(await fs.readdir(path.join(folder.dir, 'backups')).catch(() => [])).toEqual([]);

    expect(await snapshotsLeftIn(folder.dir)).toEqual([]);
    expect(await folderDigest(folder.storePath)).toBe(digest);
  }, 300_000);

  // Under `cli`, `surreal export` reads a copy of the snapshot beside that server, and may fail on the damage first:
  // the server's account of it is what the run says.
  it.each(['auto', 'cli'])('written by a surreal 3.3 that crashed: the private server that reads it repairs its copy, and migrate stops there (--driver %s)', async (driver) => {
    const store = await storeWrittenBySurreal({ messages: 100, crash: true });
    cleanups.push(() => fs.rm(store.dir, { recursive: true, force: true }));
    await fs.writeFile(path.join(store.dir, 'pattern.toml'), PATTERN_TOML);
    await flipByteHalfway(await largestIn(store.storePath, 'wal'));
    const digest = await folderDigest(store.storePath);
    const server = await targetServer();

    const stopped = await runPatternDb(['migrate', '--yes', '--json', '--driver', driver, '--target', server.url], { cwd: store.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    expect(errorsOf(stopped), stopped.stdout + stopped.stderr).toEqual(['E_STORE_DAMAGED']);
    expect(stopped.result?.preflight?.store?.format).toBe('surrealkv-3.1+');
    expect(stopped.result?.error.message).toMatch(DAMAGED_3);
    expect(await namespacesOn(server)).not.toContain('pattern');
    expect(await snapshotsLeftIn(store.dir)).toEqual([]);
    expect(await folderDigest(store.storePath)).toBe(digest);
  }, 300_000);

  it('a table file that fails its checksum: migrate and doctor say the store is damaged, and the wizard offers no skip', async () => {
    const store = await storeWrittenBySurreal({ messages: 100 });
    cleanups.push(() => fs.rm(store.dir, { recursive: true, force: true }));
    await fs.writeFile(path.join(store.dir, 'pattern.toml'), PATTERN_TOML);
    await flipByteHalfway(await largestIn(store.storePath, 'sstables'));
    const server = await targetServer();

    const stopped = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: store.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    expect(errorsOf(stopped), stopped.stdout + stopped.stderr).toEqual(['E_STORE_DAMAGED']);
    expect(stopped.result?.error.message).toMatch(/^SurrealDB cannot read part of the store: a file of it is damaged \(SSTable error: checksum verification failed for block at \d+\)\.$/);
    expect(stopped.result?.error.fix).toContain('nothing in pattern-db reads past this damage');
    expect(await namespacesOn(server)).not.toContain('pattern');

    // doctor against a server with the store beside it: the store's counts fail on the damage.
    await seedPatternDatabase(server, 'pattern', 'pattern', 10);
    const doctor = await runPatternDb(['doctor', '--json', '--target', server.url], { cwd: store.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    const counts = doctor.events.find((e) => e.type === 'check' && e.id === 'schema.counts')!;
    expect(counts).toMatchObject({ status: 'fail', code: 'E_STORE_DAMAGED', message: expect.stringMatching(/^SurrealDB cannot read part of the store/) });

    const folder: PatternFolder = { dir: store.dir, configPath: path.join(store.dir, 'pattern.toml'), storePath: store.storePath, counts: store.counts };
    const controller = new WizardController(interactiveOptions(folder));
    // The failed migrate above left its journal: the wizard asks whether to continue it.
    const driven = driveWizard(controller, { resume: ['fresh'] });
    expect(await controller.run()).not.toBe(0);
    expect(driven.asked.map((prompt) => prompt.id)).toEqual(['resume']);
    expect(driven.diagnostics.find((d) => d.code === 'E_STORE_DAMAGED')?.message).toMatch(/^SurrealDB cannot read part of the store/);
    expect(await snapshotsLeftIn(store.dir)).toEqual([]);
  }, 300_000);

  // Under `cli`, `surreal export` reads a copy of the snapshot beside the private server, and fails on that block
  // before the server has given up retrying its start: the server's account is still what the run says.
  it('a table file that fails its checksum, under --driver cli: the damage is named as the private server finds it', async () => {
    const store = await storeWrittenBySurreal({ messages: 100 });
    cleanups.push(() => fs.rm(store.dir, { recursive: true, force: true }));
    await fs.writeFile(path.join(store.dir, 'pattern.toml'), PATTERN_TOML);
    await flipByteHalfway(await largestIn(store.storePath, 'sstables'));
    const digest = await folderDigest(store.storePath);
    const server = await targetServer();

    const stopped = await runPatternDb(['migrate', '--yes', '--json', '--driver', 'cli', '--target', server.url], { cwd: store.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    expect(errorsOf(stopped), stopped.stdout + stopped.stderr).toEqual(['E_STORE_DAMAGED']);
    expect(stopped.result?.error.message).toMatch(/^SurrealDB cannot read part of the store: a file of it is damaged \(SSTable error: checksum verification failed for block at \d+\)\.$/);
    expect(await namespacesOn(server)).not.toContain('pattern');
    expect(await snapshotsLeftIn(store.dir)).toEqual([]);
    expect(await folderDigest(store.storePath)).toBe(digest);
  }, 300_000);

  it('a table file left empty by a crash (surrealdb#7426): refused before the engine or a server is left waiting on it', async () => {
    const store = await storeWrittenBySurreal({ messages: 20 });
    cleanups.push(() => fs.rm(store.dir, { recursive: true, force: true }));
    await fs.writeFile(path.join(store.dir, 'pattern.toml'), PATTERN_TOML);
    const tables = path.join(store.storePath, 'sstables');
    for (const name of await fs.readdir(tables)) await fs.truncate(path.join(tables, name), 0);
    const digest = await folderDigest(store.storePath);
    const refusal = /^The store's manifest lists table files that are not there whole \(sstables\/0{19}\d\.sst holds 0 bytes.*\): SurrealDB 3 cannot open the store\.$/;

    // Its storage-version stamp was in that file: the store reads as 3.0, whose engine never answered such an open.
    const doctor = await runPatternDb(['doctor', '--json'], { cwd: store.dir });
    const metadata = doctor.events.find((e) => e.type === 'check' && e.id === 'schema.metadata')!;
    expect(metadata).toMatchObject({ status: 'fail', code: 'E_STORE_DAMAGED', message: expect.stringMatching(refusal) });
    // The read-only console reads it through a surreal 3 server, which refuses to start on it.
    const inspect = await runPatternDb(['inspect', '--query', 'INFO FOR DB'], { cwd: store.dir });
    expect(inspect.exitCode).toBe(1);
    expect(inspect.stderr).toMatch(/E_STORE_DAMAGED\] The store's manifest lists table files that are not there whole/);
    expect(await snapshotsLeftIn(store.dir)).toEqual([]);
    expect(await folderDigest(store.storePath)).toBe(digest);
  }, 120_000);

  it('a manifest left empty by a crash: the private surreal 3 that reads the store stops on it, and that is said to be damage, by name, not a format', async () => {
    const store = await storeWrittenBySurreal({ messages: 20 });
    cleanups.push(() => fs.rm(store.dir, { recursive: true, force: true }));
    await fs.writeFile(path.join(store.dir, 'pattern.toml'), PATTERN_TOML);
    const manifests = path.join(store.storePath, 'manifest');
    const newest = (await fs.readdir(manifests)).sort().at(-1)!;
    await fs.truncate(path.join(manifests, newest), 0);
    const digest = await folderDigest(store.storePath);
    const damaged = new RegExp(`^The store's manifest, manifest/${newest.replace('.', '\\.')}, is empty \\(0 bytes\\): SurrealDB 3 cannot open the store\\.$`);

    // The read-only console serves a copy of the store with a surreal 3, which stops reading the empty manifest.
    const inspect = await runPatternDb(['inspect', '--json', '--query', 'INFO FOR DB'], { cwd: store.dir });
    expect(inspect.exitCode).toBe(1);
    const error = inspect.result?.error as { code: string; message: string; evidence: string; fix: string };
    expect(error.code, inspect.stdout + inspect.stderr).toBe('E_STORE_DAMAGED');
    expect(error.message).toMatch(damaged);
    expect(error.evidence).toContain('failed to fill whole buffer');
    expect(error.fix).toMatch(/^A crash while SurrealDB wrote the store can leave its manifest .* empty or cut short; .* the store itself was not changed\. /);
    expect(error.fix).toContain('nothing in pattern-db reads past this damage');

    // Its storage-version stamp is still read from its files: a 3.3 store, read through a private surreal 3 too.
    const doctor = await runPatternDb(['doctor', '--json'], { cwd: store.dir });
    expect(doctor.events.find((e) => e.type === 'check' && e.id === 'store.format')?.message).toMatch(/SurrealDB 3\.\d+\.\d+, in the 3\.1\+ format/);
    const metadata = doctor.events.find((e) => e.type === 'check' && e.id === 'schema.metadata')!;
    expect(metadata).toMatchObject({ status: 'fail', code: 'E_STORE_DAMAGED', message: expect.stringMatching(damaged) });

    const server = await targetServer();
    const migrate = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: store.dir, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    expect(errorsOf(migrate), migrate.stdout + migrate.stderr).toEqual(['E_STORE_DAMAGED']);
    expect(migrate.result?.error.message).toMatch(damaged);
    expect(await namespacesOn(server)).not.toContain('pattern');
    expect(await snapshotsLeftIn(store.dir)).toEqual([]);
    expect(await folderDigest(store.storePath)).toBe(digest);

    // Written by @surrealdb/node 3.0, the store is read by that engine, which never answers the open of such a store.
    const engineStore = await patternFolder(30, 1, PATTERN_TOML, 3);
    const engineManifests = path.join(engineStore.storePath, 'manifest');
    await fs.truncate(path.join(engineManifests, (await fs.readdir(engineManifests)).sort().at(-1)!), 0);
    const engineDoctor = await runPatternDb(['doctor', '--json'], { cwd: engineStore.dir });
    expect(engineDoctor.events.find((e) => e.type === 'check' && e.id === 'schema.metadata')).toMatchObject({ status: 'fail', code: 'E_STORE_DAMAGED', message: expect.stringMatching(/^The store's manifest, manifest\/0{20}\.manifest, is empty \(0 bytes\)/) });
    expect(await snapshotsLeftIn(engineStore.dir)).toEqual([]);
  }, 120_000);

  it('a table file cut short or partly overwritten: refused at once, by name, in the words of a server, or as an open the engine gave up on', async () => {
    const written = await storeWrittenBySurreal({ messages: 20 });
    cleanups.push(() => fs.rm(written.dir, { recursive: true, force: true }));
    const copyWith = async (damage: (table: string) => Promise<void>): Promise<string> => {
      const dir = await fs.mkdtemp(`${written.dir}-`);
      cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
      await fs.cp(written.storePath, path.join(dir, 'pattern.db'), { recursive: true });
      await fs.writeFile(path.join(dir, 'pattern.toml'), PATTERN_TOML);
      await damage(await largestIn(path.join(dir, 'pattern.db'), 'sstables'));
      return dir;
    };
    const metadataCheck = async (dir: string) => {
      const doctor = await runPatternDb(['doctor', '--json'], { cwd: dir });
      expect(await snapshotsLeftIn(dir)).toEqual([]);
      return doctor.events.find((e) => e.type === 'check' && e.id === 'schema.metadata')!;
    };

    // Cut short: its storage-version stamp went with it, so the store reads as 3.0, and the engine would open it.
    const cut = await copyWith(async (table) => fs.truncate(table, Math.floor((await fs.stat(table)).size / 2)));
    expect(await metadataCheck(cut)).toMatchObject({
      status: 'fail',
      code: 'E_STORE_DAMAGED',
      message: expect.stringMatching(/\(sstables\/0{19}\d\.sst does not end as a table file does \(\d+ bytes: cut short, or its end overwritten\)\): SurrealDB 3 cannot open the store\.$/),
    });

    // Its first block zeroed: the end is whole, the stamp gone. The engine gives up on the open without a word.
    const headless = await copyWith((table) => zeroBytes(table, 0, 4096));
    const dropped = { status: 'fail', code: 'E_ENGINE_DROPPED', message: expect.stringMatching(/^The embedded engine \(@surrealdb\/node [\d.]+ \(SurrealDB 3\.0\.\d\)\) gave up opening .* without answering: it would never have finished, nor said why\.$/) };
    expect(await metadataCheck(headless)).toMatchObject(dropped);
    const digest = await folderDigest(path.join(headless, 'pattern.db'));
    const server = await targetServer();
    const migrate = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], { cwd: headless, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });
    expect(errorsOf(migrate), migrate.stdout + migrate.stderr).toEqual(['E_ENGINE_DROPPED']);
    expect(await namespacesOn(server)).not.toContain('pattern');
    expect(await folderDigest(path.join(headless, 'pattern.db'))).toBe(digest);

    // A block in the middle zeroed, the stamp still read: the private surreal 3.3 would retry its start for two minutes.
    const holed = await copyWith((table) => zeroBytes(table, 0.5, 4096));
    expect(await metadataCheck(holed)).toMatchObject({
      status: 'fail',
      code: 'E_STORE_DAMAGED',
      message: expect.stringMatching(/^SurrealDB cannot read part of the store: a file of it is damaged \(SSTable error: checksum verification failed for block at \d+\)\.$/),
    });
  }, 100_000);
});
