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

/** Kinds that describe the server or session, not the data moved. */
const IGNORED_TABLE_KINDS = ['lives', 'tables'];

const hidesAHash = (info: DatabaseInfo) => Object.values(info.definitions.users ?? {}).some(hidesSecrets);

async function exportedUsers(source: SourceStore, sourceInfo: DatabaseInfo, target: SurrealHttp, targetInfo: DatabaseInfo): Promise<ExportedUsers> {
  const exported: ExportedUsers = {};
  if (hidesAHash(targetInfo)) exported.target = await readExportedUsers(target);
  // The embedded engine has no HTTP export; a hash it hid stays "not compared".
  if (hidesAHash(sourceInfo) && source.http) exported.source = await readExportedUsers(source.http);
  return exported;
}

export async function compareAllDefinitions(
  method: VerifyMethod,
  source: SourceStore,
  sourceInfo: DatabaseInfo,
  target: SurrealHttp,
  targetInfo: DatabaseInfo,
): Promise<DefinitionComparer> {
  const comparer = new DefinitionComparer(method.definitions === 'upgrade rules' ? upgradeNormaliser(sourceInfo.definitions.tables ?? {}) : undefined, await exportedUsers(source, sourceInfo, target, targetInfo));
  comparer.compare(sourceInfo.definitions, targetInfo.definitions as Definitions, '');
  for (const table of sourceInfo.tables) {
    if (!(table in targetInfo.tableDefinitions)) continue;
    comparer.compare(sourceInfo.tableDefinitions[table] ?? {}, targetInfo.tableDefinitions[table] ?? {}, table, IGNORED_TABLE_KINDS);
  }
  return comparer;
}
