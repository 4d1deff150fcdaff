// Runs the checks in order, each with what the earlier ones learned; one result per check, never a crash.
import type { CheckResult } from '../../core/doctor-model.js';
import { runCheck, type DoctorCheck } from './check.js';
import { CONFIG_CHECKS } from './config-checks.js';
import { closeFindings, newFindings, type DoctorFindings, type DoctorInput } from './findings.js';
import { SCHEMA_CHECKS } from './schema-checks.js';
import { SERVER_CHECKS } from './server-checks.js';
import { STORE_CHECKS } from './store-checks.js';
import { SURREAL_CHECKS } from './surreal-checks.js';

export const DOCTOR_CHECKS: readonly DoctorCheck[] = [...CONFIG_CHECKS, ...STORE_CHECKS, ...SURREAL_CHECKS, ...SERVER_CHECKS, ...SCHEMA_CHECKS];

/**
 * What the wizard runs after a failure: config, store, surreal and the server's reachability and credentials.
 * Left out: what a migration in progress is expected to lack (the target database, Pattern's schema) and advice
 * for later (default credentials, the application user's role, a service for the managed server).
 */
const NOT_FOR_DIAGNOSIS = new Set(['server.database', 'server.defaults', 'server.role', 'server.service']);
export const DIAGNOSIS_CHECKS: readonly DoctorCheck[] = DOCTOR_CHECKS.filter((c) => c.group !== 'schema' && !NOT_FOR_DIAGNOSIS.has(c.id));

/**
 * Runs every check (or only those whose id passes `only`), reporting each result as it comes. Findings are
 * rebuilt from scratch on each run, so a re-run sees the world as it is now.
 */
export async function runDoctor(
  input: DoctorInput,
  onResult: (result: CheckResult, index: number) => void = () => undefined,
  checks: readonly DoctorCheck[] = DOCTOR_CHECKS,
  stop?: AbortSignal,
): Promise<CheckResult[]> {
  const findings: DoctorFindings = newFindings(input);
  const results: CheckResult[] = [];
  try {
    for (const [index, check] of checks.entries()) {
      // Stopped (the doctor was interrupted): the check under way finished, no other starts, the findings are closed.
      if (stop?.aborted) break;
      const result = await runCheck(check, findings);
      results.push(result);
      onResult(result, index);
    }
  } finally {
    await closeFindings(findings);
  }
  return results;
}
