// The preflight's and the doctor's memory check: SurrealDB 2 holds every key of a store it opens in memory (up to two
// and a half times a Pattern store's size on disk, measured), so a machine with less available is warned beforehand.
import { describe, expect, it } from 'vitest';
import { memoryVerdict } from '../../src/steps/doctor/store-checks.js';

const GB = 1e9;
const machine = (available: number, limit?: number) => ({ bytes: available, total: 16 * GB, ...(limit ? { limit } : {}) });

describe('memory to read the store', () => {
  it('says nothing of a SurrealDB 3 store, which is not held in memory when read', () => {
    expect(memoryVerdict({ format: 'surrealkv-3.0', bytes: 10 * GB }, machine(1 * GB))).toMatchObject({ status: 'skip' });
    expect(memoryVerdict({ format: 'surrealkv-3.1+', bytes: 10 * GB }, machine(1 * GB))).toMatchObject({ status: 'skip' });
  });

  it('passes a SurrealDB 2 store when two and a half times its size is available', () => {
    const verdict = memoryVerdict({ format: 'surrealkv-2', bytes: 1 * GB }, machine(2.5 * GB));
    expect(verdict).toMatchObject({ status: 'ok', code: 'D_MEMORY', message: '2500.0 MB available; reading this store takes up to about 2500.0 MB' });
  });

  it('warns before a SurrealDB 2 store that may need more than is available, with the figures and what to do', () => {
    const verdict = memoryVerdict({ format: 'surrealkv-2', bytes: 1 * GB }, machine(2.4 * GB));
    expect(verdict).toMatchObject({ status: 'warn', code: 'W_MEMORY_LOW' });
    expect(verdict.message).toBe('Reading this SurrealDB 2 store may take up to 2500.0 MB of memory; 2400.0 MB is available now.');
    expect(verdict.evidence).toEqual([
      'store 1000.0 MB on disk → 1000.0 MB to 2500.0 MB of memory (SurrealDB 2 holds every key of a store it opens in memory: one to two and a half times what a Pattern store takes on disk)',
      'memory: 16000 MB in all, 2400 MB available now',
    ]);
    expect(verdict.fix).toMatch(/Close programs that use memory before migrating\. .*E_SURREAL_KILLED.*--resume/);
  });

  it("names the limit of the process's group, which is what counts when it is set", () => {
    const verdict = memoryVerdict({ format: 'surrealkv-2', bytes: 0.3 * GB }, machine(0.4 * GB, 0.4 * GB));
    expect(verdict).toMatchObject({ status: 'warn', code: 'W_MEMORY_LOW' });
    expect(verdict.evidence?.at(-1)).toBe("memory: 16000 MB in all, 400 MB available now, limited to 400 MB for this process's group");
  });
});
