// How every command ends: with --json one {"type":"result"} line, otherwise its facts and one summary line.
import type { PatternDbError } from '../core/errors.js';
import type { JsonEvent } from './json.js';

export interface CommandResult {
  command: string;
  exitCode: number;
  /** The failure that ended the command. */
  error?: PatternDbError;
  /** The result's own JSON fields, besides type, command, ok, exitCode and error. */
  data?: Record<string, unknown>;
  /** Plain output: one fact a line, before the summary. */
  lines?: string[];
  /** Plain output's last line, where the command has more to say than that it finished or failed. */
  summary?: string;
}

export function errorDetail(error: PatternDbError): { code: string; message: string; fix?: string; evidence?: string } {
  return { code: error.code, message: error.message, ...(error.fix ? { fix: error.fix } : {}), ...(error.evidence ? { evidence: error.evidence } : {}) };
}

/** `ok` is true exactly when the exit code is 0. */
export function resultEvent(result: CommandResult): JsonEvent {
  return {
    type: 'result',
    command: result.command,
    ok: result.exitCode === 0,
    exitCode: result.exitCode,
    ...result.data,
    ...(result.error ? { error: errorDetail(result.error) } : {}),
  };
}

export function resultText(result: CommandResult): string {
  const summary = result.summary ?? (result.error ? `${result.command} failed [${result.error.code}] (exit ${result.exitCode})` : `${result.command} finished successfully.`);
  return [...(result.lines ?? []), summary].map((line) => `${line}\n`).join('');
}
