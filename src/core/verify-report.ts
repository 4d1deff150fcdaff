// Comparing source and target: per-table counts, every record's digest, and the verdict over them and the definitions.
import type { AppliedRule, DefinitionDifference, SecretCheck } from './definition-compare.js';

export type { AppliedRule, DefinitionDifference, SecretCheck } from './definition-compare.js';

export type RecordDifference = 'missing' | 'extra' | 'changed';

export interface TableComparison {
  table: string;
  source: number;
  target: number;
  missing: number;
  extra: number;
  changed: number;
  /** Records compared: every id found on either side. Absent in a journal written before it was reported. */
  compared?: number;
  /** A few record ids that differ, for the report. */
  examples: string[];
  /** The first id of each kind of difference, so the report can say which is which. */
  exampleOf?: Partial<Record<RecordDifference, string>>;
  /** Set when the text hashes differed and the table was compared again by value (the counts are that comparison's). */
  recheckedByValue?: true;
}

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
}

const MAX_EXAMPLES = 5;

/** Compares one table's (id → digest) maps. */
export function compareTable(table: string, source: Map<string, string>, target: Map<string, string>): TableComparison {
  const counts: Record<RecordDifference, number> = { missing: 0, extra: 0, changed: 0 };
  const examples: string[] = [];
  const exampleOf: Partial<Record<RecordDifference, string>> = {};
  const note = (kind: RecordDifference, id: string) => {
    counts[kind] += 1;
    exampleOf[kind] ??= id;
    if (examples.length < MAX_EXAMPLES) examples.push(id);
  };
  for (const [id, digest] of source) {
    const other = target.get(id);
    if (other === undefined) note('missing', id);
    else if (other !== digest) note('changed', id);
  }
  for (const id of target.keys()) if (!source.has(id)) note('extra', id);
  return { table, source: source.size, target: target.size, ...counts, compared: source.size + counts.extra, examples, exampleOf };
}

export function reportOk(tables: TableComparison[], definitions: DefinitionDifference[]): boolean {
  return definitions.length === 0 && tables.every((t) => t.missing === 0 && t.extra === 0 && t.changed === 0);
}
