// A backup archive on disk: written gzip-compressed through a FILE.<pid>.partial file, a sha256sum line beside it, and a
// verification that reads every byte back (checksum, gzip, SurrealQL) and counts the records per table.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { createGunzip, createGzip } from 'node:zlib';
import { diskFilledWhileWriting, isDiskFull, PatternDbError } from '../core/errors.js';
import { privateWriteStream } from '../files/private-files.js';
import { statementHead } from '../core/export-statement-policy.js';
import { SurqlScanner, type Statement } from '../core/surql-scan.js';
import { checksumLine, checksumPath, parseBackupHeader, parseChecksumLine, partialPath, type BackupHeader } from './backup-naming.js';
import { syncFolder } from '../files/sync-folder.js';

export interface WrittenArchive {
  file: string;
  checksumFile: string;
  sha256: string;
  /** Compressed size on disk. */
  bytes: number;
  /** Size of the SurrealQL inside. */
  uncompressedBytes: number;
}

export interface ArchiveContents {
  header: BackupHeader | null;
  recordsByTable: Record<string, number>;
  /** Tables the dump defines, records or not. */
  tables: string[];
  /** Every DEFINE statement, as written (to compare with the server's definitions after a restore). */
  definitions: string[];
  records: number;
  statements: number;
  uncompressedBytes: number;
  sha256: string;
}

function counter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

function diskError(error: unknown, file: string): unknown {
  if (isDiskFull(error)) {
    return diskFilledWhileWriting(file, '--dir', error);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return new PatternDbError('E_NOT_WRITABLE', `${file} cannot be written (${code}).`, {
      fix: 'Pass --dir with a folder you can write to.',
      cause: error,
    });
  }
  return error;
}

/** An archive written under its temporary name, not yet published. */
export interface PartialArchive {
  partial: string;
  sha256: string;
  bytes: number;
  uncompressedBytes: number;
}

async function syncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Compresses `source` (SurrealQL text) into FILE.<pid>.partial, with `headerLine` first, and syncs it. On failure
 * nothing is left behind; a process killed meanwhile leaves only a name no backup listing takes for an archive.
 */
export async function writePartialArchive(
  source: Readable,
  file: string,
  headerLine: string,
  options: { signal?: AbortSignal; onBytes?: (uncompressed: number) => void } = {},
): Promise<PartialArchive> {
  const partial = partialPath(file);
  const hash = createHash('sha256');
  let uncompressedBytes = 0;
  let bytes = 0;
  const gzip = createGzip({ level: 6 });
  gzip.write(headerLine);
  uncompressedBytes += Buffer.byteLength(headerLine);
  try {
    await pipeline(
      source,
      counter((n) => {
        uncompressedBytes += n;
        options.onBytes?.(uncompressedBytes);
      }),
      gzip,
      counter((n) => (bytes += n)),
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      privateWriteStream(partial),
      ...(options.signal ? [{ signal: options.signal }] : []),
    );
    await syncFile(partial);
  } catch (error) {
    await fs.rm(partial, { force: true });
    throw diskError(error, file);
  }
  return { partial, sha256: hash.digest('hex'), bytes, uncompressedBytes };
}

/**
 * Gives a written (and checked) archive its name: FILE.sha256 first (through a temporary file), the archive last, so
 * that a file with an archive's name always has its checksum beside it, whenever the process is killed.
 */
export async function publishArchive(written: PartialArchive, file: string): Promise<WrittenArchive> {
  const checksumFile = checksumPath(file);
  const checksumTemp = partialPath(checksumFile);
  let named = false;
  try {
    await fs.writeFile(checksumTemp, checksumLine(written.sha256, path.basename(file)), { mode: 0o644 });
    await syncFile(checksumTemp);
    await fs.rename(checksumTemp, checksumFile);
    await fs.rename(written.partial, file);
    named = true;
    await syncFolder(path.dirname(file));
  } catch (error) {
    if (!named) await Promise.all([checksumTemp, checksumFile, written.partial].map((f) => fs.rm(f, { force: true })));
    throw diskError(error, file);
  }
  return { file, checksumFile, sha256: written.sha256, bytes: written.bytes, uncompressedBytes: written.uncompressedBytes };
}

/** writePartialArchive, then publishArchive: FILE and FILE.sha256. */
export async function writeArchive(
  source: Readable,
  file: string,
  headerLine: string,
  options: { signal?: AbortSignal; onBytes?: (uncompressed: number) => void } = {},
): Promise<WrittenArchive> {
  return publishArchive(await writePartialArchive(source, file, headerLine, options), file);
}

