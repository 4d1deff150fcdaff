// Pages of records read from a server as CBOR (through /rpc: see SurrealHttp.rpcCbor) and digested here (src/core/record-digest.ts): the verification that
// holds across SurrealDB majors, whose text renderings of the same value differ.
import { CborMap, decodeCbor, mapGet, type CborItem } from '../core/cbor-reader.js';
import { PatternDbError } from '../core/errors.js';
import { recordDigest, type ValueDigest } from '../core/record-digest.js';
import { ValueShapeError } from '../core/surreal-value-canon.js';
import { pageFrom } from '../core/record-range.js';
import { omitClause } from './embedded-protocol.js';
import type { SurrealHttp } from './http.js';
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
  let answer: CborItem;
  try {
    answer = decodeCbor(body, (item, depth) => {
      if (depth !== RECORD_DEPTH) return item;
      digests.push(recordDigest(item));
      return null;
    });
  } catch (error) {
    if (error instanceof ValueShapeError) throw error;
    throw refusal(`CBOR this program cannot read (${errorText(error)})`, label);
  }
  const records = firstStatementResult(answer, label);
  if (records.length !== digests.length) throw refusal('records beyond its first statement', label);
  return digests;
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

async function readValueDigestsSql(http: SurrealHttp, sql: string, table: string, signal?: AbortSignal): Promise<ValueDigest[]> {
  const body = await http.rpcCbor('query', [sql], signal ? { signal } : {});
  return valueDigestsOfAnswer(body, `POST ${http.base}/rpc (records of ${table})`);
}
