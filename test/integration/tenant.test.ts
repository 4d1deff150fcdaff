// `pattern-db tenant add|list` against a real server.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDatabases, listNamespaces, rootClient } from '../../src/surreal/server-catalog.js';
import { PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { client, PATTERN_SCHEMA_SQL } from '../helpers/pattern-server.js';
import { startTestServer, tempDir, type TestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

let server: TestServer;
let work: string;
beforeAll(async () => {
  server = await startTestServer();
  cleanups.push(server.stop);
  work = await tempDir();
  cleanups.push(() => fs.rm(work, { recursive: true, force: true }));
});

const run = (...args: string[]) => runPatternDb([...args, '--target', server.url], { cwd: work, env: { SURREAL_USER: server.username, SURREAL_PASS: server.password } });

describe('pattern-db tenant', () => {
  it('adds a namespace tenant and a database tenant, prints their [database] settings, lists them with sizes, and refuses a second add', async () => {
    const a = await run('tenant', 'add', 'tenant_a', '--json');
    expect(a.exitCode, a.stdout + a.stderr).toBe(0);
    const b = await run('tenant', 'add', 'tenant_b', '--isolation', 'database', '--json');
    expect(b.exitCode, b.stdout + b.stderr).toBe(0);

    // What the server now has, read independently.
    const root = rootClient(server);
    expect(await listNamespaces(root)).toContain('tenant_a');
    expect(await listDatabases(root, 'tenant_a')).toEqual(['pattern']);
    expect(await listDatabases(root, 'pattern')).toContain('tenant_b');

    // The printed [database] blocks are what Pattern reads, with the ws:// URL and no password.
    const wsUrl = server.url.replace('http://', 'ws://');
    expect(parse(a.result?.tenant.databaseBlock).database).toEqual({ type: 'remote', url: wsUrl, namespace: 'tenant_a', database: 'pattern' });
    expect(parse(b.result?.tenant.databaseBlock).database).toEqual({ type: 'remote', url: wsUrl, namespace: 'pattern', database: 'tenant_b' });
    expect(a.stdout + b.stdout).not.toContain(server.password);
    expect(a.result?.isolationNote).toMatch(/root level only/);

    // Pattern's schema and some records in tenant_a show up in the list.
    const tenantA = client(server, 'tenant_a', 'pattern');
    await tenantA.sql(PATTERN_SCHEMA_SQL);
    await tenantA.sql("FOR $i IN 0..25 { CREATE msg SET role = 'user', content = { text: 'hi' }, metadata = {}, options = {}, has_tool_calls = false, word_count = 1, created_at = time::now(); };");
    const list = await run('tenant', 'list', '--json');
    expect(list.exitCode, list.stdout + list.stderr).toBe(0);
    const databases = list.result?.databases as Array<{ namespace: string; database: string; tables: number; records: number }>;
    expect(databases.find((d) => d.namespace === 'tenant_a')).toMatchObject({ database: 'pattern', records: 25 });
    expect(databases.find((d) => d.namespace === 'tenant_a')!.tables).toBeGreaterThan(10);
    expect(databases.find((d) => d.database === 'tenant_b')).toEqual({ namespace: 'pattern', database: 'tenant_b', tables: 0, records: 0 });

    // The plain list says plainly what isolation Pattern gets.
    const plain = await run('tenant', 'list');
    expect(plain.stdout).toMatch(/tenant_a\/pattern\s+\d+\s+25/);
    expect(plain.stdout).toContain('Namespace or database users cannot be used by Pattern itself');

    for (const [name, isolation] of [['tenant_a', 'namespace'], ['tenant_b', 'database']]) {
      const again = await run('tenant', 'add', name!, '--isolation', isolation!, '--json');
      expect(again.exitCode).toBe(1);
      expect(again.result?.error.code).toBe('E_ALREADY_EXISTS');
    }
    const [count] = (await tenantA.sql('RETURN count(SELECT VALUE id FROM msg);')) as number[];
    expect(count).toBe(25);
  }, 90_000);

  it("writes the tenant's [database] into another instance's config with the surgical rewrite", async () => {
    const instance = path.join(work, 'instance-c');
    await fs.mkdir(instance);
    const configPath = path.join(instance, 'pattern.toml');
    await fs.writeFile(configPath, PATTERN_TOML);

    const added = await run('tenant', 'add', 'tenant_c', '--write-config', configPath, '--yes', '--json');
    expect(added.exitCode, added.stdout + added.stderr).toBe(0);
    const written = await fs.readFile(configPath, 'utf8');
    expect(parse(written).database).toMatchObject({ type: 'remote', url: server.url.replace('http://', 'ws://'), namespace: 'tenant_c', database: 'pattern' });
    expect(written).not.toContain(server.password);
    // Everything outside [database] is byte for byte what it was; the original is kept.
    expect(written.split('[database]')[0]).toBe(PATTERN_TOML.split('[database]')[0]);
    expect(written.split('[[groups]]')[1]).toBe(PATTERN_TOML.split('[[groups]]')[1]);
    expect(await fs.readFile(added.result?.config.backupPath, 'utf8')).toBe(PATTERN_TOML);

    // Without --yes and without a terminal, the config is not touched (and the tenant is not added either).
    const other = path.join(work, 'instance-d.toml');
    await fs.writeFile(other, PATTERN_TOML);
    const unanswered = await run('tenant', 'add', 'tenant_d', '--write-config', other, '--json');
    expect(unanswered.exitCode).toBe(4);
    expect(await fs.readFile(other, 'utf8')).toBe(PATTERN_TOML);
    expect(await listNamespaces(rootClient(server))).not.toContain('tenant_d');
  }, 60_000);

  it('adds a database tenant in a --namespace holding \\, ⟩ and a backtick under that very name, lists it, and refuses it twice', async () => {
    const namespace = 'team\\b⟩`x';
    const added = await run('tenant', 'add', 'tenant_odd', '--isolation', 'database', '--namespace', namespace, '--json');
    expect(added.exitCode, added.stdout + added.stderr).toBe(0);
    expect(parse(added.result?.tenant.databaseBlock).database).toMatchObject({ namespace, database: 'tenant_odd' });
    // Read back without pattern-db's own quoting: the namespace is named exactly so (not "team", a backspace, …).
    const [root] = (await rootClient(server).sql('INFO FOR ROOT;')) as Array<{ namespaces: Record<string, string> }>;
    expect(Object.keys(root!.namespaces)).toContain(namespace);
    expect(Object.keys(root!.namespaces).filter((ns) => ns.includes('\b'))).toEqual([]);

    const list = await run('tenant', 'list', '--json');
    expect(list.exitCode, list.stdout + list.stderr).toBe(0);
    expect(list.result?.databases).toContainEqual({ namespace, database: 'tenant_odd', tables: 0, records: 0 });
    const again = await run('tenant', 'add', 'tenant_odd', '--isolation', 'database', '--namespace', namespace, '--json');
    expect(again.result?.error.code).toBe('E_ALREADY_EXISTS');
  });
});
