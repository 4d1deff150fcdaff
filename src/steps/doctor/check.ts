// One doctor check: a typed outcome, timed; a crash inside a check becomes a failed result, never a crashed doctor.
import type { CheckGroup, CheckOutcome, CheckResult } from '../../core/doctor-model.js';
import { asPatternDbError, PatternDbError } from '../../core/errors.js';
import type { DoctorFindings } from './findings.js';

export interface DoctorCheck {
  id: string;
  group: CheckGroup;
  title: string;
  run(findings: DoctorFindings): Promise<CheckOutcome>;
}

type Extra = Pick<CheckOutcome, 'evidence' | 'fix'>;

export const ok = (code: string, message: string, extra: Extra = {}): CheckOutcome => ({ status: 'ok', code, message, ...extra });
export const warn = (code: string, message: string, extra: Extra = {}): CheckOutcome => ({ status: 'warn', code, message, ...extra });
export const fail = (code: string, message: string, extra: Extra = {}): CheckOutcome => ({ status: 'fail', code, message, ...extra });
export const skip = (message: string): CheckOutcome => ({ status: 'skip', code: 'S_SKIPPED', message });

/** A PatternDbError as a check outcome: its code, words, evidence and fix. */
export function fromError(error: PatternDbError, evidence: string[] = [], status: 'fail' | 'warn' = 'fail'): CheckOutcome {
  return {
    status,
    code: error.code,
    message: error.message,
    evidence: [...evidence, ...(error.evidence ? [error.evidence] : [])],
    ...(error.fix ? { fix: error.fix } : {}),
  };
}

export async function runCheck(check: DoctorCheck, findings: DoctorFindings): Promise<CheckResult> {
  const started = performance.now();
  let outcome: CheckOutcome;
  try {
    outcome = await check.run(findings);
  } catch (thrown) {
    const error = asPatternDbError(thrown);
    outcome = fromError(error);
    if (error.code === 'E_INTERNAL') {
      outcome.message = `The check itself failed: ${error.message}`;
      outcome.fix = 'This is a bug in pattern-db; the other checks still ran. Run `pattern-db doctor --json` and report the output.';
    }
  }
  const ms = Math.round((performance.now() - started) * 10) / 10;
  return { id: check.id, group: check.group, title: check.title, ms, ...outcome };
}
