// The verify step end to end against real stores and servers: a SurrealDB 2.x store (served by a private 2.6.5 on a
// snapshot) upgraded into 3.3.5 is compared by value and modulo the 2→3 rules; a 3.x store moved into 3.3.5 is
// compared by hash, and its database user, whose hash 3.3.5 hides, is neither a false mismatch nor a false "identical".
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { reporterFor, type PatternDbEvent } from '../../src/core/events.js';
import { DEFAULTS, type RunOptions } from '../../src/core/options.js';
import type { VerifyReport } from '../../src/core/verify-report.js';
import { nonInteractivePrompter } from '../../src/steps/prompter.js';
import type { PreflightResult, RunState } from '../../src/steps/run-state.js';
import { verifyTableByRanges, verifyTableWhole } from '../../src/steps/verify-records.js';
import { verifyStep } from '../../src/steps/verify.js';
import { EmbeddedStore } from '../../src/surreal/embedded.js';
import { stopManagedServer } from '../../src/surreal/server.js';
import type { SurrealHttp } from '../../src/surreal/http.js';
import { openSourceStore, type SourceStore } from '../../src/surreal/source-store.js';
import { EVERY_KIND } from '../helpers/every-kind.js';
import { client, patternSchemaSql } from '../helpers/pattern-server.js';
import { startTestServer, surrealBin, surrealVersion, tempDir, type TestServer } from '../helpers/surreal.js';
import { moveTo3 } from '../helpers/upgrade-move.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function runVerify(target: TestServer, preflight: PreflightResult, dir: string): Promise<{ report?: VerifyReport; error?: PatternDbError; events: PatternDbEvent[] }> {
  const events: PatternDbEvent[] = [];
  const options: RunOptions = {
    ...DEFAULTS,
    cwd: dir,
    exportFile: path.join(dir, 'export.surql'),
    stateDir: path.join(dir, '.pattern-db'),
    target: target.url,
    username: target.username,
    password: target.password,
    yes: true,
    dryRun: false,
    resume: false,
    writeEnv: false,
  };
  const state: RunState = { preflight };
  try {
    await verifyStep.run({ options, report: reporterFor('verify', (e) => events.push(e)), signal: new AbortController().signal, state, prompter: nonInteractivePrompter, checkpoint: async () => undefined });
    return { report: state.verify, events };
  } catch (error) {
    if (!(error instanceof PatternDbError)) throw error;
    return { error, events, ...(state.verify ? { report: state.verify } : {}) };
  }
}

const logLines = (events: PatternDbEvent[]) => events.flatMap((e) => (e.type === 'log' ? [e.line] : []));

