// The documented SurrealDB 2→3 rewrites, as named rules that bring a 2.x definition (as 2.6.5's INFO prints it) and
// its upgraded 3.x form (as 3.3.5's INFO prints it) to one text. Found by defining Pattern's schema (and more) on
// 2.6.5, `surreal export --v3`, importing into 3.3.5 and diffing INFO FOR DB / INFO FOR TABLE. A rule only ever
// rewrites how a thing is written, never what it means: a real change (a lost DROP, a select permission that became
// NONE, a missing index) stays a difference.
import type { DefinitionNormaliser, Normalised } from './definition-compare.js';

export interface UpgradeRule {
  name: string;
  /** Which side's text it rewrites. */
  side: 'source' | 'target' | 'both';
  kinds?: readonly string[];
  /** The rewritten text; null: the upgrade removes this definition (it has no counterpart on the target). */
  apply(text: string, context: RuleContext): string | null;
}

export interface RuleContext {
  /** The table a table-level definition belongs to ('' at database level). */
  scope: string;
  /** Whether that table is SCHEMALESS on the source. */
  schemaless: boolean;
}

const CLAUSE_AFTER_TYPE = '(?= (?:DEFAULT|VALUE|ASSERT|READONLY|PERMISSIONS|COMMENT|REFERENCE|COMPUTED)\\b|$)';

/** `option<T>` as `none | T`, however deeply nested (`array<option<int>>`). */
function optionAsUnion(text: string): string {
  let out = text;
  for (let at = out.indexOf('option<'); at >= 0; at = out.indexOf('option<')) {
    let depth = 0;
    let end = at + 'option<'.length;
    for (; end < out.length; end += 1) {
      if (out[end] === '<') depth += 1;
      else if (out[end] === '>') {
        if (depth === 0) break;
        depth -= 1;
      }
    }
    if (end >= out.length) return out;
    out = `${out.slice(0, at)}none | ${out.slice(at + 'option<'.length, end)}${out.slice(end + 1)}`;
  }
  return out;
}

const ACTIONS = ['select', 'create', 'update', 'delete'] as const;

/** A PERMISSIONS clause grouped the same way whatever the grouping it was printed with. */
function canonicalPermissions(text: string): string {
  const m = /(^| )PERMISSIONS (FOR .*)$/.exec(text);
  if (!m) return text;
  const rules = new Map<string, string>();
  for (const group of m[2]!.split(/, (?=FOR )/)) {
    const g = /^FOR ((?:select|create|update|delete)(?:, (?:select|create|update|delete))*) (.*)$/.exec(group);
    if (!g) return text;
    for (const action of g[1]!.split(', ')) rules.set(action, g[2]!);
  }
  const byRule = new Map<string, string[]>();
  for (const action of ACTIONS) {
    const rule = rules.get(action);
    if (rule !== undefined) byRule.set(rule, [...(byRule.get(rule) ?? []), action]);
  }
  const clause = [...byRule].map(([rule, actions]) => `FOR ${actions.join(', ')} ${rule}`).join(', ');
  return `${text.slice(0, m.index + m[1]!.length)}PERMISSIONS ${clause}`;
}

