// Every record of a table on both sides, compared by the chosen method, range by range: the source is read in pages
// in its key order, and each page's ids bound the range of ids the target is asked for (`t:a>..=b`), so a missing or
// an extra record shifts nothing after it. By hash, each side reduces a range to one digest and only a range whose
// digests differ is read again record by record. By value, a served source's range and the target's are reduced here
// to one digest of the bytes each server sent, and only a range whose bytes differ is read again and digested record by
// record, by value (value-digests.ts); an in-process source's records are digested by value as they arrive. Only one
// range per side is held at a time.
import { countInRows, tableCountSql } from '../core/table-count.js';
import { idRange, keyOfIdText, pageFrom } from '../core/record-range.js';
import { compareTable, type RecordMethod, type TableComparison } from '../core/verify-report.js';
import { TableTally } from '../core/verify-tally.js';
import { PatternDbError } from '../core/errors.js';
import type { SurrealHttp } from '../surreal/http.js';
import { serverFirstRange, serverRangeDigest, serverRecordHashes } from '../surreal/range-digest.js';
import type { SourceStore } from '../surreal/source-store.js';
import type { DatabaseInfo } from '../surreal/embedded-protocol.js';
import { computedFields } from '../core/computed-fields.js';
import type { SourceRangesAhead } from './source-ranges-ahead.js';
import { readEncodedRange, readValueDigests, readValueDigestsFrom } from '../surreal/value-digests.js';

/**
 * Source records per range. Each page on either side is a range of ids and costs only what it holds, so a page is as
 * small as keeps memory flat: a message with its embedding is about 30 KB of text, which the engine holds once more as
 * the page's text to digest. At 100,000 messages, 1000 took the embedded reader no longer than 5000 (10.9 s against
 * 11.5 s) and peaked at 269 MB instead of 596 MB.
 */
export const VERIFY_PAGE = 1000;

type Page = Array<[string, string]>;

export interface TableSides {
  source: SourceStore;
  target: SurrealHttp;
  /** Whether the target has the table at all (a missing table means every record is missing, not an error). */
  targetHasTable: boolean;
  /** Computed fields, left out of the comparison by value: they are evaluated when read, not stored. */
  omit?: readonly string[];
  signal?: AbortSignal;
  /** Source records per range (VERIFY_PAGE unless a test wants many ranges). */
  page?: number;
  /** The source's range digests read earlier (steps/source-ranges-ahead.ts); a range not among them is read now. */
  sourceRanges?: SourceRangesAhead;
}

/** One source page: its size and last id, and either its records' digests (by value) or one digest of them all. */
interface SourceRange {
  count: number;
  last?: string;
  records?: Page;
  digest?: string;
}

/** A promise awaited later: a rejection before then (the server gone) still throws where it is awaited, never unhandled. */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The target's ranges did not add up to its own count: its order of ids is not the source's (see verifyTable). */
export class RangesDisagree extends Error {}

async function targetCount(target: SurrealHttp, table: string, signal?: AbortSignal): Promise<number> {
  const [rows] = await target.sql(`${tableCountSql(table)};`, signal ? { signal } : {});
  return countInRows(rows);
}

/** By ranges only; throws RangesDisagree when the target's ranges do not add up to its count. */
export async function verifyTableByRanges(table: string, method: RecordMethod, sides: TableSides, onRecords: (n: number) => void): Promise<TableComparison> {
  const { source, target, targetHasTable, signal, omit = [], page: size = VERIFY_PAGE } = sides;
  const tally = new TableTally(table);
  // Each source page is named by the key it follows and by the source records before it (PageBy).
  const readSource = async (after: string | undefined, at: number): Promise<SourceRange> => {
    if (method === 'value') {
      if (source.encodedRange) return source.encodedRange(table, { after, at }, size, omit);
      const records = await source.valueDigests(table, { after, at }, size, omit);
      return { count: records.length, records, ...(records.length ? { last: records.at(-1)![0] } : {}) };
    }
    return sides.sourceRanges?.take(table, after, size) ?? source.rangeDigest(table, { after, at }, size);
  };
  const targetRecords = (from: string): Promise<Page> =>
    method === 'value' ? readValueDigestsFrom(target, table, from, { omit, ...(signal ? { signal } : {}) }) : serverRecordHashes(target, from, signal);
  // By hash, the target's first range is asked for at once, as if it ended where the source's first page does: the
  // whole of a small table in one round trip per side. Its answer also counts the target's table.
  const firstRange = method === 'hash' && targetHasTable ? awaitedLater(serverFirstRange(target, table, size, signal)) : undefined;
  const expected = awaitedLater(firstRange ? firstRange.then((first) => first.total) : targetHasTable ? targetCount(target, table, signal) : Promise.resolve(0));
  let read = 0;
  // The last key of the ranges compared so far, and the source records up to it: where the next source page and the
  // next target range begin.
  let after: string | undefined;
  let sourceRead = 0;
  let next = awaitedLater(readSource(undefined, 0));
  for (let first = true; ; first = false) {
    const page = await next;
    const more = page.count === size && page.last !== undefined;
    const upTo = page.last === undefined ? undefined : keyOfIdText(page.last);
    // The next source page is read while the target answers for this one: they are different processes.
    if (more) next = awaitedLater(readSource(upTo, sourceRead + page.count));
    if (upTo !== undefined) {
      const from = idRange(table, after, upTo);
      const start = { after, at: sourceRead };
      const mine = async () => page.records ?? (method === 'value' ? await source.valueDigests(table, start, size, omit) : await source.hashes(table, start, size));
      const guess = first ? (await firstRange)?.range : undefined;
      if (!targetHasTable) tally.compare(await mine(), []);
      else if (page.records) {
        const theirs = await targetRecords(from);
        read += theirs.length;
        tally.compare(page.records, theirs);
      } else if (guess && guess.count === page.count && guess.last === page.last && guess.digest === page.digest) {
        read += page.count;
        tally.same(page.count);
      } else {
        const theirs = method === 'value' ? await readEncodedRange(target, table, from, { omit, ...(signal ? { signal } : {}) }) : await serverRangeDigest(target, from, signal);
        read += theirs.count;
        if (theirs.count === page.count && theirs.digest === page.digest) tally.same(page.count);
        else tally.compare(await mine(), await targetRecords(from));
      }
      after = upTo;
    }
    sourceRead += page.count;
    onRecords(page.count);
    if (!more) break;
  }
  // What the target holds after the source's last id can only be extra; not read when the ranges held all it counts.
  // (Were its order of ids not the source's, a record read twice would already be an extra, so this never hides one.)
  if (targetHasTable && read !== (await expected)) {
    const rest = await targetRecords(idRange(table, after, undefined));
    read += rest.length;
    tally.compare([], rest);
  }
  if (read !== (await expected)) throw new RangesDisagree(`${table}: ${read} records read by range, ${await expected} counted`);
  return tally.result();
}

