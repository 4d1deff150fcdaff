// `pattern-db backup` and `restore` with SurrealDB 2: a real 2.6.5 server holding Pattern's 2.x schema, a store
// written by SurrealDB 2, and restores of both into an empty 2.6.5 server.
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseExists, rootClient } from '../../src/surreal/server-catalog.js';
import { cutExportProxy } from '../helpers/cut-export-proxy.js';
import { folderDigest, patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb, type RunResult } from '../helpers/pattern-db.js';
import { client, definitions, recordDigests, seedPatternDatabase, tableCounts } from '../helpers/pattern-server.js';
import { processesMentioning } from '../helpers/processes.js';
import { startTestServer, surrealBin, tempDir, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** The 2.x server backed up, and an empty one restored into. */
let source: TestServer;
let target: TestServer;
let counts: Record<string, number>;
let work: string;
beforeAll(async () => {
  [source, target] = await Promise.all([startTestServer({ major: 2 }), startTestServer({ major: 2 })]);
  cleanups.push(source.stop, target.stop);
  work = await tempDir();
  cleanups.push(() => fs.rm(work, { recursive: true, force: true }));
  counts = await seedPatternDatabase(source, 'pattern', 'pattern', 200);
});

const as = (server: TestServer) => ({ SURREAL_USER: server.username, SURREAL_PASS: server.password });
const nonEmpty = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([, n]) => n > 0));
const restoreInto = (file: string, database: string, cwd = work) =>
  runPatternDb(['restore', file, '--target', target.url, '--database', database, '--json'], { cwd, env: as(target) });

/** The restore's note that `DEFINE FIELD x[*]` went in as OVERWRITE, with the statements it names. */
const overwriteNote = (run: RunResult) => run.events.find((e) => e.type === 'diagnostic' && /element-field-overwrite/.test(String(e.message)));

