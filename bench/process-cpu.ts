// What the process sampler computes of the CPU time each kind of process used (bench/process-peaks.ts names the kinds):
// user + system time from /proc/<pid>/stat, summed over a kind's processes. No /proc access here.
import { statFieldsAfterName } from './process-peaks.js';

/** Clock ticks per second in /proc/<pid>/stat: USER_HZ, 100 on every Linux architecture this bench runs on. */
const TICKS_PER_SECOND = 100;

/** utime + stime of a /proc/<pid>/stat text (its 14th and 15th fields). */
export function cpuTicks(stat: string): number | undefined {
  const afterName = statFieldsAfterName(stat);
  const ticks = Number(afterName[11]) + Number(afterName[12]);
  return Number.isInteger(ticks) ? ticks : undefined;
}

/**
 * The CPU seconds per kind: each process's last sample, counted under the kind it had then (a process seen between
 * fork and exec is counted as what it went on to run), summed over the kind's processes.
 */
export class CpuByKind {
  private readonly byPid = new Map<number, { kind: string; ticks: number }>();

  add(sample: { pid: number; kind: string; ticks: number }): void {
    this.byPid.set(sample.pid, { kind: sample.kind, ticks: Math.max(sample.ticks, this.byPid.get(sample.pid)?.ticks ?? 0) });
  }

  seconds(): Map<string, number> {
    const seconds = new Map<string, number>();
    for (const { kind, ticks } of this.byPid.values()) seconds.set(kind, (seconds.get(kind) ?? 0) + ticks / TICKS_PER_SECOND);
    return seconds;
  }
}
