// A SurrealDB 2 log record's checksum, as surrealkv checks it when it opens a store: the CRC-32 pattern-db computes
// from the fields where they lie (core/crc32.ts) against zlib's crc32 of the bytes Rust's Hash writes, laid out in
// one buffer (the record's format: surreal/surrealkv2-record.ts). A real store's every record is read in
// test/integration/lean-store-copy-2x.test.ts; these add the metadata a live Pattern store's log rarely holds.
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CRC_START, crcBytes, crcValue } from '../../src/core/crc32.js';
import { recordAt } from '../../src/surreal/surrealkv2-record.js';

const u64le = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};
const u32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/** A record as surrealkv writes it, its checksum computed by zlib over the fields as Rust's Hash writes them. */
function record(key: Buffer, value: Buffer, metadata: Buffer, txId = 7n, ts = 1_700_000_000_000n, version = 1): Buffer {
  const attribute = metadata.length ? [u64le(1n), u64le(BigInt(metadata[0]!))] : [u64le(0n)];
  const hashed = Buffer.concat([u64le(txId), u64le(ts), Buffer.from([version & 255, version >> 8]), u32le(key.length), u64le(BigInt(key.length)), key, ...attribute, u32le(value.length), u64le(BigInt(value.length)), value]);
  const head = Buffer.alloc(24);
  head.writeUInt32BE(crc32(hashed), 0);
  head.writeUInt16BE(version, 4);
  head.writeBigUInt64BE(txId, 6);
  head.writeBigUInt64BE(ts, 14);
  head.writeUInt16BE(metadata.length, 22);
  const keyLength = Buffer.alloc(4);
  keyLength.writeUInt32BE(key.length);
  const valueLength = Buffer.alloc(4);
  valueLength.writeUInt32BE(value.length);
  return Buffer.concat([head, metadata, keyLength, key, valueLength, value]);
}

describe('a SurrealDB 2 log record', () => {
  const key = Buffer.from('/*pattern\0*pattern\0*msg\0*\0\0\0\x01msg_1');
  it.each([
    ['no metadata', Buffer.alloc(0)],
    ['a tombstone', Buffer.from([0, 0])],
    ['a deletion', Buffer.from([1, 1])],
  ])('with %s is read whole, and unreadable once a byte its checksum covers changes', (_kind, metadata) => {
    const value = Buffer.from(Array.from({ length: 301 }, (_, i) => (i * 37) & 255));
    const bytes = record(key, value, metadata);
    expect(recordAt(bytes, 0, bytes.length)).toEqual({ end: bytes.length, keyStart: 24 + metadata.length + 4, keyEnd: 24 + metadata.length + 4 + key.length });
    for (const at of [4, 6, 14, 24 + metadata.length + 4, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[at] = changed[at]! ^ 0x10;
      expect(recordAt(changed, 0, changed.length), `byte ${at} changed`).toBe('unreadable');
    }
  });
});

describe('CRC-32', () => {
  it("is zlib's, over any length and from any offset, fed whole or in pieces", () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 2654435761) >>> 24));
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= 80; end++) {
        const whole = crcValue(crcBytes(CRC_START, data, start, end));
        expect(whole).toBe(crc32(data.subarray(start, end)));
        const middle = Math.floor((start + end) / 2);
        expect(crcValue(crcBytes(crcBytes(CRC_START, data, start, middle), data, middle, end))).toBe(whole);
      }
    }
    expect(crcValue(crcBytes(CRC_START, data, 0, data.length))).toBe(crc32(data));
  });
});
