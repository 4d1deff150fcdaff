// A private 2.x server reads a store without keeping what it read: SurrealDB 2 would otherwise cache every value it
// reads, up to half the machine's memory less 1 GiB.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { servePrivately } from '../../src/surreal/private-server.js';
import { BIG_VALUES_MB, bigValuesStore, peakAfterReadingAll } from '../helpers/big-values-store.js';
import { programsMentioning } from '../helpers/processes.js';
import { surrealBin } from '../helpers/surreal.js';

let bin: string;
let folder: string;

beforeAll(async () => {
  bin = await surrealBin(2);
  folder = await bigValuesStore(bin, 2);
}, 180_000);

it('a private 2.x server does not keep the values it read', async () => {
  // The same reads with SurrealDB's own cache size, as the generator's server has it: what a reader would hold.
  const uncapped = await peakAfterReadingAll(bin, folder, true);
  expect(uncapped).toBeGreaterThan(BIG_VALUES_MB);
  const capped = await peakAfterReadingAll(bin, folder, false);
  expect(capped).toBeLessThan(uncapped - BIG_VALUES_MB / 2);
}, 180_000);

it("a private 2.x server opens a store without keeping its small values in the store's index", async () => {
  const small = path.join(path.dirname(folder), 'small.db');
  const writer = await servePrivately({ bin, folder: small, auth: 'none', keepValuesRead: true });
  try {
    // Each record's value takes less than the 64 bytes SurrealDB 2 would keep in the index it holds in memory.
    await writer.client({ namespace: 'n', database: 'd' }).sql('DEFINE NAMESPACE n; USE NS n; DEFINE DATABASE d; USE DB d; CREATE |small:200000| SET v = 1 RETURN NONE;');
  } finally {
    await writer.close();
  }
  const residentOnceOpen = async (keepValuesRead: boolean): Promise<number> => {
    const server = await servePrivately({ bin, folder: small, auth: 'none', keepValuesRead });
    try {
      let kb = 0;
      for (const pid of await programsMentioning(bin, small)) kb += vmRssKb(await fs.readFile(`/proc/${pid}/status`, 'utf8'));
      return kb / 1024;
    } finally {
      await server.close();
    }
  };
  // Measured 147 MB and 128 MB: each of the 200,000 values costs its bytes and a buffer in the index.
  const keeping = await residentOnceOpen(true);
  const reader = await residentOnceOpen(false);
  expect(reader).toBeLessThan(keeping - 10);
}, 180_000);

function vmRssKb(status: string): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
}
