// The credentials Pattern signs in with, found where Pattern finds them, and where each one came from.
import { lstat, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readEnvVars } from '../core/env-file.js';
import type { CredentialSource } from '../core/options.js';

export interface FoundCredential {
  value: string;
  from: CredentialSource;
}

export interface FoundCredentials {
  username?: FoundCredential;
  password?: FoundCredential;
}

/** The .env Pattern started in `cwd` loads: dotenvy::dotenv() takes the first file named .env in the folder or a parent. */
export async function patternDotenv(cwd: string): Promise<string | undefined> {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, '.env');
    if ((await stat(file).catch(() => null))?.isFile()) return file;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Where SURREAL_USER/SURREAL_PASS are written for Pattern started in `cwd`: the .env it loads, else a new one there. A
 * new ./.env beside a parent's would hide every other line of the parent's (an API key) from Pattern. A .env another
 * user owns (a /tmp/.env anyone could make), or a link of theirs, would hand that user the password: a new ./.env is
 * written instead, which Pattern then loads in its place.
 */
export async function patternDotenvForWriting(cwd: string): Promise<string> {
  const found = await patternDotenv(cwd);
  const own = path.join(path.resolve(cwd), '.env');
  return found && (found === own || (await ownedHere(found, cwd))) ? found : own;
}

/** Whether a file and, for a link, the link itself belong to this user or to the owner of the folder Pattern runs in. */
async function ownedHere(file: string, cwd: string): Promise<boolean> {
  const owners = new Set([process.getuid?.(), (await stat(cwd).catch(() => null))?.uid]);
  const [link, target] = await Promise.all([lstat(file).catch(() => null), stat(file).catch(() => null)]);
  return Boolean(link && target && owners.has(link.uid) && owners.has(target.uid));
}

async function dotenvVars(cwd: string): Promise<Record<string, string>> {
  const file = await patternDotenv(cwd);
  const text = file ? await readFile(file, 'utf8').catch(() => null) : null;
  return text === null ? {} : readEnvVars(text);
}

/**
 * As Pattern resolves them: [database].username/password, else SURREAL_USER/SURREAL_PASS from the environment,
 * else from .env (which never overrides a variable already set). A `username` given on the command line replaces
 * the username, and then only a SURREAL_PASS can go with it, and not one whose SURREAL_USER beside it (in the
 * environment, or in .env) names another user: a .env `--write-env` filled holds Pattern's user's password, not root's.
 */
export async function patternCredentials(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  config?: { username?: string | undefined; password?: string | undefined };
  username?: string;
}): Promise<FoundCredentials> {
  const { env, config = {} } = options;
  const dotenv = await dotenvVars(options.cwd);
  const flagged = options.username !== undefined && options.username !== config.username;
  const anotherUsers = (vars: Record<string, string | undefined>, name: 'SURREAL_USER' | 'SURREAL_PASS') =>
    flagged && name === 'SURREAL_PASS' && Boolean(vars.SURREAL_USER) && vars.SURREAL_USER !== options.username;
  const pick = (configValue: string | undefined, name: 'SURREAL_USER' | 'SURREAL_PASS'): FoundCredential | undefined => {
    if (configValue !== undefined) return { value: configValue, from: 'config' };
    // An empty variable counts as unset, as everywhere else in pattern-db (`SURREAL_PASS= pattern-db …` asks).
    if (env[name] && !anotherUsers(env, name)) return { value: env[name]!, from: 'environment' };
    if (dotenv[name] && !anotherUsers(dotenv, name)) return { value: dotenv[name]!, from: '.env' };
    return undefined;
  };
  const username = options.username !== undefined ? { value: options.username, from: '--username' as const } : pick(config.username, 'SURREAL_USER');
  const password = pick(flagged ? undefined : config.password, 'SURREAL_PASS');
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}
