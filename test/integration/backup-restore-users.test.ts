// A backup holds the database's own users (DEFINE USER … ON DATABASE): after a restore into a fresh server they sign
// in again; and the restore compares definitions, not only counts. On a real 2.6.5 and 3.3.5 server each.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseExists, rootClient } from '../../src/surreal/server-catalog.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { client, seedPatternDatabase } from '../helpers/pattern-server.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

const as = (server: TestServer) => ({ SURREAL_USER: server.username, SURREAL_PASS: server.password });

describe.each([2, 3] as const)('database users through backup and restore, SurrealDB %i', (major) => {
  let source: TestServer;
  let target: TestServer;
  let work: string;
  let archive: string;
  beforeAll(async () => {
    [source, target] = await Promise.all([startTestServer({ major }), startTestServer({ major })]);
    cleanups.push(source.stop, target.stop);
    work = await tempDir();
    cleanups.push(() => fs.rm(work, { recursive: true, force: true }));
    await seedPatternDatabase(source, 'pattern', 'pattern', 20);
    await client(source, 'pattern', 'pattern').sql(
      "DEFINE USER reader ON DATABASE PASSWORD 'reader-pw-1' ROLES VIEWER;" +
        'DEFINE ACCESS member ON DATABASE TYPE RECORD SIGNUP (CREATE member SET name = $name) SIGNIN (SELECT * FROM member WHERE name = $name) DURATION FOR SESSION 1h;' +
        "CREATE member:alice SET name = 'alice';",
    );
    const run = await runPatternDb(['backup', '--target', source.url, '--dir', 'backups', '--json'], { cwd: work, env: as(source) });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    archive = run.result?.backup.file;
  }, 120_000);

  const restore = (file: string, database: string) =>
    runPatternDb(['restore', file, '--target', target.url, '--database', database, '--json'], { cwd: work, env: as(target) });

  it('restores the database user into a fresh server, where it signs in against the restored database', async () => {
    expect(gunzipSync(await fs.readFile(archive)).toString('utf8')).toMatch(/^DEFINE USER reader ON DATABASE PASSHASH '\$argon2/m);
    const run = await restore(archive, 'restored');
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.result?.restore.definitions).toBeGreaterThan(10);
    const http = client(target);
    expect(await http.signin({ username: 'reader', password: 'reader-pw-1' }, { namespace: 'pattern', database: 'restored' })).toBe(true);
    expect(await http.signin({ username: 'reader', password: 'wrong' }, { namespace: 'pattern', database: 'restored' })).toBe(false);
    // The record access signs its users in again (SurrealDB 3 exports its key as '[REDACTED]': the restore has the
    // server make a new one, and says so).
    const signin = await fetch(`${target.url}/signin`, { method: 'POST', headers: { Accept: 'application/json' }, body: JSON.stringify({ ns: 'pattern', db: 'restored', ac: 'member', name: 'alice' }) });
    expect(signin.status, await signin.clone().text()).toBe(200);
    if (major === 3) expect(run.events.some((e) => e.code === 'I_REPAIRED' && /redacted-record-access-key/.test(String(e.message)))).toBe(true);
    // The password hash INFO may hide was proven equal from the server's export.
    const hashCheck = run.events.find((e) => e.type === 'log' && /users reader: password hash identical/.test(String(e.line ?? e.message)));
    if (major === 3) expect(hashCheck, JSON.stringify(run.events.filter((e) => e.type === 'log'))).toBeDefined();
  }, 120_000);

  it('refuses, before writing anything, an access whose key the export left out and that cannot be made anew', async () => {
    const text = gunzipSync(await fs.readFile(archive)).toString('utf8');
    // As SurrealDB 3.3 exports a JWT access that verifies tokens signed elsewhere with a shared key.
    const crafted = text.replace('OPTION IMPORT;\n', "OPTION IMPORT;\nDEFINE ACCESS partner ON DATABASE TYPE JWT ALGORITHM HS256 KEY '[REDACTED]' WITH ISSUER KEY '[REDACTED]' DURATION FOR TOKEN 1h, FOR SESSION 1h;\n");
    const file = path.join(work, 'jwt.surql.gz');
    const data = gzipSync(Buffer.from(crafted));
    await fs.writeFile(file, data);
    await fs.writeFile(`${file}.sha256`, `${createHash('sha256').update(data).digest('hex')}  jwt.surql.gz\n`);
    const run = await restore(file, 'jwt');
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    expect(run.result?.error).toMatchObject({ code: 'E_RESTORE_REFUSED', message: expect.stringContaining("access partner's key only as '[REDACTED]'") });
    expect(await databaseExists(rootClient(target), 'pattern', 'jwt')).toBe(false);
  }, 120_000);

  it('warns at backup time about what a restore of the archive would refuse (3.x: a JWT access exported without its key)', async () => {
    const other = client(source, 'pattern', 'with_jwt');
    await other.ensureDatabase();
    await other.sql("DEFINE TABLE note SCHEMALESS; CREATE note:1; DEFINE ACCESS partner ON DATABASE TYPE JWT ALGORITHM HS256 KEY 'shared-secret-123';");
    const run = await runPatternDb(['backup', '--target', source.url, '--database', 'with_jwt', '--dir', 'backups', '--json'], { cwd: work, env: as(source) });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const warning = run.events.find((e) => e.code === 'W_BACKUP_UNRESTORABLE');
    if (major === 3) expect(warning?.message).toMatch(/DEFINE ACCESS partner ON DATABASE TYPE JWT .*access partner's key only as '\[REDACTED\]'/);
    // SurrealDB 2 exports the key itself: the archive restores as it is.
    else expect(warning).toBeUndefined();
  }, 120_000);

  it('reports a restore whose definitions differ from the backup, not only one whose counts do', async () => {
    // A definition the server keeps in other words than the archive's: the counts all match, the definitions do not.
    const text = gunzipSync(await fs.readFile(archive)).toString('utf8') + '\nDEFINE ANALYZER odd TOKENIZERS blank FILTERS lowercase;\n';
    const file = path.join(work, 'odd.surql.gz');
    const data = gzipSync(Buffer.from(text));
    await fs.writeFile(file, data);
    await fs.writeFile(`${file}.sha256`, `${createHash('sha256').update(data).digest('hex')}  odd.surql.gz\n`);
    const run = await restore(file, 'odd');
    expect(run.exitCode, run.stdout + run.stderr).toBe(3);
    expect(run.result?.error.code).toBe('E_VERIFY_MISMATCH');
    expect(run.result?.error.message).toContain('0 tables and 1 definitions');
    expect(run.result?.error.evidence).toContain('analyzers odd: differs');
    expect(run.result?.error.evidence).toContain('TOKENIZERS BLANK FILTERS LOWERCASE');
  }, 120_000);
});
