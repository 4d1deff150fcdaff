// `pattern-db doctor`: the checks, rendered as an interactive view on a terminal, plain lines or JSON lines otherwise.
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { doctorExitCode, summarise, type CheckResult } from '../core/doctor-model.js';
import { DEFAULTS } from '../core/options.js';
import { doctorPlainRenderer } from '../render/doctor-plain.js';
import { jsonRenderer } from '../render/json.js';
import { resultEvent } from '../render/result.js';
import { DOCTOR_CHECKS, runDoctor } from '../steps/doctor/doctor.js';
import type { DoctorInput } from '../steps/doctor/findings.js';
import type { DoctorRunner } from '../ui/doctor/doctor-app.js';
import type { Io } from './command-runner.js';
import type { OpsFlags } from './ops-common.js';
import { undoneIfInterrupted } from './interrupted.js';
import { isInteractive } from './terminal.js';

/** The flags of the day-to-day commands, without --yes: the doctor changes nothing. */
export type DoctorFlags = Omit<OpsFlags, 'yes'>;

export function doctorInputFrom(flags: DoctorFlags, env: NodeJS.ProcessEnv, cwd: string): DoctorInput {
  return {
    cwd,
    env,
    home: env.HOME ?? os.homedir(),
    stateDir: path.resolve(cwd, flags.stateDir ?? DEFAULTS.stateDir),
    ...(flags.config ? { configPath: path.resolve(cwd, flags.config) } : {}),
    ...(flags.source ? { source: path.resolve(cwd, flags.source) } : {}),
    ...(flags.target ? { target: flags.target } : {}),
    ...(flags.username ? { username: flags.username } : {}),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
    ...(flags.database ? { database: flags.database } : {}),
  };
}

/**
 * Doctor runs under way, and how to stop them: an interrupted doctor lets the check under way finish, starts no other,
 * and its run then removes the snapshot and stops the private server it made.
 */
class DoctorRuns {
  private readonly running = new Set<Promise<unknown>>();
  private readonly stopping = new AbortController();

  async run(input: DoctorInput, onResult: (result: CheckResult, index: number) => void, checks = DOCTOR_CHECKS): Promise<CheckResult[]> {
    const run = runDoctor(input, onResult, checks, this.stopping.signal);
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  stop(): Promise<unknown> {
    this.stopping.abort();
    return Promise.allSettled([...this.running]);
  }
}

/** The checks for the interactive view: a re-run of one check also re-runs those before it, whose findings it builds on. */
export function doctorRunner(input: DoctorInput, runs = new DoctorRuns()): DoctorRunner {
  return {
    checks: DOCTOR_CHECKS.map(({ id, group, title }) => ({ id, group, title })),
    async run(onResult, upTo) {
      const last = upTo ? DOCTOR_CHECKS.findIndex((c) => c.id === upTo) : DOCTOR_CHECKS.length - 1;
      await runs.run(input, onResult, DOCTOR_CHECKS.slice(0, last + 1));
    },
  };
}

export async function runDoctorCommand(flags: DoctorFlags, io: Io): Promise<number> {
  const input = doctorInputFrom(flags, io.env, process.cwd());
  const runs = new DoctorRuns();
  return undoneIfInterrupted(async () => {
    if (!flags.json && isInteractive(io.env)) {
      const { renderDoctor } = await import('../ui/doctor/render-doctor.js');
      return renderDoctor(doctorRunner(input, runs));
    }
    let results: CheckResult[];
    if (flags.json) {
      const json = jsonRenderer(io.stdout, 'doctor');
      results = await runs.run(input, (result) => json({ ...result, type: 'check' }));
      const exitCode = doctorExitCode(results);
      json(resultEvent({ command: 'doctor', exitCode, data: { summary: summarise(results) } }));
      return exitCode;
    }
    const plain = doctorPlainRenderer(io.stdout, flags.verbose);
    results = await runs.run(input, (result) => plain.result(result));
    plain.end(results);
    return doctorExitCode(results);
  }, () => runs.stop());
}

export function registerDoctor(program: Command, setExit: (code: number) => void, io: Io): void {
  program
    .command('doctor')
    .description('check the config, the store, surreal and the server; say what is wrong and how to fix it')
    .option('--config <file>', "Pattern config (default: Pattern's own search order)")
    .option('--source <dir>', 'an embedded store to check (and to compare the server with)')
    .option('--target <url>', "a server to check instead of the config's")
    .option('--username <user>', "server user (default: Pattern's, from the config, SURREAL_USER or .env, else root); the password from the same places")
    .option('--namespace <ns>', "namespace (default: the config's, else pattern)")
    .option('--database <db>', "database (default: the config's, else pattern)")
    .option('--state-dir <dir>', 'where snapshots go while the store is read; the managed server it checks is recorded there', DEFAULTS.stateDir)
    .option('--json', 'one JSON object per check, then a result')
    .option('--verbose', 'evidence for passing checks too')
    .action(async (flags: DoctorFlags) => setExit(await runDoctorCommand(flags, io)));
}
