// A private 3.x server reads a snapshot as a reader: it does not keep what it read (SurrealDB 3 would keep up to half
// the machine's memory of it), nor does the index work the store left queued (writing it into the folder it reads).
import { beforeAll, expect, it } from 'vitest';
import { servePrivately, type ServeOptions } from '../../src/surreal/private-server.js';
import { BIG_VALUES_MB, bigValuesStore, peakAfterReadingAll } from '../helpers/big-values-store.js';
import { patternFolder } from '../helpers/fixture-store.js';
import { surrealBin } from '../helpers/surreal.js';

let bin: string;
let folder: string;

beforeAll(async () => {
  bin = await surrealBin(3);
  folder = await bigValuesStore(bin, 3);
}, 180_000);

it('a private 3.x server does not keep the values it read', async () => {
  // The same reads with SurrealDB's own cache size, as a writer has it: what a reader would hold.
  const uncapped = await peakAfterReadingAll(bin, folder, true);
  expect(uncapped).toBeGreaterThan(BIG_VALUES_MB);
  const capped = await peakAfterReadingAll(bin, folder, false);
  expect(capped).toBeLessThan(uncapped - BIG_VALUES_MB / 2);
}, 180_000);

/** The entries a server wrote into the folder while it was open: its last sequence number at close less the one it opened at. */
async function entriesWrittenWhileOpen(options: Partial<ServeOptions>, openMs: number): Promise<number> {
  const store = await patternFolder(200, 1, undefined, 3);
  // Opened: its log's last entry, or the table files' when the log is empty. Closed: everything flushed.
  const server = await servePrivately({ bin, folder: store.storePath, stopGraceMs: 60_000, ...options });
  await new Promise((resolve) => setTimeout(resolve, openMs));
  const opened = Math.max(...server.openingLines.flatMap((line) => [...line.matchAll(/(?:max_seq_num=Some\(|last_sequence=)(\d+)/g)].map((m) => Number(m[1]))));
  expect(opened, 'the sequence number it opened at').toBeGreaterThan(0);
  const { forced, lines } = await server.stop();
  expect(forced, 'the server closed the store by itself').toBe(false);
  const closed = lines.map((line) => /shutdown complete ===.*last_sequence=(\d+)/.exec(line)?.[1]).find(Boolean);
  expect(closed, lines.slice(-10).join('\n')).toBeDefined();
  return Number(closed) - opened;
}

it("a private 3.x server leaves the store's queued index work undone, writing next to nothing into the snapshot it reads", async () => {
  // The 3.0 engine that wrote the fixture left msg's full-text index work queued: a server doing it writes thousands of entries.
  const working = await entriesWrittenWhileOpen({ env: { SURREAL_INDEX_COMPACTION_INTERVAL: '1s' } }, 3_000);
  expect(working).toBeGreaterThan(5_000);
  // Open longer than the 5 s SurrealDB waits by default before it does that work.
  const reader = await entriesWrittenWhileOpen({}, 7_000);
  expect(reader).toBeLessThan(100);
}, 180_000);