/**
 * The whole table on each side as id → digest, by pages of START, which put no id read back into a statement: what
 * verifyTable falls back to (and did before ranges).
 */
export async function verifyTableWhole(table: string, method: RecordMethod, sides: TableSides): Promise<TableComparison> {
  const { source, target, targetHasTable, signal, omit = [], page: size = VERIFY_PAGE } = sides;
  const collect = async (fetchPage: (start: number) => Promise<Page>) => {
    const digests = new Map<string, string>();
    for (let start = 0; ; start += size) {
      const page = await fetchPage(start);
      for (const [id, digest] of page) digests.set(id, digest);
      if (page.length < size) return digests;
    }
  };
  const sourcePage =
    method === 'value' ? (skip: number) => source.valueDigests(table, { skip }, size, omit) : (skip: number) => source.hashes(table, { skip }, size);
  const targetPage =
    method === 'value'
      ? (skip: number) => readValueDigests(target, table, skip, size, { omit, ...(signal ? { signal } : {}) })
      : (skip: number) => serverRecordHashes(target, pageFrom(table, { skip }, size), signal);
  const [mine, theirs] = await Promise.all([collect(sourcePage), targetHasTable ? collect(targetPage) : Promise.resolve(new Map<string, string>())]);
  return compareTable(table, mine, theirs);
}

/**
 * Compares one table's records by `method`; `onRecords` counts source records as they are read. Ranges need both
 * sides to order ids alike (the same major does; 2.x and 3.x order Pattern's string ids alike). Should a range be
 * refused or the target's ranges not add up to its count, the table is compared whole instead, never skipped.
 */
export async function verifyTable(table: string, method: RecordMethod, sides: TableSides, onRecords: (n: number) => void): Promise<TableComparison> {
  let reported = 0;
  try {
    return await verifyTableByRanges(table, method, sides, (n) => onRecords((reported += n, n)));
  } catch (error) {
    if (sides.signal?.aborted || !(error instanceof RangesDisagree || (error instanceof PatternDbError && error.code === 'E_STATEMENT'))) throw error;
    const whole = await verifyTableWhole(table, method, sides);
    onRecords(whole.source - reported);
    return whole;
  }
}

/**
 * By `method`; when the text hashes call records changed, the table is compared again by value before anything is
 * reported: the embedded engine (3.0.2) and a target of another 3.x release need not print every value alike, and a
 * difference in printing is not a difference in data.
 */
export async function verifyTableConfirmed(table: string, method: RecordMethod, sides: TableSides, onRecords: (n: number) => void): Promise<TableComparison> {
  const first = await verifyTable(table, method, sides, onRecords);
  if (method !== 'hash' || first.changed === 0) return first;
  return { ...(await verifyTable(table, 'value', sides, () => undefined)), recheckedByValue: true };
}

export interface RecordsCompared {
  tables: TableComparison[];
  /** Source records read. */
  read: number;
}

/** Every table of the source compared with the target's, one table after the other; `onRecords` as verifyTable's. */
export async function verifyAllRecords(
  method: RecordMethod,
  sides: Pick<TableSides, 'source' | 'target' | 'signal' | 'sourceRanges'>,
  info: { source: DatabaseInfo; target: DatabaseInfo },
  onRecords: (read: number, table: string) => void = () => undefined,
): Promise<RecordsCompared> {
  let read = 0;
  const tables: TableComparison[] = [];
  for (const table of info.source.tables) {
    const omit = computedFields(info.source.tableDefinitions[table]?.fields, info.target.tableDefinitions[table]?.fields);
    const tableSides = { ...sides, targetHasTable: table in info.target.tableDefinitions, omit };
    tables.push(await verifyTableConfirmed(table, method, tableSides, (n) => onRecords((read += n), table)));
  }
  return { tables, read };
}
