// A small CBOR (RFC 8949) decoder that keeps what a general-purpose decoder throws away: whether a number was sent
// as an integer or as a float (1 and 1.0 are different SurrealDB values), and every tag with its number.

/** A float as sent (half, single or double precision), kept apart from integers. */
export class CborFloat {
  constructor(readonly value: number) {}
}

export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: CborItem,
  ) {}
}

/** A map, in the order it was sent; keys may be any item. */
export class CborMap {
  constructor(readonly entries: Array<[CborItem, CborItem]>) {}
}

/** CBOR's "undefined" (simple value 23), distinct from null. */
export const CBOR_UNDEFINED = Symbol('cbor-undefined');

/** Integers are numbers when they are safe integers, bigints otherwise. */
export type CborItem =
  | number
  | bigint
  | string
  | boolean
  | null
  | typeof CBOR_UNDEFINED
  | Uint8Array
  | CborFloat
  | CborTag
  | CborMap
  | CborItem[];

const BREAK = Symbol('break');
const MAX_DEPTH = 512;

function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

class Reader {
  private offset: number;
  private readonly view: DataView;
  /** The same bytes as a Buffer, whose utf8 slicing is native and allocates nothing else. */
  private readonly buffer: Buffer;

  constructor(
    private readonly bytes: Uint8Array,
    offset: number,
    private readonly arrayItem?: ArrayItemHook,
    private readonly skipped?: SkippedItems,
  ) {
    this.offset = offset;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get position(): number {
    return this.offset;
  }

  private need(n: number): void {
    if (this.offset + n > this.bytes.length) throw new Error(`CBOR: the data ends inside an item (at byte ${this.offset}).`);
  }

  /** The argument of a head: a length, a count, an integer or a tag number. -1 means "indefinite". */
  private argument(info: number): number | bigint {
    if (info < 24) return info;
    switch (info) {
      case 24:
        this.need(1);
        return this.bytes[this.offset++]!;
      case 25:
        this.need(2);
        this.offset += 2;
        return this.view.getUint16(this.offset - 2);
      case 26:
        this.need(4);
        this.offset += 4;
        return this.view.getUint32(this.offset - 4);
      case 27: {
        this.need(8);
        const value = this.view.getBigUint64(this.offset);
        this.offset += 8;
        return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
      }
      case 31:
        return -1;
      default:
        throw new Error(`CBOR: reserved additional information ${info} at byte ${this.offset - 1}.`);
    }
  }

  private length(info: number): number {
    const n = this.argument(info);
    if (typeof n === 'bigint') throw new Error('CBOR: a length beyond 2^53.');
    return n;
  }

  private chunks(major: number): Uint8Array {
    const parts: Uint8Array[] = [];
    for (;;) {
      this.need(1);
      const head = this.bytes[this.offset++]!;
      if (head === 0xff) break;
      if (head >> 5 !== major || (head & 0x1f) === 31) throw new Error('CBOR: a chunk of an indefinite string has the wrong type.');
      const n = this.length(head & 0x1f);
      this.need(n);
      parts.push(this.bytes.subarray(this.offset, (this.offset += n)));
    }
    return new Uint8Array(Buffer.concat(parts));
  }

  private tagNumber(info: number): number {
    const tag = this.argument(info);
    if (typeof tag === 'bigint' || tag < 0) throw new Error('CBOR: a tag number beyond 2^53.');
    return tag;
  }

  private bytesItem(info: number): Uint8Array {
    const n = this.length(info);
    if (n < 0) return this.chunks(2);
    this.need(n);
    return new Uint8Array(this.bytes.subarray(this.offset, (this.offset += n)));
  }

  item(depth = 0): CborItem | typeof BREAK {
    if (depth > MAX_DEPTH) throw new Error('CBOR: nested too deeply.');
    this.need(1);
    const head = this.bytes[this.offset++]!;
    const major = head >> 5;
    const info = head & 0x1f;
    switch (major) {
      case 0:
        return this.argument(info);
      case 1: {
        const n = this.argument(info);
        return typeof n === 'bigint' || n >= Number.MAX_SAFE_INTEGER ? -1n - BigInt(n) : -1 - n;
      }
      case 2:
        return this.bytesItem(info);
      case 3: {
        const n = this.length(info);
        if (n < 0) return Buffer.from(this.chunks(3)).toString('utf8');
        this.need(n);
        return this.buffer.toString('utf8', this.offset, (this.offset += n));
      }
      case 4: {
        const n = this.length(info);
        if (this.skipped?.depth === depth + 1) return this.skipItems(n, this.skipped.onItem, depth + 1);
        const items: CborItem[] = [];
        const hook = this.arrayItem;
        if (n < 0) {
          for (let next = this.item(depth + 1); next !== BREAK; next = this.item(depth + 1)) items.push(hook ? hook(next, depth + 1) : next);
        } else {
          for (let i = 0; i < n; i += 1) {
            const next = this.value(depth + 1);
            items.push(hook ? hook(next, depth + 1) : next);
          }
        }
        return items;
      }
      case 5: {
        const n = this.length(info);
        const entries: Array<[CborItem, CborItem]> = [];
        if (n < 0) {
          for (let key = this.item(depth + 1); key !== BREAK; key = this.item(depth + 1)) entries.push([key, this.value(depth + 1)]);
        } else {
          for (let i = 0; i < n; i += 1) entries.push([this.value(depth + 1), this.value(depth + 1)]);
        }
        return new CborMap(entries);
      }
      case 6:
        return new CborTag(this.tagNumber(info), this.value(depth + 1));
      default:
        return this.simple(info);
    }
  }

  /** An array's `n` items (-1: up to its break) passed over undecoded, each seen as where it lies; null in their place. */
  private skipItems(n: number, onItem: SkippedItems['onItem'], depth: number): CborItem[] {
    const items: CborItem[] = [];
    for (let i = 0; n < 0 || i < n; i += 1) {
      this.need(1);
      if (n < 0 && this.bytes[this.offset] === 0xff) {
        this.offset += 1;
        break;
      }
      const start = this.offset;
      this.skip(depth);
      onItem(start, this.offset);
      items.push(null);
    }
    return items;
  }

  /**
   * Moves past one whole item without building it, refusing what decoding refuses: strings, arrays and maps are passed
   * over by their lengths, an indefinite string's chunks and a tag's number read as item() reads them.
   */
  private skip(depth: number): void {
    if (depth > MAX_DEPTH) throw new Error('CBOR: nested too deeply.');
    this.need(1);
    const head = this.bytes[this.offset++]!;
    const major = head >> 5;
    const info = head & 0x1f;
    if (major === 7) {
      // What simple() accepts, passed over without building a float: false, true, null, undefined, three widths of
      // float. (Through simple() itself, a page of 171 records with an embedding each took 4.2-4.4 ms, against 3.1.)
      if (info === 31) throw new Error(`CBOR: an unexpected "break" at byte ${this.offset - 1}.`);
      const size = info >= 20 && info <= 23 ? 0 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : -1;
      if (size < 0) throw new Error(`CBOR: unsupported simple value ${info} at byte ${this.offset - 1}.`);
      this.need(size);
      this.offset += size;
      return;
    }
    if (major <= 1) {
      if (info === 31) throw new Error(`CBOR: an indefinite integer at byte ${this.offset - 1}.`);
      this.argument(info);
      return;
    }
    if (major === 6) {
      this.tagNumber(info);
      this.skip(depth + 1);
      return;
    }
    const n = this.length(info);
    if (n < 0 && major <= 3) {
      this.chunks(major);
    } else if (n < 0) {
      for (this.need(1); this.bytes[this.offset] !== 0xff; this.need(1)) {
        this.skip(depth + 1);
        if (major === 5) this.skip(depth + 1);
      }
      this.offset += 1;
    } else if (major <= 3) {
      this.need(n);
      this.offset += n;
    } else {
      for (let i = 0; i < (major === 5 ? 2 * n : n); i += 1) this.skip(depth + 1);
    }
  }

  private simple(info: number): CborItem | typeof BREAK {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return CBOR_UNDEFINED;
      case 25:
        this.need(2);
        this.offset += 2;
        return new CborFloat(halfToNumber(this.view.getUint16(this.offset - 2)));
      case 26:
        this.need(4);
        this.offset += 4;
        return new CborFloat(this.view.getFloat32(this.offset - 4));
      case 27:
        this.need(8);
        this.offset += 8;
        return new CborFloat(this.view.getFloat64(this.offset - 8));
      case 31:
        return BREAK;
      default:
        throw new Error(`CBOR: unsupported simple value ${info} at byte ${this.offset - 1}.`);
    }
  }

