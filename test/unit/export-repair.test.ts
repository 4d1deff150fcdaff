import { describe, expect, it } from 'vitest';
import { ExportRepairer, hasRepairs } from '../../src/core/export-repair.js';
import { scanStatements, type Statement } from '../../src/core/surql-scan.js';

async function statements(text: string): Promise<Statement[]> {
  const out: Statement[] = [];
  for await (const statement of scanStatements([text])) out.push(statement);
  return out;
}

async function repaired(text: string, from: 2 | 3, to: 2 | 3): Promise<{ out: string[]; repairer: ExportRepairer }> {
  const repairer = new ExportRepairer(from, to);
  const out = (await statements(text)).map((s) => repairer.repair(s)).filter((t): t is string => t !== null);
  return { out, repairer };
}

// What `surreal export --v3` of SurrealDB 2.6.5 writes for Pattern's schema (trimmed).
const V3_EXPORT = `OPTION IMPORT;
DEFINE TABLE msg TYPE ANY SCHEMALESS PERMISSIONS NONE;
DEFINE FIELD content ON msg TYPE object FLEXIBLE PERMISSIONS FULL;
DEFINE FIELD embedding ON msg TYPE option<array<float>> PERMISSIONS FULL;
DEFINE FIELD embedding.* ON msg TYPE float PERMISSIONS FULL;
DEFINE FIELD id ON msg TYPE record PERMISSIONS FULL;
DEFINE TABLE strict TYPE NORMAL SCHEMAFULL PERMISSIONS NONE;
DEFINE FIELD meta ON strict TYPE object FLEXIBLE PERMISSIONS FULL;
INSERT [{content:{Text:'DEFINE FIELD id ON msg TYPE record'},id:msg:a}];
`;

describe('ExportRepairer', () => {
  it('2 → 3: drops the id field, drops FLEXIBLE on SCHEMALESS tables only, overwrites element fields; data untouched', async () => {
    const { out, repairer } = await repaired(V3_EXPORT, 2, 3);
    expect(out).not.toContain('DEFINE FIELD id ON msg TYPE record PERMISSIONS FULL;');
    expect(out).toContain('DEFINE FIELD content ON msg TYPE object PERMISSIONS FULL;');
    expect(out).toContain('DEFINE FIELD meta ON strict TYPE object FLEXIBLE PERMISSIONS FULL;');
    expect(out).toContain('DEFINE FIELD OVERWRITE embedding.* ON msg TYPE float PERMISSIONS FULL;');
    expect(out).toContain("INSERT [{content:{Text:'DEFINE FIELD id ON msg TYPE record'},id:msg:a}];");
    expect(Object.fromEntries(repairer.repairs.map((r) => [r.id, r.count]))).toEqual({
      'drop-id-field': 1,
      'flexible-on-schemaless': 1,
      'element-field-overwrite': 1,
    });
    expect(repairer.repairs.find((r) => r.id === 'drop-id-field')?.examples[0]).toEqual({ before: 'DEFINE FIELD id ON msg TYPE record PERMISSIONS FULL;', after: null });
  });

  it('2 → 2: only the element fields (embedding[*]) become OVERWRITE, so a re-import does not fail on "already exists"', async () => {
    const { out, repairer } = await repaired(
      'DEFINE FIELD embedding ON msg TYPE option<array<float>>;\nDEFINE FIELD embedding[*] ON msg TYPE float;\nDEFINE FIELD OVERWRITE tags[*] ON msg TYPE string;\nDEFINE FIELD id ON msg TYPE record;',
      2,
      2,
    );
    expect(out).toEqual([
      'DEFINE FIELD embedding ON msg TYPE option<array<float>>;',
      'DEFINE FIELD OVERWRITE embedding[*] ON msg TYPE float;',
      'DEFINE FIELD OVERWRITE tags[*] ON msg TYPE string;',
      'DEFINE FIELD id ON msg TYPE record;',
    ]);
    expect(repairer.repairs.map((r) => r.id)).toEqual(['element-field-overwrite']);
  });

  it('3 → 3 has nothing to repair', async () => {
    expect(hasRepairs(3, 3)).toBe(false);
    const { out, repairer } = await repaired(V3_EXPORT, 3, 3);
    expect(out).toHaveLength(9);
    expect(repairer.repairs).toEqual([]);
  });
});
