// The embedded store on disk: what it is, who holds it, and a snapshot copy to read from.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { findLockHolder, type ProcessRef } from './store-lock.js';

/** surrealkv 0.20+ (SurrealDB 3.x) is an LSM tree; surrealkv 0.9 (SurrealDB 2.x) is a commit log. */
export type StoreFormat = 'surrealkv-3' | 'surrealkv-2' | 'unknown';

export interface StoreInfo {
  path: string;
  format: StoreFormat;
  bytes: number;
  files: number;
  holder: ProcessRef | null;
}

export function storeFormatOf(entries: string[]): StoreFormat {
  const has = (name: string) => entries.includes(name);
  if (has('clog')) return 'surrealkv-2';
  if (has('sstables') || has('vlog') || (has('manifest') && has('wal'))) return 'surrealkv-3';
  return 'unknown';
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
  const entries = await fs.readdir(absolute);
  const { bytes, files } = await folderSize(absolute);
  const format = storeFormatOf(entries);
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
  return { path: absolute, format, bytes, files, holder: await findLockHolder(absolute) };
}

export function assertStoreFree(info: StoreInfo): void {
  if (!info.holder) return;
  throw new PatternDbError(
    'E_STORE_LOCKED',
    `The embedded store ${info.path} is in use by process ${info.holder.pid} (${info.holder.command}).`,
    {
      evidence: info.holder.evidence,
      fix: 'Stop Pattern (and any other program using the store) first, then run again. Copying a store while it is written can give an inconsistent snapshot.',
    },
  );
}

/**
 * Copies the store to a fresh folder and returns its absolute path. Readers open the copy, never the live store:
 * SurrealDB writes into whatever folder it opens (LOCK, WAL), even to read.
 */
export async function snapshotStore(info: StoreInfo, snapshotsDir: string): Promise<string> {
  const target = path.resolve(snapshotsDir, `snapshot-${Date.now()}`);
  try {
    await fs.mkdir(snapshotsDir, { recursive: true });
    await fs.cp(info.path, target, {
      recursive: true,
      errorOnExist: true,
      force: false,
      filter: (src) => path.basename(src) !== 'LOCK',
    });
  } catch (error) {
    await fs.rm(target, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new PatternDbError(
      code === 'ENOSPC' ? 'E_DISK_FULL' : 'E_NOT_WRITABLE',
      `Could not copy the store to ${target}: ${(error as Error).message}`,
      {
        fix:
          code === 'ENOSPC'
            ? `Free at least ${Math.ceil(info.bytes / 1e6)} MB on the disk of ${snapshotsDir}, or pass --state-dir on another disk.`
            : `Make ${snapshotsDir} writable, or pass --state-dir DIR.`,
        cause: error,
      },
    );
  }
  return target;
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

/** Removes a snapshot copy, then its snapshots folder and the state folder above it if that left them empty. */
export async function removeSnapshot(snapshot: string): Promise<void> {
  await fs.rm(snapshot, { recursive: true, force: true });
  const snapshots = path.dirname(snapshot);
  // rmdir refuses a folder that still holds something (a journal, a managed server's state): those stay.
  await fs.rmdir(snapshots).then(() => fs.rmdir(path.dirname(snapshots))).catch(() => undefined);
}
