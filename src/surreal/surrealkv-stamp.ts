// SurrealDB's storage-version stamp (the key `/!vs`, written by SurrealDB 3.3 and later) read straight from a
// surrealkv 0.20+ folder's files, without opening the store: no engine, no LOCK, nothing written.
//
// The layout read here is surrealkv's (0.20.2 in @surrealdb/node 3.0.x, 0.21.4 in SurrealDB 3.3.5; the same on disk):
// - only the tables and WAL segments the newest manifest names are read (see surrealkv-manifest.ts);
// - an SSTable ends with a 50-byte footer: format (1), checksum type (1), the meta-index and index block handles
//   (two varints each), zero padding, then the magic 57 fb 80 8b 24 75 47 db; a block handle is (offset, size);
//   each block is followed by a compression byte (0 = none) and a CRC;
// - a block holds entries (varints shared, unshared, value length; the key's new bytes; the value), then restart
//   offsets (u32 each) and their count (u32, little-endian);
// - the index is two-level: the top-level block's values are handles of partition blocks, whose values are handles
//   of data blocks, in key order;
// - a key is the user key, then 8 bytes of trailer (sequence number << 8 | kind) and 8 of timestamp (big-endian);
// - a WAL record's batch holds each entry as kind (1 byte), key length (varint), key, value length (varint), value.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { filesIn, gone, idOf, readManifest } from './surrealkv-manifest.js';
import { varintNumberAt } from './surrealkv-varint.js';

const STAMP_KEY = Buffer.from('/!vs', 'latin1');
const FOOTER_LENGTH = 50;
const MAGIC = Buffer.from([0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb]);
const KEY_SUFFIX = 16;
const KIND_DELETE = 0;
const KIND_SOFT_DELETE = 1;
const KIND_SET = 2;
const KIND_REPLACE = 6;

export interface StorageStamp {
  /** The version the stamp holds, e.g. "3.3.5"; null when no stamp was found. */
  version: string | null;
  /** Where it was found, e.g. "sstables/00000000000000000001.sst", for the evidence. */
  foundIn?: string;
  /** Files that could not be read as surrealkv (compressed blocks, a torn file): the answer may miss a stamp in them. */
  unreadable: string[];
}

class Unreadable extends Error {}

function varint(buf: Buffer, at: number): [value: number, next: number] {
  const read = varintNumberAt(buf, at, 10);
  if (!read) throw new Unreadable('a varint runs past its block');
  return read;
}

async function readAt(file: fs.FileHandle, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await file.read(buf, 0, length, offset);
  if (bytesRead !== length) throw new Unreadable(`a block at ${offset} runs past the end of the file`);
  return buf;
}

async function readBlock(file: fs.FileHandle, handle: { offset: number; size: number }): Promise<Buffer> {
  const withCompression = await readAt(file, handle.offset, handle.size + 1);
  if (withCompression[handle.size] !== 0) throw new Unreadable(`a compressed block at ${handle.offset}`);
  return withCompression.subarray(0, handle.size);
}

interface Entry {
  key: Buffer;
  value: Buffer;
}

function* entries(block: Buffer): Generator<Entry> {
  if (block.length < 4) throw new Unreadable('a block shorter than its restart count');
  const restarts = block.readUInt32LE(block.length - 4);
  const end = block.length - 4 - restarts * 4;
  if (end < 0) throw new Unreadable('a block whose restart array is longer than the block');
  let previous = Buffer.alloc(0);
  for (let at = 0; at < end; ) {
    const [shared, a] = varint(block, at);
    const [unshared, b] = varint(block, a);
    const [valueLength, c] = varint(block, b);
    if (shared > previous.length || c + unshared + valueLength > end) throw new Unreadable('an entry runs past its block');
    const key = Buffer.concat([previous.subarray(0, shared), block.subarray(c, c + unshared)]);
    const value = block.subarray(c + unshared, c + unshared + valueLength);
    yield { key, value };
    previous = key;
    at = c + unshared + valueLength;
  }
}

function handleOf(value: Buffer): { offset: number; size: number } {
  const [offset, next] = varint(value, 0);
  const [size] = varint(value, next);
  return { offset, size };
}

function versionIn(value: Buffer): string | null {
  return /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)/.exec(value.toString('latin1'))?.[1] ?? null;
}

interface Found {
  seq: number;
  version: string | null;
}

/**
 * An index entry's key is at least every key of the block it names (surrealkv's separator: the block's last key, or a
 * shorter key above it): a block whose index key sorts below `/!vs` is skipped unread. A 3.0 store keeps its full-text
 * indexes' pending changes (`/!ic…`) there, tens of MB of them at 100,000 messages.
 */
function endsBeforeStamp(indexKey: Buffer): boolean {
  return indexKey.length >= KEY_SUFFIX && Buffer.compare(indexKey.subarray(0, indexKey.length - KEY_SUFFIX), STAMP_KEY) < 0;
}

