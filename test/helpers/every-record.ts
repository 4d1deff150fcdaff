// Every record of a database, read by the test itself: the proof of a move that does not rest on pattern-db's verify.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { escapeIdent } from 'surrealdb';
import type { SurrealHttp } from '../../src/surreal/http.js';
import { servePrivately } from '../../src/surreal/private-server.js';
import { surrealBin, tempDir } from './surreal.js';

export type Rows = Record<string, Array<Record<string, unknown>>>;

/** Every record of every table, as JSON, read over /sql: ids, links and datetimes arrive as strings on both majors. */
export async function everyRecord(http: SurrealHttp, tables: string[]): Promise<Rows> {
  const rows: Rows = {};
  for (const table of tables) {
    const [records] = (await http.sql(`SELECT * FROM ${escapeIdent(table)} ORDER BY id;`)) as Array<Array<Record<string, unknown>>>;
    rows[table] = records ?? [];
  }
  return rows;
}

/** A store's own records, read from a copy by a private surreal of `major`: nothing of pattern-db's source reading is used. */
export async function storeRecords(storePath: string, tables: string[], major: 2 | 3): Promise<Rows> {
  const copy = path.join(await tempDir(), 'copy');
  await fs.cp(storePath, copy, { recursive: true });
  const served = await servePrivately({ bin: await surrealBin(major), folder: copy, auth: 'none' });
  try {
    return await everyRecord(served.client({ namespace: 'pattern', database: 'pattern' }), tables);
  } finally {
    await served.close();
    await fs.rm(path.dirname(copy), { recursive: true, force: true });
  }
}

/** What a record holds, in a form both majors print alike: JSON numbers that are whole stay whole either way. */
export function comparable(rows: Rows): Rows {
  return JSON.parse(JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'number' ? Number(value.toPrecision(12)) : value))) as Rows;
}
