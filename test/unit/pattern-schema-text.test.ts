import { describe, expect, it } from 'vitest';
import { PATTERN_SCHEMA_2, PATTERN_SCHEMA_3 } from '../../src/core/pattern-schema-text.js';
import { PATTERN_ANALYZERS, PATTERN_DEFINED_TABLES, PATTERN_SEARCH_INDEXES } from '../../src/core/pattern-requirements.js';

const all = (text: { tables: readonly string[]; indexes: readonly string[] }) => [...text.tables, ...text.indexes];

describe("Pattern's schema text", () => {
  it('is, for SurrealDB 2, what Pattern 2.3.7 sends', () => {
    const text = all(PATTERN_SCHEMA_2);
    expect(text).toContain('DEFINE TABLE OVERWRITE msg SCHEMALESS');
    expect(text).toContain('DEFINE FIELD id ON TABLE msg TYPE record');
    expect(text).toContain('DEFINE FIELD content ON TABLE msg FLEXIBLE TYPE object');
    expect(text).toContain('DEFINE TABLE system_metadata SCHEMALESS');
    expect(text).toContain('DEFINE FIELD schema_version ON system_metadata TYPE int');
    expect(text).toContain('DEFINE ANALYZER msg_content_analyzer TOKENIZERS class FILTERS lowercase, snowball(english)');
    expect(text).toContain(
      'DEFINE INDEX IF NOT EXISTS msg_content_search ON msg FIELDS content SEARCH ANALYZER msg_content_analyzer BM25 HIGHLIGHTS CONCURRENTLY',
    );
    expect(text).toContain('DEFINE INDEX OVERWRITE task_vector_idx ON task FIELDS embedding HNSW DIMENSION 1536 DIST COSINE');
    expect(text.filter((s) => / SEARCH ANALYZER .* CONCURRENTLY$/.test(s))).toHaveLength(4);
    // system_metadata is written by hand, without an id field.
    expect(text.filter((s) => s.startsWith('DEFINE FIELD id '))).toHaveLength(7);
  });

  it('is, for SurrealDB 3, the same schema translated', () => {
    const text = all(PATTERN_SCHEMA_3);
    expect(text.join('\n')).not.toMatch(/FLEXIBLE|SEARCH ANALYZER|CONCURRENTLY|DEFINE FIELD id /);
    expect(text).toContain('DEFINE FIELD content ON TABLE msg TYPE object');
    expect(text).toContain('DEFINE INDEX IF NOT EXISTS mem_label_search ON mem FIELDS label FULLTEXT ANALYZER mem_value_analyzer BM25 HIGHLIGHTS');
    // Everything else is the same statement in both.
    const translate = (s: string) =>
      s.replace(' FLEXIBLE TYPE object', ' TYPE object').replace(' SEARCH ANALYZER ', ' FULLTEXT ANALYZER ').replace(/ CONCURRENTLY$/, '');
    expect(all(PATTERN_SCHEMA_2).filter((s) => !s.startsWith('DEFINE FIELD id ')).map(translate)).toEqual(text);
  });

  it("gives the doctor's requirements", () => {
    expect(PATTERN_DEFINED_TABLES).toEqual(['user', 'agent', 'task', 'mem', 'event', 'msg', 'tool_call', 'system_metadata']);
    expect(PATTERN_ANALYZERS.map((a) => a.name)).toEqual(['msg_content_analyzer', 'mem_value_analyzer']);
    expect(PATTERN_SEARCH_INDEXES.map((i) => `${i.table}.${i.name}:${i.kind}`)).toEqual([
      'msg.msg_content_search:full-text',
      'mem.mem_value_search:full-text',
      'mem.mem_desc_search:full-text',
      'mem.mem_label_search:full-text',
      'mem.mem_vector_idx:vector',
      'msg.msg_vector_idx:vector',
      'task.task_vector_idx:vector',
    ]);
    for (const index of PATTERN_SEARCH_INDEXES) expect(PATTERN_SCHEMA_3.indexes.some((s) => s.includes(` ${index.name} ON ${index.table} `))).toBe(true);
  });

  it("writes the doctor's repairs in the syntax of the database's major", () => {
    const fullText = PATTERN_SEARCH_INDEXES.filter((i) => i.kind === 'full-text');
    // Exactly what Pattern itself sends, and its SurrealDB 3 translation.
    for (const index of fullText) {
      expect(PATTERN_SCHEMA_2.indexes).toContain(index.statements[2].replace(/;$/, ''));
      expect(PATTERN_SCHEMA_3.indexes).toContain(index.statements[3].replace(/;$/, ''));
    }
    for (const required of [...PATTERN_ANALYZERS, ...PATTERN_SEARCH_INDEXES]) expect(required.statements[2]).not.toMatch(/FULLTEXT/);
    for (const required of [...PATTERN_ANALYZERS, ...PATTERN_SEARCH_INDEXES]) expect(required.statements[3]).not.toMatch(/SEARCH ANALYZER|CONCURRENTLY/);
  });
});
