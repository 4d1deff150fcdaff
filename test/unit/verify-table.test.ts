import { describe, expect, it } from 'vitest';
import { compareTable, type VerifyReport } from '../../src/core/verify-report.js';
import { verifyTableLines } from '../../src/render/verify-table.js';

const method = { records: 'value' as const, reason: 'r', definitions: 'text' as const, source: { engine: 'e', major: 2 }, target: { version: '2.6.5', major: 2 } };

function report(tables: VerifyReport['tables'], definitions: VerifyReport['definitions'] = []): VerifyReport {
  const ok = definitions.length === 0 && tables.every((t) => t.missing + t.extra + t.changed === 0);
  return { ok, method, compared: [], tables, definitions, definitionsCompared: 40, rules: [], secrets: [], records: tables.reduce((n, t) => n + t.source, 0) };
}

describe('the plain verification table', () => {
  it('lists definitions, then every table with source, target and compared records', () => {
    const same = new Map([['agent:1', 'h'], ['agent:2', 'h']]);
    expect(verifyTableLines(report([compareTable('agent', same, new Map(same))]))).toEqual([
      'Verification by value: the target holds exactly what the store holds.',
      '  table          source    target  compared  result',
      '  definitions                            40  identical',
      '  agent               2         2         2  identical',
    ]);
  });

  it('puts a table that differs first and names a record of each kind of difference', () => {
    const ok = compareTable('agent', new Map([['agent:1', 'h']]), new Map([['agent:1', 'h']]));
    const source = new Map([['msg:a', '1'], ['msg:b', '2'], ['msg:c', '3'], ['msg:e', '5']]);
    const bad = compareTable('msg', source, new Map([['msg:a', '1'], ['msg:b', 'X'], ['msg:d', '4']]));
    const lines = verifyTableLines(report([ok, bad], [{ kind: 'indexes', name: 'msg.s', problem: 'missing', source: 'DEFINE INDEX s' }]));
    expect(lines).toEqual([
      'Verification by value: the target differs from the store.',
      '  table          source    target  compared  result',
      '  definitions                            40  1 differ',
      '    missing indexes msg.s',
      '  msg                 4         3         5  2 missing, 1 extra, 1 changed',
      '    missing msg:c and 1 more',
      '    extra msg:d',
      '    changed msg:b',
      '  agent               1         1         1  identical',
    ]);
  });
});
