// A store of 256 values of 1 MiB each, written by a private server, and the peak memory of a private server that then
// reads every one of them once: it tells a reader that keeps what it read from one that does not.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { servePrivately } from '../../src/surreal/private-server.js';
import { vmHwmKb } from '../../bench/process-peaks.js';
import { programsMentioning } from './processes.js';
import { tempDir } from './temp-folders.js';

const RECORDS = 256;
const VALUE_BYTES = 1 << 20;
/** What the store's values add up to. */
export const BIG_VALUES_MB = (RECORDS * VALUE_BYTES) / (1 << 20);

/**
 * A new store of the values, written with the `surreal` of `major` at `bin` as a writer (SurrealDB's own settings), in a
 * temporary folder removed when the test file ends; its path.
 */
export async function bigValuesStore(bin: string, major: 2 | 3): Promise<string> {
  const folder = path.join(await tempDir(), 'store.db');
  const writer = await servePrivately({ bin, folder, auth: 'none', keepValuesRead: true });
  const recordId = major === 2 ? 'type::thing' : 'type::record';
  try {
    const db = writer.client({ namespace: 'n', database: 'd' });
    await db.sql('DEFINE NAMESPACE n; USE NS n; DEFINE DATABASE d;');
    for (let i = 0; i < RECORDS; i += 8) {
      await db.sql(`FOR $i IN ${i}..${i + 8} { CREATE ${recordId}('big', $i) SET body = <string> $i + string::repeat('.', ${VALUE_BYTES}) };`);
    }
  } finally {
    await writer.close();
  }
  return folder;
}

/** The peak resident memory, in MB, of a private server on `folder` after it read every value once. */
export async function peakAfterReadingAll(bin: string, folder: string, keepValuesRead: boolean): Promise<number> {
  const server = await servePrivately({ bin, folder, auth: 'none', keepValuesRead });
  try {
    const db = server.client({ namespace: 'n', database: 'd' });
    // A few records a query, as pattern-db reads them: SurrealDB 2 holds a whole batch of a table scan at once.
    for (let i = 0; i < RECORDS; i += 8) {
      const ids = Array.from({ length: 8 }, (_, k) => `big:${i + k}`).join(', ');
      const lengths = (await db.sql(`SELECT VALUE string::len(body) FROM ${ids};`))[0] as number[];
      expect(lengths).toHaveLength(8);
    }
    let peakKb = 0;
    for (const pid of await programsMentioning(bin, folder)) {
      peakKb = Math.max(peakKb, vmHwmKb(await fs.readFile(`/proc/${pid}/status`, 'utf8')) ?? 0);
    }
    expect(peakKb).toBeGreaterThan(0);
    return peakKb / 1024;
  } finally {
    await server.close();
  }
}
