// The run's managed server stopped (killed, crashed, out of memory) while pattern-db goes on: what a step that needed
// it says, and what a run that no longer needed it says at its end.
import { asPatternDbError, PatternDbError } from '../core/errors.js';
import type { DiagnosticEvent } from '../core/events.js';
import { isMemoryStorage } from '../core/memory-storage.js';
import type { RunOptions } from '../core/options.js';
import { serverStartCommand } from '../core/server-start-command.js';
import { checkPid, isProcessAlive } from '../surreal/process-identity.js';
import { readServerState } from '../surreal/server.js';
import type { ConfigResult, ServerResult } from './run-state.js';
import type { Step } from './step.js';

/** Whether the managed server this run started (or reused) is gone: exited, or its pid is another program's now. */
export async function managedServerGone(options: RunOptions, server: ServerResult | undefined): Promise<boolean> {
  if (!server || !options.startServer) return false;
  const recorded = await readServerState(options.stateDir);
  const identity = recorded?.pid === server.pid ? recorded.identity : undefined;
  return identity ? (await checkPid(server.pid, identity)).kind !== 'same' : !isProcessAlive(server.pid);
}

function named(server: ServerResult): string {
  return `The managed server the run started (pid ${server.pid}, ${server.url})`;
}

function serverStopped(server: ServerResult, during: string, seen: PatternDbError): PatternDbError {
  const again = isMemoryStorage(server.storage)
    ? 'it starts a new memory server and imports from the start (a memory server loses its data when it stops)'
    : `it starts the server again on ${server.storage}, which kept what was imported, and goes on from ${during}`;
  return new PatternDbError('E_SERVER_STOPPED', `${named(server)} stopped during ${during}.`, {
    evidence: `what ${during} saw: ${seen.code}: ${seen.message}${seen.evidence ? `\n${seen.evidence}` : ''}\nits log: ${server.logFile}`,
    fix: `Run the same command again with --resume: ${again}. Its log may say why it stopped; one that ends without a word was killed, most likely by the system for lack of memory (a SurrealDB 2 server holds every key of its store in memory).`,
    cause: seen,
  });
}

/**
 * A step that talks to the managed server fails with E_SERVER_STOPPED when that server is gone, whatever the step saw
 * of it (a refused connection, a `surreal import` that failed, a statement "refused"), so the error names the cause.
 */
export function needingManagedServer<R>(during: string, step: Step<R>): Step<R> {
  return {
    ...step,
    async run(ctx) {
      try {
        return await step.run(ctx);
      } catch (error) {
        if (ctx.signal.aborted || !(await managedServerGone(ctx.options, ctx.state.server))) throw error;
        throw serverStopped(ctx.state.server!, during, asPatternDbError(error));
      }
    },
  };
}

/**
 * What a finished run says last when its managed server has stopped since its last step that needed it: Pattern now
 * points at a server that does not answer. Null while it runs.
 */
export async function serverStoppedWarning(
  options: RunOptions,
  state: { server?: ServerResult; config?: ConfigResult },
): Promise<Omit<DiagnosticEvent, 'type'> | null> {
  const { server } = state;
  if (!server || !(await managedServerGone(options, server))) return null;
  const points = state.config?.written ? `${state.config.configPath} points Pattern at ${state.config.url}, which answers only once a server runs there again` : 'nothing serves the migrated data now';
  const fix = isMemoryStorage(server.storage)
    ? `It was a memory server: the data it held is gone. Put back ${state.config?.backupPath ?? 'the config backup'} and run the migration again.`
    : `Start it again on the same storage: ${serverStartCommand({ ...server, bind: options.bind, username: options.username }, options.stateDir)}`;
  return { level: 'warn', code: 'W_SERVER_STOPPED', message: `${named(server)} has stopped: ${points}.`, fix };
}
