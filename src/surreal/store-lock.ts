// Who holds a store: SurrealDB 3's surrealkv takes an OS lock (flock) on <store>/LOCK; 2.x takes none, so open files
// inside the folder also count. Read from /proc on Linux. While the store is copied, its lock is taken here too.
import { promises as fs, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { flockExclusive } from '../files/flock.js';

export interface ProcessRef {
  pid: number;
  command: string;
  /** Another pattern-db run, which holds a store only while it copies it. */
  patternDb: boolean;
  evidence: string;
}

async function processOf(pid: number): Promise<Pick<ProcessRef, 'command' | 'patternDb'>> {
  const argv = (await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  return {
    command: path.basename(argv[0] ?? '') || `pid ${pid}`,
    patternDb: argv.some((arg) => /^pattern-db(\.js)?$/.test(path.basename(arg))),
  };
}

async function flockHolder(lockFile: string): Promise<ProcessRef | null> {
  const stat = await fs.stat(lockFile).catch(() => null);
  if (!stat) return null;
  const locks = await fs.readFile('/proc/locks', 'utf8').catch(() => '');
  for (const line of locks.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 4242 00:2f:1234567 0 EOF"
    const fields = line.trim().split(/\s+/);
    const pid = Number(fields[4]);
    const inode = Number(fields[5]?.split(':')[2]);
    // pattern-db's own lock names the `flock` program that took it and has exited (files/flock.ts): the process
    // holding it is the one with the file open, which openFileHolder finds.
    if (Number.isInteger(pid) && inode === stat.ino && pid !== process.pid && (await fs.access(`/proc/${pid}`).then(() => true, () => false))) {
      return { pid, ...(await processOf(pid)), evidence: `/proc/locks: ${line.trim()} (${lockFile})` };
    }
  }
  return null;
}

/** One process's open file under `prefix`, read synchronously: a few microseconds a link, against ~0.1 ms through the thread pool. */
function openFileOf(pid: number, prefix: string): { fd: string; target: string } | null {
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null; // gone, or not ours to read
  }
  for (const fd of fds) {
    let target = '';
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (target.startsWith(prefix)) return { fd, target };
  }
  return null;
}

/** Processes between two turns of the event loop: a desktop has hundreds, and thousands of open files. */
const PIDS_PER_TURN = 32;

async function openFileHolder(storeDir: string): Promise<ProcessRef | null> {
  const pids = (await fs.readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name)).map(Number);
  const prefix = storeDir.endsWith(path.sep) ? storeDir : storeDir + path.sep;
  for (const [i, pid] of pids.entries()) {
    if (i > 0 && i % PIDS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    if (pid === process.pid) continue;
    const open = openFileOf(pid, prefix);
    if (open) return { pid, ...(await processOf(pid)), evidence: `/proc/${pid}/fd/${open.fd} -> ${open.target}` };
  }
  return null;
}

export async function findLockHolder(storeDir: string): Promise<ProcessRef | null> {
  if (process.platform !== 'linux') return null;
  return (await flockHolder(path.join(storeDir, 'LOCK'))) ?? (await openFileHolder(storeDir));
}

export interface HeldStoreLock {
  release(): Promise<void>;
}

/**
 * Takes the lock SurrealDB 3 takes (an exclusive flock on <store>/LOCK) and keeps it until release(), so that no
 * SurrealDB 3 program can open the store meanwhile ("Database at …/LOCK is already locked by another process").
 * The LOCK file is opened read-only and never created: a store without one (SurrealDB 2.x, which takes no lock, or a
 * 3.x store copied without it) gets no lock, and `null` comes back, as it does where there is no `flock` program.
 * A lock held by another process throws E_STORE_LOCKED.
 */
export async function holdStoreLock(storeDir: string): Promise<HeldStoreLock | null> {
  const lockFile = path.join(storeDir, 'LOCK');
  const handle = await fs.open(lockFile, 'r').catch(() => null);
  if (!handle) return null;
  const outcome = await flockExclusive(handle);
  if (outcome === 'taken') return { release: () => handle.close() };
  await handle.close();
  // No `flock`, or a file system without flock: the checks before and after the copy are what is left.
  if (outcome === 'unavailable') return null;
  const holder = await findLockHolder(storeDir);
  throw new PatternDbError('E_STORE_LOCKED', `The embedded store ${storeDir} is locked by ${holder ? `process ${holder.pid} (${holder.command})` : 'another program'}: SurrealDB holds its LOCK file while it has the store open.`, {
    evidence: [`flock --exclusive --nonblock ${lockFile} → already locked`, ...(holder ? [holder.evidence] : [])].join('\n'),
    fix: 'Stop Pattern (and any other program using the store) first, then run again.',
  });
}
