// An exclusive flock(2) this process holds on a file it keeps open. Node has no flock: util-linux's `flock` locks the
// file descriptor it is handed, and the lock stays with the open file this process keeps after `flock` has exited,
// until the handle is closed (or this process ends).
import { spawn } from 'node:child_process';
import type { FileHandle } from 'node:fs/promises';

/** The exit code `flock` is told to use when the lock is taken by someone else (EX_TEMPFAIL). */
const LOCK_CONFLICT = 75;

/** `taken`: ours now; `held`: another process has it; `unavailable`: no `flock` program, or a file system without flock. */
export type FlockOutcome = 'taken' | 'held' | 'unavailable';

export async function flockExclusive(handle: FileHandle): Promise<FlockOutcome> {
  const outcome = await new Promise<{ code: number | null } | 'no-program'>((resolve) => {
    const child = spawn('flock', ['--exclusive', '--nonblock', '--conflict-exit-code', String(LOCK_CONFLICT), '3'], {
      stdio: ['ignore', 'ignore', 'ignore', handle.fd],
    });
    child.once('error', () => resolve('no-program'));
    child.once('close', (code) => resolve({ code }));
  });
  if (outcome === 'no-program') return 'unavailable';
  if (outcome.code === 0) return 'taken';
  return outcome.code === LOCK_CONFLICT ? 'held' : 'unavailable';
}
