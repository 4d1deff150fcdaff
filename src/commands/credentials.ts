import { PatternDbError } from '../core/errors.js';
import type { Prompter } from '../steps/prompter.js';

/** The password comes from SURREAL_PASS or a prompt, never from the command line (ps would show it). */
export async function resolvePassword(env: NodeJS.ProcessEnv, prompter: Prompter, username: string): Promise<string> {
  const fromEnv = env.SURREAL_PASS;
  if (fromEnv) return fromEnv;
  if (!prompter.interactive) {
    throw new PatternDbError('E_NEEDS_INPUT', `The server password for "${username}" is needed and there is no terminal to ask on.`, {
      fix: 'Set SURREAL_PASS in the environment (it is never read from the command line).',
    });
  }
  const answer = await prompter.password(`Password for ${username}:`, 'SURREAL_PASS');
  if (!answer) throw new PatternDbError('E_NEEDS_INPUT', 'No password was given.', { fix: 'Type the password, or set SURREAL_PASS.' });
  return answer;
}
