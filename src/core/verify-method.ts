// Which way verify compares records and definitions, and why, from what reads the source and which server is the target.
import type { VerifyMethod } from './verify-report.js';

export interface VerifySides {
  source: { engine: string; major: number; served: boolean };
  target: { version: string; major: number };
}

export function chooseVerifyMethod({ source, target }: VerifySides): VerifyMethod {
  const sides = { source: { engine: source.engine, major: source.major }, target };
  const definitions = source.major === 2 && target.major >= 3 ? 'upgrade rules' : 'text';
  if (source.major !== target.major) {
    return {
      records: 'value',
      reason: `the source is SurrealDB ${source.major} and the target SurrealDB ${target.major}, which print the same value differently: every record is read as CBOR and compared by value`,
      definitions,
      ...sides,
    };
  }
  if (source.served) {
    return {
      records: 'value',
      reason: `the source is read through ${source.engine}: every record is read as CBOR from both servers and compared by value`,
      definitions,
      ...sides,
    };
  }
  return {
    records: 'hash',
    reason: `both sides are SurrealDB ${target.major}: each computes a sha256 of its own text of every record (the faster way)`,
    definitions,
    ...sides,
  };
}

/** The phrases of the report's `compared` list. */
export function comparedItems(method: VerifyMethod): string[] {
  return [
    'record ids, per table',
    method.records === 'value'
      ? 'record values: read as CBOR, and canonicalised and digested by pattern-db record by record wherever the two servers did not send a range of records byte for byte alike (types kept: int/float/decimal, string/bytes, NONE/NULL, datetimes and durations to the nanosecond, uuids, links, ranges, geometry; object key order ignored; computed fields left out, being evaluated when read rather than stored)'
      : 'record contents: sha256 of each engine\'s SurrealQL text of the record',
    method.definitions === 'upgrade rules'
      ? 'definitions (INFO FOR DB, INFO FOR TABLE) after the named SurrealDB 2→3 rewrites; anything no rule covers is a difference'
      : 'definitions (INFO FOR DB, INFO FOR TABLE) as each server prints them, whitespace aside',
    'secrets the target hides in INFO (password hashes, signing keys): proven from its export where it carries them, otherwise named as not compared',
  ];
}
