// `pattern-db inspect` of SurrealDB 2: a real 2.6.5 server holding Pattern's own (2.x) schema, and a store written by
// SurrealDB 2 as every Pattern installation has, read through a private 2.x surreal on a snapshot.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_SIZE, type InspectSource, type InspectValue } from '../../src/core/inspect-types.js';
import { field } from '../../src/core/inspect-value.js';
import { openEmbeddedSource } from '../../src/surreal/inspect-embedded.js';
import { openServerSource } from '../../src/surreal/inspect-server.js';
import { servePrivately } from '../../src/surreal/private-server.js';
import { folderDigest, patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { client, seedPatternDatabase } from '../helpers/pattern-server.js';
import { processesMentioning, programsMentioning } from '../helpers/processes.js';
import { startTestServer, surrealBin, surrealVersion, tempDir, type TestServer } from '../helpers/surreal.js';

const sel = { namespace: 'pattern', database: 'pattern' };
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const idOf = (record: InspectValue | undefined) => {
  const id = field(record, 'id');
  return id && 'text' in id ? id.text : '';
};

const countsOf = (result: Record<string, any> | undefined) => {
  const db = result!.namespaces.find((n: { name: string }) => n.name === 'pattern').databases.find((d: { name: string }) => d.name === 'pattern');
  return Object.fromEntries(db.tables.map((t: { name: string; count: number }) => [t.name, t.count]));
};

describe('inspect: a SurrealDB 2 server', () => {
  let server: TestServer;
  let source: InspectSource;
  let counts: Record<string, number>;

  beforeAll(async () => {
    server = await startTestServer({ major: 2 });
    cleanups.push(() => server.stop());
    counts = await seedPatternDatabase(server, 'pattern', 'pattern', 60);
    await client(server, 'pattern', 'pattern').sql(
      [
        'CREATE person:ann SET name = "Ann", born = d"1990-01-01T00:00:00Z", balance = 10.25dec',
        'CREATE person:bob SET name = "Bob"',
        'RELATE person:ann->knows->person:bob SET since = 2020',
      ].join(';\n') + ';',
    );
    counts = { ...counts, person: 2, knows: 1 };
    source = await openServerSource({ url: server.url, username: server.username, password: server.password, selection: sel, writable: false });
    cleanups.push(() => source.close());
  });

  it("shows the tree with counts, and Pattern's SEARCH and HNSW indexes as full-text and vector", async () => {
    const tree = await source.tree();
    const db = tree.namespaces.find((n) => n.name === 'pattern')!.databases.find((d) => d.name === 'pattern')!;
    expect(Object.fromEntries(db.tables.map((t) => [t.name, t.count]))).toEqual(counts);
    const msg = await source.tableDefinition(sel, 'msg');
    expect(msg.indexes.map((i) => [i.name, i.kind])).toEqual([
      ['msg_content_search', 'full-text'],
      ['msg_vector_idx', 'hnsw'],
    ]);
    expect(msg.indexes[0]!.text).toContain('SEARCH ANALYZER msg_content_analyzer');
    const defs = await source.databaseDefinitions(sel);
    expect(defs.analyzers!.map((a) => a.name)).toEqual(['mem_value_analyzer', 'msg_content_analyzer']);
  });

  it('shows records with their types kept (2.x /sql would turn them into strings) and their edges', async () => {
    const ann = await source.record(sel, 'person:ann');
    expect(field(ann.record!, 'id')).toEqual({ type: 'record', text: 'person:ann' });
    expect(field(ann.record!, 'born')).toEqual({ type: 'datetime', text: expect.stringMatching(/^1990-01-01T00:00:00(\.0+)?Z$/) });
    expect(field(ann.record!, 'balance')).toEqual({ type: 'decimal', text: '10.25' });
    expect(ann.outgoing.map((e) => [e.table, e.other])).toEqual([['knows', 'person:bob']]);
    const page = await source.records(sel, 'msg', 0, PAGE_SIZE);
    expect(page).toHaveLength(PAGE_SIZE);
    expect(field(page[0], 'owner_id')).toEqual({ type: 'record', text: 'user:owner' });
  });

  it('refuses a write (E_READ_ONLY) and nothing changes; a bad query shows the parse error without 2.x\'s generic prefix', async () => {
    const refused = await source.query(sel, 'SELECT count() FROM msg GROUP ALL; DELETE msg');
    expect(refused).toMatchObject({ kind: 'refused', keyword: 'DELETE', error: { code: 'E_READ_ONLY', fix: expect.stringContaining('--write') } });
    expect(await source.count(sel, 'msg')).toBe(60);
    const bad = await source.query(sel, 'SELEC * FROM msg');
    expect(bad.kind === 'failed' && bad.error.message).toMatch(/^Parse error: .*\n[\s\S]*SELEC \* FROM msg/);
    const done = await source.query(sel, 'SELECT name FROM person ORDER BY name');
    expect(done.kind === 'done' && done.statements[0]).toMatchObject({ status: 'OK', result: { type: 'array', items: [expect.anything(), expect.anything()] } });
  });

  it('pattern-db inspect URL --json and plain: counts, definitions and the server version', async () => {
    const cwd = await tempDir();
    cleanups.push(() => fs.rm(cwd, { recursive: true, force: true }));
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, XDG_STATE_HOME: cwd };
    const version = await surrealVersion(2);
    const run = await runPatternDb(['inspect', server.url, '--json'], { cwd, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(countsOf(run.result)).toEqual(counts);
    expect(run.result!.facts).toMatchObject({ kind: 'server', version, healthy: true });
    expect(run.stdout).not.toContain(server.password);
    const plain = await runPatternDb(['inspect', server.url], { cwd, env });
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(plain.stdout).toContain(`(SurrealDB ${version}, healthy`);
    expect(plain.stdout).toMatch(/msg\s+60\s+indexes: msg_content_search \(full-text\), msg_vector_idx \(vector \(HNSW\)\)/);
  });
});

describe('inspect: a store written by SurrealDB 2', () => {
  let folder: PatternFolder;
  let stateDir: string;
  let digest: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    folder = await patternFolder(300, 1, PATTERN_TOML, 2);
    cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
    stateDir = path.join(folder.dir, '.pattern-db');
    digest = await folderDigest(folder.storePath);
    env = { SURREAL2_BIN: await surrealBin(2), XDG_STATE_HOME: folder.dir };
  });

  it('pattern-db inspect surrealkv://DIR --json and plain: read through a surreal 2.x on a snapshot; the store unchanged, the snapshot and the server gone', async () => {
    const run = await runPatternDb(['inspect', 'surrealkv://pattern.db', '--json'], { cwd: folder.dir, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(countsOf(run.result)).toEqual(folder.counts);
    expect(run.result!.source).toMatchObject({ kind: 'embedded', location: folder.storePath, writable: false });
    expect(run.result!.facts.version).toBe(`surreal ${await surrealVersion(2)} (a private server on the snapshot)`);
    const db = run.result!.namespaces.find((n: { name: string }) => n.name === 'pattern').databases[0];
    expect(db.tables.find((t: { name: string }) => t.name === 'msg').definition.indexes.map((i: { kind: string }) => i.kind)).toEqual(['full-text', 'hnsw']);

    const plain = await runPatternDb(['inspect', 'surrealkv://pattern.db'], { cwd: folder.dir, env });
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^Embedded store .*pattern\.db \(read from a snapshot copy; surreal 2\.\d+\.\d+ \(a private server on the snapshot\)\)/);
    expect(plain.stdout).toMatch(/msg\s+300\s+indexes: msg_content_search \(full-text\), msg_vector_idx \(vector \(HNSW\)\)/);

    expect(await folderDigest(folder.storePath)).toBe(digest);
    expect(await fs.readdir(path.join(stateDir, 'snapshots')).catch(() => [])).toEqual([]);
    expect(await processesMentioning(stateDir)).toEqual([]);
  });

  it('the read-only rule holds on a 2.x source; with --write a confirmed write reaches the snapshot only', async () => {
    const readOnly = await openEmbeddedSource({ storePath: folder.storePath, stateDir, selection: sel, writable: false });
    try {
      expect(await readOnly.query(sel, 'DELETE msg')).toMatchObject({ kind: 'refused', keyword: 'DELETE', error: { code: 'E_READ_ONLY' } });
      expect(await readOnly.count(sel, 'msg')).toBe(300);
      const [first] = await readOnly.records(sel, 'msg', 0, 1);
      expect(field(first, 'id')).toMatchObject({ type: 'record' });
      expect(field(first, 'created_at')).toMatchObject({ type: 'datetime' });
    } finally {
      await readOnly.close();
    }

    const writable = await openEmbeddedSource({ storePath: folder.storePath, stateDir, selection: sel, writable: true });
    const snapshot = writable.description.snapshot!;
    try {
      // The private server on the snapshot, seen while it runs (so "gone" below means something).
      expect((await processesMentioning(snapshot)).length).toBeGreaterThan(0);
      const [agent] = await writable.records(sel, 'agent', 0, 1);
      expect((await writable.record(sel, idOf(agent))).outgoing.length).toBeGreaterThan(0);
      expect(await writable.query(sel, 'DELETE msg')).toMatchObject({ kind: 'confirm', reachesLive: false });
      expect((await writable.query(sel, 'DELETE msg', { confirmed: true })).kind).toBe('done');
      expect(await writable.count(sel, 'msg')).toBe(0);
    } finally {
      await writable.close();
    }
    expect(await folderDigest(folder.storePath)).toBe(digest);
    await expect(fs.stat(snapshot)).rejects.toThrow();
    expect(await processesMentioning(snapshot)).toEqual([]);
  });

  it('its private server killed under the console (as the out-of-memory killer does): the query says so, and closing leaves nothing', async () => {
    const source = await openEmbeddedSource({ storePath: folder.storePath, stateDir, selection: sel, writable: false });
    const snapshot = source.description.snapshot!;
    try {
      const servers = await programsMentioning(env.SURREAL2_BIN!, snapshot);
      expect(servers).toHaveLength(1);
      process.kill(servers[0]!, 'SIGKILL');
      const outcome = await source.query(sel, 'SELECT count() FROM msg GROUP ALL');
      expect(outcome).toMatchObject({ kind: 'failed', error: { code: 'E_SURREAL_KILLED' } });
      expect(JSON.stringify(outcome)).toMatch(/the private server on .+ was killed \(SIGKILL\) while pattern-db used it, not by pattern-db: most likely the system ran out of memory/);
    } finally {
      await source.close();
    }
    await expect(fs.stat(snapshot)).rejects.toThrow();
    expect(await processesMentioning(snapshot)).toEqual([]);
    expect(await folderDigest(folder.storePath)).toBe(digest);
  });

  it('--query runs as a user that can only read on the snapshot: SLEEP is refused in the server\'s words, a SELECT answers', async () => {
    const refused = await runPatternDb(['inspect', 'surrealkv://pattern.db', '--query', 'SLEEP 1ms', '--json'], { cwd: folder.dir, env });
    expect(refused.result).toMatchObject({ ok: false, exitCode: 1, error: { code: 'E_READ_ONLY', message: expect.stringContaining('Not enough permissions') } });
    const counted = await runPatternDb(['inspect', 'surrealkv://pattern.db', '--query', 'SELECT count() FROM msg GROUP ALL', '--json'], { cwd: folder.dir, env });
    expect(counted.result, counted.stderr).toMatchObject({ ok: true, statements: [{ status: 'OK', result: [{ count: 300 }] }] });
    expect(await folderDigest(folder.storePath)).toBe(digest);
  });

  it("--query reads the whole store, index data included (a migration's snapshot leaves it out): a full-text search answers", async () => {
    const found = await runPatternDb(['inspect', 'surrealkv://pattern.db', '--query', "SELECT count() FROM msg WHERE content @@ 'the' GROUP ALL", '--json'], { cwd: folder.dir, env });
    expect(found.result, found.stderr).toMatchObject({ ok: true, statements: [{ status: 'OK', result: [{ count: expect.any(Number) }] }] });
    const [statement] = (found.result as { statements: Array<{ result: Array<{ count: number }> }> }).statements;
    expect(statement!.result[0]!.count).toBeGreaterThan(10);
  });

  it('a store with root users of its own is served with sign-in for the read-only console (without it, record writes are checked against no role)', async () => {
    const copy = await patternFolder(300, 1, PATTERN_TOML, 2);
    cleanups.push(() => fs.rm(copy.dir, { recursive: true, force: true }));
    // A first private server writes its throwaway root user into the store: the store now has root users.
    await (await servePrivately({ bin: await surrealBin(2), folder: copy.storePath })).close();
    const source = await openEmbeddedSource({ storePath: copy.storePath, stateDir: path.join(copy.dir, '.pattern-db'), selection: sel, writable: false, readOnlyConsole: true });
    try {
      const servers = await processesMentioning(source.description.snapshot!);
      expect(servers.length).toBeGreaterThan(0);
      for (const pid of servers) expect((await fs.readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')).not.toContain('--unauthenticated');
      expect(await source.query(sel, 'SELECT count() FROM msg GROUP ALL')).toMatchObject({ kind: 'done', statements: [{ status: 'OK' }] });
      expect(await source.query(sel, 'SLEEP 1ms')).toMatchObject({ kind: 'refused', error: { code: 'E_READ_ONLY' } });
    } finally {
      await source.close();
    }
  });

  it('refuses a 2.x store a running SurrealDB 2 holds open (2.x takes no lock: its open files tell), before copying anything', async () => {
    const held = await patternFolder(300, 1, PATTERN_TOML, 2);
    cleanups.push(() => fs.rm(held.dir, { recursive: true, force: true }));
    const holder = await startTestServer({ major: 2, storage: `surrealkv://${held.storePath}` });
    try {
      const run = await runPatternDb(['inspect', 'surrealkv://pattern.db', '--json'], { cwd: held.dir, env });
      expect(run.result).toMatchObject({ ok: false, exitCode: 1, error: { code: 'E_STORE_LOCKED' } });
      expect(run.result!.error.message).toContain(`process ${holder.state.pid}`);
      expect(await fs.readdir(path.join(held.dir, '.pattern-db', 'snapshots')).catch(() => [])).toEqual([]);
    } finally {
      await holder.stop();
    }
  });
});
