// The source database a run reads: a snapshot of the embedded store, opened by whatever can read its format. A store
// written by SurrealDB 3.0 opens in @surrealdb/node's engine (in a child process); one written by SurrealDB 2.x is
// served by a private 2.x `surreal` on the snapshot (no 3.x program may open a 2.x folder), and one written by 3.1 or
// later by a private surreal 3.1+.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { countInRows, tableCountSql } from '../core/table-count.js';
import { PatternDbError } from '../core/errors.js';
import type { ValueDigest } from '../core/record-digest.js';
import { howToGetSurreal, locateStoreReader, readerNeeded, surrealReads } from './store-reader.js';
import type { DatabaseInfo, RecordHash } from './embedded-protocol.js';
import { serverRangeDigest, serverRecordHashes, type RangeDigest } from './range-digest.js';
import { EMBEDDED_ENGINE, EMBEDDED_ENGINE_MAJOR, EmbeddedStore, startEngineAhead } from './embedded.js';
import type { SurrealHttp } from './http.js';
import { openExportStream } from './http-export.js';
import { listDatabases, listNamespaces, listTables, readDatabaseInfo } from './server-catalog.js';
import { servePrivately, type PrivateServer } from './private-server.js';
import { openNoticingDamage, type StoreDamage } from './store-log-damage.js';
import { unreadableDamage } from './store-table-damage.js';
import { readEncodedRange, readValueDigestsFrom } from './value-digests.js';
import { pageFrom, type PageBy, type PageStart } from '../core/record-range.js';
import type { StoreFormat } from '../core/store-format.js';

export interface SourceStore {
  /** What reads the snapshot, for messages: the embedded engine, or `surreal X.Y.Z (a private server on the snapshot)`. */
  readonly engine: string;
  /** Namespace → databases that hold tables. */
  databases(): Promise<Record<string, string[]>>;
  info(): Promise<DatabaseInfo>;
  count(table: string): Promise<number>;
  /** The SurrealDB major that reads the snapshot (its text renderings of values are that major's). */
  readonly major: number;
  /**
   * One page (the first `limit` records from `start`: core/record-range.ts) of (id, sha256 of the record's SurrealQL
   * text), computed by the engine.
   */
  hashes(table: string, start: PageStart, limit: number): Promise<RecordHash[]>;
  /** The same page as `hashes` reduced by the engine to its count, last id and one digest (verification by ranges). */
  rangeDigest(table: string, start: PageStart, limit: number): Promise<RangeDigest>;
  /** One page of (id, digest of the record's canonical value), the same across majors; `omit` names fields left out. */
  valueDigests(table: string, start: PageStart, limit: number, omit?: readonly string[]): Promise<ValueDigest[]>;
  /**
   * The same page as `valueDigests` reduced to its count, last id and one sha256 of the CBOR its server sends for it:
   * a served store only, whose answer a target server can send byte for byte alike (value-digests.ts).
   */
  encodedRange?(table: string, start: PageStart, limit: number, omit?: readonly string[]): Promise<RangeDigest>;
  /** Every statement's result; a failing statement throws. */
  query(sql: string): Promise<unknown[]>;
  /** The database's dump, as a backup holds it, into a new file (mode 0600). */
  exportTo(file: string, options?: ExportToOptions): Promise<void>;
  /** The snapshot's server, when the source is served over HTTP (values can then be read as CBOR). */
  readonly http?: SurrealHttp;
  /** A store whose log SurrealDB read only up to damage it found there, when this reader opened the copy first. */
  readonly damage?: StoreDamage;
  close(): Promise<void>;
  /** Closes it for good, the snapshot being removed next (nothing opens it again): a served store's server is killed. */
  discard(): Promise<void>;
}

export interface ExportToOptions {
  signal?: AbortSignal;
  onBytes?: (bytes: number) => void;
  /** Served 2.x stores only: the dump written for SurrealDB 3, as `surreal export --v3` writes it. */
  v3?: boolean;
  /** Served stores only: each line the server prints while it exports (its `--v3` warnings among them). */
  onLine?: (line: string) => void;
  /** Served stores only: writes the body into the new file (default: as it is, mode 0600). */
  write?: (body: Readable, file: string) => Promise<void>;
}

/**
 * How a served export's body is written when no `write` is given: as the server sends it. `onCreated`: called once the
 * file exists, before anything is written to it.
 */
