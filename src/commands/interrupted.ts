// What a command that holds things outside itself (a snapshot copy of the store, a private server, a read-only user
// on the server) undoes when it is interrupted: Ctrl-C or `kill` (SIGINT, SIGTERM), or its terminal closed (SIGHUP).
import { EXIT_CODES } from '../core/errors.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long the undoing may take before the process exits anyway (a private server's stop is bounded by its own). */
const UNDO_MS = 30_000;

/**
 * Runs `work`. A signal meanwhile runs `undo` once (a second signal changes nothing), then exits 130. The listeners
 * stay until `work` is done: with one removed (process.once), Ink's signal-exit, left the only listener, ends the
 * process at once with the signal, and nothing is undone.
 */
export async function undoneIfInterrupted<T>(work: () => Promise<T>, undo: () => Promise<unknown>): Promise<T> {
  let undoing = false;
  const onSignal = () => {
    if (undoing) return;
    undoing = true;
    const deadline = new Promise((resolve) => setTimeout(resolve, UNDO_MS).unref());
    void Promise.race([undo().catch(() => undefined), deadline]).finally(() => process.exit(EXIT_CODES.cancelled));
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  try {
    return await work();
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}
