import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { tallyFile } from '../../src/files/export-tally.js';
import { watchExportProgress } from '../../src/files/watch-export.js';
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
