// Pattern's schema as Pattern itself sent it to SurrealDB 2.x (reference/pattern-facts.md §2.3, §2.6): the 3.x fixture
// schema with its documented translations undone — `DEFINE FIELD id … TYPE record` on each entity table, FLEXIBLE
// object fields, SEARCH (not FULLTEXT) indexes built CONCURRENTLY.
import { PATTERN_INDEX_STATEMENTS, PATTERN_TABLE_STATEMENTS } from '../../src/fixture/pattern-schema.js';

const ENTITY_TABLES = new Set(['user', 'agent', 'task', 'mem', 'event', 'msg', 'tool_call']);

function tableStatements2x(): string[] {
  const out: string[] = [];
  for (const statement of PATTERN_TABLE_STATEMENTS) {
    out.push(statement.replace(/ TYPE object$/, ' FLEXIBLE TYPE object'));
    const table = /^DEFINE TABLE OVERWRITE (\w+) SCHEMALESS$/.exec(statement)?.[1];
    // Relation tables are re-declared plainly; only the entity's own declaration carries its id field.
    if (table && ENTITY_TABLES.has(table) && !out.includes(`DEFINE FIELD id ON TABLE ${table} TYPE record`)) {
      out.push(`DEFINE FIELD id ON TABLE ${table} TYPE record`);
    }
  }
  return out;
}

function indexStatements2x(): string[] {
  return PATTERN_INDEX_STATEMENTS.map((s) => s.replace(' FULLTEXT ANALYZER ', ' SEARCH ANALYZER ').replace(/ BM25 HIGHLIGHTS$/, ' BM25 HIGHLIGHTS CONCURRENTLY'));
}

export const PATTERN_SCHEMA_2X: readonly string[] = [...tableStatements2x(), ...indexStatements2x()];
