// Pattern's schema: the system_metadata row, its tables, the indexes its search needs, record counts beside the source.
import { PatternDbError } from '../../core/errors.js';
import { parseVersion } from '../../core/server-version.js';
import { PATTERN_ANALYZERS, PATTERN_DEFINED_TABLES, PATTERN_SEARCH_INDEXES } from '../../core/pattern-requirements.js';
import type { DatabaseInfo } from '../../surreal/embedded-protocol.js';
import { fail, fromError, ok, skip, warn, type DoctorCheck } from './check.js';
import type { CheckOutcome } from '../../core/doctor-model.js';
import { storeDamagedError, type StoreDamage } from '../../surreal/store-log-damage.js';
import type { DoctorFindings } from './findings.js';
import { embeddedSchemaSource, serverSchemaSource, type SchemaSource } from './schema-source.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const selection = (findings: DoctorFindings) => ({
  namespace: findings.server?.namespace ?? findings.input.namespace ?? 'pattern',
  database: findings.server?.database ?? findings.input.database ?? 'pattern',
});

/**
 * The embedded store as a schema source (a snapshot, read by whatever reads its format), opened once: a store that
 * could not be opened fails the first check that reads it, and the others have nothing to read.
 */
function storeSource(findings: DoctorFindings): Promise<SchemaSource | undefined> {
  if (findings.storeSource) return findings.storeSource.catch(() => undefined);
  findings.storeSource = (async () => {
    const reader = findings.storeReader;
    if (!findings.store || !findings.storeReadable || !reader) return undefined;
    const opened = await embeddedSchemaSource(findings.store, findings.input.stateDir, selection(findings), reader === 'engine' ? undefined : reader);
    findings.cleanups.push(opened.close);
    return opened.source;
  })();
  return findings.storeSource;
}

/** The database the schema checks read: the server when one is checked and signed in, else the embedded store. */
async function schemaSource(findings: DoctorFindings): Promise<SchemaSource | undefined> {
  if (findings.schema) return findings.schema;
  if (findings.server) {
    if (!findings.server.databaseExists) return undefined;
    findings.schema = serverSchemaSource(findings.server.http, findings.server, parseVersion(findings.server.version ?? '')?.major === 2 ? 2 : 3);
  } else {
    findings.schema = await storeSource(findings);
  }
  return findings.schema;
}

const cachedInfo = new WeakMap<SchemaSource, Promise<DatabaseInfo>>();
function infoOf(source: SchemaSource): Promise<DatabaseInfo> {
  let info = cachedInfo.get(source);
  if (!info) cachedInfo.set(source, (info = source.info()));
  return info;
}

function nothingToRead(findings: DoctorFindings): string {
  const server = findings.server;
  if (server) return !server.reachable ? 'the server is not reachable' : !server.signedIn ? 'not signed in' : 'the database does not exist';
  if (findings.store) return 'the store cannot be read';
  return 'no server or store to read';
}

const FRESH = 'Pattern has not set up this database yet (no system_metadata row): it defines its tables and indexes on first start';

interface Metadata {
  schema_version?: unknown;
  embedding_model?: unknown;
  embedding_dimensions?: unknown;
}

async function schemaVersion(source: SchemaSource): Promise<{ rows: Metadata[]; version: number | undefined }> {
  const { tables } = await infoOf(source);
  if (!tables.includes('system_metadata')) return { rows: [], version: undefined };
  const rows = (await source.select('SELECT schema_version, embedding_model, embedding_dimensions FROM system_metadata;')) as Metadata[];
  const versions = rows.map((r) => Number(r.schema_version)).filter((v) => Number.isFinite(v));
  return { rows, version: versions.length ? Math.max(...versions) : undefined };
}

const metadata: DoctorCheck = {
  id: 'schema.metadata',
  group: 'schema',
  title: 'system_metadata and schema version',
  async run(findings) {
    const source = await schemaSource(findings);
    if (!source) return skip(nothingToRead(findings));
    const { rows, version } = await schemaVersion(source);
    const evidence = [`SELECT schema_version, embedding_model, embedding_dimensions FROM system_metadata → ${JSON.stringify(rows)}`];
    if (!rows.length) {
      return warn('W_NO_METADATA', `${source.label} has no system_metadata row: Pattern has never started on this database (it sets up its schema on first start).`, {
        evidence,
        fix: 'Expected for a new database. If you moved data here, the copy is incomplete: migrate again or check the namespace/database.',
      });
    }
    if (rows.length > 1) {
      return warn('W_METADATA_ROWS', `${source.label} has ${rows.length} system_metadata rows; Pattern keeps one.`, {
        evidence,
        fix: 'A second row usually comes from importing into a database Pattern had already started on. Keep the row with the highest schema_version.',
      });
    }
    return ok('D_METADATA', `schema version ${version ?? '?'} (embedding model ${String(rows[0]?.embedding_model ?? 'none')})`, { evidence });
  },
};

const tables: DoctorCheck = {
  id: 'schema.tables',
  group: 'schema',
  title: "Pattern's tables",
  async run(findings) {
    const source = await schemaSource(findings);
    if (!source) return skip(nothingToRead(findings));
    const info = await infoOf(source);
    const missing = PATTERN_DEFINED_TABLES.filter((t) => !info.tables.includes(t));
    const evidence = [`INFO FOR DB → tables: ${info.tables.join(', ') || 'none'}`];
    if (missing.length) {
      const { version } = await schemaVersion(source);
      if (version === undefined && missing.length === PATTERN_DEFINED_TABLES.length) return skip(FRESH);
      const extra = { evidence, fix: 'Pattern defines its tables at start-up; an imported database that lacks them was copied incompletely: migrate again.' };
      return version !== undefined
        ? fail('E_SCHEMA', `${source.label} lacks Pattern's tables ${missing.join(', ')}.`, extra)
        : warn('W_SCHEMA_TABLES', `${source.label} lacks Pattern's tables ${missing.join(', ')} (Pattern creates them on first start).`, extra);
    }
    return ok('D_TABLES', `all ${PATTERN_DEFINED_TABLES.length} tables Pattern defines, ${info.tables.length} tables in all`, { evidence });
  },
};

