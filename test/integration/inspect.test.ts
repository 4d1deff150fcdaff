// `pattern-db inspect` against the real thing: a generated Pattern-shaped store (read through a snapshot) and a real
// SurrealDB 3 server (the surreal under test) holding Pattern's schema and a 100,000-record table.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGE, PAGE_SIZE, type InspectSource, type InspectValue, type Scope } from '../../src/core/inspect-types.js';
import { field } from '../../src/core/inspect-value.js';
import { EmbeddedStore } from '../../src/surreal/embedded.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { openEmbeddedSource } from '../../src/surreal/inspect-embedded.js';
import { openServerSource } from '../../src/surreal/inspect-server.js';
import { folderDigest, patternFolder, type PatternFolder } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { PATTERN_SCHEMA_SQL } from '../helpers/pattern-server.js';
import { startTestServer, surrealVersion, tempDir, type TestServer } from '../helpers/surreal.js';

const BIG = 100_000;
const sel = { namespace: 'pattern', database: 'pattern' };
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const idOf = (record: InspectValue | undefined) => {
  const id = field(record, 'id');
  return id && 'text' in id ? id.text : '';
};

/** Every statement sent, so a test can prove what was (not) read. */
function recorder() {
  const sent: Array<{ sql: string; scope: Scope }> = [];
  return { sent, onRequest: (sql: string, scope: Scope) => void sent.push({ sql, scope }) };
}

