// The copy of a store's files that a snapshot is: every file but SurrealDB 3's LOCK, into a new folder private to the
// user, the largest files first and two at a time.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeTreePrivate } from '../files/private-files.js';

/**
 * Files copied at once. Within one disk, a file copy is the kernel's (copy_file_range) and keeps a core busy: here a
 * 100,000-message store (1.8 GB, ext4) took fs.cp, one file after another, 3.75-5.23 s with the page cache dropped
 * and 1.62-1.75 s with the store cached; two at a time, 1.55-1.68 s and 0.59-0.74 s.
 */
const COPIES_AT_ONCE = 2;

/**
 * A new file (never over an existing one), as a copy-on-write clone where the platform makes one (Node: a reflink,
 * else its usual copy). A write to either side of a clone never reaches the other: checked on a reflink XFS, where
 * writing a cloned WAL left the store's file as it was. On Linux it changes nothing measurable: copy_file_range
 * already clones on XFS (a 1.7 GB 2.x store in 0.014-0.030 s, with or without the flag), and ext4 copies the bytes.
 */
export const NEW_FILE_CLONED = fs.constants.COPYFILE_EXCL | fs.constants.COPYFILE_FICLONE;

/**
 * Makes `to`, which must not exist, and each folder of the store `from` inside it (0700); the store's files to copy,
 * every one but SurrealDB 3's LOCK.
 */
export async function storeFilesToCopy(from: string, to: string): Promise<Array<{ relative: string; bytes: number }>> {
  await fs.mkdir(to, { mode: 0o700 });
  const files: Array<{ relative: string; bytes: number }> = [];
  for (const entry of await fs.readdir(from, { withFileTypes: true, recursive: true })) {
    const relative = path.relative(from, path.join(entry.parentPath, entry.name));
    if (entry.isDirectory()) {
      await fs.mkdir(path.join(to, relative), { recursive: true, mode: 0o700 });
      continue;
    }
    if (entry.name === 'LOCK') continue;
    const stat = await fs.stat(path.join(from, relative));
    if (!stat.isFile()) throw new Error(`${relative} in the store is ${entry.isSymbolicLink() ? 'a link to a folder' : 'not a file'}; a surrealkv store holds only folders and files`);
    files.push({ relative, bytes: stat.size });
  }
  return files;
}

/**
 * Copies the files of `from` into `to`, which must not exist. A link inside the store is copied as the file it names,
 * never as a link: a program opening the copy must not reach back into the store.
 */
export async function copyStoreFiles(from: string, to: string): Promise<void> {
  await copyFilesTwoAtATime(from, to, await storeFilesToCopy(from, to));
  await makeTreePrivate(to);
}

/** Copies `files` (storeFilesToCopy's, or some of them) from `from` into `to`, whose folders exist. */
export async function copyFilesTwoAtATime(from: string, to: string, files: Array<{ relative: string; bytes: number }>): Promise<void> {
  // The largest first: the last copies to start are the short ones.
  files = [...files].sort((a, b) => b.bytes - a.bytes);
  let next = 0;
  let failed = false;
  const copier = async (): Promise<void> => {
    // Every folder was made while listing.
    for (let file = files[next++]; file && !failed; file = files[next++]) {
      await fs.copyFile(path.join(from, file.relative), path.join(to, file.relative), NEW_FILE_CLONED).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  // Every copier has stopped before a failure is thrown: the caller removes the folder, and nothing may land after.
  const copied = await Promise.allSettled(Array.from({ length: COPIES_AT_ONCE }, copier));
  const failure = copied.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}
