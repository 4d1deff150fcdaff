// What an interrupted bench (Ctrl-C, SIGTERM) ends before it exits 130 or 143: first the commands it is running (a
// `pattern-db migrate` that the signal did not reach would go on, and fail against the servers stopped next), then the
// servers it started (managed servers are detached, and outlive it), then its round folders (at 100,000 messages a
// gigabyte and more of copies and exports each).
type Cleanup = () => Promise<void>;

const phases = { command: new Set<Cleanup>(), server: new Set<Cleanup>(), folder: new Set<Cleanup>() };
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  let stopping = false;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    // Signals after the first are ignored: a second Ctrl-C, or `timeout` passing on a SIGTERM the bench had already
    // been sent, would otherwise end it at once and leave its servers running.
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void (async () => {
        for (const cleanups of [phases.command, phases.server, phases.folder]) await Promise.allSettled([...cleanups].map((cleanup) => cleanup()));
        process.exit(code);
      })();
    });
  }
}

/** Runs `cleanup` if the bench is interrupted before the returned function is called. */
export function onInterrupt(phase: keyof typeof phases, cleanup: Cleanup): () => void {
  install();
  phases[phase].add(cleanup);
  return () => phases[phase].delete(cleanup);
}
