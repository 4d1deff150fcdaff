// Reads a file another process is still writing, from its start, as it grows, until the writer says how long it is.
import { promises as fs } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TailOptions {
  /** The file's final length once its writer is done with it; undefined while it writes. */
  finalSize(): number | undefined;
  signal: AbortSignal;
  /** How long to wait before looking again when nothing new was written. */
  pollMs?: number;
  /** The most bytes one read returns (and so held at once). */
  readBytes?: number;
}

/**
 * The file's bytes in order. It is opened on the first look that finds it, and followed through that handle: a writer
 * that renames it when done does not stop the read. Throws when the file ends short of its final size, or was never
 * there to open.
 */
export async function* tailFile(file: string, opts: TailOptions): AsyncGenerator<Buffer> {
  const pollMs = opts.pollMs ?? 50;
  const readBytes = opts.readBytes ?? 1024 * 1024;
  let handle: fs.FileHandle | undefined;
  let offset = 0;
  try {
    for (;;) {
      opts.signal.throwIfAborted();
      // Asked before the read: a size known by then covers every byte the read can see.
      const end = opts.finalSize();
      handle ??= await fs.open(file, 'r').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' && end === undefined) return undefined;
        throw error;
      });
      if (handle) {
        const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(readBytes), 0, readBytes, offset);
        if (bytesRead > 0) {
          offset += bytesRead;
          yield buffer.subarray(0, bytesRead);
          continue;
        }
      }
      if (end !== undefined) {
        if (offset === end) return;
        throw new Error(`${file} ended after ${offset} bytes; its writer wrote ${end}.`);
      }
      // Aborted, it throws the abort's reason, not the timer's own error.
      await sleep(pollMs, undefined, { signal: opts.signal }).catch(() => opts.signal.throwIfAborted());
    }
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
