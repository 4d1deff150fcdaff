// Verification by ranges of record ids: each side reduces a range of records to its count and one sha256 of the
// engine's text of them all, so only one digest per range crosses the wire; only a range whose digests differ is
// read again record by record. Meaningful between engines that print values alike (the 'hash' method).
import { pageFrom } from '../core/record-range.js';
import { countInRows, tableCountSql } from '../core/table-count.js';
import type { RecordHash } from './embedded-protocol.js';
import type { SurrealHttp } from './http.js';

export interface RangeDigest {
  count: number;
  /** The range's last record id as the engine prints it; absent when the range is empty. */
  last?: string;
  digest: string;
}

/** The records of `from` (a table page, a range of ids), their count, last id and one sha256 of their text together. */
export function rangeDigestSql(from: string): string {
  return `LET $p = SELECT * FROM ${from}; RETURN [count($p), IF count($p) > 0 THEN <string> array::last($p).id END, crypto::sha256(<string> $p)];`;
}

export function rangeDigestOf(answer: unknown): RangeDigest {
  const [count, last, digest] = answer as [number, string | null | undefined, string];
  return { count: Number(count), ...(typeof last === 'string' ? { last } : {}), digest: String(digest) };
}

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

/** A server's digest of the records of `from`. */
export async function serverRangeDigest(http: SurrealHttp, from: string, signal?: AbortSignal): Promise<RangeDigest> {
  return rangeDigestOf((await http.sql(rangeDigestSql(from), opts(signal))).at(-1));
}

/** (id, sha256 of the record's text) of every record of `from`, to name the records of a range that differs. */
export async function serverRecordHashes(http: SurrealHttp, from: string, signal?: AbortSignal): Promise<RecordHash[]> {
  const [page] = (await http.sql(`SELECT VALUE [<string> id, crypto::sha256(<string> $this)] FROM ${from};`, opts(signal))) as RecordHash[][];
  return page ?? [];
}

/** A server's digest of the first `limit` records of `table`, with the count of the whole table. */
export async function serverFirstRange(http: SurrealHttp, table: string, limit: number, signal?: AbortSignal): Promise<{ range: RangeDigest; total: number }> {
  const results = await http.sql(`${rangeDigestSql(pageFrom(table, { after: undefined }, limit))} ${tableCountSql(table)};`, opts(signal));
  return { range: rangeDigestOf(results.at(-2)), total: countInRows(results.at(-1)) };
}
