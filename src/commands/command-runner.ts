// Runs one command and reports it the same way for all: its events through the plain or JSON renderer, Ctrl-C as a
// cancel, a thrown failure as an error diagnostic and an exit code, then the result (render/result.ts).
import { asPatternDbError, exitCodeFor, PatternDbError } from '../core/errors.js';
import type { Emit, PatternDbEvent } from '../core/events.js';
import { jsonRenderer } from '../render/json.js';
import { plainRenderer } from '../render/plain.js';
import { resultEvent, resultText, type CommandResult } from '../render/result.js';
import type { Prompter } from '../steps/prompter.js';
import { isInteractive, prompterFor } from './terminal.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface CommandContext {
  io: Io;
  cwd: string;
  emit: Emit;
  signal: AbortSignal;
  prompter: Prompter;
  json: boolean;
}

/** What a command's body reports; the exit code is 0 unless it says otherwise. */
export type CommandReport = Omit<CommandResult, 'command' | 'exitCode'> & { exitCode?: number };

export interface CommandFlags {
  json?: boolean;
  verbose?: boolean;
}

/** `resultFields` go into the JSON result however the command ends (e.g. whether it was a dry run). */
export async function runCommand(
  io: Io,
  command: string,
  flags: CommandFlags,
  body: (ctx: CommandContext) => Promise<CommandReport>,
  resultFields: Record<string, unknown> = {},
): Promise<number> {
  const json = flags.json ? jsonRenderer(io.stdout, command) : undefined;
  const emit: Emit = json ?? plainRenderer({ out: io.stdout, err: io.stderr, verbose: Boolean(flags.verbose) });
  const controller = new AbortController();
  // The listeners stay until the body is done: with none left, a second Ctrl-C would end the process at once, before
  // it stopped what it started (a server, a snapshot copy). Later signals only say that it is stopping.
  const cancel = () => {
    if (controller.signal.aborted) io.stderr.write('Stopping: pattern-db ends what it started before it exits.\n');
    controller.abort();
  };
  process.on('SIGINT', cancel);
  process.on('SIGTERM', cancel);
  let result: CommandResult;
  try {
    const report = await body({
      io,
      cwd: process.cwd(),
      emit,
      signal: controller.signal,
      prompter: prompterFor(isInteractive(io.env) && !flags.json),
      json: Boolean(flags.json),
    });
    result = { ...report, command, exitCode: report.exitCode ?? (report.error ? exitCodeFor(report.error) : 0) };
  } catch (thrown) {
    const error = controller.signal.aborted && !(thrown instanceof PatternDbError && thrown.code !== 'E_INTERNAL')
      ? new PatternDbError('E_CANCELLED', `${command} was cancelled.`)
      : asPatternDbError(thrown);
    emit({ type: 'diagnostic', level: 'error', code: error.code, message: error.message, ...(error.fix ? { fix: error.fix } : {}), ...(error.evidence ? { evidence: error.evidence } : {}) } satisfies PatternDbEvent);
    result = { command, exitCode: exitCodeFor(error), error };
  } finally {
    // From here on a signal finds the command ended: the process exits with its result (written before any signal is
    // handled) instead of dying of the signal while Node closes what is left. A second Ctrl-C 20 ms after a first that
    // stopped a run at once did kill it, its result line already saying 130.
    const exitAsEnded = () => process.exit(result?.exitCode);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, exitAsEnded);
      process.off(signal, cancel);
    }
  }
  result = { ...result, data: { ...resultFields, ...result.data } };
  if (json) json(resultEvent(result));
  else io.stdout.write(resultText(result));
  return result.exitCode;
}
