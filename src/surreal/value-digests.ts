// Pages of records read from a server as CBOR (through /rpc: see SurrealHttp.rpcCbor) and digested here (src/core/record-digest.ts): the verification that
// holds across SurrealDB majors, whose text renderings of the same value differ.
import { escapeIdent } from 'surrealdb';
import { CborMap, decodeCbor, mapGet, type CborItem } from '../core/cbor-reader.js';
import { PatternDbError } from '../core/errors.js';
import { recordDigest, type ValueDigest } from '../core/record-digest.js';
import { pageFrom } from '../core/record-range.js';
import type { SurrealHttp } from './http.js';

export function valuePageSql(table: string, start: number, limit: number, omit: readonly string[] = []): string {
  return valueSqlFrom(pageFrom(escapeIdent(table), { skip: start }, limit), omit);
}

/** Every record of `from` (a table, a range of ids: core/record-range.ts), computed fields in `omit` left out. */
export function valueSqlFrom(from: string, omit: readonly string[] = []): string {
  const fields = omit.length ? ` OMIT ${omit.map((f) => escapeIdent(f)).join(', ')}` : '';
  return `SELECT *${fields} FROM ${from};`;
}

function refusal(detail: string, label: string): PatternDbError {
  return new PatternDbError('E_HTTP', `${label} answered with ${detail}.`, {
    fix: 'Check that the URL points at a SurrealDB server and not at a proxy or another program.',
  });
}

/** The first statement's records out of a CBOR /rpc answer to `query`; a refusal or a failed statement throws. */
export function recordsOfAnswer(body: Uint8Array, label: string): CborItem[] {
  let answer: CborItem;
  try {
    answer = decodeCbor(body);
  } catch (error) {
    throw refusal(`CBOR this program cannot read (${error instanceof Error ? error.message : String(error)})`, label);
  }
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
  return recordsOfAnswer(body, `POST ${http.base}/rpc (records of ${table})`).map(recordDigest);
}
