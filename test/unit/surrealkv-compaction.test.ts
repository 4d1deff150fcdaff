// Which 3.x stores a surreal 3.3.5 compacts as it opens them (and so holds in memory while it exports): read from the
// manifest's levels and the sizes of their table files, as surrealkv 0.21 levels them.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { dueCompaction } from '../../src/surreal/surrealkv-compaction.js';
import { manifestBytes } from '../helpers/surrealkv-manifest.js';
import { tempDir } from '../helpers/temp-folders.js';

const MiB = 1024 * 1024;

/** A store folder whose manifest lists `levels` of tables of the given sizes (sparse files: nothing is written). */
async function storeWithLevels(levels: Array<Array<[id: number, bytes: number]>>): Promise<string> {
  const folder = await tempDir('pattern-db-compaction-');
  await fs.mkdir(path.join(folder, 'manifest'));
  await fs.mkdir(path.join(folder, 'sstables'));
  await fs.writeFile(path.join(folder, 'manifest', '00000000000000000000.manifest'), manifestBytes(levels.map((tables) => tables.map(([id]) => id))));
  for (const [id, bytes] of levels.flat()) {
    const table = path.join(folder, 'sstables', `${String(id).padStart(20, '0')}.sst`);
    await fs.writeFile(table, '');
    await fs.truncate(table, bytes);
  }
  return folder;
}

it('finds none in the levels of the 5,000- and 20,000-message stores, whose exports took 142 and 193 MB', async () => {
  expect(await dueCompaction(await storeWithLevels([[[1, 52 * MiB]]]))).toBeUndefined();
  expect(await dueCompaction(await storeWithLevels([[[7, 50 * MiB], [6, 50 * MiB]], [[5, 184 * MiB]]]))).toBeUndefined();
  // Level 2 holds up to ten times level 1's 256 MiB.
  expect(await dueCompaction(await storeWithLevels([[], [[2, 200 * MiB]], [[1, 2400 * MiB]]]))).toBeUndefined();
});

it('finds level 1 past its 256 MiB, as in the 100,000-message store surreal compacted in 3.1-4.4 GB, with what it merges', async () => {
  const store = await storeWithLevels([[[44, 50 * MiB]], [[43, 380 * MiB]], [[34, 1124 * MiB]]]);
  expect(await dueCompaction(store)).toEqual({ level: 1, levelBytes: 380 * MiB, mergedBytes: 1504 * MiB });
});

it('finds level 0 once it holds four tables, and a deeper level past ten times the one before', async () => {
  expect(await dueCompaction(await storeWithLevels([[[1, MiB], [2, MiB], [3, MiB], [4, MiB]], [[5, 10 * MiB]]]))).toEqual({ level: 0, levelBytes: 4 * MiB, mergedBytes: 14 * MiB });
  expect(await dueCompaction(await storeWithLevels([[], [[1, 100 * MiB]], [[2, 2600 * MiB]]]))).toEqual({ level: 2, levelBytes: 2600 * MiB, mergedBytes: 2600 * MiB });
});

it('finds none where there is no manifest to read (a store this code does not know)', async () => {
  expect(await dueCompaction(await tempDir('pattern-db-compaction-'))).toBeUndefined();
});
