// Two backups of one embedded store from the same state folder at once (a scheduled one and one typed by hand): the
// second says another run holds the folder, rather than taking the first one's copy of the store for Pattern holding
// it (E_STORE_LOCKED, "stop Pattern"), and each backup that runs holds every record.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAUSE_ENV, pauseMarker } from '../../src/core/pause-point.js';
import { verifyArchive } from '../../src/ops/backup-archive.js';
import { folderDigest, patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { errorsOf, runPatternDb } from '../helpers/pattern-db.js';
import { snapshotsLeftIn } from '../helpers/store-damage.js';

async function markerOf(file: string): Promise<string> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    if (existsSync(file)) return (await fs.readFile(file, 'utf8')).trim();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${file} never appeared`);
}

describe('two backups of one embedded store at once', () => {
  it('the second is refused with E_STATE_IN_USE naming the first, which finishes; each archive holds every record; a refused migrate leaves its copy alone', async () => {
    const folder = await patternFolder(30, 1, PATTERN_TOML, 3);
    // The LOCK file SurrealDB 3 leaves in its store (patternFolder copies the store without it): a backup holds its
    // flock while it copies the store, so a second copy then sees the store held.
    await fs.writeFile(path.join(folder.storePath, 'LOCK'), '');
    const digest = await folderDigest(folder.storePath);
    const every = Object.fromEntries(Object.entries(folder.counts).filter(([, n]) => n > 0));
    const backup = (env: Record<string, string> = {}) => runPatternDb(['backup', '--dir', 'backups', '--json'], { cwd: folder.dir, env, timeoutMs: 120_000 });

    // The first waits inside its copy of the store, holding the store's lock as a copy does.
    const first = backup({ [PAUSE_ENV]: 'snapshot-copy' });
    const marker = path.join(folder.dir, '.pattern-db', pauseMarker('snapshot-copy'));
    const firstPid = await markerOf(marker);

    const second = await backup();
    expect(errorsOf(second), second.stdout + second.stderr).toEqual(['E_STATE_IN_USE']);
    expect(second.result?.error.message).toBe(`Another pattern-db run (process ${firstPid}) is using the state folder ${path.join(folder.dir, '.pattern-db')}.`);
    expect(second.result?.error.fix).toMatch(/^Wait for it to finish \(or stop it\), then run again/);

    // A migrate started meanwhile is refused, and leaves the backup's copy of the store alone as it cleans up.
    const refused = await runPatternDb(['migrate', '--yes', '--json', '--target', 'http://127.0.0.1:9'], { cwd: folder.dir, env: { SURREAL_PASS: 'x' } });
    expect(refused.exitCode, refused.stdout + refused.stderr).not.toBe(0);
    expect(await snapshotsLeftIn(folder.dir)).toHaveLength(1);

    await fs.rm(marker);
    const finished = await first;
    expect(finished.exitCode, finished.stdout + finished.stderr).toBe(0);
    expect(finished.result?.backup.recordsByTable).toEqual(every);

    // Once it is done, the next one runs.
    const after = await backup();
    expect(after.exitCode, after.stdout + after.stderr).toBe(0);
    const archives = [finished.result?.backup.file as string, after.result?.backup.file as string];
    expect(new Set(archives).size).toBe(2);
    for (const archive of archives) expect((await verifyArchive(archive)).recordsByTable).toEqual(every);

    expect(await snapshotsLeftIn(folder.dir)).toEqual([]);
    expect((await fs.readdir(path.join(folder.dir, '.pattern-db'))).filter((name) => name.endsWith('.surql'))).toEqual([]);
    expect(await folderDigest(folder.storePath)).toBe(digest);
  }, 180_000);

  it('from another state folder, the second is told another pattern-db run is copying the store, not to stop Pattern', async () => {
    const folder = await patternFolder(30, 1, PATTERN_TOML, 3);
    await fs.writeFile(path.join(folder.storePath, 'LOCK'), '');
    const first = runPatternDb(['backup', '--dir', 'backups', '--json'], { cwd: folder.dir, env: { [PAUSE_ENV]: 'snapshot-copy' }, timeoutMs: 120_000 });
    const marker = path.join(folder.dir, '.pattern-db', pauseMarker('snapshot-copy'));
    const firstPid = await markerOf(marker);

    const second = await runPatternDb(['backup', '--dir', 'backups', '--state-dir', 'other-state', '--json'], { cwd: folder.dir });
    expect(errorsOf(second), second.stdout + second.stderr).toEqual(['E_STORE_LOCKED']);
    expect(second.result?.error.message).toBe(`The embedded store ${folder.storePath} is being copied by another pattern-db run (process ${firstPid}): a migration, backup, inspection or doctor holds the store while it copies it.`);
    expect(second.result?.error.fix).toMatch(/^Wait for that copy to finish/);

    await fs.rm(marker);
    expect((await first).exitCode).toBe(0);
  }, 180_000);
});