function corrupt(file: string, why: string, details: { evidence?: string; cause?: unknown } = {}): PatternDbError {
  return new PatternDbError('E_BACKUP_CORRUPT', `The backup ${file} cannot be used: ${why}.`, {
    ...details,
    fix: 'Use another (older) backup; `ls` the backup folder to see them. Nothing was written to the server.',
  });
}

/** The digest recorded in FILE.sha256, or null when there is none. */
export async function recordedChecksum(file: string): Promise<string | null> {
  const text = await fs.readFile(checksumPath(file), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return null;
  const parsed = parseChecksumLine(text);
  if (!parsed) throw corrupt(file, `${checksumPath(file)} is not a sha256sum line`, { evidence: text.slice(0, 200) });
  return parsed.sha256;
}

/**
 * The longest statement a restore reads: past it the archive is refused as it is read, not held in memory to its end
 * (a gzip archive of a few MB can hold a gigabyte-long line: read whole, it took 1.36 GB before it was refused). An
 * export writes at most 1,000 records to a statement, far below this for any Pattern database.
 */
export const MAX_RESTORE_STATEMENT_CHARS = 250_000_000;

function newlinesIn(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

function refusedStatement(file: string, line: number, text: string, why: string): PatternDbError {
  return new PatternDbError('E_RESTORE_REFUSED', `${file} holds a statement a restore does not run, at line ${line}: "${statementHead(text)}" (${why}); nothing was restored.`, {
    evidence: `line ${line}: ${text.slice(0, 400)}`,
    fix:
      'Restore only archives made by `pattern-db backup`: a .sha256 beside a file shows it is undamaged, not who wrote it. ' +
      'If you did not write this statement yourself, do not load the file. If it is yours, take it out of the archive (zcat, edit, gzip, sha256sum) and run it by hand after the restore.',
  });
}

export interface VerifyOptions {
  requireChecksum?: boolean;
  signal?: AbortSignal;
  /** Why a statement may not run (null when it may): the first such statement refuses the archive. */
  screen?: (statement: Statement) => string | null;
  /**
   * Also writes the SurrealQL to this file (mode 0600), so what is loaded afterwards is exactly what was checked,
   * not a second read of an archive that may have changed since; removed again when the check fails.
   */
  plainCopy?: string;
}

/**
 * Reads the whole archive: its digest must match FILE.sha256 (unless `requireChecksum` is false and there is none),
 * it must decompress to the end, and the SurrealQL inside must be complete statements. Returns what it holds.
 */
export async function verifyArchive(file: string, options: VerifyOptions = {}): Promise<ArchiveContents> {
  try {
    return await readArchive(file, options);
  } catch (error) {
    if (options.plainCopy) await fs.rm(options.plainCopy, { force: true });
    throw error;
  }
}

async function readArchive(file: string, options: VerifyOptions): Promise<ArchiveContents> {
  const expected = await recordedChecksum(file);
  if (expected === null && options.requireChecksum !== false) {
    throw new PatternDbError('E_BACKUP_CORRUPT', `The backup ${file} has no checksum file beside it (${path.basename(checksumPath(file))}).`, {
      fix: `Without it, a damaged file cannot be told from a good one. If you trust this file, run again with --no-checksum.`,
    });
  }
  const hash = createHash('sha256');
  const scanner = new SurqlScanner();
  const copy = options.plainCopy === undefined ? undefined : privateWriteStream(options.plainCopy);
  let copyError: unknown;
  copy?.on('error', (error) => (copyError = error));
  const recordsByTable: Record<string, number> = {};
  const tables = new Set<string>();
  const definitions: string[] = [];
  let statements = 0;
  let sawOption = false;
  let uncompressedBytes = 0;
  let firstLine: string | null = null;
  let head = '';
  // Where statements end, to name the line of a refused one: bytes and newlines before the current chunk.
  let ended = 0;
  let chunkStart = 0;
  let newlinesBefore = 0;
  let chunk: Buffer = Buffer.alloc(0);
  // The first refused statement; it counts only once the archive proves intact (a damaged one reads as garbage).
  let refusal: PatternDbError | undefined;
  // Why the archive was refused part-way (MAX_RESTORE_STATEMENT_CHARS).
  let tooLong: string | undefined;
  const lineOf = (s: Statement): number => {
    const upToEnd = newlinesBefore + newlinesIn(chunk.subarray(0, Math.max(0, ended - chunkStart)));
    return upToEnd - newlinesIn(Buffer.from(s.text)) + 1;
  };
  const take = (found: Statement[]) => {
    for (const s of found) {
      statements += 1;
      ended += s.bytes;
      const why = options.screen?.(s);
      if (why && !refusal) refusal = refusedStatement(file, lineOf(s), s.text, why);
      if (s.kind === 'option') sawOption = true;
      if (s.kind === 'define') definitions.push(s.text);
      if (s.table !== undefined && (s.kind === 'define' || s.records > 0)) tables.add(s.table);
      if (s.records > 0 && s.table !== undefined) recordsByTable[s.table] = (recordsByTable[s.table] ?? 0) + s.records;
    }
  };
  try {
    await pipeline(
      createReadStream(file),
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      createGunzip(),
      async function (source: AsyncIterable<Buffer>) {
        for await (const piece of source) {
          if (copy && !copy.write(piece)) await once(copy, 'drain');
          chunk = piece;
          uncompressedBytes += chunk.length;
          if (firstLine === null) {
            head += chunk.toString('utf8', 0, Math.min(chunk.length, 4096));
            const newline = head.indexOf('\n');
            if (newline >= 0 || head.length >= 4096) firstLine = newline >= 0 ? head.slice(0, newline) : head;
          }
          take(scanner.push(chunk));
          if (scanner.buffered > MAX_RESTORE_STATEMENT_CHARS) {
            // Returned, not thrown: a throw here reaches the caller as the AbortError of the streams it ends.
            tooLong = `a statement runs on past ${(MAX_RESTORE_STATEMENT_CHARS / 1e6).toFixed(0)} million characters without ending, after ${statements} whole statements`;
            return;
          }
          chunkStart += chunk.length;
          newlinesBefore += newlinesIn(chunk);
        }
        chunk = Buffer.alloc(0);
        take(scanner.end());
        if (copy) await new Promise<void>((resolve, reject) => copy!.end((error?: Error | null) => (error ? reject(error) : resolve())));
      },
      ...(options.signal ? [{ signal: options.signal }] : []),
    );
  } catch (error) {
    copy?.destroy();
    if (tooLong) throw corrupt(file, tooLong);
    if (copyError) throw diskError(copyError, options.plainCopy!);
    if ((error as Error).name === 'AbortError') throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PatternDbError('E_USAGE', `There is no backup file ${file}.`, { fix: 'Check the path; backups are named <namespace>-<database>-<time>.surql.gz.' });
    }
    const zlib = typeof (error as NodeJS.ErrnoException).code === 'string' && /^Z_/.test((error as NodeJS.ErrnoException).code!);
    const why = zlib
      ? `it does not decompress (${(error as Error).message})`
      : error instanceof PatternDbError
        ? `the SurrealQL inside is cut short (${error.message})`
        : `it could not be read (${(error as Error).message})`;
    throw corrupt(file, why, { cause: error, ...(error instanceof PatternDbError && error.evidence ? { evidence: error.evidence } : {}) });
  }
  if (tooLong) {
    copy?.destroy();
    throw corrupt(file, tooLong);
  }
  const sha256 = hash.digest('hex');
  if (expected !== null && expected !== sha256) {
    throw corrupt(file, 'its checksum does not match', { evidence: `${checksumPath(file)}: ${expected}\nthe file now:   ${sha256}` });
  }
  if (refusal) throw refusal;
  if (!sawOption) throw corrupt(file, 'it holds no SurrealDB export (no OPTION IMPORT statement)');
  const records = Object.values(recordsByTable).reduce((a, b) => a + b, 0);
  return {
    header: firstLine === null ? null : parseBackupHeader(firstLine),
    recordsByTable,
    tables: [...tables],
    definitions,
    records,
    statements,
    uncompressedBytes,
    sha256,
  };
}

/** Reads only the header line of an archive (the first few kB), or null when it has none or is not gzip. */
export async function readArchiveHeader(file: string): Promise<BackupHeader | null> {
  const gunzip = createGunzip();
  const input = createReadStream(file, { start: 0, end: 64 * 1024 });
  input.on('error', () => gunzip.destroy());
  input.pipe(gunzip);
  let head = '';
  try {
    for await (const chunk of gunzip) {
      head += (chunk as Buffer).toString('utf8');
      if (head.includes('\n') || head.length > 4096) break;
    }
  } catch {
    // a truncated read of a larger file ends in a zlib error after the header: what was read counts
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  const newline = head.indexOf('\n');
  return parseBackupHeader(newline >= 0 ? head.slice(0, newline) : head);
}