describe('inspect: a real server', () => {
  let server: TestServer;
  let http: SurrealHttp;
  let source: InspectSource;
  const requests = recorder();

  beforeAll(async () => {
    server = await startTestServer();
    cleanups.push(() => server.stop());
    http = new SurrealHttp({ url: server.url, username: server.username, password: server.password, namespace: 'pattern', database: 'pattern' });
    await http.ensureDatabase();
    await http.sql(PATTERN_SCHEMA_SQL);
    await http.sql(
      [
        'DEFINE USER reader ON DATABASE PASSWORD "reader-secret" ROLES VIEWER',
        `CREATE |big:0..${BIG}| SET n = 7, label = 'row' RETURN NONE`,
        // Pattern's own tables type their fields strictly; these stand beside them.
        'CREATE person:ann SET name = "Ann", born = d"1990-01-01T00:00:00Z"',
        'CREATE person:bob SET name = "Bob", born = d"1991-02-03T00:00:00Z"',
        'CREATE person:cy SET name = "Cy", born = NONE',
        'RELATE person:ann->knows->person:bob SET since = 2020',
        'RELATE person:ann->knows->person:cy SET since = 2021',
        'CREATE `group`:g1 SET name = "Pattern Cluster"',
      ].join(';\n') + ';',
    );
    source = await openServerSource({ url: server.url, username: server.username, password: server.password, selection: sel, writable: false, onRequest: requests.onRequest });
  });

  it('shows the tree with counts, counted without reading the tables', async () => {
    requests.sent.length = 0;
    const tree = await source.tree();
    const db = tree.namespaces.find((n) => n.name === 'pattern')?.databases.find((d) => d.name === 'pattern');
    const counts = Object.fromEntries(db!.tables.map((t) => [t.name, t.count]));
    expect(counts).toMatchObject({ big: BIG, person: 3, knows: 2, group: 1, msg: 0, mem: 0, agent: 0 });
    expect(requests.sent.some((r) => /SELECT \* FROM/i.test(r.sql))).toBe(false);
    expect(requests.sent.some((r) => r.sql.includes('SELECT count() FROM `group` GROUP ALL'))).toBe(true);
  });

  it("shows a table's indexes with their kind, and the database's analyzers and users without password hashes", async () => {
    const msg = await source.tableDefinition(sel, 'msg');
    expect(msg.indexes.map((i) => [i.name, i.kind])).toEqual([
      ['msg_content_search', 'full-text'],
      ['msg_vector_idx', 'hnsw'],
    ]);
    expect(msg.fields.map((f) => f.name)).toContain('content');
    const mem = await source.tableDefinition(sel, 'mem');
    expect(mem.indexes.filter((i) => i.kind === 'full-text').map((i) => i.name)).toEqual(['mem_desc_search', 'mem_label_search', 'mem_value_search']);
    const defs = await source.databaseDefinitions(sel);
    expect(defs.analyzers!.map((a) => a.name)).toEqual(['mem_value_analyzer', 'msg_content_analyzer']);
    expect(defs.users!.map((u) => u.text).join('\n')).toMatch(/DEFINE USER reader ON DATABASE PASSHASH '<hidden>' (?:PASSSCRAM '<hidden>' )?ROLES VIEWER/);
    expect(JSON.stringify(defs)).not.toContain('$argon2');
  });

  // How fast a page comes is measured by `npm run bench:inspect`; here: the right rows, and never more than a page.
  it('pages a 100,000-record table: first, middle and last page, each read with LIMIT and START, never more than a page', async () => {
    requests.sent.length = 0;
    const first = await source.records(sel, 'big', 0, PAGE_SIZE);
    const middle = await source.records(sel, 'big', 50_000, PAGE_SIZE);
    const last = await source.records(sel, 'big', BIG - PAGE_SIZE, PAGE_SIZE);
    expect(first.map(idOf).slice(0, 2)).toEqual(['big:0', 'big:1']);
    expect(middle.map(idOf)[0]).toBe('big:50000');
    expect(last.map(idOf).at(-1)).toBe(`big:${BIG - 1}`);
    for (const page of [first, middle, last]) expect(page).toHaveLength(PAGE_SIZE);
    const limits = requests.sent.map((r) => Number(/LIMIT (\d+)/.exec(r.sql)?.[1]));
    expect(limits).toEqual([PAGE_SIZE, PAGE_SIZE, PAGE_SIZE]);
    // Asking for more than a page still reads at most MAX_PAGE.
    expect(await source.records(sel, 'big', 0, 10 * BIG)).toHaveLength(MAX_PAGE);
  });

  it('shows a record with its typed values and its edges in and out', async () => {
    const ann = await source.record(sel, 'person:ann');
    expect(ann.outgoing.map((e) => [e.table, e.other]).sort()).toEqual([
      ['knows', 'person:bob'],
      ['knows', 'person:cy'],
    ]);
    expect(ann.incoming).toEqual([]);
    expect(field(ann.record!, 'born')).toEqual({ type: 'datetime', text: expect.stringMatching(/^1990-01-01T00:00:00(\.0+)?Z$/) });
    expect(field(ann.record!, 'id')).toEqual({ type: 'record', text: 'person:ann' });
    const bob = await source.record(sel, 'person:bob');
    expect(bob.incoming.map((e) => e.other)).toEqual(['person:ann']);
    expect(field(bob.incoming[0]!.value, 'since')).toEqual({ type: 'number', text: '2020' });
    const group = await source.records(sel, 'group', 0, PAGE_SIZE);
    expect(group.map(idOf)).toEqual(['group:g1']);
  });

  it('refuses a write without --write, and nothing changes', async () => {
    const outcome = await source.query(sel, 'SELECT count() FROM big GROUP ALL; DELETE big WHERE n = 7');
    expect(outcome).toMatchObject({ kind: 'refused', keyword: 'DELETE', error: { code: 'E_READ_ONLY', fix: expect.stringContaining('--write') } });
    expect(await source.count(sel, 'big')).toBe(BIG);
  });

  it("shows a bad query's error in the server's own words, and each statement's own result and time", async () => {
    const bad = await source.query(sel, 'SELEC * FROM msg');
    expect(bad.kind).toBe('failed');
    expect(bad.kind === 'failed' && bad.error.message).toMatch(/^Parse error: .*\n[\s\S]*SELEC \* FROM msg/);
    const mixed = await source.query(sel, 'SELECT * FROM nope; SELECT name FROM person WHERE born != NONE ORDER BY name');
    expect(mixed.kind).toBe('done');
    if (mixed.kind !== 'done') return;
    expect(mixed.statements[0]).toMatchObject({ status: 'ERR', error: "The table 'nope' does not exist", text: 'SELECT * FROM nope' });
    expect(mixed.statements[1]).toMatchObject({ status: 'OK', time: expect.any(String) });
    expect(mixed.statements[1]!.result).toEqual({
      type: 'array',
      items: [
        { type: 'object', fields: [['name', { type: 'string', text: 'Ann' }]] },
        { type: 'object', fields: [['name', { type: 'string', text: 'Bob' }]] },
      ],
    });
  });

  it('with --write, a write asks first and runs once confirmed', async () => {
    const writable = await openServerSource({ url: server.url, username: server.username, password: server.password, selection: sel, writable: true });
    expect(await writable.query(sel, 'CREATE note:1 SET a = 1')).toEqual({ kind: 'confirm', statement: 'CREATE note:1 SET a = 1', keyword: 'CREATE', reachesLive: true });
    await expect(writable.count(sel, 'note')).rejects.toThrow(/The table 'note' does not exist/);
    const done = await writable.query(sel, 'CREATE note:1 SET a = 1', { confirmed: true });
    expect(done.kind === 'done' && done.statements[0]!.status).toBe('OK');
    expect(await writable.count(sel, 'note')).toBe(1);
  });

  it('gives the server facts: version, health, latency', async () => {
    const facts = await source.status();
    expect(facts).toMatchObject({ kind: 'server', version: await surrealVersion(), healthy: true, user: server.username });
    expect(facts.latencyMs).toBeGreaterThan(0);
  });

  it('pattern-db inspect --json prints the tree with counts and definitions; wrong or missing passwords are named', async () => {
    const cwd = await tempDir();
    cleanups.push(() => fs.rm(cwd, { recursive: true, force: true }));
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, XDG_STATE_HOME: cwd };
    const run = await runPatternDb(['inspect', server.url, '--json'], { cwd, env, timeoutMs: 120_000 });
    expect(run.exitCode, run.stderr).toBe(0);
    const db = run.result!.namespaces.find((n: { name: string }) => n.name === 'pattern').databases[0];
    expect(db.tables.find((t: { name: string }) => t.name === 'big').count).toBe(BIG);
    const msg = db.tables.find((t: { name: string }) => t.name === 'msg');
    expect(msg.definition.indexes.map((i: { kind: string }) => i.kind)).toEqual(['full-text', 'hnsw']);
    expect(run.result!.facts).toMatchObject({ version: await surrealVersion(), healthy: true });
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).not.toContain(server.password);

    const wrong = await runPatternDb(['inspect', server.url, '--json'], { cwd, env: { ...env, SURREAL_PASS: 'not-the-password' } });
    expect(wrong.exitCode).toBe(1);
    expect(wrong.result).toMatchObject({ ok: false, error: { code: 'E_AUTH' } });
    const none = await runPatternDb(['inspect', server.url], { cwd, env: { ...env, SURREAL_PASS: '' } });
    expect(none.exitCode).toBe(4);
    expect(none.stderr).toContain('SURREAL_PASS');
  });
});

