// The stamp reader seeks to `/!vs` through an SSTable's index instead of reading every block before it: tables built
// here in the layout surrealkv-stamp.ts describes (real stores are read in test/integration/store-format.test.ts).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStorageStamp } from '../../src/surreal/surrealkv-stamp.js';
import { tempDir } from '../helpers/surreal.js';

const KIND_SET = 2;

function varint(value: number): Buffer {
  const bytes: number[] = [];
  for (; value >= 0x80; value = Math.floor(value / 128)) bytes.push((value % 128) | 0x80);
  bytes.push(value);
  return Buffer.from(bytes);
}

/** A user key with its trailer: sequence << 8 | kind, then a timestamp (8 bytes each, big-endian). */
function internalKey(user: string, seq: number): Buffer {
  const trailer = Buffer.alloc(16);
  trailer.writeBigUInt64BE((BigInt(seq) << 8n) | BigInt(KIND_SET), 0);
  return Buffer.concat([Buffer.from(user, 'latin1'), trailer]);
}

/** Entries without shared prefixes, and no restart points. */
function block(entries: Array<[key: Buffer, value: Buffer]>): Buffer {
  const parts = entries.flatMap(([key, value]) => [varint(0), varint(key.length), varint(value.length), key, value]);
  return Buffer.concat([...parts, Buffer.alloc(4)]);
}

interface DataBlock {
  keys: string[];
  /** Its compression byte: anything but 0 makes the block unreadable to the stamp reader. */
  compressed?: boolean;
}

/** One SSTable: the data blocks, one partition naming each by its last key, the top-level index, the footer. */
function sstable(blocks: DataBlock[]): Buffer {
  const out: Buffer[] = [];
  let offset = 0;
  const put = (body: Buffer, compressed = false) => {
    const handle = Buffer.concat([varint(offset), varint(body.length)]);
    out.push(body, Buffer.from([compressed ? 1 : 0]), Buffer.alloc(4));
    offset += body.length + 5;
    return handle;
  };
  let seq = 1;
  const partition: Array<[Buffer, Buffer]> = blocks.map((b) => {
    const keys = b.keys.map((k) => internalKey(k, seq++));
    const handle = put(block(keys.map((key) => [key, Buffer.from('3.3.5', 'latin1')])), b.compressed);
    return [keys.at(-1)!, handle];
  });
  const partitionHandle = put(block(partition));
  const topHandle = put(block([[partition.at(-1)![0], partitionHandle]]));
  const head = Buffer.concat([Buffer.from([1, 0]), varint(0), varint(0), topHandle]);
  const magic = Buffer.from([0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb]);
  out.push(head, Buffer.alloc(50 - head.length - magic.length), magic);
  return Buffer.concat(out);
}

async function storeWith(table: Buffer): Promise<string> {
  const dir = path.join(await tempDir('pattern-db-stamp-'), 'pattern.db');
  await fs.mkdir(path.join(dir, 'sstables'), { recursive: true });
  await fs.writeFile(path.join(dir, 'sstables', '00000000000000000001.sst'), table);
  return dir;
}

const pending = (n: number) => Array.from({ length: 3 }, (_, i) => `/!ic${n}${i}`);

describe('readStorageStamp in an SSTable', () => {
  it('finds the stamp behind blocks of keys that sort before it, without reading those blocks', async () => {
    const dir = await storeWith(
      sstable([
        // Unreadable if read: the index says every key in it sorts before /!vs.
        { keys: pending(1), compressed: true },
        { keys: pending(2), compressed: true },
        { keys: [...pending(3), '/!vs'] },
        { keys: ['/*a', '/*b'] },
      ]),
    );
    expect(await readStorageStamp(dir)).toEqual({ version: '3.3.5', foundIn: 'sstables/00000000000000000001.sst', unreadable: [] });
  });

  it('reads the block whose last key is the stamp itself', async () => {
    const dir = await storeWith(sstable([{ keys: pending(1), compressed: true }, { keys: ['/!ic9', '/!vs'] }]));
    expect((await readStorageStamp(dir)).version).toBe('3.3.5');
  });

  it('finds no stamp in a table whose keys pass over it', async () => {
    const dir = await storeWith(sstable([{ keys: pending(1), compressed: true }, { keys: ['/!ic9', '/*a'] }, { keys: ['/*b'] }]));
    expect(await readStorageStamp(dir)).toEqual({ version: null, unreadable: [] });
  });

  it('still reads a block that may hold the stamp, and says when it cannot', async () => {
    const dir = await storeWith(sstable([{ keys: pending(1) }, { keys: ['/!ic9', '/!vs'], compressed: true }]));
    const stamp = await readStorageStamp(dir);
    expect(stamp.version).toBeNull();
    expect(stamp.unreadable).toEqual([expect.stringMatching(/^sstables\/00000000000000000001\.sst: a compressed block at \d+$/)]);
  });
});
