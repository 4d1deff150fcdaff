import { describe, expect, it } from 'vitest';
import { CBOR_UNDEFINED, CborFloat, CborMap, CborTag, decodeCbor } from '../../src/core/cbor-reader.js';
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
});
