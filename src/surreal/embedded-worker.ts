// Child process: owns the embedded engine for one store. Run by embedded.ts; exits when its parent says so or dies.
import { once } from 'node:events';
import { Surreal } from 'surrealdb';
import { ident } from '../core/surql-ident.js';
import { countInRows, tableCountSql } from '../core/table-count.js';
import { createNodeEngines } from '@surrealdb/node';
import type { DatabaseInfo, EmbeddedReply, EmbeddedRequest, RunStatement } from './embedded-protocol.js';
import { hashPageSql, valuePageSqlFor } from './embedded-protocol.js';
import { pageFrom, type PageStart } from '../core/record-range.js';
import { rangeDigestOf, rangeDigestSql } from './range-digest.js';
import { recordDigestOfBytes } from '../core/record-digest.js';
import { toInspectValue } from './inspect-values.js';
import { madeFileWriteStream, type FileIdentity } from '../files/private-files.js';
import { insertGroups } from '../core/insert-groups.js';
import { errorText } from '../core/error-text.js';

const db = new Surreal({ engines: createNodeEngines() });
let selected = { namespace: '', database: '' };

function send(reply: EmbeddedReply): void {
  process.send?.(reply);
}

async function query<T = unknown>(sql: string, vars?: Record<string, unknown>): Promise<T[]> {
  return (await db.query(sql, vars).collect()) as T[];
}

async function info(): Promise<DatabaseInfo> {
  const [dbInfo] = await query<Record<string, Record<string, string>>>('INFO FOR DB');
  const definitions = dbInfo ?? {};
  const tables = Object.keys(definitions.tables ?? {}).sort();
  const tableDefinitions: DatabaseInfo['tableDefinitions'] = {};
  for (const table of tables) {
    const [tableInfo] = await query<Record<string, Record<string, string>>>(`INFO FOR TABLE ${ident(table)}`);
    tableDefinitions[table] = tableInfo ?? {};
  }
  return { tables, definitions, tableDefinitions };
}

async function count(table: string): Promise<number> {
  const [rows] = await query(tableCountSql(table));
  return countInRows(rows);
}

const PAGES_IN_FLIGHT = 2;

/**
 * Pages of a table's records, each one `<string> $this` (the engine's own SurrealQL text) and whether it is an edge;
 * asked for PAGES_IN_FLIGHT at a time, handed back in order: the engine renders two pages at once, on two cores. The
 * whole export took 1.53 s against 2.25 s one page at a time at 20,000 messages, 11.5-18.6 s against 21.6-27.0 s at
 * 100,000, its process peaking 20-30 MB higher (375-400 MB against 340-372, before embedded.ts kept it small); a
 * third page in flight gained nothing more (reading 20,000 messages' pages: 1.22 s, 1.27 s with two). Pages of 500
 * kept the peak (334-345 MB) but won back little time (24-25 s): START walks the records before its page again.
 * Pages after a key (`msg:⟨k⟩>.. LIMIT 1000`, one at a time, the next asked for as each came) were slower still in
 * this engine: 5.9 s against 1.5 s for 20,000 messages' pages. A table's last turn asks for one page past its end,
 * which comes back empty.
 */
async function* tablePages(table: string, batch: number): AsyncGenerator<Array<[string, boolean]>> {
  const ask = (start: number) => {
    const page = query<Array<[string, boolean]>>(
      'SELECT VALUE [<string> $this, type::is_record(in) AND type::is_record(out)] FROM type::table($table) START $start LIMIT $limit',
      { table, start, limit: batch },
    ).then(([rows = []]) => rows);
    page.catch(() => undefined);
    return page;
  };
  const inFlight: Array<Promise<Array<[string, boolean]>>> = [];
  for (let next = 0; ; ) {
    while (inFlight.length < PAGES_IN_FLIGHT) {
      inFlight.push(ask(next));
      next += batch;
    }
    const page = await inFlight.shift()!;
    if (page.length) yield page;
    if (page.length < batch) return;
  }
}

/**
 * The in-process export into `file` (created empty and private by the parent): the engine's own definitions, then
 * each table's records in pages, so the file reads like `surreal export` output and never sits whole in memory.
 */