const FUNCTION_RENAMES: Array<[RegExp, string]> = [
  [/\b(type|string|time|geo)::is::(\w+)(?=\s*\()/g, '$1::is_$2'],
  [/\b(duration|time)::from::(\w+)(?=\s*\()/g, '$1::from_$2'],
  [/\btype::thing(?=\s*\()/g, 'type::record'],
  [/\bstring::distance::osa_distance(?=\s*\()/g, 'string::distance::osa'],
  [/\brand::guid(?=\s*\()/g, 'rand::id'],
];

export const UPGRADE_RULES: readonly UpgradeRule[] = [
  {
    name: '`DEFINE FIELD id … TYPE record` is dropped by the upgrade (3.x reads a type on id as the type of the record key)',
    side: 'source',
    kinds: ['fields'],
    apply: (text) => (/^DEFINE FIELD id ON (?:TABLE )?\S+ TYPE (?:record|none \| record)(?:<[^>]*>)?(?: PERMISSIONS FULL)?$/.test(text) ? null : text),
  },
  {
    name: 'FLEXIBLE is dropped on a SCHEMALESS table (3.x allows it only on SCHEMAFULL tables)',
    side: 'source',
    kinds: ['fields'],
    apply: (text, context) => (context.schemaless ? text.replace(/ FLEXIBLE(?= TYPE )/, '') : text),
  },
  {
    name: 'FLEXIBLE is written after the type in 3.x (`TYPE object FLEXIBLE`)',
    side: 'source',
    kinds: ['fields'],
    apply: (text, context) => (context.schemaless ? text : text.replace(new RegExp(` FLEXIBLE TYPE (.+?)${CLAUSE_AFTER_TYPE}`), ' TYPE $1 FLEXIBLE')),
  },
  {
    name: 'option<T> is printed `none | T` in 3.x',
    side: 'source',
    apply: optionAsUnion,
  },
  {
    name: 'array item fields are named `x.*` in 3.x (2.x: `x[*]`)',
    side: 'source',
    kinds: ['fields'],
    apply: (text) => text.replace(/^DEFINE FIELD (\S+)/, (_, name: string) => `DEFINE FIELD ${name.replace(/\[\*\]/g, '.*')}`),
  },
  {
    name: 'SEARCH ANALYZER indexes are FULLTEXT ANALYZER in 3.x, without the 2.x B-tree order and cache settings',
    side: 'source',
    kinds: ['indexes'],
    apply: (text) =>
      text
        .replace(' SEARCH ANALYZER ', ' FULLTEXT ANALYZER ')
        .replace(/ DOC_IDS_ORDER \d+ DOC_LENGTHS_ORDER \d+ POSTINGS_ORDER \d+ TERMS_ORDER \d+ DOC_IDS_CACHE \d+ DOC_LENGTHS_CACHE \d+ POSTINGS_CACHE \d+ TERMS_CACHE \d+/, ''),
  },
  {
    name: '`VALUE <future> { … }` fields are COMPUTED in 3.x',
    side: 'source',
    kinds: ['fields'],
    apply: (text) => text.replace(' VALUE <future> ', ' COMPUTED '),
  },
  {
    name: 'functions renamed in 3.x (type::is::x → type::is_x, duration::from::x → duration::from_x, type::thing → type::record, rand::guid → rand::id, …)',
    side: 'source',
    apply: (text) => FUNCTION_RENAMES.reduce((out, [pattern, to]) => out.replace(pattern, to), text),
  },
  {
    name: '3.x escapes `rand` and `value` in function paths (`` `rand`::id() ``)',
    side: 'target',
    apply: (text) => text.replace(/`(rand|value)`(?=::|\()/g, '$1'),
  },
  {
    name: 'a block\'s last statement has no semicolon in 3.x',
    side: 'source',
    kinds: ['functions', 'events', 'fields', 'params', 'accesses'],
    apply: (text) => text.replace(/;\s*\}/g, ' }'),
  },
  {
    name: 'analyzer filters are separated by ", " in 3.x',
    side: 'source',
    kinds: ['analyzers'],
    apply: (text) => text.replace(/ FILTERS (.*)$/, (_, list: string) => ` FILTERS ${list.split(/,\s*(?![^(]*\))/).join(', ')}`),
  },
  {
    name: 'PERMISSIONS grouped per action (3.x groups actions with the same rule differently)',
    side: 'both',
    apply: canonicalPermissions,
  },
];

/** The normaliser for comparing a 2.x source with its upgraded 3.x target; `sourceTables` is the source's INFO FOR DB tables. */
export function upgradeNormaliser(sourceTables: Record<string, string>): DefinitionNormaliser {
  const schemaless = (scope: string) => / SCHEMALESS\b/.test(sourceTables[scope] ?? '');
  const run = (side: 'source' | 'target', kind: string, text: string, scope: string): Normalised => {
    const context = { scope, schemaless: schemaless(scope) };
    const rules: string[] = [];
    let current: string | null = text;
    for (const rule of UPGRADE_RULES) {
      if (current === null) break;
      if (rule.side !== side && rule.side !== 'both') continue;
      if (rule.kinds && !rule.kinds.includes(kind)) continue;
      const next: string | null = rule.apply(current, context);
      if (next !== current) rules.push(rule.name);
      current = next;
    }
    return { text: current, rules };
  };
  return {
    nameRule: 'fields are matched by their name as 3.x keys INFO FOR TABLE (2.x keys `value` with backticks and x[*])',
    name: (kind, name) => (kind === 'fields' ? name.replace(/`/g, '').replace(/\[\*\]/g, '.*') : name),
    source: (kind, text, scope) => run('source', kind, text, scope),
    target: (kind, text, scope) => run('target', kind, text, scope),
  };
}
