// The source database a run reads: a snapshot of the embedded store, opened by whatever can read its format. A store
// written by SurrealDB 3.0 opens in @surrealdb/node's engine (in a child process); one written by SurrealDB 2.x is
// served by a private 2.x `surreal` on the snapshot, since no 3.x program may open a 2.x folder.
import { escapeIdent } from 'surrealdb';
import { PatternDbError } from '../core/errors.js';
import type { DatabaseInfo, RecordHash } from './embedded-protocol.js';
import { EMBEDDED_ENGINE, EmbeddedStore } from './embedded.js';
import type { SurrealHttp } from './http.js';
import { listDatabases, listNamespaces, listTables, readDatabaseInfo } from './server-catalog.js';
import { servePrivately, type PrivateServer } from './private-server.js';
import type { StoreFormat } from './store.js';

export interface SourceStore {
  /** What reads the snapshot, for messages: the embedded engine, or `surreal X.Y.Z (a private server on the snapshot)`. */
  readonly engine: string;
  /** Namespace → databases that hold tables. */
  databases(): Promise<Record<string, string[]>>;
  info(): Promise<DatabaseInfo>;
  count(table: string): Promise<number>;
  /** One page of (id, sha256 of the record's SurrealQL text), computed by the engine. */
  hashes(table: string, start: number, limit: number): Promise<RecordHash[]>;
  /** Every statement's result; a failing statement throws. */
  query(sql: string): Promise<unknown[]>;
  /** The snapshot's server, when the source is served over HTTP (values can then be read as CBOR). */
  readonly http?: SurrealHttp;
  close(): Promise<void>;
}

export interface SourceSelection {
  namespace: string;
  database: string;
}

/** The `surreal` that serves a store this run's in-process engine cannot read. */
export interface SnapshotReader {
  path: string;
  version: string;
  major: number;
}

class ServedStore implements SourceStore {
  readonly engine: string;
  readonly http: SurrealHttp;

  constructor(
    private readonly served: PrivateServer,
    private readonly selection: SourceSelection,
  ) {
    this.engine = `surreal ${served.version} (a private server on the snapshot)`;
    this.http = served.client(selection);
  }

  async databases(): Promise<Record<string, string[]>> {
    const root = this.served.client();
    const result: Record<string, string[]> = {};
    for (const namespace of await listNamespaces(root)) {
      for (const database of await listDatabases(root, namespace)) {
        if ((await listTables(root, namespace, database)).length) (result[namespace] ??= []).push(database);
      }
    }
    return result;
  }

  info(): Promise<DatabaseInfo> {
    return readDatabaseInfo(this.http);
  }

  async count(table: string): Promise<number> {
    const [rows] = (await this.http.sql(`SELECT count() FROM ${escapeIdent(table)} GROUP ALL;`)) as Array<Array<{ count?: number }>>;
    return Number(rows?.[0]?.count ?? 0);
  }

  async hashes(table: string, start: number, limit: number): Promise<RecordHash[]> {
    const sql = `SELECT VALUE [<string> id, crypto::sha256(<string> $this)] FROM ${escapeIdent(table)} START ${start} LIMIT ${limit};`;
    const [page] = (await this.http.sql(sql)) as RecordHash[][];
    return page ?? [];
  }

  query(sql: string): Promise<unknown[]> {
    return this.http.sql(sql);
  }

  close(): Promise<void> {
    return this.served.close();
  }
}

class EngineStore implements SourceStore {
  readonly engine = EMBEDDED_ENGINE;
  constructor(private readonly store: EmbeddedStore) {}
  databases = () => this.store.databases();
  info = () => this.store.info();
  count = (table: string) => this.store.count(table);
  hashes = (table: string, start: number, limit: number) => this.store.hashes(table, start, limit);
  query = (sql: string) => this.store.query(sql);
  async close(): Promise<void> {
    this.store.close();
  }
  /** The embedded engine itself, for the in-process export. */
  get embedded(): EmbeddedStore {
    return this.store;
  }
}

/** Which major of SurrealDB wrote a store of this format. */
export function storeMajor(format: StoreFormat): 2 | 3 | undefined {
  return format === 'surrealkv-2' ? 2 : format === 'surrealkv-3' ? 3 : undefined;
}

/**
 * Opens a snapshot copy (absolute path; never the live store). A 2.x store needs `reader`, a surreal 2.x; without one
 * the error says where to get it.
 */
export async function openSourceStore(
  snapshot: string,
  format: StoreFormat,
  selection: SourceSelection,
  reader?: SnapshotReader,
  signal?: AbortSignal,
): Promise<SourceStore> {
  if (format !== 'surrealkv-2') return new EngineStore(await EmbeddedStore.open(snapshot, selection));
  if (!reader || reader.major !== 2) {
    throw new PatternDbError('E_SURREAL_MISSING', 'This store was written by SurrealDB 2.x, and reading it needs a surreal 2.x; none was found.', {
      fix: 'Install a SurrealDB 2 surreal (SurrealDB\'s installer takes a version, e.g. 2.6.5) and set SURREAL2_BIN to it, or put it on PATH. In this repository, scripts/ensure-surreal 2 builds one.',
    });
  }
  return new ServedStore(await servePrivately({ bin: reader.path, folder: snapshot, ...(signal ? { signal } : {}) }), selection);
}

/** The embedded engine behind a source, when it has one (the in-process export needs it). */
export function embeddedEngineOf(source: SourceStore): EmbeddedStore | undefined {
  return source instanceof EngineStore ? source.embedded : undefined;
}
