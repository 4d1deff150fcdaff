// The snapshot a run reads a SurrealDB 3 store from, its log without what the indexes derive from the records. Opening a
// store, SurrealDB replays its log (up to a memtable's worth of writes, 45-58 MB in the generated stores of 5,000 to
// 100,000 messages), and nearly all of a Pattern store's log is index data: in the 5,000-message store, 430,584 of its
// 446,580 entries are msg's full-text index and 8,400 graph edges. Without them, measured on that store, surreal 3.3.5
// exported it in 0.34 s instead of 1.17 s, and @surrealdb/node's engine (SurrealDB 3.0.2) opened it in 0.06 s instead
// of 0.86 s (0.10 s of CPU instead of 0.85 s), the same tables and records to the last byte; only how the export groups
// msg's records into INSERT statements differed. The table files are copied as they are: nothing is replayed from them.
// Every other entry is kept with its own sequence number, in its order. A log surrealkv would not read as it is (a
// record cut short or failing its checksum, a compressed log) makes the snapshot a plain copy instead, so that
// SurrealDB's own handling of it is what it would be on the store.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { BufferedWrite } from '../files/buffered-write.js';
import { makeTreePrivate } from '../files/private-files.js';
import type { LeftOut } from './lean-segment-copy.js';
import { copyFilesTwoAtATime, copyStoreFiles, storeFilesToCopy } from './store-copy.js';
import { leanBatch } from './surrealkv3-batch.js';
import { LogWriter, logRecords } from './surrealkv3-log.js';

/** A segment of the log, by its file's name. */
const LOG_SEGMENT = /^\d{20}\.wal$/;

/** Writes the log `from` to `to` without its derived entries; false where surrealkv would not read it as it is. */
export async function copyLogLean(from: string, to: string, leftOut: LeftOut): Promise<boolean> {
  const input = await fs.open(from, 'r');
  const output = await fs.open(to, 'wx', 0o600);
  try {
    const written = new BufferedWrite(output);
    const log = new LogWriter(written);
    for await (const record of logRecords(input)) {
      const lean = record === 'unreadable' ? record : leanBatch(record);
      if (lean === 'unreadable') return false;
      leftOut.records += lean.leftOut;
      leftOut.bytes += record.length - lean.batches.reduce((sum, batch) => sum + batch.length, 0);
      for (const batch of lean.batches) await log.add(batch);
    }
    await written.flush();
    return true;
  } finally {
    await input.close();
    await output.close();
  }
}

/**
 * Copies a SurrealDB 3 store's files into `to` (which must not exist; 0700/0600 like copyStoreFiles), its log without
 * the entries its indexes derive (derivedKey); what was left out. Where the log would not be read as it is, the store
 * is copied whole instead, and nothing is left out.
 */
export async function copyStore3WithoutIndexData(from: string, to: string): Promise<LeftOut> {
  const files = await storeFilesToCopy(from, to);
  const isLog = ({ relative }: { relative: string }) => path.dirname(relative) === 'wal' && LOG_SEGMENT.test(path.basename(relative));
  const leftOut: LeftOut = { records: 0, bytes: 0 };
  const copyLogs = async (): Promise<boolean> => {
    for (const { relative } of files.filter(isLog)) {
      if (!(await copyLogLean(path.join(from, relative), path.join(to, relative), leftOut))) return false;
    }
    return true;
  };
  // The table files are the kernel's to copy meanwhile; the log is this thread's work.
  const [tables, logs] = await Promise.allSettled([copyFilesTwoAtATime(from, to, files.filter((file) => !isLog(file))), copyLogs()]);
  if (tables.status === 'rejected' || logs.status === 'rejected') {
    await fs.rm(to, { recursive: true, force: true });
    throw tables.status === 'rejected' ? tables.reason : (logs as PromiseRejectedResult).reason;
  }
  if (!logs.value) {
    await fs.rm(to, { recursive: true, force: true });
    await copyStoreFiles(from, to);
    return { records: 0, bytes: 0 };
  }
  await makeTreePrivate(to);
  return leftOut;
}
