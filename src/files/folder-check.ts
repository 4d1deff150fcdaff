// Whether a folder pattern-db is to fill (a new server's data) can be: a folder or nothing yet, under a parent it may write.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Why `folder` cannot hold new data, in the user's words; undefined when it can. */
export async function folderProblem(folder: string): Promise<string | undefined> {
  const absolute = path.resolve(folder);
  const stat = await fs.stat(absolute).catch(() => null);
  if (stat && !stat.isDirectory()) return `${absolute} is a file, not a folder.`;
  let at = absolute;
  while (!(await fs.stat(at).catch(() => null))) at = path.dirname(at);
  const existing = await fs.stat(at);
  if (!existing.isDirectory()) return `${absolute} cannot be created: ${at} is a file.`;
  const writable = await fs.access(at, fs.constants.W_OK | fs.constants.X_OK).then(() => true, () => false);
  if (!writable) return at === absolute ? `${absolute} is not writable.` : `${absolute} cannot be created: ${at} is not writable.`;
  return undefined;
}
