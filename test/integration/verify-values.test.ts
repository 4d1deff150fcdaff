// Verification by value and definitions modulo the 2→3 rules, against a real SurrealDB 2.6.5 and a real 3.3.5: data
// written to 2.x, moved the documented way (export --v3 with the 2.x binary, POST /import into 3.x), then compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computedFields } from '../../src/core/computed-fields.js';
import { DefinitionComparer } from '../../src/core/definition-compare.js';
import { upgradeNormaliser } from '../../src/core/definition-upgrade.js';
import { compareTable } from '../../src/core/verify-report.js';
import { readExportedUsers } from '../../src/surreal/exported-users.js';
import { readDatabaseInfo } from '../../src/surreal/server-catalog.js';
import { verifyTableByRanges, type TableSides } from '../../src/steps/verify-records.js';
import type { SurrealHttp } from '../../src/surreal/http.js';
import { servedPages, type SourceStore } from '../../src/surreal/source-store.js';
import { readEncodedRange, readValueDigests } from '../../src/surreal/value-digests.js';
import { EVERY_KIND } from '../helpers/every-kind.js';
import { client, patternSchemaSql } from '../helpers/pattern-server.js';
import { startTestServer, type TestServer } from '../helpers/surreal.js';
import { moveTo3 } from '../helpers/upgrade-move.js';

/** Messages as Pattern writes them (message content blocks, a datetime to the nanosecond, a link, a NONE, a decimal). */
const PATTERN_MESSAGES = `FOR $i IN 1..=5 {
  CREATE type::thing('msg', 'msg_' + <string> $i) CONTENT {
    role: 'assistant', owner_id: user:abc, created_at: d'2025-01-01T00:00:00.123456789Z', position: '01JH' + <string> $i, word_count: $i,
    content: { Blocks: [{ Text: { text: 'hello ' + <string> $i } }, { Thinking: { text: 'hm', signature: 'sig' } }] },
    metadata: { user_id: u'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', channel_id: NULL, tags: ['a', 'b'] },
    options: { cache_control: NONE }, cost: 1.25dec, score: $i * 0.25, embedding: [0.1f, -0.5f, 1e-3f], wait: 1h30m
  };
};`;

async function digests(server: TestServer, namespace: string, database: string, table: string, omit: string[] = []): Promise<Map<string, string>> {
  const http = client(server, namespace, database);
  const out = new Map<string, string>();
  for (let start = 0; ; start += 100) {
    const page = await readValueDigests(http, table, start, 100, { omit });
    for (const [id, digest] of page) out.set(id, digest);
    if (page.length < 100) return out;
  }
}

async function compareByValue(from: TestServer, to: TestServer, namespace: string, database: string, table: string, omit: string[] = []) {
  return compareTable(table, await digests(from, namespace, database, table, omit), await digests(to, namespace, database, table, omit));
}

/** A server read the way verify reads a source, in pages of START. */
function sourceOn(http: SurrealHttp): SourceStore {
  return servedPages(http) as SourceStore;
}

/** Ranges of 2 records, so that every kind of key bounds one; throws if the target's ranges miss or repeat a record. */
function byRanges(table: string, method: 'hash' | 'value', source: SurrealHttp | SourceStore, target: SurrealHttp) {
  const sides: TableSides = { source: 'sql' in source ? sourceOn(source) : source, target, targetHasTable: true, page: 2 };
  return verifyTableByRanges(table, method, sides, () => undefined);
}

/** A served source that counts the pages it digested record by record, by value. */
function countingByValue(http: SurrealHttp): { source: SourceStore; pagesByValue: () => number } {
  const pages = servedPages(http);
  let byValue = 0;
  const source = { ...pages, valueDigests: (...args: Parameters<typeof pages.valueDigests>) => ((byValue += 1), pages.valueDigests(...args)) };
  return { source: source as SourceStore, pagesByValue: () => byValue };
}

let v2: TestServer;
let v3: TestServer;

beforeAll(async () => {
  [v2, v3] = await Promise.all([startTestServer({ major: 2 }), startTestServer({ major: 3 })]);
}, 900_000);

afterAll(async () => {
  await Promise.all([v2?.stop(), v3?.stop()]);
});

