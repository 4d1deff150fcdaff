// Each step as a command of its own, run once through the built binary as a user would, in the order a migration by
// hand takes: server start and status, preflight, export, import, verify, config rewrite, server stop. Each
// command's output is checked, and what it did is read back by the test itself.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SurrealHttp } from '../../src/surreal/http.js';
import { isProcessAlive, stopManagedServer } from '../../src/surreal/server.js';
import { everyRecord } from '../helpers/every-record.js';
import { folderDigest, patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { freePort, killOnExit, surrealVersion } from '../helpers/surreal.js';

const MESSAGES = 300;
const env = { SURREAL_USER: 'root', SURREAL_PASS: 'step-commands-pass-1' };

let folder: PatternFolder;
let storeDigest: string;
let bind: string;
let url: string;
let version: string;
let stateDir: string;
let exportFile: string;
let serverPid: number;
const total = () => Object.values(folder.counts).reduce((a, b) => a + b, 0);
const run = (args: string[]) => runPatternDb(args, { cwd: folder.dir, env });
const codesOf = (events: Array<Record<string, any>>) => events.filter((e) => e.type === 'diagnostic').map((e) => e.code as string);
const messageOf = (events: Array<Record<string, any>>, code: string) => events.find((e) => e.type === 'diagnostic' && e.code === code)?.message as string | undefined;

beforeAll(async () => {
  folder = await patternFolder(MESSAGES);
  storeDigest = await folderDigest(folder.storePath);
  bind = `127.0.0.1:${await freePort()}`;
  url = `http://${bind}`;
  version = await surrealVersion();
  stateDir = path.join(folder.dir, '.pattern-db');
  exportFile = path.join(folder.dir, 'pattern_export.surql');
});

afterAll(async () => {
  await stopManagedServer(stateDir).catch(() => undefined);
  await fs.rm(folder.dir, { recursive: true, force: true });
});

describe('the steps as commands of their own, through the built binary', () => {
  it('server start: a managed memory server, ready, described in the result', async () => {
    const started = await run(['server', 'start', '--storage', 'memory', '--bind', bind, '--json']);
    expect(started.exitCode, started.stdout + started.stderr).toBe(0);
    expect(started.result).toMatchObject({ ok: true, server: { url, bind, storage: 'memory', version, username: env.SURREAL_USER, logFile: path.join(stateDir, 'server.log') } });
    serverPid = started.result!.server.pid as number;
    killOnExit(serverPid);
    expect(isProcessAlive(serverPid)).toBe(true);
    expect(started.stdout + started.stderr).not.toContain(env.SURREAL_PASS);
  });

  it('server status: running and healthy, in a line of plain text', async () => {
    const status = await run(['server', 'status']);
    expect(status.exitCode, status.stdout + status.stderr).toBe(0);
    expect(status.stdout.trim()).toBe(`Running: ${url} (pid ${serverPid}, memory, SurrealDB ${version}, healthy); log: ${path.join(stateDir, 'server.log')}`);
  });

  it('preflight: the config, the store, the surreal and the target named; nothing written', async () => {
    const checked = await run(['preflight', '--target', url, '--json']);
    expect(checked.exitCode, checked.stdout + checked.stderr).toBe(0);
    // In the order of the checks, though the programs and the target answer while the store is read.
    const named = ['I_CONFIG', 'I_STORE', 'I_SURREAL', 'I_TARGET', 'I_ROUTE', 'I_SOURCE', 'I_DISK'];
    expect([...new Set(codesOf(checked.events).filter((code) => named.includes(code)))]).toEqual(named);
    expect(messageOf(checked.events, 'I_TARGET')).toBe(`Target: ${url} (SurrealDB ${version}), signed in as ${env.SURREAL_USER}`);
    expect(checked.result).toMatchObject({
      command: 'preflight',
      ok: true,
      preflight: { configPath: folder.configPath, storePath: folder.storePath, target: { url, version }, route: { source: 3, target: 3 }, sourceCounts: folder.counts },
    });
    expect(checked.events.filter((e) => e.type === 'status').map((e) => `${e.step} ${e.state}`)).toEqual(['preflight running', 'preflight done']);
    await expect(fs.access(exportFile)).rejects.toThrow();
    expect(await folderDigest(folder.storePath)).toBe(storeDigest);
  });

  it.each([
    ['a param', 'DEFINE PARAM $greeting VALUE "hi";', 'params greeting'],
    ['an analyzer', 'DEFINE ANALYZER msg_content_analyzer TOKENIZERS blank;', 'analyzers msg_content_analyzer'],
    ['a function', 'DEFINE FUNCTION fn::hello() { RETURN 1; };', 'functions hello'],
  ])('import: a target database that holds %s and no table is not empty, and nothing is written there', async (_what, definition, named) => {
    const database = `occupied_${named.split(' ')[0]}`;
    const http = new SurrealHttp({ url, username: env.SURREAL_USER, password: env.SURREAL_PASS, namespace: 'pattern', database });
    await http.ensureDatabase();
    await http.sql(definition);
    // The import's preflight checks the target alone (a migration's would look for that database in the store too).
    const refused = await run(['import', '--yes', '--target', url, '--database', database, '--export-file', path.join(folder.dir, 'none.surql'), '--json']);
    expect(refused.exitCode).toBe(1);
    expect(refused.result?.error).toMatchObject({ code: 'E_TARGET_NOT_EMPTY', message: `pattern/${database} on ${url} is not empty: it holds 1 definition (${named}).`, evidence: named });
    // The way on is one the wizard can take as well: another server, or the flags it also reads.
    expect(refused.result?.error.fix).toMatch(/^Migrate into an empty database: another server, or a new database on this one \(.*--namespace NS --database DB; the wizard takes them too\)/);
    const [info] = (await http.sql('INFO FOR DB;')) as Array<{ tables: Record<string, string> }>;
    expect(info!.tables).toEqual({});
  });

  it('export: the store dumped to a file whose size and sha256 the result states, every record counted', async () => {
    const exported = await run(['export', '--yes', '--json']);
    expect(exported.exitCode, exported.stdout + exported.stderr).toBe(0);
    const file = await fs.readFile(exportFile);
    expect(exported.result?.export).toMatchObject({
      file: exportFile,
      bytes: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
      records: total(),
      recordsByTable: Object.fromEntries(Object.entries(folder.counts).filter(([, n]) => n > 0)),
    });
    expect(file.toString('utf8')).toContain('OPTION IMPORT;');
    expect(exported.events.filter((e) => e.type === 'status').map((e) => `${e.step} ${e.state}`)).toEqual(['preflight running', 'preflight done', 'export running', 'export done']);
    expect(await folderDigest(folder.storePath)).toBe(storeDigest);
  });

  it('import: the file loaded into the server, every table holding what the store holds', async () => {
    const imported = await run(['import', '--yes', '--target', url, '--json']);
    expect(imported.exitCode, imported.stdout + imported.stderr).toBe(0);
    const { chunks } = imported.result!.import as { chunks: number };
    expect(imported.result?.import).toMatchObject({ url, records: total(), exportFile });
    expect(messageOf(imported.events, 'I_IMPORTED')).toBe(`Imported ${total()} records in ${chunks} chunks into ${url}`);
    const target = new SurrealHttp({ url, username: env.SURREAL_USER, password: env.SURREAL_PASS, namespace: 'pattern', database: 'pattern' });
    const rows = await everyRecord(target, Object.keys(folder.counts));
    expect(Object.fromEntries(Object.entries(rows).map(([table, records]) => [table, records.length]))).toEqual(folder.counts);
  });

  it('verify: every table identical in the result', async () => {
    const verified = await run(['verify', '--target', url, '--json']);
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    expect(verified.result?.verify).toMatchObject({ ok: true, method: { records: 'hash', target: { version, major: 3 } } });
    const tables = verified.result!.verify.tables as Array<Record<string, unknown>>;
    expect(tables.map((t) => t.table).sort()).toEqual(Object.keys(folder.counts).sort());
    for (const table of tables) expect(table).toMatchObject({ source: folder.counts[table.table as string], target: folder.counts[table.table as string], missing: 0, extra: 0, changed: 0 });
    for (const table of tables) expect(table.compared).toBe(table.source);
    expect(verified.result!.verify.definitionsCompared).toBeGreaterThan(0);
    expect(codesOf(verified.events)).toContain('I_VERIFIED');
  });

  it('import of an export of several chunks: every record in, two chunks in flight, the checkpoint at the first failed chunk', async () => {
    // About 4.5 MB of records per 4 MB chunk cut: a first chunk with the definitions (sent alone), then records only.
    const payload = 'x'.repeat(8_000);
    const inserts = Array.from({ length: 180 }, (_, i) =>
      `INSERT [ ${Array.from({ length: 10 }, (_, k) => `{ id: big:${i * 10 + k}, payload: '${payload}' }`).join(', ')} ];`);
    const definitions = ['OPTION IMPORT;', 'DEFINE TABLE big TYPE NORMAL SCHEMAFULL PERMISSIONS NONE;', 'DEFINE FIELD payload ON big TYPE string PERMISSIONS FULL;'];
    const importInto = async (database: string, statements: string[]) => {
      const file = path.join(folder.dir, `${database}.surql`);
      await fs.writeFile(file, [...definitions, ...statements].join('\n'));
      const dir = path.join(folder.dir, `state-${database}`);
      const imported = await run(['import', '--yes', '--target', url, '--database', database, '--export-file', file, '--state-dir', dir, '--json']);
      const journal = JSON.parse(await fs.readFile(path.join(dir, 'journal.json'), 'utf8').catch(() => '{}')) as { steps?: { import?: { checkpoint?: { chunksDone: number } } } };
      return { imported, checkpoint: journal.steps?.import?.checkpoint };
    };

    const whole = await importInto('several', inserts);
    expect(whole.imported.exitCode, whole.imported.stdout + whole.imported.stderr).toBe(0);
    expect(whole.imported.result?.import).toMatchObject({ records: 1800, chunks: 4 });
    const target = new SurrealHttp({ url, username: env.SURREAL_USER, password: env.SURREAL_PASS, namespace: 'pattern', database: 'several' });
    expect(await target.sql('RETURN count(SELECT VALUE id FROM big);')).toEqual([1800]);
    const records = whole.imported.events.filter((e) => e.type === 'progress' && e.unit === 'records').map((e) => e.done as number);
    expect(records).toEqual([...records].sort((a, b) => a - b));
    expect(records.at(-1)).toBe(1800);

    // Chunk 3 inserts a record chunk 2 already holds: refused while chunk 4 may be in flight beside it.
    const twice = [...inserts.slice(0, 120), 'INSERT [ { id: big:5, payload: "again" } ];', ...inserts.slice(120)];
    const refused = await importInto('refused', twice);
    expect(refused.imported.exitCode, refused.imported.stdout).toBe(1);
    expect(refused.imported.result?.error).toMatchObject({ code: 'E_STATEMENT', message: 'The server refused a statement in chunk 3 of the import.' });
    expect(refused.checkpoint?.chunksDone).toBe(2);
  });

  it('config rewrite --write-env where .env cannot be written: refused before the config is touched, in words that say what is wrong', async () => {
    const envFile = path.join(folder.dir, '.env');
    await fs.mkdir(envFile);
    const refused = await run(['config', 'rewrite', '--target', url, '--yes', '--write-env', '--json']);
    expect(refused.exitCode).toBe(1);
    expect(refused.result?.error).toMatchObject({ code: 'E_CONFIG_WRITE', message: `${envFile} is a folder, not a .env file. Nothing was changed.` });
    expect(await fs.readFile(folder.configPath, 'utf8')).toBe(PATTERN_TOML);
    expect((await fs.readdir(folder.dir)).filter((name) => name.startsWith('pattern.toml.bak'))).toEqual([]);
    await fs.rmdir(envFile);
  });

  it('config rewrite of a [database] that sets username and password: refused while the server refuses them (Pattern signs in with them), written once it accepts them', async () => {
    const dir = await fs.mkdtemp(path.join(folder.dir, 'credentials-'));
    const config = path.join(dir, 'pattern.toml');
    const withCredentials = (password: string) => PATTERN_TOML.replace('strict_mode = false\n', `strict_mode = false\nusername = "root"\npassword = "${password}"\n`);
    await fs.writeFile(config, withCredentials('not-the-server-password'));
    const rewrite = () => runPatternDb(['config', 'rewrite', '--target', url, '--yes', '--json'], { cwd: dir, env });
    const refused = await rewrite();
    expect(refused.exitCode).toBe(1);
    expect(refused.result?.error).toMatchObject({ code: 'E_AUTH', message: expect.stringContaining('the server refuses them'), fix: expect.stringContaining('Remove username and password from [database]') });
    expect(await fs.readFile(config, 'utf8')).toBe(withCredentials('not-the-server-password'));

    await fs.writeFile(config, withCredentials(env.SURREAL_PASS));
    const written = await rewrite();
    expect(written.exitCode, written.stdout).toBe(0);
    expect(codesOf(written.events)).toContain('I_CONFIG_CREDENTIALS');
    // Pattern reads neither variable while [database] sets both.
    expect(codesOf(written.events)).not.toContain('I_CREDENTIALS');
    expect(parse(await fs.readFile(config, 'utf8')).database).toMatchObject({ type: 'remote', username: 'root' });
  });

  it('config rewrite: [database] of the pattern.toml Pattern finds (no --config) pointed at the server, the diff in the result, the original kept as a backup', async () => {
    const rewritten = await run(['config', 'rewrite', '--target', url, '--yes', '--json']);
    expect(rewritten.exitCode, rewritten.stdout + rewritten.stderr).toBe(0);
    const wsUrl = url.replace('http://', 'ws://');
    expect(rewritten.result?.config).toMatchObject({ written: true, url: wsUrl });
    expect(rewritten.result?.config?.diff).toContain(`url = "${wsUrl}"`);
    expect(codesOf(rewritten.events)).toContain('I_CONFIG_WRITTEN');
    const text = await fs.readFile(folder.configPath, 'utf8');
    expect(parse(text).database).toMatchObject({ type: 'remote', url: wsUrl, namespace: 'pattern', database: 'pattern' });
    expect(text).not.toContain(env.SURREAL_PASS);
    expect(await fs.readFile(rewritten.result!.config.backupPath as string, 'utf8')).toBe(PATTERN_TOML);
  });

  it('server stop: the server process gone, and status then says so (exit 1)', async () => {
    const stopped = await run(['server', 'stop', '--json']);
    expect(stopped.exitCode, stopped.stdout + stopped.stderr).toBe(0);
    expect(stopped.result).toMatchObject({ ok: true, stopped: true, pid: serverPid });
    expect(isProcessAlive(serverPid)).toBe(false);
    const status = await run(['server', 'status']);
    expect(status.exitCode).toBe(1);
    expect(status.stdout.trim()).toBe(`Not running (state dir ${stateDir}).`);
  });
});