async function exportTo(id: number, file: string, made: FileIdentity, batch: number): Promise<{ bytes: number; records: number }> {
  const definitions = await db.export({ records: false });
  const { tables } = await info();
  const out = madeFileWriteStream(file, made);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  let bytes = 0;
  let records = 0;
  const emit = async (text: string) => {
    bytes += Buffer.byteLength(text);
    // events.once removes its own 'error' listener when 'drain' comes; one left per wait added up to hundreds.
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  };
  await emit(definitions.endsWith('\n') ? definitions : definitions + '\n');
  for (const table of tables) {
    await emit(`\n-- ------------------------------\n-- TABLE DATA: ${table}\n-- ------------------------------\n\n`);
    for await (const page of tablePages(table, batch)) {
      const normal = page.filter(([, edge]) => !edge).map(([text]) => text);
      const edges = page.filter(([, edge]) => edge).map(([text]) => text);
      for (const group of insertGroups(normal)) await emit(`INSERT [ ${group.join(', ')} ];\n`);
      for (const group of insertGroups(edges)) await emit(`INSERT RELATION [ ${group.join(', ')} ];\n`);
      records += page.length;
      send({ id, kind: 'progress', progress: { table, records, bytes } });
    }
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { bytes, records };
}

/** Namespace/database pairs that hold tables. Only existing names are USEd: SurrealDB 3 creates what USE names. */
async function databases(): Promise<Record<string, string[]>> {
  const [root] = await query<{ namespaces?: Record<string, string> }>('INFO FOR ROOT');
  const result: Record<string, string[]> = {};
  try {
    for (const namespace of Object.keys(root?.namespaces ?? {})) {
      await db.use({ namespace });
      const [nsInfo] = await query<{ databases?: Record<string, string> }>('INFO FOR NS');
      for (const database of Object.keys(nsInfo?.databases ?? {}).sort()) {
        await db.use({ namespace, database });
        const [dbInfo] = await query<{ tables?: Record<string, string> }>('INFO FOR DB');
        if (Object.keys(dbInfo?.tables ?? {}).length) (result[namespace] ??= []).push(database);
      }
    }
  } finally {
    if (selected.namespace) await db.use(selected);
  }
  return result;
}

/** 'run' requests take turns: each USEs its own namespace/database, and an interleaved USE would misdirect another. */
let runs: Promise<unknown> = Promise.resolve();

async function runStatements(request: Extract<EmbeddedRequest, { op: 'run' }>): Promise<RunStatement[]> {
  if (request.namespace) await db.use({ namespace: request.namespace, database: request.database ?? null });
  try {
    const responses = await db.query(request.sql, request.vars).responses();
    return responses.map((response) => {
      const time = response.stats?.duration?.toString();
      return response.success
        ? { ok: true, result: toInspectValue(response.result), ...(time ? { time } : {}) }
        : { ok: false, error: response.error.message, ...(time ? { time } : {}) };
    });
  } finally {
    if (selected.namespace) await db.use(selected);
  }
}

const pageOf = (request: { table: string; start: PageStart; limit: number }) => pageFrom(request.table, request.start, request.limit);

async function handle(id: number, request: EmbeddedRequest): Promise<unknown> {
  switch (request.op) {
    case 'open':
      await db.connect(`surrealkv://${request.path}`);
      if (request.namespace && request.database) {
        selected = { namespace: request.namespace, database: request.database };
        await db.use(selected);
      }
      return null;
    case 'databases':
      return databases();
    case 'info':
      return info();
    case 'count':
      return count(request.table);
    case 'hashes': {
      const [page] = await query(hashPageSql(pageOf(request)));
      return page;
    }
    case 'rangeDigest': {
      const [, answer] = await query(rangeDigestSql(pageOf(request)));
      return rangeDigestOf(answer);
    }
    case 'valueDigests': {
      const [page = []] = await query<ArrayBuffer[]>(valuePageSqlFor(pageOf(request), request.omit));
      return page.map((bytes) => recordDigestOfBytes(new Uint8Array(bytes)));
    }
    case 'query':
      return query(request.sql);
    case 'export':
      return exportTo(id, request.file, request.made, request.batch);
    case 'run': {
      const turn = runs.then(() => runStatements(request));
      runs = turn.catch(() => undefined);
      return turn;
    }
  }
}

/**
 * Requests the engine has not answered yet. While there are any, the parent's channel does not keep this process
 * alive: the engine's own pending work does. @surrealdb/node 3.0's engine can drop a request without settling it (the
 * open of a store whose table file a crash cut short or overwrote): the event loop then runs out of work, and each of
 * them is reported as dropped instead of waited on for ever.
 */
const unanswered = new Map<number, EmbeddedRequest['op']>();

function answered(id: number): void {
  unanswered.delete(id);
  if (!unanswered.size) process.channel?.ref();
}

process.on('beforeExit', () => {
  if (!unanswered.size) return;
  process.channel?.ref();
  for (const [id, op] of unanswered) send({ id, kind: 'dropped', op });
  unanswered.clear();
});

process.on('message', (message: { id: number; request: EmbeddedRequest }) => {
  unanswered.set(message.id, message.request.op);
  process.channel?.unref();
  handle(message.id, message.request).then(
    (result) => {
      answered(message.id);
      send({ id: message.id, kind: 'result', result });
    },
    (error: unknown) => {
      answered(message.id);
      send({ id: message.id, kind: 'error', message: errorText(error) });
    },
  );
});
// The engine can keep the event loop alive after close(): leave as soon as the parent goes.
process.on('disconnect', () => process.exit(0));
