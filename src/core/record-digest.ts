// One record's identity and the digest of its canonical value, computed here rather than by the server, so that a
// record read from SurrealDB 2.x and the same record read from 3.x digest alike.
import { createHash } from 'node:crypto';
import { CborMap, decodeCbor, mapGet, type CborItem } from './cbor-reader.js';
import { canonicalValue, recordIdText, ValueShapeError } from './surreal-value-canon.js';

export type ValueDigest = [id: string, sha256: string];

/** A record's id as recordIdText prints it. */
export function recordIdOf(record: CborItem): string {
  if (!(record instanceof CborMap)) throw new ValueShapeError('a record is not an object');
  const id = mapGet(record, 'id');
  if (id === undefined) throw new ValueShapeError('a record has no id field');
  return recordIdText(id);
}

export function recordDigest(record: CborItem): ValueDigest {
  return [recordIdOf(record), createHash('sha256').update(canonicalValue(record)).digest('hex')];
}

/** A record encoded on its own (e.g. by `encoding::cbor::encode($this)`). */
export function recordDigestOfBytes(bytes: Uint8Array): ValueDigest {
  return recordDigest(decodeCbor(bytes));
}
