// The records of a SurrealDB 2 store's commit log (surrealkv 0.9, clog/NNN.clog), read the way surrealkv reads them
// when it opens the store. A segment is a header (a u32 length, then that many bytes) and records, back to back, none
// spanning two segments:
//   crc32 (u32) | version (u16) | tx id (u64) | ts (u64) | metadata length (u16) | metadata | key length (u32) | key |
//   value length (u32) | value
// all big-endian. The crc32 is not of those bytes but of what Rust's Hash writes for the record: tx id, ts, version,
// key length, the key (its length as a u64, then its bytes), the metadata as an Option (its discriminant as a u64, then
// each attribute's as a u64), value length, the value (as the key), every number little-endian. Metadata is at most
// two bytes, one attribute (0 a tombstone, 1 deleted) written twice. surrealkv stops at a record of tx id 0 (zeros
// padding a cut file) or that fails its checksum, and drops the rest.
import { CRC_START, crcByte, crcBytes, crcValue } from '../core/crc32.js';

/** crc32, version, tx id, ts and metadata length. */
const FIXED_BYTES = 24;
const MAX_METADATA_BYTES = 2;

/** A whole record of `buffer`, from `start` to `end`, whose key is `keyStart` to `keyEnd`. */
export interface LogRecord {
  end: number;
  keyStart: number;
  keyEnd: number;
}

/**
 * The record at `start`: `short` (the least end it needs) when `buffer` holds less than all of it before `limit`,
 * `unreadable` when surrealkv would stop there (its tx id 0, metadata it does not write, a checksum that does not match).
 */
export type RecordAt = LogRecord | { short: number } | 'unreadable';

/** Where the first record begins, once `limit` bytes of the segment are in `buffer`; else undefined. */
export function segmentHeaderEnd(buffer: Buffer, limit: number): number | undefined {
  if (limit < 4) return undefined;
  const end = 4 + buffer.readUInt32BE(0);
  return end <= limit ? end : undefined;
}

export function recordAt(buffer: Buffer, start: number, limit: number): RecordAt {
  if (limit - start < FIXED_BYTES) return { short: start + FIXED_BYTES };
  const txIdZero = buffer.readUInt32BE(start + 6) === 0 && buffer.readUInt32BE(start + 10) === 0;
  const metadataBytes = buffer.readUInt16BE(start + 22);
  if (txIdZero || metadataBytes > MAX_METADATA_BYTES) return 'unreadable';
  const metadataAt = start + FIXED_BYTES;
  const keyLengthAt = metadataAt + metadataBytes;
  if (limit - keyLengthAt < 4) return { short: keyLengthAt + 4 };
  const keyStart = keyLengthAt + 4;
  const keyEnd = keyStart + buffer.readUInt32BE(keyLengthAt);
  if (limit - keyEnd < 4) return { short: keyEnd + 4 };
  const valueStart = keyEnd + 4;
  const end = valueStart + buffer.readUInt32BE(keyEnd);
  if (end > limit) return { short: end };
  const attribute = metadataBytes === 0 ? undefined : metadataAttribute(buffer, metadataAt, metadataBytes);
  if (attribute === null) return 'unreadable';
  const checksum = recordChecksum(buffer, start, keyStart, keyEnd, valueStart, end, attribute);
  return checksum === buffer.readUInt32BE(start) ? { end, keyStart, keyEnd } : 'unreadable';
}

/** The one attribute surrealkv writes (kind, then kind again), or null for bytes it would not have written. */
function metadataAttribute(buffer: Buffer, at: number, bytes: number): number | null {
  const kind = buffer[at]!;
  return bytes === 2 && kind <= 1 && buffer[at + 1] === kind ? kind : null;
}

/** The big-endian field of `bytes` at `at`, fed as Rust hashes it: little-endian. */
function reversed(state: number, buffer: Buffer, at: number, bytes: number): number {
  for (let i = at + bytes - 1; i >= at; i--) state = crcByte(state, buffer[i]!);
  return state;
}

/** `n` zero bytes. */
function zeros(state: number, n: number): number {
  for (let i = 0; i < n; i++) state = crcByte(state, 0);
  return state;
}

/** A u32 little-endian. */
function u32(state: number, value: number): number {
  for (let shift = 0; shift < 32; shift += 8) state = crcByte(state, (value >>> shift) & 255);
  return state;
}

/** A length as Rust hashes a u32 field and then a slice's length (a u64). */
function lengthTwice(state: number, length: number): number {
  return zeros(u32(u32(state, length), length), 4);
}

function recordChecksum(buffer: Buffer, start: number, keyStart: number, keyEnd: number, valueStart: number, end: number, attribute: number | undefined): number {
  let state = reversed(CRC_START, buffer, start + 6, 8);
  state = reversed(state, buffer, start + 14, 8);
  state = reversed(state, buffer, start + 4, 2);
  state = crcBytes(lengthTwice(state, keyEnd - keyStart), buffer, keyStart, keyEnd);
  // The metadata, an Option: its discriminant as a u64, then the attribute's.
  state = attribute === undefined ? zeros(state, 8) : zeros(crcByte(zeros(crcByte(state, 1), 7), attribute), 7);
  return crcValue(crcBytes(lengthTwice(state, end - valueStart), buffer, valueStart, end));
}
