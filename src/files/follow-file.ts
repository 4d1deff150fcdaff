import type { promises as fs } from 'node:fs';
import { deferred } from '../core/deferred.js';

/** Most read at once: what the reader consumes next is at most this far behind the writer. */
const PIECE_BYTES = 1024 * 1024;
/** How long it waits for the writer before it looks again. */
const POLL_MS = 20;

/**
 * The bytes of a file another process may still be writing, read as they arrive. Once `written` resolves (the writer
 * is done), it reads what is left and ends; if it rejects, that error is thrown. Aborting `signal` throws its reason.
 */
export async function* followFile(handle: fs.FileHandle, written: Promise<unknown>, signal: AbortSignal): AsyncGenerator<Buffer> {
  let finished = false;
  let failure: { error: unknown } | undefined;
  const settled = written.then(
    () => {
      finished = true;
    },
    (error: unknown) => {
      failure = { error };
    },
  );
  const aborted = deferred();
  const stopWaiting = () => aborted.resolve();
  signal.addEventListener('abort', stopWaiting, { once: true });
  let at = 0;
  try {
    for (;;) {
      signal.throwIfAborted();
      if (failure) throw failure.error;
      // Looked at before the size: once the writer is done, one more look reaches the file's end.
      const wasFinished = finished;
      const { size } = await handle.stat();
      if (size > at) {
        const length = Math.min(size - at, PIECE_BYTES);
        const { buffer, bytesRead } = await handle.read(Buffer.allocUnsafe(length), 0, length, at);
        if (bytesRead === 0) {
          // The file shrank: a writer that failed may cut its file (surreal export, crashing). Its failure says why.
          await Promise.race([settled, aborted.promise]);
          signal.throwIfAborted();
          const failed = failure as { error: unknown } | undefined;
          if (failed) throw failed.error;
          throw new Error(`${size - at} bytes announced past byte ${at} could not be read.`);
        }
        at += bytesRead;
        yield buffer.subarray(0, bytesRead);
        continue;
      }
      if (wasFinished) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(resolve, POLL_MS))), aborted.promise]);
      clearTimeout(timer);
    }
  } finally {
    signal.removeEventListener('abort', stopWaiting);
  }
}
