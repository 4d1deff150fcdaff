import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { linkedCopy } from '../../src/surreal/store.js';
import { manifestBytes } from '../helpers/surrealkv-manifest.js';
import { tempDir } from '../helpers/temp-folders.js';

const inode = async (dir: string, file: string) => (await fs.stat(path.join(dir, file))).ino;

it("shares a snapshot's table files with its throwaway copy, copies the rest, and names a shared file that changed", async () => {
  const root = await tempDir('linked-copy-');
  const snapshot = path.join(root, 'snapshot');
  for (const dir of ['sstables', 'wal', 'vlog', 'manifest']) await fs.mkdir(path.join(snapshot, dir), { recursive: true });
  await fs.writeFile(path.join(snapshot, 'sstables', '05.sst'), 'table');
  await fs.writeFile(path.join(snapshot, 'wal', '06.wal'), 'log');
  await fs.writeFile(path.join(snapshot, 'vlog', '01.vlog'), 'values');
  await fs.writeFile(path.join(snapshot, 'manifest', '00.manifest'), manifestBytes([[5]]));
  await fs.writeFile(path.join(snapshot, 'LOCK'), '1');

  const copy = await linkedCopy(snapshot, path.join(root, 'copy'));
  expect(await inode(copy.dir, 'sstables/05.sst')).toBe(await inode(snapshot, 'sstables/05.sst'));
  for (const file of ['wal/06.wal', 'vlog/01.vlog', 'manifest/00.manifest']) {
    expect(await inode(copy.dir, file)).not.toBe(await inode(snapshot, file));
    expect(await fs.readFile(path.join(copy.dir, file))).toEqual(await fs.readFile(path.join(snapshot, file)));
  }
  await expect(fs.stat(path.join(copy.dir, 'LOCK'))).rejects.toThrow();
  expect((await fs.stat(path.join(copy.dir, 'wal/06.wal'))).mode & 0o777).toBe(0o600);

  // What a writer does to the copy: append to its log, drop a table file (only the copy's link goes).
  await fs.appendFile(path.join(copy.dir, 'wal/06.wal'), ' more');
  await fs.rm(path.join(copy.dir, 'sstables/05.sst'));
  expect(await copy.changedShared()).toEqual([]);
  expect(await fs.readFile(path.join(snapshot, 'wal/06.wal'), 'utf8')).toBe('log');
  expect(await fs.readFile(path.join(snapshot, 'sstables/05.sst'), 'utf8')).toBe('table');

  // A shared table file written in place would change the snapshot itself: named.
  const again = await linkedCopy(snapshot, path.join(root, 'again'));
  await new Promise((resolve) => setTimeout(resolve, 10));
  // A reader of the snapshot (the census's engine) may drop its name of a table file, or write a new file under it:
  // the shared one is untouched.
  await fs.rm(path.join(snapshot, 'sstables/05.sst'));
  await fs.writeFile(path.join(snapshot, 'sstables/05.sst'), 'a new table');
  expect(await again.changedShared()).toEqual([]);
  await fs.appendFile(path.join(again.dir, 'sstables/05.sst'), '!');
  expect(await again.changedShared()).toEqual(['sstables/05.sst']);
  await fs.rm(root, { recursive: true, force: true });
});

it('copies a table file the manifest does not list: the engine writes its next table in place under that name', async () => {
  const root = await tempDir('linked-copy-');
  const snapshot = path.join(root, 'snapshot');
  for (const dir of ['sstables', 'manifest']) await fs.mkdir(path.join(snapshot, dir), { recursive: true });
  await fs.writeFile(path.join(snapshot, 'sstables', '00000000000000000002.sst'), 'listed');
  await fs.writeFile(path.join(snapshot, 'sstables', '00000000000000000003.sst'), 'torn');
  await fs.writeFile(path.join(snapshot, 'manifest', '00000000000000000001.manifest'), manifestBytes([[2]]));

  const copy = await linkedCopy(snapshot, path.join(root, 'copy'));
  expect(await inode(copy.dir, 'sstables/00000000000000000002.sst')).toBe(await inode(snapshot, 'sstables/00000000000000000002.sst'));
  expect(await inode(copy.dir, 'sstables/00000000000000000003.sst')).not.toBe(await inode(snapshot, 'sstables/00000000000000000003.sst'));
  // What the census's engine does on the snapshot while the export reads the copy: the copy keeps its own file.
  await fs.writeFile(path.join(snapshot, 'sstables', '00000000000000000003.sst'), 'a new table');
  expect(await fs.readFile(path.join(copy.dir, 'sstables/00000000000000000003.sst'), 'utf8')).toBe('torn');
  expect(await copy.changedShared()).toEqual([]);

  // A manifest this code cannot read: nothing is shared.
  await fs.writeFile(path.join(snapshot, 'manifest', '00000000000000000001.manifest'), 'not a manifest');
  const unsure = await linkedCopy(snapshot, path.join(root, 'unsure'));
  expect(await inode(unsure.dir, 'sstables/00000000000000000002.sst')).not.toBe(await inode(snapshot, 'sstables/00000000000000000002.sst'));
  await fs.rm(root, { recursive: true, force: true });
});
