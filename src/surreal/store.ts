// The embedded store on disk: what it is, who holds it, and a snapshot copy to read from.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isDiskFull, PatternDbError } from '../core/errors.js';
import { makeOwnPrivateDir, makeStateDir, makeTreePrivate } from '../files/private-files.js';
import { copyStoreFiles, NEW_FILE_CLONED } from './store-copy.js';
import { howToGetSurreal } from './store-reader.js';
import { parseVersion, writesStoresAfter30 } from '../core/server-version.js';
import { findLockHolder, holdStoreLock, type ProcessRef } from './store-lock.js';
import { listingChanges, listingDigest, listStore } from './store-listing.js';
import { readStorageStamp } from './surrealkv-stamp.js';
import { idOf, readManifest } from './surrealkv-manifest.js';
import type { StoreFormat } from '../core/store-format.js';
import { assertOutsideStore } from '../files/store-overlap.js';
import { assertNoSpecialEntries } from './store-special-entries.js';
import { isProcessAlive } from './process-identity.js';
import { megabytes } from '../core/byte-size.js';

/** What the folder's files tell about the engine that wrote it (see StoreFormat). */
export interface StoreFormatFinding {
  format: StoreFormat;
  /** The SurrealDB version stamped in a 3.1+ store, e.g. "3.3.5". */
  storageVersion?: string;
  /** What the format was told from: the folder's entries, the stamp and the file it was found in. */
  evidence: string[];
}

export interface StoreInfo {
  path: string;
  format: StoreFormat;
  storageVersion?: string;
  formatEvidence: string[];
  bytes: number;
  files: number;
  holder: ProcessRef | null;
}

/** The surrealkv generation from the folder's entries alone: `clog/` is 0.9 (2.x); `sstables/`, `vlog/`, `manifest/`+`wal/` are 0.20+ (3.x). */
export function storeLayoutOf(entries: string[]): 'surrealkv-2' | 'surrealkv-3' | 'unknown' {
  const has = (name: string) => entries.includes(name);
  if (has('clog')) return 'surrealkv-2';
  if (has('sstables') || has('vlog') || (has('manifest') && has('wal'))) return 'surrealkv-3';
  return 'unknown';
}

/** Tells what wrote a store folder without opening it: the layout, then for 3.x the storage-version stamp. */
export async function storeFormatOf(dir: string): Promise<StoreFormatFinding> {
  const entries = (await fs.readdir(dir).catch(() => [] as string[])).sort();
  const evidence = [`${dir}: ${entries.join(', ') || 'empty'}`];
  const layout = storeLayoutOf(entries);
  if (layout !== 'surrealkv-3') return { format: layout, evidence };
  const stamp = await readStorageStamp(dir);
  for (const problem of stamp.unreadable) evidence.push(`not readable as surrealkv: ${problem}`);
  const version = stamp.version ? parseVersion(stamp.version) : null;
  if (!stamp.version || !version) {
    evidence.push('no storage-version stamp (/!vs): written by SurrealDB 3.0 (SurrealDB 3.3+ stamps every store it writes)');
    return { format: 'surrealkv-3.0', evidence };
  }
  evidence.push(`storage-version stamp /!vs = ${stamp.version} (in ${stamp.foundIn})`);
  if (!writesStoresAfter30(version)) return { format: 'surrealkv-3.0', storageVersion: stamp.version, evidence };
  return { format: 'surrealkv-3.1+', storageVersion: stamp.version, evidence };
}

async function folderSize(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const stat = await fs.stat(path.join(entry.parentPath, entry.name)).catch(() => null);
    if (stat) {
      bytes += stat.size;
      files += 1;
    }
  }
  return { bytes, files };
}

