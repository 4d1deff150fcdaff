// A SurrealDB value, as either major sends it in CBOR, reduced to one canonical text: the same value read from a 2.x
// and from a 3.x server gives the same text, and values SurrealDB tells apart never do. What is kept: int vs float vs
// decimal, string vs bytes, NONE vs NULL, datetimes and durations to the nanosecond however they were encoded, uuids,
// record links, tables, ranges, geometries, sets. What is dropped: the order of an object's keys, the width a float
// was sent in, and a decimal's trailing zeros (SurrealDB itself holds 1.50dec = 1.5dec).
//
// The text is a compact prefix notation in which every item delimits itself:
//   N NONE   n NULL   T/F bools   i<int>;   f<IEEE 754 bits, 16 hex digits>;   d<digits>e<exp>;   s<len>:<text>   b<len>:<hex>
//   [items]   {s<key>value …} keys sorted   t<secs>,<nanos>; datetime   D<secs>,<nanos>; duration   u<hex>; uuid
//   r<table><key> record   #<table> table   R<bound><bound> range (I/X<value>, U unbounded)   g<tag><value> geometry
//   S[items] set   ~<text> future   @<bucket><key> file   ?<tag>:<value> a tag no SurrealDB version here sends
import { CBOR_UNDEFINED, CborFloat, CborMap, CborTag, type CborItem } from './cbor-reader.js';
import { formatDatetime, formatDuration, instant, parseDatetime, parseDuration, type Instant } from './surreal-time.js';

/** SurrealDB's CBOR tags (surrealdb-core rpc/format/cbor/convert.rs, the same numbers in 2.6.5 and 3.3.5). */
export const TAG = {
  SPEC_DATETIME: 0,
  NONE: 6,
  TABLE: 7,
  RECORD_ID: 8,
  STRING_UUID: 9,
  STRING_DECIMAL: 10,
  CUSTOM_DATETIME: 12,
  STRING_DURATION: 13,
  CUSTOM_DURATION: 14,
  FUTURE: 15,
  SPEC_UUID: 37,
  RANGE: 49,
  BOUND_INCLUDED: 50,
  BOUND_EXCLUDED: 51,
  FILE: 55,
  SET: 56,
  GEOMETRY_FIRST: 88,
  GEOMETRY_LAST: 94,
} as const;

export class ValueShapeError extends Error {}

function text(value: string): string {
  return `s${value.length}:${value}`;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Room for an embedding's floats (Pattern's are 1,536); a longer array of floats gets room of its own. */
const FLOAT_ROOM = new DataView(new ArrayBuffer(8 * 1536));

/** Float `i` of those written out at once: its exact IEEE 754 bits, every NaN as one (SurrealDB tells none apart). */
function putFloat(room: DataView, i: number, value: number): void {
  if (Number.isNaN(value)) {
    room.setUint32(i * 8, 0x7ff80000);
    room.setUint32(i * 8 + 4, 0);
  } else room.setFloat64(i * 8, value);
}

/** The first `n` floats put, each as `f<its bits in 16 hex digits>;`. */
function floatsText(room: DataView, n: number): string {
  return Buffer.from(room.buffer, 0, n * 8).toString('hex').replace(/.{16}/g, 'f$&;');
}

/**
 * An array of floats as one text, the same as its floats one by one (undefined if an item is not a float). Written out
 * at once, a page of 1,000 generated messages (6 with an embedding) took 26.8 µs a record to digest instead of 34.4,
 * and a page of 171 memory blocks (15 with one) 37.3 µs instead of 94.7 (medians of 5 runs of 60 digests each).
 */
function floatsCanonical(items: readonly CborItem[]): string | undefined {
  const room = items.length * 8 <= FLOAT_ROOM.byteLength ? FLOAT_ROOM : new DataView(new ArrayBuffer(items.length * 8));
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i];
    if (!(item instanceof CborFloat)) return undefined;
    putFloat(room, i, item.value);
  }
  return floatsText(room, items.length);
}

function float(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** A decimal's digits and exponent with leading and trailing zeros dropped: "-12.3400" → "-1234e-2". */
export function normaliseDecimal(raw: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(raw.trim().replace(/dec$/, ''));
  if (!m || (!m[2] && !m[3])) return `?${raw}`;
  const [, sign, whole = '', fraction = '', exponent = '0'] = m;
  let digits = (whole + fraction).replace(/^0+/, '');
  let exp = Number(exponent) - fraction.length;
  if (!digits) return '0e0';
  const trailing = /0+$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trailing);
  exp += trailing;
  return `${sign === '-' ? '-' : ''}${digits}e${exp}`;
}

function expectArray(item: CborItem, what: string): CborItem[] {
  if (!Array.isArray(item)) throw new ValueShapeError(`${what} is not an array`);
  return item;
}

