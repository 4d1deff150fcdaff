// What a backup killed part-way leaves: in the backup folder its FILE.<pid>.partial archive or checksum, or a checksum
// whose archive never got its name (none of them is a backup); in the state folder a store's plain dump. The next
// backup removes them.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../surreal/process-identity.js';
import { backupTimeOf, BACKUP_SUFFIX, checksumPath, parsePartialName } from './backup-naming.js';

const isBackupOf = (name: string, namespace: string, database: string) => backupTimeOf(name, namespace, database) !== null;

/** The archive name a checksum name belongs to, or null for other names. */
function archiveOfChecksum(name: string): string | null {
  const suffix = checksumPath(BACKUP_SUFFIX).slice(BACKUP_SUFFIX.length);
  return name.endsWith(suffix) ? name.slice(0, -suffix.length) : null;
}

/** Leftovers of interrupted backups of namespace/database in `dir`, among `names`; a running backup's are not. */
export function backupLeftovers(names: string[], namespace: string, database: string, alive: (pid: number) => boolean = isProcessAlive): string[] {
  const present = new Set(names);
  const writing = new Set<string>();
  const partials = names.filter((name) => {
    const partial = parsePartialName(name);
    if (!partial || !isBackupOf(archiveOfChecksum(partial.final) ?? partial.final, namespace, database)) return false;
    const left = partial.pid !== process.pid && !alive(partial.pid);
    if (!left) writing.add(partial.final);
    return left;
  });
  // A checksum is written just before its archive is renamed into place: alone, with no live writer, it never arrived.
  const checksums = names.filter((name) => {
    const archive = archiveOfChecksum(name);
    return archive !== null && isBackupOf(archive, namespace, database) && !present.has(archive) && !writing.has(archive);
  });
  return [...partials, ...checksums];
}

/** Removes backupLeftovers from `dir`; returns their paths. */
export async function removeBackupLeftovers(dir: string, namespace: string, database: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of backupLeftovers(names, namespace, database)) {
    await fs.rm(path.join(dir, name), { force: true });
    removed.push(path.join(dir, name));
  }
  return removed;
}

/** The plain SurrealQL a store's backup dumps into the state folder before compressing it. */
export function plainDumpPath(stateDir: string): string {
  return path.join(stateDir, `backup-${process.pid}-${Date.now()}.surql`);
}

/** Removes the plain dumps of backups whose process is gone (they hold every record); returns their paths. */
export async function removeDumpLeftovers(stateDir: string, alive: (pid: number) => boolean = isProcessAlive): Promise<string[]> {
  const names = await fs.readdir(stateDir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(/^backup-(\d+)-\d+\.surql$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    await fs.rm(path.join(stateDir, name), { force: true });
    removed.push(path.join(stateDir, name));
  }
  return removed;
}
