// Without a terminal nothing can be asked: a run that would need an answer stops before it starts and names the flag.
import { PatternDbError } from '../core/errors.js';
import type { RunOptions } from '../core/options.js';
import type { PlannedCommand } from './plans.js';

export interface Requirement {
  answer: string;
  question: string;
}

/** Commands that sign in to a server need its password; export and config rewrite do not. */
export function needsServerPassword(command: PlannedCommand, options: RunOptions): boolean {
  return command !== 'export' && command !== 'config' && Boolean(options.target || options.startServer);
}

/** What a non-interactive run of `command` still needs answered, with the flag or variable that answers it. */
/** `options.password` is what the credential lookup found (config, environment, .env). */
export function unansweredQuestions(command: PlannedCommand, options: RunOptions): Requirement[] {
  const missing: Requirement[] = [];
  const writesConfig = (command === 'migrate' || command === 'config') && !options.dryRun;
  if (writesConfig && !options.yes) missing.push({ answer: '--yes', question: 'May the config be rewritten after the diff?' });
  if (needsServerPassword(command, options) && !options.password) missing.push({ answer: 'SURREAL_PASS', question: `The password of ${options.username}` });
  if ((command === 'migrate' || command === 'import' || command === 'verify') && !options.target && !options.startServer) {
    missing.push({ answer: '--target URL or --start-server memory|surrealkv://DIR', question: 'Which server?' });
  }
  return missing;
}

export function assertAnswerable(command: PlannedCommand, options: RunOptions): void {
  const missing = unansweredQuestions(command, options);
  if (!missing.length) return;
  const flags = missing.filter((m) => m.answer.startsWith('--')).map((m) => m.answer);
  const variables = missing.filter((m) => !m.answer.startsWith('--')).map((m) => m.answer);
  const fix = [
    ...(flags.length ? [`Pass ${flags.join(', ')}.`] : []),
    ...(variables.length ? [`Set ${variables.join(', ')} in the environment or in .env (never on the command line).`] : []),
  ].join(' ');
  throw new PatternDbError('E_NEEDS_INPUT', `Without a terminal, pattern-db ${command} needs these answered up front: ${missing.map((m) => m.question).join(' ')}`, { fix });
}