/** Reads what the store is without opening it: refuses a path that does not exist, since SurrealDB would create it empty. */
export async function inspectStore(storePath: string): Promise<StoreInfo> {
  const absolute = path.resolve(storePath);
  const stat = await fs.stat(absolute).catch(() => null);
  if (!stat) {
    throw new PatternDbError('E_STORE_MISSING', `The embedded store ${absolute} does not exist.`, {
      fix:
        'Check [database].path in the config, or pass --source DIR. Pattern resolves a relative path against the ' +
        'directory it was started from, not the config file\'s directory. (SurrealDB would silently create an empty store here.)',
    });
  }
  if (!stat.isDirectory()) {
    throw new PatternDbError('E_STORE_NOT_DIR', `${absolute} is a file, but a surrealkv store is a folder.`, {
      fix: 'Point --source (or [database].path) at the store folder, e.g. ./pattern.db.',
    });
  }
  // A store folder reached through a link is copied, and looked for in /proc, where it really is.
  const real = await fs.realpath(absolute);
  // Before anything reads a file of it: a named pipe among them would keep that read waiting.
  await assertNoSpecialEntries(real);
  const [entries, { bytes, files }, { format, storageVersion, evidence }, holder] = await Promise.all([fs.readdir(real), folderSize(real), storeFormatOf(real), findLockHolder(real)]);
  if (files === 0 || format === 'unknown') {
    throw new PatternDbError(
      files === 0 ? 'E_STORE_EMPTY' : 'E_STORE_FORMAT',
      files === 0
        ? `The embedded store ${absolute} is an empty folder: there is nothing to migrate.`
        : `${absolute} does not look like a surrealkv store (found: ${entries.slice(0, 8).join(', ') || 'nothing'}).`,
      {
        fix: 'Point --source at the folder Pattern writes to ([database].path); a wrong path makes SurrealDB create a new, empty store.',
      },
    );
  }
  return {
    path: real,
    format,
    ...(storageVersion ? { storageVersion } : {}),
    formatEvidence: evidence,
    bytes,
    files,
    holder,
  };
}

export function assertStoreFree(info: StoreInfo): void {
  if (!info.holder) return;
  if (info.holder.patternDb) {
    throw new PatternDbError('E_STORE_LOCKED', `The embedded store ${info.path} is being copied by another pattern-db run (process ${info.holder.pid}): a migration, backup, inspection or doctor holds the store while it copies it.`, {
      evidence: info.holder.evidence,
      fix: 'Wait for that copy to finish (seconds, or minutes for a store of gigabytes), then run again.',
    });
  }
  throw new PatternDbError(
    'E_STORE_LOCKED',
    `The embedded store ${info.path} is in use by process ${info.holder.pid} (${info.holder.command}).`,
    {
      evidence: info.holder.evidence,
      fix: 'Stop Pattern (and any other program using the store) first, then run again. Copying a store while it is written can give an inconsistent snapshot.',
    },
  );
}

/** Why `engine` (a SurrealDB 3.0 engine: @surrealdb/node 3.0.x) cannot read a store of this format, or null when it can. */
export function engineCannotRead(
  store: { path: string; format: StoreFormat; storageVersion?: string },
  engine: string,
): PatternDbError | null {
  if (store.format === 'surrealkv-2') {
    return new PatternDbError(
      'E_STORE_FORMAT',
      `${store.path} was written by SurrealDB 2.x (surrealkv 0.9: it has a clog/ folder); ${engine} is SurrealDB 3 and cannot read it.`,
      {
        fix:
          'Export it with a SurrealDB 2.x `surreal` (2.6+ with --v3 for a 3.x server): ' +
          `surreal export --endpoint surrealkv://${store.path} --namespace pattern --database pattern --v3 pattern_export.surql, ` +
          'then import that file. Never point a 3.x program at the original folder: it would write new files into it.',
      },
    );
  }
  if (store.format === 'surrealkv-3.1+') {
    return new PatternDbError(
      'E_STORE_FORMAT',
      `${store.path} was written by SurrealDB ${store.storageVersion ?? '3.1 or later'} (its storage-version stamp), in a format ${engine} cannot read: only SurrealDB 3.1 or later reads it.`,
      {
        fix:
          `A surreal 3.1 or later reads it. ${howToGetSurreal('surrealkv-3.1+')} ` +
          'To read the store by hand, copy the folder and serve the copy with it: surreal start surrealkv://COPY. ' +
          'Never point a program at the original folder: it writes into whatever it opens.',
      },
    );
  }
  return null;
}

/** A copy of a snapshot that shares its table files (see linkedCopy); `changedShared` names any that changed since. */
export interface LinkedCopy {
  dir: string;
  /** Shared files written in place (a name removed or replaced on one side is not a change); call before removing the copy. */
  changedShared(): Promise<string[]>;
}

/**
 * A throwaway copy of a snapshot for a program that writes into whatever it opens (a surreal 3.1+ stamps a 3.0 store).
 * SurrealKV's table files (`sstables/*.sst`) that the manifest lists are never written again (new ones replace them),
 * so they are hard links to the snapshot's: the bulk of the store is not copied. Everything else is copied: the log,
 * value log and manifest, and any table file the manifest does not list (a flush cut short), since the engine writes
 * its next table in place under that name, in both folders at once if it were shared. `changedShared()` holds that
 * promise to account: the snapshot's linked files as they were.
 */
