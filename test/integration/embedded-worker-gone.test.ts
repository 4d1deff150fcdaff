// The embedded engine's process killed under a reader (the kernel's OOM killer, a stray kill): every request then
// fails with E_SURREAL_KILLED, which names memory, and none of them takes pattern-db down with an uncaught EPIPE.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { EmbeddedStore } from '../../src/surreal/embedded.js';
import { engineWorkersOf } from '../helpers/processes.js';
import { tempDir } from '../helpers/surreal.js';

const dir = await tempDir();
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

it('rejects every request once its process is killed, as killed by the system, without an uncaught error', async () => {
  const store = await EmbeddedStore.open(path.join(dir, 'store'), { namespace: 'gone', database: 'gone' });
  await store.query('CREATE t:1 SET v = 1;');
  const [pid] = await engineWorkersOf();
  expect(pid).toBeDefined();
  process.kill(pid!, 'SIGKILL');
  // Sent right after the kill, before and after the exit is seen: each one settles, as E_SURREAL_KILLED. Each outcome is
  // taken as it comes, so a rejection is never left unhandled by the test itself.
  const outcomes: Array<Promise<unknown>> = [];
  for (let i = 0; i < 50; i++) {
    outcomes.push(store.count('t').then((count) => ({ resolved: count }), (error: unknown) => error));
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (const outcome of await Promise.all(outcomes)) {
    expect(outcome).toBeInstanceOf(PatternDbError);
    expect((outcome as PatternDbError).code).toBe('E_SURREAL_KILLED');
    expect((outcome as PatternDbError).message).toMatch(/was killed \(SIGKILL\) while pattern-db used it, not by pattern-db: most likely the system ran out of memory\.$/);
  }
  store.close();
});

it("says nothing of the system's doing once pattern-db itself closed it", async () => {
  const store = await EmbeddedStore.open(path.join(dir, 'closed'), { namespace: 'gone', database: 'gone' });
  store.close();
  const outcome = await store.count('t').catch((error: unknown) => error);
  expect(outcome).toBeInstanceOf(PatternDbError);
  expect((outcome as PatternDbError).code).toBe('E_INTERNAL');
});
