// Whether a folder pattern-db is to fill (a new server's data) can be: an empty folder or nothing yet, under a parent it may write.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A folder as typed: `~` and `~/…` are the home folder, as in a shell; anything else is relative to `cwd`. */
export function resolveFolder(text: string, cwd: string): string {
  return path.resolve(cwd, text === '~' || text.startsWith('~/') ? path.join(os.homedir(), text.slice(1)) : text);
}

/** Whether a folder exists and holds anything: a new server's folder must not (it would start on what it finds). */
export async function holdsFiles(folder: string): Promise<boolean> {
  return (await fs.readdir(folder).catch(() => [])).length > 0;
}

/** Why `folder` cannot hold new data, in the user's words; undefined when it can. */
export async function folderProblem(folder: string): Promise<string | undefined> {
  const absolute = path.resolve(folder);
  const stat = await fs.stat(absolute).catch(() => null);
  if (stat && !stat.isDirectory()) return `${absolute} is a file, not a folder.`;
  if (stat && (await holdsFiles(absolute))) return `${absolute} already holds files (another server's data?): a new server needs a new or empty folder.`;
  let at = absolute;
  while (!(await fs.stat(at).catch(() => null))) at = path.dirname(at);
  const existing = await fs.stat(at);
  if (!existing.isDirectory()) return `${absolute} cannot be created: ${at} is a file.`;
  const writable = await fs.access(at, fs.constants.W_OK | fs.constants.X_OK).then(() => true, () => false);
  if (!writable) return at === absolute ? `${absolute} is not writable.` : `${absolute} cannot be created: ${at} is not writable.`;
  if (at === absolute) return undefined;
  // Made and removed again: some folders refuse what their modes allow (/proc, /sys, a read-only mount).
  const first = path.join(at, path.relative(at, absolute).split(path.sep)[0]!);
  const refused = await fs.mkdir(first).then(() => fs.rmdir(first).then(() => undefined), (error: NodeJS.ErrnoException) => error.code ?? 'error');
  return refused ? `${absolute} cannot be created: ${at} refuses new folders (${refused}).` : undefined;
}