export async function linkedCopy(snapshot: string, to: string): Promise<LinkedCopy> {
  const manifest = await readManifest(snapshot);
  const listed = (name: string) => manifest?.tables.includes(idOf(name)) ?? false;
  // Each shared file (one inode) by both its names. Either side may remove a name, or put a new file under it (a
  // writer that rewrites a table writes a new file); only the shared inode written in place is a change.
  const shared = new Map<string, { names: [string, string]; inode: bigint; was: string }>();
  const stamp = async (file: string) => {
    const stat = await fs.stat(file, { bigint: true }).catch(() => null);
    return stat ? { inode: stat.ino, state: `${stat.size} ${stat.mtimeNs}` } : null;
  };
  await fs.mkdir(to, { mode: 0o700 });
  for (const entry of await fs.readdir(snapshot, { withFileTypes: true, recursive: true })) {
    const from = path.join(entry.parentPath, entry.name);
    const relative = path.relative(snapshot, from);
    const into = path.join(to, relative);
    if (entry.isDirectory()) await fs.mkdir(into, { recursive: true, mode: 0o700 });
    else if (!entry.isFile() || entry.name === 'LOCK') continue;
    else if (path.dirname(relative) === 'sstables' && entry.name.endsWith('.sst') && listed(entry.name)) {
      await fs.mkdir(path.dirname(into), { recursive: true, mode: 0o700 });
      const before = await stamp(from);
      if (!before) continue;
      shared.set(relative, { names: [from, into], inode: before.inode, was: before.state });
      await fs.link(from, into);
    } else {
      await fs.mkdir(path.dirname(into), { recursive: true, mode: 0o700 });
      await fs.copyFile(from, into, NEW_FILE_CLONED);
    }
  }
  await makeTreePrivate(to);
  return {
    dir: to,
    async changedShared() {
      const changed: string[] = [];
      for (const [relative, { names, inode, was }] of shared) {
        for (const name of names) {
          const now = await stamp(name);
          if (now?.inode === inode && now.state !== was) {
            changed.push(relative);
            break;
          }
        }
      }
      return changed;
    },
  };
}

function inUseWhileCopied(info: StoreInfo, what: string, evidence: string): PatternDbError {
  return new PatternDbError('E_STORE_LOCKED', `The embedded store ${info.path} ${what} while it was being copied; the copy was removed.`, {
    evidence,
    fix: 'Stop Pattern (and any other program using the store) first, then run again. A copy of a store that is being written can be inconsistent.',
  });
}

/**
 * Copies the store to a fresh folder and returns its absolute path. Readers open the copy, never the live store:
 * SurrealDB writes into whatever folder it opens (LOCK, WAL), even to read. The copy is refused when the store is in
 * use before, during or right after it: SurrealDB 3's lock on the store is held for the whole copy (so no 3.x program
 * can open it meanwhile), holders are looked for again afterwards (Linux), and the store's entries (sizes, times) must
 * be the same after the copy as before. `copy` is the file copy itself (tests start a holder inside it).
 */
export async function snapshotStore(info: StoreInfo, snapshotsDir: string, copy = copyStoreFiles): Promise<string> {
  return (await snapshotStoreWithDigest(info, snapshotsDir, copy)).snapshot;
}

