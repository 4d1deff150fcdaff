// How much memory reading a store takes, and how much the machine has: the preflight's warning, and the words of a
// reader killed for lack of it (killed-by-system.ts).
import os from 'node:os';
import { megabytes } from '../core/byte-size.js';

/**
 * SurrealDB 2 holds every key of a surrealkv store it opens in memory. The copy pattern-db reads a 2.x store from
 * leaves out its index data (lean-store-copy.ts), most of a Pattern store's keys; what its private server then holds
 * grows with what the copy keeps. Over whole 2->3 migrations (its peak; the copy's log size) it took 116 MB at 5,000
 * messages (15 MB), 132 MB at 20,000 (59 MB) and 292 MB at 100,000 (298 MB, a store generated without full-text
 * indexes, which the copy leaves out anyway); 159, 202 and 296 MB before its allocator was held to two arenas.
 */
const SURREALDB2_READER_MEMORY = { baseBytes: 180e6, perKeptByte: 0.55 } as const;
export const SURREALDB2_MEMORY_WORDS = 'SurrealDB 2 holds every key of a store it opens in memory (the copy pattern-db reads leaves out the index entries, most of a Pattern store\'s keys)';

/** What a private 2.x server reading pattern-db's copy of a store may take, the copy keeping about `keptBytes` of its log. */
export function surrealdb2ReaderBytes(keptBytes: number): number {
  return SURREALDB2_READER_MEMORY.baseBytes + keptBytes * SURREALDB2_READER_MEMORY.perKeptByte;
}

export interface AvailableMemory {
  /** What a new process may take now: the machine's available memory, or less when the process's group is limited. */
  bytes: number;
  total: number;
  /** The limit set on this process's group, when it is below the machine's memory. */
  limit?: number;
}

export function availableMemory(): AvailableMemory {
  const total = os.totalmem();
  const limit = process.constrainedMemory?.() ?? 0;
  const limited = limit > 0 && limit < total;
  return { bytes: limited ? Math.min(os.freemem(), limit) : os.freemem(), total, ...(limited ? { limit } : {}) };
}

export function memoryEvidence(memory: AvailableMemory = availableMemory()): string {
  const limited = memory.limit !== undefined ? `, limited to ${megabytes(memory.limit, 0)} for this process's group` : '';
  return `memory: ${megabytes(memory.total, 0)} in all, ${megabytes(memory.bytes, 0)} available now${limited}`;
}
