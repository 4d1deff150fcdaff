// Ranges of record ids in SurrealQL's own syntax (`t:a>..=b`), which every engine here (the embedded 3.0.2, 2.6.5,
// 3.3.5) reads straight from the table's key order: a bounded range costs what it holds, where START makes the
// server walk every record before the page again. Table names are given as they are, and quoted here.
import { ident } from './surql-ident.js';

/** A string key printed bare (`msg_1a`, `1e5`) is bracketed, so it is never read back as a number. */
function unambiguous(key: string): string {
  return /^[A-Za-z0-9_]+$/.test(key) && !/^\d+$/.test(key) ? `⟨${key}⟩` : key;
}

/**
 * The key part of a record id as a server or recordIdText printed it, to write into a range: `msg:⟨a b⟩` → `⟨a b⟩`,
 * `msg:abc` → `⟨abc⟩`, `⟨my table⟩:1` → `1`.
 */
export function keyOfIdText(idText: string): string {
  let at = 0;
  const close = idText[0] === '⟨' ? '⟩' : idText[0] === '`' ? '`' : undefined;
  if (close) {
    at = 1;
    while (at < idText.length && idText[at] !== close) at += idText[at] === '\\' ? 2 : 1;
    at += 1;
  } else {
    while (at < idText.length && idText[at] !== ':') at += 1;
  }
  if (idText[at] !== ':' || at + 1 >= idText.length) throw new Error(`not a record id: ${idText}`);
  return unambiguous(idText.slice(at + 1));
}

/**
 * What a statement reads FROM: `table`'s records after `after` (excluded) up to `upTo` (included), keys as
 * keyOfIdText gives them; unbounded sides are open.
 */
export function idRange(table: string, after: string | undefined, upTo: string | undefined): string {
  const name = ident(table);
  if (after === undefined && upTo === undefined) return name;
  return `${name}:${after === undefined ? '' : `${after}>`}..${upTo === undefined ? '' : `=${upTo}`}`;
}

/**
 * Where a page of a table begins: after a key (excluded; the table's first record without one), which costs only what
 * the page holds, with `at` the number of records before the page when the caller counted them; or after `skip`
 * records (START), which walks every record before the page again but reads no id back into a statement: the
 * whole-table comparison's, should a range be refused.
 */
export type PageStart = { after: string | undefined; at?: number } | { skip: number };

/**
 * How a reader finds the page after a key: by that key (a range), or by the records counted before it (START), for a
 * reader that reads an open range to its end whatever its LIMIT. SurrealDB 3.3.5 does (`t:k>.. LIMIT 1000` took
 * 200 ms with 19,000 records after k and 17 ms with 2,000, where START skips at little cost: 12 ms at 1,000, 18 ms at
 * 19,000), so paging a table by key costs it the square of the table; 2.6.5 and the embedded 3.0.2 stop at the LIMIT.
 * Counting finds the same page only in a store that does not change while it is read: a snapshot.
 */
export type PageBy = 'key' | 'count';

/** What a page reads FROM: its first `limit` records from `start`, in key order. */
export function pageFrom(table: string, start: PageStart, limit: number, by: PageBy = 'key'): string {
  if ('skip' in start) return `${ident(table)} START ${start.skip} LIMIT ${limit}`;
  if (by === 'count' && start.at) return `${ident(table)} START ${start.at} LIMIT ${limit}`;
  return `${idRange(table, start.after, undefined)} LIMIT ${limit}`;
}
