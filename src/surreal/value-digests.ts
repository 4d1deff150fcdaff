// Pages of records read from a server as CBOR (through /rpc: see SurrealHttp.rpcCbor) and digested here (src/core/record-digest.ts): the verification that
// holds across SurrealDB majors, whose text renderings of the same value differ. A range is first compared by the
// bytes each server sent for it (encodedRange*): the same bytes are the same values, whatever their major, and only a
// range whose bytes differ is digested record by record, by value.
import { createHash } from 'node:crypto';
import { CborMap, decodeCbor, decodeCborSkipping, mapGet, type CborItem } from '../core/cbor-reader.js';
import { PatternDbError } from '../core/errors.js';
import { recordDigest, recordIdOf, type ValueDigest } from '../core/record-digest.js';
import { ValueShapeError } from '../core/surreal-value-canon.js';
import { pageFrom } from '../core/record-range.js';
import { omitClause } from './embedded-protocol.js';
import type { SurrealHttp } from './http.js';
import type { RangeDigest } from './range-digest.js';
import { errorText } from '../core/error-text.js';

export function valuePageSql(table: string, start: number, limit: number, omit: readonly string[] = []): string {
  return valueSqlFrom(pageFrom(table, { skip: start }, limit), omit);
}

/** Every record of `from` (a table, a range of ids: core/record-range.ts), computed fields in `omit` left out. */
export function valueSqlFrom(from: string, omit: readonly string[] = []): string {
  return `SELECT *${omitClause(omit)} FROM ${from};`;
}

function refusal(detail: string, label: string): PatternDbError {
  return new PatternDbError('E_HTTP', `${label} answered with ${detail}.`, {
    fix: 'Check that the URL points at a SurrealDB server and not at a proxy or another program.',
  });
}

/** Where a record sits in an answer to `query`: the answer, its statements, the first one, its result, a record. */
const RECORD_DEPTH = 4;

/**
 * The digests of the first statement's records out of a CBOR /rpc answer to `query`; a refusal or a failed statement
 * throws. Each record is digested as soon as it is decoded and then dropped, so a page of records is never held whole:
 * with the small young generation of --optimize-for-size (bin/pattern-db.js), a page held whole outlived it and cost
 * about twice the CPU (the 10,421 records of a 5,000-message store: 0.41-0.53 s against 0.80-0.90 s). A 2→3 migration
 * of that store spent 0.9 s less CPU in all (medians of 4 alternating pairs), beside the server's index builds.
 */
export function valueDigestsOfAnswer(body: Uint8Array, label: string): ValueDigest[] {
  const digests: ValueDigest[] = [];
  const answer = decoded(label, () =>
    decodeCbor(body, (item, depth) => {
      if (depth !== RECORD_DEPTH) return item;
      digests.push(recordDigest(item));
      return null;
    }),
  );
  const records = firstStatementResult(answer, label);
  if (records.length !== digests.length) throw refusal('records beyond its first statement', label);
  return digests;
}

/**
 * The first statement's records out of a CBOR /rpc answer reduced to their count, the last one's id and one sha256 of
 * the bytes the server sent for them all, each record passed over undecoded (the last one's id aside).
 */
export function encodedRangeOfAnswer(body: Uint8Array, label: string): RangeDigest {
  const hash = createHash('sha256');
  let count = 0;
  let last: [number, number] | undefined;
  const answer = decoded(label, () =>
    decodeCborSkipping(body, {
      depth: RECORD_DEPTH,
      onItem: (start, end) => {
        hash.update(body.subarray(start, end));
        count += 1;
        last = [start, end];
      },
    }),
  );
  if (firstStatementResult(answer, label).length !== count) throw refusal('records beyond its first statement', label);
  const lastId = last ? decoded(label, () => recordIdOf(decodeCbor(body.subarray(...last!)))) : undefined;
  return { count, ...(lastId === undefined ? {} : { last: lastId }), digest: hash.digest('hex') };
}

/** What `decode` read out of an answer; CBOR it cannot read is the server's refusal, a record without an id not. */
function decoded<T>(label: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof ValueShapeError) throw error;
    throw refusal(`CBOR this program cannot read (${errorText(error)})`, label);
  }
}

function firstStatementResult(answer: CborItem, label: string): CborItem[] {
  if (!(answer instanceof CborMap)) throw refusal('something that is not an RPC answer', label);
  const error = mapGet(answer, 'error');
  if (error instanceof CborMap) {
    const message = mapGet(error, 'message');
    throw new PatternDbError('E_STATEMENT', `Reading records failed: ${typeof message === 'string' ? message : 'the server gave no reason'}`, {
      evidence: label,
      fix: "Read the server's text above: it names what is wrong with the request.",
    });
  }
  const results = mapGet(answer, 'result');
  const statement = Array.isArray(results) ? results[0] : undefined;
  if (!(statement instanceof CborMap)) throw refusal('something that is not a list of statement results', label);
  const result = mapGet(statement, 'result');
  if (mapGet(statement, 'status') !== 'OK') {
    throw new PatternDbError('E_STATEMENT', `Reading records failed: ${typeof result === 'string' ? result : 'the server gave no reason'}`, {
      evidence: label,
      fix: "Read the server's text above: it names what is wrong with the statement.",
    });
  }
  return Array.isArray(result) ? result : [];
}

/** One page of (id, digest of the canonical value), in the table's own order. */
export async function readValueDigests(
  http: SurrealHttp,
  table: string,
  start: number,
  limit: number,
  options: { omit?: readonly string[]; signal?: AbortSignal } = {},
): Promise<ValueDigest[]> {
  return readValueDigestsSql(http, valuePageSql(table, start, limit, options.omit), table, options.signal);
}

/** (id, digest of the canonical value) of every record of `from` (a range of `table`'s ids), in key order. */
export function readValueDigestsFrom(
  http: SurrealHttp,
  table: string,
  from: string,
  options: { omit?: readonly string[]; signal?: AbortSignal } = {},
): Promise<ValueDigest[]> {
  return readValueDigestsSql(http, valueSqlFrom(from, options.omit), table, options.signal);
}

/** The count, last id and one digest of the bytes a server sends for the records of `from` (a range of `table`'s ids). */
export async function readEncodedRange(
  http: SurrealHttp,
  table: string,
  from: string,
  options: { omit?: readonly string[]; signal?: AbortSignal } = {},
): Promise<RangeDigest> {
  const body = await http.rpcCbor('query', [valueSqlFrom(from, options.omit)], options.signal ? { signal: options.signal } : {});
  return encodedRangeOfAnswer(body, recordsLabel(http, table));
}

const recordsLabel = (http: SurrealHttp, table: string) => `POST ${http.base}/rpc (records of ${table})`;

async function readValueDigestsSql(http: SurrealHttp, sql: string, table: string, signal?: AbortSignal): Promise<ValueDigest[]> {
  const body = await http.rpcCbor('query', [sql], signal ? { signal } : {});
  return valueDigestsOfAnswer(body, recordsLabel(http, table));
}
