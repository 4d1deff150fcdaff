// Where the database a command works on is, and who signs in to it: the flags first, then the config's [database],
// then Pattern's defaults; the credentials from Pattern's own places. Every command and the doctor ask here.
import type { PatternDatabaseConfig } from '../core/config-model.js';
import { PatternDbError } from '../core/errors.js';
import { DEFAULTS } from '../core/options.js';
import { configSearchPaths, loadPatternConfig, locateConfig, resolveStorePath, type LoadedConfig } from './config-files.js';
import { patternCredentials, type FoundCredentials } from './pattern-credentials.js';

export interface TargetRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --target, --namespace, --database, --username. */
  target?: string | undefined;
  namespace?: string | undefined;
  database?: string | undefined;
  username?: string | undefined;
}

export interface ServerTarget {
  url: string;
  namespace: string;
  database: string;
  /** Each with where it came from; either may be missing (then it is asked for, or reported). */
  credentials: FoundCredentials;
}

/** The config --config names, else the one Pattern finds; none is refused, saying where it looked and what to pass instead. */
export async function requireConfig(configFlag: string | undefined, request: TargetRequest, unnamed: string, fix: string): Promise<LoadedConfig> {
  const search = { cwd: request.cwd, env: request.env, home: request.env.HOME ?? '' };
  const located = await locateConfig(configFlag, search);
  if (!located) {
    throw new PatternDbError('E_CONFIG_NOT_FOUND', `No Pattern config file was found, and no ${unnamed} was given.`, {
      evidence: `looked in: ${configSearchPaths(search).join(', ')}`,
      fix,
    });
  }
  return loadPatternConfig(located.path);
}

/** Who Pattern would sign in as to the server `database` names (a remote config's own come first), --username in front. */
export function findCredentials(request: TargetRequest, database?: PatternDatabaseConfig): Promise<FoundCredentials> {
  const remote = database?.type === 'remote' ? database : undefined;
  return patternCredentials({ cwd: request.cwd, env: request.env, ...(remote ? { config: remote } : {}), ...(request.username ? { username: request.username } : {}) });
}

/** The server: --target, else the remote [database]'s url; undefined when neither names one. */
export async function findServer(request: TargetRequest, database?: PatternDatabaseConfig): Promise<ServerTarget | undefined> {
  const remote = database?.type === 'remote' ? database : undefined;
  const url = request.target ?? remote?.url;
  if (!url) return undefined;
  return {
    url,
    namespace: request.namespace ?? remote?.namespace ?? DEFAULTS.namespace,
    database: request.database ?? remote?.database ?? DEFAULTS.database,
    credentials: await findCredentials(request, database),
  };
}

/** The folder an embedded [database] names; `path = ""` is an in-memory database, which keeps nothing on disk for `nothingTo`. */
export function configuredStorePath(config: { path: string; database: PatternDatabaseConfig }, cwd: string, nothingTo: string, fix: string, home?: string): string {
  const storePath = resolveStorePath(config.database, cwd, ...(home ? [home] : []));
  if (storePath === null) throw new PatternDbError('E_CONFIG_INVALID', `${config.path} uses an in-memory database (path = ""): ${nothingTo}.`, { fix });
  return storePath;
}
