// The credentials Pattern would sign in with, and where each came from: config, environment, then .env.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readEnvVars } from '../../core/env-file.js';
import type { CredentialSource, DoctorFacts } from './facts.js';

export interface Found {
  value: string;
  from: CredentialSource;
}

/** dotenvy::dotenv(): the first .env in the current folder or a parent. */
async function dotenvVars(cwd: string): Promise<{ file: string; vars: Record<string, string> } | null> {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, '.env');
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text !== null) return { file, vars: readEnvVars(text) };
    if (path.dirname(dir) === dir) return null;
  }
}

export async function resolveCredentials(
  facts: DoctorFacts,
  fromConfig: { username?: string | undefined; password?: string | undefined },
): Promise<{ username?: Found; password?: Found }> {
  const { env, cwd, username: flag } = facts.input;
  const dotenv = await dotenvVars(cwd);
  const pick = (configValue: string | undefined, name: 'SURREAL_USER' | 'SURREAL_PASS'): Found | undefined => {
    if (configValue !== undefined) return { value: configValue, from: 'config' };
    // dotenvy never overrides a variable that is already set.
    if (env[name] !== undefined) return { value: env[name]!, from: 'environment' };
    if (dotenv?.vars[name] !== undefined) return { value: dotenv.vars[name]!, from: '.env' };
    return undefined;
  };
  const username = flag !== undefined ? { value: flag, from: 'flag' as const } : pick(fromConfig.username, 'SURREAL_USER');
  const password = pick(fromConfig.password, 'SURREAL_PASS');
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}
