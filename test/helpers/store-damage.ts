// Damage done to a store folder the way a disk or a crash does it, and what a command may leave behind it.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** A disk that changed one byte halfway through `file`; its size. */
export async function flipByteHalfway(file: string): Promise<number> {
  const size = (await fs.stat(file)).size;
  const handle = await fs.open(file, 'r+');
  try {
    const at = Math.floor(size / 2);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x40;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
  return size;
}

/** A disk that overwrote `bytes` of `file` with zeros from `at` (a fraction of its size: 0 its start, 0.5 its middle). */
export async function zeroBytes(file: string, at: number, bytes: number): Promise<void> {
  const size = (await fs.stat(file)).size;
  const handle = await fs.open(file, 'r+');
  try {
    await handle.write(Buffer.alloc(Math.min(bytes, size)), 0, Math.min(bytes, size), Math.floor(size * at));
  } finally {
    await handle.close();
  }
}

/** The snapshots a command left in `<dir>/.pattern-db` (none, once it is done with the store). */
export async function snapshotsLeftIn(dir: string): Promise<string[]> {
  return fs.readdir(path.join(dir, '.pattern-db', 'snapshots')).catch(() => []);
}
