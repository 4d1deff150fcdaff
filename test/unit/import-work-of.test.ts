import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { indexCost } from '../../src/core/import-work.js';
import { importWorkFrom, importWorkOf } from '../../src/steps/import-work.js';
import { tallyFile } from '../../src/files/export-tally.js';
import { repairExport } from '../../src/files/repair-export.js';
import { importRepairer } from '../../src/core/statement-repairs.js';
import { tempDir } from '../helpers/temp-folders.js';

const dir = await tempDir('pattern-db-work-');
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

/** A dump as `surreal export` writes it: each table's indexes next to its data, the last index at the very end. */
const dump = (fullText: 'SEARCH' | 'FULLTEXT') => [
  'OPTION IMPORT;',
  'DEFINE TABLE mem SCHEMALESS;',
  `DEFINE INDEX mem_value_search ON mem FIELDS value ${fullText} ANALYZER a BM25;`,
  "INSERT [ { id: mem:1, value: 'a' }, { id: mem:2, value: 'b' } ];",
  'DEFINE TABLE msg SCHEMALESS;',
  'DEFINE INDEX msg_vector_idx ON msg FIELDS embedding HNSW DIMENSION 2;',
  "INSERT [ { id: msg:1, content: 'x;' }, { id: msg:2 }, { id: msg:3 } ];",
].join('\n');

it('reads every index and each table’s records from the whole export before the import starts', async () => {
  const file = path.join(dir, 'v2.surql');
  await fs.writeFile(file, dump('SEARCH'));
  const work = await importWorkOf(file, 3);
  expect(work.records).toBe(5);
  expect(work.indexes.map((i) => [i.name, i.table, i.kind, i.tableRecords])).toEqual([
    ['mem_value_search', 'mem', 'full-text', 2],
    ['msg_vector_idx', 'msg', 'vector', 3],
  ]);
  expect(work.indexes[0]!.cost).toBe(indexCost('full-text', 2, 3)); // the target's major, when known
});

it('takes the major from the export’s full-text syntax when the run does not know the target’s', async () => {
  for (const [syntax, major] of [['SEARCH', 2], ['FULLTEXT', 3]] as const) {
    const file = path.join(dir, `${syntax}.surql`);
    await fs.writeFile(file, dump(syntax));
    expect((await importWorkOf(file)).indexes[0]!.cost).toBe(indexCost('full-text', 2, major));
  }
});

it('plans the same from what the export step read as it checked the file (its tally, or its repair) as from a read of it', async () => {
  for (const syntax of ['SEARCH', 'FULLTEXT'] as const) {
    const file = path.join(dir, `tally-${syntax}.surql`);
    await fs.writeFile(file, dump(syntax));
    const read = await importWorkOf(file);
    const tally = await tallyFile(file);
    expect(importWorkFrom(tally.recordsByTable, tally.indexes)).toEqual(read);
    expect(importWorkFrom(tally.recordsByTable, tally.indexes, 3)).toEqual(await importWorkOf(file, 3));
    const repaired = path.join(dir, `repaired-${syntax}.surql`);
    const written = await repairExport(createReadStream(file), repaired, importRepairer());
    expect(importWorkFrom(written.recordsByTable, written.indexes)).toEqual(await importWorkOf(repaired));
  }
});
