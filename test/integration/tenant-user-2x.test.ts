// `pattern-db tenant add|list` and `user create` against a real SurrealDB 2.6.5 server, where Pattern's own SDK connects.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvVars } from '../../src/core/env-file.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { listDatabases, listNamespaces, listRootUsers, rootClient } from '../../src/surreal/server-catalog.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { client, patternSchemaSql, seedPatternDatabase } from '../helpers/pattern-server.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

let server: TestServer;
let work: string;
beforeAll(async () => {
  server = await startTestServer({ major: 2 });
  cleanups.push(server.stop);
  work = await tempDir();
  cleanups.push(() => fs.rm(work, { recursive: true, force: true }));
  await seedPatternDatabase(server, 'pattern', 'pattern', 30);
});

const admin = () => ({ SURREAL_USER: server.username, SURREAL_PASS: server.password });
const run = (args: string[], env: Record<string, string> = admin()) => runPatternDb([...args, '--target', server.url, '--json'], { cwd: work, env });

describe('pattern-db tenant on a SurrealDB 2 server', () => {
  it('adds a namespace tenant and a database tenant, lists them with their records, and refuses a second add', async () => {
    const a = await run(['tenant', 'add', 'tenant_a']);
    expect(a.exitCode, a.stdout + a.stderr).toBe(0);
    const b = await run(['tenant', 'add', 'tenant_b', '--isolation', 'database']);
    expect(b.exitCode, b.stdout + b.stderr).toBe(0);

    const root = rootClient(server);
    expect(await listNamespaces(root)).toContain('tenant_a');
    expect(await listDatabases(root, 'tenant_a')).toEqual(['pattern']);
    expect(await listDatabases(root, 'pattern')).toEqual(['pattern', 'tenant_b']);
    const wsUrl = server.url.replace('http://', 'ws://');
    expect(parse(a.result?.tenant.databaseBlock).database).toEqual({ type: 'remote', url: wsUrl, namespace: 'tenant_a', database: 'pattern' });
    expect(parse(b.result?.tenant.databaseBlock).database).toEqual({ type: 'remote', url: wsUrl, namespace: 'pattern', database: 'tenant_b' });

    // Pattern starts in tenant_a: its own 2.x schema text, then messages.
    const tenantA = client(server, 'tenant_a', 'pattern');
    await tenantA.sql(patternSchemaSql(2));
    await tenantA.sql("FOR $i IN 0..12 { CREATE msg SET role = 'user', content = { text: 'hi' }, metadata = {}, options = {}, has_tool_calls = false, word_count = 1, created_at = time::now(); };");
    const list = await run(['tenant', 'list']);
    expect(list.exitCode, list.stdout + list.stderr).toBe(0);
    const databases = list.result?.databases as Array<{ namespace: string; database: string; tables: number; records: number }>;
    expect(databases.find((d) => d.namespace === 'tenant_a')).toMatchObject({ database: 'pattern', records: 12 });
    expect(databases.find((d) => d.database === 'tenant_b')).toEqual({ namespace: 'pattern', database: 'tenant_b', tables: 0, records: 0 });
    expect(databases.find((d) => d.namespace === 'pattern' && d.database === 'pattern')?.records).toBeGreaterThan(30);

    for (const [name, isolation] of [['tenant_a', 'namespace'], ['tenant_b', 'database']]) {
      const again = await run(['tenant', 'add', name!, '--isolation', isolation!]);
      expect(again.exitCode).toBe(1);
      expect(again.result?.error.code).toBe('E_ALREADY_EXISTS');
    }

    // A wrong password, in the words SurrealDB 3 uses too (2.6.5 prefixes "There was a problem with the database: ").
    const refused = await run(['tenant', 'list'], { SURREAL_USER: server.username, SURREAL_PASS: 'not-it' });
    expect(refused.result?.error).toMatchObject({ code: 'E_AUTH', message: 'The server refused the credentials: The password did not verify.' });
    expect(refused.result?.error.evidence).toContain('401 There was a problem with the database: The password did not verify');
  });

  it('adds a database tenant in a --namespace holding \\, ⟩ and a backtick under that very name, lists it, and refuses it twice', async () => {
    const namespace = 'team\\b⟩`x';
    const added = await run(['tenant', 'add', 'tenant_odd', '--isolation', 'database', '--namespace', namespace]);
    expect(added.exitCode, added.stdout + added.stderr).toBe(0);
    expect(parse(added.result?.tenant.databaseBlock).database).toMatchObject({ namespace, database: 'tenant_odd' });
    // Read back without pattern-db's own quoting: the namespace is named exactly so (not "team", a backspace, …).
    const [root] = (await rootClient(server).sql('INFO FOR ROOT;')) as Array<{ namespaces: Record<string, string> }>;
    expect(Object.keys(root!.namespaces)).toContain(namespace);
    expect(Object.keys(root!.namespaces).filter((ns) => ns.includes('\b'))).toEqual([]);

    const list = await run(['tenant', 'list']);
    expect(list.exitCode, list.stdout + list.stderr).toBe(0);
    expect(list.result?.databases).toContainEqual({ namespace, database: 'tenant_odd', tables: 0, records: 0 });
    const again = await run(['tenant', 'add', 'tenant_odd', '--isolation', 'database', '--namespace', namespace]);
    expect(again.result?.error.code).toBe('E_ALREADY_EXISTS');
  });
});

