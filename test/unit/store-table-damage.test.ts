// A 3.x store's table files: a read failing on a block's checksum is damage, and so is a table file the manifest lists
// that is missing or too small to be one (read from the manifest, without opening the store).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { missingTableFiles, unreadableDamage } from '../../src/surreal/store-table-damage.js';
import { tempDir } from '../helpers/temp-folders.js';

/** A surrealkv 0.20+ manifest listing `tables` on level 0 (format 1, big-endian). */
function manifest(tables: number[]): Buffer {
  const head = Buffer.alloc(27);
  head.writeUInt16BE(1, 0);
  head.writeBigUInt64BE(BigInt(Math.max(0, ...tables) + 1), 2);
  head.writeBigUInt64BE(3n, 10);
  head.writeBigUInt64BE(100n, 18);
  head[26] = 1;
  const level = Buffer.alloc(4 + tables.length * 8);
  level.writeUInt32BE(tables.length, 0);
  tables.forEach((id, i) => level.writeBigUInt64BE(BigInt(id), 4 + i * 8));
  return Buffer.concat([head, level]);
}

async function storeWithTables(listed: number[], sizes: Record<number, number>): Promise<string> {
  const folder = await tempDir('pattern-db-table-damage-');
  await fs.mkdir(path.join(folder, 'manifest'));
  await fs.mkdir(path.join(folder, 'sstables'));
  await fs.writeFile(path.join(folder, 'manifest', '00000000000000000000.manifest'), manifest(listed));
  for (const [id, bytes] of Object.entries(sizes)) await fs.writeFile(path.join(folder, 'sstables', `${id.padStart(20, '0')}.sst`), Buffer.alloc(bytes));
  return folder;
}

it('a table file the manifest lists that is missing or too small is damage; an unlisted one, or none, is not', async () => {
  const damaged = await storeWithTables([1, 2, 3], { 1: 4096, 2: 0 });
  const error = await missingTableFiles(damaged);
  expect(error).toMatchObject({
    code: 'E_STORE_DAMAGED',
    message:
      "The store's manifest lists table files that are not there whole (sstables/00000000000000000002.sst holds 0 bytes; sstables/00000000000000000003.sst is missing): SurrealDB 3 cannot open the store.",
    evidence: 'manifest: log 3, tables 1, 2, 3',
  });
  expect(error?.fix).toContain('surrealdb#7426');
  // An orphaned table beside the listed ones (a flush cut short) is ignored by the engine, and here.
  expect(await missingTableFiles(await storeWithTables([1], { 1: 4096, 2: 0 }))).toBeUndefined();
  expect(await missingTableFiles(await tempDir('pattern-db-table-damage-'))).toBeUndefined();
});

it('a read that failed on a table file failing its checksum is damage; other failures are not', () => {
  const served = new PatternDbError('E_STATEMENT', 'Statement 1 of 1 failed: There was a problem with the key-value store: There was a problem with a transaction: SSTable error: checksum verification failed for block at 3106197', {
    evidence: 'POST http://127.0.0.1:1/sql → 200, statement index 0',
  });
  expect(unreadableDamage(served)).toMatchObject({
    code: 'E_STORE_DAMAGED',
    message: 'SurrealDB cannot read part of the store: a file of it is damaged (SSTable error: checksum verification failed for block at 3106197).',
    evidence: `${served.message}\nPOST http://127.0.0.1:1/sql → 200, statement index 0`,
  });
  expect(unreadableDamage('There was a problem with a transaction: SSTable error: checksum verification failed for block at 12')?.code).toBe('E_STORE_DAMAGED');
  expect(unreadableDamage(new Error('Parse error: Unexpected token'))).toBeUndefined();
});
