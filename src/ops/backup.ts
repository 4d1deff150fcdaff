// `pattern-db backup`: the configured database (server or embedded store) to a verified, gzip-compressed archive,
// then retention. An archive that does not hold what the database held is removed and the run fails.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { megabytes } from '../core/byte-size.js';
import { seconds } from '../core/seconds-text.js';
import { PatternDbError } from '../core/errors.js';
import { parseVersion } from '../core/server-version.js';
import type { Reporter } from '../core/events.js';
import { assertOutsideStore } from '../files/store-overlap.js';
import { httpBase } from '../surreal/http.js';
import { openExportStream } from '../surreal/http-export.js';
import { storeDamagedError } from '../surreal/store-log-damage.js';
import { openSourceStore } from '../surreal/source-store.js';
import { assertStoreFree, inspectStore, snapshotStore } from '../surreal/store.js';
import { copyStoreToRead, reportLeftOut, type LeftOut } from '../surreal/lean-store-copy.js';
import { pauseAt } from '../files/pause-at.js';
import { holdStateLock } from '../files/state-lock.js';
import { publishArchive, verifyArchive, writePartialArchive, type PartialArchive } from './backup-archive.js';
import { plainDumpPath, removeBackupLeftovers, removeDumpLeftovers } from './backup-leftovers.js';
import { restoreRefusal, statementHead } from '../core/export-statement-policy.js';
import type { Statement } from '../core/surql-scan.js';
import { backupFileName, backupHeaderLine } from './backup-naming.js';
import { applyRetention } from './backup-retention.js';
import { databaseCounts, rootClient } from '../surreal/server-catalog.js';

export type BackupSource =
  | { kind: 'remote'; url: string; username: string; password: string; namespace: string; database: string }
  | { kind: 'embedded'; storePath: string; namespace: string; database: string; stateDir: string };

