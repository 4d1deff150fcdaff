// PATTERN_DB_PAUSE_AT: the kill harness's one hook into the program. Unset, it must do nothing at all.
import { promises as fs } from 'node:fs';
import path from 'node:path';
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
