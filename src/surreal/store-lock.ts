// Who holds a store: SurrealDB 3's surrealkv takes an OS lock (flock) on <store>/LOCK; 2.x takes none, so open files
// inside the folder also count. Read from /proc on Linux, without taking the lock ourselves.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface ProcessRef {
  pid: number;
  command: string;
  evidence: string;
}

async function commandOf(pid: number): Promise<string> {
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const argv0 = cmdline.split('\0')[0] ?? '';
  return path.basename(argv0) || `pid ${pid}`;
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
    if (Number.isInteger(pid) && inode === stat.ino && pid !== process.pid) {
      return { pid, command: await commandOf(pid), evidence: `/proc/locks: ${line.trim()} (${lockFile})` };
    }
  }
  return null;
}

async function openFileHolder(storeDir: string): Promise<ProcessRef | null> {
  const pids = (await fs.readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  const prefix = storeDir.endsWith(path.sep) ? storeDir : storeDir + path.sep;
  for (const pidText of pids) {
    const pid = Number(pidText);
    if (pid === process.pid) continue;
    const fds = await fs.readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (target.startsWith(prefix)) {
        return { pid, command: await commandOf(pid), evidence: `/proc/${pid}/fd/${fd} -> ${target}` };
      }
    }
  }
  return null;
}

export async function findLockHolder(storeDir: string): Promise<ProcessRef | null> {
  if (process.platform !== 'linux') return null;
  return (await flockHolder(path.join(storeDir, 'LOCK'))) ?? (await openFileHolder(storeDir));
}
