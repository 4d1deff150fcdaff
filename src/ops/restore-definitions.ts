// After a restore: the definitions the archive holds against what the server now reports (INFO FOR DB and INFO FOR
// TABLE), through the migration's own comparer, users' hashes that INFO hides read from the server's export.
import { DefinitionComparer, type Definitions, type DefinitionNormaliser } from '../core/definition-compare.js';
import { definedUsers, hidesSecrets } from '../core/definition-secrets.js';
import type { DatabaseInfo } from '../surreal/embedded-protocol.js';
import { readExportedUsers } from '../surreal/exported-users.js';
import type { SurrealHttp } from '../surreal/http.js';
import { readDatabaseInfo } from '../surreal/server-catalog.js';
import { errorText } from '../core/error-text.js';

/** Definitions as INFO groups them: database-level kinds, and per table its fields, indexes and events. */
export interface GroupedDefinitions {
  database: Definitions;
  tables: Record<string, Definitions>;
}

// DEFINE <word> → the INFO FOR DB key it is listed under.
const DATABASE_KINDS: Record<string, string> = {
  TABLE: 'tables',
  ANALYZER: 'analyzers',
  FUNCTION: 'functions',
  PARAM: 'params',
  USER: 'users',
  ACCESS: 'accesses',
  SEQUENCE: 'sequences',
};
const TABLE_KINDS: Record<string, string> = { FIELD: 'fields', INDEX: 'indexes', EVENT: 'events' };
/** INFO FOR TABLE keys that describe the session or views, not what a restore loads. */
const IGNORED_TABLE_KINDS = ['lives', 'tables'];

/** Words of a statement's head, `…` and ⟨…⟩ kept whole. */
function words(text: string, max: number): string[] {
  return (text.slice(0, 2048).match(/`(?:[^`\\]|\\.)*`|⟨(?:[^⟩\\]|\\.)*⟩|[^\s(]+/g) ?? []).slice(0, max);
}

function unquoted(word: string): string {
  return /^[`⟨]/.test(word) ? word.slice(1, -1).replace(/\\(.)/g, '$1') : word;
}

/** The exported text as INFO shows it: the export's OVERWRITE / IF NOT EXISTS and the ';' are not part of a definition. */
function asInfoText(text: string): string {
  return text
    .trim()
    .replace(/;$/, '')
    .replace(/^(DEFINE\s+\w+)\s+(?:OVERWRITE|IF\s+NOT\s+EXISTS)\s+/i, '$1 ');
}

const sameAsInfo: DefinitionNormaliser = {
  // SurrealDB 3 keys a field by its bare name where its definition (and 2.x's key) escapes it: `value`.
  name: (_kind, name) => unquoted(name),
  source: (_kind, text) => ({ text: asInfoText(text), rules: [] }),
  target: (_kind, text) => ({ text: asInfoText(text), rules: [] }),
};

/** The archive's DEFINE statements grouped as INFO groups them; kinds not listed above are left out. */
export function groupDefinitions(statements: readonly string[]): GroupedDefinitions {
  const grouped: GroupedDefinitions = { database: {}, tables: {} };
  for (const statement of statements) {
    const text = asInfoText(statement);
    const [, what = '', rawName = '', on, ...rest] = words(text, 6);
    const word = what.toUpperCase();
    if (Object.hasOwn(DATABASE_KINDS, word)) {
      const name = word === 'FUNCTION' ? rawName.replace(/^fn::/i, '') : word === 'PARAM' ? rawName.replace(/^\$/, '') : unquoted(rawName);
      (grouped.database[DATABASE_KINDS[word]!] ??= {})[name] = text;
    } else if (Object.hasOwn(TABLE_KINDS, word) && on?.toUpperCase() === 'ON') {
      const table = unquoted(rest[0]?.toUpperCase() === 'TABLE' ? rest[1] ?? '' : rest[0] ?? '');
      const definitions = (grouped.tables[table] ??= {});
      (definitions[TABLE_KINDS[word]!] ??= {})[unquoted(rawName)] = text;
    }
  }
  return grouped;
}

/** INFO's view of the same kinds, so a kind the archive cannot hold (apis, models, …) is not reported as extra. */
function comparable(info: DatabaseInfo): GroupedDefinitions {
  const kinds = new Set(Object.values(DATABASE_KINDS));
  return {
    database: Object.fromEntries(Object.entries(info.definitions).filter(([kind]) => kinds.has(kind))),
    tables: info.tableDefinitions,
  };
}

/** Compares the archive's definitions with the restored database's; `warn` hears about hashes that could not be read. */
export async function compareRestoredDefinitions(archive: readonly string[], target: SurrealHttp, warn: (message: string) => void): Promise<DefinitionComparer> {
  const source = groupDefinitions(archive);
  const info = await readDatabaseInfo(target);
  const restored = comparable(info);
  const exported: { source: Map<string, string>; target?: Map<string, string> } = { source: definedUsers(archive.join('\n')) };
  if (Object.values(info.definitions.users ?? {}).some(hidesSecrets)) {
    try {
      exported.target = await readExportedUsers(target);
    } catch (error) {
      warn(`The restored database's export could not be read to compare the password hashes its INFO hides: ${errorText(error)}`);
    }
  }
  const comparer = new DefinitionComparer(sameAsInfo, exported);
  comparer.compare(source.database, restored.database, '');
  for (const table of new Set([...Object.keys(source.tables), ...Object.keys(source.database.tables ?? {}), ...info.tables])) {
    comparer.compare(source.tables[table] ?? {}, restored.tables[table] ?? {}, table, IGNORED_TABLE_KINDS);
  }
  return comparer;
}
