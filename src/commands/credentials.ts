// One credential lookup for every command: Pattern's own order (config, environment, .env), --username in front.
import type { PatternDatabaseConfig } from '../core/config-model.js';
import { PatternDbError } from '../core/errors.js';
import { DEFAULTS, type CredentialSource } from '../core/options.js';
import { loadPatternConfig, locateConfig } from '../files/config-files.js';
import { findCredentials } from '../files/database-target.js';
import { patternDotenv, type FoundCredentials } from '../files/pattern-credentials.js';
import type { Prompter } from '../steps/prompter.js';

export interface LookedUpCredentials {
  username: string;
  /** Missing when none of Pattern's places has one: then it is asked for, or the run stops without a terminal. */
  password?: string;
  usernameFrom: CredentialSource;
  passwordFrom?: CredentialSource;
}

/** The credentials Pattern would sign in with to the server `database` names (a remote config's own come first). */
export async function lookupCredentials(input: { cwd: string; env: NodeJS.ProcessEnv; database?: PatternDatabaseConfig; username?: string }): Promise<LookedUpCredentials> {
  return withDefaultUser(await findCredentials({ cwd: input.cwd, env: input.env, username: input.username }, input.database));
}

/** The values alone, the username defaulting to Pattern's (root). */
export function withDefaultUser(found: FoundCredentials): LookedUpCredentials {
  return {
    username: found.username?.value ?? DEFAULTS.username,
    usernameFrom: found.username?.from ?? 'default',
    ...(found.password ? { password: found.password.value, passwordFrom: found.password.from } : {}),
  };
}

/**
 * The same lookup for a command that finds the config itself (migrate and its steps, the wizard). A config that does
 * not load adds no credentials here: the preflight reports why it does not load.
 */
export async function lookupRunCredentials(input: { cwd: string; env: NodeJS.ProcessEnv; configPath?: string; username?: string }): Promise<LookedUpCredentials> {
  const located = await locateConfig(input.configPath, { cwd: input.cwd, env: input.env, home: input.env.HOME ?? '' }).catch(() => null);
  const database = located ? (await loadPatternConfig(located.path).catch(() => null))?.database : undefined;
  return lookupCredentials({ cwd: input.cwd, env: input.env, ...(database ? { database } : {}), ...(input.username ? { username: input.username } : {}) });
}

/** A password none of Pattern's places holds is asked for on a terminal, never read from the command line (ps shows it). */
export async function resolvePassword(env: NodeJS.ProcessEnv, prompter: Prompter, username: string): Promise<string> {
  return (await resolvePasswordFrom(env, prompter, username)).password;
}

/** The same, with where the password came from. */
export async function resolvePasswordFrom(env: NodeJS.ProcessEnv, prompter: Prompter, username: string): Promise<{ password: string; from: CredentialSource }> {
  const fromEnv = env.SURREAL_PASS;
  if (fromEnv) return { password: fromEnv, from: 'environment' };
  if (!prompter.interactive) {
    throw new PatternDbError('E_NEEDS_INPUT', `The server password for "${username}" is needed and there is no terminal to ask on.`, {
      fix: 'Set SURREAL_PASS in the environment or in .env (it is never read from the command line).',
    });
  }
  const answer = await prompter.password(`Password for ${username}:`, 'SURREAL_PASS');
  if (!answer) throw new PatternDbError('E_NEEDS_INPUT', 'No password was given.', { fix: 'Type the password, or set SURREAL_PASS (environment or .env).' });
  return { password: answer, from: 'prompt' };
}

/** Where a username was found, in the words the user set it with: "SURREAL_USER in /home/me/.env". */
export async function usernameSourceText(source: CredentialSource | undefined, where: { cwd: string; configPath?: string | undefined }): Promise<string> {
  switch (source) {
    case '--username':
      return '--username';
    case 'prompt':
      return 'the name typed at the prompt';
    case 'journal':
      return 'the user the interrupted run signed in as';
    case 'environment':
      return 'SURREAL_USER in the environment';
    case '.env':
      return `SURREAL_USER in ${(await patternDotenv(where.cwd)) ?? '.env'}`;
    case 'config':
      return `[database] username in ${where.configPath ?? 'the config'}`;
    case 'default':
    case undefined:
      return "Pattern's default user, as no username was given";
  }
}
