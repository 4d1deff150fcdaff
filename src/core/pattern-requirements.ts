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

/** The SurrealDB major whose syntax a statement is written in. */
export type SyntaxMajor = 2 | 3;

export interface RequiredAnalyzer {
  name: string;
  /** The same text in both majors. */
  statements: Readonly<Record<SyntaxMajor, string>>;
}

export interface RequiredIndex {
  name: string;
  table: string;
  kind: SearchIndexKind;
  /** What breaks without it. */
  usedFor: string;
  /**
   * What defines it again, per major: 2.x `SEARCH ANALYZER … CONCURRENTLY` as Pattern sends it (2.6.5 cannot parse
   * FULLTEXT), 3.x `FULLTEXT ANALYZER`. Safe to run again (IF NOT EXISTS).
   */
  statements: Readonly<Record<SyntaxMajor, string>>;
}

const both = (statement: string): Readonly<Record<SyntaxMajor, string>> => ({ 2: statement, 3: statement });

export const PATTERN_ANALYZERS: readonly RequiredAnalyzer[] = PATTERN_FULL_TEXT.map(({ analyzer }) => ({
  name: analyzer,
  statements: both(`DEFINE ANALYZER IF NOT EXISTS ${analyzer} TOKENIZERS ${ANALYZER_TOKENIZERS} FILTERS ${ANALYZER_FILTERS};`),
}));

const fullText: RequiredIndex[] = PATTERN_FULL_TEXT.flatMap(({ analyzer, indexes }) =>
  indexes.map(({ name, table, field }) => ({
    name,
    table,
    kind: 'full-text' as const,
    usedFor: `full-text search of ${table}.${field} (\`${field} @1@ $q\`)`,
    statements: {
      2: `DEFINE INDEX IF NOT EXISTS ${name} ON ${table} FIELDS ${field} SEARCH ANALYZER ${analyzer} BM25 HIGHLIGHTS CONCURRENTLY;`,
      3: `DEFINE INDEX IF NOT EXISTS ${name} ON ${table} FIELDS ${field} FULLTEXT ANALYZER ${analyzer} BM25 HIGHLIGHTS;`,
    },
  })),
);

const vector: RequiredIndex[] = PATTERN_VECTOR_TABLES.map((table) => ({
  name: vectorIndexName(table),
  table,
  kind: 'vector' as const,
  usedFor: `vector search of ${table}.embedding`,
  statements: both(`DEFINE INDEX IF NOT EXISTS ${vectorIndexName(table)} ON ${table} FIELDS embedding HNSW DIMENSION ${EMBEDDING_DIMENSIONS} DIST COSINE;`),
}));

export const PATTERN_SEARCH_INDEXES: readonly RequiredIndex[] = [...fullText, ...vector];
