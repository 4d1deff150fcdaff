// What a database must hold for Pattern to work: its defined tables and the indexes its search needs, read from
// Pattern's schema (pattern-schema.ts; pattern-facts §2.2, §2.6). Pattern creates the indexes only in its v1
// migration, so a database whose system_metadata says version >= 1 never gets missing ones back.
import { PATTERN_FULL_TEXT, PATTERN_TABLES, PATTERN_VECTOR_TABLES, vectorIndexName } from './pattern-schema.js';
import { analyzerStatement, fullTextIndexStatement, vectorIndexStatement, type SyntaxMajor } from './pattern-schema-text.js';

export const PATTERN_DEFINED_TABLES: readonly string[] = PATTERN_TABLES.map((t) => t.name);

export type SearchIndexKind = 'full-text' | 'vector';

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

/** A repair: leaves a definition that exists alone, whatever Pattern's own text does. */
const repair = (statement: (major: SyntaxMajor) => string): Readonly<Record<SyntaxMajor, string>> => ({
  2: `${statement(2)};`,
  3: `${statement(3)};`,
});

export const PATTERN_ANALYZERS: readonly RequiredAnalyzer[] = PATTERN_FULL_TEXT.map(({ analyzer }) => ({
  name: analyzer,
  statements: repair(() => analyzerStatement(analyzer, 'IF NOT EXISTS')),
}));

const fullText: RequiredIndex[] = PATTERN_FULL_TEXT.flatMap(({ analyzer, indexes }) =>
  indexes.map((index) => ({
    name: index.name,
    table: index.table,
    kind: 'full-text' as const,
    usedFor: `full-text search of ${index.table}.${index.field} (\`${index.field} @1@ $q\`)`,
    statements: repair((major) => fullTextIndexStatement(index, analyzer, major, 'IF NOT EXISTS')),
  })),
);

const vector: RequiredIndex[] = PATTERN_VECTOR_TABLES.map((table) => ({
  name: vectorIndexName(table),
  table,
  kind: 'vector' as const,
  usedFor: `vector search of ${table}.embedding`,
  statements: repair(() => vectorIndexStatement(table, 'IF NOT EXISTS')),
}));

export const PATTERN_SEARCH_INDEXES: readonly RequiredIndex[] = [...fullText, ...vector];
