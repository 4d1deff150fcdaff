// The generator's SurrealDB 2 stores, read by a real SurrealDB 2.6.5 server: Pattern's own schema, the whole world,
// edges with ids SurrealDB chose, and working full-text search.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import type { RecordId } from 'surrealdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemo } from '../../src/fixture/demo.js';
import { generateStore, type GenerateResult } from '../../src/fixture/generate.js';
import { queryStore } from '../../src/fixture/store-query.js';
import { messageInserts } from '../../src/fixture/messages.js';
import { createWorld, expectedCounts, hasEmbedding, type Insert } from '../../src/fixture/plan.js';
import { worldInserts } from '../../src/fixture/records.js';
import { TRICKY_SAMPLES, UNICODE_SAMPLES } from '../../src/fixture/text.js';
import type { SurrealHttp } from '../../src/surreal/http.js';
import { servePrivately, type PrivateServer } from '../../src/surreal/private-server.js';
import { storeFormatOf } from '../../src/surreal/store.js';
import { surreal2Bin, tempDir } from '../helpers/surreal.js';

const MESSAGES = 300;
const SEED = 42;

let work: string;
let bin: string;
let store: GenerateResult;
let server: PrivateServer;
let db: SurrealHttp;
const progress: Array<[number, number]> = [];

async function one<T>(sql: string): Promise<T> {
  const [result] = await db.sql(sql);
  return result as T;
}

beforeAll(async () => {
  bin = await surreal2Bin();
  work = await tempDir('pattern-db-fixture2-');
  store = await generateStore({ out: path.join(work, 'pattern.db'), messages: MESSAGES, seed: SEED, engine: 2, surreal2: bin, onProgress: (d, t) => progress.push([d, t]) });
  server = await servePrivately({ bin, folder: store.path, auth: 'none' });
  db = server.client({ namespace: 'pattern', database: 'pattern' });
});

