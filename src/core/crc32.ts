// CRC-32 (zlib's), fed from where the bytes are: SurrealDB 2's log records are checksummed over their fields in
// another order and byte order than they are stored (surreal/surrealkv2-record.ts), which zlib's crc32 could only take
// laid out in one buffer first. Eight bytes a step (slicing by 8). The generated 5,000-message store's log (1,061,267
// records, 267 MB) copied without its index data on one thread (surreal/lean-segment-copy.ts): 0.66–0.79 s, against
// 1.03–1.29 s with each record laid out for zlib (3 runs each).

/** The table for each of the 8 bytes of a step: TABLES[k * 256 + b]. */
const TABLES = (() => {
  const tables = new Int32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[b] = c;
  }
  for (let b = 0; b < 256; b++) {
    for (let k = 1; k < 8; k++) {
      const before = tables[(k - 1) * 256 + b]!;
      tables[k * 256 + b] = (before >>> 8) ^ tables[before & 255]!;
    }
  }
  return tables;
})();

/** The state before any byte: fed with crcBytes and crcByte, read with crcValue. */
export const CRC_START = -1;

export function crcByte(state: number, byte: number): number {
  return TABLES[(state ^ byte) & 255]! ^ (state >>> 8);
}

/** `buffer` from `start` to `end`. */
export function crcBytes(state: number, buffer: Uint8Array, start: number, end: number): number {
  let c = state;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const low = c ^ (buffer[i]! | (buffer[i + 1]! << 8) | (buffer[i + 2]! << 16) | (buffer[i + 3]! << 24));
    c =
      TABLES[7 * 256 + (low & 255)]! ^
      TABLES[6 * 256 + ((low >>> 8) & 255)]! ^
      TABLES[5 * 256 + ((low >>> 16) & 255)]! ^
      TABLES[4 * 256 + (low >>> 24)]! ^
      TABLES[3 * 256 + buffer[i + 4]!]! ^
      TABLES[2 * 256 + buffer[i + 5]!]! ^
      TABLES[256 + buffer[i + 6]!]! ^
      TABLES[buffer[i + 7]!]!;
  }
  for (; i < end; i++) c = crcByte(c, buffer[i]!);
  return c;
}

/** The checksum of what was fed, as zlib's crc32 gives it. */
export function crcValue(state: number): number {
  return ~state >>> 0;
}
