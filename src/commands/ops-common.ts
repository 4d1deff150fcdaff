// What the day-to-day commands (backup, restore, tenant, user) share: where the database is, and whose credentials.
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import type { PatternDatabaseConfig } from '../core/config-model.js';
import { configuredStorePath, findServer, requireConfig } from '../files/database-target.js';
import type { CredentialSource } from '../core/options.js';
import { resolvePassword, withDefaultUser } from './credentials.js';
import { assertTargetUrl } from './run-options.js';
import type { CommandContext } from './command-runner.js';
import { DEFAULTS } from '../core/options.js';

export interface OpsFlags {
  config?: string;
  source?: string;
  target?: string;
  username?: string;
  namespace?: string;
  database?: string;
  stateDir?: string;
  yes?: boolean;
  json?: boolean;
  verbose?: boolean;
}

interface LoadedDatabase {
  configPath?: string;
  database?: PatternDatabaseConfig;
}

async function configuredDatabase(flags: OpsFlags, cwd: string, env: NodeJS.ProcessEnv): Promise<LoadedDatabase> {
  const config = await requireConfig(flags.config, { cwd, env }, 'database', 'Pass --target URL for a server, --source DIR for an embedded store, or --config FILE.');
  return { configPath: config.path, database: config.database };
}

export interface ServerAccess {
  url: string;
  username: string;
  /** Where the username came from; missing when it is Pattern's default (root). */
  usernameSource?: CredentialSource;
  password: string;
  namespace: string;
  database: string;
  configPath?: string;
}

/**
 * The server to work on: --target, else the config's remote [database]. Without `withCredentials` (e.g. to only
 * describe a scheduled run) the username and password stay empty and nothing is asked.
 */
export async function resolveServer(flags: OpsFlags, ctx: CommandContext, env: NodeJS.ProcessEnv = ctx.io.env, withCredentials = true): Promise<ServerAccess> {
  assertTargetUrl(flags.target);
  // With --target, a config is read only when --config names one (for its namespace, database and credentials).
  const loaded = flags.target && !flags.config ? {} : await configuredDatabase(flags, ctx.cwd, env);
  const server = await findServer({ ...flags, cwd: ctx.cwd, env }, loaded.database);
  if (!server) {
    throw new PatternDbError('E_USAGE', `${loaded.configPath ?? 'The config'} points Pattern at an embedded store, not a server.`, {
      fix: 'Pass --target URL (e.g. http://127.0.0.1:8000) for the server.',
    });
  }
  const { username, password } = withDefaultUser(server.credentials);
  return {
    url: server.url,
    ...(withCredentials ? { username, password: password ?? (await resolvePassword(env, ctx.prompter, username)) } : { username: '', password: '' }),
    ...(withCredentials && server.credentials.username ? { usernameSource: server.credentials.username.from } : {}),
    namespace: server.namespace,
    database: server.database,
    ...(loaded.configPath ? { configPath: loaded.configPath } : {}),
  };
}

export type DatabaseLocation = ({ kind: 'remote' } & ServerAccess) | { kind: 'embedded'; storePath: string; namespace: string; database: string; configPath?: string };

/** The configured database, embedded or remote: --target, else --source, else what the config says. */
export async function resolveDatabase(flags: OpsFlags, ctx: CommandContext, env: NodeJS.ProcessEnv = ctx.io.env, withCredentials = true): Promise<DatabaseLocation> {
  assertTargetUrl(flags.target);
  if (flags.target && flags.source) {
    throw new PatternDbError('E_USAGE', '--target and --source exclude each other.', { fix: 'Name either the server (--target URL) or the store folder (--source DIR).' });
  }
  if (flags.target) return { kind: 'remote', ...(await resolveServer(flags, ctx, env, withCredentials)) };
  const namespace = flags.namespace ?? 'pattern';
  const database = flags.database ?? 'pattern';
  if (flags.source) return { kind: 'embedded', storePath: path.resolve(ctx.cwd, flags.source), namespace, database };
  const loaded = await configuredDatabase(flags, ctx.cwd, env);
  if (loaded.database?.type === 'remote') return { kind: 'remote', ...(await resolveServer(flags, ctx, env, withCredentials)) };
  const storePath = configuredStorePath({ path: loaded.configPath!, database: loaded.database! }, ctx.cwd, 'nothing is stored to back up', 'Pass --source DIR or --target URL.');
  return { kind: 'embedded', storePath, namespace, database, ...(loaded.configPath ? { configPath: loaded.configPath } : {}) };
}

export function stateDirOf(flags: OpsFlags, cwd: string): string {
  return path.resolve(cwd, flags.stateDir ?? DEFAULTS.stateDir);
}
