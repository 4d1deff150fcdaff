// What a database must hold for Pattern to work: its defined tables and the indexes its search needs
// (pattern-facts §2.2, §2.6). Pattern creates the indexes only in its v1 migration, so a database whose
// system_metadata says version >= 1 never gets missing ones back.

export const PATTERN_DEFINED_TABLES = ['user', 'agent', 'task', 'mem', 'event', 'msg', 'tool_call', 'system_metadata'] as const;

export type SearchIndexKind = 'full-text' | 'vector';

export interface RequiredAnalyzer {
  name: string;
  statement: string;
}

export interface RequiredIndex {
  name: string;
  table: string;
  kind: SearchIndexKind;
  /** What breaks without it. */
  usedFor: string;
  /** SurrealDB 3 syntax (2.x wrote SEARCH ANALYZER for FULLTEXT ANALYZER). */
  statement: string;
}

const analyzer = (name: string): RequiredAnalyzer => ({
  name,
  statement: `DEFINE ANALYZER IF NOT EXISTS ${name} TOKENIZERS class FILTERS lowercase, snowball(english);`,
});

const fullText = (name: string, table: string, field: string, analyzerName: string): RequiredIndex => ({
  name,
  table,
  kind: 'full-text',
  usedFor: `full-text search of ${table}.${field} (\`${field} @1@ $q\`)`,
  statement: `DEFINE INDEX IF NOT EXISTS ${name} ON ${table} FIELDS ${field} FULLTEXT ANALYZER ${analyzerName} BM25 HIGHLIGHTS;`,
});

const vector = (table: string): RequiredIndex => ({
  name: `${table}_vector_idx`,
  table,
  kind: 'vector',
  usedFor: `vector search of ${table}.embedding`,
  statement: `DEFINE INDEX IF NOT EXISTS ${table}_vector_idx ON ${table} FIELDS embedding HNSW DIMENSION 1536 DIST COSINE;`,
});

export const PATTERN_ANALYZERS: readonly RequiredAnalyzer[] = [analyzer('msg_content_analyzer'), analyzer('mem_value_analyzer')];

export const PATTERN_SEARCH_INDEXES: readonly RequiredIndex[] = [
  fullText('msg_content_search', 'msg', 'content', 'msg_content_analyzer'),
  fullText('mem_value_search', 'mem', 'value', 'mem_value_analyzer'),
  fullText('mem_desc_search', 'mem', 'description', 'mem_value_analyzer'),
  fullText('mem_label_search', 'mem', 'label', 'mem_value_analyzer'),
  vector('mem'),
  vector('msg'),
  vector('task'),
];
