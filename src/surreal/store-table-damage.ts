// A SurrealDB 3 store's table files (sstables/) damaged. A block that fails its checksum fails every read that reaches
// it: SurrealDB says so, as a failed statement. A table file the manifest lists that is missing or empty (an unclean
// shutdown can leave one at 0 bytes: surrealdb#7426) stops a surreal 3 server from opening the store at all ("Failed
// to load manifest"), and @surrealdb/node 3.0's engine from ever answering its open: it is refused before either runs.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { readManifest } from './surrealkv-manifest.js';

/** What SurrealDB 3 answers when a block of one of the store's table files fails its checksum on a read. */
const UNREADABLE = /SSTable error: [^"\n]*|checksum verification failed[^"\n]*/;
/** surrealkv refuses a table file smaller than its footer. */
const SMALLEST_TABLE_BYTES = 50;

/** What every damage found on pattern-db's copy says first. */
export const COPY_DAMAGED = "The store itself was not changed: this happened to pattern-db's copy.";
/** What to do about damage that nothing reads past. */
export const KEEP_A_COPY = 'Copy the store folder somewhere safe first (cp -a), then restore it from a backup if you have one; nothing in pattern-db reads past this damage.';

/**
 * E_STORE_DAMAGED for a read of the store's copy that failed on a damaged table file: SurrealDB says so (unlike a
 * damaged log), but as a failed statement, whose fix would be about the statement. Undefined for any other failure.
 */
export function unreadableDamage(error: unknown): PatternDbError | undefined {
  const text = error instanceof Error ? error.message : String(error);
  const found = UNREADABLE.exec(text)?.[0];
  if (!found) return undefined;
  return new PatternDbError('E_STORE_DAMAGED', `SurrealDB cannot read part of the store: a file of it is damaged (${found.trim()}).`, {
    evidence: error instanceof PatternDbError && error.evidence ? `${text}\n${error.evidence}` : text,
    fix: `${COPY_DAMAGED} Whatever reads that part of the store fails the same way, Pattern included. ${KEEP_A_COPY}`,
  });
}

/** E_STORE_DAMAGED for a 3.x store folder whose manifest lists a table file that is missing or too small to be one. */
export async function missingTableFiles(folder: string): Promise<PatternDbError | undefined> {
  const manifest = await readManifest(folder);
  if (!manifest) return undefined;
  const wrong: string[] = [];
  for (const id of manifest.tables) {
    const name = `sstables/${String(id).padStart(20, '0')}.sst`;
    const stat = await fs.stat(path.join(folder, name)).catch(() => null);
    if (!stat) wrong.push(`${name} is missing`);
    else if (stat.size < SMALLEST_TABLE_BYTES) wrong.push(`${name} holds ${stat.size} bytes`);
  }
  if (!wrong.length) return undefined;
  return new PatternDbError('E_STORE_DAMAGED', `The store's manifest lists table files that are not there whole (${wrong.join('; ')}): SurrealDB 3 cannot open the store.`, {
    evidence: `manifest: log ${manifest.logNumber}, tables ${manifest.tables.join(', ')}`,
    fix: `A crash while SurrealDB wrote the store can leave a table file empty (surrealdb#7426); neither Pattern nor a surreal 3 opens the store as it is, and the store itself was not changed. ${KEEP_A_COPY}`,
  });
}
