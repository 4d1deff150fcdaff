// Builds CBOR bytes by hand for tests, with control over what a decoder must tell apart (integer vs float width,
// tags, map order, indefinite lengths).

type Part = Uint8Array;

function head(major: number, n: number | bigint): Part {
  const v = BigInt(n);
  if (v < 24n) return Uint8Array.of((major << 5) | Number(v));
  if (v < 0x100n) return Uint8Array.of((major << 5) | 24, Number(v));
  if (v < 0x10000n) return Uint8Array.of((major << 5) | 25, Number(v >> 8n), Number(v & 0xffn));
  if (v < 0x100000000n) {
    const b = new Uint8Array(5);
    b[0] = (major << 5) | 26;
    new DataView(b.buffer).setUint32(1, Number(v));
    return b;
  }
  const b = new Uint8Array(9);
  b[0] = (major << 5) | 27;
  new DataView(b.buffer).setBigUint64(1, v);
  return b;
}

export const cat = (...parts: Part[]): Part => Buffer.concat(parts);
export const int = (n: number | bigint): Part => (BigInt(n) >= 0n ? head(0, n) : head(1, -1n - BigInt(n)));
export const text = (s: string): Part => cat(head(3, Buffer.byteLength(s)), Buffer.from(s));
export const bytes = (b: Uint8Array): Part => cat(head(2, b.length), b);
export const arr = (...items: Part[]): Part => cat(head(4, items.length), ...items);
export const map = (...pairs: Array<[string, Part]>): Part => cat(head(5, pairs.length), ...pairs.flatMap(([k, v]) => [text(k), v]));
export const tag = (n: number, value: Part): Part => cat(head(6, n), value);
export const nul = (): Part => Uint8Array.of(0xf6);
export const bool = (b: boolean): Part => Uint8Array.of(b ? 0xf5 : 0xf4);
export const none = (): Part => tag(6, nul());

export function f64(n: number): Part {
  const b = new Uint8Array(9);
  b[0] = 0xfb;
  new DataView(b.buffer).setFloat64(1, n);
  return b;
}

export function f32(n: number): Part {
  const b = new Uint8Array(5);
  b[0] = 0xfa;
  new DataView(b.buffer).setFloat32(1, n);
  return b;
}

/** Half precision from its raw bits (1.0 = 0x3c00). */
export const f16bits = (bits: number): Part => Uint8Array.of(0xf9, bits >> 8, bits & 0xff);

export const recordId = (table: string, key: Part): Part => tag(8, arr(text(table), key));
export const datetime = (secs: number | bigint, nanos: number): Part => tag(12, arr(int(secs), int(nanos)));
export const isoDatetime = (s: string): Part => tag(0, text(s));
export const decimal = (s: string): Part => tag(10, text(s));
export const uuidBytes = (hex: string): Part => tag(37, bytes(Buffer.from(hex.replace(/-/g, ''), 'hex')));
