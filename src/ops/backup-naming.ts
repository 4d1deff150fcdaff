// Names and small text formats of backups: <ns>-<db>-<UTC time>.surql.gz, its .sha256 beside it, and the header line.
import { assertPlainName } from '../core/flag-text.js';

export const BACKUP_SUFFIX = '.surql.gz';
const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z$/;

/** ISO 8601 basic format in UTC with milliseconds, e.g. 20261127T031500.042Z: sorts as text, safe in file names. */
export function backupTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '');
}

export function parseBackupTimestamp(stamp: string): Date | null {
  const m = STAMP.exec(stamp);
  if (!m) return null;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
  return Number.isNaN(date.getTime()) || backupTimestamp(date) !== stamp ? null : date;
}

/** The archive's name; a namespace or database with a '/' would put it outside the backup folder, so it is refused. */
export function backupFileName(namespace: string, database: string, date: Date): string {
  assertPlainName('--namespace', namespace);
  assertPlainName('--database', database);
  return `${namespace}-${database}-${backupTimestamp(date)}${BACKUP_SUFFIX}`;
}

/** When a file name is this tool's backup of exactly namespace/database, the time it was taken; otherwise null. */
export function backupTimeOf(name: string, namespace: string, database: string): Date | null {
  const prefix = `${namespace}-${database}-`;
  if (!name.startsWith(prefix) || !name.endsWith(BACKUP_SUFFIX)) return null;
  return parseBackupTimestamp(name.slice(prefix.length, name.length - BACKUP_SUFFIX.length));
}

/** Where FILE is written until it is complete: beside it, named after the writing process (no listing takes it for FILE). */
export function partialPath(file: string, pid = process.pid): string {
  return `${file}.${pid}.partial`;
}

/** For a name partialPath gave: the name it stands in for and the pid of the process that wrote it; otherwise null. */
export function parsePartialName(name: string): { final: string; pid: number } | null {
  const m = /^(.+)\.(\d+)\.partial$/.exec(name);
  return m ? { final: m[1]!, pid: Number(m[2]) } : null;
}

export function checksumPath(file: string): string {
  return `${file}.sha256`;
}

/** The line `sha256sum` writes and `sha256sum -c` reads: digest, two spaces, the file name. */
export function checksumLine(sha256: string, baseName: string): string {
  return `${sha256}  ${baseName}\n`;
}

export function parseChecksumLine(text: string): { sha256: string; name: string } | null {
  const m = /^([0-9a-f]{64}) [ *](.+?)\r?\n?$/i.exec(text.split('\n')[0] + '\n');
  return m ? { sha256: m[1]!.toLowerCase(), name: m[2]! } : null;
}

/** Written as the first line inside every archive, so a backup says what it holds (a SurrealQL comment). */
export interface BackupHeader {
  namespace: string;
  database: string;
  /** ISO 8601. */
  takenAt: string;
  /** The server URL (never with credentials) or the store folder. */
  source: string;
  /** The SurrealDB major whose SurrealQL the dump is written in (absent in archives made before it was recorded). */
  major?: number;
}

const HEADER_PREFIX = '-- pattern-db backup: ';

export function backupHeaderLine(header: BackupHeader): string {
  return `${HEADER_PREFIX}${JSON.stringify(header)}\n`;
}

export function parseBackupHeader(firstLine: string): BackupHeader | null {
  if (!firstLine.startsWith(HEADER_PREFIX)) return null;
  try {
    const value = JSON.parse(firstLine.slice(HEADER_PREFIX.length)) as Partial<BackupHeader>;
    if (typeof value.namespace !== 'string' || typeof value.database !== 'string') return null;
    return {
      namespace: value.namespace,
      database: value.database,
      takenAt: String(value.takenAt ?? ''),
      source: String(value.source ?? ''),
      ...(Number.isInteger(value.major) ? { major: value.major } : {}),
    };
  } catch {
    return null;
  }
}
