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

export interface RetentionResult {
  deleted: string[];
  /** Backups of this pair still in the folder, newest first. */
  kept: string[];
  /** Named like this pair's backups, but left alone because the header inside names another database. */
  skipped: string[];
}

/**
 * Deletes this pair's backups beyond the newest `keep` (at least one is always kept; other names are never touched),
 * with their .sha256, never `protect` (the backup just made and verified). A name is not enough: a-b/c and a/b-c share
 * the prefix a-b-c-, so a file whose header names another pair is neither counted nor deleted (a file without a
 * readable header goes by its name).
 */
export async function applyRetention(
  dir: string,
  namespace: string,
  database: string,
  keep: number,
  protect: string,
): Promise<RetentionResult> {
  const own: string[] = [];
  const skipped: string[] = [];
  for (const name of backupsOf(await fs.readdir(dir), namespace, database)) {
    const file = path.join(dir, name);
    const header = await readArchiveHeader(file);
    if (header && (header.namespace !== namespace || header.database !== database)) skipped.push(file);
    else own.push(file);
  }
  const deleted: string[] = [];
  for (const file of own.slice(Math.max(1, keep)).filter((f) => f !== path.resolve(protect))) {
    await fs.rm(file, { force: true });
    await fs.rm(checksumPath(file), { force: true });
    deleted.push(file);
  }
  return { deleted, kept: own.filter((file) => !deleted.includes(file)), skipped };
}
