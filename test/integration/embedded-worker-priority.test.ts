// A migration's reader of the snapshot runs the verification's range digests, read beside the export, the import and
// the server's index builds, at a lower priority than those; its census, which the import waits for, and every other
// reader (inspect, doctor) keep the usual one. The priority is each thread's: the engine's own threads (tokio,
// surrealdb), which do the reading, are the ones that must yield.
import { promises as fs } from 'node:fs';
import { getPriority } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { BACKGROUND_NICENESS, EmbeddedStore } from '../../src/surreal/embedded.js';
import { openSnapshot } from '../../src/steps/source-census.js';
import type { PreflightResult } from '../../src/steps/run-state.js';
import type { StepContext } from '../../src/steps/step.js';
import { pauseMarker, PAUSE_ENV } from '../../src/core/pause-point.js';
import { patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { engineWorkersOf, threadNiceness } from '../helpers/processes.js';
import { startTestServer } from '../helpers/surreal.js';
import { waitFor } from '../helpers/wait-for.js';

const selection = { namespace: 'pattern', database: 'pattern' };

/** The threads of `pid` whose niceness is not `niceness`. */
const threadsNotAt = async (pid: number, niceness: number) => (await threadNiceness(pid)).filter((t) => t.niceness !== niceness);

async function onlyWorker(): Promise<number> {
  const workers = await engineWorkersOf();
  expect(workers).toHaveLength(1);
  return workers[0]!;
}

it('an embedded store keeps the usual priority until it is told to yield', async () => {
  const folder = await patternFolder(20, 1, PATTERN_TOML, 3);
  const store = await EmbeddedStore.open(path.join(folder.dir, 'pattern.db'), selection);
  try {
    const pid = await onlyWorker();
    expect(await store.count('msg')).toBe(folder.counts.msg);
    expect(await threadsNotAt(pid, getPriority())).toEqual([]);
    expect((await threadNiceness(pid)).map((t) => t.thread).join(' '), 'the engine has threads of its own').toMatch(/tokio/);
    store.yieldCpu();
    expect(await threadsNotAt(pid, BACKGROUND_NICENESS)).toEqual([]);
    // Threads the engine starts from here on (for a page's digest, a count) inherit it.
    expect((await store.rangeDigest('msg', { after: undefined }, 1000)).count).toBe(folder.counts.msg);
    expect(await store.count('msg')).toBe(folder.counts.msg);
    expect(await threadsNotAt(pid, BACKGROUND_NICENESS)).toEqual([]);
  } finally {
    store.close();
  }
});

it('the run\'s snapshot, opened for its census, is read at the usual priority', async () => {
  const folder = await patternFolder(20, 1, PATTERN_TOML, 3);
  const snapshot = path.join(folder.dir, 'pattern.db');
  await fs.rm(path.join(snapshot, 'LOCK'), { force: true });
  const ctx = { options: selection, signal: new AbortController().signal } as unknown as StepContext;
  const pre = { snapshot, store: { format: 'surrealkv-3.0', bytes: 0, files: 0 } } as PreflightResult;
  const source = await openSnapshot(ctx, pre);
  try {
    expect(await source.count('msg')).toBe(folder.counts.msg);
    expect(await threadsNotAt(await onlyWorker(), getPriority())).toEqual([]);
  } finally {
    await source.close();
  }
});

it.each([['auto'], ['cli'], ['sdk']] as const)('migrate --driver %s: the reader comparing the records as the indexes build runs every thread at the lower priority', async (driver) => {
  const folder = await patternFolder(20, 1, PATTERN_TOML, 3);
  const server = await startTestServer({ major: 3 });
  const marker = path.join(folder.dir, '.pattern-db', pauseMarker('records-in'));
  let patternDb = 0;
  try {
    const run = runPatternDb(['migrate', '--yes', '--json', '--driver', driver, '--target', server.url], {
      cwd: folder.dir,
      env: { SURREAL_USER: server.username, SURREAL_PASS: server.password, [PAUSE_ENV]: 'records-in' },
      onSpawn: (pid) => (patternDb = pid),
    });
    expect(await waitFor(() => fs.stat(marker).then(() => true, () => undefined), 60_000, 25), 'the run never had every record in').toBe(true);
    const workers = await engineWorkersOf(patternDb);
    await fs.rm(marker);
    expect(workers).toHaveLength(1);
    expect(await threadsNotAt(workers[0]!, BACKGROUND_NICENESS)).toEqual([]);
    const ended = await run;
    expect(ended.exitCode, ended.stdout + ended.stderr).toBe(0);
    expect(ended.result?.verify).toMatchObject({ ok: true });
  } finally {
    await server.stop();
  }
}, 120_000);
