// One segment of a SurrealDB 2 store's log, copied without the records its indexes derive from its records (the
// whole account: lean-store-copy.ts). Its own module so that a worker thread can copy a segment (lean-segment-worker.ts),
// or half of one (lean-segment-halves.ts).
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
export const READ_BYTES = 4 << 20;

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

/** A segment's bytes, read into one buffer a piece at a time: from the segment's byte `offset` on, up to `filled`. */
export class SegmentBytes {
  buffer = Buffer.allocUnsafe(READ_BYTES);
  offset = 0;
  filled = 0;
  constructor(
    private readonly input: fs.FileHandle,
    readonly size: number,
  ) {}

  /** Keeps the bytes from `at` on and reads until `need` bytes are there; false if the file ends before (it shrank). */
  async readFrom(at: number, need: number): Promise<boolean> {
    this.buffer.copy(this.buffer, 0, at, this.filled);
    this.offset += at;
    this.filled -= at;
    if (need > this.buffer.length) this.buffer = Buffer.concat([this.buffer.subarray(0, this.filled)], Math.max(need, this.buffer.length * 2));
    while (this.filled < need) {
      const { bytesRead } = await this.input.read(this.buffer, this.filled, this.buffer.length - this.filled, this.offset + this.filled);
      if (bytesRead === 0) return false;
      this.filled += bytesRead;
    }
    return true;
  }

  /** The bytes from the segment's byte `position` on, READ_BYTES of them or up to its end. */
  seek(position: number): Promise<boolean> {
    this.offset = position;
    this.filled = 0;
    return this.readFrom(0, Math.min(this.size - position, READ_BYTES));
  }
}

/** How copying records ended: at the segment's end, where surrealkv would stop, or at the first record at or past `stop`. */
export type RecordsCopied = 'end' | 'unreadable' | { stoppedAt: number };

/** Copies the records from `at` (in the buffer) on, leaving out the derived ones, until one starts at or past the segment's byte `stop`. */
export async function copyRecords(bytes: SegmentBytes, written: BufferedWrite, at: number, stop: number, leftOut: LeftOut): Promise<RecordsCopied> {
  for (;;) {
    if (bytes.offset + at >= stop) return { stoppedAt: bytes.offset + at };
    const record = recordAt(bytes.buffer, at, bytes.filled);
    if (record === 'unreadable') return 'unreadable';
    if ('short' in record) {
      // The segment ends at a record's end; a record it cuts short is where surrealkv stops.
      if (bytes.offset + at === bytes.size) return 'end';
      const need = Math.min(bytes.size - bytes.offset - at, Math.max(record.short - at, READ_BYTES));
      if (bytes.offset + record.short > bytes.size || !(await bytes.readFrom(at, need))) return 'unreadable';
      at = 0;
      continue;
    }
    if (derivedEntry(bytes.buffer, record.keyStart, record.keyEnd)) {
      leftOut.records++;
      leftOut.bytes += record.end - at;
    } else {
      await written.append(bytes.buffer, at, record.end);
    }
    at = record.end;
  }
}

/** Runs `copy` on `from` (read) and a new private file `to`, flushed when `copy` says it was read to its end. */
export async function withSegmentFiles(from: string, to: string, copy: (bytes: SegmentBytes, written: BufferedWrite) => Promise<boolean>): Promise<boolean> {
  const input = await fs.open(from, 'r');
  try {
    const output = await fs.open(to, 'wx', 0o600);
    try {
      const written = new BufferedWrite(output);
      const whole = await copy(new SegmentBytes(input, (await input.stat()).size), written);
      if (whole) await written.flush();
      return whole;
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}

/** Copies the segment's header and its records from there on until one starts at or past `stop`. */
export async function copyFromStart(bytes: SegmentBytes, written: BufferedWrite, stop: number, leftOut: LeftOut): Promise<RecordsCopied> {
  if (!(await bytes.seek(0))) return 'unreadable';
  const header = segmentHeaderEnd(bytes.buffer, bytes.filled);
  if (header === undefined) return 'unreadable';
  await written.append(bytes.buffer, 0, header);
  return copyRecords(bytes, written, header, stop, leftOut);
}

/** Writes `from`'s segment to `to` without its derived records; false when surrealkv would not read it to its end. */
export async function copySegmentLean(from: string, to: string, leftOut: LeftOut): Promise<boolean> {
  return withSegmentFiles(from, to, async (bytes, written) => (await copyFromStart(bytes, written, Infinity, leftOut)) === 'end');
}
