// The database users as the server's own export writes them: SurrealDB 3.3.5 hides password hashes in INFO FOR DB
// but still exports the real PASSHASH (to a user allowed to view the database), so a hash can be proven there.
import { definedUsers } from '../core/definition-secrets.js';
import type { SurrealHttp } from './http.js';

/** Only the users section; 3.x-only keys are ignored by 2.x. */
const USERS_ONLY = {
  database_definition: false,
  users: true,
  accesses: false,
  params: false,
  functions: false,
  analyzers: false,
  apis: false,
  buckets: false,
  modules: false,
  configs: false,
  sequences: false,
  tables: false,
  versions: false,
  records: false,
};

/** User name → its `DEFINE USER … ON DATABASE …` statement, as exported. */
export async function readExportedUsers(http: SurrealHttp, signal?: AbortSignal): Promise<Map<string, string>> {
  return definedUsers(await http.exportText(USERS_ONLY, signal ? { signal } : {}));
}
