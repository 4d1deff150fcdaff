import { promises as fs } from 'node:fs';
import { TallyBuilder, type ExportTally } from './export-tally.js';

/**
 * Most read at once. A `surreal export` writes faster than it is looked at: the 56 MB file of 20,000 messages, read and
 * decoded whole at one look, took pattern-db's node from 187 MB to 313 MB.
 */
export const PIECE_BYTES = 1024 * 1024;

export interface ExportWatch {
  /** Stops looking. */
  stop(): void;
  /**
   * Stops looking, reads what is left of the file, now at `finalPath` (a writer may have renamed it), and returns the
   * tally of the whole file; null when it cannot vouch for it (another file by then, or not every byte read), so the
   * caller reads the file itself.
   */
  finish(finalPath: string): Promise<ExportTally | null>;
}

/**
 * Follows an export file another process is writing: reads what was appended since the last look, counts the records
 * in it and hashes it, so a `surreal export` (which reports nothing while it runs) still shows records and the current
 * table, and the file need not be read again once written.
 */
export function watchExportProgress(file: string, onTick: (records: number, table?: string) => void, intervalMs = 250): ExportWatch {
  const tally = new TallyBuilder();
  let handle: fs.FileHandle | undefined;
  let broken = false;
  let busy: Promise<void> = Promise.resolve();

  /** Reads the next piece of what was appended; false once there is none. */
  const readMore = async (): Promise<boolean> => {
    handle ??= await fs.open(file, 'r');
    const { size } = await handle.stat();
    if (size <= tally.bytes) return false;
    const length = Math.min(size - tally.bytes, PIECE_BYTES);
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, tally.bytes);
    tally.push(buffer.subarray(0, bytesRead));
    return bytesRead > 0;
  };
  const look = async () => {
    if (broken) return;
    try {
      let grew = false;
      while (await readMore()) grew = true;
      if (grew) onTick(tally.records, tally.table);
    } catch (error) {
      // Not written yet; anything else (a statement the scanner refuses) leaves the file to the caller's own read.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') broken = true;
    }
  };
  let looking = false;
  const timer = setInterval(() => {
    if (looking) return;
    looking = true;
    busy = look().finally(() => {
      looking = false;
    });
  }, intervalMs);

  return {
    stop: () => {
      clearInterval(timer);
      void busy.then(() => handle?.close()).catch(() => undefined);
    },
    async finish(finalPath) {
      clearInterval(timer);
      await busy;
      try {
        if (broken) return null;
        // Written and renamed before the first look: read it whole, once.
        handle ??= await fs.open(finalPath, 'r');
        const [opened, final] = await Promise.all([handle?.stat(), fs.stat(finalPath)]);
        // The handle must be the file now at finalPath: a leftover file it opened earlier is not.
        if (!opened || opened.ino !== final.ino || opened.dev !== final.dev) return null;
        while (await readMore());
        if (tally.bytes !== final.size) return null;
        return tally.end();
      } catch {
        return null;
      } finally {
        await handle?.close().catch(() => undefined);
      }
    },
  };
}
