import { describe, expect, it } from 'vitest';
import { DefinitionComparer } from '../../src/core/definition-compare.js';
import { compareTable, reportOk } from '../../src/core/verify-report.js';

describe('verification maths', () => {
  it('finds missing, extra and changed records and names some of them', () => {
    const source = new Map([['msg:a', '1'], ['msg:b', '2'], ['msg:c', '3']]);
    const target = new Map([['msg:a', '1'], ['msg:b', 'X'], ['msg:d', '4']]);
    expect(compareTable('msg', source, target)).toEqual({
      table: 'msg',
      source: 3,
      target: 3,
      missing: 1,
      extra: 1,
      changed: 1,
      compared: 4,
      examples: ['msg:b', 'msg:c', 'msg:d'],
      exampleOf: { changed: 'msg:b', missing: 'msg:c', extra: 'msg:d' },
    });
  });

  it('counts every definition it compares, whatever the outcome', () => {
    const comparer = new DefinitionComparer();
    comparer.compare({ indexes: { a: 'DEFINE INDEX a', b: 'DEFINE INDEX b' } }, { indexes: { a: 'DEFINE INDEX a', c: 'DEFINE INDEX c' } }, 'msg');
    expect(comparer.compared).toBe(3);
  });

  it('calls identical tables identical', () => {
    const same = new Map([['a:1', 'h']]);
    const table = compareTable('a', same, new Map(same));
    expect(reportOk([table], [])).toBe(true);
  });

  it('reports a dropped index and ignores whitespace-only differences', () => {
    const source = { indexes: { s: 'DEFINE INDEX s ON msg FIELDS content', v: 'DEFINE INDEX v ON msg  FIELDS embedding' } };
    const target = { indexes: { v: 'DEFINE INDEX v ON msg FIELDS embedding' } };
    const comparer = new DefinitionComparer();
    comparer.compare(source, target, 'msg');
    expect(comparer.differences).toEqual([{ kind: 'indexes', name: 'msg.s', problem: 'missing', source: 'DEFINE INDEX s ON msg FIELDS content' }]);
  });

  it('skips the kinds it is told to ignore', () => {
    const comparer = new DefinitionComparer();
    comparer.compare({ lives: { a: 'x' } }, {}, 't', ['lives']);
    expect(comparer.differences).toEqual([]);
  });
});

describe('computed fields', () => {
  it('are found in either major\'s INFO FOR TABLE, top-level only, by unescaped name', async () => {
    const { computedFields } = await import('../../src/core/computed-fields.js');
    const v2 = { age: 'DEFINE FIELD age ON person VALUE <future> { time::now() - born } PERMISSIONS FULL', born: 'DEFINE FIELD born ON person TYPE datetime PERMISSIONS FULL' };
    const v3 = { '`value`': 'DEFINE FIELD `value` ON t COMPUTED { 1 } PERMISSIONS FULL', 'a.b': 'DEFINE FIELD a.b ON t COMPUTED { 1 } PERMISSIONS FULL', s: "DEFINE FIELD s ON t TYPE string DEFAULT 'COMPUTED' PERMISSIONS FULL" };
    expect(computedFields(v2, v3, undefined)).toEqual(['age', 'value']);
  });
});
