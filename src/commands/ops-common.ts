// What the day-to-day commands (backup, restore, tenant, user) share: where the database is, and whose credentials.
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import type { PatternDatabaseConfig } from '../core/config-model.js';
import { loadPatternConfig, locateConfig, resolveStorePath } from '../files/config-files.js';
import { lookupCredentials, resolvePassword } from './credentials.js';
import { assertTargetUrl } from './run-options.js';
import type { CommandContext } from './command-runner.js';

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

async function configuredDatabase(flags: OpsFlags, cwd: string, env: NodeJS.ProcessEnv, required: boolean): Promise<LoadedDatabase> {
  const located = await locateConfig(flags.config, { cwd, env, home: env.HOME ?? '' });
  if (!located) {
    if (!required) return {};
    throw new PatternDbError('E_CONFIG_NOT_FOUND', 'No Pattern config file was found, and no database was named.', {
      fix: 'Pass --target URL for a server, --source DIR for an embedded store, or --config FILE.',
    });
  }
  const config = await loadPatternConfig(located.path);
  return { configPath: config.path, database: config.database };
}

export interface ServerAccess {
  url: string;
  username: string;
  password: string;
  namespace: string;
  database: string;
  configPath?: string;
}

/** The credentials Pattern would use (config, environment, .env), --username in front; a missing password is asked for. */
async function credentials(flags: OpsFlags, ctx: CommandContext, env: NodeJS.ProcessEnv, database?: PatternDatabaseConfig): Promise<{ username: string; password: string }> {
  const found = await lookupCredentials({ cwd: ctx.cwd, env, ...(database ? { database } : {}), ...(flags.username ? { username: flags.username } : {}) });
  return { username: found.username, password: found.password ?? (await resolvePassword(env, ctx.prompter, found.username)) };
}

/**
 * The server to work on: --target, else the config's remote [database]. Without `withCredentials` (e.g. to only
 * describe a scheduled run) the username and password stay empty and nothing is asked.
 */
export async function resolveServer(flags: OpsFlags, ctx: CommandContext, env: NodeJS.ProcessEnv = ctx.io.env, withCredentials = true): Promise<ServerAccess> {
  assertTargetUrl(flags.target);
  const loaded = flags.target && !flags.config ? {} : await configuredDatabase(flags, ctx.cwd, env, !flags.target);
  const remote = loaded.database?.type === 'remote' ? loaded.database : undefined;
  const url = flags.target ?? remote?.url;
  if (!url) {
    throw new PatternDbError('E_USAGE', `${loaded.configPath ?? 'The config'} points Pattern at an embedded store, not a server.`, {
      fix: 'Pass --target URL (e.g. http://127.0.0.1:8000) for the server.',
    });
  }
  return {
    url,
    ...(withCredentials ? await credentials(flags, ctx, env, loaded.database) : { username: '', password: '' }),
    namespace: flags.namespace ?? remote?.namespace ?? 'pattern',
    database: flags.database ?? remote?.database ?? 'pattern',
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
  const loaded = await configuredDatabase(flags, ctx.cwd, env, true);
  if (loaded.database?.type === 'remote') return { kind: 'remote', ...(await resolveServer(flags, ctx, env, withCredentials)) };
  const storePath = loaded.database ? resolveStorePath(loaded.database, ctx.cwd) : null;
  if (!storePath) {
    throw new PatternDbError('E_CONFIG_INVALID', `${loaded.configPath} uses an in-memory database (path = ""): nothing is stored to back up.`, {
      fix: 'Pass --source DIR or --target URL.',
    });
  }
  return { kind: 'embedded', storePath, namespace, database, ...(loaded.configPath ? { configPath: loaded.configPath } : {}) };
}

export function stateDirOf(flags: OpsFlags, cwd: string): string {
  return path.resolve(cwd, flags.stateDir ?? '.pattern-db');
}

export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
