// Keeps the newest N backups of one namespace/database. Only files with this tool's name for that pair (and, when
// readable, a header naming the same pair) are ever considered; everything else in the folder is left alone.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readArchiveHeader } from './backup-archive.js';
import { backupTimeOf, checksumPath } from './backup-naming.js';

/** This pair's backups among `names`, newest first. */
export function backupsOf(names: string[], namespace: string, database: string): string[] {
  return names
    .map((name) => ({ name, time: backupTimeOf(name, namespace, database) }))
    .filter((b): b is { name: string; time: Date } => b.time !== null)
    .sort((a, b) => b.time.getTime() - a.time.getTime())
    .map((b) => b.name);
}

/** The backups beyond the newest `keep` (at least one is always kept), newest first. Other names are never selected. */
export function selectExpired(names: string[], namespace: string, database: string, keep: number): string[] {
  return backupsOf(names, namespace, database).slice(Math.max(1, keep));
}

export interface RetentionResult {
  deleted: string[];
  /** Backups of this pair still in the folder, newest first. */
  kept: string[];
  /** Selected by name, but left alone because the header inside names another database. */
  skipped: string[];
}

/** Deletes what selectExpired picks (with its .sha256), never `protect` (the backup just made and verified). */
export async function applyRetention(
  dir: string,
  namespace: string,
  database: string,
  keep: number,
  protect: string,
): Promise<RetentionResult> {
  const names = await fs.readdir(dir);
  const expired = selectExpired(names, namespace, database, keep).filter((name) => path.join(dir, name) !== path.resolve(protect));
  const deleted: string[] = [];
  const skipped: string[] = [];
  for (const name of expired) {
    const file = path.join(dir, name);
    const header = await readArchiveHeader(file);
    // A pair like a-b/c and a/b-c shares a name prefix; the header inside says which one it really is.
    if (header && (header.namespace !== namespace || header.database !== database)) {
      skipped.push(file);
      continue;
    }
    await fs.rm(file, { force: true });
    await fs.rm(checksumPath(file), { force: true });
    deleted.push(file);
  }
  const kept = backupsOf(await fs.readdir(dir), namespace, database).map((name) => path.join(dir, name));
  return { deleted, kept, skipped };
}
