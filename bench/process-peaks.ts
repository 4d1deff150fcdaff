// What the peak-memory sampler computes from what /proc shows: which process is which, the tree under a root, and
// the highest VmHWM (the process's own peak resident memory) per kind of process. No /proc access here.
import path from 'node:path';

export type ParentOf = ReadonlyMap<number, number>;

/** VmHWM of a /proc/<pid>/status text, in kB. */
export function vmHwmKb(status: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

/** The fields of a /proc/<pid>/stat text from its 3rd on: the 2nd, the name, may hold spaces and parentheses. */
export function statFieldsAfterName(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The parent pid of a /proc/<pid>/stat text (its 4th field). */
export function parentPid(stat: string): number | undefined {
  const ppid = Number(statFieldsAfterName(stat)[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** Every process under the roots (children, their children, …), the roots themselves not included. */
export function descendantsOf(roots: number[], parentOf: ParentOf): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const queue = [...roots];
  const seen = new Set(roots);
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** What a process is, from its argv: the kinds a table reports a peak for. */
export function processKind(argv: string[], pid: number, serverPid: number | undefined): string {
  const program = path.basename(argv[0] ?? '?');
  if (pid === serverPid) return 'surreal server';
  if (/^node/.test(program)) {
    const script = argv.slice(1).find((a) => !a.startsWith('-')) ?? '';
    if (/embedded-worker\.js$/.test(script)) return 'embedded worker (node)';
    if (/pattern-db(\.js)?$/.test(script)) return 'pattern-db (node)';
    return `node ${path.basename(script)}`;
  }
  // pattern-db's wrapper around a private server, and its watcher's sleep.
  if (['sh', 'dash', 'bash', 'sleep'].includes(program)) return 'shell helpers (sh, sleep)';
  if (program === 'surreal') {
    const command = argv[1] ?? '';
    if (command === 'start') return 'surreal private server';
    return `surreal ${command}`;
  }
  return program;
}

export interface ProcessSample {
  pid: number;
  kind: string;
  hwmKb: number;
}

/** The highest peak seen per kind: each process's own peak, never a sum over processes. */
export class PeakByKind {
  private readonly byPid = new Map<number, ProcessSample>();

  add(sample: ProcessSample): void {
    const earlier = this.byPid.get(sample.pid);
    // A process seen between fork and exec shows its parent's argv and memory; exec starts both afresh.
    const sameProgram = earlier?.kind === sample.kind;
    this.byPid.set(sample.pid, { ...sample, hwmKb: Math.max(sample.hwmKb, sameProgram ? earlier.hwmKb : 0) });
  }

  peaks(): Map<string, number> {
    const peaks = new Map<string, number>();
    for (const { kind, hwmKb } of this.byPid.values()) peaks.set(kind, Math.max(hwmKb, peaks.get(kind) ?? 0));
    return peaks;
  }
}
