// The texts below are what SurrealDB 2.6.5 and 3.3.5 printed in INFO FOR DB / INFO FOR TABLE for the same
// definitions, after `surreal export --v3` (2.6.5) and an import into 3.3.5.
import { describe, expect, it } from 'vitest';
import { DefinitionComparer, type Definitions } from '../../src/core/definition-compare.js';
import { upgradeNormaliser } from '../../src/core/definition-upgrade.js';

const TABLES = {
  mem: 'DEFINE TABLE mem TYPE ANY SCHEMALESS PERMISSIONS NONE',
  person: "DEFINE TABLE person TYPE NORMAL SCHEMAFULL COMMENT 'people' CHANGEFEED 1d PERMISSIONS FOR select FULL, FOR create, update WHERE $auth.id = id, FOR delete NONE",
};

function compare(kind: string, source: Record<string, string>, target: Record<string, string>, scope = '') {
  const comparer = new DefinitionComparer(upgradeNormaliser(TABLES));
  comparer.compare({ [kind]: source } as Definitions, { [kind]: target } as Definitions, scope);
  return comparer;
}

const ruleNames = (comparer: DefinitionComparer) => comparer.rules.map((r) => r.rule);

describe('definitions of a 2.x source against its upgraded 3.x target', () => {
  it('drops DEFINE FIELD id … TYPE record and FLEXIBLE on a SCHEMALESS table, by name', () => {
    const result = compare(
      'fields',
      {
        id: 'DEFINE FIELD id ON mem TYPE record PERMISSIONS FULL',
        metadata: 'DEFINE FIELD metadata ON mem FLEXIBLE TYPE object PERMISSIONS FULL',
      },
      { metadata: 'DEFINE FIELD metadata ON mem TYPE object PERMISSIONS FULL' },
      'mem',
    );
    expect(result.differences).toEqual([]);
    expect(ruleNames(result)).toEqual([
      expect.stringMatching(/^`DEFINE FIELD id … TYPE record` is dropped/),
      expect.stringMatching(/^FLEXIBLE is dropped on a SCHEMALESS table/),
    ]);
    expect(result.rules[0]!.examples).toEqual(['mem.id']);
  });

  it('moves FLEXIBLE after the type on a SCHEMAFULL table', () => {
    const result = compare('fields', { meta: 'DEFINE FIELD meta ON person FLEXIBLE TYPE object PERMISSIONS FULL' }, { meta: 'DEFINE FIELD meta ON person TYPE object FLEXIBLE PERMISSIONS FULL' }, 'person');
    expect(result.differences).toEqual([]);
  });

  it('prints option<T> as none | T, nested too', () => {
    const result = compare(
      'fields',
      { embedding: 'DEFINE FIELD embedding ON mem TYPE option<array<float>> PERMISSIONS FULL', x: 'DEFINE FIELD x ON mem TYPE array<option<record<user>>> PERMISSIONS FULL' },
      { embedding: 'DEFINE FIELD embedding ON mem TYPE none | array<float> PERMISSIONS FULL', x: 'DEFINE FIELD x ON mem TYPE array<none | record<user>> PERMISSIONS FULL' },
      'mem',
    );
    expect(result.differences).toEqual([]);
  });

  it('matches `value` and embedding[*] (2.x keys) with value and embedding.* (3.x keys)', () => {
    const result = compare(
      'fields',
      { '`value`': 'DEFINE FIELD `value` ON mem TYPE string PERMISSIONS FULL', 'embedding[*]': 'DEFINE FIELD embedding[*] ON mem TYPE float PERMISSIONS FULL' },
      { value: 'DEFINE FIELD `value` ON mem TYPE string PERMISSIONS FULL', 'embedding.*': 'DEFINE FIELD embedding.* ON mem TYPE float PERMISSIONS FULL' },
      'mem',
    );
    expect(result.differences).toEqual([]);
    expect(ruleNames(result)).toContainEqual(expect.stringMatching(/^fields are matched by their name/));
  });

  it('reads SEARCH … with its B-tree settings as FULLTEXT, keeping BM25 and HIGHLIGHTS', () => {
    const v2 = 'DEFINE INDEX mem_value_search ON mem FIELDS `value` SEARCH ANALYZER mem_value_analyzer BM25(1.2,0.75) DOC_IDS_ORDER 100 DOC_LENGTHS_ORDER 100 POSTINGS_ORDER 100 TERMS_ORDER 100 DOC_IDS_CACHE 100 DOC_LENGTHS_CACHE 100 POSTINGS_CACHE 100 TERMS_CACHE 100 HIGHLIGHTS';
    const v3 = 'DEFINE INDEX mem_value_search ON mem FIELDS `value` FULLTEXT ANALYZER mem_value_analyzer BM25(1.2,0.75) HIGHLIGHTS';
    expect(compare('indexes', { s: v2 }, { s: v3 }, 'mem').differences).toEqual([]);
    expect(compare('indexes', { s: v2 }, { s: v3.replace(' HIGHLIGHTS', '') }, 'mem').differences).toHaveLength(1);
    expect(compare('indexes', { s: v2 }, { s: v3.replace('BM25(1.2,0.75)', 'BM25(1.5,0.75)') }, 'mem').differences).toHaveLength(1);
  });

  it('leaves HNSW indexes alone: both majors print them alike', () => {
    const hnsw = 'DEFINE INDEX mem_vector_idx ON mem FIELDS embedding HNSW DIMENSION 1536 DIST COSINE TYPE F32 EFC 150 M 12 M0 24 LM 0.40242960438184466f';
    const result = compare('indexes', { v: hnsw }, { v: hnsw }, 'mem');
    expect(result.differences).toEqual([]);
    expect(result.rules).toEqual([]);
    expect(compare('indexes', { v: hnsw }, { v: hnsw.replace('1536', '768') }, 'mem').differences).toHaveLength(1);
  });

  it('renames functions, drops a block\'s last semicolon, unescapes `rand`', () => {
    const result = compare(
      'functions',
      {
        isok: 'DEFINE FUNCTION fn::isok($s: string) -> bool { RETURN string::is::email($s) AND time::is::leap_year(time::now()); } PERMISSIONS FULL',
        mkid: 'DEFINE FUNCTION fn::mkid($t: string) { RETURN type::thing($t, rand::guid()); } PERMISSIONS FULL',
      },
      {
        isok: 'DEFINE FUNCTION fn::isok($s: string) -> bool { RETURN string::is_email($s) AND time::is_leap_year(time::now()) } PERMISSIONS FULL',
        mkid: 'DEFINE FUNCTION fn::mkid($t: string) { RETURN type::record($t, `rand`::id()) } PERMISSIONS FULL',
      },
    );
    expect(result.differences).toEqual([]);
    expect(ruleNames(result)).toHaveLength(3);
  });

  it('reads VALUE <future> as COMPUTED, and analyzer filter lists with ", "', () => {
    expect(compare('fields', { age: 'DEFINE FIELD age ON person VALUE <future> { time::now() - born } PERMISSIONS FULL' }, { age: 'DEFINE FIELD age ON person COMPUTED { time::now() - born } PERMISSIONS FULL' }, 'person').differences).toEqual([]);
    expect(compare('analyzers', { a: 'DEFINE ANALYZER simple TOKENIZERS BLANK,CLASS FILTERS ASCII,EDGENGRAM(2,10)' }, { a: 'DEFINE ANALYZER simple TOKENIZERS BLANK,CLASS FILTERS ASCII, EDGENGRAM(2,10)' }).differences).toEqual([]);
  });

  it('groups permissions per action, so only a changed permission differs', () => {
    const regrouped = 'DEFINE TABLE t TYPE NORMAL SCHEMAFULL PERMISSIONS FOR select, delete FULL, FOR create, update NONE';
    const same = compare('tables', { t: 'DEFINE TABLE t TYPE NORMAL SCHEMAFULL PERMISSIONS FOR select FULL, FOR create, update NONE, FOR delete FULL' }, { t: regrouped });
    expect(same.differences).toEqual([]);
    // What 2.6.5's export --v3 did to this table: select FULL (2.x's default, left out of the export) became NONE.
    const lost = compare('tables', { person: TABLES.person }, { person: "DEFINE TABLE person TYPE NORMAL SCHEMAFULL COMMENT 'people' CHANGEFEED 1d PERMISSIONS FOR select, delete NONE, FOR create, update WHERE $auth.id = id" });
    expect(lost.differences).toEqual([expect.objectContaining({ kind: 'tables', name: 'person', problem: 'changed' })]);
  });

  it('reports what no rule covers: a lost DROP, a changed type, a missing index', () => {
    expect(compare('tables', { log: 'DEFINE TABLE log TYPE NORMAL DROP SCHEMALESS PERMISSIONS NONE' }, { log: 'DEFINE TABLE log TYPE NORMAL SCHEMALESS PERMISSIONS NONE' }).differences).toHaveLength(1);
    expect(compare('fields', { n: 'DEFINE FIELD n ON mem TYPE int PERMISSIONS FULL' }, { n: 'DEFINE FIELD n ON mem TYPE string PERMISSIONS FULL' }, 'mem').differences).toHaveLength(1);
    expect(compare('indexes', { v: 'DEFINE INDEX v ON person FIELDS meta.v MTREE DIMENSION 3 DIST EUCLIDEAN' }, {}, 'person').differences).toEqual([
      expect.objectContaining({ problem: 'missing', name: 'person.v' }),
    ]);
    // An id field 3.x would keep (not `TYPE record`) is compared like any other.
    expect(compare('fields', { id: 'DEFINE FIELD id ON mem TYPE string PERMISSIONS FULL' }, {}, 'mem').differences).toHaveLength(1);
  });
});
