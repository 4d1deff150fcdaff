// `pattern-db restore` against a real server: identical data, an occupied target, and damaged archives.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseExists, rootClient } from '../../src/surreal/server-catalog.js';
import { EmbeddedStore } from '../../src/surreal/embedded.js';
import { patternFolder } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { client, definitions, recordDigests, seedPatternDatabase, tableCounts } from '../helpers/pattern-server.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

let server: TestServer;
let work: string;
/** A backup of pattern/pattern made by pattern-db itself. */
let archive: string;
beforeAll(async () => {
  server = await startTestServer();
  cleanups.push(server.stop);
  work = await tempDir();
  cleanups.push(() => fs.rm(work, { recursive: true, force: true }));
  await seedPatternDatabase(server);
  const run = await runPatternDb(['backup', '--target', server.url, '--dir', 'backups', '--json'], { cwd: work, env: env() });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  archive = run.result?.backup.file;
});

function env() {
  return { SURREAL_USER: server.username, SURREAL_PASS: server.password };
}

const restore = (file: string, database: string, ...more: string[]) =>
  runPatternDb(['restore', file, '--target', server.url, '--database', database, '--json', ...more], { cwd: work, env: env() });

describe('pattern-db restore', () => {
  it('restores a backup into an empty database, record for record and definition for definition identical to the source', async () => {
    const run = await restore(archive, 'restored');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(server.password);
    expect(run.result?.restore).toMatchObject({ namespace: 'pattern', database: 'restored', replaced: false, backup: { namespace: 'pattern', database: 'pattern' } });

    const source = await recordDigests(server, 'pattern', 'pattern');
    const restored = await recordDigests(server, 'pattern', 'restored');
    expect(Object.keys(restored)).toEqual(Object.keys(source));
    expect(restored).toEqual(source);
    expect(Object.keys(source.msg ?? {})).toHaveLength(200);
    expect(await definitions(server, 'pattern', 'restored')).toEqual(await definitions(server, 'pattern', 'pattern'));

    // The full-text index works on the restored data, as Pattern's searches need.
    const [hits] = (await client(server, 'pattern', 'restored').sql("SELECT VALUE id FROM msg WHERE content @1@ 'message 17';")) as unknown[][];
    expect(hits?.length).toBeGreaterThan(0);
    // The decompressed copy was only temporary.
    expect(await fs.readdir(path.join(work, '.pattern-db', 'restore'))).not.toContain('backup.surql');
  }, 90_000);

  it('restores an embedded store backup into a server, identical to the store', async () => {
    const folder = await patternFolder(300);
    cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
    const backup = await runPatternDb(['backup', '--json'], { cwd: folder.dir });
    expect(backup.exitCode, backup.stdout + backup.stderr).toBe(0);
    const run = await restore(backup.result?.backup.file, 'from_store');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);

    const store = await EmbeddedStore.open(folder.storePath, { namespace: 'pattern', database: 'pattern' });
    try {
      const target = await recordDigests(server, 'pattern', 'from_store');
      for (const table of (await store.info()).tables) {
        const hashes = await store.hashes(table, { skip: 0 }, 1_000_000);
        expect(target[table], table).toEqual(Object.fromEntries(hashes));
      }
      expect(Object.keys(target).length).toBeGreaterThan(5);
    } finally {
      store.close();
    }
  }, 120_000);

  it('refuses a database that holds data unless told to replace it, and asks before replacing', async () => {
    const http = client(server, 'pattern', 'occupied');
    await http.ensureDatabase();
    await http.sql("CREATE precious:one SET note = 'do not lose me';");

    const refused = await restore(archive, 'occupied');
    expect(refused.exitCode).toBe(1);
    expect(refused.result?.error.code).toBe('E_TARGET_NOT_EMPTY');
    expect(refused.result?.error.evidence).toContain('precious');
    expect(await tableCounts(server, 'pattern', 'occupied')).toEqual({ precious: 1 });

    // Replacing deletes data: without a terminal it needs --yes as well.
    const unanswered = await restore(archive, 'occupied', '--replace');
    expect(unanswered.exitCode).toBe(4);
    expect(unanswered.result?.error.code).toBe('E_NEEDS_INPUT');
    expect(await tableCounts(server, 'pattern', 'occupied')).toEqual({ precious: 1 });

    const replaced = await restore(archive, 'occupied', '--replace', '--yes');
    expect(replaced.exitCode, replaced.stdout + replaced.stderr).toBe(0);
    expect(replaced.result?.restore.replaced).toBe(true);
    expect(await recordDigests(server, 'pattern', 'occupied')).toEqual(await recordDigests(server, 'pattern', 'pattern'));
  }, 90_000);

  it('refuses a damaged or unverifiable archive and writes nothing to the server', async () => {
    const dir = path.join(work, 'damaged');
    await fs.mkdir(dir);
    const bytes = await fs.readFile(archive);
    const checksum = await fs.readFile(`${archive}.sha256`, 'utf8');
    const sha = (file: string, b: Buffer) => `${createHash('sha256').update(b).digest('hex')}  ${path.basename(file)}\n`;

    const cases: Array<{ name: string; data: Buffer; checksum: string | null; why: RegExp }> = [];
    // One byte changed in the middle: the checksum no longer matches.
    const flipped = Buffer.from(bytes);
    const middle = Math.floor(flipped.length / 2);
    flipped[middle] = flipped[middle]! ^ 0xff;
    cases.push({ name: 'flipped.surql.gz', data: flipped, checksum: checksum.replace(/  .*/, '  flipped.surql.gz'), why: /checksum does not match|does not decompress/ });
    // Valid gzip of altered SurrealQL, with the original checksum.
    const altered = gzipSync(Buffer.from(gunzipSync(bytes).toString('utf8').replace('message 1 ', 'message X ')));
    cases.push({ name: 'altered.surql.gz', data: altered, checksum: checksum.replace(/  .*/, '  altered.surql.gz'), why: /checksum does not match/ });
    // Cut short, with a checksum that matches the cut file: the gzip stream does not end.
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    cases.push({ name: 'cut.surql.gz', data: cut, checksum: null, why: /does not decompress/ });
    // No checksum beside it.
    cases.push({ name: 'unchecked.surql.gz', data: bytes, checksum: 'none', why: /no checksum file/ });

    for (const [i, c] of cases.entries()) {
      const file = path.join(dir, c.name);
      await fs.writeFile(file, c.data);
      if (c.checksum === null) await fs.writeFile(`${file}.sha256`, sha(file, c.data));
      else if (c.checksum !== 'none') await fs.writeFile(`${file}.sha256`, c.checksum);
      const run = await restore(file, `damaged_${i}`);
      expect(run.exitCode, c.name).toBe(1);
      expect(run.result?.error.code, c.name).toBe('E_BACKUP_CORRUPT');
      expect(run.result?.error.message, c.name).toMatch(c.why);
      expect(await databaseExists(rootClient(server), 'pattern', `damaged_${i}`), c.name).toBe(false);
    }

    const missing = await restore(path.join(dir, 'no-such-backup.surql.gz'), 'damaged_missing');
    expect(missing.exitCode).toBe(2);
    expect(missing.result?.error.message).toContain('There is no backup file');
  }, 90_000);

  it('refuses an archive with a statement a database export does not hold, even with a valid .sha256, before writing anything', async () => {
    const dir = path.join(work, 'crafted');
    await fs.mkdir(dir);
    const canary = client(server, 'other', 'victim');
    await canary.ensureDatabase();
    await canary.sql("CREATE keep:one SET note = 'still here';");
    const rootUsers = async () => Object.keys(((await rootClient(server).sql('INFO FOR ROOT;'))[0] as { users: object }).users).sort();
    const usersBefore = await rootUsers();
    const lines = gunzipSync(await fs.readFile(archive)).toString('utf8').split('\n');
    const afterOption = lines.indexOf('OPTION IMPORT;') + 1;
    const forms: Array<{ statement: string; at: 'start' | 'end'; head: string }> = [
      { statement: 'USE NS other DB victim;', at: 'start', head: 'USE NS other DB victim' },
      { statement: "DEFINE USER evil ON ROOT PASSWORD 'pw' ROLES OWNER;", at: 'start', head: 'DEFINE USER evil ON ROOT' },
      { statement: "DEFINE /* ON DATABASE */ USER evil ON\n  ROOT PASSWORD 'x; ON DATABASE' ROLES OWNER;", at: 'start', head: 'DEFINE /* ON DATABASE */ USER evil ON ROOT' },
      { statement: 'DEFINE NAMESPACE sneaky;', at: 'start', head: 'DEFINE NAMESPACE sneaky' },
      { statement: 'REMOVE NAMESPACE other;', at: 'end', head: 'REMOVE NAMESPACE other' },
      { statement: 'DELETE msg;', at: 'end', head: 'DELETE msg' },
      { statement: "INSERT [ { id: msg:evil, note: 'a;b', x: (REMOVE NAMESPACE other) } ];", at: 'start', head: 'INSERT [ { id: msg:evil' },
      { statement: 'DEFINE FUNCTION fn::evil() { REMOVE NAMESPACE other; };', at: 'start', head: 'DEFINE FUNCTION fn::evil()' },
      { statement: "DEFINE EVENT evil ON msg THEN { DEFINE USER evil ON ROOT PASSWORD 'pw' ROLES OWNER };", at: 'start', head: 'DEFINE EVENT evil ON msg' },
    ];
    for (const [i, form] of forms.entries()) {
      const crafted = [...lines];
      const index = form.at === 'start' ? afterOption : crafted.length;
      crafted.splice(index, 0, form.statement);
      const data = gzipSync(Buffer.from(crafted.join('\n')));
      const file = path.join(dir, `crafted-${i}.surql.gz`);
      await fs.writeFile(file, data);
      await fs.writeFile(`${file}.sha256`, `${createHash('sha256').update(data).digest('hex')}  ${path.basename(file)}\n`);
      const run = await restore(file, `crafted_${i}`);
      expect(run.exitCode, form.statement).toBe(1);
      expect(run.result?.error.code, form.statement).toBe('E_RESTORE_REFUSED');
      expect(run.result?.error.message, form.statement).toContain(`at line ${index + 1}: "${form.head}`);
      expect(await databaseExists(rootClient(server), 'pattern', `crafted_${i}`), form.statement).toBe(false);
    }
    expect(await tableCounts(server, 'other', 'victim')).toEqual({ keep: 1 });
    expect(await rootUsers()).toEqual(usersBefore);
    expect(await databaseExists(rootClient(server), 'sneaky', 'pattern')).toBe(false);
  }, 120_000);
});
