// Pattern instances sharing one server, as in the guide's multi-tenant section: a namespace or a database each.
import { PatternDbError } from '../core/errors.js';
import { patternUrlFor } from '../core/options.js';
import { tomlString } from '../core/config-rewrite.js';
import { httpBase } from '../surreal/http.js';
import { ident } from '../core/surql-ident.js';
import { countRecords, listDatabases, listNamespaces, listTables, rootClient } from '../surreal/server-catalog.js';

export type Isolation = 'namespace' | 'database';
export const ISOLATIONS: Isolation[] = ['namespace', 'database'];

/** Pattern's own database name inside a tenant namespace, as in the guide's example. */
export const TENANT_DATABASE = 'pattern';

/**
 * What isolation Pattern can really have: it signs in with Root credentials only (reference/pattern-facts.md §1.4),
 * so a tenant's instance holds credentials that reach every other tenant on the server.
 */
export const ROOT_ONLY_NOTE =
  'Pattern signs in at root level only, so each instance needs a root-level user (SURREAL_USER/SURREAL_PASS) that can ' +
  'reach every namespace on the server. Namespace or database users cannot be used by Pattern itself. The namespace or ' +
  'database keeps the instances\' data apart by name, not by permission: for tenants who must not see each other, run a server each.';

export interface ServerAccess {
  url: string;
  username: string;
  password: string;
}

export interface TenantPlan {
  name: string;
  isolation: Isolation;
  namespace: string;
  database: string;
  /** The [database] block for this instance's pattern.toml; never a password. */
  databaseBlock: string;
  /** The ws:// URL Pattern gets. */
  patternUrl: string;
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;

export function assertTenantName(name: string): void {
  if (!NAME.test(name)) {
    throw new PatternDbError('E_USAGE', `${JSON.stringify(name)} is not a usable tenant name.`, {
      fix: 'Use letters, digits, _ and - (up to 64, not starting with -), e.g. tenant_a.',
    });
  }
}

export function databaseBlock(url: string, namespace: string, database: string): string {
  return ['[database]', 'type = "remote"', `url = ${tomlString(url)}`, `namespace = ${tomlString(namespace)}`, `database = ${tomlString(database)}`].join('\n');
}

export function planTenant(server: string, name: string, isolation: Isolation, sharedNamespace: string): TenantPlan {
  assertTenantName(name);
  if (!ISOLATIONS.includes(isolation)) {
    throw new PatternDbError('E_USAGE', `--isolation ${isolation} is not one of ${ISOLATIONS.join(', ')}.`);
  }
  const namespace = isolation === 'namespace' ? name : sharedNamespace;
  const database = isolation === 'namespace' ? TENANT_DATABASE : name;
  const patternUrl = patternUrlFor(httpBase(server));
  return { name, isolation, namespace, database, patternUrl, databaseBlock: databaseBlock(patternUrl, namespace, database) };
}

/** Defines the tenant's namespace (and database). Refuses a tenant that exists already. */
export async function addTenant(access: ServerAccess, plan: TenantPlan): Promise<void> {
  const root = rootClient(access);
  const namespaces = await listNamespaces(root);
  if (plan.isolation === 'namespace' && namespaces.includes(plan.namespace)) {
    throw new PatternDbError('E_ALREADY_EXISTS', `The server already has a namespace ${plan.namespace}; nothing was changed.`, {
      fix: 'Pick another tenant name, or use the existing one as it is (`pattern-db tenant list` shows what it holds).',
    });
  }
  if (plan.isolation === 'database' && namespaces.includes(plan.namespace) && (await listDatabases(root, plan.namespace)).includes(plan.database)) {
    throw new PatternDbError('E_ALREADY_EXISTS', `The namespace ${plan.namespace} already has a database ${plan.database}; nothing was changed.`, {
      fix: 'Pick another tenant name, or use the existing one as it is (`pattern-db tenant list` shows what it holds).',
    });
  }
  const defineNamespace = plan.isolation === 'namespace' ? `DEFINE NAMESPACE ${ident(plan.namespace)};` : `DEFINE NAMESPACE IF NOT EXISTS ${ident(plan.namespace)};`;
  await root.sql(`${defineNamespace} USE NS ${ident(plan.namespace)}; DEFINE DATABASE ${ident(plan.database)};`);
}

export interface TenantDatabase {
  namespace: string;
  database: string;
  tables: number;
  records: number;
}

/** Every namespace/database on the server with its table and record counts. */
export async function listTenants(access: ServerAccess): Promise<{ databases: TenantDatabase[]; emptyNamespaces: string[] }> {
  const root = rootClient(access);
  const databases: TenantDatabase[] = [];
  const emptyNamespaces: string[] = [];
  for (const namespace of await listNamespaces(root)) {
    const names = await listDatabases(root, namespace);
    if (names.length === 0) emptyNamespaces.push(namespace);
    for (const database of names) {
      const tables = await listTables(root, namespace, database);
      const counts = await countRecords(root, namespace, database, tables);
      databases.push({ namespace, database, tables: tables.length, records: Object.values(counts).reduce((a, b) => a + b, 0) });
    }
  }
  return { databases, emptyNamespaces };
}
