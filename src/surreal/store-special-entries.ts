// Entries of a store folder that are neither a file nor a folder: a named pipe (FIFO), a socket, a device. SurrealDB
// writes none of them, and pattern-db never copies or opens one: opening a named pipe to read it waits until something
// writes into it, which may be never.
import type { Dirent, Stats } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';

/** What a special entry is, in words; null for a file, a folder or a symbolic link (store-listing.ts refuses links). */
export function specialKindOf(entry: Dirent | Stats): string | null {
  if (entry.isFile() || entry.isDirectory() || entry.isSymbolicLink()) return null;
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  return 'neither a file nor a folder';
}

export function specialEntryError(storeDir: string, relative: string, kind: string): PatternDbError {
  const full = path.join(storeDir, relative);
  return new PatternDbError(
    'E_STORE_FORMAT',
    `The embedded store ${storeDir} holds ${relative}, ${kind}: not a file or a folder. SurrealDB writes only files and folders into a store, and pattern-db does not copy anything else (nor opens it: reading a named pipe waits until something writes into it).`,
    {
      fix: `If ${relative} is not SurrealDB's (another program put it there), remove it with Pattern stopped (rm ${full}) and run again. If ${storeDir} is not Pattern's store, point --source (or [database].path) at the folder Pattern writes to.`,
    },
  );
}

/**
 * Refuses a store folder that holds a special entry, LOCK included, or a symbolic link to one. Only names are read
 * and entries stat'ed: nothing is opened.
 */
export async function assertNoSpecialEntries(storeDir: string): Promise<void> {
  for (const entry of await fs.readdir(storeDir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const target = entry.isSymbolicLink() ? await fs.stat(full).catch(() => null) : entry;
    const kind = target && specialKindOf(target);
    if (!kind) continue;
    const linked = entry.isSymbolicLink() ? `a symbolic link to ${kind}` : kind;
    throw specialEntryError(storeDir, path.relative(storeDir, full), linked);
  }
}