/** The newest `/!vs` entry of one SSTable (a deletion gives version null), or undefined when the table has none. */
async function stampInTable(file: fs.FileHandle): Promise<Found | undefined> {
  const { size } = await file.stat();
  if (size < FOOTER_LENGTH) throw new Unreadable('shorter than an SSTable footer');
  const footer = await readAt(file, size - FOOTER_LENGTH, FOOTER_LENGTH);
  if (!footer.subarray(FOOTER_LENGTH - MAGIC.length).equals(MAGIC)) throw new Unreadable('no SSTable magic number');
  const [, afterMeta] = varint(footer, 2);
  const [, afterMetaSize] = varint(footer, afterMeta);
  const topLevel = await readBlock(file, handleOf(footer.subarray(afterMetaSize)));
  for (const partition of entries(topLevel)) {
    if (endsBeforeStamp(partition.key)) continue;
    for (const dataBlock of entries(await readBlock(file, handleOf(partition.value)))) {
      if (endsBeforeStamp(dataBlock.key)) continue;
      for (const { key, value } of entries(await readBlock(file, handleOf(dataBlock.value)))) {
        if (key.length < KEY_SUFFIX) throw new Unreadable('a key shorter than its trailer');
        const order = Buffer.compare(key.subarray(0, key.length - KEY_SUFFIX), STAMP_KEY);
        // Keys are sorted, newest version of a key first: the first `/!vs` is the table's answer.
        if (order > 0) return undefined;
        if (order < 0) continue;
        const trailer = key.readBigUInt64BE(key.length - KEY_SUFFIX);
        const kind = Number(trailer & 0xffn);
        const seq = Number(trailer >> 8n);
        if (kind === KIND_DELETE || kind === KIND_SOFT_DELETE) return { seq, version: null };
        if (kind === KIND_SET || kind === KIND_REPLACE) return { seq, version: versionIn(value) };
      }
    }
  }
  return undefined;
}

const WAL_CHUNK = 4 * 1024 * 1024;
/** Room around a match for its kind and length bytes before, and the stamp's value (a short version string) after. */
const WAL_MARGIN = 256;

/** The stamp entries in `bytes` whose key starts in [from, limit): what lies outside is another chunk's. */
function stampsIn(bytes: Buffer, from: number, limit: number): Array<string | null> {
  const found: Array<string | null> = [];
  for (let at = bytes.indexOf(STAMP_KEY, from); at >= 0 && at < limit; at = bytes.indexOf(STAMP_KEY, at + 1)) {
    if (at < 2 || bytes[at - 1] !== STAMP_KEY.length) continue;
    const kind = bytes[at - 2];
    if (kind === KIND_DELETE || kind === KIND_SOFT_DELETE) found.push(null);
    if (kind !== KIND_SET && kind !== KIND_REPLACE) continue;
    const [length, start] = varint(bytes, at + STAMP_KEY.length);
    const version = versionIn(bytes.subarray(start, start + length));
    if (version) found.push(version);
  }
  return found;
}

/**
 * The last `/!vs` written in a WAL segment (its batches hold whole keys, each after its kind and length), read in
 * chunks: a segment can hold up to a memtable's worth of writes (1 GiB in SurrealDB 3.3.5).
 */
async function stampInWal(path: string): Promise<string | null | undefined> {
  const file = await fs.open(path, 'r');
  try {
    const buffer = Buffer.alloc(WAL_CHUNK + 2 * WAL_MARGIN);
    let found: string | null | undefined;
    // Each read starts WAL_MARGIN bytes before the previous chunk's end, so a key cut by a chunk border is read whole.
    for (let position = 0; ; position += WAL_CHUNK) {
      const from = Math.max(0, position - WAL_MARGIN);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, from);
      if (bytesRead === 0) break;
      const bytes = buffer.subarray(0, bytesRead);
      const last = bytesRead < buffer.length;
      const own = position - from;
      for (const stamp of stampsIn(bytes, own, last ? bytesRead : own + WAL_CHUNK)) found = stamp;
      if (last) break;
    }
    return found;
  } finally {
    await file.close();
  }
}

/**
 * Reads the storage-version stamp of a surrealkv 0.20+ store folder. The WAL holds what was not yet flushed, so a
 * stamp there is newer than any in an SSTable; among SSTables the highest sequence number wins.
 */
export async function readStorageStamp(storeDir: string): Promise<StorageStamp> {
  const unreadable: string[] = [];
  const manifest = await readManifest(storeDir);
  // Without a manifest this code reads, every file counts: a stamp is then found wherever it is.
  const liveTable = (name: string) => !manifest || manifest.tables.includes(idOf(name));
  const liveWal = (name: string) => !manifest || idOf(name) >= manifest.logNumber;
  let best: (Found & { foundIn: string }) | undefined;
  for (const name of (await filesIn(path.join(storeDir, 'sstables'), '.sst')).filter(liveTable)) {
    const relative = `sstables/${name}`;
    const file = await fs.open(path.join(storeDir, relative), 'r').catch(gone);
    if (!file) continue;
    try {
      const found = await stampInTable(file);
      if (found && (!best || found.seq > best.seq)) best = { ...found, foundIn: relative };
    } catch (error) {
      if (!(error instanceof Unreadable)) throw error;
      unreadable.push(`${relative}: ${error.message}`);
    } finally {
      await file.close();
    }
  }
  let fromWal: { version: string | null; foundIn: string } | undefined;
  for (const name of (await filesIn(path.join(storeDir, 'wal'), '.wal')).filter(liveWal)) {
    const relative = `wal/${name}`;
    try {
      const found = await stampInWal(path.join(storeDir, relative));
      if (found !== undefined) fromWal = { version: found, foundIn: relative };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      if (!(error instanceof Unreadable)) throw error;
      unreadable.push(`${relative}: ${error.message}`);
    }
  }
  const chosen = fromWal ?? best;
  if (!chosen || chosen.version === null) return { version: null, unreadable };
  return { version: chosen.version, foundIn: chosen.foundIn, unreadable };
}
