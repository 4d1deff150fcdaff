// The framing of a SurrealDB 3 store's log (surrealkv 0.20+, `wal/*.wal`), read and written as surrealkv 0.21.4 does:
// 32 KiB blocks of physical records, each a header (crc32 of its type byte and payload, big-endian; payload length,
// 2 bytes big-endian; type) and its payload. A record that does not fit in what is left of a block is cut into a first,
// middle and last fragment; fewer than 7 bytes left in a block are zeros. A record of type 0 (empty) means the rest of
// its block is zeros.
import { crc32 } from 'node:zlib';
import type { FileHandle } from 'node:fs/promises';
import type { BufferedWrite } from '../files/buffered-write.js';

export const BLOCK_BYTES = 32 * 1024;
const HEADER_BYTES = 7;
const [EMPTY, FULL, FIRST, MIDDLE, LAST] = [0, 1, 2, 3, 4];
/** Blocks read at a time. */
const BLOCKS_READ = 128;

/** Each record type's byte, checksummed: where its record's checksum starts. */
const TYPE_CHECKSUMS = Array.from({ length: 256 }, (_, type) => crc32(Buffer.of(type)));
const checksum = (type: number, payload: Buffer): number => crc32(payload, TYPE_CHECKSUMS[type]);

/**
 * The log's records (its write batches), in order; 'unreadable' ends them where surrealkv would not read on as it is
 * (a record cut short, a checksum that fails, a type it does not write here: a compressed log) or would repair it.
 * A record may be a view of the buffer read into: it is valid until the next one is asked for.
 */
export async function* logRecords(file: FileHandle): AsyncGenerator<Buffer | 'unreadable'> {
  const buffer = Buffer.allocUnsafe(BLOCK_BYTES * BLOCKS_READ);
  // A record cut into fragments is put together here, the buffer being read into again before it is whole.
  let whole = Buffer.allocUnsafe(BLOCK_BYTES * BLOCKS_READ);
  let fragments: number | undefined;
  const add = (payload: Buffer): void => {
    if (fragments! + payload.length > whole.length) whole = Buffer.concat([whole.subarray(0, fragments)], Math.max(whole.length * 2, fragments! + payload.length));
    fragments! += payload.copy(whole, fragments);
  };
  for (let position = 0; ; position += buffer.length) {
    const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    for (let blockStart = 0; blockStart < bytesRead; blockStart += BLOCK_BYTES) {
      const blockEnd = Math.min(blockStart + BLOCK_BYTES, bytesRead);
      for (let at = blockStart; blockEnd - at >= HEADER_BYTES; ) {
        const type = buffer[at + 6]!;
        const length = buffer.readUInt16BE(at + 4);
        if (type === EMPTY) {
          if (buffer.subarray(at, blockEnd).some((byte) => byte !== 0)) return yield 'unreadable';
          break;
        }
        const payloadEnd = at + HEADER_BYTES + length;
        if (payloadEnd > blockEnd) return yield 'unreadable';
        const payload = buffer.subarray(at + HEADER_BYTES, payloadEnd);
        if (checksum(type, payload) !== buffer.readUInt32BE(at)) return yield 'unreadable';
        at = payloadEnd;
        if (type === FULL && fragments === undefined) yield payload;
        else if (type === FIRST && fragments === undefined) {
          fragments = 0;
          add(payload);
        } else if (type === MIDDLE && fragments !== undefined) add(payload);
        else if (type === LAST && fragments !== undefined) {
          add(payload);
          yield whole.subarray(0, fragments);
          fragments = undefined;
        } else return yield 'unreadable';
      }
    }
    if (bytesRead < buffer.length) break;
  }
  if (fragments !== undefined) yield 'unreadable';
}

/** Writes records into a new log, framed as surrealkv frames them. */
export class LogWriter {
  private blockOffset = 0;
  constructor(private readonly out: BufferedWrite) {}

  async add(record: Buffer): Promise<void> {
    let rest = record;
    for (let first = true; first || rest.length > 0; first = false) {
      const left = BLOCK_BYTES - this.blockOffset;
      if (left < HEADER_BYTES) {
        await this.out.append(Buffer.alloc(left));
        this.blockOffset = 0;
      }
      const room = BLOCK_BYTES - this.blockOffset - HEADER_BYTES;
      const fragment = rest.subarray(0, room);
      rest = rest.subarray(fragment.length);
      const type = first && rest.length === 0 ? FULL : first ? FIRST : rest.length === 0 ? LAST : MIDDLE;
      const header = Buffer.allocUnsafe(HEADER_BYTES);
      header.writeUInt32BE(checksum(type, fragment), 0);
      header.writeUInt16BE(fragment.length, 4);
      header[6] = type;
      await this.out.append(header);
      await this.out.append(fragment);
      this.blockOffset += HEADER_BYTES + fragment.length;
    }
  }
}
