import { expect, it } from 'vitest';
import { parseIndexDefinition } from '../../src/core/index-definition.js';

it('reads name, table and kind from 2.x and 3.x index statements', () => {
  expect(parseIndexDefinition('DEFINE INDEX msg_content_search ON msg FIELDS content SEARCH ANALYZER a BM25(1.2,0.75) DOC_IDS_ORDER 100;')).toEqual({ name: 'msg_content_search', table: 'msg', kind: 'full-text' });
  expect(parseIndexDefinition('DEFINE INDEX IF NOT EXISTS mem_value_search ON mem FIELDS `value` FULLTEXT ANALYZER a BM25 HIGHLIGHTS;')).toEqual({ name: 'mem_value_search', table: 'mem', kind: 'full-text' });
  expect(parseIndexDefinition('DEFINE INDEX OVERWRITE task_vector_idx ON TABLE task FIELDS embedding HNSW DIMENSION 1536 DIST COSINE;')).toEqual({ name: 'task_vector_idx', table: 'task', kind: 'vector' });
  expect(parseIndexDefinition('DEFINE INDEX `by name` ON ⟨odd table⟩ FIELDS name UNIQUE;')).toEqual({ name: 'by name', table: 'odd table', kind: 'plain' });
  expect(parseIndexDefinition('DEFINE TABLE msg SCHEMALESS;')).toBeUndefined();
});
