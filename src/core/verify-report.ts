// Comparing source and target: per-table counts, every record's digest, and the verdict over them and the definitions.
import type { AppliedRule, DefinitionDifference, SecretCheck } from './definition-compare.js';
import { TableTally, type TableComparison } from './verify-tally.js';

export type { RecordDifference, TableComparison } from './verify-tally.js';

export type { AppliedRule, DefinitionDifference, SecretCheck } from './definition-compare.js';

/**
 * How records were compared. hash: each engine's sha256 of its own SurrealQL text of the record (fast, but only
 * meaningful when both sides print values alike: the same major, read in-process). value: every record read as CBOR
 * and digested here by its canonical value, which holds across majors and across engines and servers.
 */
export type RecordMethod = 'hash' | 'value';

export interface VerifyMethod {
  records: RecordMethod;
  /** Why this method, in the user's words. */
  reason: string;
  /** 'text': definitions compared as printed; 'upgrade rules': after the named 2→3 rewrites (see `rules`). */
  definitions: 'text' | 'upgrade rules';
  source: { engine: string; major: number };
  target: { version: string; major: number };
}

export interface VerifyReport {
  ok: boolean;
  method: VerifyMethod;
  /** What was compared, one phrase each, for the report and the JSON output. */
  compared: string[];
  tables: TableComparison[];
  definitions: DefinitionDifference[];
  /** How many definitions were compared (database and table level). Absent in a journal written before it was reported. */
  definitionsCompared?: number;
  /** The rules that made 2.x and 3.x texts of a definition comparable, how often each applied. */
  rules: AppliedRule[];
  /** Secrets a server hides (password hashes, signing keys): proven another way, or named as not compared. */
  secrets: SecretCheck[];
  records: number;
  /** The source was a damaged store, read only up to the damage (gone past at the user's request): what it compared with. */
  readUpToDamage?: string;
}

/** Compares one table's (id → digest) maps. */
export function compareTable(table: string, source: Map<string, string>, target: Map<string, string>): TableComparison {
  const tally = new TableTally(table);
  tally.compare(source, target);
  return tally.result();
}

export function reportOk(tables: TableComparison[], definitions: DefinitionDifference[]): boolean {
  return definitions.length === 0 && tables.every((t) => t.missing === 0 && t.extra === 0 && t.changed === 0);
}
