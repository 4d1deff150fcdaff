// A store written by SurrealDB 2 (what every Pattern installation has), moved both ways: kept on a 2.x server, and
// upgraded into a 3.x one; each proven by the program's verify and by an independent read of both sides.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, describe, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { STORE_READER_ENV } from '../../src/surreal/store-reader-env.js';
import { comparable, everyRecord, storeRecords } from '../helpers/every-record.js';
import { countingSurreal } from '../helpers/counting-surreal.js';
import { folderDigest, patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { errorsOf, runPatternDb } from '../helpers/pattern-db.js';
import { freePort, startTestServer, surrealBin, tempDir } from '../helpers/surreal.js';

const MESSAGES = 300;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function expectConfigPointsAt(folder: PatternFolder, url: string): Promise<void> {
  const rewritten = await fs.readFile(folder.configPath, 'utf8');
  expect(parse(rewritten).database).toMatchObject({ type: 'remote', url: url.replace('http://', 'ws://'), namespace: 'pattern', database: 'pattern' });
  expect(rewritten.split('[database]')[0]).toBe(PATTERN_TOML.split('[database]')[0]);
}

describe('a SurrealDB 2 store', () => {
  it('stays on SurrealDB 2 by default: a managed 2.x server, every record equal, the store untouched', async () => {
    const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
    const before = await folderDigest(folder.storePath);
    const source = await storeRecords(folder.storePath, Object.keys(folder.counts), 2);
    const bind = `127.0.0.1:${await freePort()}`;
    const stateDir = path.join(folder.dir, '.pattern-db');
    cleanups.push(async () => void (await runPatternDb(['server', 'stop', '--state-dir', stateDir], { cwd: folder.dir })));

    const run = await runPatternDb(['migrate', '--yes', '--json', '--start-server', 'memory', '--bind', bind], {
      cwd: folder.dir,
      env: { SURREAL_USER: 'root', SURREAL_PASS: 'stay-on-two-pass-1' },
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const pre = run.result?.preflight;
    expect(pre?.store?.format).toBe('surrealkv-2');
    expect(pre?.route).toEqual({ source: 2, target: 2 });
    expect(run.events.some((e) => e.code === 'W_PATTERN_SDK')).toBe(false);
    // The plain and JSON runs' next step for a memory server says what stopping it costs.
    expect(run.events.find((e) => e.code === 'I_SERVER_STARTED')?.fix).toMatch(/^Stop it with: pattern-db server stop --state-dir .+ \(memory storage: stopping the server deletes everything in it; a reboot or a logout loses it too\)$/);
    expect(run.result?.server?.version).toMatch(/^2\./);
    expect(run.result?.export?.driver).toBe('cli');
    expect(run.result?.verify).toMatchObject({ ok: true, method: { records: 'value' } });

    const target = new SurrealHttp({ url: `http://${bind}`, username: 'root', password: 'stay-on-two-pass-1', namespace: 'pattern', database: 'pattern' });
    expect(await everyRecord(target, Object.keys(folder.counts))).toEqual(source);
    await expectConfigPointsAt(folder, `http://${bind}`);
    expect(await folderDigest(folder.storePath)).toBe(before);
  }, 600_000);

  it('upgrades into a SurrealDB 3 server: repairs listed, the file validated, every record equal, Pattern warned', async () => {
    const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
    const source = await storeRecords(folder.storePath, Object.keys(folder.counts), 2);
    const server = await startTestServer({ major: 3 });
    cleanups.push(server.stop);
    const surreal2 = await countingSurreal(await surrealBin(2));

    const run = await runPatternDb(['migrate', '--yes', '--json', '--target', server.url], {
      cwd: folder.dir,
      env: { SURREAL_USER: server.username, SURREAL_PASS: server.password, SURREAL2_BIN: surreal2.bin },
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.result?.preflight?.route).toEqual({ source: 2, target: 3 });
    // A 2.x store is read whole when opened: one private server takes the census, writes the export and is verified against.
    const opened = (await surreal2.commands()).filter((c) => c === 'start' || c === 'export');
    expect(opened).toEqual(['start']);
    const codes = run.events.filter((e) => e.type === 'diagnostic').map((e) => e.code as string);
    expect(codes).toEqual(expect.arrayContaining(['W_PATTERN_SDK', 'I_REPAIRED', 'I_VALIDATED', 'I_IMPORT_AHEAD']));
    // That server read a copy without the store's index data, which SurrealDB 2 would have held in memory.
    expect(run.events.find((e) => e.code === 'I_SNAPSHOT_LEAN')?.message).toMatch(/^The snapshot leaves out the store's full-text, vector and graph index entries \([\d,]+ records, [\d.]+ MB\)/);
    expect(run.result?.export?.repairs).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'drop-id-field' }), expect.objectContaining({ id: 'flexible-on-schemaless' })]));
    expect(run.result?.verify).toMatchObject({ ok: true, method: { records: 'value' } });

    const target = new SurrealHttp({ url: server.url, username: server.username, password: server.password, namespace: 'pattern', database: 'pattern' });
    expect(comparable(await everyRecord(target, Object.keys(folder.counts)))).toEqual(comparable(source));
    await expectConfigPointsAt(folder, server.url);
    // What the upgrade wrote is the export kept as the backup: it loads into SurrealDB 3 as it is.
    expect(await fs.readFile(path.join(folder.dir, 'pattern_export.surql'), 'utf8')).not.toMatch(/DEFINE FIELD id ON|FLEXIBLE/);
  }, 600_000);

  // 2.x takes no lock and writes into the folder it opens: two of its programs never open the same one. Each is set to
  // keep next to nothing of what it reads (store-reader-env.ts); `surreal export` runs in the user's environment, whose
  // own setting wins.
  it.each([
    ['upgraded into a SurrealDB 3 server', 3, undefined],
    ['kept on a SurrealDB 2 server, the user exporting MALLOC_ARENA_MAX=4', 2, '4'],
  ] as const)('--driver cli, %s: `surreal export` reads a throwaway copy while the private server that takes the census reads the snapshot and serves the verification, both set to keep little of it', async (_route, major, userArenas) => {
    const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
    const source = await storeRecords(folder.storePath, Object.keys(folder.counts), 2);
    const server = await startTestServer({ major });
    cleanups.push(server.stop);
    const surreal2 = await countingSurreal(await surrealBin(2), Object.keys(STORE_READER_ENV));

    const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', 'cli', '--target', server.url], {
      cwd: folder.dir,
      env: { SURREAL_USER: server.username, SURREAL_PASS: server.password, SURREAL2_BIN: surreal2.bin, MALLOC_ARENA_MAX: userArenas },
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const calls = await surreal2.calls();
    const callOf = (command: string) => {
      const found = calls.filter((call) => call.args.startsWith(`${command} `));
      expect(found, `surreal ${command} runs`).toHaveLength(1);
      return { folder: /surrealkv:\/\/(\S+)/.exec(found[0]!.args)?.[1], settings: found[0]!.env };
    };
    const served = callOf('start');
    const exported = callOf('export');
    expect(exported.folder).toBeDefined();
    expect(exported.folder).not.toBe(served.folder);
    expect(await fs.stat(exported.folder!).catch(() => null), 'the throwaway copy, removed').toBeNull();
    expect(served.settings).toEqual(STORE_READER_ENV);
    expect(exported.settings).toEqual({ ...STORE_READER_ENV, ...(userArenas ? { MALLOC_ARENA_MAX: userArenas } : {}) });
    expect(run.result?.verify).toMatchObject({ ok: true, method: { records: 'value' } });
    const target = new SurrealHttp({ url: server.url, username: server.username, password: server.password, namespace: 'pattern', database: 'pattern' });
    expect(comparable(await everyRecord(target, Object.keys(folder.counts)))).toEqual(comparable(source));
  }, 600_000);
});

