// Which `surreal` programs a run needs for its route, and which driver it ends up with.
import { PatternDbError } from '../core/errors.js';
import type { Reporter } from '../core/events.js';
import type { RunOptions } from '../core/options.js';
import { isUpgrade, type Route } from '../core/route.js';
import { locateBothMajors } from '../surreal/cli.js';
import type { StoreFormat } from '../core/store-format.js';
import { howToGetSurreal, readerNeeded, surrealReads } from '../surreal/store-reader.js';
import type { PreflightResult, ProgramRef } from './run-state.js';

function ref(program: { path: string; version: string; major: number } | null): ProgramRef | undefined {
  return program ? { path: program.path, version: program.version, major: program.major } : undefined;
}

/** The surreal of a major this run found, if any. */
export function programOf(pre: Pick<PreflightResult, 'surreal' | 'surreal2'>, major: number): ProgramRef | undefined {
  return major === 2 ? pre.surreal2 : pre.surreal;
}

export function requireProgram(pre: Pick<PreflightResult, 'surreal' | 'surreal2'>, major: number, purpose: string): ProgramRef {
  const program = programOf(pre, major);
  if (program) return program;
  throw new PatternDbError('E_SURREAL_MISSING', `${purpose} needs a SurrealDB ${major} surreal, and none was found.`, {
    fix: howToGetSurreal(major === 2 ? 2 : 3),
  });
}

/** Finds both majors' programs (SURREAL_BIN / SURREAL2_BIN, PATH, the pattern-db cache) and says what was found. */
export async function findPrograms(result: PreflightResult, report: Reporter, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const [three, two] = await locateBothMajors(env);
  for (const program of [three, two]) {
    if (program) report.diagnostic({ level: 'info', code: 'I_SURREAL', message: `surreal ${program.version} at ${program.path} (${program.source})` });
  }
  const surreal = ref(three);
  const surreal2 = ref(two);
  if (surreal) result.surreal = surreal;
  if (surreal2) result.surreal2 = surreal2;
}

/**
 * Settles the driver and refuses a run that lacks a program its route needs. `format` is absent for a run without a
 * store (import alone); `route` is absent until the target is known.
 */
export function settleDriver(
  options: Pick<RunOptions, 'driver' | 'startServer'>,
  result: PreflightResult,
  report: Reporter,
  format: StoreFormat | undefined,
  route: Route | undefined,
): void {
  const targetMajor = route?.target;
  if (format === 'surrealkv-2' || format === 'surrealkv-3.1+') {
    const writer = format === 'surrealkv-2' ? 'SurrealDB 2' : 'SurrealDB 3.1 or later';
    if (options.driver === 'sdk') {
      throw new PatternDbError('E_USAGE', `--driver sdk reads the store with the embedded engine of SurrealDB 3.0, which cannot read this ${writer} store.`, {
        fix: `Drop --driver (or use --driver cli): a ${writer} store is read and exported with ${readerNeeded(format)}.`,
      });
    }
    const program = programOf(result, format === 'surrealkv-2' ? 2 : 3);
    if (!program || !surrealReads(program, format)) {
      throw new PatternDbError('E_SURREAL_MISSING', `Reading a store written by ${writer} needs ${readerNeeded(format)}, and none was found.`, {
        fix: howToGetSurreal(format),
      });
    }
  }
  if (options.startServer && targetMajor !== undefined) requireProgram(result, targetMajor, `Starting a SurrealDB ${targetMajor} server`);
  if (options.driver === 'cli' && targetMajor !== undefined) requireProgram(result, targetMajor, `Importing with --driver cli into SurrealDB ${targetMajor}`);
  if (route && isUpgrade(route) && !result.surreal) {
    report.diagnostic({
      level: 'warn',
      code: 'W_NO_VALIDATE',
      message: 'No SurrealDB 3 surreal was found to validate the upgraded export before it is imported; the import still checks every statement the server answers.',
      fix: howToGetSurreal(3),
    });
  }
  if (format !== 'surrealkv-3.0') return;
  if (!result.surreal) {
    if (options.driver === 'cli') throw new PatternDbError('E_SURREAL_MISSING', 'No surreal 3.x program was found.', { fix: `${howToGetSurreal(3)} Or use --driver sdk to migrate in-process.` });
    result.driver = 'sdk';
    report.diagnostic({
      level: 'warn',
      code: 'W_DRIVER_SDK',
      message: 'No SurrealDB 3 surreal found: exporting and importing in-process instead (embedded engine + HTTP).',
    });
  }
}
