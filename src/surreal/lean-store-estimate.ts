// How much of a SurrealDB 2 store the copy pattern-db reads keeps (lean-store-copy.ts): told before any copy from the
// first records of each log segment, or measured on the copy. The memory check's measure of what the reader will hold.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { derivedEntry, SEGMENT } from './lean-segment-copy.js';
import { recordAt, segmentHeaderEnd } from './surrealkv2-record.js';

/**
 * Read from the start of each segment, where a Pattern store's log holds its schema and first records, with less
 * index data than later: on generated stores the estimate came out above what the copy keeps (5,000 messages 46 MB
 * for 15, 20,000 157 MB for 59, 300 1.14 MB for 1.01, in 11-68 ms), and a little under it on a 100,000-message store
 * written without full-text indexes (275 MB for 298).
 */
const SAMPLE_BYTES = 4 << 20;

/** The share of a segment's bytes its first records keep; 1 when they cannot be read (the copy may then be whole). */
async function keptShare(file: string): Promise<number> {
  const handle = await fs.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(SAMPLE_BYTES), 0, SAMPLE_BYTES, 0);
    let at = segmentHeaderEnd(buffer, bytesRead);
    if (at === undefined) return 1;
    const start = at;
    let kept = 0;
    for (;;) {
      const record = recordAt(buffer, at, bytesRead);
      if (record === 'unreadable') return 1;
      if ('short' in record) break;
      if (!derivedEntry(buffer, record.keyStart, record.keyEnd)) kept += record.end - at;
      at = record.end;
    }
    return at > start ? kept / (at - start) : 1;
  } finally {
    await handle.close();
  }
}

/** The segments of a store's log, each with its size. */
async function segments(storePath: string): Promise<Array<{ file: string; size: number }>> {
  const folder = path.join(storePath, 'clog');
  const names = (await fs.readdir(folder).catch(() => [] as string[])).filter((n) => SEGMENT.test(n));
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(folder, name);
      return { file, size: (await fs.stat(file)).size };
    }),
  );
}

/** About how many bytes of the store's log the copy keeps. */
export async function keptBytesEstimate(storePath: string): Promise<number> {
  let kept = 0;
  for (const { file, size } of await segments(storePath)) kept += size * (await keptShare(file));
  return Math.round(kept);
}

/** The bytes of a store's log: of the copy itself, what it kept, exactly. */
export async function logBytes(storePath: string): Promise<number> {
  return (await segments(storePath)).reduce((sum, { size }) => sum + size, 0);
}
