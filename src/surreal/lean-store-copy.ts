// The snapshot a run reads a SurrealDB 2 store from, without what its indexes derive from its records. SurrealDB 2
// holds every key of a store it opens in memory, and in a Pattern store nearly all of them are index entries: of the
// 1,061,674 records in a generated 5,000-message store's log (267 MB), 1,017,170 are full-text index data and 33,233
// graph edges and vector index data. What a run reads (tables, records, every definition, the indexes' own) never comes
// from those entries, and the target builds them again from the records and the definitions the export carries.
// Measured on that store, a 2.6.5 server opened the copy in 0.13 s instead of 1.95 s and peaked at 93 MB instead of
// 519 MB over its export, which was the same to the byte; at 20,000 messages (1.7 GB), 0.19 s and 166 MB, where the
// whole store takes 11-15 s and 1.8 GB.
// Every other record is copied as it is, in its order. A segment that surrealkv would not read to its end (a record
// cut short or failing its checksum) makes it a plain copy instead, so that SurrealDB 2's own repair of the damage,
// and pattern-db's account of it (store-log-damage.ts), are what they would be on the whole store.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeTreePrivate } from '../files/private-files.js';
import { SEGMENT, type LeftOut } from './lean-segment-copy.js';
import { copySegmentsLean, type SegmentJob } from './lean-segment-pool.js';
import { copyFilesTwoAtATime, copyStoreFiles, storeFilesToCopy } from './store-copy.js';
import { copyLogsLean, LOG_SEGMENT } from './lean-store3-copy.js';
import { megabytes } from '../core/byte-size.js';
import type { StoreFormat } from '../core/store-format.js';
import type { Reporter } from '../core/events.js';

export type { LeftOut } from './lean-segment-copy.js';

/** Copies each segment of a log without its derived records; false as soon as one would not be read as it is. */
type LeanLogCopy = (segments: SegmentJob[], leftOut: LeftOut) => Promise<boolean>;

/**
 * Copies a store's files into `to` (which must not exist; 0700/0600 like copyStoreFiles), the segments of its log
 * (`isSegment`, by path in the store) through `copyLog`; what was left out. Where a segment would not be read as it is,
 * the store is copied whole instead, and nothing is left out.
 */
async function copyWithLeanLog(from: string, to: string, isSegment: (relative: string) => boolean, copyLog: LeanLogCopy): Promise<LeftOut> {
  const files = await storeFilesToCopy(from, to);
  const segments = files.filter(({ relative }) => isSegment(relative)).map(({ relative }) => ({ from: path.join(from, relative), to: path.join(to, relative) }));
  const leftOut: LeftOut = { records: 0, bytes: 0 };
  // The other files are the kernel's to copy meanwhile; the log is read and written by this process.
  const [others, log] = await Promise.allSettled([copyFilesTwoAtATime(from, to, files.filter(({ relative }) => !isSegment(relative))), copyLog(segments, leftOut)]);
  if (others.status === 'rejected') throw others.reason;
  if (log.status === 'rejected') throw log.reason;
  if (!log.value) {
    await fs.rm(to, { recursive: true, force: true });
    await copyStoreFiles(from, to);
    return { records: 0, bytes: 0 };
  }
  await makeTreePrivate(to);
  return leftOut;
}

const inLog = (folder: string, segment: RegExp) => (relative: string) => path.dirname(relative) === folder && segment.test(path.basename(relative));

/** The copy a migration, a backup or the doctor reads a store from, without its index data (lean-store3-copy.ts for SurrealDB 3). */
export async function copyStoreToRead(format: StoreFormat, from: string, to: string): Promise<LeftOut> {
  // SurrealDB 2's commit log without the records its indexes derive (derivedEntry), a segment per thread; SurrealDB 3's
  // write-ahead log without the entries they derive (derivedKey).
  if (format === 'surrealkv-2') return copyWithLeanLog(from, to, inLog('clog', SEGMENT), copySegmentsLean);
  return copyWithLeanLog(from, to, inLog('wal', LOG_SEGMENT), copyLogsLean);
}

/** Says what the snapshot left out (I_SNAPSHOT_LEAN), when it is not the whole store. */
export function reportLeftOut(report: Pick<Reporter, 'diagnostic'>, leftOut: LeftOut | undefined, format: StoreFormat): void {
  if (!leftOut?.records) return;
  const cost = format === 'surrealkv-2' ? 'SurrealDB 2 would hold every one of their keys in memory' : 'SurrealDB 3 would replay every one of them from the log when it opens the copy';
  report.diagnostic({
    level: 'info',
    code: 'I_SNAPSHOT_LEAN',
    message: `The snapshot leaves out the store's full-text, vector and graph index entries (${leftOut.records.toLocaleString('en-US')} records, ${megabytes(leftOut.bytes)}): ${cost}, and the target builds them again from the records and the index definitions the export carries`,
  });
}
