// The in-process export (--driver sdk, and auto's fallback) reads each table in pages: whatever the kind of key at a
// page's edge, no record is left out or written twice. It writes only into the file made for it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { escapeIdent } from 'surrealdb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SurqlScanner } from '../../src/core/surql-scan.js';
import { EmbeddedStore } from '../../src/surreal/embedded.js';
import { EVERY_KIND } from '../helpers/every-kind.js';
import { client } from '../helpers/pattern-server.js';
import { startTestServer, type TestServer } from '../helpers/surreal.js';
import { tempDir } from '../helpers/temp-folders.js';

const TABLES = ['kinds', 'linked', 'note'];
let server: TestServer;
let dir: string;
const counts: Record<string, number> = {};

beforeAll(async () => {
  server = await startTestServer({ major: 3 });
  dir = await tempDir();
  const store = await EmbeddedStore.open(path.join(dir, 'store'), { namespace: 'pattern', database: 'pattern' });
  try {
    // run(), not query(): its answers carry the 64-bit integer EVERY_KIND writes, which query() cannot pass on.
    const ran = await store.run(`${EVERY_KIND}
      CREATE note:⟨a b⟩ SET v = 1; CREATE note:⟨1e5⟩ SET v = 2; CREATE note:⟨z⟩ SET v = 3;
      FOR $i IN 0..20 { CREATE note SET v = $i; };`, { namespace: 'pattern', database: 'pattern' });
    expect(ran.filter((statement) => !statement.ok)).toEqual([]);
    for (const table of TABLES) counts[table] = await store.count(table);
    for (const [file, batch] of [['paged.surql', 2], ['whole.surql', 1000]] as const) await store.export(path.join(dir, file), { batch });
  } finally {
    store.close();
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/** Each table's records as the target holds them once `file` is imported into a database of its own. */
async function importedRecords(file: string, database: string): Promise<Record<string, string[]>> {
  const http = client(server, 'pattern', database);
  await http.ensureDatabase();
  const { errors } = await http.importBody(await fs.readFile(path.join(dir, file), 'utf8'));
  expect(errors).toEqual([]);
  const records: Record<string, string[]> = {};
  for (const table of TABLES) {
    const [texts] = (await http.sql(`SELECT VALUE <string> $this FROM ${escapeIdent(table)};`)) as string[][];
    records[table] = texts ?? [];
  }
  return records;
}

it('exported two records a page, every table holds what one page of all its records holds', async () => {
  const paged = await importedRecords('paged.surql', 'paged');
  const whole = await importedRecords('whole.surql', 'whole');
  expect(counts).toEqual({ kinds: 7, linked: 1, note: 23 });
  expect(Object.fromEntries(TABLES.map((table) => [table, paged[table]!.length]))).toEqual(counts);
  expect(paged).toEqual(whole);
});

// The parent makes the file (0600) and the engine's process fills it by path: a file put in its place in between (by
// whoever may write in that folder) would take the records wherever it points, readable by others.
it.each([
  ['a link to another file', (file: string, elsewhere: string) => fs.symlink(elsewhere, file)],
  ['another file, readable by all', (file: string) => fs.writeFile(file, '', { mode: 0o644 })],
])('an export file replaced by %s before the engine writes it is refused, and nothing is written there', async (name, putInstead) => {
  const store = await EmbeddedStore.open(path.join(dir, 'store'), { namespace: 'pattern', database: 'pattern' });
  const tag = name.replace(/\W+/g, '-');
  const file = path.join(dir, `replaced-${tag}.surql`);
  const elsewhere = path.join(dir, `elsewhere-${tag}`);
  await fs.writeFile(elsewhere, '');
  try {
    const replace = async (made: string) => {
      await fs.rm(made);
      await putInstead(made, elsewhere);
    };
    await expect(store.export(file, { onCreated: replace })).rejects.toThrow(/no longer the file made for the export|ELOOP/);
    expect(await fs.readFile(elsewhere, 'utf8'), 'nothing written where the link points').toBe('');
    expect(await fs.readFile(file, 'utf8'), 'nothing written into the file put in its place').toBe('');
  } finally {
    store.close();
  }
}, 60_000);

// Every page larger than the file stream's buffer waits for it to drain. Each wait once left an 'error' listener on
// the stream: Node warned past ten (MaxListenersExceededWarning), and a 100,000-message export kept hundreds.
it('an export whose pages each wait for the file to drain leaves the engine process no warning', async () => {
  const warnings = path.join(dir, 'worker-warnings.txt');
  const options = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${options ?? ''} --redirect-warnings=${warnings}`.trim();
  const store = await EmbeddedStore.open(path.join(dir, 'big-store'), { namespace: 'pattern', database: 'pattern' }).finally(() => {
    if (options === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = options;
  });
  try {
    const ran = await store.run(`FOR $i IN 0..15 { CREATE big SET text = string::repeat('x', 40000); };`, { namespace: 'pattern', database: 'pattern' });
    expect(ran.filter((statement) => !statement.ok)).toEqual([]);
    const exported = await store.export(path.join(dir, 'big.surql'), { batch: 1 });
    expect(exported.records).toBe(15);
  } finally {
    store.close();
  }
  await expect(fs.readFile(warnings, 'utf8').catch(() => '')).resolves.toBe('');
}, 60_000);

// A server loads each statement in one transaction, and large ones slower: a page of 1,000 records is written as
// statements of at most INSERT_RECORDS (src/core/insert-groups.ts), which load back whole.
it('a page of 250 records is written as INSERT statements of at most 100 records, every one of which loads back', async () => {
  const store = await EmbeddedStore.open(path.join(dir, 'many-store'), { namespace: 'pattern', database: 'pattern' });
  const file = path.join(dir, 'many.surql');
  try {
    const ran = await store.run('FOR $i IN 0..250 { CREATE many SET v = $i; }; FOR $i IN 0..3 { RELATE many:1->likes->many:2 SET n = $i; };', { namespace: 'pattern', database: 'pattern' });
    expect(ran.filter((statement) => !statement.ok)).toEqual([]);
    await store.export(file, { batch: 1000 });
  } finally {
    store.close();
  }
  const scanner = new SurqlScanner();
  const inserts = [...scanner.push(await fs.readFile(file, 'utf8')), ...scanner.end()].filter((s) => s.kind === 'insert' || s.kind === 'insert-relation');
  expect(inserts.filter((s) => s.table === 'many').map((s) => s.records)).toEqual([100, 100, 50]);
  expect(inserts.filter((s) => s.table === 'likes').map((s) => s.records)).toEqual([3]);
  const http = client(server, 'pattern', 'many');
  await http.ensureDatabase();
  expect((await http.importBody(await fs.readFile(file, 'utf8'))).errors).toEqual([]);
  expect(await http.sql('RETURN count(SELECT VALUE id FROM many); RETURN count(SELECT VALUE id FROM likes);')).toEqual([250, 3]);
}, 60_000);
