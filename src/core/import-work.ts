// How long each part of an import takes, relative to the rest: the records, then each deferred index. The unit is a
// "record-equivalent", the time the target takes to load one record, so the rate the import observes (records per
// second, then record-equivalents per second as indexes finish) turns the plan into a time left on any machine.
import type { IndexDefinition, IndexKind } from './index-definition.js';
import type { Major } from './route.js';

export interface IndexBuildCost {
  /** Per record of the indexed table. */
  perRecord: Readonly<Record<IndexKind, number>>;
  /** Per index, whatever its table's size: the request and the definition itself. */
  perIndex: number;
}

/**
 * What building an index costs, in record-equivalents. Measured on this machine (2 shared cores, memory servers,
 * generated Pattern stores of 300 and 1,000 messages, each index sent alone after all the data, as the import does):
 * - SurrealDB 2.6.5 loads a record in 0.4–1.1 ms. msg_content_search (SEARCH … BM25 HIGHLIGHTS) costs 92–120
 *   record-equivalents per message (30 s for 300, 51 s for 1,000); the mem full-text indexes, on shorter text,
 *   2–13 per record; HNSW 0.5–0.8; a plain index on msg 0.3; each index ~100 on top.
 * - SurrealDB 3.3.5 loads a record in 0.2 ms. FULLTEXT costs 2.1–2.8 per record, HNSW 0.1–0.3, a plain index 0.3;
 *   each index ~100 on top (25 ms).
 * Full-text is weighted by its costliest table, msg: it is the index that takes the time.
 */
export const INDEX_BUILD_COST: Readonly<Record<Major, IndexBuildCost>> = {
  2: { perRecord: { 'full-text': 100, vector: 0.7, plain: 0.3 }, perIndex: 100 },
  3: { perRecord: { 'full-text': 2.5, vector: 0.3, plain: 0.3 }, perIndex: 100 },
};

export interface IndexWork extends IndexDefinition {
  /** Records of the indexed table in the import. */
  tableRecords: number;
  /** Estimated build time, in record-equivalents. */
  cost: number;
}

export interface ImportWork {
  records: number;
  indexes: IndexWork[];
  /** The records plus every index's cost. */
  total: number;
}

export function indexCost(kind: IndexKind, tableRecords: number, major: Major): number {
  const cost = INDEX_BUILD_COST[major];
  return cost.perIndex + cost.perRecord[kind] * tableRecords;
}

/** The import's work: one unit a record, then each index (in the order given) at its estimated cost. */
export function planImportWork(recordsByTable: Readonly<Record<string, number>>, indexes: readonly IndexDefinition[], major: Major): ImportWork {
  const records = Object.values(recordsByTable).reduce((sum, n) => sum + n, 0);
  const planned = indexes.map((index) => {
    const tableRecords = recordsByTable[index.table] ?? 0;
    return { ...index, tableRecords, cost: indexCost(index.kind, tableRecords, major) };
  });
  return { records, indexes: planned, total: records + planned.reduce((sum, index) => sum + index.cost, 0) };
}
