// The planned commands (migrate, preflight, export, import, verify, config rewrite): their steps through the runner,
// reported by the command runner.
import { EXIT_CODES, exitCodeFor } from '../core/errors.js';
import { configLeftUnwritten, nothingToResumeLine } from '../core/migration-outcome.js';
import type { RunOptions } from '../core/options.js';
import { verifyTableLines } from '../render/verify-table.js';
import { runPlan, type RunOutcome } from '../runner.js';
import { serverStoppedWarning } from '../steps/managed-server-stopped.js';
import { removeSnapshots } from '../surreal/store.js';
import { runCommand, type CommandContext, type CommandReport, type Io } from './command-runner.js';
import { resolvePasswordFrom } from './credentials.js';
import { readJournal } from '../files/journal-file.js';
import { resumedUser } from '../core/journal.js';
import { assertAnswerable, needsServerPassword } from './non-interactive.js';
import { fingerprintOf, planFor, type PlannedCommand } from './plans.js';

export interface ExecuteInput {
  command: PlannedCommand;
  options: RunOptions;
  json: boolean;
  verbose: boolean;
  io: Io;
}

function exitCodeOf(command: PlannedCommand, options: RunOptions, outcome: RunOutcome): number {
  if (outcome.error) return exitCodeFor(outcome.error);
  return command === 'migrate' && !options.dryRun && configLeftUnwritten(outcome.state) ? EXIT_CODES.failed : EXIT_CODES.ok;
}

export function execute(input: ExecuteInput): Promise<number> {
  const { command, options } = input;
  return runCommand(input.io, command, input, (ctx) => runPlanned(command, options, ctx), { dryRun: options.dryRun });
}

async function runPlanned(command: PlannedCommand, options: RunOptions, ctx: CommandContext): Promise<CommandReport> {
  try {
    if (!ctx.prompter.interactive) assertAnswerable(command, options);
    if (options.resume) Object.assign(options, resumedUser(options, await readJournal(options.stateDir).catch(() => null)));
    if (needsServerPassword(command, options) && !options.password) {
      const resolved = await resolvePasswordFrom(ctx.io.env, ctx.prompter, options.username);
      options.password = resolved.password;
      options.passwordFrom = resolved.from;
    }
    const outcome = await runPlan({
      steps: planFor(command, options),
      options,
      emit: ctx.emit,
      signal: ctx.signal,
      prompter: ctx.prompter,
      fingerprint: fingerprintOf(command, options),
    });
    // Last words about the managed server must not claim one that is dead: it may die after the last step needing it.
    const stopped = outcome.ok && !options.dryRun ? await serverStoppedWarning(options, outcome.state) : null;
    if (stopped) ctx.emit({ type: 'diagnostic', ...stopped });
    if (outcome.alreadyFinished) {
      const line = [nothingToResumeLine(outcome.alreadyFinished.startedAt, outcome.state.config), stopped && `${stopped.message} ${stopped.fix}`].filter(Boolean).join(' ');
      return { data: { ...resultData(outcome), nothingToResume: line }, summary: line };
    }
    const exitCode = exitCodeOf(command, options, outcome);
    const summary = outcome.error ? undefined : stopped && exitCode === 0 ? `${command} finished, but the managed server has stopped: ${stopped.fix}` : summaryLine(command, options, exitCode);
    // The verification's table, whether it proved the data or found differences (verify keeps its report either way).
    const lines = outcome.state.verify ? verifyTableLines(outcome.state.verify) : undefined;
    return { exitCode, ...(outcome.error ? { error: outcome.error } : {}), data: resultData(outcome), ...(lines ? { lines } : {}), ...(summary ? { summary } : {}) };
  } finally {
    // Snapshots are this run's own copies; the live store is untouched either way.
    await removeSnapshots(options.stateDir);
  }
}

/** The steps' results, without the snapshot's path (a copy that is gone when the command ends). */
function resultData(outcome: RunOutcome): Record<string, unknown> {
  const { preflight, ...rest } = outcome.state;
  return {
    ...(outcome.failedStep ? { failedStep: outcome.failedStep } : {}),
    ...(preflight ? { preflight: { ...preflight, snapshot: undefined } } : {}),
    ...rest,
  };
}

function summaryLine(command: PlannedCommand, options: RunOptions, exitCode: number): string | undefined {
  if (options.dryRun) return `${command}: dry run finished; nothing was exported, imported or written.`;
  if (exitCode !== 0) return `${command} finished, but the config was not rewritten (exit ${exitCode})`;
  return undefined;
}
