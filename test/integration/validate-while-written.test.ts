// An upgrade's export parsed by the real 3.x `surreal validate` in pieces as it is written: a refusal names the line of
// the whole export, whichever piece it is in (seen by the writer as soon as that piece is taken, or at the end), and no
// piece is left on disk, nor checked once the export stopped.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { ValidateWhileWritten } from '../../src/steps/validate-while-written.js';
import { countingSurreal } from '../helpers/counting-surreal.js';
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

/** Where the refusal surfaced: `add` when pieces are taken as they come (nothing held), else `finish`. */
async function validate(statements: string[], pieceFile: string, heldBytes?: number): Promise<{ error?: unknown; from?: 'add' | 'finish' }> {
  const validator = new ValidateWhileWritten(await surrealBin(3), pieceFile, undefined, 100, heldBytes);
  try {
    for (const statement of statements) await validator.add(Buffer.from(statement));
  } catch (error) {
    return { error, from: 'add' };
  }
  try {
    await validator.finish();
    return {};
  } catch (error) {
    return { error, from: 'finish' };
  }
}

for (const [held, from] of [[0, 'add'], [undefined, 'finish']] as const) {
  it(`refuses at the line of the whole export, in whichever piece it is, and leaves no piece behind (${held === 0 ? 'each piece taken as it comes' : 'every piece held until the end'})`, async () => {
    const dir = await tempDir();
    const pieceFile = path.join(dir, 'validate-piece.surql');

    expect(await validate(exportStatements(), pieceFile, held)).toEqual({});

    // OPTION, DEFINE TABLE, 30 INSERTs of which one takes three lines: the index is the export's line 35.
    const refused = await validate(exportStatements({ after: 30 }), pieceFile, held);
    expect(refused.from).toBe(from);
    expect(refused.error).toBeInstanceOf(PatternDbError);
    const error = refused.error as PatternDbError;
    expect(error.code).toBe('E_EXPORT');
    expect(error.message).toMatch(/^surreal validate refused the export at its line 35: Parse error/);
    expect(error.evidence).toContain('MTREE');

    expect(await fs.readdir(dir)).toEqual([]);
  }, 120_000);
}

it('checks nothing more once the export stopped, and leaves no piece behind', async () => {
  const dir = await tempDir();
  const surreal = await countingSurreal(await surrealBin(3));
  const validator = new ValidateWhileWritten(surreal.bin, path.join(dir, 'validate-piece.surql'), undefined, 100);
  const statements = exportStatements({ after: 35 });
  for (const statement of statements) await validator.add(Buffer.from(statement));
  await validator.abandon();
  expect(await fs.readdir(dir)).toEqual([]);
  // Of the pieces held, only the one being checked when the export stopped was checked: not the refused index.
  expect((await surreal.commands()).length).toBe(1);
  await expect(validator.finish()).resolves.toBeUndefined();
  expect(await surreal.commands()).toEqual(['validate']);
  expect(await fs.readdir(dir)).toEqual([]);
}, 120_000);
