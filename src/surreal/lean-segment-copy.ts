// One segment of a SurrealDB 2 store's log, copied without the records its indexes derive from its records (the
// whole account: lean-store-copy.ts). Its own module so that a worker thread can copy a segment (lean-segment-worker.ts).
import { promises as fs } from 'node:fs';
import { BufferedWrite } from '../files/buffered-write.js';
import { recordAt, segmentHeaderEnd } from './surrealkv2-record.js';

export interface LeftOut {
  /** Index records left out of the copy's log. */
  records: number;
  bytes: number;
}

/** A segment of the log, by its file's name. */
export const SEGMENT = /^\d{20}\.clog$/;

const [SLASH, TILDE, PLUS, BANG, FULL_TEXT, HNSW, M_TREE] = ['/', '~', '+', '!', 'b', 'h', 'v'].map((c) => c.charCodeAt(0));
const READ_BYTES = 4 << 20;

/**
 * A record the store's indexes derive from its records (SurrealDB 2's keys): after `/*ns\0*db\0*tb\0`, a graph edge
 * (`~`), or an index's entry (`+ix\0`) of full-text (`!b`: bc, bd, bf, bi, bk, bl, bo, bp, bt, bu) or vector (`!h`
 * HNSW, `!v` M-tree) data. Unique and plain indexes (`+ix\0*`) and each index's state are kept: they are small, and a
 * query's WHERE may be answered from them.
 */
export function derivedEntry(buffer: Buffer, keyStart: number, keyEnd: number): boolean {
  if (buffer[keyStart] !== SLASH) return false;
  let at = keyStart;
  for (let ends = 0; ends < 3; ends++) {
    at = buffer.indexOf(0, at + 1);
    if (at < 0 || at + 1 >= keyEnd) return false;
  }
  const kind = buffer[at + 1];
  if (kind === TILDE) return true;
  if (kind !== PLUS) return false;
  const indexEnd = buffer.indexOf(0, at + 2);
  if (indexEnd < 0 || indexEnd + 2 >= keyEnd || buffer[indexEnd + 1] !== BANG) return false;
  const data = buffer[indexEnd + 2];
  return data === FULL_TEXT || data === HNSW || data === M_TREE;
}

/** Writes `from`'s segment to `to` without its derived records; false when surrealkv would not read it to its end. */
export async function copySegmentLean(from: string, to: string, leftOut: LeftOut): Promise<boolean> {
  const input = await fs.open(from, 'r');
  const output = await fs.open(to, 'wx', 0o600);
  try {
    const size = (await input.stat()).size;
    const written = new BufferedWrite(output);
    let buffer = Buffer.allocUnsafe(READ_BYTES);
    // The segment's bytes from `offset` on are in `buffer`, up to `filled`.
    let offset = 0;
    let filled = 0;
    // Keeps the bytes from `at` on and reads until `need` bytes are there; false if the file ends before (it shrank).
    const readFrom = async (at: number, need: number): Promise<boolean> => {
      buffer.copy(buffer, 0, at, filled);
      offset += at;
      filled -= at;
      if (need > buffer.length) buffer = Buffer.concat([buffer.subarray(0, filled)], Math.max(need, buffer.length * 2));
      while (filled < need) {
        const { bytesRead } = await input.read(buffer, filled, buffer.length - filled, offset + filled);
        if (bytesRead === 0) return false;
        filled += bytesRead;
      }
      return true;
    };
    if (!(await readFrom(0, Math.min(size, READ_BYTES)))) return false;
    const header = segmentHeaderEnd(buffer, filled);
    if (header === undefined) return false;
    await written.append(buffer, 0, header);
    for (let at = header; ; ) {
      const record = recordAt(buffer, at, filled);
      if (record === 'unreadable') return false;
      if ('short' in record) {
        // The segment ends at a record's end; a record it cuts short is where surrealkv stops.
        if (offset + at === size) {
          await written.flush();
          return true;
        }
        const need = Math.min(size - offset - at, Math.max(record.short - at, READ_BYTES));
        if (offset + record.short > size || !(await readFrom(at, need))) return false;
        at = 0;
        continue;
      }
      if (derivedEntry(buffer, record.keyStart, record.keyEnd)) {
        leftOut.records++;
        leftOut.bytes += record.end - at;
      } else {
        await written.append(buffer, at, record.end);
      }
      at = record.end;
    }
  } finally {
    await input.close();
    await output.close();
  }
}
