// Reading INFO FOR … answers as definitions: index kinds, table definitions, database definitions with secrets hidden.
import { hideSecrets } from './definition-secrets.js';
import type { DatabaseDefinitions, Definition, IndexKind, TableDefinition } from './inspect-types.js';

/** Tokens of a definition, with quoted parts kept whole. */
function tokens(text: string): string[] {
  return text.match(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`|⟨[^⟩]*⟩|[^\s,]+|,/g) ?? [];
}

/**
 * The kind of a DEFINE INDEX, read from the word after its field list (so a field named `search` or `unique` is
 * not mistaken for the kind): FULLTEXT/SEARCH → full-text, HNSW, MTREE, UNIQUE, COUNT, else a plain index.
 */
export function classifyIndex(definition: string): IndexKind {
  const words = tokens(definition);
  let i = words.findIndex((w) => /^(FIELDS|COLUMNS)$/i.test(w));
  if (i < 0) return words.some((w) => /^COUNT$/i.test(w)) ? 'count' : 'plain';
  i += 2; // the keyword and the first field
  while (words[i] === ',') i += 2;
  switch (words[i]?.toUpperCase()) {
    case 'FULLTEXT':
    case 'SEARCH':
      return 'full-text';
    case 'HNSW':
      return 'hnsw';
    case 'MTREE':
      return 'mtree';
    case 'UNIQUE':
      return 'unique';
    case 'COUNT':
      return 'count';
    default:
      return 'plain';
  }
}

export const INDEX_KIND_LABEL: Record<IndexKind, string> = {
  'full-text': 'full-text',
  hnsw: 'vector (HNSW)',
  mtree: 'vector (M-tree)',
  unique: 'unique',
  count: 'count',
  plain: 'index',
};

type InfoObject = Record<string, unknown>;

function section(info: InfoObject | undefined, key: string): Record<string, string> {
  const value = info?.[key];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** Names of one kind in an INFO answer, sorted. */
export function namesIn(info: InfoObject | undefined, key: string): string[] {
  return Object.keys(section(info, key)).sort((a, b) => a.localeCompare(b));
}

function definitions(info: InfoObject | undefined, key: string): Definition[] {
  const entries = section(info, key);
  return Object.keys(entries)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => ({ name, text: hideSecrets(entries[name]!) }));
}

/** Database kinds shown first, in this order; any other non-empty kind follows (tables are the tree's business). */
export const DATABASE_DEFINITION_KINDS = ['analyzers', 'functions', 'params', 'users', 'accesses', 'sequences'] as const;

export function databaseDefinitionsFrom(dbInfo: InfoObject | undefined): DatabaseDefinitions {
  const result: DatabaseDefinitions = {};
  for (const kind of DATABASE_DEFINITION_KINDS) result[kind] = definitions(dbInfo, kind);
  for (const kind of Object.keys(dbInfo ?? {}).sort()) {
    if (kind === 'tables' || kind in result) continue;
    const defs = definitions(dbInfo, kind);
    if (defs.length) result[kind] = defs;
  }
  return result;
}

/** The PERMISSIONS clause of a DEFINE TABLE (up to a COMMENT), or '' when absent. */
function permissionsOf(tableText: string): string {
  const match = /\bPERMISSIONS\s+([\s\S]*?)(?:\s+COMMENT\s+'(?:[^'\\]|\\.)*')?\s*;?\s*$/i.exec(tableText);
  return match?.[1]?.trim() ?? '';
}

function typeOf(tableText: string): string {
  const match = /\bTYPE\s+(ANY|NORMAL|RELATION(?:\s+(?:IN|FROM)\s+[^\s]+(?:\s*\|\s*[^\s]+)*)?(?:\s+(?:OUT|TO)\s+[^\s]+(?:\s*\|\s*[^\s]+)*)?(?:\s+ENFORCED)?)/i.exec(tableText);
  return match?.[1]?.replace(/\s+/g, ' ') ?? (tableText ? 'ANY' : 'implicit');
}

export function tableDefinitionFrom(table: string, dbInfo: InfoObject | undefined, tableInfo: InfoObject | undefined): TableDefinition {
  const text = hideSecrets(section(dbInfo, 'tables')[table] ?? '');
  return {
    table,
    text,
    schema: /\bSCHEMAFULL\b/i.test(text) ? 'schemafull' : /\bSCHEMALESS\b/i.test(text) ? 'schemaless' : 'unknown',
    type: typeOf(text),
    permissions: permissionsOf(text),
    fields: definitions(tableInfo, 'fields'),
    indexes: definitions(tableInfo, 'indexes').map((d) => ({ ...d, kind: classifyIndex(d.text) })),
    events: definitions(tableInfo, 'events'),
  };
}