const indexes: DoctorCheck = {
  id: 'schema.indexes',
  group: 'schema',
  title: 'Search indexes',
  async run(findings) {
    const source = await schemaSource(findings);
    if (!source) return skip(nothingToRead(findings));
    const info = await infoOf(source);
    const analyzers = Object.keys(info.definitions['analyzers'] ?? {});
    const missingAnalyzers = PATTERN_ANALYZERS.filter((a) => !analyzers.includes(a.name));
    const missingIndexes = PATTERN_SEARCH_INDEXES.filter((i) => !(i.name in (info.tableDefinitions[i.table]?.['indexes'] ?? {})));
    const present = PATTERN_SEARCH_INDEXES.filter((i) => !missingIndexes.includes(i));
    const evidence = [
      ...present.map((i) => `${i.table}.${i.name}: ${info.tableDefinitions[i.table]?.['indexes']?.[i.name]}`),
      ...missingIndexes.map((i) => `${i.table}.${i.name}: missing (${i.kind}, for ${i.usedFor})`),
      ...missingAnalyzers.map((a) => `analyzer ${a.name}: missing`),
    ];
    if (!missingIndexes.length && !missingAnalyzers.length) {
      return ok('D_INDEXES', `${PATTERN_SEARCH_INDEXES.length} full-text and vector indexes, ${PATTERN_ANALYZERS.length} analyzers`, { evidence });
    }
    const { version } = await schemaVersion(source);
    if (version === undefined) return skip(FRESH);
    const names = [...missingAnalyzers.map((a) => `analyzer ${a.name}`), ...missingIndexes.map((i) => `${i.name} (${i.kind} on ${i.table})`)];
    return fail('E_SCHEMA', `${source.label} lacks ${names.join(', ')}. Its schema version is ${version}, so Pattern will not recreate them, and search fails.`, {
      evidence,
      fix: `Define them again (full-text indexes build in the background): ${[...missingAnalyzers, ...missingIndexes].map((r) => r.statements[source.major]).join(' ')}`,
    });
  },
};

const counts: DoctorCheck = {
  id: 'schema.counts',
  group: 'schema',
  title: 'Record counts',
  async run(findings) {
    const source = await schemaSource(findings);
    if (!source) return skip(nothingToRead(findings));
    const info = await infoOf(source);
    const here = await source.counts(info.tables);
    // Beside the source: a server checked together with an embedded store (after or before a migration).
    let unreadable: PatternDbError | undefined;
    const store = findings.server
      ? await storeSource(findings).catch((error: unknown) => {
          if (!(error instanceof PatternDbError)) throw error;
          unreadable = error;
          return undefined;
        })
      : undefined;
    if (!store) {
      const total = Object.values(here).reduce((a, b) => a + b, 0);
      const evidence = Object.entries(here).map(([t, n]) => `${t.padEnd(24)} ${n}`);
      if (source.damage) return damaged(findings, source.damage, evidence);
      // The store is there and could not be read: the counts cannot be held against it, and saying only the server's
      // would read as a pass.
      if (unreadable) return fromError(unreadable, [`records on the server (the store's could not be read to compare them):`, ...evidence]);
      return ok('D_COUNTS', `${plural(total, 'record')} in ${plural(info.tables.length, 'table')}`, { evidence });
    }
    const storeInfo = await infoOf(store);
    const inStore = await store.counts(storeInfo.tables);
    findings.sourceCounts = inStore;
    const all = [...new Set([...storeInfo.tables, ...info.tables])].sort();
    const rows = all.map((t) => ({ table: t, store: inStore[t] ?? 0, server: here[t] ?? 0 }));
    const differing = rows.filter((r) => r.store !== r.server);
    const evidence = [`${'table'.padEnd(24)} ${'store'.padStart(8)} ${'server'.padStart(8)}`, ...rows.map((r) => `${r.table.padEnd(24)} ${String(r.store).padStart(8)} ${String(r.server).padStart(8)}${r.store !== r.server ? '  ≠' : ''}`)];
    if (store.damage) return damaged(findings, store.damage, evidence);
    if (differing.length) {
      return fail('E_VERIFY_MISMATCH', `The server and the embedded store differ in ${differing.length} tables (${differing.slice(0, 4).map((r) => `${r.table} ${r.store}→${r.server}`).join(', ')}).`, {
        evidence,
        fix: 'If the migration is done and Pattern has run since, new records are expected on the server. Otherwise run `pattern-db verify` for a record-by-record comparison, and migrate again into an empty database.',
      });
    }
    const total = rows.reduce((a, r) => a + r.server, 0);
    return ok('D_COUNTS', `${plural(total, 'record')} in ${plural(all.length, 'table')}, the same on the server and in the store`, { evidence });
  },
};

/** The store's records as SurrealDB read them, up to damage in its log: the counts above are what survived it. */
function damaged(findings: DoctorFindings, damage: StoreDamage, counts: string[]): CheckOutcome {
  const next = `pattern-db migrate stops at it unless run with --skip-check E_STORE_DAMAGED, and then moves what SurrealDB ${damage.major} reads of the store.`;
  const error = storeDamagedError(damage, findings.store?.path ?? 'the store', next);
  return fromError(error, [`records read up to the damage:`, ...counts]);
}

export const SCHEMA_CHECKS: DoctorCheck[] = [metadata, tables, indexes, counts];
