import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { generateStore, type GenerateResult } from '../../src/fixture/generate.js';
import { queryStore, storeDigest } from '../../src/fixture/store-query.js';
import { writeDemo } from '../../src/fixture/demo.js';
import { expectedCounts, hasEmbedding } from '../../src/fixture/plan.js';
import { TRICKY_SAMPLES, UNICODE_SAMPLES } from '../../src/fixture/text.js';

const MESSAGES = 1000;
const SEED = 42;

let work: string;
let first: GenerateResult;
let second: GenerateResult;
const progress: Array<[number, number]> = [];

/** One query's statements, as JSON values. */
async function ask(store: string, sql: string): Promise<unknown[]> {
  const [result] = await queryStore(store, [sql]);
  return result ?? [];
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'pattern-db-fixture-'));
  first = await generateStore({ out: path.join(work, 'a', 'pattern.db'), messages: MESSAGES, seed: SEED, onProgress: (d, t) => progress.push([d, t]) });
  second = await generateStore({ out: path.join(work, 'b', 'pattern.db'), messages: MESSAGES, seed: SEED });
});

afterAll(async () => {
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe('generateStore', () => {
  it('gives identical content for the same seed, and different content for another', async () => {
    const [a, b] = [await storeDigest(first.path), await storeDigest(second.path)];
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const table of Object.keys(a)) expect(b[table], table).toEqual(a[table]);
    const other = await generateStore({ out: path.join(work, 'c'), messages: 50, seed: SEED + 1 });
    const c = await storeDigest(other.path);
    expect(c.agent).not.toEqual(a.agent);
  });

  it("has all of Pattern's tables and edge tables with the expected counts", async () => {
    expect(first.counts).toEqual(expectedCounts(MESSAGES));
    const [info] = (await ask(first.path, 'INFO FOR DB')) as [{ tables: Record<string, string> }];
    expect(Object.keys(info.tables).sort()).toEqual(Object.keys(expectedCounts(MESSAGES)).sort());
    const [msgs, edges] = await queryStore(first.path, ['RETURN count(SELECT VALUE id FROM msg)', 'RETURN count(SELECT VALUE id FROM agent_messages)']);
    expect([msgs?.[0], edges?.[0]]).toEqual([MESSAGES, expectedCounts(MESSAGES).agent_messages]);
    expect(info.tables.group).toMatch(/SCHEMALESS/);
  });

  it('reports progress per batch, ending at the total', () => {
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual([MESSAGES, MESSAGES]);
  });

  it("defines Pattern's full-text and HNSW indexes and both analyzers", async () => {
    const [msg, mem, db] = (await queryStore(first.path, ['INFO FOR TABLE msg', 'INFO FOR TABLE mem', 'INFO FOR DB'])).map((r) => r[0]) as Array<
      Record<string, Record<string, string>>
    >;
    expect(msg!.indexes!.msg_content_search).toMatch(/FIELDS content FULLTEXT ANALYZER msg_content_analyzer BM25/);
    expect(msg!.indexes!.msg_vector_idx).toMatch(/FIELDS embedding HNSW DIMENSION 1536 DIST COSINE/);
    expect(Object.keys(mem!.indexes!).sort()).toEqual(['mem_desc_search', 'mem_label_search', 'mem_value_search', 'mem_vector_idx']);
    expect(Object.keys(db!.analyzers!).sort()).toEqual(['mem_value_analyzer', 'msg_content_analyzer']);
    expect(db!.analyzers!.msg_content_analyzer).toMatch(/TOKENIZERS CLASS FILTERS LOWERCASE, SNOWBALL\(ENGLISH\)/);
  });

  it('has the single system_metadata row of schema version 1', async () => {
    const [rows] = (await ask(first.path, 'SELECT * FROM system_metadata')) as [Array<Record<string, unknown>>];
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ embedding_model: 'none', embedding_dimensions: 0, schema_version: 1 });
    expect(BigInt(row.schema_hash as bigint)).toBeGreaterThanOrEqual(1n << 62n);
    const [[types]] = (await ask(first.path, 'SELECT type::is_datetime(created_at) AS c, type::is_datetime(updated_at) AS u FROM system_metadata')) as [
      [Record<string, boolean>],
    ];
    expect(types).toEqual({ c: true, u: true });
  });

  it('answers full-text searches on messages and memory', async () => {
    const [msgHits, memHits] = await queryStore(first.path, [
      "SELECT VALUE id FROM msg WHERE content @1@ 'constellation' LIMIT 5",
      "SELECT VALUE id FROM mem WHERE value @1@ 'pattern' LIMIT 5",
    ]);
    expect((msgHits?.[0] as unknown[]).length).toBeGreaterThan(0);
    expect((memHits?.[0] as unknown[]).length).toBeGreaterThan(0);
  });

  it("holds real data's odd values", async () => {
    const [stats] = (await ask(first.path, `RETURN {
      embedded: count(SELECT VALUE id FROM msg WHERE embedding != NONE),
      lengths: array::distinct(SELECT VALUE array::len(embedding) FROM msg WHERE embedding != NONE),
      huge: count(SELECT VALUE id FROM msg WHERE string::len(<string> content) > 10000),
      uuidKeys: count(SELECT VALUE id FROM msg WHERE string::contains(<string> record::id(id), '-')),
      shapes: array::sort(array::distinct(SELECT VALUE object::keys(content)[0] FROM msg)),
      thinking: count(SELECT VALUE id FROM msg WHERE string::contains(<string> content, 'signature')),
      decimals: count(SELECT VALUE id FROM msg WHERE type::is_decimal(metadata.cost_usd)),
      noOwner: count(SELECT VALUE id FROM msg WHERE owner_id = NONE),
      nulls: count(SELECT VALUE id FROM msg WHERE options.cache_control = NULL),
      archival: count(SELECT VALUE id FROM mem WHERE string::starts_with(label, 'bluesky_user_')),
      inactive: count(SELECT VALUE id FROM mem WHERE is_active = false),
      didKeys: count(SELECT VALUE id FROM atproto_identity WHERE string::starts_with(<string> record::id(id), 'did:plc:')),
      links: count(SELECT VALUE id FROM agent WHERE type::is_record(owner_id, 'user')),
    }`)) as [Record<string, unknown>];
    let expected = 0;
    for (let i = 0; i < MESSAGES; i++) if (hasEmbedding(i)) expected++;
    expect(stats).toMatchObject({ embedded: expected, lengths: [1536], didKeys: 3, links: 6 });
    expect(stats.shapes).toEqual(['Blocks', 'Parts', 'Text', 'ToolCalls', 'ToolResponses']);
    for (const key of ['huge', 'uuidKeys', 'thinking', 'decimals', 'noOwner', 'nulls', 'archival', 'inactive']) {
      expect(stats[key], key).toBeGreaterThan(0);
    }
  });

  it('keeps unicode and quoting hazards verbatim', async () => {
    const [partner, queue] = await queryStore(first.path, [
      "SELECT VALUE value FROM mem WHERE label = 'partner'",
      "SELECT VALUE content FROM queue_msg WHERE string::contains(content, 'DROP TABLE')",
    ]);
    expect((partner?.[0] as string[])[0]).toContain(UNICODE_SAMPLES.join(' '));
    expect(queue?.[0]).toContain(TRICKY_SAMPLES.join('\n'));
  });

  it('refuses an out folder that exists and is not empty, and leaves it alone', async () => {
    const busy = path.join(work, 'busy');
    await fs.mkdir(busy);
    await fs.writeFile(path.join(busy, 'keep.txt'), 'mine');
    for (const out of [busy, first.path, path.join(busy, 'keep.txt')]) {
      const error = await generateStore({ out, messages: 10 }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(PatternDbError);
      expect((error as PatternDbError).code).toBe('E_TARGET_NOT_EMPTY');
    }
    expect(await fs.readdir(busy)).toEqual(['keep.txt']);
  });

  it('writes the surrealkv 3 folder layout and releases the LOCK', async () => {
    expect((await fs.readdir(first.path)).sort()).toEqual(['LOCK', 'manifest', 'sstables', 'vlog', 'wal']);
    expect(first.bytes).toBeGreaterThan(1_000_000);
    // Opening it again only works when the generator's engine let go of the lock.
    expect(await ask(first.path, 'RETURN 1')).toEqual([1]);
  });
});

