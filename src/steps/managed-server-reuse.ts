// Whether the managed server an earlier run of this state folder started may be used again: a run killed after the
// server step leaves it running, holding the port the resumed run would start it on.
import { PatternDbError } from '../core/errors.js';
import type { RunOptions } from '../core/options.js';
import { majorOf, type Major } from '../core/route.js';
import { assertBindFree, managedServerStatus, normaliseStorage, parseBind, type ManagedServerState } from '../surreal/server.js';

export interface LiveManagedServer {
  state: ManagedServerState;
  /** What the server reports now (else what it reported when it started). */
  version: string;
}

/** How long a recorded server that runs but does not answer yet is given before it is refused (a surrealkv server
 * opening a large store takes seconds). */
const STARTING_GRACE_MS = 30_000;

function stopCommand(options: RunOptions, state: ManagedServerState): string {
  const keeps = state.storage === 'memory' ? 'a memory server loses its data' : `its data stays in ${state.storage}`;
  return `\`pattern-db server stop --state-dir ${options.stateDir}\` (${keeps})`;
}

function stopFix(options: RunOptions, state: ManagedServerState): string {
  return `Stop it with ${stopCommand(options, state)}, then run again; or use another --state-dir.`;
}

function sameBind(a: string, b: string): boolean {
  const [x, y] = [parseBind(a), parseBind(b)];
  return x.host === y.host && x.port === y.port;
}

/**
 * The server recorded in the state folder when it still runs (the same process, by identity) and answers: null when
 * there is none or it is gone. One that runs with another storage or bind than `--start-server`/`--bind`, or does not
 * answer, is refused: it is not this run's server, and starting another beside it would fight it for the port or the
 * storage.
 */
export async function liveManagedServer(options: RunOptions): Promise<LiveManagedServer | null> {
  if (!options.startServer) return null;
  let status = await managedServerStatus(options.stateDir);
  // A run killed while its server was starting leaves one that may still be on its way to answering.
  for (const deadline = Date.now() + STARTING_GRACE_MS; status.running && !status.healthy && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    status = await managedServerStatus(options.stateDir);
  }
  if (!status.running || !status.state) return null;
  const { state } = status;
  const wanted = { storage: normaliseStorage(options.startServer, options.cwd), bind: options.bind };
  const differences = [
    ...(state.storage === wanted.storage ? [] : [`storage ${state.storage}, not ${wanted.storage}`]),
    ...(sameBind(state.bind, wanted.bind) ? [] : [`bind ${state.bind}, not ${wanted.bind}`]),
  ];
  if (differences.length) {
    throw new PatternDbError('E_SERVER_START', `The state folder's managed server (pid ${state.pid}, ${state.url}) still runs, with other settings than this run's: ${differences.join('; ')}.`, {
      evidence: `${options.stateDir}/server.json: pid ${state.pid}, bind ${state.bind}, storage ${state.storage}`,
      fix: stopFix(options, state),
    });
  }
  if (!status.healthy) {
    throw new PatternDbError('E_SERVER_START', `The state folder's managed server (pid ${state.pid}, ${state.url}) still runs but does not answer /health.`, {
      evidence: `GET ${state.url}/health failed; its log: ${state.logFile}`,
      fix: stopFix(options, state),
    });
  }
  return { state, version: status.version ?? state.version };
}

/** Refuses a live managed server of another SurrealDB major than the route's. */
export function assertServerMajor(options: RunOptions, server: LiveManagedServer, major: Major): void {
  if (majorOf(server.version) === major) return;
  const { state } = server;
  throw new PatternDbError('E_SERVER_START', `The state folder's managed server (pid ${state.pid}, ${state.url}) runs SurrealDB ${server.version}; this run's route needs SurrealDB ${major}.`, {
    evidence: `${options.stateDir}/server.json: pid ${state.pid}, ${state.bin ?? 'surreal'}, storage ${state.storage}`,
    fix: stopFix(options, state),
  });
}

/** The port for a new server is free; one held by the server an earlier run of this state folder started is named as such. */
export async function assertPortFreeForNewServer(options: RunOptions): Promise<void> {
  try {
    await assertBindFree(options.bind);
  } catch (error) {
    if (!(error instanceof PatternDbError) || error.code !== 'E_PORT_IN_USE') throw error;
    const status = await managedServerStatus(options.stateDir).catch(() => null);
    const state = status?.running ? status.state : undefined;
    if (!state || !sameBind(state.bind, options.bind)) throw error;
    throw new PatternDbError('E_PORT_IN_USE', `Port ${options.bind} is held by pattern-db's own managed server, which an earlier run of this state folder started (pid ${state.pid}, ${state.storage}).`, {
      evidence: `${options.stateDir}/server.json: pid ${state.pid}, bind ${state.bind}, storage ${state.storage}`,
      fix: `If that run did not finish, --resume goes on with it and this server. Otherwise give the new server another port with --bind, or stop this one with ${stopCommand(options, state)}.`,
    });
  }
}
