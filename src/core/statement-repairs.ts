// What a `surreal export` writes that a server then refuses on import, and the smallest change that lets it load.
// Each rule names the server's refusal it answers; a statement no rule touches is passed on byte for byte.
import { withoutRedactedRecordKey } from './redacted-access-key.js';
import type { Statement } from './surql-scan.js';

export interface RepairRule {
  id: string;
  /** What the rule changes and why the target needs it. */
  why: string;
}

export interface AppliedRepair extends RepairRule {
  count: number;
  /** The first statements it changed, before and after (after is null when the statement was dropped). */
  examples: Array<{ before: string; after: string | null }>;
}

interface Rule extends RepairRule {
  /** The repaired text, null to drop the statement, undefined when the rule does not apply. */
  apply(text: string, tables: TableModes): string | null | undefined;
}

/** Which tables the export defined SCHEMAFULL so far (a table's DEFINE TABLE comes before its fields). */
type TableModes = Map<string, 'schemafull' | 'schemaless'>;

const FIELD = /^DEFINE\s+FIELD\s+(?!OVERWRITE\b|IF\s+NOT\s+EXISTS\b)(\S+)\s+ON\s+(?:TABLE\s+)?(\S+)/i;
const unquote = (name: string): string => name.replace(/^[`⟨]|[`⟩]$/g, '');

const ELEMENT_FIELD_OVERWRITE: Rule = {
  id: 'element-field-overwrite',
  why:
    'SurrealDB defines `x[*]` / `x.*` (and a relation table\'s `in`/`out`) itself along with the field it belongs to, so ' +
    'the export\'s own definition of it fails with "The field \'x[*]\' already exists" (2.6.5 and 3.3.5 alike; ' +
    'surrealdb#6297, #6075); it is written as DEFINE FIELD OVERWRITE, which stores the same definition.',
  apply(text) {
    const match = FIELD.exec(text);
    if (!match) return undefined;
    const name = unquote(match[1]!);
    if (!/(\[\*\]|\.\*)$/.test(name) && name !== 'in' && name !== 'out') return undefined;
    return text.replace(/^DEFINE\s+FIELD\s+/i, 'DEFINE FIELD OVERWRITE ');
  },
};

const ID_FIELD: Rule = {
  id: 'drop-id-field',
  why:
    'Pattern defines `DEFINE FIELD id ON TABLE t TYPE record`, which SurrealDB 2 accepts (every id is a record anyway); ' +
    'SurrealDB 3 refuses it: "Cannot use the `record` type on the `id` field, as that\'s not a valid record id key." ' +
    'The ids themselves are unchanged.',
  apply(text) {
    const match = FIELD.exec(text);
    return match && unquote(match[1]!) === 'id' ? null : undefined;
  },
};

const FLEXIBLE_ON_SCHEMALESS: Rule = {
  id: 'flexible-on-schemaless',
  why:
    'SurrealDB 3 refuses FLEXIBLE on a SCHEMALESS table ("FLEXIBLE can only be used in SCHEMAFULL tables"); there ' +
    'every nested key is kept anyway, so dropping the word changes nothing that is stored.',
  apply(text, tables) {
    const match = FIELD.exec(text);
    if (!match || !/\bFLEXIBLE\b/i.test(text)) return undefined;
    if (tables.get(unquote(match[2]!)) === 'schemafull') return undefined;
    return text.replace(/\s+FLEXIBLE\b/i, '');
  },
};

const REDACTED_RECORD_KEY: Rule = {
  id: 'redacted-record-access-key',
  why:
    "SurrealDB 3.3 exports a record access's signing key as KEY '[REDACTED]' and refuses that text on import; the " +
    'clause is left out so the server makes a new key (users of that access sign in again).',
  apply: (text) => withoutRedactedRecordKey(text),
};

const MAX_EXAMPLES = 3;

export class StatementRepairer {
  private readonly tables: TableModes = new Map();
  private readonly applied = new Map<string, AppliedRepair>();

  constructor(private readonly rules: readonly Rule[]) {}

  /** The statement as the target should get it; null when it is left out. */
  repair(statement: Statement): string | null {
    let text: string | null = statement.text;
    const table = /^DEFINE\s+TABLE\s+(?:OVERWRITE\s+|IF\s+NOT\s+EXISTS\s+)?(\S+)/i.exec(text);
    if (table) this.tables.set(unquote(table[1]!), /\bSCHEMAFULL\b/i.test(text) ? 'schemafull' : 'schemaless');
    if (statement.kind !== 'define') return text;
    for (const rule of this.rules) {
      if (text === null) break;
      const repaired: string | null | undefined = rule.apply(text, this.tables);
      if (repaired === undefined || repaired === text) continue;
      this.note(rule, text, repaired);
      text = repaired;
    }
    return text;
  }

  private note(rule: Rule, before: string, after: string | null): void {
    const entry = this.applied.get(rule.id) ?? { id: rule.id, why: rule.why, count: 0, examples: [] };
    entry.count += 1;
    if (entry.examples.length < MAX_EXAMPLES) entry.examples.push({ before, after });
    this.applied.set(rule.id, entry);
  }

  get repairs(): AppliedRepair[] {
    return [...this.applied.values()];
  }
}

/** What `surreal export --v3` of a SurrealDB 2 store still holds that SurrealDB 3 refuses. */
export function upgradeRepairer(): StatementRepairer {
  return new StatementRepairer([ID_FIELD, FLEXIBLE_ON_SCHEMALESS]);
}

/** What any export holds that fails when it is loaded again into an empty database, of either major. */
export function importRepairer(): StatementRepairer {
  return new StatementRepairer([ELEMENT_FIELD_OVERWRITE, REDACTED_RECORD_KEY]);
}

/** One diagnostic per rule that changed something: what, how many, why, and the first statements it changed. */
export function repairDiagnostics(repairs: readonly AppliedRepair[], lead: string): Array<{ level: 'info'; code: string; message: string; evidence: string }> {
  return repairs.map((repair) => ({
    level: 'info' as const,
    code: 'I_REPAIRED',
    message: `${lead} (${repair.id}, ${repair.count} statement${repair.count === 1 ? '' : 's'}): ${repair.why}`,
    evidence: repair.examples.map((e) => `${e.before}\n  → ${e.after ?? '(left out)'}`).join('\n'),
  }));
}
