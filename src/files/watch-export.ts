import { promises as fs } from 'node:fs';
import { SurqlScanner } from '../core/surql-scan.js';

/**
 * Follows an export file another process is writing: reads what was appended since the last look and counts the
 * records in it, so a `surreal export` (which reports nothing while it runs) still shows records and the current table.
 */
export function watchExportProgress(file: string, onTick: (records: number, table?: string) => void, intervalMs = 250): () => void {
  const scanner = new SurqlScanner();
  let offset = 0;
  let records = 0;
  let table: string | undefined;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const handle = await fs.open(file, 'r');
      try {
        const { size } = await handle.stat();
        if (size <= offset) return;
        const { buffer, bytesRead } = await handle.read(Buffer.alloc(size - offset), 0, size - offset, offset);
        offset += bytesRead;
        for (const statement of scanner.push(buffer.subarray(0, bytesRead))) {
          records += statement.records;
          table = statement.table ?? table;
        }
        onTick(records, table);
      } finally {
        await handle.close();
      }
    } catch {
      // Not written yet.
    } finally {
      busy = false;
    }
  }, intervalMs);
  return () => clearInterval(timer);
}
