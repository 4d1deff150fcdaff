// Which process a pid names: the executable and the start time, so that a pid the system has given to another
// program since is never taken for the server we started (and never signalled).
import { promises as fs, readFileSync } from 'node:fs';

export interface ProcessIdentity {
  /** The program the process runs (/proc/PID/exe). */
  exe: string;
  /** Clock ticks after boot when it started (/proc/PID/stat, field 22): two processes of one pid never share it. */
  startTime: string;
}

/** True while `pid` runs; a zombie (exited, not yet reaped by its parent) counts as gone. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    return !/\)\s+Z\b/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const UNREADABLE = '(unreadable)';

/** The identity of a running process; null where /proc does not tell it (not Linux, or the process is gone). */
export async function processIdentity(pid: number): Promise<ProcessIdentity | null> {
  if (process.platform !== 'linux') return null;
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  // Another user's process hides its executable: it is not one we started either.
  const exe = await fs.readlink(`/proc/${pid}/exe`).catch(() => UNREADABLE);
  // The command name (field 2) is in parentheses and may hold spaces or ')': count fields from the last ')'.
  const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  if (!startTime) return null;
  // A program replaced on disk while it runs reads "<path> (deleted)"; it is still the same process.
  return { exe: exe.replace(/ \(deleted\)$/, ''), startTime };
}

/**
 * Whether what a pid runs now is the process recorded. One being torn down (SIGKILLed, not yet a zombie) no longer
 * shows its executable; its pid and start tick still name it.
 */
export function isSameProcess(now: ProcessIdentity, recorded: ProcessIdentity): boolean {
  return now.startTime === recorded.startTime && (now.exe === recorded.exe || now.exe === UNREADABLE);
}

export type PidCheck = { kind: 'gone' } | { kind: 'same' } | { kind: 'other'; why: string };

/** Whether `pid` is still the process recorded as `recorded` when it started. */
export async function checkPid(pid: number, recorded: ProcessIdentity | undefined): Promise<PidCheck> {
  if (!isProcessAlive(pid)) return { kind: 'gone' };
  const now = await processIdentity(pid);
  if (now === null) return process.platform === 'linux' ? { kind: 'gone' } : { kind: 'same' };
  if (!recorded) return { kind: 'other', why: `it runs ${now.exe}, and the state file predates pattern-db's record of which process it started` };
  if (!isSameProcess(now, recorded)) {
    return { kind: 'other', why: `it runs ${now.exe} started at tick ${now.startTime}; the server was ${recorded.exe} started at tick ${recorded.startTime}` };
  }
  return { kind: 'same' };
}