describe('inspect: a generated Pattern store', () => {
  let folder: PatternFolder;
  let stateDir: string;
  let source: InspectSource;
  let digest: string;

  beforeAll(async () => {
    folder = await patternFolder(300);
    cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
    stateDir = path.join(folder.dir, '.pattern-db');
    digest = await folderDigest(folder.storePath);
    source = await openEmbeddedSource({ storePath: folder.storePath, stateDir, selection: sel, writable: true });
    cleanups.push(() => source.close());
  });

  it('reads a snapshot copy, with the same counts as the generator wrote', async () => {
    expect(source.description.snapshot).toMatch(new RegExp(`^${stateDir}/snapshots/`));
    const tree = await source.tree();
    const db = tree.namespaces.find((n) => n.name === 'pattern')!.databases.find((d) => d.name === 'pattern')!;
    expect(Object.fromEntries(db.tables.map((t) => [t.name, t.count]))).toEqual(folder.counts);
  });

  it("shows Pattern's full-text and HNSW indexes", async () => {
    const msg = await source.tableDefinition(sel, 'msg');
    expect(msg.indexes.map((i) => `${i.name}:${i.kind}`)).toEqual(['msg_content_search:full-text', 'msg_vector_idx:hnsw']);
    const defs = await source.databaseDefinitions(sel);
    expect(defs.analyzers!.map((a) => a.name)).toEqual(['mem_value_analyzer', 'msg_content_analyzer']);
  });

  it('pages records and shows an agent with its edges', async () => {
    const first = await source.records(sel, 'msg', 0, PAGE_SIZE);
    const second = await source.records(sel, 'msg', PAGE_SIZE, PAGE_SIZE);
    expect(first).toHaveLength(PAGE_SIZE);
    expect(new Set([...first, ...second].map(idOf)).size).toBe(2 * PAGE_SIZE);
    const [agent] = await source.records(sel, 'agent', 0, 1);
    const detail = await source.record(sel, idOf(agent));
    expect(detail.outgoing.length).toBeGreaterThan(0);
    expect(detail.outgoing.every((e) => e.value.type === 'object')).toBe(true);
    expect(new Set(detail.outgoing.map((e) => e.table))).toContain('agent_messages');
  });

  it('a confirmed write changes the snapshot only: the store Pattern uses stays byte for byte the same', async () => {
    expect(await source.query(sel, 'DELETE msg')).toMatchObject({ kind: 'confirm', reachesLive: false });
    const done = await source.query(sel, 'DELETE msg', { confirmed: true });
    expect(done.kind).toBe('done');
    expect(await source.count(sel, 'msg')).toBe(0);
    expect(await folderDigest(folder.storePath)).toBe(digest);
  });

  it('a bad query shows the engine\'s parse error', async () => {
    const bad = await source.query(sel, 'SELEC x');
    expect(bad.kind === 'failed' && bad.error.message).toMatch(/^Parse error/);
  });

  it('pattern-db inspect --json (no TARGET: the config\'s store) prints counts and definitions, and removes its snapshot', async () => {
    const env = { XDG_STATE_HOME: folder.dir, SURREAL_PASS: undefined };
    const run = await runPatternDb(['inspect', '--json'], { cwd: folder.dir, env, timeoutMs: 120_000 });
    expect(run.exitCode, run.stderr).toBe(0);
    const db = run.result!.namespaces.find((n: { name: string }) => n.name === 'pattern').databases[0];
    expect(Object.fromEntries(db.tables.map((t: { name: string; count: number }) => [t.name, t.count]))).toEqual(folder.counts);
    expect(db.definitions.analyzers).toHaveLength(2);
    expect(run.result!.source).toMatchObject({ kind: 'embedded', location: folder.storePath, writable: false });
    // Only this test's own open source still has a snapshot.
    expect(await fs.readdir(path.join(stateDir, 'snapshots'))).toEqual([path.basename(source.description.snapshot!)]);

    const text = await runPatternDb(['inspect', 'surrealkv://pattern.db'], { cwd: folder.dir, env });
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/msg\s+300\s+indexes: msg_content_search \(full-text\), msg_vector_idx \(vector \(HNSW\)\)/);
    expect(await folderDigest(folder.storePath)).toBe(digest);
  });

  it('the embedded engine (no authentication) offers no read-only session: its console refuses rather than trust a scan', async () => {
    const engine = await openEmbeddedSource({ storePath: folder.storePath, stateDir, selection: sel, writable: false });
    try {
      expect(await engine.query(sel, 'SELECT count() FROM msg GROUP ALL')).toMatchObject({ kind: 'refused', error: { code: 'E_READ_ONLY', message: expect.stringContaining('needs a surreal 3') } });
    } finally {
      await engine.close();
    }
  });

  it('--query on a 3.0 store runs through a surreal 3 on a snapshot, as a user that can only read; the store unchanged', async () => {
    const env = { XDG_STATE_HOME: folder.dir, SURREAL_PASS: undefined };
    const refused = await runPatternDb(['inspect', 'surrealkv://pattern.db', '--query', 'SLEEP 1ms', '--json'], { cwd: folder.dir, env });
    expect(refused.result).toMatchObject({ ok: false, exitCode: 1, error: { code: 'E_READ_ONLY', message: expect.stringContaining('Not enough permissions') } });
    const counted = await runPatternDb(['inspect', 'surrealkv://pattern.db', '--query', 'SELECT count() FROM msg GROUP ALL', '--json'], { cwd: folder.dir, env });
    expect(counted.result, counted.stderr).toMatchObject({ ok: true, statements: [{ status: 'OK', result: [{ count: 300 }] }] });
    expect(await folderDigest(folder.storePath)).toBe(digest);
  });

  it('refuses a folder that does not exist, and a store in use, before copying anything', async () => {
    const missing = await runPatternDb(['inspect', 'surrealkv://no-such.db', '--json'], { cwd: folder.dir });
    expect(missing.result).toMatchObject({ ok: false, exitCode: 1, error: { code: 'E_STORE_MISSING' } });
    await expect(fs.stat(path.join(folder.dir, 'no-such.db'))).rejects.toThrow();
    const holder = await EmbeddedStore.open(folder.storePath, sel);
    try {
      await expect(openEmbeddedSource({ storePath: folder.storePath, stateDir, writable: false })).rejects.toMatchObject({ code: 'E_STORE_LOCKED' });
    } finally {
      holder.close();
    }
  });
});
