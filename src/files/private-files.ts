// What holds the user's data or password hashes (the state folder, snapshots, exports, temporary dumps) is theirs
// alone from the moment it exists: folders 0700, files 0600, given when they are created (the umask can only narrow).
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** mkdir -p, every folder it creates 0700 (a folder that already exists is left as it is). */
export async function makePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * A folder of pattern-db's own (e.g. `snapshots/` in the state folder): created 0700, and made 0700 if an older
 * run left it open, before anything is put in it.
 */
export async function makeOwnPrivateDir(dir: string): Promise<void> {
  await makePrivateDir(dir);
  await fs.chmod(dir, PRIVATE_DIR_MODE);
}

/**
 * An empty 0600 file for a child process to write into: `surreal export` truncates and fills an existing file and
 * keeps its mode, so what it writes is never readable by others, not even while it writes. Refuses an existing file.
 */
export async function createPrivateFile(file: string): Promise<void> {
  await (await openPrivateFile(file)).close();
}

/** A new file (never an existing one), 0600 from its creation, open for writing. */
export function openPrivateFile(file: string): Promise<fs.FileHandle> {
  return fs.open(file, 'wx', PRIVATE_FILE_MODE);
}

/** A new file (never an existing one), 0600 from its creation. */
export function privateWriteStream(file: string): WriteStream {
  return createWriteStream(file, { flags: 'wx', mode: PRIVATE_FILE_MODE });
}

/** A file made by createPrivateFile, filled from its start by another process than the one that made it: never created. */
export function existingFileWriteStream(file: string): WriteStream {
  return createWriteStream(file, { flags: 'r+' });
}

/**
 * Folders 0700 and files 0600 under `dir`, for a copy that took its source's modes (fs.cp does). Call it while the
 * copy sits in a private folder, so it was never reachable in between.
 */
export async function makeTreePrivate(dir: string): Promise<void> {
  await fs.chmod(dir, PRIVATE_DIR_MODE);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeTreePrivate(full);
    else if (entry.isFile()) await fs.chmod(full, PRIVATE_FILE_MODE);
  }
}

/**
 * Replaces `file` with `text`, 0600 from the first byte: written to a new file beside it, then renamed over it, so
 * neither a reader nor a crash ever sees half of it, and an older file's looser mode is not kept.
 */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await fs.writeFile(temporary, text, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
