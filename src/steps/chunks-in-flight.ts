// Sends import chunks with a few in flight at once, and tells which leading run of them is done (the checkpoint).

/**
 * Chunks in flight at once, measured with bench/import-streams.ts on a 20,000-message store (2 cores shared with other
 * work, so contended): a 3.3.5 surrealkv server, the storage a server keeps data on, loaded the data 12–21% faster with
 * 2 in two runs; a memory server (3.3.5, 2.6.5) was no faster, and slower (13–21%) when the machine was busiest; 3
 * gained nothing over 2.
 */
export const CHUNKS_IN_FLIGHT = 2;

export interface WindowChunk {
  index: number;
  /** Whether the chunk may go beside others: it holds only records. Anything else goes alone, in file order. */
  recordsOnly: boolean;
  /** Records that go alone all the same: they are sent while the server builds indexes on its other core. */
  heldBack?: true;
}

export interface WindowOptions<C extends WindowChunk> {
  /** At most this many chunks in flight, and none beyond the first unfinished one plus `width - 1`. */
  width: number;
  /** Sends one chunk; a throw stops the window. */
  send(chunk: C): Promise<void>;
  /** Called once per chunk, in index order, when it and every chunk before it are done (the honest checkpoint). */
  prefixDone(chunk: C): Promise<void>;
}

/**
 * Sends `chunks` (ascending indexes, possibly starting after 0) through a window of `width`. A chunk that is not
 * records-only waits until everything before it is done and holds back everything after it, so a definition is in
 * place before the records that follow it. Only chunks below the first unfinished one plus `width` are ever sent, so
 * after an interruption at most `width` chunks past the checkpoint can have reached the server. The first failure
 * stops new sends; once what is in flight has settled, the failure of the lowest chunk is thrown.
 */
export async function sendThroughWindow<C extends WindowChunk>(chunks: AsyncIterable<C> | Iterable<C>, opts: WindowOptions<C>): Promise<void> {
  const width = Math.max(1, Math.floor(opts.width));
  const inFlight = new Map<number, Promise<void>>();
  const done = new Map<number, C>();
  const failures: Array<{ index: number; error: unknown }> = [];
  /** The first chunk not yet done: the checkpoint covers every chunk below it. */
  let next: number | undefined;
  let aloneInFlight = false;

  const alone = (chunk: C): boolean => !chunk.recordsOnly || chunk.heldBack === true;
  const settled = (chunk: C, error?: unknown): void => {
    inFlight.delete(chunk.index);
    if (alone(chunk)) aloneInFlight = false;
    if (error !== undefined) failures.push({ index: chunk.index, error });
    else done.set(chunk.index, chunk);
  };
  const checkpointDone = async (): Promise<void> => {
    for (let chunk = done.get(next!); chunk; chunk = done.get(next!)) {
      done.delete(chunk.index);
      next = chunk.index + 1;
      await opts.prefixDone(chunk);
    }
  };
  const settleOne = async (): Promise<void> => {
    await Promise.race(inFlight.values());
    await checkpointDone();
  };
  const mayStart = (chunk: C): boolean =>
    !aloneInFlight && inFlight.size < width && chunk.index < next! + width && (!alone(chunk) || inFlight.size === 0);

  try {
    for await (const chunk of chunks) {
      next ??= chunk.index;
      // Chunks in flight may all have ended while this one was being cut: their checkpoint opens the window.
      await checkpointDone();
      while (failures.length === 0 && !mayStart(chunk)) {
        if (inFlight.size === 0) throw new Error(`chunk ${chunk.index + 1} came out of order (expected ${next! + 1})`);
        await settleOne();
      }
      if (failures.length > 0) break;
      if (alone(chunk)) aloneInFlight = true;
      const sent = opts.send(chunk).then(
        () => settled(chunk),
        (error: unknown) => settled(chunk, error ?? new Error(`chunk ${chunk.index + 1} failed`)),
      );
      inFlight.set(chunk.index, sent);
    }
    while (inFlight.size > 0) await settleOne();
  } finally {
    // Nothing is left running behind a throw (a failed checkpoint, a chunk out of order).
    await Promise.allSettled(inFlight.values());
  }
  if (failures.length > 0) throw failures.reduce((a, b) => (b.index < a.index ? b : a)).error;
}
