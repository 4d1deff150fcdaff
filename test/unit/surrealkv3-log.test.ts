import { promises as fs } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BufferedWrite } from '../../src/files/buffered-write.js';
import { BLOCK_BYTES, LogWriter, logRecords } from '../../src/surreal/surrealkv3-log.js';
import { tempDir } from '../helpers/temp-folders.js';

/** A log written by LogWriter holding `records`; its path. */
async function logOf(records: Buffer[]): Promise<string> {
  const file = path.join(await tempDir(), 'log.wal');
  const handle = await fs.open(file, 'w');
  const out = new BufferedWrite(handle);
  const writer = new LogWriter(out);
  for (const record of records) await writer.add(record);
  await out.flush();
  await handle.close();
  return file;
}

async function readBack(file: string): Promise<Array<Buffer | 'unreadable'>> {
  const handle = await fs.open(file, 'r');
  try {
    const records: Array<Buffer | 'unreadable'> = [];
    // Copied: a record is a view valid until the next one is asked for.
    for await (const record of logRecords(handle)) records.push(record === 'unreadable' ? record : Buffer.from(record));
    return records;
  } finally {
    await handle.close();
  }
}

/** The physical records of a log: offset, type and payload length, as surrealkv frames them. */
function physical(bytes: Buffer): Array<{ at: number; type: number; length: number }> {
  const found: Array<{ at: number; type: number; length: number }> = [];
  for (let at = 0; at + 7 <= bytes.length; ) {
    const left = BLOCK_BYTES - (at % BLOCK_BYTES);
    if (left < 7) {
      at += left;
      continue;
    }
    const length = bytes.readUInt16BE(at + 4);
    found.push({ at, type: bytes[at + 6]!, length });
    at += 7 + length;
  }
  return found;
}

const filled = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 31 + seed) % 251));

describe('the SurrealDB 3 log', () => {
  it('frames records as surrealkv does: whole ones in a block, longer ones cut at block ends, each checksummed over its type and payload', async () => {
    // The second record's last fragment takes 628 bytes of the third block; the third record fills the rest of it.
    const records = [filled(100, 1), filled(BLOCK_BYTES * 2 + 500, 2), filled(BLOCK_BYTES - 628 - 7, 3), filled(3, 4), filled(40, 5)];
    const file = await logOf(records);
    const bytes = await fs.readFile(file);
    const frames = physical(bytes);
    expect(frames.map((f) => f.type)).toEqual([1, 2, 3, 4, 1, 1, 1]);
    // The second record starts right after the first, and its fragments end at block ends.
    expect(frames[1]!.at).toBe(107);
    expect(frames[2]!.at).toBe(BLOCK_BYTES);
    expect(frames[5]!.at).toBe(BLOCK_BYTES * 3);
    for (const frame of frames) {
      const payload = bytes.subarray(frame.at + 7, frame.at + 7 + frame.length);
      expect(bytes.readUInt32BE(frame.at)).toBe(crc32(payload, crc32(Buffer.of(frame.type))));
    }
    expect(await readBack(file)).toEqual(records);
  });

  it('pads a block with fewer than 7 bytes left with zeros, and reads on past them', async () => {
    // After the header (7) and 32,756 bytes, 5 bytes of the block are left.
    const records = [filled(BLOCK_BYTES - 12, 1), filled(10, 2)];
    const file = await logOf(records);
    const bytes = await fs.readFile(file);
    expect(bytes.subarray(BLOCK_BYTES - 5, BLOCK_BYTES)).toEqual(Buffer.alloc(5));
    expect(physical(bytes)[1]!.at).toBe(BLOCK_BYTES);
    expect(await readBack(file)).toEqual(records);
  });

  it('reads a block ending in an empty record (zeros) as padding', async () => {
    const file = await logOf([filled(10, 1)]);
    await fs.appendFile(file, Buffer.alloc(100));
    expect(await readBack(file)).toEqual([filled(10, 1)]);
  });

  it('is unreadable where surrealkv would not read on as it is: a failed checksum, a record cut short, a fragment out of place, bytes after padding', async () => {
    const records = [filled(100, 1), filled(BLOCK_BYTES + 100, 2), filled(50, 3)];
    const bytes = await fs.readFile(await logOf(records));
    const variants = {
      checksum: (b: Buffer) => ((b[200] = b[200]! ^ 1), b),
      cutShort: (b: Buffer) => b.subarray(0, BLOCK_BYTES + 50),
      orphanFragment: (b: Buffer) => Buffer.concat([b.subarray(0, 107), b.subarray(BLOCK_BYTES)]),
      notPadding: (b: Buffer) => Buffer.concat([b.subarray(0, 107), Buffer.from([0, 0, 0, 0, 0, 0, 0, 9])]),
    };
    for (const [name, damage] of Object.entries(variants)) {
      const file = path.join(await tempDir(), `${name}.wal`);
      await fs.writeFile(file, damage(Buffer.from(bytes)));
      expect((await readBack(file)).at(-1), name).toBe('unreadable');
    }
  });
});