afterAll(async () => {
  await server?.close();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

/** A record id as table and key, free of either version's escaping. */
const ref = (id: unknown): string => `${(id as RecordId).table.name}/${String((id as RecordId).id)}`;

/** The world's edges per table, as `in->out`, sorted: what the store must hold whatever ids SurrealDB gave them. */
function expectedEdges(): Record<string, string[]> {
  const world = createWorld(SEED, MESSAGES);
  const edges: Record<string, string[]> = {};
  const add = (inserts: Insert[]) => {
    for (const insert of inserts.filter((i) => i.relation)) {
      (edges[insert.table] ??= []).push(...insert.rows.map((r) => `${ref(r.in)}->${ref(r.out)}`));
    }
  };
  for (const inserts of worldInserts(world)) add(inserts);
  for (const batch of messageInserts(world, 500)) add(batch.inserts);
  for (const table of Object.keys(edges)) edges[table]!.sort();
  return edges;
}

describe('generateStore with engine 2', () => {
  it('writes a surrealkv 0.9 folder (SurrealDB 2) holding every expected record', async () => {
    const entries = await fs.readdir(store.path);
    expect((await storeFormatOf(store.path)).format).toBe('surrealkv-2');
    expect(entries).toContain('clog');
    expect(store.engine).toBe(2);
    expect(store.counts).toEqual(expectedCounts(MESSAGES));
    expect(progress.at(-1)).toEqual([MESSAGES, MESSAGES]);
    expect(server.version).toMatch(/^2\./);
    const tables = Object.keys((await one<{ tables: Record<string, string> }>('INFO FOR DB;')).tables).sort();
    expect(tables).toEqual(Object.keys(expectedCounts(MESSAGES)).sort());
    const counts = (await db.sql(tables.map((t) => `RETURN count(SELECT VALUE id FROM \`${t}\`);`).join('\n'))) as number[];
    expect(Object.fromEntries(tables.map((t, i) => [t, counts[i]]))).toEqual(expectedCounts(MESSAGES));
  });

  it("is never opened by the test reader's SurrealDB 3 engine", async () => {
    await expect(queryStore(store.path, ['RETURN 1'])).rejects.toThrow(/written by SurrealDB 2/);
    expect((await fs.readdir(store.path)).sort()).toEqual(['clog', 'manifest']);
  });

  it('holds the records of the same world as the SurrealDB 3 generator', async () => {
    const world = createWorld(SEED, MESSAGES);
    const expected = [...messageInserts(world, 500)].flatMap((b) => b.inserts[0]!.rows.map((r) => ref(r.id))).sort();
    const ids = await one<string[]>("SELECT VALUE 'msg/' + record::id(id) FROM msg;");
    expect(ids.sort()).toEqual(expected);
    const agents = await one<string[]>("SELECT VALUE 'agent/' + record::id(id) FROM agent;");
    expect(agents.sort()).toEqual(world.agents.map((a) => ref(a.id)).sort());
  });

  it("carries Pattern's own SurrealDB 2 definitions", async () => {
    const info = await one<{ analyzers: Record<string, string>; tables: Record<string, string>; users: Record<string, string> }>('INFO FOR DB;');
    expect(info.analyzers.msg_content_analyzer).toMatch(/TOKENIZERS CLASS FILTERS LOWERCASE,\s?SNOWBALL\(ENGLISH\)/);
    expect(Object.keys(info.analyzers).sort()).toEqual(['mem_value_analyzer', 'msg_content_analyzer']);
    expect(info.tables.msg).toMatch(/^DEFINE TABLE msg TYPE ANY SCHEMALESS/);
    expect(info.tables.agent_messages).toMatch(/SCHEMALESS/);
    expect(info.users).toEqual({});
    const msg = await one<{ fields: Record<string, string>; indexes: Record<string, string> }>('INFO FOR TABLE msg;');
    expect(msg.fields.id).toMatch(/TYPE record\b/);
    expect(msg.fields.content).toMatch(/FLEXIBLE TYPE object/);
    expect(msg.fields.embedding).toMatch(/TYPE option<array<float>>/);
    expect(msg.indexes.msg_content_search).toMatch(/FIELDS content SEARCH ANALYZER msg_content_analyzer BM25\(1\.2,0\.75\) DOC_IDS_ORDER \d+ .*HIGHLIGHTS/);
    expect(msg.indexes.msg_vector_idx).toMatch(/FIELDS embedding HNSW DIMENSION 1536 DIST COSINE/);
    const mem = await one<{ indexes: Record<string, string> }>('INFO FOR TABLE mem;');
    expect(Object.keys(mem.indexes).sort()).toEqual(['mem_desc_search', 'mem_label_search', 'mem_value_search', 'mem_vector_idx']);
    const meta = await one<{ fields: Record<string, string> }>('INFO FOR TABLE system_metadata;');
    expect(Object.keys(meta.fields).sort()).toEqual(['created_at', 'embedding_dimensions', 'embedding_model', 'schema_version', 'updated_at']);
    for (const index of ['msg_content_search ON msg', 'mem_value_search ON mem']) {
      expect(await one(`INFO FOR INDEX ${index};`)).toEqual({ building: { status: 'ready' } });
    }
  });

  it('has edges made by RELATE: ids SurrealDB chose, and the right records at both ends', async () => {
    const expected = expectedEdges();
    for (const [table, pairs] of Object.entries(expected)) {
      const rows = await one<Array<{ id: string; pair: string }>>(
        `SELECT <string> id AS id, record::tb(in) + '/' + <string> record::id(in) + '->' + record::tb(out) + '/' + <string> record::id(out) AS pair FROM ${table};`,
      );
      expect(rows.map((r) => r.pair).sort(), table).toEqual(pairs);
      // SurrealDB's random keys: 20 lowercase letters and digits (the 3.x generator's keys come from its seed).
      for (const row of rows) expect(row.id, table).toMatch(new RegExp(`^${table}:[a-z0-9]{20}$`));
    }
    const dangling = await one<number>('RETURN count(SELECT VALUE id FROM agent_messages WHERE out.id = NONE OR in.name = NONE);');
    expect(dangling).toBe(0);
    const [edge] = await one<Array<Record<string, unknown>>>("SELECT * FROM agent_messages WHERE message_type = 'shared' LIMIT 1;");
    expect(Object.keys(edge!).sort()).toEqual(['added_at', 'id', 'in', 'message_type', 'out', 'position']);
  });

  it('answers full-text and vector searches on messages and memory', async () => {
    const msgHits = await one<unknown[]>("SELECT id FROM msg WHERE content @1@ 'constellation' LIMIT 5;");
    const memHits = await one<unknown[]>("SELECT id, search::score(1) AS score FROM mem WHERE value @1@ 'pattern' LIMIT 5;");
    expect(msgHits.length).toBeGreaterThan(0);
    expect(memHits.length).toBeGreaterThan(0);
    const [, nearest] = (await db.sql(
      'LET $v = (SELECT VALUE embedding FROM msg WHERE embedding != NONE LIMIT 1)[0]; SELECT id, vector::distance::knn() AS d FROM msg WHERE embedding <|2,40|> $v;',
    )) as [unknown, Array<{ d: number }>];
    expect(nearest).toHaveLength(2);
    expect(nearest[0]!.d).toBeLessThan(1e-6);
  });

  it("holds real data's odd values", async () => {
    const stats = await one<Record<string, unknown>>(`RETURN {
      embedded: count(SELECT VALUE id FROM msg WHERE embedding != NONE),
      lengths: array::distinct(SELECT VALUE array::len(embedding) FROM msg WHERE embedding != NONE),
      huge: count(SELECT VALUE id FROM msg WHERE string::len(<string> content) > 10000),
      uuidKeys: count(SELECT VALUE id FROM msg WHERE string::contains(<string> record::id(id), '-')),
      shapes: array::sort(array::distinct(SELECT VALUE object::keys(content)[0] FROM msg)),
      decimals: count(SELECT VALUE id FROM msg WHERE type::is::decimal(metadata.cost_usd)),
      noOwner: count(SELECT VALUE id FROM msg WHERE owner_id = NONE),
      nulls: count(SELECT VALUE id FROM msg WHERE options.cache_control = NULL),
      subMs: count(SELECT VALUE id FROM msg WHERE time::nano(created_at) % 1000000 != 0),
      datetimeStrings: count(SELECT VALUE id FROM group_members WHERE type::is::string(joined_at)),
      inactive: count(SELECT VALUE id FROM mem WHERE is_active = false),
      didKeys: count(SELECT VALUE id FROM atproto_identity WHERE string::starts_with(<string> record::id(id), 'did:plc:')),
      links: count(SELECT VALUE id FROM agent WHERE type::is::record(owner_id, 'user')),
    };`);
    let embedded = 0;
    for (let i = 0; i < MESSAGES; i++) if (hasEmbedding(i)) embedded++;
    expect(stats).toMatchObject({ embedded, lengths: [1536], didKeys: 3, links: 6, datetimeStrings: 9 });
    expect(stats.shapes).toEqual(['Blocks', 'Parts', 'Text', 'ToolCalls', 'ToolResponses']);
    for (const key of ['huge', 'uuidKeys', 'decimals', 'noOwner', 'nulls', 'subMs', 'inactive']) expect(stats[key], key).toBeGreaterThan(0);
    const [partner] = await one<string[]>("SELECT VALUE value FROM mem WHERE label = 'partner';");
    expect(partner).toContain(UNICODE_SAMPLES.join(' '));
    const queue = await one<string[]>("SELECT VALUE content FROM queue_msg WHERE string::contains(content, 'DROP TABLE');");
    expect(queue).toContain(TRICKY_SAMPLES.join('\n'));
    const [meta] = await one<Array<Record<string, unknown>>>('SELECT * FROM system_metadata;');
    expect(meta).toMatchObject({ embedding_model: 'none', embedding_dimensions: 0, schema_version: 1 });
  });
});

describe('generateStore with engine 2 and the full-text indexes left unbuilt (the bench at 100,000 messages)', () => {
  it('writes every record and every definition, and closes the store before SurrealDB indexes the text', async () => {
    const unbuilt = await generateStore({ out: path.join(work, 'unbuilt', 'pattern.db'), messages: MESSAGES, seed: SEED, engine: 2, surreal2: bin, fullTextBuilt: false });
    expect(unbuilt.counts).toEqual(store.counts);
    const reader = await servePrivately({ bin, folder: unbuilt.path, auth: 'none' });
    try {
      const client = reader.client({ namespace: 'pattern', database: 'pattern' });
      const [msg, mem] = (await client.sql('INFO FOR TABLE msg; INFO FOR TABLE mem;')) as Array<{ indexes: Record<string, string> }>;
      expect(msg!.indexes.msg_content_search).toMatch(/FIELDS content SEARCH ANALYZER msg_content_analyzer BM25/);
      expect(Object.keys(mem!.indexes).sort()).toEqual(['mem_desc_search', 'mem_label_search', 'mem_value_search', 'mem_vector_idx']);
    } finally {
      await reader.close();
    }
    // Most of a SurrealDB 2 store is its full-text index data: this one holds a fraction of it.
    expect(unbuilt.bytes).toBeLessThan(store.bytes / 2);
  });
});

describe('writeDemo', () => {
  it('writes a SurrealDB 2 store by default, whose ids match its config', async () => {
    const dir = path.join(work, 'demo');
    const demo = await writeDemo({ dir, messages: 50, seed: 7 });
    expect(demo.engine).toBe(2);
    expect((await storeFormatOf(demo.storePath)).format).toBe('surrealkv-2');
    const config = parse(await fs.readFile(demo.configPath, 'utf8')) as { user: { id: string }; agent: { id: string } };
    const reader = await servePrivately({ bin, folder: demo.storePath, auth: 'none' });
    try {
      const [users, agents] = (await reader.client({ namespace: 'pattern', database: 'pattern' }).sql(
        "SELECT VALUE record::id(id) FROM user; SELECT VALUE record::id(id) FROM agent WHERE name = 'Pattern';",
      )) as string[][];
      expect(users).toEqual([config.user.id]);
      expect(agents).toEqual([config.agent.id]);
    } finally {
      await reader.close();
    }
  });
});
