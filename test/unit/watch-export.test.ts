import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it, vi } from 'vitest';
import { tallyFile } from '../../src/files/export-tally.js';
import { PIECE_BYTES, watchExportProgress } from '../../src/files/watch-export.js';
import { tempDir } from '../helpers/temp-folders.js';

const wait = () => new Promise((resolve) => setTimeout(resolve, 120));
const tempFile = async () => path.join(await tempDir('watch-export-'), 'dump.surql');

it('counts the records of an export file while another process appends to it, across torn statements', async () => {
  const file = await tempFile();
  const ticks: Array<[number, string | undefined]> = [];
  const watch = watchExportProgress(file, (records, table) => ticks.push([records, table]), 20);
  await fs.writeFile(file, 'OPTION IMPORT;\nINSERT [ { id: msg:a, t: "x;y" }, { id: msg:b');
  await wait();
  await fs.appendFile(file, ' } ];\nINSERT RELATION [ { id: agent_messages:e1, in: agent:p, out: msg:a } ];\n');
  await wait();
  watch.stop();
  expect(ticks.at(-1)).toEqual([3, 'agent_messages']);
  expect(ticks.some(([records]) => records === 0)).toBe(true);
});

it('tallies the whole file once it is written and renamed: the records per table, the indexes and the checksum of every byte', async () => {
  const file = await tempFile();
  const watch = watchExportProgress(file, () => undefined, 20);
  await fs.writeFile(file, 'OPTION IMPORT;\nINSERT [ { id: msg:a }, { id: msg:b } ];\n');
  await wait();
  // Written after the last look, then renamed, as `surreal export` into its .partial file and pattern-db after it.
  await fs.appendFile(file, 'INSERT [ { id: mem:m1 } ];\nDEFINE INDEX mem_value_search ON mem FIELDS value FULLTEXT ANALYZER a BM25;\n-- the end\n');
  await fs.rename(file, `${file}.done`);
  const tally = await watch.finish(`${file}.done`);
  const bytes = await fs.readFile(`${file}.done`);
  expect(tally).toEqual({
    recordsByTable: { msg: 2, mem: 1 },
    records: 3,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    indexes: { definitions: [{ name: 'mem_value_search', table: 'mem', kind: 'full-text' }], syntax: 3 },
  });
  expect(await tallyFile(`${file}.done`)).toEqual(tally);
});

it('does not vouch for a file it did not follow: another file in its place is left to be read again', async () => {
  const file = await tempFile();
  await fs.writeFile(file, 'INSERT [ { id: msg:old } ];\n');
  const watch = watchExportProgress(file, () => undefined, 20);
  await wait();
  // A leftover file was followed; the writer then replaced it with the real one.
  await fs.rm(file);
  await fs.writeFile(file, 'INSERT [ { id: msg:a }, { id: msg:b } ];\n');
  expect(await watch.finish(file)).toBeNull();
});

it('reads what a fast writer appended in pieces, never the whole file at once, and tallies it the same', async () => {
  const file = await tempFile();
  const statement = (i: number) => `INSERT [ ${Array.from({ length: 50 }, (_, j) => `{ id: msg:m${i}_${j}, text: "⟨${'x'.repeat(80)}⟩" }`).join(', ')} ];\n`;
  await fs.writeFile(file, Array.from({ length: 1_000 }, (_, i) => statement(i)).join(''));
  const { size } = await fs.stat(file);
  expect(size).toBeGreaterThan(4 * PIECE_BYTES);
  const probe = await fs.open(file, 'r');
  const read = vi.spyOn(Object.getPrototypeOf(probe) as { read: (...args: unknown[]) => unknown }, 'read');
  await probe.close();
  try {
    // Not looked at before the file is whole: one look finds all of it.
    const watch = watchExportProgress(file, () => undefined, 60_000);
    const tally = await watch.finish(file);
    const lengths = read.mock.calls.map(([buffer]) => (buffer as Buffer).length);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(PIECE_BYTES);
    expect(tally?.records).toBe(50_000);
    expect(tally).toEqual(await tallyFile(file));
  } finally {
    read.mockRestore();
  }
});
