// A migration's prerequisites are the doctor's own checks: the same codes, evidence and fixes, and a failed check
// stops the run. Passing checks stay quiet; the preflight step reports what it found in its own words.
import type { CheckResult } from '../../core/doctor-model.js';
import { PatternDbError, type ErrorCode } from '../../core/errors.js';
import { targetUrl, type RunOptions } from '../../core/options.js';
import type { StepContext } from '../step.js';
import { runCheck } from './check.js';
import { DOCTOR_CHECKS } from './doctor.js';
import { closeFindings, newFindings, type DoctorFindings, type DoctorInput } from './findings.js';

/** What the doctor should look at for a migration with these options. */
export function doctorInputFor(options: RunOptions, env: NodeJS.ProcessEnv = process.env): DoctorInput {
  const target = targetUrl(options);
  return {
    cwd: options.cwd,
    env,
    home: env.HOME ?? '',
    stateDir: options.stateDir,
    namespace: options.namespace,
    database: options.database,
    username: options.username,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.source ? { source: options.source } : {}),
    ...(target ? { target } : {}),
    ...(options.password !== undefined
      ? {
          credentials: {
            username: { value: options.username, from: options.usernameFrom ?? 'default' },
            password: { value: options.password, from: options.passwordFrom ?? 'prompt' },
          },
        }
      : {}),
  };
}

export function errorOf(result: CheckResult): PatternDbError {
  const details = { ...(result.evidence?.length ? { evidence: result.evidence.join('\n') } : {}), ...(result.fix ? { fix: result.fix } : {}) };
  return new PatternDbError(result.code as ErrorCode, result.message, details);
}

export class Prerequisites {
  readonly findings: DoctorFindings;
  private readonly reported: Set<string>;

  constructor(
    private readonly ctx: StepContext,
    shared?: Prerequisites,
  ) {
    this.findings = shared?.findings ?? newFindings(doctorInputFor(ctx.options));
    this.reported = shared?.reported ?? new Set();
  }

  /** The same findings, reporting through another context (work started ahead of its turn: steps/work-ahead.ts). */
  reportingTo(ctx: StepContext): Prerequisites {
    return new Prerequisites(ctx, this);
  }

  /** Runs the named checks in order: a failure throws, a warning is reported once per code. */
  async require(...ids: string[]): Promise<void> {
    for (const id of ids) {
      const check = DOCTOR_CHECKS.find((c) => c.id === id);
      if (!check) throw new PatternDbError('E_INTERNAL', `No doctor check ${id}.`);
      const result = await runCheck(check, this.findings);
      if (result.status === 'fail') throw errorOf(result);
      if (result.status === 'warn') this.warn(result.code, result.message, result.fix, result.evidence?.join('\n'));
    }
  }

  /** Reports a warning unless one with this code was reported already. */
  warn(code: string, message: string, fix?: string, evidence?: string): void {
    if (this.reported.has(code)) return;
    this.reported.add(code);
    this.ctx.report.diagnostic({ level: 'warn', code, message, ...(fix ? { fix } : {}), ...(evidence ? { evidence } : {}) });
  }

  close(): Promise<void> {
    return closeFindings(this.findings);
  }
}
