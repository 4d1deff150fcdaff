// Samples, every ~100 ms, the peak resident memory (VmHWM) of the commands one path ran, their descendants and its target
// server, kept per kind of process (bench/process-peaks.ts): never another path's, even when the paths run side by side
// (--paths-at-once). A process that ends between two samples keeps the peak of its last one.
import { promises as fs } from 'node:fs';
import { PeakByKind, descendantsOf, parentPid, processKind, vmHwmKb } from './process-peaks.js';

const INTERVAL_MS = 100;

export interface PeakSampler {
  /** The target server, once started: reported as `surreal server`, whoever started it. */
  setServer(pid: number): void;
  /** A command of the path, once spawned: it and every process under it are sampled from now on. */
  watch(pid: number): void;
  /** Stops sampling (after one last sample) and gives the peak per kind, in kB; again, the same answer. */
  stop(): Promise<Map<string, number>>;
}

export function startPeakSampler(serverPid?: number): PeakSampler {
  const parentOf = new Map<number, number>();
  const commands: number[] = [];
  const peaks = new PeakByKind();

  async function refreshTree(): Promise<void> {
    const alive = new Set<number>();
    for (const entry of await fs.readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      alive.add(pid);
      if (parentOf.has(pid)) continue;
      const ppid = parentPid(await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''));
      if (ppid !== undefined) parentOf.set(pid, ppid);
    }
    for (const pid of parentOf.keys()) if (!alive.has(pid)) parentOf.delete(pid);
  }

  async function sample(): Promise<void> {
    await refreshTree();
    const pids = [...commands, ...descendantsOf(commands, parentOf)];
    if (serverPid !== undefined && !pids.includes(serverPid)) pids.push(serverPid);
    await Promise.all(
      pids.map(async (pid) => {
        const [status, cmdline] = await Promise.all([
          fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''),
          fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''),
        ]);
        const hwmKb = vmHwmKb(status);
        if (hwmKb === undefined || !cmdline) return;
        peaks.add({ pid, kind: processKind(cmdline.split('\0').filter(Boolean), pid, serverPid), hwmKb });
      }),
    );
  }

  let stopped = false;
  let final: Promise<Map<string, number>> | undefined;
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      await sample().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, INTERVAL_MS - (Date.now() - started))));
    }
  })();

  return {
    setServer(pid) {
      serverPid = pid;
    },
    watch(pid) {
      commands.push(pid);
    },
    stop() {
      stopped = true;
      final ??= loop.then(() => sample().catch(() => undefined)).then(() => peaks.peaks());
      return final;
    },
  };
}