/** snapshotStore, and a digest of the store's entries (sizes, times) as they were copied: a resume compares it. */
export async function snapshotStoreWithDigest(info: StoreInfo, snapshotsDir: string, copy = copyStoreFiles): Promise<{ snapshot: string; storeDigest: string }> {
  const target = path.resolve(snapshotsDir, `snapshot-${Date.now()}-${process.pid}`);
  // Every command that copies a store (migrate, backup, inspect, the doctor) gets here: a --state-dir in the store stops.
  await assertOutsideStore(snapshotsDir, info.path, 'The snapshot folder (in --state-dir)');
  assertStoreFree({ ...info, holder: await findLockHolder(info.path) });
  const before = await listStore(info.path);
  const lock = await holdStoreLock(info.path);
  try {
    // A copy of every record and password hash: made inside a 0700 folder, then 0700/0600 itself (copyStoreFiles).
    await makeStateDir(path.dirname(snapshotsDir));
    await makeOwnPrivateDir(snapshotsDir);
    await copy(info.path, target);
  } catch (error) {
    await fs.rm(target, { recursive: true, force: true });
    if (error instanceof PatternDbError) throw error;
    const diskFull = isDiskFull(error);
    throw new PatternDbError(
      diskFull ? 'E_DISK_FULL' : 'E_NOT_WRITABLE',
      `Could not copy the store to ${target}: ${(error as Error).message}`,
      {
        fix: diskFull
          ? `Free at least ${Math.ceil(info.bytes / 1e6)} MB on the disk of ${snapshotsDir}, or pass --state-dir on another disk.`
          : `Make ${snapshotsDir} writable, or pass --state-dir DIR.`,
        cause: error,
      },
    );
  } finally {
    await lock?.release();
  }
  // Our own lock is released first: /proc/locks would name the `flock` that took it.
  const holder = await findLockHolder(info.path);
  const changes = await listStore(info.path).then((after) => listingChanges(before, after), (error: unknown) => [String((error as Error).message)]);
  if (holder || changes.length) {
    await fs.rm(target, { recursive: true, force: true });
    throw holder
      ? inUseWhileCopied(info, `was opened by process ${holder.pid} (${holder.command})`, holder.evidence)
      : inUseWhileCopied(info, `changed (${changes.length} ${changes.length === 1 ? 'entry' : 'entries'})`, changes.slice(0, 10).join('\n'));
  }
  return { snapshot: target, storeDigest: listingDigest(before) };
}

/** Whether `stateDir`'s disk has room for a snapshot of the store (its size and a tenth more); the error if not. */
export async function snapshotRoomShortfall(info: StoreInfo, stateDir: string): Promise<PatternDbError | null> {
  const free = await freeBytes(stateDir);
  if (free >= info.bytes * 1.1) return null;
  return new PatternDbError('E_DISK_FULL', `A snapshot of the store needs ${megabytes(info.bytes)}; ${megabytes(free)} is free for ${stateDir}.`, {
    fix: 'Free some disk space, or pass --state-dir DIR on a disk with room.',
  });
}

export async function freeBytes(dir: string): Promise<number> {
  let probe = path.resolve(dir);
  for (;;) {
    const stat = await fs.statfs(probe).catch(() => null);
    if (stat) return stat.bavail * stat.bsize;
    const parent = path.dirname(probe);
    if (parent === probe) return Number.POSITIVE_INFINITY;
    probe = parent;
  }
}

/**
 * Removes the snapshot copies in a state folder that this process made or one that is gone made (only what
 * snapshotStore names, `snapshot-<time>-<pid>`, and the export's throwaway copy of one, `…-export`), then the
 * snapshots folder and the state folder if that left them empty. Never a folder wholesale: a store the user keeps
 * there must survive a refused run; nor another live run's copy (a backup's, say, while a migrate is refused).
 */
export async function removeSnapshots(stateDir: string, alive: (pid: number) => boolean = isProcessAlive): Promise<void> {
  const snapshots = path.join(stateDir, 'snapshots');
  const names = await fs.readdir(snapshots).catch(() => [] as string[]);
  const ownedByNoOtherRun = (name: string) => {
    const match = /^snapshot-\d+(?:-(\d+))?(-export)?$/.exec(name);
    const pid = match?.[1] === undefined ? undefined : Number(match[1]);
    return Boolean(match) && (pid === undefined || pid === process.pid || !alive(pid));
  };
  for (const name of names.filter(ownedByNoOtherRun)) await fs.rm(path.join(snapshots, name), { recursive: true, force: true });
  // rmdir refuses a state folder that holds anything else (a journal, a lock): a dry run's goes.
  await fs.rmdir(snapshots).then(() => fs.rmdir(stateDir)).catch(() => undefined);
}

/** Removes a snapshot copy, then its snapshots folder and the state folder above it if that left them empty. */
export async function removeSnapshot(snapshot: string): Promise<void> {
  await fs.rm(snapshot, { recursive: true, force: true });
  const snapshots = path.dirname(snapshot);
  // rmdir refuses a folder that still holds something (a journal, a managed server's state): those stay.
  await fs.rmdir(snapshots).then(() => fs.rmdir(path.dirname(snapshots))).catch(() => undefined);
}

/** The digest snapshotStoreWithDigest returns, of the store as it is now: equal, and a snapshot made then is still its copy. */
export async function storeDigestNow(storePath: string): Promise<string> {
  return listingDigest(await listStore(storePath));
}