  value(depth = 0): CborItem {
    const item = this.item(depth);
    if (item === BREAK) throw new Error(`CBOR: an unexpected "break" at byte ${this.offset - 1}.`);
    return item;
  }
}

/** Sees an array's item once it is decoded, with its depth (the outermost item's is 0); what it returns takes its place. */
export type ArrayItemHook = (item: CborItem, depth: number) => CborItem;

/**
 * Decodes one CBOR item that must fill `bytes` exactly. With `arrayItem`, each item of a large answer can be reduced
 * as soon as it is decoded, before the next one is.
 */
export function decodeCbor(bytes: Uint8Array, arrayItem?: ArrayItemHook): CborItem {
  const reader = new Reader(bytes, 0, arrayItem);
  const item = reader.value();
  if (reader.position !== bytes.length) throw new Error(`CBOR: ${bytes.length - reader.position} bytes after the item.`);
  return item;
}

/** An array's items at one depth, passed over undecoded: each is seen as the span of bytes it fills. */
export interface SkippedItems {
  depth: number;
  onItem: (start: number, end: number) => void;
}

/**
 * Decodes one CBOR item that must fill `bytes`, as decodeCbor does, except that every item of an array at
 * `skipped.depth` is left undecoded (null in its place) and seen by `skipped.onItem` as the bytes it fills.
 */
export function decodeCborSkipping(bytes: Uint8Array, skipped: SkippedItems): CborItem {
  const reader = new Reader(bytes, 0, undefined, skipped);
  const item = reader.value();
  if (reader.position !== bytes.length) throw new Error(`CBOR: ${bytes.length - reader.position} bytes after the item.`);
  return item;
}

/** The value under a text key of a map, if any. */
export function mapGet(map: CborMap, key: string): CborItem | undefined {
  for (const [k, v] of map.entries) if (k === key) return v;
  return undefined;
}
