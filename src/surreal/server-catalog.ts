// What a server holds, read at root level: namespaces, databases, tables, record counts and root users.
// Names are quoted with core/surql-ident's backticks, not the SDK's escapeIdent: its ⟨…⟩ leaves \ unescaped (⟨a\b⟩
// names "a", backspace) and escapes ⟩ as \⟩, which 3.x refuses; the backtick form reads the same on 2.x and 3.x.
import { PatternDbError } from '../core/errors.js';
import { ident } from '../core/surql-ident.js';
import { countInRows, tableCountSql } from '../core/table-count.js';
import type { DatabaseInfo } from './embedded-protocol.js';
import { SurrealHttp, type SurrealHttpOptions } from './http.js';

/** A client without namespace/database headers: every statement names its scope with USE. */
export function rootClient(options: Pick<SurrealHttpOptions, 'url' | 'username' | 'password'>): SurrealHttp {
  return new SurrealHttp({ url: options.url, ...(options.username !== undefined ? { username: options.username } : {}), ...(options.password !== undefined ? { password: options.password } : {}) });
}

type Info = Record<string, Record<string, string> | undefined>;

async function info(root: SurrealHttp, sql: string): Promise<Info> {
  const results = await root.sql(sql);
  return (results.at(-1) ?? {}) as Info;
}

export async function listNamespaces(root: SurrealHttp): Promise<string[]> {
  return Object.keys((await info(root, 'INFO FOR ROOT;')).namespaces ?? {}).sort();
}

export async function listRootUsers(root: SurrealHttp): Promise<Record<string, string>> {
  return (await info(root, 'INFO FOR ROOT;')).users ?? {};
}

export async function listDatabases(root: SurrealHttp, namespace: string): Promise<string[]> {
  return Object.keys((await info(root, `USE NS ${ident(namespace)}; INFO FOR NS;`)).databases ?? {}).sort();
}

/** Whether namespace/database is defined. (INFO FOR DB cannot tell: on a missing one 3.0.5 answers with a storage error, 3.3.5 with an empty INFO.) */
export async function databaseExists(root: SurrealHttp, namespace: string, database: string): Promise<boolean> {
  if (!(await listNamespaces(root)).includes(namespace)) return false;
  return (await listDatabases(root, namespace)).includes(database);
}

export async function listTables(root: SurrealHttp, namespace: string, database: string): Promise<string[]> {
  return Object.keys((await info(root, `USE NS ${ident(namespace)} DB ${ident(database)}; INFO FOR DB;`)).tables ?? {}).sort();
}

/**
 * Everything namespace/database holds by INFO FOR DB (tables, analyzers, functions, params, accesses, users,
 * sequences, …), as "kind name" strings; none for a database that is not defined.
 */
export async function databaseDefinitions(root: SurrealHttp, namespace: string, database: string): Promise<string[]> {
  if (!(await databaseExists(root, namespace, database))) return [];
  const found = await info(root, `USE NS ${ident(namespace)} DB ${ident(database)}; INFO FOR DB;`);
  return Object.entries(found).flatMap(([kind, entries]) => Object.keys(entries ?? {}).map((name) => `${kind} ${name}`));
}

/** Records per table, counted by the server in one request. */
export async function countRecords(root: SurrealHttp, namespace: string, database: string, tables: string[]): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  const sql = [`USE NS ${ident(namespace)} DB ${ident(database)};`, ...tables.map((t) => `${tableCountSql(t)};`)].join('\n');
  const results = await root.sql(sql);
  const counts: Record<string, number> = {};
  tables.forEach((table, i) => {
    counts[table] = countInRows(results[i + 1]);
  });
  return counts;
}

/** The tables and their record counts of an existing database; E_NAMESPACE_MISSING when it is not defined. */
export async function databaseCounts(root: SurrealHttp, namespace: string, database: string): Promise<Record<string, number>> {
  if (!(await databaseExists(root, namespace, database))) {
    throw new PatternDbError('E_NAMESPACE_MISSING', `The server has no database ${namespace}/${database}.`, {
      fix: 'Check --namespace and --database (Pattern uses [database] namespace/database from its config); `pattern-db tenant list` shows what the server holds.',
    });
  }
  return countRecords(root, namespace, database, await listTables(root, namespace, database));
}

/** Tables whose definitions one request asks for (a /sql body may hold 1 MiB). */
const TABLES_PER_REQUEST = 200;

/** INFO FOR DB and INFO FOR TABLE of every table, through a client scoped to the database. */
export async function readDatabaseInfo(http: SurrealHttp): Promise<DatabaseInfo> {
  const [db = {}] = (await http.sql('INFO FOR DB;')) as Array<Record<string, Record<string, string>>>;
  const tables = Object.keys(db.tables ?? {}).sort();
  const tableDefinitions: DatabaseInfo['tableDefinitions'] = {};
  for (let at = 0; at < tables.length; at += TABLES_PER_REQUEST) {
    const some = tables.slice(at, at + TABLES_PER_REQUEST);
    const definitions = (await http.sql(some.map((table) => `INFO FOR TABLE ${ident(table)};`).join('\n'))) as Array<Record<string, Record<string, string>>>;
    some.forEach((table, i) => (tableDefinitions[table] = definitions[i] ?? {}));
  }
  return { tables, definitions: db, tableDefinitions };
}
