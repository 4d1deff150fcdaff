// Lowering a process's priority. On Linux a niceness belongs to a thread: setpriority on a pid lowers only its main
// thread, and the threads that do the work (an engine's tokio and surrealdb threads, started before) keep theirs. So
// each thread /proc lists is lowered; threads started after inherit it from the one that starts them.
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The pid's threads by their ids; the pid alone where /proc does not list them (not Linux, or gone). */
function threadsOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number).filter(Number.isInteger);
  } catch {
    return [pid];
  }
}

/** Gives every thread of `pid` the niceness `niceness`; a thread gone meanwhile, or a system that refuses, is left as it is. */
export function lowerPriority(pid: number, niceness: number): void {
  for (const thread of threadsOf(pid)) {
    try {
      setPriority(thread, niceness);
    } catch {
      // Gone already, or refused: it runs at the usual priority.
    }
  }
}