export async function writeAsItIs(body: Readable, file: string, onCreated?: () => Promise<void>): Promise<void> {
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  if (onCreated) {
    try {
      await once(out, 'open');
      await onCreated();
    } catch (error) {
      out.destroy();
      body.destroy();
      throw error;
    }
  }
  await pipeline(body, out);
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

/** A server's records read the way verify reads a source: pages in the table's key order, found `by` key or count. */
export function servedPages(http: SurrealHttp, by: PageBy = 'key'): Required<Pick<SourceStore, 'hashes' | 'rangeDigest' | 'valueDigests' | 'encodedRange'>> {
  const page = (table: string, start: PageStart, limit: number) => pageFrom(table, start, limit, by);
  return {
    hashes: (table, start, limit) => serverRecordHashes(http, page(table, start, limit)),
    rangeDigest: (table, start, limit) => serverRangeDigest(http, page(table, start, limit)),
    valueDigests: (table, start, limit, omit = []) => readValueDigestsFrom(http, table, page(table, start, limit), { omit }),
    encodedRange: (table, start, limit, omit = []) => readEncodedRange(http, table, page(table, start, limit), { omit }),
  };
}

/** How long a served export listens for more log lines once its body has ended, and after each further line. */
const LOG_QUIET_MS = 200;

async function quietFor(ms: number, lastAt: () => number): Promise<void> {
  const ended = Date.now();
  for (let wait = ms; wait > 0; wait = Math.max(lastAt(), ended) + ms - Date.now()) await new Promise((resolve) => setTimeout(resolve, wait));
}

class ServedStore implements SourceStore {
  readonly engine: string;
  readonly http: SurrealHttp;
  readonly major: number;
  private readonly pages: ReturnType<typeof servedPages>;

  constructor(
    private readonly served: PrivateServer,
    private readonly selection: SourceSelection,
    readonly damage?: StoreDamage,
  ) {
    this.engine = `surreal ${served.version} (a private server on the snapshot)`;
    this.http = served.client(selection);
    this.major = Number.parseInt(served.version, 10);
    this.pages = servedPages(this.http, this.major >= 3 ? 'count' : 'key');
  }

  /**
   * A failure that the server's own end caused is said as such (killed by the system, most likely for memory), and one
   * on a damaged file of the store as that.
   */
  private read<T>(work: () => Promise<T>): Promise<T> {
    return this.served.explaining(work).catch((error: unknown) => {
      throw unreadableDamage(error) ?? error;
    });
  }

  databases(): Promise<Record<string, string[]>> {
    return this.read(async () => {
      const root = this.served.client();
      const result: Record<string, string[]> = {};
      for (const namespace of await listNamespaces(root)) {
        for (const database of await listDatabases(root, namespace)) {
          if ((await listTables(root, namespace, database)).length) (result[namespace] ??= []).push(database);
        }
      }
      return result;
    });
  }

  info(): Promise<DatabaseInfo> {
    return this.read(() => readDatabaseInfo(this.http));
  }

  count(table: string): Promise<number> {
    return this.read(async () => {
      const [rows] = await this.http.sql(`${tableCountSql(table)};`);
      return countInRows(rows);
    });
  }

  hashes = (table: string, start: PageStart, limit: number) => this.read(() => this.pages.hashes(table, start, limit));
  rangeDigest = (table: string, start: PageStart, limit: number) => this.read(() => this.pages.rangeDigest(table, start, limit));
  valueDigests = (table: string, start: PageStart, limit: number, omit: readonly string[] = []) => this.read(() => this.pages.valueDigests(table, start, limit, omit));
  encodedRange = (table: string, start: PageStart, limit: number, omit: readonly string[] = []) => this.read(() => this.pages.encodedRange(table, start, limit, omit));

  query(sql: string): Promise<unknown[]> {
    return this.read(() => this.http.sql(sql));
  }

  exportTo(file: string, options: ExportToOptions = {}): Promise<void> {
    return this.read(() => this.exportBody(file, options));
  }

  private async exportBody(file: string, options: ExportToOptions): Promise<void> {
    const { url, username, password } = this.served;
    const onLine = options.onLine;
    let lastLine = 0;
    const stopListening = onLine ? this.served.onLine((line) => ((lastLine = Date.now()), onLine(line))) : undefined;
    try {
      const body = await openExportStream({ url, username, password, ...this.selection, ...(options.v3 ? { v3: true } : {}), ...(options.signal ? { signal: options.signal } : {}) });
      const { onBytes } = options;
      let bytes = 0;
      if (onBytes) body.on('data', (chunk: Buffer) => onBytes((bytes += chunk.length)));
      await (options.write ?? writeAsItIs)(body, file);
      // The server writes its log from a thread of its own: a warning about the last statements can follow the body.
      if (stopListening) await quietFor(LOG_QUIET_MS, () => lastLine);
    } finally {
      stopListening?.();
    }
  }

  close(): Promise<void> {
    return this.served.close();
  }

  discard(): Promise<void> {
    return this.served.discard();
  }
}

class EngineStore implements SourceStore {
  readonly engine = EMBEDDED_ENGINE;
  readonly major = EMBEDDED_ENGINE_MAJOR;
  constructor(
    private readonly store: EmbeddedStore,
    readonly damage?: StoreDamage,
  ) {}
  databases = () => this.store.databases();
  info = () => this.store.info();
  count = (table: string) => this.store.count(table);
  hashes = (table: string, start: PageStart, limit: number) => this.store.hashes(table, start, limit);
  rangeDigest = (table: string, start: PageStart, limit: number) => this.store.rangeDigest(table, start, limit);
  valueDigests = (table: string, start: PageStart, limit: number, omit: readonly string[] = []) => this.store.valueDigests(table, start, limit, omit);
  query = (sql: string) => this.store.query(sql);
  async exportTo(file: string, options: ExportToOptions = {}): Promise<void> {
    await this.store.export(file, { ...(options.signal ? { signal: options.signal } : {}), onProgress: (p) => options.onBytes?.(p.bytes) });
  }
  async close(): Promise<void> {
    this.store.close();
  }
  discard = () => this.close();
  /** The embedded engine itself, for the in-process export. */
  get embedded(): EmbeddedStore {
    return this.store;
  }
}

/** Which major of SurrealDB wrote a store of this format. */
export function storeMajor(format: StoreFormat): 2 | 3 | undefined {
  return format === 'surrealkv-2' ? 2 : format === 'surrealkv-3.0' || format === 'surrealkv-3.1+' ? 3 : undefined;
}

/** The surreal that serves a store of this format (a 2.x store, a 3.1+ store), found the usual way; else why not. */
export async function storeReaderFor(format: StoreFormat, env: NodeJS.ProcessEnv = process.env): Promise<SnapshotReader> {
  const found = await locateStoreReader(format, env);
  if (found) return found;
  const two = format === 'surrealkv-2';
  throw new PatternDbError(two ? 'E_SURREAL_MISSING' : 'E_STORE_FORMAT', `This store was written by SurrealDB ${two ? '2.x' : '3.1 or later'}, and reading it needs ${readerNeeded(format)}; none was found.`, {
    fix: howToGetSurreal(format),
  });
}

/**
 * Starts what will read a snapshot of this format ahead of its open, when that is the embedded engine's process (a
 * private server starts on the snapshot itself); returns what ends it if no open took it.
 */
export function startReaderAhead(format: StoreFormat): (() => void) | undefined {
  return format === 'surrealkv-3.0' ? startEngineAhead() : undefined;
}

/**
 * Opens a snapshot copy (absolute path; never the live store). A store the embedded engine cannot read (2.x, 3.1+)
 * is served by `reader` when it reads that format, else by one found the usual way.
 */
export async function openSourceStore(
  snapshot: string,
  format: StoreFormat,
  selection: SourceSelection,
  reader?: SnapshotReader,
  signal?: AbortSignal,
): Promise<SourceStore> {
  if (format === 'surrealkv-3.0') {
    const { opened, damage } = await openNoticingDamage(snapshot, format, () => EmbeddedStore.open(snapshot, selection));
    return new EngineStore(opened, damage);
  }
  const bin = reader && surrealReads(reader, format) ? reader : await storeReaderFor(format);
  const { opened, damage } = await openNoticingDamage(
    snapshot,
    format,
    () => servePrivately({ bin: bin.path, folder: snapshot, ...(signal ? { signal } : {}) }),
    (served) => served.openingLines,
  );
  return new ServedStore(opened, selection, damage);
}

/** The embedded engine behind a source, when it has one (the in-process export needs it). */
export function embeddedEngineOf(source: SourceStore): EmbeddedStore | undefined {
  return source instanceof EngineStore ? source.embedded : undefined;
}
