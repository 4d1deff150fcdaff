import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { linkedCopy } from '../../src/surreal/store.js';

it("shares a snapshot's table files with its throwaway copy, copies the rest, and names a shared file that changed", async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'linked-copy-'));
  const snapshot = path.join(root, 'snapshot');
  for (const dir of ['sstables', 'wal', 'vlog', 'manifest']) await fs.mkdir(path.join(snapshot, dir), { recursive: true });
  await fs.writeFile(path.join(snapshot, 'sstables', '05.sst'), 'table');
  await fs.writeFile(path.join(snapshot, 'wal', '06.wal'), 'log');
  await fs.writeFile(path.join(snapshot, 'vlog', '01.vlog'), 'values');
  await fs.writeFile(path.join(snapshot, 'manifest', '00.manifest'), 'manifest');
  await fs.writeFile(path.join(snapshot, 'LOCK'), '1');

  const copy = await linkedCopy(snapshot, path.join(root, 'copy'));
  const inode = async (dir: string, file: string) => (await fs.stat(path.join(dir, file))).ino;
  expect(await inode(copy.dir, 'sstables/05.sst')).toBe(await inode(snapshot, 'sstables/05.sst'));
  for (const file of ['wal/06.wal', 'vlog/01.vlog', 'manifest/00.manifest']) {
    expect(await inode(copy.dir, file)).not.toBe(await inode(snapshot, file));
    expect(await fs.readFile(path.join(copy.dir, file), 'utf8')).toBe(await fs.readFile(path.join(snapshot, file), 'utf8'));
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
