import { describe, expect, it } from 'vitest';
import { countInRows, tableCountSql } from '../../src/core/table-count.js';

describe('a table\'s count', () => {
  it('is asked by the table\'s quoted name, GROUP ALL', () => {
    expect(tableCountSql('msg')).toBe('SELECT count() FROM `msg` GROUP ALL');
    expect(tableCountSql('a\\b`c')).toBe('SELECT count() FROM `a\\\\b\\`c` GROUP ALL');
  });

  it('is read from its answer, an empty table answering no row', () => {
    expect(countInRows([{ count: 42 }])).toBe(42);
    expect(countInRows([])).toBe(0);
    expect(countInRows(undefined)).toBe(0);
  });
});