export interface BackupInput {
  source: BackupSource;
  dir: string;
  keep: number;
  report: Reporter;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface BackupResult {
  file: string;
  checksumFile: string;
  sha256: string;
  bytes: number;
  uncompressedBytes: number;
  records: number;
  recordsByTable: Record<string, number>;
  tables: number;
  ms: number;
  source: string;
  namespace: string;
  database: string;
  deleted: string[];
  kept: string[];
}

interface Dumped {
  archive: PartialArchive;
  /** Counts when the backup started and when it ended (the same for a snapshot). */
  before: Record<string, number>;
  after: Record<string, number>;
  source: string;
}

async function dumpRemote(source: Extract<BackupSource, { kind: 'remote' }>, file: string, takenAt: Date, input: BackupInput): Promise<Dumped> {
  const url = httpBase(source.url);
  const root = rootClient({ url, username: source.username, password: source.password });
  const before = await databaseCounts(root, source.namespace, source.database);
  const total = Object.values(before).reduce((a, b) => a + b, 0);
  input.report.diagnostic({ level: 'info', code: 'I_BACKUP_SOURCE', message: `Source: ${url} ${source.namespace}/${source.database} (${Object.keys(before).length} tables, ${total} records)` });
  const major = parseVersion(await root.version())?.major;
  const body = await openExportStream({ ...source, url, ...(input.signal ? { signal: input.signal } : {}) });
  const header = backupHeaderLine({ namespace: source.namespace, database: source.database, takenAt: takenAt.toISOString(), source: url, ...(major ? { major } : {}) });
  const archive = await writePartialArchive(body, file, header, {
    ...(input.signal ? { signal: input.signal } : {}),
    onBytes: (n) => input.report.progress(n, 'bytes'),
  });
  const after = await databaseCounts(root, source.namespace, source.database).catch(() => before);
  return { archive, before, after, source: url };
}

const DAMAGED_STORE_BACKUP = 'No backup was written: an archive of what SurrealDB reads would lack the dropped part, where a copy of the folder keeps it.';

async function dumpEmbedded(source: Extract<BackupSource, { kind: 'embedded' }>, file: string, takenAt: Date, input: BackupInput): Promise<Dumped> {
  const info = await inspectStore(source.storePath);
  assertStoreFree(info);
  // Never open the live folder: the engine writes into whatever it opens.
  let leftOut: LeftOut | undefined;
  const copy = async (from: string, to: string) => {
    leftOut = await copyStoreToRead(info.format, from, to);
    await pauseAt('snapshot-copy', source.stateDir);
  };
  const snapshot = await snapshotStore(info, path.join(source.stateDir, 'snapshots'), copy);
  reportLeftOut(input.report, leftOut, info.format);
  const plain = plainDumpPath(source.stateDir);
  try {
    const store = await openSourceStore(snapshot, info.format, { namespace: source.namespace, database: source.database }, undefined, input.signal);
    let counts: Record<string, number> = {};
    const major = store.major;
    try {
      if (store.damage) throw storeDamagedError(store.damage, info.path, DAMAGED_STORE_BACKUP);
      const databases = await store.databases();
      if (!databases[source.namespace]?.includes(source.database)) {
        throw new PatternDbError('E_NAMESPACE_MISSING', `The store ${info.path} has no database ${source.namespace}/${source.database}.`, {
          evidence: `found: ${Object.entries(databases).flatMap(([ns, dbs]) => dbs.map((db) => `${ns}/${db}`)).join(', ') || 'nothing'}`,
          fix: 'Pattern uses namespace "pattern" and database "pattern"; pass --namespace/--database for another pair.',
        });
      }
      const { tables } = await store.info();
      for (const table of tables) counts[table] = await store.count(table);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      input.report.diagnostic({ level: 'info', code: 'I_BACKUP_SOURCE', message: `Source: ${info.path} ${source.namespace}/${source.database} (${tables.length} tables, ${total} records; read from a snapshot copy with ${store.engine})` });
      await store.exportTo(plain, { ...(input.signal ? { signal: input.signal } : {}), onBytes: (n) => input.report.progress(n, 'bytes') });
    } finally {
      await store.close();
    }
    const header = backupHeaderLine({ namespace: source.namespace, database: source.database, takenAt: takenAt.toISOString(), source: info.path, major });
    const archive = await writePartialArchive(createReadStream(plain), file, header, input.signal ? { signal: input.signal } : {});
    return { archive, before: counts, after: counts, source: info.path };
  } finally {
    await fs.rm(plain, { force: true });
    await fs.rm(snapshot, { recursive: true, force: true });
  }
}

/** Tables whose count in the archive is outside what the database held between the start and the end of the backup. */
function shortTables(dumped: Dumped, inFile: Record<string, number>): string[] {
  const tables = new Set([...Object.keys(dumped.before), ...Object.keys(dumped.after), ...Object.keys(inFile)]);
  return [...tables].sort().flatMap((table) => {
    const a = dumped.before[table] ?? 0;
    const b = dumped.after[table] ?? 0;
    const n = inFile[table] ?? 0;
    if (n >= Math.min(a, b) && n <= Math.max(a, b)) return [];
    return [`${table}: ${n} in the archive, ${a === b ? a : `${a} → ${b}`} in the database`];
  });
}

export async function runBackup(input: BackupInput): Promise<BackupResult> {
  const { source } = input;
  if (!Number.isInteger(input.keep) || input.keep < 1) {
    throw new PatternDbError('E_USAGE', `--keep ${input.keep} is not a whole number of at least 1.`, { fix: 'For example --keep 7.' });
  }
  const started = Date.now();
  const takenAt = (input.now ?? (() => new Date()))();
  // Named before anything is created, so a name that cannot be a file name leaves nothing behind.
  const name = backupFileName(source.namespace, source.database, takenAt);
  const dir = path.resolve(input.dir);
  if (source.kind === 'embedded') {
    await assertOutsideStore(dir, source.storePath, '--dir');
    await assertOutsideStore(path.resolve(source.stateDir), source.storePath, '--state-dir');
  }
  // One run at a time in the state folder, as for migrate and restore: two backups would copy the store at once, each
  // taking the other for Pattern holding it (E_STORE_LOCKED, "stop Pattern"), and a run ending there removes the
  // snapshots it finds. The second is told another run holds the folder (E_STATE_IN_USE), before it reads the store.
  const lock = source.kind === 'embedded' ? await holdStateLock(path.resolve(source.stateDir)) : null;
  try {
    return await writeBackup(input, { started, takenAt, file: path.join(dir, name), dir });
  } finally {
    await lock?.release();
  }
}

type BackupRun = { started: number; takenAt: Date; file: string; dir: string };

async function writeBackup(input: BackupInput, run: BackupRun): Promise<BackupResult> {
  const { dir } = run;
  let created: string | undefined;
  try {
    created = await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.access(dir, fs.constants.W_OK);
  } catch (error) {
    throw new PatternDbError('E_NOT_WRITABLE', `The backup folder ${dir} cannot be written (${(error as NodeJS.ErrnoException).code}).`, {
      fix: 'Pass --dir with a folder you can write to.',
      cause: error,
    });
  }
  try {
    return await writeArchive(input, run);
  } catch (error) {
    // A failed first backup leaves no empty --dir behind: the folders it made go again, while they hold nothing.
    for (let folder = dir; created && folder.startsWith(created); folder = path.dirname(folder)) {
      if (!(await fs.rmdir(folder).then(() => true, () => false))) break;
    }
    throw error;
  }
}

async function writeArchive(input: BackupInput, run: BackupRun): Promise<BackupResult> {
  const { source, report } = input;
  const { started, takenAt, file, dir } = run;
  report.status('running', file);
  const leftovers = [
    ...(await removeBackupLeftovers(dir, source.namespace, source.database)),
    ...(source.kind === 'embedded' ? await removeDumpLeftovers(source.stateDir) : []),
  ];
  if (leftovers.length) {
    report.diagnostic({ level: 'info', code: 'I_BACKUP_LEFTOVERS', message: `Removed what an interrupted backup left (never a complete backup): ${leftovers.join(', ')}` });
  }
  const dumped = source.kind === 'remote' ? await dumpRemote(source, file, takenAt, input) : await dumpEmbedded(source, file, takenAt, input);

  // A server can end an export early with a 200: read the archive back before it gets its name, and before anything
  // older is deleted.
  let contents;
  // What a restore would refuse is said now, while the database still holds it.
  const unrestorable: string[] = [];
  const screen = (s: Statement) => {
    const why = restoreRefusal(s);
    if (why) unrestorable.push(`${statementHead(s.text)} (${why})`);
    return null;
  };
  try {
    contents = await verifyArchive(dumped.archive.partial, { requireChecksum: false, screen, ...(input.signal ? { signal: input.signal } : {}) });
    if (contents.sha256 !== dumped.archive.sha256) {
      throw new PatternDbError('E_BACKUP_CORRUPT', `${dumped.archive.partial} changed between its writing and its reading back.`, { evidence: `written: ${dumped.archive.sha256}\nread: ${contents.sha256}` });
    }
    const short = shortTables(dumped, contents.recordsByTable);
    if (short.length) {
      throw new PatternDbError('E_EXPORT', `The archive does not hold every record of ${source.namespace}/${source.database}; it was removed.`, {
        evidence: short.join('\n'),
        fix: 'Run the backup again. If it repeats, read the server log: the export may fail part-way (older backups were kept).',
      });
    }
  } catch (error) {
    await fs.rm(dumped.archive.partial, { force: true });
    // The archive was written a moment ago: if what is inside is cut short, the export ended early.
    if (error instanceof PatternDbError && error.code === 'E_BACKUP_CORRUPT') {
      throw new PatternDbError('E_EXPORT', `The export of ${source.namespace}/${source.database} ended early; the incomplete archive was removed.`, {
        evidence: error.message,
        fix: 'Run the backup again. If it repeats, read the server log: the export may fail part-way (older backups were kept).',
      });
    }
    throw error;
  }
  const changed = Object.keys({ ...dumped.before, ...dumped.after }).filter((t) => dumped.before[t] !== dumped.after[t]);
  if (changed.length) {
    report.diagnostic({
      level: 'warn',
      code: 'W_BACKUP_BUSY',
      message: `The database changed while the backup ran (${changed.join(', ')}); the archive holds a state in between.`,
      fix: 'Nothing to do for a daily backup. For an exact copy, stop Pattern while the backup runs.',
    });
  }
  if (unrestorable.length) {
    report.diagnostic({
      level: 'warn',
      code: 'W_BACKUP_UNRESTORABLE',
      message: `The archive holds ${unrestorable.length} statement(s) that \`pattern-db restore\` refuses to run: ${unrestorable.slice(0, 5).join('; ')}.`,
      fix: 'A restore of this archive stops at them: keep what they need (for an access, its key) to take them out of the archive then (zcat, edit, gzip, sha256sum) and define them again by hand.',
    });
  }
  const written = await publishArchive(dumped.archive, file);
  const retention = await applyRetention(dir, source.namespace, source.database, input.keep, file);
  for (const skipped of retention.skipped) {
    report.diagnostic({ level: 'warn', code: 'W_BACKUP_FOREIGN', message: `${skipped} has a backup name of ${source.namespace}/${source.database} but holds another database; left alone.` });
  }
  const result: BackupResult = {
    file,
    checksumFile: written.checksumFile,
    sha256: written.sha256,
    bytes: written.bytes,
    uncompressedBytes: contents.uncompressedBytes,
    records: contents.records,
    recordsByTable: contents.recordsByTable,
    tables: contents.tables.length,
    ms: Date.now() - started,
    source: dumped.source,
    namespace: source.namespace,
    database: source.database,
    deleted: retention.deleted,
    kept: retention.kept,
  };
  report.status('done', `${megabytes(result.bytes, 2)} in ${seconds(result.ms)}`);
  return result;
}
