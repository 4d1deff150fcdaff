/**
 * A surrealkv 0.20+ manifest (format 1, big-endian) listing the table ids of each level, level 0 first, then its
 * snapshots (each a u32 length and its bytes): none unless given.
 */
export function manifestBytes(levels: number[][], snapshots: Buffer[] = []): Buffer {
  const head = Buffer.alloc(27);
  head.writeUInt16BE(1, 0);
  head.writeBigUInt64BE(BigInt(Math.max(0, ...levels.flat()) + 1), 2);
  head.writeBigUInt64BE(3n, 10);
  head.writeBigUInt64BE(100n, 18);
  head[26] = levels.length;
  const lists = levels.map((tables) => {
    const level = Buffer.alloc(4 + tables.length * 8);
    level.writeUInt32BE(tables.length, 0);
    tables.forEach((id, i) => level.writeBigUInt64BE(BigInt(id), 4 + i * 8));
    return level;
  });
  const count = Buffer.alloc(4);
  count.writeUInt32BE(snapshots.length, 0);
  const snapshotBytes = snapshots.map((snapshot) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(snapshot.length, 0);
    return Buffer.concat([length, snapshot]);
  });
  return Buffer.concat([head, ...lists, count, ...snapshotBytes]);
}
