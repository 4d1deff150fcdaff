// How much memory reading a store takes, and how much the machine has: the preflight's warning, and the words of a
// reader killed for lack of it (killed-by-system.ts).
import os from 'node:os';
import { megabytes } from '../core/byte-size.js';

/**
 * SurrealDB 2 holds every key of a surrealkv store it opens in memory. Over whole migrations of generated Pattern
 * stores its private server peaked at 2.4 times the store's size on disk at 5,000 messages (279 MB → 663 MB) and 1.2
 * times at 20,000 (1.79 GB → 2.10 GB).
 */
export const SURREALDB2_MEMORY_PER_STORE_BYTE = { low: 1, high: 2.5 } as const;
export const SURREALDB2_MEMORY_WORDS = 'SurrealDB 2 holds every key of a store it opens in memory: one to two and a half times what a Pattern store takes on disk';

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
