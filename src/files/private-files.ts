// What holds the user's data or password hashes (the state folder, snapshots, exports, temporary dumps) is theirs
// alone from the moment it exists: folders 0700, files 0600, given when they are created (the umask can only narrow).
import { closeSync, constants as fsConstants, createWriteStream, fstatSync, openSync, promises as fs, type WriteStream } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * mkdir -p, every folder it creates 0700 (a folder that already exists is left as it is). One level at a time: Node's
 * own recursive mkdir never returns under /proc (mkdir /proc/x is ENOENT, and it makes /proc again, for ever).
 */
export async function makePrivateDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); !(await fs.stat(at).then(() => true, () => false)); at = path.dirname(at)) {
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const folder of missing) {
    await fs.mkdir(folder, { mode: PRIVATE_DIR_MODE }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/**
 * A folder that exists is used only when it is a real folder of this user's: in one another user controls, a link
 * planted in place of a file pattern-db writes (run.lock, the journal, a log, `snapshots`) would send what it writes,
 * or a chmod, to a file of the attacker's choosing.
 */
async function assertOwnFolder(dir: string, what: string, links: 'own links' | 'no links'): Promise<{ mode: number }> {
  const uid = process.getuid?.();
  const refuse = (why: string) =>
    new PatternDbError('E_NOT_WRITABLE', `${what} ${dir} ${why}, so pattern-db does not keep copies of the store or passwords in it.`, {
      fix: `Pass --state-dir with a folder of your own that only you can write to (pattern-db creates it), or remove ${dir}.`,
    });
  const link = await fs.lstat(dir);
  if (link.isSymbolicLink() && (links === 'no links' || (uid !== undefined && link.uid !== uid))) throw refuse('is a symbolic link another user could have made');
  const stat = await fs.stat(dir);
  if (!stat.isDirectory()) throw refuse('is not a folder');
  if (uid !== undefined && stat.uid !== uid) throw refuse(`belongs to another user (uid ${stat.uid})`);
  return { mode: stat.mode & 0o7777 };
}

/**
 * The state folder: created 0700, or, when it exists, a real folder of this user's that no one else may write into
 * (it is not chmod'ed: --state-dir may name a folder the user keeps other things in).
 */
export async function makeStateDir(dir: string): Promise<void> {
  await makePrivateDir(dir);
  await assertOwnStateDir(dir);
}

/** The checks of makeStateDir on a state folder that exists, for what is read from it (a server's pid to stop). */
export async function assertOwnStateDir(dir: string): Promise<void> {
  const { mode } = await assertOwnFolder(dir, 'The state folder', 'own links');
  if (mode & 0o022) {
    throw new PatternDbError('E_NOT_WRITABLE', `The state folder ${dir} can be written by other users (mode ${mode.toString(8)}), so pattern-db does not keep copies of the store or passwords in it.`, {
      fix: `Make it yours alone (chmod go-w ${dir}), or pass --state-dir with another folder (pattern-db creates it 0700).`,
    });
  }
}

/**
 * A folder of pattern-db's own (e.g. `snapshots/` in the state folder): created 0700, and made 0700 if an older
 * run left it open, before anything is put in it.
 */
export async function makeOwnPrivateDir(dir: string): Promise<void> {
  await makePrivateDir(dir);
  await assertOwnFolder(dir, 'The folder', 'no links');
  await fs.chmod(dir, PRIVATE_DIR_MODE);
}

/** A new file (never an existing one), 0600 from its creation, open for writing. */
export function openPrivateFile(file: string): Promise<fs.FileHandle> {
  return fs.open(file, 'wx', PRIVATE_FILE_MODE);
}

/** A new file (never an existing one), 0600 from its creation. */
export function privateWriteStream(file: string): WriteStream {
  return createWriteStream(file, { flags: 'wx', mode: PRIVATE_FILE_MODE });
}

/**
 * Which file a path named when it was made: another process opening the path checks it still names that file. The
 * change time is part of it: a file made in the place of a removed one can get its inode number back at once (ext4).
 */
export interface FileIdentity {
  dev: string;
  ino: string;
  ctimeNs: string;
}

const identityOf = ({ dev, ino, ctimeNs }: { dev: bigint; ino: bigint; ctimeNs: bigint }): FileIdentity => ({ dev: String(dev), ino: String(ino), ctimeNs: String(ctimeNs) });

/**
 * An empty 0600 file for a child process to write into, and its identity: `surreal export` truncates and fills an
 * existing file and keeps its mode, so what it writes is never readable by others, not even while it writes. Refuses
 * an existing file.
 */
export async function createPrivateFile(file: string): Promise<FileIdentity> {
  const handle = await openPrivateFile(file);
  try {
    return identityOf(await handle.stat({ bigint: true }));
  } finally {
    await handle.close();
  }
}

/**
 * The file createPrivateFile made, opened by another process to fill it from its start: never created, never through
 * a link, and refused if the path names another file by now (one put in its place could be readable by others).
 */
export function madeFileWriteStream(file: string, made: FileIdentity): WriteStream {
  const fd = openSync(file, fsConstants.O_WRONLY | fsConstants.O_NOFOLLOW);
  const found = identityOf(fstatSync(fd, { bigint: true }));
  if (found.dev !== made.dev || found.ino !== made.ino || found.ctimeNs !== made.ctimeNs) {
    closeSync(fd);
    throw new Error(`${file} is no longer the file made for the export: something replaced it.`);
  }
  return createWriteStream('', { fd });
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
 * The name of `file`'s temporary beside it, free: a leftover of that name (a crashed run's, or a link planted in a
 * folder others may write to) is removed, so that the temporary is made anew (`wx`) instead of written through.
 */
export async function clearedTemporary(file: string): Promise<string> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.rm(temporary, { force: true });
  return temporary;
}

/**
 * Replaces `file` with `text`, 0600 from the first byte: written to a new file beside it, then renamed over it, so
 * neither a reader nor a crash ever sees half of it, and an older file's looser mode is not kept.
 */
export async function writePrivateFile(file: string, text: string): Promise<void> {
  const temporary = await clearedTemporary(file);
  try {
    await fs.writeFile(temporary, text, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
