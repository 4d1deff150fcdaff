// One segment of a SurrealDB 2 store's log copied on two threads (lean-segment-pool.ts): its records are back to back,
// with nothing that marks where one starts, so the second thread looks for a place where several whole records follow
// one another, checksums and all, and the first tells whether its own records lead there.
import { promises as fs } from 'node:fs';
import type { BufferedWrite } from '../files/buffered-write.js';
import { copyFromStart, copyRecords, READ_BYTES, withSegmentFiles, type LeftOut, type SegmentBytes } from './lean-segment-copy.js';
import { recordAt } from './surrealkv2-record.js';

/** Whole records, each with its checksum, that must follow one another from a place for it to be taken for a record's start. */
const RECORDS_IN_A_ROW = 3;
/** How far past where it was asked to start a half looks for a record's start before it gives up (the other half then copies it all). */
const SEARCH_BYTES = 16 << 20;

/**
 * Whether RECORDS_IN_A_ROW whole records follow one another from `at` (or fewer, up to the segment's end); `short`
 * with where the buffer must reach to tell.
 */
function recordsInARow(bytes: SegmentBytes, at: number): boolean | { short: number } {
  for (let i = 0; i < RECORDS_IN_A_ROW && bytes.offset + at < bytes.size; i++) {
    const record = recordAt(bytes.buffer, at, bytes.filled);
    if (record === 'unreadable') return false;
    if ('short' in record) return bytes.offset + record.short > bytes.size || record.short - at > SEARCH_BYTES ? false : record;
    at = record.end;
  }
  return true;
}

/** What a copy of a segment's second half found: where its first record starts (null if none was found), and whether surrealkv reads on from there to the end. */
export interface HalfCopied {
  startedAt: number | null;
  readable: boolean;
}

/**
 * The second half of a segment split between two threads: its records from the first one found at or past the byte
 * `after` (a place where RECORDS_IN_A_ROW whole records, checksums and all, follow one another) to the end, without
 * the derived ones, into `to`. The first half (copySegmentLeanInHalves) tells whether that place is where its own
 * records lead.
 */
export async function copySecondHalf(from: string, to: string, after: number, leftOut: LeftOut): Promise<HalfCopied> {
  let startedAt: number | null = null;
  const readable = await withSegmentFiles(from, to, async (bytes, written) => {
    if (!(await bytes.seek(after))) return false;
    for (let at = 0; bytes.offset + at < bytes.size && bytes.offset + at < after + SEARCH_BYTES; ) {
      const found = recordsInARow(bytes, at);
      if (found === true) {
        startedAt = bytes.offset + at;
        return (await copyRecords(bytes, written, at, Infinity, leftOut)) === 'end';
      }
      if (found === false) {
        at++;
        continue;
      }
      if (!(await bytes.readFrom(at, Math.min(bytes.size - bytes.offset - at, found.short - at)))) return false;
      at = 0;
    }
    return false;
  });
  return { startedAt, readable };
}

/**
 * Copies one segment on two threads: this one from its start to the first record at or past its middle, `second` (a
 * worker's copySecondHalf into `${to}.second`) from there to its end. The halves join only where this thread's
 * records lead to the very record the other started at; else this thread copies the rest itself.
 */
export async function copySegmentLeanInHalves(from: string, to: string, leftOut: LeftOut, second: (job: { from: string; to: string; after: number }) => Promise<HalfCopied & { leftOut: LeftOut }>): Promise<boolean> {
  const secondTo = `${to}.second`;
  const middle = Math.floor((await fs.stat(from)).size / 2);
  const secondHalf = second({ from, to: secondTo, after: middle });
  // Waited for whatever happens here: no thread writes once this returns.
  secondHalf.catch(() => undefined);
  try {
    const firstLeftOut: LeftOut = { records: 0, bytes: 0 };
    const whole = await withSegmentFiles(from, to, async (bytes, written) => {
      const first = await copyFromStart(bytes, written, middle, firstLeftOut);
      if (first === 'unreadable' || first === 'end') return first === 'end';
      const other = await secondHalf;
      if (other.startedAt !== first.stoppedAt) {
        return (await copyRecords(bytes, written, first.stoppedAt - bytes.offset, Infinity, firstLeftOut)) === 'end';
      }
      if (!other.readable) return false;
      await appendFile(written, secondTo);
      firstLeftOut.records += other.leftOut.records;
      firstLeftOut.bytes += other.leftOut.bytes;
      return true;
    });
    if (whole) {
      leftOut.records += firstLeftOut.records;
      leftOut.bytes += firstLeftOut.bytes;
    }
    return whole;
  } finally {
    await secondHalf.catch(() => undefined);
    await fs.rm(secondTo, { force: true });
  }
}

/** Appends the file `from` to what `written` writes. */
async function appendFile(written: BufferedWrite, from: string): Promise<void> {
  const input = await fs.open(from, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (let position = 0; ; ) {
      const { bytesRead } = await input.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return;
      await written.append(buffer, 0, bytesRead);
      position += bytesRead;
    }
  } finally {
    await input.close();
  }
}
