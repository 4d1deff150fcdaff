// The dotenv files that hold SURREAL_USER/SURREAL_PASS (as Pattern reads .env): read for --env-file, checked for a
// scheduled backup; either way a file other users can read is named.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readEnvVars } from '../core/env-file.js';
import { PatternDbError } from '../core/errors.js';
import type { Emit } from '../core/events.js';

/** The process environment with the file's SURREAL_USER/SURREAL_PASS over it; a file others can read is warned about. */
export async function envWithFile(env: NodeJS.ProcessEnv, file: string | undefined, cwd: string, emit: Emit): Promise<NodeJS.ProcessEnv> {
  if (!file) return env;
  const absolute = path.resolve(cwd, file);
  let text: string;
  let mode: number;
  try {
    text = await fs.readFile(absolute, 'utf8');
    mode = (await fs.stat(absolute)).mode & 0o777;
  } catch (error) {
    throw new PatternDbError('E_USAGE', `--env-file ${absolute} cannot be read (${(error as NodeJS.ErrnoException).code}).`, {
      fix: 'Point --env-file at a file with SURREAL_USER=… and SURREAL_PASS=… lines (mode 0600), e.g. the .env `pattern-db user create --write-env` writes.',
    });
  }
  if (readableByOthers(mode)) {
    emit({ type: 'diagnostic', level: 'warn', code: 'W_ENV_FILE_MODE', message: `${absolute} can be read by other users (mode ${mode.toString(8)}).`, fix: `chmod 600 ${absolute}` });
  }
  const vars = readEnvVars(text);
  return {
    ...env,
    ...(vars.SURREAL_USER !== undefined ? { SURREAL_USER: vars.SURREAL_USER } : {}),
    ...(vars.SURREAL_PASS !== undefined ? { SURREAL_PASS: vars.SURREAL_PASS } : {}),
  };
}

/** What keeps a scheduled backup from signing in with `file`, or exposes it; empty when nothing does. */
export async function envFileProblems(file: string): Promise<string[]> {
  const problems: string[] = [];
  const stat = await fs.stat(file).catch(() => null);
  if (!stat) return [`${file} does not exist yet: the backup will fail until it holds SURREAL_USER and SURREAL_PASS.`];
  if (readableByOthers(stat.mode)) problems.push(`${file} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 ${file}.`);
  const vars = readEnvVars(await fs.readFile(file, 'utf8').catch(() => ''));
  if (!vars.SURREAL_PASS) problems.push(`${file} has no SURREAL_PASS line: the backup cannot sign in.`);
  return problems;
}

function readableByOthers(mode: number): boolean {
  return (mode & 0o077) !== 0;
}
