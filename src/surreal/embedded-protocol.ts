// Messages between the parent and the embedded-engine child process (one request at a time).
import { ident } from '../core/surql-ident.js';
import type { InspectValue } from '../core/inspect-types.js';
import type { PageStart } from '../core/record-range.js';
import type { FileIdentity } from '../files/private-files.js';

export interface DatabaseInfo {
  tables: string[];
  /** Definition text per kind and name, as INFO FOR DB reports them (analyzers, functions, params, …). */
  definitions: Record<string, Record<string, string>>;
  /** INFO FOR TABLE per table: fields, indexes, events. */
  tableDefinitions: Record<string, Record<string, Record<string, string>>>;
}

export interface ExportProgress {
  /** The table being written. */
  table: string;
  /** Records written so far, every table's together. */
  records: number;
  /** Bytes written so far. */
  bytes: number;
}

export type EmbeddedRequest =
  /** Without namespace and database, nothing is USEd (the inspector opens stores whose names it does not know yet). */
  | { op: 'open'; path: string; namespace?: string; database?: string }
  | { op: 'databases' }
  | { op: 'info' }
  | { op: 'count'; table: string }
  /** Pages: the first `limit` records from `start` (core/record-range.ts). */
  | { op: 'hashes'; table: string; start: PageStart; limit: number }
  /** One digest for a whole page of records, computed by the engine (surreal/range-digest.ts). */
  | { op: 'rangeDigest'; table: string; start: PageStart; limit: number }
  /** Each record encoded as CBOR by the engine (`encoding::cbor::encode`) and digested by value in the child. */
  | { op: 'valueDigests'; table: string; start: PageStart; limit: number; omit: string[] }
  | { op: 'query'; sql: string }
  /** `file`: made empty and private by the parent (`made` says which file that is), filled here. */
  | { op: 'export'; file: string; made: FileIdentity; batch: number }
  /** The inspector: statements in a namespace/database of their own, each answered on its own (see RunStatement). */
  | { op: 'run'; sql: string; vars?: Record<string, unknown>; namespace?: string; database?: string };

export type EmbeddedReply =
  | { id: number; kind: 'result'; result: unknown }
  | { id: number; kind: 'error'; message: string }
  | { id: number; kind: 'progress'; progress: ExportProgress }
  /** The engine will never answer this request: nothing in its process is left to. */
  | { id: number; kind: 'dropped'; op: EmbeddedRequest['op'] };

/** One record's identity and content digest, computed by SurrealDB itself so both sides hash the same text. */
export type RecordHash = [id: string, sha256: string];

/** (id, sha256 of the record's text) of every record of `from` (a table, a page, a range of ids). */
export function hashPageSql(from: string): string {
  return `SELECT VALUE [<string> id, crypto::sha256(<string> $this)] FROM ${from}`;
}

/** ` OMIT a, b` for the fields to leave out, which can only be named in the text (OMIT takes no parameters). */
export function omitClause(omit: readonly string[]): string {
  return omit.length ? ` OMIT ${omit.map((f) => ident(f)).join(', ')}` : '';
}

/** Every record of `from` as CBOR, the fields in `omit` left out. */
export function valuePageSqlFor(from: string, omit: readonly string[]): string {
  return `SELECT VALUE encoding::cbor::encode($this) FROM (SELECT *${omitClause(omit)} FROM ${from})`;
}

/** One statement's answer to a 'run' request, values typed for display. */
export interface RunStatement {
  ok: boolean;
  result?: InspectValue;
  error?: string;
  time?: string;
}