describe('backup and restore: a SurrealDB 2 server', () => {
  let archive: string;

  it('backs up the 2.x server: a verified archive with every record, checkable with sha256sum', async () => {
    const run = await runPatternDb(['backup', '--target', source.url, '--dir', 'backups', '--json'], { cwd: work, env: as(source) });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    archive = run.result?.backup.file;
    const check = await execa('sha256sum', ['-c', `${path.basename(archive)}.sha256`], { cwd: path.dirname(archive) });
    expect(check.stdout).toBe(`${path.basename(archive)}: OK`);
    expect(run.result?.backup.recordsByTable).toEqual(nonEmpty(counts));
    const text = gunzipSync(await fs.readFile(archive)).toString('utf8');
    expect(text.split('\n')[0]).toContain('"major":2');
    expect(text).toContain('OPTION IMPORT;');
    expect(text).toContain('SEARCH ANALYZER msg_content_analyzer');
    // The statement SurrealDB 2 refuses when the same dump is imported again as it stands.
    expect(text).toMatch(/^DEFINE FIELD embedding\[\*\] ON msg /m);
  });

  it('restores it into an empty 2.x server record for record, with the embedding[*] fields sent as OVERWRITE; a second restore is refused', async () => {
    // The trap, on 2.6.5 itself: defining `embedding` defines `embedding[*]` too, so the dump's own line fails.
    const probe = client(target, 'pattern', 'probe');
    await probe.ensureDatabase();
    const trap = await probe.sqlResults('DEFINE FIELD embedding ON t TYPE option<array<float>>; DEFINE FIELD embedding[*] ON t TYPE float;');
    expect(trap.map((r) => [r.status, r.result])).toEqual([['OK', null], ['ERR', "The field 'embedding[*]' already exists"]]);

    const run = await restoreInto(archive, 'pattern');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(overwriteNote(run)?.evidence).toContain('DEFINE FIELD OVERWRITE embedding[*] ON msg');
    expect(await tableCounts(target, 'pattern', 'pattern')).toEqual(counts);
    expect(await recordDigests(target, 'pattern', 'pattern')).toEqual(await recordDigests(source, 'pattern', 'pattern'));
    expect(await definitions(target, 'pattern', 'pattern')).toEqual(await definitions(source, 'pattern', 'pattern'));
    const [hits] = (await client(target, 'pattern', 'pattern').sql("SELECT VALUE id FROM msg WHERE content @1@ 'message 17';")) as unknown[][];
    expect(hits?.length).toBeGreaterThan(0);

    const again = await restoreInto(archive, 'pattern');
    expect(again.exitCode).toBe(1);
    expect(again.result?.error.code).toBe('E_TARGET_NOT_EMPTY');
    expect(await tableCounts(target, 'pattern', 'pattern')).toEqual(counts);
  });

  it('refuses a 2.x archive holding statements a database export does not, with a valid .sha256, before writing anything', async () => {
    const lines = gunzipSync(await fs.readFile(archive)).toString('utf8').split('\n');
    const at = lines.indexOf('OPTION IMPORT;') + 1;
    const forms = [
      "DEFINE USER evil ON ROOT PASSWORD 'pw' ROLES OWNER;",
      'USE NS other;',
      "INSERT [ { id: msg:evil, x: (DEFINE USER evil ON ROOT PASSWORD 'pw' ROLES OWNER) } ];",
      'DEFINE FUNCTION fn::evil() { REMOVE DATABASE pattern; };',
    ];
    for (const [i, statement] of forms.entries()) {
      const crafted = [...lines];
      crafted.splice(at, 0, statement);
      const data = gzipSync(Buffer.from(crafted.join('\n')));
      const file = path.join(work, `crafted2-${i}.surql.gz`);
      await fs.writeFile(file, data);
      await fs.writeFile(`${file}.sha256`, `${createHash('sha256').update(data).digest('hex')}  ${path.basename(file)}\n`);
      const run = await restoreInto(file, `crafted_${i}`);
      expect(run.exitCode, statement).toBe(1);
      expect(run.result?.error.code, statement).toBe('E_RESTORE_REFUSED');
      expect(run.result?.error.message, statement).toContain(`at line ${at + 1}`);
      expect(await databaseExists(rootClient(target), 'pattern', `crafted_${i}`), statement).toBe(false);
    }
    const [root] = (await rootClient(target).sql('INFO FOR ROOT;')) as Array<{ users: object }>;
    expect(Object.keys(root?.users ?? {})).not.toContain('evil');
  });

  it('refuses to restore the 2.x archive into a SurrealDB 3 server, which cannot parse it, before writing anything', async () => {
    const v3 = await startTestServer({ major: 3 });
    cleanups.push(v3.stop);
    const run = await runPatternDb(['restore', archive, '--target', v3.url, '--database', 'from2', '--json'], { cwd: work, env: as(v3) });
    expect(run.exitCode).toBe(2);
    expect(run.result?.error).toMatchObject({ code: 'E_USAGE', message: expect.stringContaining('holds a SurrealDB 2 export'), fix: expect.stringContaining('--major 2') });
    expect(await databaseExists(rootClient(v3), 'pattern', 'from2')).toBe(false);
  });

  it('refuses an export the 2.x server cut short with a 200, removes it and keeps the older backup', async () => {
    const dir = path.join(work, 'cut');
    const good = await runPatternDb(['backup', '--target', source.url, '--dir', dir, '--keep', '1', '--json'], { cwd: work, env: as(source) });
    expect(good.exitCode, good.stdout + good.stderr).toBe(0);
    const proxy = await cutExportProxy(source.url);
    cleanups.push(proxy.close);
    const cut = await runPatternDb(['backup', '--target', proxy.url, '--dir', dir, '--keep', '1', '--json'], { cwd: work, env: as(source) });
    expect(cut.exitCode).toBe(1);
    expect(cut.result?.error.code).toBe('E_EXPORT');
    expect((await fs.readdir(dir)).filter((n) => n.endsWith('.surql.gz'))).toEqual([path.basename(good.result?.backup.file)]);
  });
});

describe('backup and restore: a store written by SurrealDB 2', () => {
  it('backs up the store from a snapshot through a 2.x surreal (store untouched, nothing left running) and restores it into an empty 2.x server', async () => {
    const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
    cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
    const stateDir = path.join(folder.dir, '.pattern-db');
    const before = await folderDigest(folder.storePath);
    const backup = await runPatternDb(['backup', '--json'], { cwd: folder.dir, env: { SURREAL2_BIN: await surrealBin(2) } });
    expect(backup.exitCode, backup.stdout + backup.stderr).toBe(0);
    expect(backup.result?.backup.source).toBe(folder.storePath);
    expect(backup.result?.backup.recordsByTable).toEqual(nonEmpty(folder.counts));
    expect(backup.events.find((e) => e.code === 'I_BACKUP_SOURCE')?.message).toMatch(/read from a snapshot copy with surreal 2\.\d+\.\d+ \(a private server on the snapshot\)/);
    expect(await folderDigest(folder.storePath)).toBe(before);
    expect(await fs.readdir(path.join(stateDir, 'snapshots')).catch(() => [])).toEqual([]);
    expect(await processesMentioning(stateDir)).toEqual([]);

    const file: string = backup.result?.backup.file;
    expect(gunzipSync(await fs.readFile(file)).toString('utf8').split('\n')[0]).toContain('"major":2');
    const run = await restoreInto(file, 'from_store', folder.dir);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(overwriteNote(run)).toBeDefined();
    expect(nonEmpty(await tableCounts(target, 'pattern', 'from_store'))).toEqual(nonEmpty(folder.counts));
    const again = await restoreInto(file, 'from_store', folder.dir);
    expect(again.result?.error.code).toBe('E_TARGET_NOT_EMPTY');
  });
});
