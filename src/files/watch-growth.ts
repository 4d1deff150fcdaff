import { promises as fs } from 'node:fs';

/** Polls a file another process is writing; reports its size and the last "-- TABLE DATA: x" header seen. */
export function watchFileGrowth(file: string, onTick: (bytes: number, table?: string) => void, intervalMs = 250): () => void {
  let table: string | undefined;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const handle = await fs.open(file, 'r');
      try {
        const { size } = await handle.stat();
        const length = Math.min(size, 64 * 1024);
        const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
        const headers = [...buffer.toString('utf8').matchAll(/^-- TABLE DATA: (.+)$/gm)];
        table = headers.at(-1)?.[1]?.trim() ?? table;
        onTick(size, table);
      } finally {
        await handle.close();
      }
    } catch {
      // The file may not exist yet.
    } finally {
      busy = false;
    }
  }, intervalMs);
  return () => clearInterval(timer);
}
