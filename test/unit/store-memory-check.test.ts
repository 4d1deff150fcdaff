// The preflight's and the doctor's memory check: SurrealDB 2 holds every key of a store it opens in memory, and
// pattern-db's copy keeps only part of a Pattern store's log (its records and definitions), so what is asked for
// follows what the copy keeps: 180 MB and 0.55 bytes a byte kept (measured up to 100,000 messages).
import { describe, expect, it } from 'vitest';
import { memoryVerdict, STORE_CHECKS } from '../../src/steps/doctor/store-checks.js';
import { newFindings } from '../../src/steps/doctor/findings.js';
import type { StoreInfo } from '../../src/surreal/store.js';

const GB = 1e9;
const machine = (available: number, limit?: number) => ({ bytes: available, total: 16 * GB, ...(limit ? { limit } : {}) });

describe('memory to read the store', () => {
  it('says nothing of a SurrealDB 3 store, which is not held in memory when read', () => {
    expect(memoryVerdict({ format: 'surrealkv-3.0', bytes: 10 * GB }, machine(1 * GB))).toMatchObject({ status: 'skip' });
    expect(memoryVerdict({ format: 'surrealkv-3.1+', bytes: 10 * GB }, machine(1 * GB))).toMatchObject({ status: 'skip' });
  });

  it('passes a large SurrealDB 2 store whose copy keeps little of it when what that takes is available', () => {
    const verdict = memoryVerdict({ format: 'surrealkv-2', bytes: 9 * GB, keptBytes: 0.4 * GB }, machine(0.5 * GB));
    expect(verdict).toMatchObject({ status: 'ok', code: 'D_MEMORY', message: '500.0 MB available; reading this store takes up to about 400.0 MB' });
  });

  it('warns before a SurrealDB 2 store that may need more than is available, with the figures and what to do', () => {
    const verdict = memoryVerdict({ format: 'surrealkv-2', bytes: 2 * GB, keptBytes: 1 * GB }, machine(0.7 * GB));
    expect(verdict).toMatchObject({ status: 'warn', code: 'W_MEMORY_LOW' });
    expect(verdict.message).toBe('Reading this SurrealDB 2 store may take up to 730.0 MB of memory; 700.0 MB is available now.');
    expect(verdict.evidence).toEqual([
      "store 2000.0 MB on disk, about 1000.0 MB of it read → up to 730.0 MB of memory: SurrealDB 2 holds every key of a store it opens in memory (the copy pattern-db reads leaves out the index entries, most of a Pattern store's keys)",
      'memory: 16000 MB in all, 700 MB available now',
    ]);
    expect(verdict.fix).toMatch(/Close programs that use memory before migrating\. .*E_SURREAL_KILLED.*--resume/);
  });

  it('counts the whole store as read when what the copy keeps is not known', () => {
    expect(memoryVerdict({ format: 'surrealkv-2', bytes: 1 * GB }, machine(0.7 * GB))).toMatchObject({ status: 'warn', message: expect.stringContaining('up to 730.0 MB') });
  });

  it("names the limit of the process's group, which is what counts when it is set", () => {
    const verdict = memoryVerdict({ format: 'surrealkv-2', bytes: 0.3 * GB, keptBytes: 0.3 * GB }, machine(0.3 * GB, 0.3 * GB));
    expect(verdict).toMatchObject({ status: 'warn', code: 'W_MEMORY_LOW' });
    expect(verdict.evidence?.at(-1)).toBe("memory: 16000 MB in all, 300 MB available now, limited to 300 MB for this process's group");
  });
});

describe("a run's memory check", () => {
  it('reads what the snapshot kept of the log, once a run has copied it, instead of estimating it from the store', async () => {
    const check = STORE_CHECKS.find((c) => c.id === 'store.memory')!;
    const findings = { ...newFindings({ cwd: '/', env: {}, home: '/', stateDir: '/', namespace: 'p', database: 'p', username: 'root' }), keptLogBytes: 0.4 * GB };
    findings.store = { path: '/no/such/store', format: 'surrealkv-2', bytes: 9 * GB } as StoreInfo;
    const outcome = await check.run(findings);
    expect(outcome.evidence?.[0]).toMatch(/^store 9000\.0 MB on disk, about 400\.0 MB of it read → /);
  });
});
