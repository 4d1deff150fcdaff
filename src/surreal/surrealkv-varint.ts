// surrealkv's unsigned varints (7 bits a byte, low first) read as a number: lengths, counts and offsets.

/** The varint at `at` and where it ends; undefined if it is longer than `maxBytes` or runs past the buffer. */
export function varintNumberAt(buffer: Buffer, at: number, maxBytes: number): [value: number, next: number] | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < buffer.length && i < at + maxBytes; i++) {
    const byte = buffer[i]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, i + 1];
    scale *= 128;
  }
  return undefined;
}
