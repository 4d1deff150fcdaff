// What a store folder holds, entry by entry (kind, size, modification time), read without opening any file: to tell
// whether the store changed while it was copied, and to refuse symbolic links, which a copy would keep as links back
// into the live store (a reader of the "copy" would then write into Pattern's own files), and named pipes and other
// special entries, which a copy would wait on.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { specialEntryError, specialKindOf } from './store-special-entries.js';

/** Relative path → "kind size mtime". SurrealDB 3's LOCK is left out: a program that fails to take the lock still rewrites it. */
export type StoreListing = Map<string, string>;

export async function listStore(storeDir: string): Promise<StoreListing> {
  const listing: StoreListing = new Map();
  for (const entry of await fs.readdir(storeDir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(storeDir, full);
    if (relative === 'LOCK') continue;
    if (entry.isSymbolicLink()) {
      const points = await fs.readlink(full).catch(() => '?');
      throw new PatternDbError('E_STORE_LINK', `The embedded store ${storeDir} holds a symbolic link, ${relative} → ${points}; SurrealDB never writes one, and a copy would keep it pointing at the live files.`, {
        fix: `Replace the link by what it points to (e.g. cp -a --remove-destination "$(readlink -f ${full})" ${full}) with Pattern stopped, or copy the store yourself following links (cp -rL) and pass the copy as --source.`,
      });
    }
    const special = specialKindOf(entry);
    if (special) throw specialEntryError(storeDir, relative, special);
    const stat = await fs.lstat(full, { bigint: true }).catch(() => null);
    if (!stat) listing.set(relative, 'gone');
    else listing.set(relative, `${entry.isDirectory() ? 'dir' : 'file'} ${entry.isDirectory() ? '' : stat.size} ${stat.mtimeNs}`);
  }
  return listing;
}

/** One digest of a listing: equal digests, same entries with the same sizes and times. */
export function listingDigest(listing: StoreListing): string {
  const hash = createHash('sha256');
  for (const [name, entry] of [...listing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${name}\0${entry}\n`);
  return hash.digest('hex');
}

/** The entries that differ between two listings of the same folder, e.g. "clog/00000001.clog (changed)". */
export function listingChanges(before: StoreListing, after: StoreListing): string[] {
  const changes: string[] = [];
  for (const [name, was] of before) {
    const now = after.get(name);
    if (now === undefined) changes.push(`${name} (removed)`);
    else if (now !== was) changes.push(`${name} (changed)`);
  }
  for (const name of after.keys()) if (!before.has(name)) changes.push(`${name} (new)`);
  return changes.sort();
}
