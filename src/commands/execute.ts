// Runs a planned command with the renderer the situation calls for, and turns the outcome into an exit code.
import { asPatternDbError, EXIT_CODES, exitCodeFor, PatternDbError } from '../core/errors.js';
import type { PatternDbEvent } from '../core/events.js';
import type { RunOptions } from '../core/options.js';
import { jsonRenderer } from '../render/json.js';
import { plainRenderer } from '../render/plain.js';
import { runPlan, type RunOutcome } from '../runner.js';
import { removeSnapshots } from '../surreal/store.js';
import type { Prompter } from '../steps/prompter.js';
import { resolvePassword } from './credentials.js';
import { assertAnswerable, needsServerPassword } from './non-interactive.js';
import { fingerprintOf, planFor, type PlannedCommand } from './plans.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface ExecuteInput {
  command: PlannedCommand;
  options: RunOptions;
  json: boolean;
  verbose: boolean;
  prompter: Prompter;
  io: Io;
  /** Where the events go besides the renderer (the wizard subscribes here). */
  onEvent?: (event: PatternDbEvent) => void;
}

function exitCodeOf(command: PlannedCommand, options: RunOptions, outcome: RunOutcome): number {
  if (outcome.error) return exitCodeFor(outcome.error);
  if (command === 'migrate' && !options.dryRun && outcome.state.config?.configPath && !outcome.state.config.written) {
    return EXIT_CODES.failed;
  }
  return EXIT_CODES.ok;
}

export async function execute(input: ExecuteInput): Promise<number> {
  const { command, options, io } = input;
  const json = input.json ? jsonRenderer(io.stdout) : undefined;
  const render = json ?? plainRenderer({ out: io.stdout, err: io.stderr, verbose: input.verbose });
  const emit = (event: PatternDbEvent) => {
    render(event);
    input.onEvent?.(event);
  };
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  let outcome: RunOutcome;
  try {
    if (!input.prompter.interactive) assertAnswerable(command, options);
    if (needsServerPassword(command, options) && !options.password) {
      options.password = await resolvePassword(io.env, input.prompter, options.username);
    }
    outcome = await runPlan({
      steps: planFor(command, options),
      options,
      emit,
      signal: controller.signal,
      prompter: input.prompter,
      fingerprint: fingerprintOf(command, options),
    });
  } catch (thrown) {
    const error = asPatternDbError(thrown);
    emit({ type: 'diagnostic', level: 'error', code: error.code, message: error.message, ...(error.fix ? { fix: error.fix } : {}) });
    outcome = { ok: false, state: {}, error };
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
    // Snapshots are this run's own copies; the live store is untouched either way.
    await removeSnapshots(options.stateDir);
  }
  const exitCode = exitCodeOf(command, options, outcome);
  if (json) {
    json({ type: 'result', command, ok: exitCode === 0, exitCode, dryRun: options.dryRun, ...resultBody(outcome) });
  } else {
    io.stdout.write(summaryLine(command, options, outcome, exitCode) + '\n');
  }
  return exitCode;
}

function resultBody(outcome: RunOutcome): Record<string, unknown> {
  const { preflight, ...rest } = outcome.state;
  const error: PatternDbError | undefined = outcome.error;
  return {
    ...(outcome.failedStep ? { failedStep: outcome.failedStep } : {}),
    ...(error ? { error: { code: error.code, message: error.message, fix: error.fix, evidence: error.evidence } } : {}),
    ...(preflight ? { preflight: { ...preflight, snapshot: undefined } } : {}),
    ...rest,
  };
}

function summaryLine(command: PlannedCommand, options: RunOptions, outcome: RunOutcome, exitCode: number): string {
  if (outcome.error) return `${command} failed [${outcome.error.code}] (exit ${exitCode})`;
  if (options.dryRun) return `${command}: dry run finished; nothing was exported, imported or written.`;
  if (exitCode !== 0) return `${command} finished, but the config was not rewritten (exit ${exitCode})`;
  return `${command} finished successfully.`;
}
