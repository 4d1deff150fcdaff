// The snapshot's file copy on a folder shaped like a store, and the room it needs (real stores:
// test/integration/store-snapshot.test.ts).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyStoreFiles } from '../../src/surreal/store-copy.js';
import { freeBytes, snapshotRoomShortfall, type StoreInfo } from '../../src/surreal/store.js';
import { tempDir } from '../helpers/surreal.js';

let previousUmask: number;
beforeAll(() => {
  previousUmask = process.umask(0o022);
});
afterAll(() => {
  process.umask(previousUmask);
});

/** Every file under `dir` with its mode and the sha256 of its bytes, and every folder with its mode. */
async function tree(dir: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const mode = ((await fs.lstat(full)).mode & 0o777).toString(8);
    const kind = entry.isDirectory() ? 'dir' : entry.isFile() ? createHash('sha256').update(await fs.readFile(full)).digest('hex').slice(0, 12) : 'other';
    found[path.relative(dir, full)] = `${mode} ${kind}`;
  }
  return found;
}

async function storeLike(): Promise<string> {
  const store = path.join(await tempDir('pattern-db-store-copy-'), 'pattern.db');
  for (const [file, bytes] of [['sstables/00000000000000000001.sst', 3_000_000], ['sstables/00000000000000000002.sst', 20_000], ['vlog/00000000000000000001.vlog', 700_000], ['wal/00000000000000000001.wal', 1_500_000], ['manifest/00000000000000000000.manifest', 63], ['LOCK', 6]] as const) {
    await fs.mkdir(path.dirname(path.join(store, file)), { recursive: true, mode: 0o755 });
    await fs.writeFile(path.join(store, file), Buffer.alloc(bytes, file), { mode: 0o644 });
  }
  return store;
}

describe('copyStoreFiles', () => {
  it('copies every file but the LOCK, byte for byte, into folders 0700 and files 0600', async () => {
    const store = await storeLike();
    const copy = path.join(path.dirname(store), 'copy');
    await copyStoreFiles(store, copy);
    const original = await tree(store);
    const copied = await tree(copy);
    expect(Object.keys(copied).sort()).toEqual(Object.keys(original).filter((name) => name !== 'LOCK').sort());
    for (const [name, entry] of Object.entries(copied)) {
      const [mode, kind] = entry.split(' ');
      expect(kind, name).toBe(original[name]!.split(' ')[1]);
      expect(mode, name).toBe(kind === 'dir' ? '700' : '600');
    }
    expect(((await fs.stat(copy)).mode & 0o777).toString(8)).toBe('700');
  });

  it('refuses a folder that exists already, and writes nothing into it', async () => {
    const store = await storeLike();
    const copy = path.join(path.dirname(store), 'there');
    await fs.mkdir(copy);
    await expect(copyStoreFiles(store, copy)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await fs.readdir(copy)).toEqual([]);
  });

  it('fails on a file it cannot read (a link to nothing)', async () => {
    const store = await storeLike();
    await fs.symlink(path.join(store, 'gone'), path.join(store, 'wal', 'dangling.wal'));
    const copy = path.join(path.dirname(store), 'copy');
    await expect(copyStoreFiles(store, copy)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('the room a snapshot needs', () => {
  const storeOf = (bytes: number): StoreInfo => ({ path: '/srv/pattern.db', format: 'surrealkv-3.0', formatEvidence: [], bytes, files: 1, holder: null });

  it('refuses a store larger than the free space of the state folder, saying both sizes and where', async () => {
    const dir = await tempDir('room-');
    const free = await freeBytes(dir);
    const refused = await snapshotRoomShortfall(storeOf(free), dir);
    expect(refused).toMatchObject({ code: 'E_DISK_FULL', message: expect.stringContaining(`is free for ${dir}`), fix: expect.stringContaining('--state-dir') });
    expect(refused?.message).toContain(`needs ${(free / 1e6).toFixed(1)} MB`);
    expect(await snapshotRoomShortfall(storeOf(1024), dir)).toBeNull();
  });
});