describe('records by value, SurrealDB 2.6.5 → 3.3.5', () => {
  beforeAll(async () => {
    const source = client(v2, 'vals', 'vals');
    await source.ensureDatabase();
    await source.sql(EVERY_KIND);
    await source.sql(`DEFINE TABLE stamped SCHEMALESS; DEFINE FIELD read_at ON stamped VALUE <future> { time::now() }; CREATE stamped:1 SET n = 1;`);
    await source.sql(PATTERN_MESSAGES);
    await moveTo3(v2, v3, 'vals', 'vals');
  });

  it('the same records of every kind compare identical, though each major prints them differently', async () => {
    for (const table of ['kinds', 'linked']) {
      const result = await compareByValue(v2, v3, 'vals', 'vals', table);
      expect(result, table).toMatchObject({ missing: 0, extra: 0, changed: 0 });
      expect(result.source).toBe(table === 'kinds' ? 7 : 1);
    }
    // The text each engine hashes today differs (2.x: b: encoding::base64::decode("YWJj"), dec: 1.50dec, pt: (1.5f, 2.5f);
    // 3.x: b: b"616263", dec: 1.5dec, pt: (1.5, 2.5)), which is why the hash cannot prove a 2→3 move.
    const text = async (server: TestServer) => ((await client(server, 'vals', 'vals').sql('SELECT VALUE <string> $this FROM kinds:abc;')) as string[][])[0]![0];
    expect(await text(v2)).not.toBe(await text(v3));
    // By ranges of ids bounded by every kind of key (number, string, array, object, uuid), read in each major's order.
    for (const table of ['kinds', 'linked']) {
      expect(await byRanges(table, 'value', client(v2, 'vals', 'vals'), client(v3, 'vals', 'vals')), table).toMatchObject({ source: table === 'kinds' ? 7 : 1, missing: 0, extra: 0, changed: 0 });
    }
  });

  it('compares a range by the bytes each server sends, and record by record by value only where those differ', async () => {
    const [from, to] = [client(v2, 'vals', 'vals'), client(v3, 'vals', 'vals')];
    // Pattern's messages are sent byte for byte alike by both majors: no page of them is digested record by record.
    const messages = countingByValue(from);
    expect(await byRanges('msg', 'value', messages.source, to)).toMatchObject({ source: 5, target: 5, missing: 0, extra: 0, changed: 0 });
    expect(messages.pagesByValue()).toBe(0);
    expect(await readEncodedRange(from, 'msg', 'msg')).toEqual(await readEncodedRange(to, 'msg', 'msg'));
    // kinds:abc is not (2.6.5 sends its 1.50dec as 1.50, 3.3.5 as 1.5): its range is compared by value, and is the same.
    const kinds = countingByValue(from);
    expect(await readEncodedRange(from, 'kinds', 'kinds')).not.toEqual(await readEncodedRange(to, 'kinds', 'kinds'));
    expect(await byRanges('kinds', 'value', kinds.source, to)).toMatchObject({ source: 7, missing: 0, extra: 0, changed: 0 });
    expect(kinds.pagesByValue()).toBe(1);
    // A message changed by one nanosecond, one deleted and one added on the target: their ranges' bytes differ, and the
    // records are named.
    await to.sql(`UPDATE msg:msg_2 SET created_at = d'2025-01-01T00:00:00.123456790Z'; DELETE msg:msg_5; CREATE msg:msg_4a SET role = 'user';`);
    const changed = countingByValue(from);
    const result = await byRanges('msg', 'value', changed.source, to);
    expect(result).toMatchObject({ source: 5, target: 5, missing: 1, extra: 1, changed: 1, exampleOf: { changed: 'msg:msg_2', missing: 'msg:msg_5', extra: 'msg:msg_4a' } });
    expect(changed.pagesByValue()).toBe(2);
  });

  it('leaves computed fields out (2.x <future>, 3.x COMPUTED): they are evaluated when read, not stored', async () => {
    const fields = async (server: TestServer) => (await readDatabaseInfo(client(server, 'vals', 'vals'))).tableDefinitions.stamped?.fields;
    const omit = computedFields(await fields(v2), await fields(v3));
    expect(omit).toEqual(['read_at']);
    expect(await compareByValue(v2, v3, 'vals', 'vals', 'stamped', omit)).toMatchObject({ source: 1, changed: 0 });
    expect(await compareByValue(v2, v3, 'vals', 'vals', 'stamped')).toMatchObject({ changed: 1 });
  });

  it('names a changed, a deleted and an added record on the target', async () => {
    // One nanosecond later. (Not `SET i = 1.0f`: 3.3.5 answers with the float but keeps the stored int, since 1 = 1.0f.)
    await client(v3, 'vals', 'vals').sql(`UPDATE kinds:abc SET dt = d'2024-05-01T10:00:00.123456790Z'; DELETE kinds:⟨1⟩; CREATE kinds:⟨new one⟩ SET v = 'added';`);
    const result = await compareByValue(v2, v3, 'vals', 'vals', 'kinds');
    expect(result).toMatchObject({ source: 7, target: 7, missing: 1, extra: 1, changed: 1 });
    expect([...result.examples].sort()).toEqual(['kinds:abc', 'kinds:⟨1⟩', 'kinds:⟨new one⟩']);
    // By ranges, each side reading only a range at a time: the same three, the same counts.
    expect(await byRanges('kinds', 'value', client(v2, 'vals', 'vals'), client(v3, 'vals', 'vals'))).toEqual(result);
  });

  it('names what the export itself loses: a table value (2.6.5 writes `tbl:user`, which 3.x reads as a field path)', async () => {
    const source = client(v2, 'lost', 'lost');
    await source.ensureDatabase();
    await source.sql(`CREATE holder:one SET tbl = type::table('user'), kept = 1;`);
    await moveTo3(v2, v3, 'lost', 'lost');
    expect(await compareByValue(v2, v3, 'lost', 'lost', 'holder')).toMatchObject({ changed: 1, examples: ['holder:one'] });
  });
});

