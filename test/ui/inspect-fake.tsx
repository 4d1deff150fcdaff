// A small in-memory InspectSource for the inspector's UI tests: a Pattern-shaped database, records generated on demand
// (so a 100,000-record table costs nothing), every call recorded, and scripted console answers.
import { vi } from 'vitest';
import type {
  InspectHistory,
  InspectSource,
  InspectTree,
  InspectValue,
  QueryOutcome,
  Selection,
  SourceDescription,
} from '../../src/core/inspect-types.js';
import { PatternDbError } from '../../src/core/errors.js';
import { MAX_PAGE } from '../../src/core/inspect-types.js';
import { InspectApp } from '../../src/ui/inspect/inspect-app.js';
import { renderUi } from './render.js';

const s = (text: string): InspectValue => ({ type: 'string', text });
const n = (value: number): InspectValue => ({ type: 'number', text: String(value) });
const rec = (text: string): InspectValue => ({ type: 'record', text });
const dt = (text: string): InspectValue => ({ type: 'datetime', text });
const obj = (fields: Array<[string, InspectValue]>): InspectValue => ({ type: 'object', fields });

export const TABLES: Record<string, number> = { agent: 3, group: 2, msg: 100_000, agent_messages: 120 };

function recordAt(table: string, i: number): InspectValue {
  const id = `${table}:r${String(i).padStart(6, '0')}`;
  if (table === 'agent') {
    return obj([
      ['created_at', dt('2025-08-01T10:00:00Z')],
      ['id', rec(id)],
      ['name', s(`Agent ${i}`)],
      ['owner_id', rec('user:u1')],
      ['settings', obj([['enabled', { type: 'bool', text: 'true' }], ['limit', { type: 'null', text: 'NULL' }]])],
    ]);
  }
  return obj([['id', rec(id)], ['position', n(i)], ['role', s(i % 2 ? 'assistant' : 'user')]]);
}

export interface FakeCalls {
  records: Array<{ table: string; start: number; limit: number }>;
  queries: Array<{ text: string; confirmed: boolean; selection: Selection | undefined }>;
  record: string[];
}

export function fakeSource(options: { writable?: boolean; snapshot?: boolean; damaged?: string; failTree?: boolean; answers?: Record<string, QueryOutcome> } = {}) {
  const calls: FakeCalls = { records: [], queries: [], record: [] };
  const description: SourceDescription = {
    kind: options.snapshot ? 'embedded' : 'server',
    location: options.snapshot ? '/home/me/pattern.db' : 'http://127.0.0.1:8000',
    writable: Boolean(options.writable),
    ...(options.snapshot ? { snapshot: '/home/me/.pattern-db/snapshots/snapshot-1' } : {}),
    ...(options.damaged ? { damaged: options.damaged } : {}),
    selection: { namespace: 'pattern', database: 'pattern' },
  };
  const tree: InspectTree = {
    namespaces: [
      { name: 'main', databases: [{ name: 'main', tables: [] }] },
      { name: 'pattern', databases: [{ name: 'pattern', tables: Object.entries(TABLES).map(([name, count]) => ({ name, count })) }] },
    ],
  };
  const source: InspectSource = {
    description,
    tree: vi.fn(async () => {
      if (options.failTree) throw new PatternDbError('E_CONN_LOST', 'The server closed the connection.', { fix: 'Check whether the server is still running.' });
      return tree;
    }),
    count: vi.fn(async (_sel: Selection, table: string) => TABLES[table] ?? 0),
    tableDefinition: vi.fn(async (_sel: Selection, table: string) => ({
      table,
      text: `DEFINE TABLE ${table} TYPE ANY SCHEMALESS PERMISSIONS NONE`,
      schema: 'schemaless' as const,
      type: 'ANY',
      permissions: 'NONE',
      fields: [{ name: 'content', text: `DEFINE FIELD content ON ${table} TYPE object PERMISSIONS FULL` }],
      indexes:
        table === 'msg'
          ? [
              { name: 'msg_content_search', text: 'DEFINE INDEX msg_content_search ON msg FIELDS content FULLTEXT ANALYZER a BM25', kind: 'full-text' as const },
              { name: 'msg_vector_idx', text: 'DEFINE INDEX msg_vector_idx ON msg FIELDS embedding HNSW DIMENSION 1536', kind: 'hnsw' as const },
            ]
          : [],
      events: [],
    })),
    databaseDefinitions: vi.fn(async () => ({
      analyzers: [{ name: 'msg_content_analyzer', text: 'DEFINE ANALYZER msg_content_analyzer TOKENIZERS CLASS FILTERS LOWERCASE' }],
      functions: [],
      params: [],
      users: [{ name: 'bob', text: "DEFINE USER bob ON DATABASE PASSHASH '<hidden>' ROLES VIEWER" }],
      accesses: [],
      sequences: [],
    })),
    records: vi.fn(async (_sel: Selection, table: string, start: number, limit: number) => {
      calls.records.push({ table, start, limit });
      const total = TABLES[table] ?? 0;
      const size = Math.min(limit, MAX_PAGE);
      return Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => recordAt(table, start + i));
    }),
    record: vi.fn(async (_sel: Selection, id: string) => {
      calls.record.push(id);
      const table = id.split(':')[0]!;
      const index = Number(id.split(':r')[1] ?? 0);
      return {
        id,
        record: recordAt(table, index),
        incoming: [{ id: 'owns:e1', table: 'owns', other: 'user:u1', value: obj([['id', rec('owns:e1')]]) }],
        outgoing: [
          { id: 'agent_messages:e2', table: 'agent_messages', other: 'msg:r000001', value: obj([['id', rec('agent_messages:e2')]]) },
          { id: 'agent_messages:e3', table: 'agent_messages', other: 'msg:r000002', value: obj([['id', rec('agent_messages:e3')]]) },
        ],
        edgeLimit: 50,
      };
    }),
    query: vi.fn(async (selection: Selection | undefined, text: string, opts: { confirmed?: boolean } = {}): Promise<QueryOutcome> => {
      calls.queries.push({ text, confirmed: Boolean(opts.confirmed), selection });
      const scripted = options.answers?.[text];
      if (scripted && (scripted.kind !== 'confirm' || !opts.confirmed)) return scripted;
      return { kind: 'done', elapsedMs: 1.5, statements: [{ status: 'OK', text, result: { type: 'array', items: [obj([['n', n(1)], ['name', s('one')]])] }, time: '120µs' }] };
    }),
    status: vi.fn(async () => ({
      kind: description.kind,
      location: description.location,
      version: '3.0.5',
      healthy: true,
      health: 'answers /health',
      latencyMs: 0.8,
      user: 'root',
    })),
    close: vi.fn(async () => undefined),
  };
  return { source, calls };
}

export function memoryHistory(entries: string[] = []): InspectHistory & { appended: string[] } {
  const appended: string[] = [];
  return { entries: [...entries], appended, append: (q: string) => void appended.push(q) };
}

export async function renderInspector(options: Parameters<typeof fakeSource>[0] & { columns?: number; rows?: number; history?: string[] } = {}) {
  const { source, calls } = fakeSource(options);
  const history = memoryHistory(options.history);
  const ui = await renderUi(<InspectApp source={source} history={history} columns={options.columns ?? 80} rows={options.rows ?? 24} />);
  await ui.waitForText('pattern-db inspect');
  return { ...ui, source, calls, history };
}

export const KEYS = {
  escape: '\u001B',
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
  ctrlD: '\u0004',
} as const;