describe('a SurrealDB 2.x store upgraded into 3.3.5', () => {
  let target: TestServer;
  let dir: string;
  let preflight: PreflightResult;

  beforeAll(async () => {
    dir = await tempDir();
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    const source = await startTestServer({ major: 2, storage: 'surrealkv://store' });
    cleanups.push(source.stop);
    target = await startTestServer({ major: 3 });
    cleanups.push(target.stop);
    const http = client(source, 'pattern', 'pattern');
    await http.ensureDatabase();
    await http.sql(`${patternSchemaSql(2)}
      DEFINE USER pattern_app ON DATABASE PASSWORD 'app-password-1' ROLES EDITOR;
      CREATE user:owner SET created_at = d'2025-07-08T14:00:00.123456789Z', updated_at = time::now(), settings = {}, metadata = { note: 'ünïcode ✓' };
      FOR $i IN 0..300 {
        CREATE msg SET role = 'user', owner_id = user:owner, content = { Text: 'message ' + <string>$i }, metadata = { seq: $i, score: $i * 0.5 },
          options = {}, has_tool_calls = false, word_count = $i, created_at = d'2025-07-08T14:00:00Z' + <duration>(<string>$i + 's'),
          position = NONE, sequence_num = $i, batch_type = 'user_request';
      };
      ${EVERY_KIND}`);
    await moveTo3(source, target, 'pattern', 'pattern');
    // The store as Pattern leaves it: closed. Then a snapshot copy, as the preflight makes one.
    await stopManagedServer(source.stateDir);
    const snapshot = path.join(dir, 'snapshot');
    await fs.cp(path.join(source.stateDir, 'store'), snapshot, { recursive: true });
    const bin = await surrealBin(2);
    preflight = { driver: 'auto', snapshot, store: { format: 'surrealkv-2', bytes: 0, files: 0 }, surreal: { path: bin, version: await surrealVersion(2), major: 2 } };
  }, 900_000);

  it('is identical by value, with its definitions identical modulo named rules and the user proven from the export', async () => {
    const { report, error, events } = await runVerify(target, preflight, dir);
    expect(error, error?.evidence).toBeUndefined();
    expect(report!.ok).toBe(true);
    expect(report!.method).toMatchObject({ records: 'value', definitions: 'upgrade rules', source: { major: 2 }, target: { version: await surrealVersion(3), major: 3 } });
    expect(report!.method.source.engine).toBe(`surreal ${await surrealVersion(2)} (a private server on the snapshot)`);
    expect(report!.tables.find((t) => t.table === 'msg')).toMatchObject({ source: 300, target: 300, missing: 0, extra: 0, changed: 0 });
    expect(report!.tables.find((t) => t.table === 'kinds')).toMatchObject({ source: 7, changed: 0 });
    expect(report!.rules.length).toBeGreaterThanOrEqual(5);
    expect(report!.secrets).toEqual([expect.objectContaining({ name: 'pattern_app', outcome: 'proven' })]);
    expect(report!.compared.join('\n')).toMatch(/canonicalised/);
    expect(logLines(events)[0]).toMatch(/^Compared by value: the source is SurrealDB 2 and the target SurrealDB 3/);
    const verified = events.find((e) => e.type === 'diagnostic' && e.code === 'I_VERIFIED');
    expect(verified).toMatchObject({ message: expect.stringMatching(/^Verified by value: .* modulo \d+ named SurrealDB 2→3 rules; 1 password hashes proven/) });
  });

  it('names a changed, a missing and an extra record, and a changed definition, and fails with E_VERIFY_MISMATCH', async () => {
    await client(target, 'pattern', 'pattern').sql(`
      UPDATE kinds:abc SET dec = 1.51dec; DELETE kinds:⟨did:plc:x⟩;
      CREATE user:extra SET created_at = time::now(), updated_at = time::now(), settings = {}, metadata = {};
      DEFINE INDEX OVERWRITE msg_content_search ON msg FIELDS content FULLTEXT ANALYZER msg_content_analyzer BM25(1.2,0.75);`);
    const { error } = await runVerify(target, preflight, dir);
    expect(error?.code).toBe('E_VERIFY_MISMATCH');
    expect(error?.message).toBe('The target differs from the source in 2 tables and 1 definitions.');
    expect(error?.evidence).toContain('kinds: 1 missing, 0 extra, 1 changed, e.g. kinds:abc, kinds:⟨did:plc:x⟩');
    expect(error?.evidence).toContain('user: 0 missing, 1 extra, 0 changed, e.g. user:extra');
    expect(error?.evidence).toContain('indexes msg.msg_content_search: changed on the target');
  });
});

describe('a SurrealDB 3 store with a database user, moved into 3.3.5', () => {
  let target: TestServer;
  let dir: string;
  let preflight: PreflightResult;

  beforeAll(async () => {
    dir = await tempDir();
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    target = await startTestServer({ major: 3 });
    cleanups.push(target.stop);
    const snapshot = path.join(dir, 'store');
    const store = await EmbeddedStore.open(snapshot, { namespace: 'pattern', database: 'pattern' });
    try {
      await store.query(`DEFINE USER pattern_app ON DATABASE PASSWORD 'app-password-1' ROLES EDITOR;
        DEFINE TABLE msg SCHEMALESS; CREATE msg:1 SET n = 1, f = 1.5f, at = d'2025-07-08T14:00:00Z';`);
      const file = path.join(dir, 'export.surql');
      await store.export(file);
      const http = client(target, 'pattern', 'pattern');
      await http.ensureDatabase();
      const { errors } = await http.importBody(await fs.readFile(file, 'utf8'));
      expect(errors).toEqual([]);
    } finally {
      store.close();
    }
    preflight = { driver: 'auto', snapshot, store: { format: 'surrealkv-3.0', bytes: 0, files: 0 } };
  }, 900_000);

  it('compares by hash and proves the user\'s hash from the export: not a false mismatch', async () => {
    const { report, error } = await runVerify(target, preflight, dir);
    expect(error, error?.evidence).toBeUndefined();
    expect(report).toMatchObject({ ok: true, definitions: [], method: { records: 'hash', definitions: 'text' } });
    expect(report!.secrets).toEqual([expect.objectContaining({ kind: 'users', name: 'pattern_app', secret: 'password hash', outcome: 'proven' })]);
  });

  it('confirms by value a record whose hash differs, and names it', async () => {
    await client(target, 'pattern', 'pattern').sql('UPDATE msg:1 SET f = 1.25f;');
    const { error, report } = await runVerify(target, preflight, dir);
    expect(error?.code).toBe('E_VERIFY_MISMATCH');
    expect(report?.tables).toEqual([expect.objectContaining({ table: 'msg', changed: 1, examples: ['msg:1'], recheckedByValue: true })]);
    await client(target, 'pattern', 'pattern').sql('UPDATE msg:1 SET f = 1.5f;');
  });

  it('finds a password changed on the target, though INFO shows both as [REDACTED]', async () => {
    await client(target, 'pattern', 'pattern').sql(`DEFINE USER OVERWRITE pattern_app ON DATABASE PASSHASH '$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$zdzFS9EA+XPvxO0YuWAtJHE2ofdPSKV9SBtQdg43tU0' ROLES EDITOR;`);
    const { error } = await runVerify(target, preflight, dir);
    expect(error?.code).toBe('E_VERIFY_MISMATCH');
    expect(error?.evidence).toContain('users pattern_app: changed on the target (the password hash differs (read from the export, since INFO hides it))');
    expect(error?.evidence).not.toMatch(/argon2/);
  });
});

