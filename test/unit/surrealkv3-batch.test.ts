import { describe, expect, it } from 'vitest';
import { derivedKey, leanBatch } from '../../src/surreal/surrealkv3-batch.js';

const NS_DB = Buffer.from([0x2f, 0x2a, 0, 0, 0, 1, 0x2a, 0, 0, 0, 0, 0x2a]);
/** A key under table `table` of namespace 1, database 0, continued by `rest` (latin1). */
const tableKey = (table: string, rest: string | Buffer) => Buffer.concat([NS_DB, Buffer.from(`${table}\0`, 'latin1'), typeof rest === 'string' ? Buffer.from(rest, 'latin1') : rest]);
const indexData = (table: string, kind: string) => tableKey(table, Buffer.concat([Buffer.from('+'), Buffer.from([0, 0, 0, 2]), Buffer.from(`!${kind}more`, 'latin1')]));

function varint(value: number | bigint): Buffer {
  let v = BigInt(value);
  const bytes: number[] = [];
  do {
    const low = Number(v & 0x7fn);
    v >>= 7n;
    bytes.push(v > 0n ? low | 0x80 : low);
  } while (v > 0n);
  return Buffer.from(bytes);
}

interface Entry {
  key: Buffer;
  value?: Buffer;
  pointer?: Buffer;
}

/** A batch as surrealkv encodes it: version 1, first sequence number, count, the entries, then their pointer slots. */
function batchOf(first: bigint, entries: Entry[]): Buffer {
  const timestamp = varint(1_764_000_000_000_000_000n);
  return Buffer.concat([
    Buffer.of(1),
    varint(first),
    varint(entries.length),
    ...entries.flatMap(({ key, value = Buffer.alloc(0) }) => [Buffer.of(2), varint(key.length), key, varint(value.length), value, timestamp]),
    ...entries.map(({ pointer }) => (pointer ? Buffer.concat([Buffer.of(1), pointer]) : Buffer.of(0))),
  ]);
}

describe('derivedKey (SurrealDB 3 keys)', () => {
  it('is true for graph edges, full-text and vector index data and the queues of work on them', () => {
    for (const key of [
      tableKey('msg', '~\u0003msg_1\0\u0002agent_messages'),
      indexData('msg', 'td'),
      indexData('msg', 'is'),
      indexData('msg', 'ii'),
      indexData('msg', 'dc'),
      indexData('mem', 'he'),
      indexData('mem', 'hn'),
      Buffer.from('/!ic\0\0\0\u0001\0\0\0\0msg\0', 'latin1'),
      Buffer.from('/!gf\0\0\0\u0001\0\0\0\0msg\0', 'latin1'),
    ]) {
      expect(derivedKey(key), key.toString('latin1')).toBe(true);
    }
  });

  it('is false for records, definitions, unique and plain index entries, an index\'s count and state, and the storage stamp', () => {
    for (const key of [
      tableKey('msg', '*\u0003msg_1\0'),
      tableKey('msg', '!ixmsg_content_search\0'),
      tableKey('msg', Buffer.concat([Buffer.from('+'), Buffer.from([0, 0, 0, 2]), Buffer.from('*\u0003a\0\u0002', 'latin1')])),
      indexData('msg', 'iu'),
      indexData('msg', 'iv'),
      Buffer.from('/!vs', 'latin1'),
      Buffer.from('/!nsx', 'latin1'),
      // A table named like a derived key's tail.
      tableKey('+~', '*\u0003x\0'),
    ]) {
      expect(derivedKey(key), key.toString('latin1')).toBe(false);
    }
  });
});

describe('leanBatch', () => {
  const record = (id: string) => ({ key: tableKey('msg', `*\u0003${id}\0`), value: Buffer.from(`{"id":"${id}"}`) });
  const derived = (n: number) => ({ key: indexData('msg', `td${n}`), value: Buffer.from('postings') });

  it('gives a batch without derived entries back as it is', () => {
    const batch = batchOf(100n, [record('a'), record('b')]);
    expect(leanBatch(batch)).toEqual({ batches: [batch], leftOut: 0 });
  });

  it('keeps each entry it keeps at its own sequence number: a run of kept entries per batch, value pointers with their entries', () => {
    const pointer = Buffer.alloc(25, 7);
    const a = record('a');
    const b = { ...record('b'), pointer };
    const c = record('c');
    const batch = batchOf(2n ** 60n, [derived(1), a, b, derived(2), derived(3), c, derived(4)]);
    expect(leanBatch(batch)).toEqual({ batches: [batchOf(2n ** 60n + 1n, [a, b]), batchOf(2n ** 60n + 5n, [c])], leftOut: 4 });
  });

  it('leaves nothing of a batch of derived entries only', () => {
    expect(leanBatch(batchOf(7n, [derived(1), derived(2)]))).toEqual({ batches: [], leftOut: 2 });
  });

  it('is unreadable for another version, a batch cut short, or bytes after its pointer slots', () => {
    const batch = batchOf(100n, [derived(1), record('a')]);
    expect(leanBatch(Buffer.concat([Buffer.of(2), batch.subarray(1)]))).toBe('unreadable');
    expect(leanBatch(batch.subarray(0, batch.length - 1))).toBe('unreadable');
    expect(leanBatch(batch.subarray(0, 30))).toBe('unreadable');
    expect(leanBatch(Buffer.concat([batch, Buffer.of(0)]))).toBe('unreadable');
  });
});
