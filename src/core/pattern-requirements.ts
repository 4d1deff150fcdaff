// What a database must hold for Pattern to work: its defined tables and the indexes its search needs, read from
// Pattern's schema (pattern-schema.ts; pattern-facts §2.2, §2.6). Pattern creates the indexes only in its v1
// migration, so a database whose system_metadata says version >= 1 never gets missing ones back.
import {
  ANALYZER_FILTERS,
  ANALYZER_TOKENIZERS,
  EMBEDDING_DIMENSIONS,
  PATTERN_FULL_TEXT,
  PATTERN_TABLES,
  PATTERN_VECTOR_TABLES,
  vectorIndexName,
} from './pattern-schema.js';

export const PATTERN_DEFINED_TABLES: readonly string[] = PATTERN_TABLES.map((t) => t.name);

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
  /** SurrealDB 3 syntax (2.x wrote SEARCH ANALYZER for FULLTEXT ANALYZER); safe to run again (IF NOT EXISTS). */
  statement: string;
}

export const PATTERN_ANALYZERS: readonly RequiredAnalyzer[] = PATTERN_FULL_TEXT.map(({ analyzer }) => ({
  name: analyzer,
  statement: `DEFINE ANALYZER IF NOT EXISTS ${analyzer} TOKENIZERS ${ANALYZER_TOKENIZERS} FILTERS ${ANALYZER_FILTERS};`,
}));

const fullText: RequiredIndex[] = PATTERN_FULL_TEXT.flatMap(({ analyzer, indexes }) =>
  indexes.map(({ name, table, field }) => ({
    name,
    table,
    kind: 'full-text' as const,
    usedFor: `full-text search of ${table}.${field} (\`${field} @1@ $q\`)`,
    statement: `DEFINE INDEX IF NOT EXISTS ${name} ON ${table} FIELDS ${field} FULLTEXT ANALYZER ${analyzer} BM25 HIGHLIGHTS;`,
  })),
);

const vector: RequiredIndex[] = PATTERN_VECTOR_TABLES.map((table) => ({
  name: vectorIndexName(table),
  table,
  kind: 'vector' as const,
  usedFor: `vector search of ${table}.embedding`,
  statement: `DEFINE INDEX IF NOT EXISTS ${vectorIndexName(table)} ON ${table} FIELDS embedding HNSW DIMENSION ${EMBEDDING_DIMENSIONS} DIST COSINE;`,
}));

export const PATTERN_SEARCH_INDEXES: readonly RequiredIndex[] = [...fullText, ...vector];