function integer(item: CborItem | undefined, what: string): bigint {
  if (typeof item === 'number' && Number.isInteger(item)) return BigInt(item);
  if (typeof item === 'bigint') return item;
  throw new ValueShapeError(`${what} is not an integer`);
}

/** Tag 12 [secs, nanos] or tag 0 "RFC 3339". */
export function datetimeOf(tag: CborTag): Instant {
  if (tag.tag === TAG.SPEC_DATETIME) {
    const parsed = typeof tag.value === 'string' ? parseDatetime(tag.value) : undefined;
    if (!parsed) throw new ValueShapeError(`tag 0 holds ${String(tag.value)}, not an RFC 3339 datetime`);
    return parsed;
  }
  const [seconds, nanos] = expectArray(tag.value, 'a tag 12 datetime');
  return instant(integer(seconds ?? 0, 'datetime seconds'), integer(nanos ?? 0, 'datetime nanoseconds'));
}

/** Tag 14 [], [secs] or [secs, nanos], or tag 13 "1h30m". */
export function durationOf(tag: CborTag): Instant {
  if (tag.tag === TAG.STRING_DURATION) {
    const parsed = typeof tag.value === 'string' ? parseDuration(tag.value) : undefined;
    if (!parsed) throw new ValueShapeError(`tag 13 holds ${String(tag.value)}, not a duration`);
    return parsed;
  }
  const [seconds, nanos] = expectArray(tag.value, 'a tag 14 duration');
  return instant(integer(seconds ?? 0, 'duration seconds'), integer(nanos ?? 0, 'duration nanoseconds'));
}

/** Tag 37 (16 bytes) or tag 9 (text), as 32 lowercase hex digits. */
export function uuidOf(tag: CborTag): string {
  if (tag.value instanceof Uint8Array && tag.value.length === 16) return hex(tag.value);
  if (typeof tag.value === 'string' && /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(tag.value)) {
    return tag.value.replace(/-/g, '').toLowerCase();
  }
  throw new ValueShapeError(`tag ${tag.tag} holds no uuid`);
}

function pairCanonical(prefix: string, at: Instant): string {
  return `${prefix}${at.seconds},${at.nanos};`;
}

function bound(item: CborItem | undefined): string {
  if (item === null || item === undefined) return 'U';
  if (item instanceof CborTag && item.tag === TAG.BOUND_INCLUDED) return `I${canonicalValue(item.value)}`;
  if (item instanceof CborTag && item.tag === TAG.BOUND_EXCLUDED) return `X${canonicalValue(item.value)}`;
  throw new ValueShapeError('a range bound is neither tag 50, tag 51 nor null');
}

function canonicalTag(tag: CborTag): string {
  switch (tag.tag) {
    case TAG.NONE:
      return 'N';
    case TAG.SPEC_DATETIME:
    case TAG.CUSTOM_DATETIME:
      return pairCanonical('t', datetimeOf(tag));
    case TAG.STRING_DURATION:
    case TAG.CUSTOM_DURATION:
      return pairCanonical('D', durationOf(tag));
    case TAG.SPEC_UUID:
    case TAG.STRING_UUID:
      return `u${uuidOf(tag)};`;
    case TAG.STRING_DECIMAL:
      return `d${normaliseDecimal(String(tag.value))};`;
    case TAG.TABLE:
      return `#${canonicalValue(tag.value)}`;
    case TAG.RECORD_ID: {
      if (typeof tag.value === 'string') return `r${text(tag.value)}`;
      const [table, key] = expectArray(tag.value, 'a record id');
      return `r${canonicalValue(table ?? null)}${canonicalValue(key ?? null)}`;
    }
    case TAG.RANGE: {
      const [start, end] = expectArray(tag.value, 'a range');
      return `R${bound(start)}${bound(end)}`;
    }
    case TAG.SET:
      return `S${canonicalValue(tag.value)}`;
    case TAG.FUTURE:
      return `~${canonicalValue(tag.value)}`;
    case TAG.FILE: {
      const [bucket, key] = expectArray(tag.value, 'a file');
      return `@${canonicalValue(bucket ?? null)}${canonicalValue(key ?? null)}`;
    }
    default:
      if (tag.tag >= TAG.GEOMETRY_FIRST && tag.tag <= TAG.GEOMETRY_LAST) return `g${tag.tag}${canonicalValue(tag.value)}`;
      return `?${tag.tag}:${canonicalValue(tag.value)}`;
  }
}

/**
 * Entries sorted by key. Each entry is its key's text followed by its value's; keys are length-prefixed, so no key's
 * text is a prefix of another's and sorting the whole entries orders them by key alone.
 */
function canonicalMap(map: CborMap): string {
  const entries: string[] = [];
  for (const [key, value] of map.entries) entries.push((typeof key === 'string' ? text(key) : `?key:${canonicalValue(key)}`) + canonicalValue(value));
  entries.sort();
  return `{${entries.join('')}}`;
}

