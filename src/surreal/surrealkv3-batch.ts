// A write batch of a SurrealDB 3 store's log (surrealkv 0.20+, one per committed transaction), and which of its entries
// the store's indexes derive from its records. The layout, as surrealkv 0.21.4 encodes it (0.20.2 in @surrealdb/node
// 3.0.x writes the same): version (1, the only one), the first entry's sequence number (varint), the entry count
// (varint), then each entry as kind (1 byte), key length and key, value length and value, timestamp (varints), then one
// value pointer slot an entry: 0, or 1 and 25 bytes naming where the value sits in the value log. Entry i has the
// sequence number first + i.

import { varintNumberAt } from './surrealkv-varint.js';

const VERSION = 1;
const POINTER_BYTES = 25;

/** A varint's value (a sequence number), and where it ends. */
function varint(buffer: Buffer, at: number): [value: bigint, next: number] | undefined {
  let value = 0n;
  for (let i = 0; i < 10 && at + i < buffer.length; i++) {
    const byte = buffer[at + i]!;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if (byte < 0x80) return [value, at + i + 1];
  }
  return undefined;
}

/** A varint that counts bytes (a length, a count), well within a number, and where it ends; undefined if it runs past the buffer. */
const lengthAt = (buffer: Buffer, at: number) => varintNumberAt(buffer, at, 8);

function skipVarint(buffer: Buffer, at: number): number | undefined {
  for (let i = at; i < buffer.length && i < at + 10; i++) if (buffer[i]! < 0x80) return i + 1;
  return undefined;
}

function encodeVarint(value: bigint): Buffer {
  const bytes: number[] = [];
  do {
    const low = Number(value & 0x7fn);
    value >>= 7n;
    bytes.push(value > 0n ? low | 0x80 : low);
  } while (value > 0n);
  return Buffer.from(bytes);
}

const [SLASH, STAR, BANG, TILDE, PLUS] = ['/', '*', '!', '~', '+'].map((c) => c.charCodeAt(0));
/** `/*` namespace id (4 bytes) `*` database id (4 bytes) `*`: where a table's name starts in its keys. */
const TABLE_AT = 12;
const QUEUES = ['/!ic', '/!gf'].map((prefix) => Buffer.from(prefix, 'latin1'));
/** After `+` and the index's id (4 bytes), `!` and two letters name an index's own data. */
const DERIVED_INDEX_DATA = new Set(['t', 'd', 'h'].map((c) => c.charCodeAt(0)));
const DERIVED_DOC_IDS = new Set(['d', 'i', 'b', 's'].map((c) => c.charCodeAt(0)));
const I = 'i'.charCodeAt(0);

/**
 * Whether the key in `buffer` from `start` to `end` is one whose entry the store's indexes derive from its records
 * (SurrealDB 3's keyspace): after `/*ns*db*tb\0`, a graph edge (`~`), or full-text or vector index data (`+ix!t…`
 * terms, `!d…` document stats and DiskANN, `!h…` HNSW, `!id`, `!ii`, `!ib`, `!is` full-text document ids); and the
 * queues of work on them (`/!ic` index compaction, `/!gf` graph folding). Unique and plain index entries (`+ix*`), an
 * index's count (`!iu`), version and build state are kept: they are small, and a query may be answered from them.
 */
export function derivedKey(buffer: Buffer, start = 0, end = buffer.length): boolean {
  if (end - start < 4 || buffer[start] !== SLASH) return false;
  if (buffer[start + 1] === BANG) return QUEUES.some((prefix) => buffer.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0);
  if (buffer[start + 1] !== STAR || buffer[start + 6] !== STAR || buffer[start + 11] !== STAR) return false;
  const tableEnd = buffer.indexOf(0, start + TABLE_AT);
  if (tableEnd < 0 || tableEnd + 1 >= end) return false;
  const kind = buffer[tableEnd + 1];
  if (kind === TILDE) return true;
  if (kind !== PLUS || tableEnd + 8 >= end || buffer[tableEnd + 6] !== BANG) return false;
  const [first, second] = [buffer[tableEnd + 7]!, buffer[tableEnd + 8]!];
  return DERIVED_INDEX_DATA.has(first) || (first === I && DERIVED_DOC_IDS.has(second));
}

/** What became of a batch: the batches to write in its place (none when every entry was derived), or unreadable. */
export type LeanBatch = { batches: Buffer[]; leftOut: number } | 'unreadable';

/**
 * The batch without its derived entries, as batches of the entries kept, each run of them its own batch starting at its
 * first entry's own sequence number: every entry kept keeps its number. The batch itself when nothing is left out.
 */
export function leanBatch(batch: Buffer): LeanBatch {
  if (batch[0] !== VERSION) return 'unreadable';
  const first = varint(batch, 1);
  const counted = first && lengthAt(batch, first[1]);
  if (!counted || !(counted[0] <= batch.length)) return 'unreadable';
  const [count, entriesStart] = counted;
  // Where each entry and its value pointer slot start (at count: where they end), and whether it is derived.
  const entryAt = new Float64Array(count + 1);
  const pointerAt = new Float64Array(count + 1);
  const derived = new Uint8Array(count);
  let leftOut = 0;
  let at = entriesStart;
  for (let i = 0; i < count; i++) {
    entryAt[i] = at;
    const key = lengthAt(batch, at + 1);
    const keyEnd = key ? key[1] + key[0] : NaN;
    const value = keyEnd <= batch.length ? lengthAt(batch, keyEnd) : undefined;
    const end = value && value[1] + value[0] <= batch.length ? skipVarint(batch, value[1] + value[0]) : undefined;
    if (!key || end === undefined) return 'unreadable';
    if (derivedKey(batch, key[1], keyEnd)) {
      derived[i] = 1;
      leftOut++;
    }
    at = end;
  }
  entryAt[count] = at;
  for (let i = 0; i < count; i++) {
    pointerAt[i] = at;
    at += batch[at] === 1 ? 1 + POINTER_BYTES : batch[at] === 0 ? 1 : NaN;
    if (!(at <= batch.length)) return 'unreadable';
  }
  pointerAt[count] = at;
  if (at !== batch.length) return 'unreadable';
  if (leftOut === 0) return { batches: [batch], leftOut };
  const batches: Buffer[] = [];
  for (let i = 0; i < count; ) {
    if (derived[i]) {
      i++;
      continue;
    }
    let end = i;
    while (end < count && !derived[end]) end++;
    batches.push(
      Buffer.concat([
        Buffer.of(VERSION),
        encodeVarint(first[0] + BigInt(i)),
        encodeVarint(BigInt(end - i)),
        batch.subarray(entryAt[i], entryAt[end]),
        batch.subarray(pointerAt[i], pointerAt[end]),
      ]),
    );
    i = end;
  }
  return { batches, leftOut };
}
