// One pattern-db run at a time in a state folder: two would share its journal, export file, snapshots and managed
// server (a second `--resume` sent chunks into the first run's import; a second run removed the first one's export).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { flockExclusive } from './flock.js';
import { makeStateDir } from './private-files.js';
import { errorText } from '../core/error-text.js';

export interface HeldStateLock {
  release(): Promise<void>;
}

/** The file whose flock a run holds; it names the pid that holds it. */
const STATE_LOCK_FILE = 'run.lock';

/**
 * Takes the state folder for this run until release() (or until this process ends, whatever ends it). E_STATE_IN_USE
 * when another process holds it; null where flock is not to be had (no `flock` program, a file system without it).
 */
export async function holdStateLock(stateDir: string): Promise<HeldStateLock | null> {
  const file = path.join(stateDir, STATE_LOCK_FILE);
  const handle = await makeStateDir(stateDir)
    .then(() => fs.open(file, 'a+', 0o600))
    .catch((error: unknown) => {
      if (error instanceof PatternDbError) throw error;
      throw new PatternDbError('E_NOT_WRITABLE', `The state folder ${stateDir} cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
        cause: error,
        evidence: errorText(error),
        fix: 'Pass --state-dir DIR on a disk you can write to, or make the folder yours and writable.',
      });
    });
  const outcome = await flockExclusive(handle);
  if (outcome === 'taken') {
    await handle.truncate(0);
    await handle.write(`${process.pid}\n`, 0);
    return { release: () => handle.close() };
  }
  await handle.close();
  if (outcome === 'unavailable') return null;
  const holder = (await fs.readFile(file, 'utf8').catch(() => '')).trim();
  throw new PatternDbError('E_STATE_IN_USE', `Another pattern-db run${/^\d+$/.test(holder) ? ` (process ${holder})` : ''} is using the state folder ${stateDir}.`, {
    evidence: `flock --exclusive --nonblock ${file} → already locked`,
    fix: 'Wait for it to finish (or stop it), then run again; to run beside it, pass another --state-dir (and --export-file).',
  });
}

/**
 * holdStateLock where an earlier run left its run.lock (in a folder that run's preflight checked), else null with
 * nothing written: a state folder no run has used yet is taken once the preflight has checked where it is.
 */
export async function holdUsedStateLock(stateDir: string): Promise<HeldStateLock | null> {
  const used = await fs.lstat(path.join(stateDir, STATE_LOCK_FILE)).then(() => true, () => false);
  return used ? holdStateLock(stateDir) : null;
}