describe('pattern-db user create on a SurrealDB 2 server', () => {
  it('creates a root EDITOR that signs in and runs Pattern\'s 2.x migrations, writes it to .env (0600), and cannot define users', async () => {
    const created = await run(['user', 'create', '--write-env']);
    expect(created.exitCode, created.stdout + created.stderr).toBe(0);
    expect(created.result?.user).toMatchObject({ name: 'pattern_app', role: 'editor', level: 'root' });
    const envFile = path.join(work, '.env');
    expect((await fs.stat(envFile)).mode & 0o777).toBe(0o600);
    const vars = readEnvVars(await fs.readFile(envFile, 'utf8'));
    expect(vars.SURREAL_USER).toBe('pattern_app');
    expect(created.stdout + created.stderr).not.toContain(vars.SURREAL_PASS!);
    expect((await listRootUsers(rootClient(server))).pattern_app).toMatch(/ON ROOT .* ROLES EDITOR/);

    const app = new SurrealHttp({ url: server.url, username: 'pattern_app', password: vars.SURREAL_PASS!, namespace: 'pattern', database: 'fresh' });
    expect(await app.checkCredentials()).toBe('root');
    await app.ensureDatabase();
    await app.sql(patternSchemaSql(2));
    const refused = await app.sqlResults("DEFINE USER intruder ON ROOT PASSWORD 'x' ROLES OWNER;");
    expect(refused[0]).toMatchObject({ status: 'ERR', result: expect.stringMatching(/Not enough permissions/) });

    const again = await run(['user', 'create', '--write-env']);
    expect(again.result?.error.code).toBe('E_ALREADY_EXISTS');
    // Run as the editor it made, `user create` says it lacks the role for it.
    const asEditor = await run(['user', 'create', 'another', '--write-env'], { SURREAL_USER: 'pattern_app', SURREAL_PASS: vars.SURREAL_PASS! });
    expect(asEditor.exitCode).toBe(1);
    expect(asEditor.result?.error.code).toBe('E_PERMISSION');

    const replaced = await run(['user', 'create', '--replace', '--write-env']);
    expect(replaced.exitCode, replaced.stdout).toBe(0);
    await expect(new SurrealHttp({ url: server.url, username: 'pattern_app', password: vars.SURREAL_PASS! }).checkCredentials()).rejects.toMatchObject({ code: 'E_AUTH' });
    expect(await new SurrealHttp({ url: server.url, username: 'pattern_app', password: readEnvVars(await fs.readFile(envFile, 'utf8')).SURREAL_PASS! }).checkCredentials()).toBe('root');
  });
});
