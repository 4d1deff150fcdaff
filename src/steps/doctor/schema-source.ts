// The database the schema checks read: the server over HTTP, or a snapshot of the embedded store (in the embedded
// engine, or served by a surreal 3.1+ when the engine cannot read its format).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { SyntaxMajor } from '../../core/pattern-schema-text.js';
import { openSourceStore, type SnapshotReader, type SourceStore } from '../../surreal/source-store.js';
import type { DatabaseInfo } from '../../surreal/embedded-protocol.js';
import type { SurrealHttp } from '../../surreal/http.js';
import { countRecords, readDatabaseInfo } from '../../surreal/server-catalog.js';
import { removeSnapshot, snapshotStore, type StoreInfo } from '../../surreal/store.js';
import { copyStoreToRead } from '../../surreal/lean-store-copy.js';
import type { StoreDamage } from '../../surreal/store-log-damage.js';

export interface SchemaSource {
  /** "the server" or "the embedded store", for messages. */
  label: string;
  /** Whose syntax a statement that repairs it must be written in. */
  major: SyntaxMajor;
  info(): Promise<DatabaseInfo>;
  /** Records per table, counted by the database. */
  counts(tables: string[]): Promise<Record<string, number>>;
  /** Rows of one SELECT. */
  select(sql: string): Promise<Array<Record<string, unknown>>>;
  /** A store whose log SurrealDB read only up to damage it found there: everything else reads what was left. */
  damage?: StoreDamage;
}

export function serverSchemaSource(http: SurrealHttp, selection: { namespace: string; database: string }, major: SyntaxMajor): SchemaSource {
  return {
    label: 'the server',
    major,
    info: () => readDatabaseInfo(http),
    counts: (tables) => countRecords(http, selection.namespace, selection.database, tables),
    async select(sql) {
      const [rows] = (await http.sql(sql)) as Array<Array<Record<string, unknown>>>;
      return rows ?? [];
    },
  };
}

/** Snapshots the store (the live folder is never opened) and opens the copy; `close` ends the engine and removes the copy. */
export async function embeddedSchemaSource(
  store: StoreInfo,
  stateDir: string,
  selection: { namespace: string; database: string },
  reader?: SnapshotReader,
): Promise<{ source: SchemaSource; close: () => Promise<void> }> {
  const snapshot = await snapshotStore(store, path.join(stateDir, 'snapshots'), (from, to) => copyStoreToRead(store.format, from, to).then(() => undefined));
  let source: SourceStore;
  try {
    source = await openSourceStore(snapshot, store.format, selection, reader);
  } catch (error) {
    await rm(snapshot, { recursive: true, force: true });
    throw error;
  }
  return {
    source: {
      label: 'the embedded store',
      ...(source.damage ? { damage: source.damage } : {}),
      major: source.major === 2 ? 2 : 3,
      info: () => source.info(),
      async counts(tables) {
        const counts: Record<string, number> = {};
        for (const table of tables) counts[table] = await source.count(table);
        return counts;
      },
      async select(sql) {
        const [rows] = (await source.query(sql)) as Array<Array<Record<string, unknown>>>;
        return rows ?? [];
      },
    },
    async close() {
      await source.close();
      await removeSnapshot(snapshot);
    },
  };
}