const keys = `DEFINE TABLE t SCHEMALESS; CREATE t:1 SET v = 1; CREATE t:2 SET v = 2; CREATE t:abc SET v = 3; CREATE t:⟨1e5⟩ SET v = 4;
  CREATE t:⟨a b⟩ SET v = 5; CREATE t:[1, 'a'] SET v = 6; CREATE t:{ a: 1 } SET v = 7; CREATE t:u'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' SET v = 8;
  CREATE t:zz SET v = 9;`;

/** A store of `keys` written by the embedded engine (3.0.2), read by it. */
async function storeOfTheEngine(folder: string): Promise<SourceStore> {
  const source = await openSourceStore(folder, 'surrealkv-3.0', { namespace: 'keys', database: 'keys' });
  await source.query(keys);
  return source;
}

/** A store of `keys` written by surreal 3.3.5, read by a private server of it, whose statements are noted. */
async function storeOfTheServer(folder: string, statements: string[]): Promise<SourceStore> {
  const writer = await startTestServer({ storage: `surrealkv://${folder}` });
  try {
    await client(writer, 'keys', 'keys').ensureDatabase();
    await client(writer, 'keys', 'keys').sql(keys);
  } finally {
    await writer.stop();
  }
  const source = await openSourceStore(folder, 'surrealkv-3.1+', { namespace: 'keys', database: 'keys' });
  const http = (source as SourceStore & { http: SurrealHttp }).http;
  const sql = http.sql.bind(http);
  http.sql = (text, options) => (statements.push(text), sql(text, options));
  return source;
}

describe.each([
  ['the embedded engine (3.0.2), by key', 'engine'],
  ['a private surreal 3.3.5 on its own store, by the records counted (it reads an open range to its end)', 'server'],
] as const)('pages of a source read by %s, every kind of key', (_, reader) => {
  let target: TestServer;
  let source: SourceStore;
  const statements: string[] = [];

  beforeAll(async () => {
    const dir = await tempDir();
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    target = await startTestServer({ major: 3 });
    cleanups.push(target.stop);
    const folder = path.join(dir, 'store');
    source = reader === 'engine' ? await storeOfTheEngine(folder) : await storeOfTheServer(folder, statements);
    cleanups.push(() => source.close());
    await client(target, 'keys', 'keys').ensureDatabase();
    await client(target, 'keys', 'keys').sql(keys);
  }, 900_000);

  // Pages of 2 records: each page after the last key of the one before, so every kind of key starts or ends one.
  const byPages = (method: 'hash' | 'value') =>
    verifyTableByRanges('t', method, { source, target: client(target, 'keys', 'keys'), targetHasTable: true, page: 2 }, () => undefined);

  it('reads every record once, by hash and by value, by ranges and whole (the fallback, by pages of START)', async () => {
    for (const method of ['hash', 'value'] as const) {
      expect(await byPages(method), method).toMatchObject({ source: 9, target: 9, missing: 0, extra: 0, changed: 0 });
      const whole = await verifyTableWhole('t', method, { source, target: client(target, 'keys', 'keys'), targetHasTable: true, page: 2 });
      expect(whole, method).toMatchObject({ source: 9, target: 9, missing: 0, extra: 0, changed: 0 });
    }
  });

  it('names a changed, a missing and an extra record, wherever the pages fall', async () => {
    await client(target, 'keys', 'keys').sql(`UPDATE t:[1, 'a'] SET v = 60; DELETE t:⟨1e5⟩; CREATE t:⟨b⟩ SET v = 10;`);
    for (const method of ['hash', 'value'] as const) {
      const result = await byPages(method);
      expect(result, method).toMatchObject({ source: 9, target: 9, missing: 1, extra: 1, changed: 1 });
      // 3.0.2 prints the string key '1e5' bare (t:1e5), 3.3.5 bracketed: the page after it must still start after it.
      expect([...result.examples].map((id) => id.replace(/[⟨⟩]/g, '')).sort(), method).toEqual(['t:1e5', "t:[1, 'a']", 't:b']);
    }
    if (reader === 'server') {
      const pages = statements.filter((text) => /FROM `t`/.test(text));
      expect(pages.some((text) => /`t` START 2 LIMIT 2/.test(text)), pages.join('\n')).toBe(true);
      expect(pages.filter((text) => />\.\. LIMIT/.test(text)), 'no open range with a LIMIT').toEqual([]);
    }
  });
});
