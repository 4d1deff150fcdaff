// The state folder holds copies of the store and its password hashes: pattern-db uses an existing one only when it is
// the user's own and no one else may write into it. In one another user controls, a link planted as run.lock, the
// journal's temporary file or `snapshots` sent what pattern-db wrote (or a chmod) to a file of that user's choosing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { patternFolder } from '../helpers/fixture-store.js';
import { errorsOf, runPatternDb } from '../helpers/pattern-db.js';
import { tempDir } from '../helpers/temp-folders.js';
import { freePort } from '../helpers/surreal.js';
import { isProcessAlive } from '../../src/surreal/process-identity.js';

const NOBODY = 65534;

async function victim(): Promise<string> {
  const file = path.join(await tempDir('pattern-db-victim-'), 'victim');
  await fs.writeFile(file, 'keep me\n', { mode: 0o644 });
  return file;
}

describe('a state folder another user could write into is refused before anything is written there', () => {
  it.each([
    ['belongs to another user', async (dir: string) => fs.chown(dir, NOBODY, NOBODY), /belongs to another user \(uid 65534\)/],
    ['can be written by others', async (dir: string) => fs.chmod(dir, 0o777), /can be written by other users \(mode 777\)/],
  ])('one that %s: preflight and backup say so, and the file a planted link names is untouched', async (_what, open, message) => {
    const folder = await patternFolder(30);
    const stateDir = path.join(folder.dir, 'shared-state');
    await fs.mkdir(stateDir, { mode: 0o700 });
    const target = await victim();
    await fs.symlink(target, path.join(stateDir, 'run.lock'));
    await fs.symlink(path.dirname(target), path.join(stateDir, 'snapshots'));
    await open(stateDir);
    for (const args of [['preflight'], ['backup', '--dir', 'backups']]) {
      const run = await runPatternDb([...args, '--state-dir', stateDir, '--json'], { cwd: folder.dir });
      expect(errorsOf(run), run.stdout + run.stderr).toEqual(['E_NOT_WRITABLE']);
      expect(run.result?.error.message).toMatch(message);
      expect(run.result?.error.fix).toMatch(/--state-dir/);
    }
    expect(await fs.readFile(target, 'utf8')).toBe('keep me\n');
    expect((await fs.stat(path.dirname(target))).mode & 0o777).toBe(0o700);
    expect(await fs.readdir(path.dirname(target))).toEqual(['victim']);
  });

  it("a link in the user's own state folder where pattern-db keeps its snapshots is refused, not followed", async () => {
    const folder = await patternFolder(30);
    const elsewhere = await tempDir('pattern-db-elsewhere-');
    await fs.chmod(elsewhere, 0o755);
    await fs.mkdir(path.join(folder.dir, '.pattern-db'), { mode: 0o700 });
    await fs.symlink(elsewhere, path.join(folder.dir, '.pattern-db', 'snapshots'));
    const run = await runPatternDb(['preflight', '--json'], { cwd: folder.dir });
    expect(errorsOf(run)).toEqual(['E_NOT_WRITABLE']);
    expect(run.result?.error.message).toMatch(/snapshots is a symbolic link/);
    expect([(await fs.stat(elsewhere)).mode & 0o777, await fs.readdir(elsewhere)]).toEqual([0o755, []]);
  });

  it("a state folder that is the user's own link to a folder of theirs is used", async () => {
    const folder = await patternFolder(30);
    const real = await tempDir('pattern-db-real-state-');
    await fs.symlink(real, path.join(folder.dir, '.pattern-db'));
    const run = await runPatternDb(['preflight', '--json'], { cwd: folder.dir });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  });

  it("server stop does not act on a server.json in a state folder another user controls (it could name any of this user's processes)", async () => {
    const dir = await tempDir('pattern-db-server-state-');
    const bind = `127.0.0.1:${await freePort()}`;
    const started = await runPatternDb(['server', 'start', '--bind', bind, '--state-dir', dir, '--json'], { cwd: dir, env: { SURREAL_PASS: 'owner-check' } });
    expect(started.exitCode, started.stderr).toBe(0);
    const pid = started.result?.server.pid as number;
    try {
      await fs.chown(dir, NOBODY, NOBODY);
      const stop = await runPatternDb(['server', 'stop', '--state-dir', dir, '--json'], { cwd: dir });
      expect(errorsOf(stop)).toEqual(['E_NOT_WRITABLE']);
      expect(isProcessAlive(pid)).toBe(true);
    } finally {
      await fs.chown(dir, process.getuid!(), process.getgid!());
      await runPatternDb(['server', 'stop', '--state-dir', dir], { cwd: dir });
    }
    expect(isProcessAlive(pid)).toBe(false);
  });
});
