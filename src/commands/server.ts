// `pattern-db server start|stop|status`: the managed server on its own.
import os from 'node:os';
import path from 'node:path';
import { asPatternDbError, EXIT_CODES, exitCodeFor, PatternDbError } from '../core/errors.js';
import { loadPatternConfig, locateConfig, resolveStorePath } from '../files/config-files.js';
import { locateSurreal } from '../surreal/cli.js';
import { howToGetSurreal } from '../surreal/store-reader.js';
import { assertServerPathsOutsideStore, managedServerStatus, startManagedServer, stopManagedServer } from '../surreal/server.js';
import { resolvePassword } from './credentials.js';
import type { Io } from './execute.js';
import { isInteractive, prompterFor } from './terminal.js';
import { formatError } from '../render/plain.js';
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

function print(io: Io, json: boolean | undefined, data: Record<string, unknown>, text: string): void {
  io.stdout.write(json ? JSON.stringify({ type: 'result', ...data }) + '\n' : text + '\n');
}

function fail(io: Io, json: boolean | undefined, thrown: unknown): number {
  const error = asPatternDbError(thrown);
  const exitCode = exitCodeFor(error);
  if (json) print(io, true, { ok: false, exitCode, error: { code: error.code, message: error.message, fix: error.fix, evidence: error.evidence } }, '');
  else io.stderr.write(formatError(error));
  return exitCode;
}

const stateDirOf = (flags: ServerFlags) => path.resolve(flags.stateDir ?? DEFAULTS.stateDir);

/** The embedded store of the Pattern config found as Pattern finds it, if any: the server must keep clear of it. */
async function patternStore(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const cwd = process.cwd();
  const located = await locateConfig(undefined, { cwd, env, home: os.homedir() }).catch(() => null);
  const config = located && (await loadPatternConfig(located.path).catch(() => null));
  return (config && resolveStorePath(config.database, cwd)) ?? undefined;
}

export async function serverStart(flags: ServerFlags, io: Io): Promise<number> {
  try {
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
    const password = await resolvePassword(io.env, prompterFor(isInteractive() && !flags.json), username);
    // Ctrl-C during the readiness wait stops the server it started, instead of leaving it running unrecorded.
    const controller = new AbortController();
    const cancel = () => controller.abort();
    process.once('SIGINT', cancel);
    process.once('SIGTERM', cancel);
    const state = await startManagedServer({
      bin: surreal.path,
      storage: flags.storage ?? 'memory',
      bind: flags.bind ?? '127.0.0.1:8000',
      username,
      password,
      stateDir: stateDirOf(flags),
      ...(store ? { store } : {}),
      signal: controller.signal,
    }).finally(() => {
      process.off('SIGINT', cancel);
      process.off('SIGTERM', cancel);
    });
    print(io, flags.json, { ok: true, exitCode: 0, server: state }, `Server ready at ${state.url} (pid ${state.pid}, ${state.storage}); log: ${state.logFile}`);
    return EXIT_CODES.ok;
  } catch (error) {
    return fail(io, flags.json, error);
  }
}

export async function serverStop(flags: ServerFlags, io: Io): Promise<number> {
  try {
    const result = await stopManagedServer(stateDirOf(flags));
    const text = result.stopped ? `Stopped the server (pid ${result.pid}).` : `No managed server is running for ${stateDirOf(flags)}.`;
    print(io, flags.json, { ok: true, exitCode: 0, ...result }, text);
    return EXIT_CODES.ok;
  } catch (error) {
    return fail(io, flags.json, error);
  }
}

export async function serverStatus(flags: ServerFlags, io: Io): Promise<number> {
  try {
    const status = await managedServerStatus(stateDirOf(flags));
    const text = status.running && status.state
      ? `Running: ${status.state.url} (pid ${status.state.pid}, ${status.state.storage}, SurrealDB ${status.version ?? status.state.version}, ${status.healthy ? 'healthy' : 'NOT healthy'}); log: ${status.state.logFile}`
      : `Not running (state dir ${stateDirOf(flags)}).`;
    print(io, flags.json, { ok: true, exitCode: status.running ? 0 : 1, ...status }, text);
    return status.running ? EXIT_CODES.ok : EXIT_CODES.failed;
  } catch (error) {
    return fail(io, flags.json, error);
  }
}
