// A 3.x store's table files: a read failing on a block's checksum is damage, and so is a table file the manifest lists
// that is missing or too small to be one (read from the manifest, without opening the store), or a manifest that ends
// early.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { manifestNotWhole, tableFilesNotWhole, unreadableDamage } from '../../src/surreal/store-table-damage.js';
import { manifestBytes } from '../helpers/surrealkv-manifest.js';
import { tempDir } from '../helpers/temp-folders.js';

/** The last 8 bytes of every whole table file surrealkv writes (as in the stores the tests generate). */
const FOOTER_MAGIC = Buffer.from('57fb808b247547db', 'hex');

/** A whole table file of `bytes` (ending as surrealkv ends one), or the first `bytes` of one. */
const tableFile = (bytes: number, whole = true) => (whole ? Buffer.concat([Buffer.alloc(bytes - FOOTER_MAGIC.length, 7), FOOTER_MAGIC]) : Buffer.alloc(bytes, 7));

async function storeWithTables(listed: number[], files: Record<number, Buffer>): Promise<string> {
  const folder = await tempDir('pattern-db-table-damage-');
  await fs.mkdir(path.join(folder, 'manifest'));
  await fs.mkdir(path.join(folder, 'sstables'));
  await fs.writeFile(path.join(folder, 'manifest', '00000000000000000000.manifest'), manifestBytes([listed]));
  for (const [id, bytes] of Object.entries(files)) await fs.writeFile(path.join(folder, 'sstables', `${id.padStart(20, '0')}.sst`), bytes);
  return folder;
}

it('a table file the manifest lists that is missing, too small or cut short is damage; an unlisted one, or none, is not', async () => {
  const damaged = await storeWithTables([1, 2, 3, 4], { 1: tableFile(4096), 2: tableFile(0, false), 4: tableFile(2048, false) });
  const error = await tableFilesNotWhole(damaged);
  expect(error).toMatchObject({
    code: 'E_STORE_DAMAGED',
    message:
      "The store's manifest lists table files that are not there whole (sstables/00000000000000000002.sst holds 0 bytes; sstables/00000000000000000003.sst is missing; " +
      'sstables/00000000000000000004.sst does not end as a table file does (2048 bytes: cut short, or its end overwritten)): SurrealDB 3 cannot open the store.',
    evidence: 'manifest: log 3, tables 1, 2, 3, 4',
  });
  expect(error?.fix).toContain('surrealdb#7426');
  // An orphaned table beside the listed ones (a flush cut short) is ignored by the engine, and here.
  expect(await tableFilesNotWhole(await storeWithTables([1], { 1: tableFile(4096), 2: tableFile(0, false), 3: tableFile(900, false) }))).toBeUndefined();
  expect(await tableFilesNotWhole(await tempDir('pattern-db-table-damage-'))).toBeUndefined();
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

it('a manifest that is empty or ends inside its list of tables or its snapshots is damage, read from the file; a cut only a server saw, from its lines', async () => {
  const withManifest = async (bytes: Buffer, twoX = false): Promise<string> => {
    const folder = await storeWithTables([], {});
    if (twoX) await fs.mkdir(path.join(folder, 'clog'));
    await fs.writeFile(path.join(folder, 'manifest', '00000000000000000000.manifest'), bytes);
    return folder;
  };
  expect(await manifestNotWhole(await withManifest(Buffer.alloc(0)))).toMatchObject({
    code: 'E_STORE_DAMAGED',
    message: "The store's manifest, manifest/00000000000000000000.manifest, is empty (0 bytes): SurrealDB 3 cannot open the store.",
    evidence: 'manifest/00000000000000000000.manifest: 0 bytes',
  });
  const listing = manifestBytes([[1, 2]]);
  const cutAt = (bytes: number) => `The store's manifest, manifest/00000000000000000000.manifest, ends before what it must hold (${bytes} bytes): SurrealDB 3 cannot open the store.`;
  // Inside its tables' ids, then inside the count of its snapshots (a cut @surrealdb/node 3.0's engine never answered).
  for (const bytes of [listing.length - 7, listing.length - 3]) expect((await manifestNotWhole(await withManifest(listing.subarray(0, bytes))))?.message).toBe(cutAt(bytes));
  expect(await manifestNotWhole(await withManifest(listing))).toBeUndefined();
  const snapshotted = manifestBytes([[1, 2]], [Buffer.alloc(16, 7)]);
  expect((await manifestNotWhole(await withManifest(snapshotted.subarray(0, snapshotted.length - 5))))?.message).toBe(cutAt(snapshotted.length - 5));
  expect(await manifestNotWhole(await withManifest(snapshotted))).toBeUndefined();
  // Another format (a version this code does not read) is not called damage; nor is a SurrealDB 2 store's manifest.
  expect(await manifestNotWhole(await withManifest(Buffer.from([0, 2, 0])))).toBeUndefined();
  expect(await manifestNotWhole(await withManifest(Buffer.alloc(0), true))).toBeUndefined();

  // Whole as far as this code reads it, but a surreal 3 met its end while it loaded it.
  const whole = await withManifest(listing);
  const stopped = [
    `2026-12-05T04:09:01.246507Z  INFO surrealkv::levels: Loading manifest from "${whole}/manifest/00000000000000000000.manifest"`,
    'Goodbye!',
    '2026-12-05T04:09:01.248900Z ERROR surrealdb_server::cli: There was a problem with the datastore: IO error: failed to fill whole buffer',
  ];
  expect((await manifestNotWhole(whole, stopped))?.message).toBe(
    `The store's manifest, manifest/00000000000000000000.manifest, ends before what it must hold (${listing.length} bytes): SurrealDB 3 cannot open the store.`,
  );
  const loaded = [stopped[0]!, '2026-12-05T04:09:01.246600Z  INFO surrealkv::levels: Manifest loaded successfully: version=1, log_number=3', stopped[2]!];
  expect(await manifestNotWhole(whole, loaded)).toBeUndefined();
});
