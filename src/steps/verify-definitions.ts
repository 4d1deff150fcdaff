// The definitions of both sides (INFO FOR DB and INFO FOR TABLE), compared as text or after the 2→3 rules, with
// the users' hashes a server hides in INFO read from its export instead.
import { DefinitionComparer, type Definitions, type ExportedUsers } from '../core/definition-compare.js';
import { hidesSecrets } from '../core/definition-secrets.js';
import { upgradeNormaliser } from '../core/definition-upgrade.js';
import type { VerifyMethod } from '../core/verify-report.js';
import type { DatabaseInfo } from '../surreal/embedded-protocol.js';
import { readExportedUsers } from '../surreal/exported-users.js';
import type { SurrealHttp } from '../surreal/http.js';
import type { SourceStore } from '../surreal/source-store.js';
import { errorText } from '../core/error-text.js';

/** Kinds that describe the server or session, not the data moved. */
const IGNORED_TABLE_KINDS = ['lives', 'tables'];

const hidesAHash = (info: DatabaseInfo) => Object.values(info.definitions.users ?? {}).some(hidesSecrets);

/** A side's exported users, or undefined (and a warning) when its export cannot be read: its hashes stay "not compared". */
async function usersOf(http: SurrealHttp, side: string, warn: (message: string) => void): Promise<Map<string, string> | undefined> {
  try {
    return await readExportedUsers(http);
  } catch (error) {
    warn(`The ${side}'s export could not be read to compare the password hashes its INFO hides: ${errorText(error)}`);
    return undefined;
  }
}

async function exportedUsers(source: SourceStore, sourceInfo: DatabaseInfo, target: SurrealHttp, targetInfo: DatabaseInfo, warn: (message: string) => void): Promise<ExportedUsers> {
  const exported: ExportedUsers = {};
  if (hidesAHash(targetInfo)) {
    const users = await usersOf(target, 'target', warn);
    if (users) exported.target = users;
  }
  // The embedded engine has no HTTP export; a hash it hid stays "not compared".
  if (hidesAHash(sourceInfo) && source.http) {
    const users = await usersOf(source.http, 'source', warn);
    if (users) exported.source = users;
  }
  return exported;
}

export async function compareAllDefinitions(
  method: VerifyMethod,
  source: SourceStore,
  sourceInfo: DatabaseInfo,
  target: SurrealHttp,
  targetInfo: DatabaseInfo,
  warn: (message: string) => void,
): Promise<DefinitionComparer> {
  const normaliser = method.definitions === 'upgrade rules' ? upgradeNormaliser(sourceInfo.definitions.tables ?? {}) : undefined;
  const comparer = new DefinitionComparer(normaliser, await exportedUsers(source, sourceInfo, target, targetInfo, warn));
  comparer.compare(sourceInfo.definitions, targetInfo.definitions as Definitions, '');
  for (const table of sourceInfo.tables) {
    if (!(table in targetInfo.tableDefinitions)) continue;
    comparer.compare(sourceInfo.tableDefinitions[table] ?? {}, targetInfo.tableDefinitions[table] ?? {}, table, IGNORED_TABLE_KINDS);
  }
  return comparer;
}
