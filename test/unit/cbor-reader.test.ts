import { describe, expect, it } from 'vitest';
import { CBOR_UNDEFINED, CborFloat, CborMap, CborTag, decodeCbor, decodeCborSkipping } from '../../src/core/cbor-reader.js';
import { arr, bytes, cat, f16bits, f32, f64, int, map, nul, tag, text } from '../helpers/cbor-write.js';

describe('CBOR reader', () => {
  it('keeps integers and floats apart, whatever width the float was sent in', () => {
    expect(decodeCbor(int(1))).toBe(1);
    expect(decodeCbor(f16bits(0x3c00))).toEqual(new CborFloat(1));
    expect(decodeCbor(f32(1.5))).toEqual(new CborFloat(1.5));
    expect(decodeCbor(f64(0.1))).toEqual(new CborFloat(0.1));
    expect(decodeCbor(f16bits(0x8000))).toEqual(new CborFloat(-0));
    expect(decodeCbor(f16bits(0x7c00))).toEqual(new CborFloat(Infinity));
    expect((decodeCbor(f16bits(0x7e00)) as CborFloat).value).toBeNaN();
    expect(decodeCbor(f16bits(0x0001))).toEqual(new CborFloat(2 ** -24));
  });

  it('reads integers of every width, beyond 2^53 as bigints', () => {
    expect(decodeCbor(int(23))).toBe(23);
    expect(decodeCbor(int(255))).toBe(255);
    expect(decodeCbor(int(65_535))).toBe(65_535);
    expect(decodeCbor(int(4_294_967_296))).toBe(4_294_967_296);
    expect(decodeCbor(int(2n ** 63n - 1n))).toBe(2n ** 63n - 1n);
    expect(decodeCbor(int(-1))).toBe(-1);
    expect(decodeCbor(int(-(2n ** 63n)))).toBe(-(2n ** 63n));
  });

  it('tells strings from bytes and keeps maps in the order sent', () => {
    expect(decodeCbor(text('héllo'))).toBe('héllo');
    expect(decodeCbor(bytes(Uint8Array.of(1, 2)))).toEqual(Uint8Array.of(1, 2));
    expect(decodeCbor(map(['b', int(1)], ['a', int(2)]))).toEqual(new CborMap([['b', 1], ['a', 2]]));
    expect(decodeCbor(arr(int(1), text('x')))).toEqual([1, 'x']);
  });

  it('keeps tags, null, undefined and booleans', () => {
    expect(decodeCbor(tag(6, nul()))).toEqual(new CborTag(6, null));
    expect(decodeCbor(Uint8Array.of(0xf7))).toBe(CBOR_UNDEFINED);
    expect(decodeCbor(Uint8Array.of(0xf5))).toBe(true);
  });

  it('reads indefinite-length strings, arrays and maps', () => {
    const chunked = Uint8Array.of(0x7f, 0x62, 0x61, 0x62, 0x61, 0x63, 0xff);
    expect(decodeCbor(chunked)).toBe('abc');
    expect(decodeCbor(cat(Uint8Array.of(0x9f), int(1), int(2), Uint8Array.of(0xff)))).toEqual([1, 2]);
    expect(decodeCbor(cat(Uint8Array.of(0xbf), text('k'), int(1), Uint8Array.of(0xff)))).toEqual(new CborMap([['k', 1]]));
  });

  it("hands each array item to the hook as soon as it is decoded, with its depth, and keeps what the hook returns", () => {
    const seen: string[] = [];
    const hook = (item: unknown, depth: number) => {
      seen.push(`${JSON.stringify(item)}@${depth}`);
      return typeof item === 'number' ? item * 10 : 'done';
    };
    const indefinite = cat(Uint8Array.of(0x9f), int(3), Uint8Array.of(0xff));
    expect(decodeCbor(arr(arr(int(1), int(2)), indefinite), hook)).toEqual(['done', 'done']);
    // The first inner array is reduced before the second one's item is decoded.
    expect(seen).toEqual(['1@2', '2@2', '[10,20]@1', '3@2', '[30]@1']);
    expect(decodeCbor(map(['k', arr(int(4))]), hook)).toEqual(new CborMap([['k', [40]]]));
  });

  it('refuses truncated data and trailing bytes', () => {
    expect(() => decodeCbor(Uint8Array.of(0x82, 0x01))).toThrow(/ends inside/);
    expect(() => decodeCbor(Uint8Array.of(0x01, 0x02))).toThrow(/after the item/);
  });

  describe('decodeCborSkipping', () => {
    const spans = (body: Uint8Array, depth: number) => {
      const seen: Uint8Array[] = [];
      const item = decodeCborSkipping(body, { depth, onItem: (start, end) => seen.push(body.subarray(start, end)) });
      return { item, seen };
    };
    // Items of every major, definite and indefinite, nested: each must be passed over to its very last byte.
    const items = [
      int(-(2n ** 63n)),
      f16bits(0x7e00),
      f32(1.5),
      f64(0.1),
      bytes(Uint8Array.of(1, 2, 3)),
      Uint8Array.of(0x7f, 0x62, 0x61, 0x62, 0x61, 0x63, 0xff),
      tag(8, arr(text('msg'), text('a'))),
      map(['k', cat(Uint8Array.of(0x9f), int(1), map(['x', nul()]), Uint8Array.of(0xff))], ['t', Uint8Array.of(0xf5)]),
      cat(Uint8Array.of(0xbf), text('k'), Uint8Array.of(0xf7), Uint8Array.of(0xff)),
      Uint8Array.of(0xf4),
    ];

    it("leaves the array's items at that depth undecoded, each seen as exactly the bytes it fills, and decodes the rest", () => {
      const body = map(['result', arr(map(['result', arr(...items)], ['status', text('OK')]))]);
      const { item, seen } = spans(body, 4);
      expect(seen.map((s) => Buffer.from(s).toString('hex'))).toEqual(items.map((s) => Buffer.from(s).toString('hex')));
      expect(item).toEqual(new CborMap([['result', [new CborMap([['result', items.map(() => null)], ['status', 'OK']])]]]));
      // An indefinite array at that depth; arrays at other depths are decoded as decodeCbor would.
      const indefinite = cat(Uint8Array.of(0x9f), ...items.slice(0, 3), Uint8Array.of(0xff));
      expect(spans(arr(indefinite, int(7)), 2).seen).toHaveLength(3);
      expect(spans(arr(arr(int(1)), int(7)), 2).item).toEqual([[null], 7]);
      expect(spans(arr(arr(int(1)), int(7)), 3).item).toEqual([[1], 7]);
    });

    it('refuses what decodeCbor refuses inside a skipped item: truncation, a stray break, a wrong chunk', () => {
      expect(() => spans(arr(Uint8Array.of(0x82, 0x01)), 1)).toThrow(/ends inside/);
      expect(() => spans(arr(Uint8Array.of(0x62, 0x61)), 1)).toThrow(/ends inside/);
      expect(() => spans(arr(Uint8Array.of(0xa1, 0x01, 0xff)), 1)).toThrow(/unexpected "break"/);
      expect(() => spans(arr(Uint8Array.of(0x7f, 0x41, 0x61, 0xff)), 1)).toThrow(/wrong type/);
      expect(() => spans(arr(Uint8Array.of(0x7f, 0x7f, 0xff, 0xff)), 1)).toThrow(/wrong type/);
      expect(() => spans(cat(arr(int(1)), int(2)), 1)).toThrow(/after the item/);
      expect(() => spans(arr(Uint8Array.of(0xf8, 0x20)), 1)).toThrow(/unsupported simple value/);
      expect(() => spans(arr(Uint8Array.of(0xe0)), 1)).toThrow(/unsupported simple value/);
      expect(() => spans(arr(Uint8Array.of(0xdf, 0x01)), 1)).toThrow(/tag number/);
    });
  });
});
