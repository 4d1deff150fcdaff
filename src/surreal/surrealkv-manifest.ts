// Which files of a surrealkv 0.20+ folder are live, read from its newest manifest without opening the store.
//
// The newest manifest/NNN.manifest holds: format version (u16, 1), next table id, log number, last sequence (u64
// each), the levels (u8 count; per level a u32 count of u64 table ids), then the snapshots (u32 count; per snapshot a
// u32 length and that many bytes), all big-endian. Only the tables it lists
// and the WAL segments from its log number on are live: a torn or orphaned .sst beside them (a flush that was cut
// short) is ignored by the engine, which writes its next table under that same name.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface Manifest {
  logNumber: number;
  tables: number[];
  /** The table ids of each level, level 0 first. */
  levels: number[][];
}

/** A file that went away between listing and reading (a live store compacts): undefined, to skip it; rethrows the rest. */
export function gone(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}

export async function filesIn(dir: string, extension: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith(extension)).sort();
}

/** The number a table file or WAL segment is named by: `00000000000000000005.sst` is 5. */
export const idOf = (name: string) => Number(name.slice(0, name.indexOf('.')));

/** The store-relative path of the table file the manifest lists as `id`: 5 is `sstables/00000000000000000005.sst`. */
export const tableFileOf = (id: number) => `sstables/${String(id).padStart(20, '0')}.sst`;

/** The newest manifest file's name inside the store (`manifest/NNN.manifest`), or undefined when there is none. */
async function newestManifest(storeDir: string): Promise<string | undefined> {
  const newest = (await filesIn(path.join(storeDir, 'manifest'), '.manifest')).at(-1);
  return newest && path.join('manifest', newest);
}

/** A manifest's contents; 'ends early' when it stops before what its header says it holds; null for a format this code does not read. */
function parseManifest(bytes: Buffer): Manifest | 'ends early' | null {
  if (bytes.length >= 2 && bytes.readUInt16BE(0) !== 1) return null;
  if (bytes.length < 27) return 'ends early';
  const logNumber = Number(bytes.readBigUInt64BE(10));
  const levels: number[][] = [];
  let at = 27;
  for (let level = bytes[26]!; level > 0; level--) {
    if (at + 4 > bytes.length) return 'ends early';
    const count = bytes.readUInt32BE(at);
    at += 4;
    if (at + count * 8 > bytes.length) return 'ends early';
    const ids: number[] = [];
    for (let i = 0; i < count; i++, at += 8) ids.push(Number(bytes.readBigUInt64BE(at)));
    levels.push(ids);
  }
  // @surrealdb/node 3.0's engine never answers the open of a manifest cut inside its snapshots (or their count).
  if (at + 4 > bytes.length) return 'ends early';
  for (let snapshots = bytes.readUInt32BE(at), next = at + 4; snapshots > 0; snapshots--) {
    if (next + 4 > bytes.length) return 'ends early';
    next += 4 + bytes.readUInt32BE(next);
    if (next > bytes.length) return 'ends early';
  }
  return { logNumber, tables: levels.flat(), levels };
}

/** The live tables and first live WAL segment, from the newest manifest; null when there is none this code can read. */
export async function readManifest(storeDir: string): Promise<Manifest | null> {
  const newest = await newestManifest(storeDir);
  if (!newest) return null;
  const bytes = await fs.readFile(path.join(storeDir, newest)).catch(gone);
  const parsed = bytes && parseManifest(bytes);
  return parsed && parsed !== 'ends early' ? parsed : null;
}

/**
 * The newest manifest and its size when it ends before what it must hold: empty (0 bytes), or cut inside its header,
 * its list of tables or its snapshots. Undefined when it is whole, or in a format this code does not read.
 */
export async function manifestCutShort(storeDir: string): Promise<{ file: string; bytes: number } | undefined> {
  const newest = await newestManifest(storeDir);
  if (!newest) return undefined;
  const bytes = await fs.readFile(path.join(storeDir, newest)).catch(gone);
  return bytes && parseManifest(bytes) === 'ends early' ? { file: newest, bytes: bytes.length } : undefined;
}