/** The canonical text of one decoded CBOR item holding a SurrealDB value. */
export function canonicalValue(item: CborItem): string {
  switch (typeof item) {
    case 'string':
      return text(item);
    case 'number':
    case 'bigint':
      return `i${item};`;
    case 'boolean':
      return item ? 'T' : 'F';
    default:
      break;
  }
  if (item === null) return 'n';
  if (item === CBOR_UNDEFINED) return 'N';
  if (item instanceof CborFloat) {
    putFloat(FLOAT_ROOM, 0, item.value);
    return floatsText(FLOAT_ROOM, 1);
  }
  if (Array.isArray(item)) {
    const floats = item[0] instanceof CborFloat ? floatsCanonical(item) : undefined;
    if (floats !== undefined) return `[${floats}]`;
    let out = '[';
    for (const element of item) out += canonicalValue(element);
    return `${out}]`;
  }
  if (item instanceof Uint8Array) return `b${item.length}:${hex(item)}`;
  if (item instanceof CborMap) return canonicalMap(item);
  if (item instanceof CborTag) return canonicalTag(item);
  throw new ValueShapeError(`an item of an unknown kind`);
}

// ---- record ids as people read them ------------------------------------------------------------------------------

const PLAIN = /^[A-Za-z0-9_]+$/;

function quoted(value: string): string {
  return `'${value.replace(/[\\']/g, '\\$&')}'`;
}

function bracketed(value: string): string {
  return PLAIN.test(value) && !/^\d+$/.test(value) ? value : `⟨${value.replace(/[\\⟩]/g, '\\$&')}⟩`;
}

function readableBound(item: CborItem | undefined, side: 'start' | 'end'): string {
  if (!(item instanceof CborTag)) return '';
  const value = readableValue(item.value);
  if (side === 'start') return item.tag === TAG.BOUND_EXCLUDED ? `${value}>` : value;
  return item.tag === TAG.BOUND_INCLUDED ? `=${value}` : value;
}

/** A value written the way SurrealQL would write it, for ids inside messages: 'text', 1, 1.5f, d'…', u'…', [a, b]. */
export function readableValue(item: CborItem): string {
  if (typeof item === 'string') return quoted(item);
  if (typeof item === 'number' || typeof item === 'bigint') return String(item);
  if (typeof item === 'boolean') return String(item);
  if (item === null) return 'NULL';
  if (item === CBOR_UNDEFINED) return 'NONE';
  if (item instanceof CborFloat) return `${float(item.value)}f`;
  if (Array.isArray(item)) return `[${item.map(readableValue).join(', ')}]`;
  if (item instanceof Uint8Array) return `b"${hex(item)}"`;
  if (item instanceof CborMap) {
    const fields = item.entries.map(([k, v]) => `${typeof k === 'string' ? bracketed(k) : readableValue(k)}: ${readableValue(v)}`).sort();
    return `{ ${fields.join(', ')} }`;
  }
  switch (item.tag) {
    case TAG.NONE:
      return 'NONE';
    case TAG.SPEC_DATETIME:
    case TAG.CUSTOM_DATETIME:
      return `d'${formatDatetime(datetimeOf(item))}'`;
    case TAG.STRING_DURATION:
    case TAG.CUSTOM_DURATION:
      return formatDuration(durationOf(item));
    case TAG.SPEC_UUID:
    case TAG.STRING_UUID: {
      const h = uuidOf(item);
      return `u'${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}'`;
    }
    case TAG.STRING_DECIMAL:
      return `${String(item.value)}dec`;
    case TAG.TABLE:
      return typeof item.value === 'string' ? bracketed(item.value) : readableValue(item.value);
    case TAG.RECORD_ID:
      return recordIdText(item);
    case TAG.RANGE: {
      const [start, end] = expectArray(item.value, 'a range');
      return `${readableBound(start, 'start')}..${readableBound(end, 'end')}`;
    }
    default:
      return canonicalValue(item);
  }
}

function readableKey(key: CborItem): string {
  if (typeof key === 'string') return bracketed(key);
  if (key instanceof CborTag && key.tag === TAG.RANGE) return readableValue(key);
  return readableValue(key);
}

/** A record id (tag 8) as `table:key`, e.g. msg:abc, msg:⟨1a-2⟩, t:[1, 'x'], t:u'…'. Distinct ids give distinct texts. */
export function recordIdText(id: CborItem): string {
  if (!(id instanceof CborTag) || id.tag !== TAG.RECORD_ID) throw new ValueShapeError('the record has no record id');
  if (typeof id.value === 'string') return id.value;
  const [table, key] = expectArray(id.value, 'a record id');
  return `${typeof table === 'string' ? bracketed(table) : readableValue(table ?? null)}:${readableKey(key ?? null)}`;
}
