// A surreal program that died of a SIGKILL pattern-db did not send. On Linux that is the kernel's out-of-memory killer
// almost every time (or someone's `kill -9`): said as such, not taken for a damaged store or a dead network.
import { PatternDbError } from '../core/errors.js';
import { memoryEvidence, SURREALDB2_MEMORY_WORDS } from './store-memory.js';

const AGAIN = 'Close programs that use memory, or run this on a machine with more, then run the same command again (with --resume when a run stopped part-way).';

/** The fix for a SurrealDB that opened a store (pattern-db's copy of the user's, or one it generates). */
export const STORE_OPEN_FIX =
  `${SURREALDB2_MEMORY_WORDS}; SurrealDB 3 holds less. ` +
  `${AGAIN} The store itself is untouched: pattern-db opens a copy of it.`;

/**
 * `program` (e.g. "surreal 2.6.5 (the private server on FOLDER)") was killed while `doing`. `lines` are the last it
 * printed; `fix` is said instead of the general advice.
 */
export function killedBySystem(program: string, doing: string, lines: readonly string[], details: { fix?: string; cause?: unknown } = {}): PatternDbError {
  return new PatternDbError('E_SURREAL_KILLED', `${program} was killed (SIGKILL) while ${doing}, not by pattern-db: most likely the system ran out of memory.`, {
    evidence: [...lines.slice(-8), memoryEvidence()].join('\n'),
    fix: details.fix ?? AGAIN,
    ...(details.cause !== undefined ? { cause: details.cause } : {}),
  });
}
