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
import { BufferedWrite } from '../files/buffered-write.js';
import type { LeftOut } from './lean-segment-copy.js';
import { leanBatch } from './surrealkv3-batch.js';
import { LogWriter, logRecords } from './surrealkv3-log.js';

/** A segment of the log, by its file's name. */
export const LOG_SEGMENT = /^\d{20}\.wal$/;

/** Writes the log `from` to `to` without its derived entries; false where surrealkv would not read it as it is. */
async function copyLogLean(from: string, to: string, leftOut: LeftOut): Promise<boolean> {
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

/** Copies each segment of the log without its derived entries, one after the other; false as soon as one would not be read as it is. */
export async function copyLogsLean(segments: Array<{ from: string; to: string }>, leftOut: LeftOut): Promise<boolean> {
  for (const { from, to } of segments) if (!(await copyLogLean(from, to, leftOut))) return false;
  return true;
}
