// Whether a surreal 3.1+ compacts a SurrealDB 3.0 store's tables as it opens it. surrealkv 0.21 (surreal 3.3.5) keeps
// its tables in levels: level 0 is compacted into level 1 once it holds 4 tables, level 1 into level 2 once it holds
// more than 256 MiB, each level after that ten times more. A store the 3.0 engine wrote past those sizes is compacted
// by the first surreal 3.3.5 that opens it, beside whatever it was asked to do. Measured here with `surreal export`
// on generated stores: at 100,000 messages (levels 0-2 of 53 MB, 399 MB and 1.18 GB) it merged levels 1 and 2 into one
// table of 1.57 GB while it exported, and took 3.1-4.4 GB of memory and 20.6 s (on that compacted copy, 606 MB and
// 8.4 s); at 20,000 messages (52 + 52 MB, then 193 MB: no level past its size) 193 MB.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gone, readManifest, tableFileOf } from './surrealkv-manifest.js';

const LEVEL0_TABLES = 4;
const LEVEL1_BYTES = 256 * 1024 * 1024;
const LEVEL_GROWTH = 10;

export interface DueCompaction {
  /** The level past its size (or, level 0, its number of tables). */
  level: number;
  levelBytes: number;
  /** That level's tables and the next level's, which the compaction merges. */
  mergedBytes: number;
}

/** The first level a surreal 3.3.5 would compact on opening this 3.x store folder; undefined when none is due or the manifest cannot be read. */
export async function dueCompaction(storeDir: string): Promise<DueCompaction | undefined> {
  const manifest = await readManifest(storeDir);
  if (!manifest) return undefined;
  const bytes = async (ids: number[]) => (await Promise.all(ids.map(async (id) => (await fs.stat(path.join(storeDir, tableFileOf(id))).catch(gone))?.size ?? 0))).reduce((a, b) => a + b, 0);
  const levelBytes = await Promise.all(manifest.levels.map(bytes));
  for (const [level, ids] of manifest.levels.entries()) {
    const due = level === 0 ? ids.length >= LEVEL0_TABLES : levelBytes[level]! > LEVEL1_BYTES * LEVEL_GROWTH ** (level - 1);
    if (due) return { level, levelBytes: levelBytes[level]!, mergedBytes: levelBytes[level]! + (levelBytes[level + 1] ?? 0) };
  }
  return undefined;
}
