import { describe, expect, it } from 'vitest';
import { importRepairer, upgradeRepairer, type StatementRepairer } from '../../src/core/statement-repairs.js';
import { scanStatements, type Statement } from '../../src/core/surql-scan.js';

async function statements(text: string): Promise<Statement[]> {
  const out: Statement[] = [];
  for await (const statement of scanStatements([text])) out.push(statement);
  return out;
}

async function repaired(text: string, ...repairers: StatementRepairer[]): Promise<string[]> {
  let out = await statements(text);
  for (const repairer of repairers) {
    out = out.flatMap((s) => {
      const text = repairer.repair(s);
      return text === null ? [] : [{ ...s, text }];
    });
  }
  return out.map((s) => s.text);
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

describe('statement repairs', () => {
  it('an upgrade drops the id field and FLEXIBLE on SCHEMALESS tables only; data untouched', async () => {
    const upgrade = upgradeRepairer();
    const out = await repaired(V3_EXPORT, upgrade);
    expect(out).not.toContain('DEFINE FIELD id ON msg TYPE record PERMISSIONS FULL;');
    expect(out).toContain('DEFINE FIELD content ON msg TYPE object PERMISSIONS FULL;');
    expect(out).toContain('DEFINE FIELD meta ON strict TYPE object FLEXIBLE PERMISSIONS FULL;');
    expect(out).toContain('DEFINE FIELD embedding.* ON msg TYPE float PERMISSIONS FULL;');
    expect(out).toContain("INSERT [{content:{Text:'DEFINE FIELD id ON msg TYPE record'},id:msg:a}];");
    expect(Object.fromEntries(upgrade.repairs.map((r) => [r.id, r.count]))).toEqual({ 'drop-id-field': 1, 'flexible-on-schemaless': 1 });
    expect(upgrade.repairs.find((r) => r.id === 'drop-id-field')?.examples[0]).toEqual({ before: 'DEFINE FIELD id ON msg TYPE record PERMISSIONS FULL;', after: null });
  });

  it('every import writes element fields (embedding[*], embedding.*) as OVERWRITE, so they cannot fail on "already exists"', async () => {
    const onImport = importRepairer();
    const out = await repaired(
      'DEFINE FIELD embedding ON msg TYPE option<array<float>>;\nDEFINE FIELD embedding[*] ON msg TYPE float;\nDEFINE FIELD OVERWRITE tags[*] ON msg TYPE string;\nDEFINE FIELD id ON msg TYPE record;\nDEFINE FIELD vec.* ON t TYPE float;',
      onImport,
    );
    expect(out).toEqual([
      'DEFINE FIELD embedding ON msg TYPE option<array<float>>;',
      'DEFINE FIELD OVERWRITE embedding[*] ON msg TYPE float;',
      'DEFINE FIELD OVERWRITE tags[*] ON msg TYPE string;',
      'DEFINE FIELD id ON msg TYPE record;',
      'DEFINE FIELD OVERWRITE vec.* ON t TYPE float;',
    ]);
    expect(onImport.repairs.map((r) => [r.id, r.count])).toEqual([['element-field-overwrite', 2]]);
  });
});
