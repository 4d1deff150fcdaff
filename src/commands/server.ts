// `pattern-db server start|stop|status`: the managed server on its own.
import os from 'node:os';
import path from 'node:path';
import { USER_NAME_HINT, userNameProblem } from '../core/answer-checks.js';
import { EXIT_CODES, PatternDbError } from '../core/errors.js';
import { serverStartCommand } from '../core/server-start-command.js';
import { loadPatternConfig, locateConfig, resolveStorePath } from '../files/config-files.js';
import { locateSurreal } from '../surreal/cli.js';
import { howToGetSurreal } from '../surreal/store-reader.js';
import { assertServerPathsOutsideStore, managedServerStatus, normaliseStorage, parseBind, startManagedServer, stopManagedServer, type ManagedServerState } from '../surreal/server.js';
import { readServiceRecord } from '../surreal/server-service-record.js';
import { resolvePassword } from './credentials.js';
import { runCommand, type Io } from './command-runner.js';
import { DEFAULTS } from '../core/options.js';

interface ServerFlags {
  storage?: string;
  /** SurrealDB major to run: '2' or '3' (default). */
  major?: string;
  bind?: string;
  username?: string;
  stateDir?: string;
  json?: boolean;
}

const stateDirOf = (flags: ServerFlags) => path.resolve(flags.stateDir ?? DEFAULTS.stateDir);

/** The embedded store of the Pattern config found as Pattern finds it, if any: the server must keep clear of it. */
async function patternStore(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const cwd = process.cwd();
  const located = await locateConfig(undefined, { cwd, env, home: os.homedir() }).catch(() => null);
  const config = located && (await loadPatternConfig(located.path).catch(() => null));
  return (config && resolveStorePath(config.database, cwd)) ?? undefined;
}

export function serverStart(flags: ServerFlags, io: Io): Promise<number> {
  return runCommand(io, 'server start', flags, async (ctx) => {
    normaliseStorage(flags.storage ?? 'memory');
    parseBind(flags.bind ?? '127.0.0.1:8000');
    const store = await patternStore(io.env);
    if (store) await assertServerPathsOutsideStore(flags.storage ?? 'memory', stateDirOf(flags), store);
    const major = Number(flags.major ?? 3);
    const surreal = await locateSurreal(io.env, { major });
    if (!surreal) {
      throw new PatternDbError('E_SURREAL_MISSING', `No SurrealDB ${major} surreal was found to start a server with.`, {
        fix: howToGetSurreal(major === 2 ? 2 : 3),
      });
    }
    const username = flags.username ?? io.env.SURREAL_USER ?? 'root';
    const badName = userNameProblem(username);
    if (badName) throw new PatternDbError('E_USAGE', `Bad --username: ${badName}`, { fix: USER_NAME_HINT });
    const password = await resolvePassword(io.env, ctx.prompter, username);
    // Ctrl-C during the readiness wait stops the server it started, instead of leaving it running unrecorded.
    const state = await startManagedServer({
      bin: surreal.path,
      storage: flags.storage ?? 'memory',
      bind: flags.bind ?? '127.0.0.1:8000',
      username,
      password,
      stateDir: stateDirOf(flags),
      ...(store ? { store } : {}),
      signal: ctx.signal,
    });
    return { data: { server: state }, summary: `Server ready at ${state.url} (pid ${state.pid}, ${state.storage}); log: ${state.logFile}` };
  });
}

export function serverStop(flags: ServerFlags, io: Io): Promise<number> {
  return runCommand(io, 'server stop', flags, async () => {
    const result = await stopManagedServer(stateDirOf(flags));
    const service = result.stopped ? null : await readServiceRecord(stateDirOf(flags));
    const summary = result.stopped
      ? `Stopped the server (pid ${result.pid}).`
      : result.gone
        ? `${stoppedAlready(result.gone)} Its record is removed.`
        : service
        ? `No background server runs for ${stateDirOf(flags)}: ${service.unit} serves ${service.url}. Stop it with: systemctl --user stop ${service.unit}`
        : `No managed server is running for ${stateDirOf(flags)}.`;
    return { data: { ...result }, summary };
  });
}

export function serverStatus(flags: ServerFlags, io: Io): Promise<number> {
  return runCommand(io, 'server status', flags, async () => {
    const status = await managedServerStatus(stateDirOf(flags));
    const service = status.running ? null : await readServiceRecord(stateDirOf(flags));
    const summary = status.running && status.state
      ? `Running: ${status.state.url} (pid ${status.state.pid}, ${status.state.storage}, SurrealDB ${status.version ?? status.state.version}, ${status.healthy ? 'healthy' : 'NOT healthy'}); log: ${status.state.logFile}`
      : status.state
        ? `Not running. ${stoppedAlready(status.state)} Start it again with: ${serverStartCommand(status.state, stateDirOf(flags))}`
        : service
        ? `No background server (state dir ${stateDirOf(flags)}): ${service.unit} serves ${service.url}. See it with: systemctl --user status ${service.unit}`
        : `Not running (state dir ${stateDirOf(flags)}).`;
    return { exitCode: status.running ? EXIT_CODES.ok : EXIT_CODES.failed, data: { ...status, ...(service ? { service } : {}) }, summary };
  });
}

/** A recorded server whose process is gone: what it was, and where its log says why it ended. */
function stoppedAlready(state: ManagedServerState): string {
  return `The server started here (pid ${state.pid}, ${state.url}, ${state.storage}) has stopped; its log, which says why: ${state.logFile}.`;
}