describe('routes that cannot work are refused before anything is written', () => {
  async function refused(args: string[], folder: PatternFolder, env: Record<string, string | undefined> = {}) {
    const run = await runPatternDb(['migrate', '--yes', '--json', ...args], { cwd: folder.dir, env: { SURREAL_USER: 'root', SURREAL_PASS: 'refused-pass-1', ...env } });
    expect(run.exitCode).not.toBe(0);
    expect(await fs.readFile(folder.configPath, 'utf8')).toBe(PATTERN_TOML);
    expect(await fs.stat(path.join(folder.dir, 'pattern_export.surql')).catch(() => null)).toBeNull();
    return { code: errorsOf(run)[0], error: run.result?.error as { message: string; fix?: string } };
  }

  it('a SurrealDB 3 store into a SurrealDB 2 server, or with --target-version 2', async () => {
    const folder = await patternFolder(30);
    const server = await startTestServer({ major: 2 });
    cleanups.push(server.stop);
    const intoTwo = await refused(['--target', server.url], folder, { SURREAL_USER: server.username, SURREAL_PASS: server.password });
    expect(intoTwo.code).toBe('E_USAGE');
    expect(intoTwo.error.message).toContain('SurrealDB 2 server cannot load');
    const asked = await refused(['--start-server', 'memory', '--bind', `127.0.0.1:${await freePort()}`, '--target-version', '2'], folder);
    expect(asked.code).toBe('E_USAGE');
    expect(asked.error.fix).toContain('Drop --target-version 2');
  }, 300_000);

  it('a SurrealDB 2 store: --target-version that contradicts the server, --driver sdk, and no 2.x surreal anywhere', async () => {
    const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
    const server = await startTestServer({ major: 3 });
    cleanups.push(server.stop);
    const clash = await refused(['--target', server.url, '--target-version', '2'], folder, { SURREAL_USER: server.username, SURREAL_PASS: server.password });
    expect(clash.code).toBe('E_USAGE');
    expect(clash.error.message).toMatch(/--target-version 2 .* runs SurrealDB 3\./);

    const sdk = await refused(['--start-server', 'memory', '--bind', `127.0.0.1:${await freePort()}`, '--driver', 'sdk'], folder);
    expect(sdk.code).toBe('E_USAGE');
    expect(sdk.error.message).toContain('cannot read this SurrealDB 2 store');

    // Nothing of SurrealDB 2 to be found: no SURREAL2_BIN, no surreal on PATH, an empty cache. Only the 3.x one is named.
    const empty = await tempDir();
    const none = await refused(['--start-server', 'memory', '--bind', `127.0.0.1:${await freePort()}`], folder, {
      SURREAL2_BIN: undefined,
      SURREAL_BIN: await surrealBin(3),
      PATH: path.dirname(process.execPath),
      XDG_CACHE_HOME: empty,
      HOME: empty,
    });
    expect(none.code).toBe('E_SURREAL_MISSING');
    expect(none.error.fix).toContain('SURREAL2_BIN');

    const wrong = await refused(['--start-server', 'memory', '--bind', `127.0.0.1:${await freePort()}`], folder, { SURREAL2_BIN: await surrealBin(3) });
    expect(wrong.code).toBe('E_SURREAL_MISSING');
    expect(wrong.error.message).toMatch(/SURREAL2_BIN=.* is surreal 3\.\d+\.\d+, not SurrealDB 2/);
  }, 300_000);

  /** A folder whose 2.x store holds what `seed` writes, from pattern/pattern. */
  async function storeHolding(seed: string): Promise<PatternFolder> {
    const dir = await tempDir('pattern-db-seeded-2x-');
    const storePath = path.join(dir, 'pattern.db');
    const writer = await startTestServer({ major: 2, storage: `surrealkv://${storePath}` });
    try {
      await new SurrealHttp({ url: writer.url, username: writer.username, password: writer.password, namespace: 'pattern', database: 'pattern' }).sql(seed);
    } finally {
      await writer.stop();
    }
    const configPath = path.join(dir, 'pattern.toml');
    await fs.writeFile(configPath, PATTERN_TOML);
    return { dir, configPath, storePath, counts: {} };
  }

  /** Not even the database was created on the server (a 3.x server has no namespace either). */
  async function nothingOn(server: { url: string; username: string; password: string }): Promise<void> {
    const target = new SurrealHttp({ url: server.url, username: server.username, password: server.password, namespace: 'pattern' });
    const [namespace] = (await target.sql('INFO FOR NS;').catch((error: unknown) => {
      if (String(error).includes("The namespace 'pattern' does not exist")) return [{}];
      throw error;
    })) as Array<{ databases?: Record<string, string> }>;
    expect(namespace?.databases ?? {}).toEqual({});
  }

  it.each([
    ['auto', []],
    ['cli', ['--driver', 'cli']],
  ] as const)('a SurrealDB 2 store with no records in pattern/pattern, whose census is read beside its export (--driver %s): nothing reaches the server', async (_driver, flags) => {
    // A 2.x server: its import begins as soon as the served export is written, while the census may still be read.
    const server = await startTestServer({ major: 2 });
    cleanups.push(server.stop);
    const credentials = { SURREAL_USER: server.username, SURREAL_PASS: server.password };

    // Many empty tables: the census counts each one, and is still at it when the export is written.
    const tables = await storeHolding(Array.from({ length: 400 }, (_, i) => `DEFINE TABLE t${i} SCHEMALESS;`).join('\n'));
    const noRecords = await refused([...flags, '--target', server.url], tables, credentials);
    expect(noRecords.code).toBe('E_STORE_EMPTY');
    expect(noRecords.error.message).toMatch(/pattern\/pattern in .* holds no records/);
    await nothingOn(server);
    const elsewhere = await storeHolding('USE DB other; CREATE msg:1 SET text = "elsewhere";');
    const noDatabase = await refused([...flags, '--target', server.url], elsewhere, credentials);
    expect(noDatabase.code).toBe('E_STORE_EMPTY');
    expect(noDatabase.error.message).toContain('The store has no database pattern/pattern.');
    for (const folder of [tables, elsewhere]) expect(await fs.readdir(folder.dir)).not.toContain('pattern_export.surql.partial');
    await nothingOn(server);
  }, 300_000);

  it.each([
    ['auto', []],
    ['cli', ['--driver', 'cli']],
  ] as const)('an upgrade whose export SurrealDB 3 cannot parse, though the import begins as the export is written (--driver %s): refused at its line, nothing reaches the server', async (_driver, flags) => {
    // 2.x exports an MTREE index as it is; SurrealDB 3 has none, and no repair makes one.
    const records = Array.from({ length: 200 }, (_, n) => `CREATE msg:${n} SET text = 'message ${n}', v = [${n}.0, 1.0];`).join('\n');
    const folder = await storeHolding(`DEFINE TABLE msg SCHEMALESS; DEFINE INDEX v ON msg FIELDS v MTREE DIMENSION 2;\n${records}`);
    const before = await folderDigest(folder.storePath);
    const server = await startTestServer({ major: 3 });
    cleanups.push(server.stop);

    const run = await refused([...flags, '--target', server.url], folder, { SURREAL_USER: server.username, SURREAL_PASS: server.password });

    expect(run.code).toBe('E_EXPORT');
    expect(run.error.message).toMatch(/^surreal validate refused the export at its line \d+: Parse error/);
    expect(run.error.fix).toContain('nothing of it was sent');
    await nothingOn(server);
    expect((await fs.readdir(folder.dir)).filter((name) => name.startsWith('pattern_export.surql')), 'files the export left').toEqual([]);
    // No piece is left in the state folder (validate-piece.surql, validate-piece-2.surql).
    expect((await fs.readdir(path.join(folder.dir, '.pattern-db'))).filter((name) => name.startsWith('validate-piece'))).toEqual([]);
    expect(await folderDigest(folder.storePath)).toBe(before);
  }, 300_000);

  it('a SurrealDB 2 store a running program holds open (2.x takes no lock: its open files tell)', async () => {
    const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
    const holder = await startTestServer({ major: 2, storage: `surrealkv://${folder.storePath}` });
    try {
      const held = await refused(['--start-server', 'memory', '--bind', `127.0.0.1:${await freePort()}`], folder);
      expect(held.code).toBe('E_STORE_LOCKED');
      expect(held.error.message).toContain(`process ${holder.state.pid}`);
      expect(await fs.readdir(path.join(folder.dir, '.pattern-db', 'snapshots')).catch(() => [])).toEqual([]);
    } finally {
      await holder.stop();
    }
  }, 300_000);
});
