// PATTERN_DB_PAUSE_AT: the kill harness's one hook into the program. Unset, it must do nothing at all.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, expect, it, vi } from 'vitest';
import { PAUSE_ENV, pauseMarker, pausesAt } from '../../src/core/pause-point.js';
import { pauseAt } from '../../src/files/pause-at.js';
import { tempDir } from '../helpers/temp-folders.js';

afterEach(() => {
  vi.useRealTimers();
});

it('pauses only at the point named in the environment', () => {
  expect(pausesAt({}, 'snapshot-copy')).toBe(false);
  expect(pausesAt({ [PAUSE_ENV]: 'server-spawned' }, 'snapshot-copy')).toBe(false);
  expect(pausesAt({ [PAUSE_ENV]: 'snapshot-copy' }, 'snapshot-copy')).toBe(true);
  expect(pauseMarker('config-backup')).toBe('paused-at-config-backup');
});

it('returns at once and writes nothing when the variable is unset', async () => {
  const stateDir = path.join(await tempDir('pattern-db-pause-'), 'state');
  await pauseAt('snapshot-copy', stateDir, {});
  expect(await fs.stat(stateDir).then(() => true, () => false)).toBe(false);
});

it('writes its marker in the state folder, then waits', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  const stateDir = await tempDir('pattern-db-pause-');
  let returned = false;
  const paused = pauseAt('config-backup', stateDir, { [PAUSE_ENV]: 'config-backup' }).then(() => (returned = true));
  const marker = path.join(stateDir, 'paused-at-config-backup');
  await vi.waitFor(() => fs.access(marker), { timeout: 5_000, interval: 10 });
  expect(await fs.readFile(marker, 'utf8')).toBe(`${process.pid}\n`);
  await vi.advanceTimersByTimeAsync(60_000);
  expect(returned).toBe(false);
  await vi.advanceTimersByTimeAsync(10 * 60_000);
  await paused;
  expect(returned).toBe(true);
});

it('ends the pause early once the marker is removed (the test killed the server instead, and the run goes on)', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  const stateDir = await tempDir('pattern-db-pause-');
  let returned = false;
  const paused = pauseAt('server-spawned', stateDir, { [PAUSE_ENV]: 'server-spawned' }).then(() => (returned = true));
  const marker = path.join(stateDir, 'paused-at-server-spawned');
  await vi.waitFor(() => fs.access(marker), { timeout: 5_000, interval: 10 });
  await vi.advanceTimersByTimeAsync(5_000);
  expect(returned).toBe(false);
  await fs.rm(marker);
  await vi.advanceTimersByTimeAsync(100);
  await paused;
  expect(returned).toBe(true);
});

it('never shows its marker empty: a test that sees it reads the pid in it', async () => {
  const stateDir = await tempDir('pattern-db-pause-');
  const marker = path.join(stateDir, 'paused-at-config-backup');
  // Another thread reads the marker as fast as it can, and says every text it saw there.
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const reader = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const fs = require('node:fs');
     const seen = new Set();
     while (Atomics.load(workerData.stop, 0) === 0) {
       try { seen.add(fs.readFileSync(workerData.marker, 'utf8')); } catch {}
     }
     parentPort.postMessage([...seen]);`,
    { eval: true, workerData: { marker, stop } },
  );
  const seen = new Promise<string[]>((resolve) => reader.once('message', resolve));
  for (let pause = 0; pause < 20; pause++) {
    const paused = pauseAt('config-backup', stateDir, { [PAUSE_ENV]: 'config-backup' });
    await vi.waitFor(() => fs.access(marker), { timeout: 5_000, interval: 5 });
    await fs.rm(marker);
    await paused;
  }
  Atomics.store(stop, 0, 1);
  expect(await seen).toEqual([`${process.pid}\n`]);
  await reader.terminate();
});
