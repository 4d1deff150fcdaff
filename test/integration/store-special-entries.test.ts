// A store folder holding a named pipe (FIFO): SurrealDB never writes one, and reading one waits until something writes
// into it. Every command that reads the store says what is there and what to do, without opening it and without
// calling it a folder that cannot be written.
import { execa } from 'execa';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderDigest, patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { errorsOf, runPatternDb } from '../helpers/pattern-db.js';
import { snapshotsLeftIn } from '../helpers/store-damage.js';
import { idOf, readManifest } from '../../src/surreal/surrealkv-manifest.js';
import { freePort } from '../helpers/surreal.js';

const NAMED_PIPE = (relative: string) => new RegExp(`^The embedded store .*pattern\\.db holds ${relative.replace('.', '\\.')}, a named pipe \\(FIFO\\): not a file or a folder\\. .*pattern-db does not copy anything else`);

describe('a store folder holding a named pipe', () => {
  it('migrate --dry-run, doctor, backup and inspect --query refuse it by name (E_STORE_FORMAT), with how to fix it', async () => {
    const folder = await patternFolder(30, 1, PATTERN_TOML, 3);
    await execa('mkfifo', [path.join(folder.storePath, 'x')]);
    const digest = await folderDigest(folder.storePath);

    const dryRun = await runPatternDb(['migrate', '--dry-run', '--yes', '--json', '--start-server', 'memory', '--bind', `127.0.0.1:${await freePort()}`], {
      cwd: folder.dir,
      env: { SURREAL_PASS: 'dry-run-pass' },
      timeoutMs: 60_000,
    });
    expect(errorsOf(dryRun), dryRun.stdout + dryRun.stderr).toEqual(['E_STORE_FORMAT']);
    const error = dryRun.result?.error as { message: string; fix: string };
    expect(error.message).toMatch(NAMED_PIPE('x'));
    expect(error.fix).toContain(`remove it with Pattern stopped (rm ${path.join(folder.storePath, 'x')})`);
    expect(error.fix).toContain("is not Pattern's store, point --source");

    const doctor = await runPatternDb(['doctor', '--json'], { cwd: folder.dir, timeoutMs: 60_000 });
    expect(doctor.exitCode).toBe(1);
    const store = doctor.events.find((e) => e.type === 'check' && e.id === 'store.exists')!;
    expect(store).toMatchObject({ status: 'fail', code: 'E_STORE_FORMAT', message: expect.stringMatching(NAMED_PIPE('x')) });
    expect(doctor.events.filter((e) => e.code === 'E_NOT_WRITABLE')).toEqual([]);

    const backup = await runPatternDb(['backup', '--source', folder.storePath, '--dir', 'backups/daily', '--json'], { cwd: folder.dir, timeoutMs: 60_000 });
    expect(errorsOf(backup)).toEqual(['E_STORE_FORMAT']);
    expect(backup.result?.error.message).toMatch(NAMED_PIPE('x'));
    // Nothing written, not even the --dir folders it made for the archive.
    expect(existsSync(path.join(folder.dir, 'backups'))).toBe(false);

    const inspect = await runPatternDb(['inspect', '--query', 'INFO FOR DB'], { cwd: folder.dir, timeoutMs: 60_000 });
    expect(inspect.exitCode).toBe(1);
    expect(inspect.stderr).toMatch(/E_STORE_FORMAT\] The embedded store .* holds x, a named pipe \(FIFO\)/);

    expect(await snapshotsLeftIn(folder.dir)).toEqual([]);
    expect(await folderDigest(folder.storePath)).toBe(digest);
  }, 180_000);

  it('named as a write-ahead log segment, where the store format is read from: refused at once, not waited on', async () => {
    const folder = await patternFolder(30, 1, PATTERN_TOML, 3);
    const segments = (await fs.readdir(path.join(folder.storePath, 'wal'))).sort();
    // A segment the newest manifest counts as live, so its stamp would be looked for in it: after the last one, and
    // never below the manifest's log number (an engine that flushed everything as it closed left no segment at all).
    const last = segments.length ? idOf(segments.at(-1)!) : -1;
    const logNumber = (await readManifest(folder.storePath))?.logNumber ?? 0;
    const next = `${String(Math.max(last + 1, logNumber)).padStart(20, '0')}.wal`;
    await execa('mkfifo', [path.join(folder.storePath, 'wal', next)]);

    const doctor = await runPatternDb(['doctor', '--json'], { cwd: folder.dir, timeoutMs: 60_000 });
    const store = doctor.events.find((e) => e.type === 'check' && e.id === 'store.exists')!;
    expect(store, doctor.stdout + doctor.stderr).toMatchObject({ status: 'fail', code: 'E_STORE_FORMAT', message: expect.stringMatching(NAMED_PIPE(`wal/${next}`)) });
    expect(await snapshotsLeftIn(folder.dir)).toEqual([]);
  }, 120_000);
});
