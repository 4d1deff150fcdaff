// A SurrealDB 3 store's table files (sstables/) or manifest damaged. A block that fails its checksum fails every read
// that reaches it: SurrealDB says so, as a failed statement. A table file the manifest lists that is missing, empty (an
// unclean shutdown can leave one at 0 bytes: surrealdb#7426) or cut short stops a surreal 3 server from opening the
// store at all ("Failed to load manifest"), and @surrealdb/node 3.0's engine from ever answering its open: it is
// refused before either runs. So is a manifest left empty or cut short: a surreal 3 stops reading it ("failed to fill
// whole buffer"), and the engine never answers its open.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { manifestCutShort, readManifest, tableFileOf } from './surrealkv-manifest.js';
import { errorText } from '../core/error-text.js';

/** What SurrealDB 3 answers when a block of one of the store's table files fails its checksum on a read. */
const UNREADABLE = /SSTable error: [^"\n]*|checksum verification failed[^"\n]*/;
/** surrealkv refuses a table file smaller than its footer. */
const SMALLEST_TABLE_BYTES = 50;
/**
 * The last 8 bytes of every whole table file (surrealkv's TABLE_MAGIC_FOOTER_ENCODED, the same in the 0.20 of
 * @surrealdb/node 3.0 and the 0.21 of surreal 3.3): a file cut short, or its end overwritten, does not end with them.
 */
const TABLE_FOOTER_MAGIC = Buffer.from('57fb808b247547db', 'hex');

/** What every damage found on pattern-db's copy says first. */
export const COPY_DAMAGED = "The store itself was not changed: this happened to pattern-db's copy.";
/** What to do about damage that nothing reads past. */
export const KEEP_A_COPY = 'Copy the store folder somewhere safe first (cp -a), then restore it from a backup if you have one; nothing in pattern-db reads past this damage.';

/**
 * E_STORE_DAMAGED for a read of the store's copy that failed on a damaged table file: SurrealDB says so (unlike a
 * damaged log), but as a failed statement, whose fix would be about the statement. Undefined for any other failure.
 */
export function unreadableDamage(error: unknown): PatternDbError | undefined {
  const text = errorText(error);
  const found = UNREADABLE.exec(text)?.[0];
  if (!found) return undefined;
  return new PatternDbError('E_STORE_DAMAGED', `SurrealDB cannot read part of the store: a file of it is damaged (${found.trim()}).`, {
    evidence: error instanceof PatternDbError && error.evidence ? `${text}\n${error.evidence}` : text,
    fix: `${COPY_DAMAGED} Whatever reads that part of the store fails the same way, Pattern included. ${KEEP_A_COPY}`,
  });
}

/** What is wrong with a table file the manifest lists, or undefined when it looks whole from its size and its end. */
async function notWhole(file: string): Promise<string | undefined> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return 'is missing';
  try {
    const { size } = await handle.stat();
    if (size < SMALLEST_TABLE_BYTES) return `holds ${size} bytes`;
    const end = Buffer.alloc(TABLE_FOOTER_MAGIC.length);
    await handle.read(end, 0, end.length, size - end.length);
    return end.equals(TABLE_FOOTER_MAGIC) ? undefined : `does not end as a table file does (${size} bytes: cut short, or its end overwritten)`;
  } finally {
    await handle.close();
  }
}

/** E_STORE_DAMAGED for a 3.x store folder whose manifest lists a table file that is missing, too small or cut short. */
export async function tableFilesNotWhole(folder: string): Promise<PatternDbError | undefined> {
  const manifest = await readManifest(folder);
  if (!manifest) return undefined;
  const wrong: string[] = [];
  for (const id of manifest.tables) {
    const name = tableFileOf(id);
    const found = await notWhole(path.join(folder, name));
    if (found) wrong.push(`${name} ${found}`);
  }
  if (!wrong.length) return undefined;
  return new PatternDbError('E_STORE_DAMAGED', `The store's manifest lists table files that are not there whole (${wrong.join('; ')}): SurrealDB 3 cannot open the store.`, {
    evidence: `manifest: log ${manifest.logNumber}, tables ${manifest.tables.join(', ')}`,
    fix: `A crash while SurrealDB wrote the store can leave a table file empty or cut short (surrealdb#7426); neither Pattern nor a surreal 3 opens the store as it is, and the store itself was not changed. ${KEEP_A_COPY}`,
  });
}

/** A surreal 3 logs the first before it reads the manifest, the second once it has; a failed start between them failed on it. */
const LOADING_MANIFEST = /Loading manifest from "[^"]*\/(manifest\/[^"/]+)"/;
const MANIFEST_LOADED = /Manifest loaded successfully/;
/** Rust's words for a read that met the end of its file before what it expected. */
const ENDED_EARLY = /failed to fill whole buffer/;

/** The manifest a failed start of a surreal 3 ended on, as its lines tell; undefined when it got past it or failed otherwise. */
function manifestAServerStoppedIn(lines: readonly string[]): string | undefined {
  let loading = lines.length - 1;
  while (loading >= 0 && !LOADING_MANIFEST.test(lines[loading]!)) loading--;
  if (loading < 0) return undefined;
  const after = lines.slice(loading + 1);
  if (after.some((line) => MANIFEST_LOADED.test(line)) || !after.some((line) => ENDED_EARLY.test(line))) return undefined;
  return LOADING_MANIFEST.exec(lines[loading]!)![1];
}

/**
 * E_STORE_DAMAGED for a 3.x store folder whose newest manifest is empty or ends early: read from the file, or (for a
 * cut this code cannot see, such as its last bytes) from the lines of a surreal 3 that failed to start on it.
 */
export async function manifestNotWhole(folder: string, serverLines: readonly string[] = []): Promise<PatternDbError | undefined> {
  // A SurrealDB 2 store (clog/) keeps a manifest of another format.
  if (await fs.stat(path.join(folder, 'clog')).then(() => true, () => false)) return undefined;
  const cut = await manifestCutShort(folder);
  const file = cut?.file ?? manifestAServerStoppedIn(serverLines);
  if (!file) return undefined;
  const bytes = cut?.bytes ?? (await fs.stat(path.join(folder, file)).catch(() => null))?.size;
  const what = bytes === 0 ? 'is empty (0 bytes)' : `ends before what it must hold${bytes === undefined ? '' : ` (${bytes} bytes)`}`;
  return new PatternDbError('E_STORE_DAMAGED', `The store's manifest, ${file}, ${what}: SurrealDB 3 cannot open the store.`, {
    evidence: [`${file}: ${bytes ?? '?'} bytes`, ...serverLines.filter((line) => LOADING_MANIFEST.test(line) || / ERROR /.test(line))].join('\n'),
    fix: `A crash while SurrealDB wrote the store can leave its manifest (the list of its files) empty or cut short; neither Pattern nor a surreal 3 opens the store as it is, and the store itself was not changed. ${KEEP_A_COPY}`,
  });
}