describe('writeDemo', () => {
  it('writes a Pattern config whose ids match its embedded store', async () => {
    const dir = path.join(work, 'demo');
    const demo = await writeDemo({ dir, messages: 100, seed: 7, engine: 3 });
    expect(demo.storePath).toBe(path.join(dir, 'pattern.db'));
    expect(demo.counts.msg).toBe(100);
    const text = await fs.readFile(demo.configPath, 'utf8');
    expect(text).toMatch(/working directory/);
    const config = parse(text) as { user: { id: string }; agent: { id: string }; database: Record<string, unknown>; context: unknown; groups: unknown[]; bluesky: unknown };
    expect(config.database).toMatchObject({ type: 'embedded', path: './pattern.db' });
    expect(config.groups).toHaveLength(2);
    expect(config.context).toBeDefined();
    expect(config.bluesky).toBeDefined();
    const [users, agents] = await queryStore(demo.storePath, ['SELECT VALUE record::id(id) FROM user', "SELECT VALUE record::id(id) FROM agent WHERE name = 'Pattern'"]);
    expect(users?.[0]).toEqual([config.user.id]);
    expect(agents?.[0]).toEqual([config.agent.id]);
    await expect(writeDemo({ dir, messages: 10 })).rejects.toMatchObject({ code: 'E_TARGET_NOT_EMPTY' });
  });

  it('two demos started at once into one new folder: one is written whole, the other refused saying why', async () => {
    const dir = path.join(work, 'demo-twice');
    const outcomes = await Promise.allSettled([writeDemo({ dir, messages: 50, engine: 3 }), writeDemo({ dir, messages: 50, engine: 3 })]);
    const written = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as PatternDbError] : []));
    expect(written).toHaveLength(1);
    expect(refused.map((e) => [e.code, e.message])).toEqual([['E_TARGET_NOT_EMPTY', expect.stringContaining('another demo being written there')]]);
    expect((await fs.readFile(path.join(dir, 'pattern.toml'), 'utf8')).length).toBeGreaterThan(1000);
    const [messages] = await queryStore(path.join(dir, 'pattern.db'), ['RETURN count(SELECT VALUE id FROM msg)']);
    expect(messages?.[0]).toBe(50);
  });

  it('a demo whose store cannot be generated leaves no config behind', async () => {
    const dir = path.join(work, 'demo-fails');
    await fs.mkdir(path.join(dir, 'pattern.db'), { recursive: true });
    await fs.writeFile(path.join(dir, 'pattern.db', 'keep.txt'), 'mine');
    await expect(writeDemo({ dir, messages: 10, engine: 3 })).rejects.toMatchObject({ code: 'E_TARGET_NOT_EMPTY' });
    expect(await fs.readdir(dir)).toEqual(['pattern.db']);
  });
});
