import { describe, expect, it } from 'vitest';
import { decodeCbor } from '../../src/core/cbor-reader.js';
import { recordDigest } from '../../src/core/record-digest.js';
import { canonicalValue, normaliseDecimal, recordIdText } from '../../src/core/surreal-value-canon.js';
import { formatDatetime, formatDuration, parseDatetime, parseDuration } from '../../src/core/surreal-time.js';
import * as c from '../helpers/cbor-write.js';

const canon = (bytes: Uint8Array) => canonicalValue(decodeCbor(bytes));

describe('canonical SurrealDB values', () => {
  it('keeps int, float and decimal apart; a float is the same however wide it was sent', () => {
    expect(canon(c.int(1))).not.toBe(canon(c.f64(1)));
    expect(canon(c.f64(1))).not.toBe(canon(c.decimal('1')));
    expect(canon(c.f16bits(0x3c00))).toBe(canon(c.f64(1)));
    expect(canon(c.f32(0.5))).toBe(canon(c.f64(0.5)));
    expect(canon(c.f64(-0))).not.toBe(canon(c.f64(0)));
    expect(canon(c.f64(0.1))).not.toBe(canon(c.f64(0.1000000001)));
    expect(canon(c.int(2n ** 62n))).toBe(`i${2n ** 62n};`);
  });

  it('writes an array of floats (an embedding) as its floats one by one would be, at any length', () => {
    const values = Array.from({ length: 3000 }, (_, i) => Math.sin(i) / 3);
    const floats = values.map((v) => c.f64(v));
    const whole = canon(c.arr(...floats));
    expect(whole).toBe(`[${floats.map(canon).join('')}]`);
    expect(canon(c.arr(...values.slice(0, 1536).map((v) => c.f32(v))))).toBe(canon(c.arr(...values.slice(0, 1536).map((v) => c.f64(Math.fround(v))))));
    expect(canon(c.arr(...floats.slice(0, 2999), c.f64(values[2999]! + 1e-12)))).not.toBe(whole);
    expect(canon(c.arr(c.f64(-0), c.f64(1)))).not.toBe(canon(c.arr(c.f64(0), c.f64(1))));
    // A float first and an int after it: not an array of floats, and not equal to one.
    expect(canon(c.arr(c.f64(1), c.int(2)))).toBe(`[${canon(c.f64(1))}${canon(c.int(2))}]`);
    expect(canon(c.arr(c.f64(1), c.int(2)))).not.toBe(canon(c.arr(c.f64(1), c.f64(2))));
  });

  it('holds every NaN for one, alone or in an array, whatever its bits', () => {
    const nan = (high: number, low: number) => Uint8Array.of(0xfb, high >>> 24, (high >>> 16) & 0xff, (high >>> 8) & 0xff, high & 0xff, low >>> 24, (low >>> 16) & 0xff, (low >>> 8) & 0xff, low & 0xff);
    const payloads = [nan(0x7ff80000, 0), nan(0x7ff80000, 1), nan(0xfff00000, 5), c.f32(Number.NaN), c.f16bits(0x7e00)];
    expect(new Set(payloads.map(canon)).size).toBe(1);
    expect(new Set(payloads.map((p) => canon(c.arr(c.f64(1), p)))).size).toBe(1);
    expect(canon(c.arr(c.f64(1), payloads[1]!))).toBe(`[${canon(c.f64(1))}${canon(payloads[2]!)}]`);
    expect(canon(payloads[0]!)).not.toBe(canon(c.f64(Number.POSITIVE_INFINITY)));
  });

  it('compares decimals by value, as SurrealDB does', () => {
    expect(canon(c.decimal('1.50'))).toBe(canon(c.decimal('1.5')));
    expect(canon(c.decimal('1.5'))).not.toBe(canon(c.decimal('1.05')));
    expect(normaliseDecimal('-0012.3400')).toBe('-1234e-2');
    expect(normaliseDecimal('100')).toBe('1e2');
    expect(normaliseDecimal('0.000')).toBe('0e0');
  });

  it('tells NONE from NULL, strings from bytes, and true from 1', () => {
    expect(canon(c.none())).not.toBe(canon(c.nul()));
    expect(canon(c.text('ab'))).not.toBe(canon(c.bytes(Buffer.from('ab'))));
    expect(canon(c.bool(true))).not.toBe(canon(c.int(1)));
    expect(canon(c.text('1'))).not.toBe(canon(c.int(1)));
  });

  it('ignores the order of object keys, not the order of array items', () => {
    expect(canon(c.map(['a', c.int(1)], ['b', c.int(2)]))).toBe(canon(c.map(['b', c.int(2)], ['a', c.int(1)])));
    expect(canon(c.arr(c.int(1), c.int(2)))).not.toBe(canon(c.arr(c.int(2), c.int(1))));
    expect(canon(c.map(['a', c.map(['y', c.nul()], ['x', c.none()])]))).toBe(canon(c.map(['a', c.map(['x', c.none()], ['y', c.nul()])])));
    // A string cannot pose as structure: lengths delimit it.
    expect(canon(c.arr(c.text('a'), c.text('b')))).not.toBe(canon(c.arr(c.text('as1:b'))));
  });

  it('reads a datetime the same from tag 12 [secs, nanos] and tag 0 RFC 3339, to the nanosecond', () => {
    const secs = Date.UTC(2024, 4, 1, 10, 0, 0) / 1000;
    expect(canon(c.datetime(secs, 123_456_789))).toBe(canon(c.isoDatetime('2024-05-01T10:00:00.123456789Z')));
    expect(canon(c.datetime(secs, 0))).toBe(canon(c.isoDatetime('2024-05-01T12:00:00+02:00')));
    expect(canon(c.datetime(secs, 1))).not.toBe(canon(c.datetime(secs, 0)));
    expect(canon(c.datetime(secs, 0))).not.toBe(canon(c.text('2024-05-01T10:00:00Z')));
    expect(canon(c.isoDatetime('1969-12-31T23:59:59.5Z'))).toBe(canon(c.datetime(-1, 500_000_000)));
  });

  it('reads a duration the same from tag 14 and tag 13, and tells it from a datetime', () => {
    expect(canon(c.tag(14, c.arr()))).toBe(canon(c.tag(14, c.arr(c.int(0), c.int(0)))));
    expect(canon(c.tag(14, c.arr(c.int(5400))))).toBe(canon(c.tag(13, c.text('1h30m'))));
    expect(canon(c.tag(14, c.arr(c.int(1), c.int(500_000_000))))).toBe(canon(c.tag(13, c.text('1s500ms'))));
    expect(canon(c.tag(14, c.arr(c.int(5))))).not.toBe(canon(c.datetime(5, 0)));
  });

  it('reads uuids from bytes or text alike', () => {
    const u = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    expect(canon(c.uuidBytes(u))).toBe(canon(c.tag(9, c.text(u.toUpperCase()))));
    expect(canon(c.uuidBytes(u))).not.toBe(canon(c.text(u)));
  });

  it('keeps record links, tables, ranges and geometries distinct', () => {
    expect(canon(c.recordId('user', c.text('a')))).not.toBe(canon(c.text('user:a')));
    expect(canon(c.recordId('user', c.text('1')))).not.toBe(canon(c.recordId('user', c.int(1))));
    expect(canon(c.tag(7, c.text('user')))).not.toBe(canon(c.text('user')));
    const range = (start: number, end: number) => c.tag(49, c.arr(c.tag(start, c.int(1)), c.tag(end, c.int(5))));
    expect(canon(range(50, 51))).not.toBe(canon(range(50, 50)));
    expect(canon(c.tag(49, c.arr(c.nul(), c.tag(51, c.int(5)))))).toBe('RUXi5;');
    const point = (x: number, y: number) => c.tag(88, c.arr(c.f64(x), c.f64(y)));
    expect(canon(point(1, 2))).toBe(canon(c.tag(88, c.arr(c.f16bits(0x3c00), c.f16bits(0x4000)))));
    expect(canon(c.tag(91, c.arr(point(1, 2))))).not.toBe(canon(c.tag(89, c.arr(point(1, 2)))));
  });

  it('names record ids as people read them, and distinct ids distinctly', () => {
    const id = (key: Uint8Array) => recordIdText(decodeCbor(c.recordId('msg', key)));
    expect(id(c.text('abc'))).toBe('msg:abc');
    expect(id(c.text('1'))).toBe('msg:⟨1⟩');
    expect(id(c.int(1))).toBe('msg:1');
    expect(id(c.text('did:plc:x'))).toBe('msg:⟨did:plc:x⟩');
    expect(id(c.arr(c.text('a'), c.int(1)))).toBe("msg:['a', 1]");
    expect(id(c.uuidBytes('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'))).toBe("msg:u'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'");
    expect(id(c.map(['b', c.int(1)], ['a', c.datetime(0, 0)]))).toBe("msg:{ a: d'1970-01-01T00:00:00Z', b: 1 }");
  });

  it('digests a record by its id and its canonical value', () => {
    const record = (value: Uint8Array, order: 'ab' | 'ba' = 'ab') =>
      recordDigest(decodeCbor(order === 'ab' ? c.map(['id', c.recordId('t', c.text('x'))], ['v', value]) : c.map(['v', value], ['id', c.recordId('t', c.text('x'))])));
    expect(record(c.int(1))[0]).toBe('t:x');
    expect(record(c.int(1))).toEqual(record(c.int(1), 'ba'));
    expect(record(c.int(1))[1]).not.toBe(record(c.f64(1))[1]);
    expect(() => recordDigest(decodeCbor(c.map(['v', c.int(1)])))).toThrow(/no id/);
  });
});

describe('SurrealDB time values', () => {
  it('parses and prints datetimes exactly', () => {
    const at = parseDatetime('2024-02-29T23:59:59.000000001Z')!;
    expect(formatDatetime(at)).toBe('2024-02-29T23:59:59.000000001Z');
    expect(formatDatetime(parseDatetime('0001-01-01T00:00:00Z')!)).toBe('0001-01-01T00:00:00Z');
    expect(formatDatetime(parseDatetime('+10000-01-01T00:00:00Z')!)).toBe('+10000-01-01T00:00:00Z');
    expect(parseDatetime('2024-02-29')).toBeUndefined();
  });

  it('parses and prints durations', () => {
    expect(formatDuration(parseDuration('1y2w3d4h5m6s7ms8us9ns')!)).toBe('1y2w3d4h5m6s7ms8µs9ns');
    expect(formatDuration(parseDuration('90m')!)).toBe('1h30m');
    expect(parseDuration('5x')).toBeUndefined();
  });
});
