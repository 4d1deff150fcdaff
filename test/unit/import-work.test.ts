import { describe, expect, it } from 'vitest';
import type { IndexDefinition } from '../../src/core/index-definition.js';
import { INDEX_BUILD_COST, indexCost, planImportWork } from '../../src/core/import-work.js';

const PATTERN_INDEXES: IndexDefinition[] = [
  { name: 'mem_value_search', table: 'mem', kind: 'full-text' },
  { name: 'mem_vector_idx', table: 'mem', kind: 'vector' },
  { name: 'msg_content_search', table: 'msg', kind: 'full-text' },
  { name: 'msg_vector_idx', table: 'msg', kind: 'vector' },
];
const COUNTS = { agent: 6, mem: 53, msg: 300, agent_messages: 315 };

describe('planImportWork', () => {
  it('counts every record once and each index by its kind and its table’s records', () => {
    const work = planImportWork(COUNTS, PATTERN_INDEXES, 2);
    expect(work.records).toBe(674);
    expect(work.indexes.map((i) => [i.name, i.tableRecords, i.cost])).toEqual([
      ['mem_value_search', 53, 100 + 100 * 53],
      ['mem_vector_idx', 53, 100 + 0.7 * 53],
      ['msg_content_search', 300, 100 + 100 * 300],
      ['msg_vector_idx', 300, 100 + 0.7 * 300],
    ]);
    expect(work.total).toBeCloseTo(674 + work.indexes.reduce((s, i) => s + i.cost, 0));
  });

  it('makes the index phase most of a 2.x import, as measured, and a small part of a 3.x one', () => {
    const share = (major: 2 | 3) => {
      const work = planImportWork(COUNTS, PATTERN_INDEXES, major);
      return (work.total - work.records) / work.total;
    };
    expect(share(2)).toBeGreaterThan(0.9);
    expect(share(3)).toBeLessThan(share(2));
    expect(share(3)).toBeGreaterThan(0.5); // four requests and 1,000 full-text records still outweigh 674 records
  });

  it('weighs full-text above vector above or equal to plain, on both majors', () => {
    for (const major of [2, 3] as const) {
      const { perRecord } = INDEX_BUILD_COST[major];
      expect(perRecord['full-text']).toBeGreaterThan(perRecord.vector);
      expect(perRecord.vector).toBeGreaterThanOrEqual(perRecord.plain);
      expect(indexCost('full-text', 1000, major)).toBeGreaterThan(indexCost('plain', 1000, major));
    }
  });

  it('gives an index on a table without records only its fixed cost', () => {
    const work = planImportWork({ msg: 10 }, [{ name: 'x', table: 'empty', kind: 'full-text' }], 3);
    expect(work.indexes[0]).toMatchObject({ tableRecords: 0, cost: INDEX_BUILD_COST[3].perIndex });
  });
});