describe('records by ranges of ids, one digest per range by the server (SurrealDB 3.3.5 on both sides)', () => {
  const keys = `CREATE t:1 SET v = 1; CREATE t:2 SET v = 2; CREATE t:abc SET v = 3; CREATE t:⟨1e5⟩ SET v = 4; CREATE t:⟨a b⟩ SET v = 5;
    CREATE t:[1, 'a'] SET v = 6; CREATE t:{ a: 1 } SET v = 7; CREATE t:u'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' SET v = 8; CREATE t:zz SET v = 9;`;
  beforeAll(async () => {
    for (const db of ['h1', 'h2']) {
      await client(v3, 'ranges', db).ensureDatabase();
      await client(v3, 'ranges', db).sql(keys);
    }
  });

  it('finds equal ranges equal, then names a changed, a missing and an extra record, wherever they fall', async () => {
    const [h1, h2] = [client(v3, 'ranges', 'h1'), client(v3, 'ranges', 'h2')];
    expect(await byRanges('t', 'hash', h1, h2)).toMatchObject({ source: 9, target: 9, compared: 9, missing: 0, extra: 0, changed: 0 });
    // Changed in the first range, missing from a middle one, extra after the source's last id and inside a range.
    await h2.sql(`UPDATE t:1 SET v = 10; DELETE t:⟨a b⟩; CREATE t:⟨zzz⟩ SET v = 11; CREATE t:⟨abd⟩ SET v = 12;`);
    const result = await byRanges('t', 'hash', h1, h2);
    expect(result).toMatchObject({ source: 9, target: 10, missing: 1, extra: 2, changed: 1, compared: 11 });
    expect(result.exampleOf).toEqual({ changed: 't:1', missing: 't:`a b`', extra: 't:abd' });
    expect([...result.examples].sort()).toEqual(['t:1', 't:`a b`', 't:abd', 't:zzz']);
    // An empty source: every target record is extra.
    await h1.sql('DELETE t;');
    expect(await byRanges('t', 'hash', h1, h2)).toMatchObject({ source: 0, target: 10, extra: 10 });
  });
});

describe("definitions, Pattern's 2.x schema against its upgraded 3.x form", () => {
  const compare = async () => {
    const source = await readDatabaseInfo(client(v2, 'schema', 'schema'));
    const target = await readDatabaseInfo(client(v3, 'schema', 'schema'));
    const comparer = new DefinitionComparer(upgradeNormaliser(source.definitions.tables ?? {}), { target: await readExportedUsers(client(v3, 'schema', 'schema')) });
    comparer.compare(source.definitions, target.definitions, '');
    for (const table of source.tables) comparer.compare(source.tableDefinitions[table] ?? {}, target.tableDefinitions[table] ?? {}, table, ['lives', 'tables']);
    return comparer;
  };

  beforeAll(async () => {
    const source = client(v2, 'schema', 'schema');
    await source.ensureDatabase();
    await source.sql(`${patternSchemaSql(2)}\nDEFINE USER pattern_app ON DATABASE PASSWORD 'app-password-1' ROLES EDITOR;`);
    await moveTo3(v2, v3, 'schema', 'schema');
  });

  it('are identical modulo named rules, and the user whose hash 3.3.5 hides is proven from its export', async () => {
    const result = await compare();
    expect(result.differences).toEqual([]);
    expect(result.rules.map((r) => r.rule)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^`DEFINE FIELD id … TYPE record` is dropped/),
        expect.stringMatching(/^FLEXIBLE is dropped on a SCHEMALESS table/),
        expect.stringMatching(/^option<T> is printed/),
        expect.stringMatching(/^SEARCH ANALYZER indexes are FULLTEXT/),
        expect.stringMatching(/^analyzer filters/),
        expect.stringMatching(/^array item fields/),
      ]),
    );
    expect(result.rules.find((r) => r.rule.startsWith('SEARCH'))?.count).toBe(4);
    expect(result.secrets).toEqual([expect.objectContaining({ kind: 'users', name: 'pattern_app', secret: 'password hash', outcome: 'proven' })]);
    // What 3.3.5 itself shows, and why the text comparison alone called this user different.
    const [info] = (await client(v3, 'schema', 'schema').sql('INFO FOR DB;')) as Array<{ users: Record<string, string> }>;
    expect(info!.users.pattern_app).toContain("PASSHASH '[REDACTED]'");
  });

  it('report a real change, and a changed password, that no rule covers', async () => {
    await client(v3, 'schema', 'schema').sql(`DEFINE FIELD OVERWRITE word_count ON msg TYPE string; DEFINE USER OVERWRITE pattern_app ON DATABASE PASSWORD 'another-password' ROLES EDITOR;`);
    const result = await compare();
    expect(result.differences).toEqual([
      expect.objectContaining({ kind: 'users', name: 'pattern_app', problem: 'changed' }),
      expect.objectContaining({ kind: 'fields', name: 'msg.word_count', problem: 'changed' }),
    ]);
    expect(JSON.stringify(result.differences)).not.toMatch(/argon2/);
  });
});
