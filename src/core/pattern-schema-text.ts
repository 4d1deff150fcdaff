// Pattern's schema (pattern-schema.ts) as SurrealQL statements: the SurrealDB 2 text Pattern 2.3.7 sends, or its
// SurrealDB 3 translation. Pattern sent each script without checking statement errors, so what counts is the net
// effect; these are that net effect, once each, without trailing semicolons.
import {
  ANALYZER_FILTERS,
  ANALYZER_TOKENIZERS,
  EMBEDDING_DIMENSIONS,
  PATTERN_FULL_TEXT,
  PATTERN_TABLES,
  PATTERN_VECTOR_TABLES,
  vectorIndexName,
  type FullTextIndex,
  type PatternTable,
} from './pattern-schema.js';

/** The SurrealDB major whose syntax a statement is written in. */
export type SyntaxMajor = 2 | 3;

/** What a DEFINE does when the definition exists: Pattern's own text uses all three. */
export type DefineClause = '' | 'IF NOT EXISTS' | 'OVERWRITE';

export interface PatternSchemaText {
  /** Tables, fields and relation tables, in the order Pattern defines them. */
  tables: readonly string[];
  /** Analyzers, full-text (BM25) and vector (HNSW) indexes from `create_specialized_indices`. */
  indexes: readonly string[];
}

interface Dialect {
  /** The Entity derive declares `DEFINE FIELD id ON TABLE t TYPE record`. */
  idField: boolean;
  /** How a JSON-valued field is declared. */
  objectType: string;
  fullText: 'SEARCH' | 'FULLTEXT';
  /** Suffix of full-text index statements. */
  fullTextSuffix: string;
}

/** Exactly what Pattern's Entity derive and migrations send. */
const PATTERN_2: Dialect = {
  idField: true,
  objectType: 'FLEXIBLE TYPE object',
  fullText: 'SEARCH',
  fullTextSuffix: ' CONCURRENTLY',
};

/**
 * Translations from the 2.x text:
 * - `FLEXIBLE TYPE object` → `TYPE object`: SurrealDB 3 allows FLEXIBLE only on SCHEMAFULL tables, and on a
 *   SCHEMALESS table nested keys are kept anyway.
 * - `DEFINE FIELD id ON TABLE t TYPE record` is left out: SurrealDB 3 reads a type on `id` as the type of the record
 *   key and rejects `record` there.
 * - `SEARCH ANALYZER … BM25` → `FULLTEXT ANALYZER … BM25`.
 * - `CONCURRENTLY` is left out: it is not part of the stored definition, and a generated store wants its indexes
 *   built before it is closed.
 */
const SURREAL_3: Dialect = {
  idField: false,
  objectType: 'TYPE object',
  fullText: 'FULLTEXT',
  fullTextSuffix: '',
};

function tableStatements(table: PatternTable, dialect: Dialect): string[] {
  if (table.writer === 'hand') {
    return [
      `DEFINE TABLE ${table.name} SCHEMALESS`,
      ...table.fields.map(([name, type]) => `DEFINE FIELD ${name} ON ${table.name} TYPE ${type}`),
    ];
  }
  const fields = dialect.idField ? [['id', 'record'] as const, ...table.fields] : table.fields;
  return [
    `DEFINE TABLE OVERWRITE ${table.name} SCHEMALESS`,
    ...fields.map(([name, type]) => `DEFINE FIELD ${name} ON TABLE ${table.name} ${type === 'object' ? dialect.objectType : `TYPE ${type}`}`),
    ...table.relations.map((relation) => `DEFINE TABLE OVERWRITE ${relation} SCHEMALESS`),
  ];
}

const DIALECTS: Readonly<Record<SyntaxMajor, Dialect>> = { 2: PATTERN_2, 3: SURREAL_3 };

const define = (kind: string, clause: DefineClause, rest: string) => `DEFINE ${kind} ${clause ? `${clause} ` : ''}${rest}`;

export const analyzerStatement = (analyzer: string, clause: DefineClause): string =>
  define('ANALYZER', clause, `${analyzer} TOKENIZERS ${ANALYZER_TOKENIZERS} FILTERS ${ANALYZER_FILTERS}`);

export function fullTextIndexStatement(index: FullTextIndex, analyzer: string, major: SyntaxMajor, clause: DefineClause): string {
  const dialect = DIALECTS[major];
  return define('INDEX', clause, `${index.name} ON ${index.table} FIELDS ${index.field} ${dialect.fullText} ANALYZER ${analyzer} BM25 HIGHLIGHTS${dialect.fullTextSuffix}`);
}

export const vectorIndexStatement = (table: string, clause: DefineClause): string =>
  define('INDEX', clause, `${vectorIndexName(table)} ON ${table} FIELDS embedding HNSW DIMENSION ${EMBEDDING_DIMENSIONS} DIST COSINE`);

function indexStatements(major: SyntaxMajor): string[] {
  const fullText = PATTERN_FULL_TEXT.flatMap(({ analyzer, indexes }) => [
    analyzerStatement(analyzer, ''),
    ...indexes.map((index) => fullTextIndexStatement(index, analyzer, major, 'IF NOT EXISTS')),
  ]);
  return [...fullText, ...PATTERN_VECTOR_TABLES.map((table) => vectorIndexStatement(table, 'OVERWRITE'))];
}

function render(major: SyntaxMajor): PatternSchemaText {
  return { tables: PATTERN_TABLES.flatMap((t) => tableStatements(t, DIALECTS[major])), indexes: indexStatements(major) };
}

/** The statements Pattern 2.3.7 itself sends to SurrealDB 2. */
export const PATTERN_SCHEMA_2: PatternSchemaText = render(2);

/** The same schema in SurrealDB 3 syntax. */
export const PATTERN_SCHEMA_3: PatternSchemaText = render(3);

export const patternSchemaText = (major: SyntaxMajor): PatternSchemaText => (major === 2 ? PATTERN_SCHEMA_2 : PATTERN_SCHEMA_3);
