// An upgrade's export parsed by the real 3.x `surreal validate` in pieces as it is written: a refusal names the line of
// the whole export, whichever piece it is in, and no piece is left on disk.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { ValidateWhileWritten } from '../../src/steps/validate-while-written.js';
import { surrealBin, tempDir } from '../helpers/surreal.js';

/** The statements of an export, each with its newline, as the repair writes them; one spans three lines. */
function exportStatements(bad?: { after: number }): string[] {
  const statements = ['OPTION IMPORT;\n', 'DEFINE TABLE t TYPE ANY SCHEMALESS PERMISSIONS NONE;\n'];
  for (let n = 1; n <= 40; n++) {
    statements.push(n === 7 ? `INSERT [{ id: t:${n},\n  text: 'two\nlines' }];\n` : `INSERT [{ id: t:${n}, a: ${n} }];\n`);
    // SurrealDB 3 has no MTREE index: 2.x exports it as it is.
    if (bad && n === bad.after) statements.push('DEFINE INDEX v ON t FIELDS v MTREE DIMENSION 2;\n');
  }
  return statements;
}

async function validate(statements: string[], pieceFile: string): Promise<unknown> {
  const validator = new ValidateWhileWritten(await surrealBin(3), pieceFile, undefined, 100);
  try {
    for (const statement of statements) await validator.add(Buffer.from(statement));
    await validator.finish();
    return undefined;
  } catch (error) {
    return error;
  }
}

it('refuses at the line of the whole export, in whichever piece it is, and leaves no piece behind', async () => {
  const dir = await tempDir();
  const pieceFile = path.join(dir, 'validate-piece.surql');

  expect(await validate(exportStatements(), pieceFile)).toBeUndefined();

  // OPTION, DEFINE TABLE, 30 INSERTs of which one takes three lines: the index is the export's line 35.
  const refused = await validate(exportStatements({ after: 30 }), pieceFile);
  expect(refused).toBeInstanceOf(PatternDbError);
  expect((refused as PatternDbError).code).toBe('E_EXPORT');
  expect((refused as PatternDbError).message).toMatch(/^surreal validate refused the export at its line 35: Parse error/);
  expect((refused as PatternDbError).evidence).toContain('MTREE');

  expect(await fs.readdir(dir)).toEqual([]);
}, 120_000);
