// A failed check the user may choose to go past (core/options.ts SKIPPABLE_CHECKS: --skip-check, or the wizard's offer).
import { PatternDbError } from '../core/errors.js';
import { SKIPPABLE_CHECKS } from '../core/options.js';
import type { StepContext } from './step.js';

/**
 * Throws a failed check, marked as one the user may go past, unless the user chose to skip it: then it stays on screen
 * as a warning.
 */
export function failUnlessSkipped(ctx: StepContext, error: PatternDbError): void {
  if (!ctx.options.skipChecks?.includes(error.code)) {
    throw new PatternDbError(error.code, error.message, { ...(error.fix ? { fix: error.fix } : {}), ...(error.evidence ? { evidence: error.evidence } : {}), skippable: true });
  }
  ctx.report.diagnostic({ level: 'warn', code: 'W_CHECK_SKIPPED', message: `Skipped at your request: ${error.message}`, fix: SKIPPABLE_CHECKS[error.code] ?? '' });
}
