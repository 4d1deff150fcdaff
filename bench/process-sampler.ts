// Samples, every ~100 ms, the peak resident memory (VmHWM) and the CPU time of the commands one path ran, their
// descendants and its target server, kept per kind of process (bench/process-peaks.ts, bench/process-cpu.ts): never
// another path's, even when the paths run side by side (--paths-at-once). A process that ends between two samples keeps
// the peak and the CPU time of its last one.
import { promises as fs } from 'node:fs';
import { CpuByKind, cpuTicks } from './process-cpu.js';
import { PeakByKind, descendantsOf, parentPid, processKind, vmHwmKb } from './process-peaks.js';

const INTERVAL_MS = 100;

export interface ProcessUse {
  /** The highest VmHWM of any one process of a kind, kB. */
  peaks: Map<string, number>;
  /** User + system seconds, summed over a kind's processes. */
  cpuSeconds: Map<string, number>;
}

export interface ProcessSampler {
  /** The target server, once started: reported as `surreal server`, whoever started it. */
  setServer(pid: number): void;
  /** A command of the path, once spawned: it and every process under it are sampled from now on. */
  watch(pid: number): void;
  /** Stops sampling (after one last sample) and gives what each kind used; again, the same answer. */
  stop(): Promise<ProcessUse>;
}

export function startProcessSampler(serverPid?: number): ProcessSampler {
  const parentOf = new Map<number, number>();
  const commands: number[] = [];
  const peaks = new PeakByKind();
  const cpu = new CpuByKind();

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
        const read = (file: string) => fs.readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => '');
        const [status, stat, cmdline] = await Promise.all([read('status'), read('stat'), read('cmdline')]);
        const hwmKb = vmHwmKb(status);
        if (hwmKb === undefined || !cmdline) return;
        const kind = processKind(cmdline.split('\0').filter(Boolean), pid, serverPid);
        peaks.add({ pid, kind, hwmKb });
        const ticks = cpuTicks(stat);
        if (ticks !== undefined) cpu.add({ pid, kind, ticks });
      }),
    );
  }

  let stopped = false;
  let final: Promise<ProcessUse> | undefined;
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
      final ??= loop.then(() => sample().catch(() => undefined)).then(() => ({ peaks: peaks.peaks(), cpuSeconds: cpu.seconds() }));
      return final;
    },
  };
}
