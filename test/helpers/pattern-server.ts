// A Pattern-shaped database on a real test server: Pattern's schema (tables, fields, analyzers, full-text and vector
// indexes) and a few hundred records with relations; plus what a test needs to compare two databases record by record.
import { escapeIdent } from 'surrealdb';
import { expect } from 'vitest';
import { patternSchemaText } from '../../src/core/pattern-schema-text.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import type { TestServer } from './surreal.js';

export function client(server: Pick<TestServer, 'url' | 'username' | 'password'>, namespace?: string, database?: string): SurrealHttp {
  return new SurrealHttp({
    url: server.url,
    username: server.username,
    password: server.password,
    ...(namespace ? { namespace } : {}),
    ...(database ? { database } : {}),
  });
}

/** Pattern's migrations' statements in SurrealDB `major`'s syntax (2: exactly what Pattern sends). */
export function patternSchemaSql(major: 2 | 3): string {
  const schema = patternSchemaText(major);
  return [...schema.tables, ...schema.indexes].map((s) => `${s};`).join('\n');
}

/** Pattern's schema in SurrealDB 3 syntax, for a 3.x test server. */
export const PATTERN_SCHEMA_SQL = patternSchemaSql(3);

/** The SurrealDB major a test server runs. */
export function majorOf(server: Pick<TestServer, 'state'>): 2 | 3 {
  return server.state.version.startsWith('2.') ? 2 : 3;
}

/** Defines Pattern's schema in namespace/database and writes `messages` messages, 40 memories, agents and relations. */
export async function seedPatternDatabase(server: TestServer, namespace = 'pattern', database = 'pattern', messages = 200): Promise<Record<string, number>> {
  const http = client(server, namespace, database);
  await http.ensureDatabase();
  const major = majorOf(server);
  await http.sql(patternSchemaSql(major));
  // SurrealDB 3 renamed type::thing to type::record (2.x's type::record only checks a value's table).
  const recordOf = major === 2 ? 'type::thing' : 'type::record';
  await http.sql(`
    CREATE user:owner SET created_at = d'2025-07-08T14:00:00Z', updated_at = d'2025-07-08T14:00:00Z', settings = {}, metadata = { note: "it's \\"quoted\\" – ünïcode ✓" };
    FOR $n IN ['pattern', 'entropy'] {
      CREATE ${recordOf}('agent', $n) SET name = $n, agent_type = 'generic', model_config = {}, base_instructions = 'Be helpful.',
        max_messages = 50, max_message_age_hours = 24, compression_threshold = 30, memory_char_limit = 5000, enable_thinking = true,
        compression_strategy = { type: 'truncate', keep_recent: 100 }, tool_rules = [], total_messages = 0, total_tool_calls = 0,
        context_rebuilds = 0, compression_events = 0, created_at = time::now(), updated_at = time::now(), last_active = time::now(),
        owner_id = user:owner, memories = [], messages = [];
      RELATE user:owner->owns->(${recordOf}('agent', $n)) SET created_at = time::now();
    };
    FOR $i IN 0..${messages} {
      CREATE msg SET role = IF $i % 2 = 0 { 'user' } ELSE { 'assistant' }, owner_id = user:owner,
        content = { text: 'message ' + <string>$i + ' about backups and restores', parts: [$i, $i * 2.5, true, NONE] },
        metadata = { seq: $i }, options = {}, has_tool_calls = false, word_count = 5, created_at = d'2025-07-08T14:00:00Z' + <duration>(<string>$i + 's'),
        position = <string>(1000000 + $i), batch = 'b' + <string>($i / 10), sequence_num = $i, batch_type = 'user_request';
    };
    FOR $i IN 0..40 {
      LET $m = CREATE ONLY mem SET owner_id = user:owner, label = 'note_' + <string>$i, value = 'remember thing ' + <string>$i,
        memory_type = 'archival', pinned = false, permission = 'read_write', metadata = {}, created_at = time::now(), updated_at = time::now(), is_active = true;
      RELATE agent:pattern->remembers->($m.id) SET access_level = 'read_write', created_at = time::now();
    };
    CREATE system_metadata SET embedding_model = 'none', embedding_dimensions = 0, schema_version = 1, created_at = time::now(), updated_at = time::now();
  `);
  return tableCounts(server, namespace, database);
}

export async function tablesOf(server: TestServer, namespace: string, database: string): Promise<string[]> {
  const [info] = (await client(server, namespace, database).sql('INFO FOR DB;')) as Array<{ tables: Record<string, string> }>;
  return Object.keys(info?.tables ?? {}).sort();
}

export async function tableCounts(server: TestServer, namespace: string, database: string): Promise<Record<string, number>> {
  return countsOf(server, namespace, database, await tablesOf(server, namespace, database));
}

/** Each named table's record count, as the server counts it. */
export async function countsOf(server: Pick<TestServer, 'url' | 'username' | 'password'>, namespace: string, database: string, tables: string[]): Promise<Record<string, number>> {
  const http = client(server, namespace, database);
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [n] = (await http.sql(`RETURN count(SELECT VALUE id FROM ${escapeIdent(table)});`)) as number[];
    counts[table] = Number(n);
  }
  return counts;
}

/** Every record's id and the server's own sha256 of its content, per table. */
export async function recordDigests(server: TestServer, namespace: string, database: string): Promise<Record<string, Record<string, string>>> {
  const http = client(server, namespace, database);
  const out: Record<string, Record<string, string>> = {};
  for (const table of await tablesOf(server, namespace, database)) {
    const [rows] = (await http.sql(`SELECT VALUE [<string> id, crypto::sha256(<string> $this)] FROM ${escapeIdent(table)};`)) as Array<Array<[string, string]>>;
    out[table] = Object.fromEntries(rows ?? []);
  }
  return out;
}

/** Analyzers, tables, and each table's fields and indexes, as the server states them. */
export async function definitions(server: TestServer, namespace: string, database: string): Promise<Record<string, unknown>> {
  const http = client(server, namespace, database);
  const [db] = (await http.sql('INFO FOR DB;')) as Array<Record<string, Record<string, string>>>;
  const tables: Record<string, unknown> = {};
  for (const table of Object.keys(db?.tables ?? {}).sort()) {
    const [info] = (await http.sql(`INFO FOR TABLE ${escapeIdent(table)};`)) as Array<Record<string, unknown>>;
    tables[table] = { fields: info?.fields, indexes: info?.indexes, events: info?.events };
  }
  return { analyzers: db?.analyzers, functions: db?.functions, params: db?.params, tables: db?.tables, tableDetails: tables };
}

/** Every table of the pattern database holds its count of records, none of them twice. */
export async function expectEveryRecordOnce(server: Pick<TestServer, 'url' | 'username' | 'password'>, counts: Record<string, number>): Promise<void> {
  const http = client(server, 'pattern', 'pattern');
  for (const [table, count] of Object.entries(counts)) {
    const [ids, distinct] = (await http.sql(`RETURN count(SELECT id FROM ${escapeIdent(table)}); RETURN array::len(array::distinct(SELECT VALUE id FROM ${escapeIdent(table)}));`)) as number[];
    expect([table, Number(ids), Number(distinct)]).toEqual([table, count, count]);
  }
}
