// A `surreal start` server that outlives pattern-db: started detached, found again through <stateDir>/server.json.
import { spawn } from 'node:child_process';
import { promises as fs, closeSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { checkBind } from '../core/answer-checks.js';
import { PatternDbError } from '../core/errors.js';
import { pauseAt } from '../files/pause-at.js';
import { assertOwnStateDir, makePrivateDir, makeStateDir, writePrivateFile } from '../files/private-files.js';
import { resolveFolder } from '../files/folder-check.js';
import { assertOutsideStore } from '../files/store-overlap.js';
import { checkPid, processIdentity, type ProcessIdentity } from './process-identity.js';
import { classifySurrealError, cleanSurrealLines, surrealErrorText } from './cli.js';
import { SurrealHttp } from './http.js';
import { serverEnv } from './server-env.js';

export interface ManagedServerState {
  pid: number;
  /** http://HOST:PORT, with a wildcard bind replaced by loopback. */
  url: string;
  bind: string;
  /** `memory` or an absolute `surrealkv:///…` URL. */
  storage: string;
  logFile: string;
  /** ISO 8601. */
  startedAt: string;
  version: string;
  username: string;
  /** Which process `pid` was when it started; absent in state files of older pattern-db releases. */
  identity?: ProcessIdentity;
  /** The surreal program it runs, as it was started; absent in state files of older pattern-db releases. */
  bin?: string;
}

/** How a managed server is started, for `startManagedServer` and for a service that starts it the same way. */
export interface ServerLaunch {
  /** After the program: `start …`. */
  args: string[];
  /** Settings besides the credentials (never a secret). */
  settings: Record<string, string>;
}

export function managedServerLaunch(bind: string, storage: string): ServerLaunch {
  return {
    args: ['start', '--no-banner', '--log', 'info', '--bind', bind, storage],
    // A 2.x server answers /import with every statement's result unless told to keep only the errors (3.x always does).
    settings: { SURREAL_SKIP_IMPORT_SUCCESS_RESULTS: 'true' },
  };
}

export { isProcessAlive } from './process-identity.js';

export interface StartServerOptions {
  bin: string;
  /** `memory` or `surrealkv://DIR` (relative to the current directory, or absolute). */
  storage: string;
  /** HOST:PORT, e.g. 127.0.0.1:8000 or [::1]:8000. */
  bind: string;
  username: string;
  password: string;
  stateDir: string;
  /** The user's embedded store, when known: the storage may not be it, lie inside it or contain it. */
  store?: string;
  onLine?: (line: string) => void;
  signal?: AbortSignal;
  readyTimeoutMs?: number;
}

const STATE_FILE = 'server.json';
const LOG_FILE = 'server.log';

/** `memory`, or `surrealkv://DIR` as an absolute `surrealkv:///abs/dir` (query parameters kept). */
export function normaliseStorage(storage: string, cwd: string = process.cwd()): string {
  const trimmed = storage.trim();
  if (/^(memory|mem:\/\/.*|mem)$/i.test(trimmed)) return 'memory';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    throw new PatternDbError('E_USAGE', `SurrealDB 3 refuses file:// storage (${trimmed}).`, {
      fix: `Use surrealkv:// instead, e.g. ${trimmed.replace(/^file:/i, 'surrealkv:')}.`,
    });
  }
  if (scheme === 'rocksdb') {
    throw new PatternDbError('E_USAGE', `This surreal is built without RocksDB, so ${trimmed} cannot be served.`, {
      fix: 'Use surrealkv://DIR (the engine Pattern uses), or set SURREAL_BIN to a surreal with RocksDB support.',
    });
  }
  if (scheme !== 'surrealkv') {
    throw new PatternDbError('E_USAGE', `${trimmed} is not a storage this server can use.`, {
      fix: 'Use memory (nothing is kept) or surrealkv://DIR, e.g. surrealkv://./pattern-server.db.',
    });
  }
  // surrealkv:///abs, surrealkv:/abs and surrealkv://rel all lose their leading '//' here.
  const rest = trimmed.slice('surrealkv:'.length).replace(/^\/\//, '');
  const queryAt = rest.indexOf('?');
  const dir = queryAt >= 0 ? rest.slice(0, queryAt) : rest;
  const query = queryAt >= 0 ? rest.slice(queryAt) : '';
  if (!dir) throw new PatternDbError('E_USAGE', `${trimmed} names no folder.`, { fix: 'Write surrealkv://DIR.' });
  return `surrealkv://${resolveFolder(dir, cwd)}${query}`;
}

/** The folder of a normalised storage URL; null for memory. */
export function storageFolder(storage: string): string | null {
  if (storage === 'memory') return null;
  return storage.slice('surrealkv://'.length).replace(/\?.*$/, '');
}

/** Refuses a storage folder or state folder that is the store, lies inside it or contains it. */
export async function assertServerPathsOutsideStore(storage: string, stateDir: string, store: string): Promise<void> {
  const folder = storageFolder(normaliseStorage(storage));
  if (folder) await assertOutsideStore(folder, store, "The server's storage");
  await assertOutsideStore(path.resolve(stateDir), store, '--state-dir');
}

/** Splits HOST:PORT ([v6]:PORT allowed). */
export function parseBind(bind: string): { host: string; port: number } {
  const checked = checkBind(bind);
  if (!checked.ok) {
    throw new PatternDbError('E_USAGE', `Bad --bind: ${checked.problem}`, {
      fix: 'Write it as HOST:PORT, e.g. --bind 127.0.0.1:8000 (0.0.0.0:8000 listens on every interface).',
    });
  }
  return checked.value;
}

function connectUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** Whether the state's pid is still the server we started; a pid given to another program is refused, never signalled. */
async function checkServerPid(stateDir: string, state: ManagedServerState): Promise<'gone' | 'ours'> {
  const check = await checkPid(state.pid, state.identity);
  if (check.kind === 'gone') return 'gone';
  if (check.kind === 'same') return 'ours';
  const stateFile = path.join(stateDir, STATE_FILE);
  throw new PatternDbError('E_SERVER_NOT_RUNNING', `Process ${state.pid} is no longer the server pattern-db started (${check.why}); it was left alone.`, {
    evidence: `${stateFile}: pid ${state.pid}, ${state.url}, storage ${state.storage}`,
    fix: `Remove ${stateFile} if the server is gone (a server still running elsewhere must then be stopped by hand).`,
  });
}

export async function readServerState(stateDir: string): Promise<ManagedServerState | null> {
  const text = await fs.readFile(path.join(stateDir, STATE_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  // Another user's server.json could name any process of this user's for `server stop` to kill.
  await assertOwnStateDir(stateDir);
  try {
    return JSON.parse(text) as ManagedServerState;
  } catch {
    return null;
  }
}

async function writeServerState(stateDir: string, state: ManagedServerState): Promise<void> {
  const file = path.join(stateDir, STATE_FILE);
  try {
    await writePrivateFile(file, `${JSON.stringify(state, null, 2)}\n`);
  } catch (error) {
    throw new PatternDbError('E_NOT_WRITABLE', `The server's state file ${file} cannot be written (${(error as NodeJS.ErrnoException).code ?? error}).`, {
      cause: error,
      fix: 'Make the state folder writable (and server.json a file), or pass --state-dir DIR.',
    });
  }
}

function portInUse(bind: string, evidence: string): PatternDbError {
  return new PatternDbError('E_PORT_IN_USE', `Another program already listens on ${bind}.`, {
    evidence,
    fix: 'Stop that program, or choose another port with --bind, e.g. --bind 127.0.0.1:8001.',
  });
}

/** Refuses a HOST:PORT another program listens on (checked by listening on it briefly). */
export async function assertBindFree(bind: string): Promise<void> {
  const { host, port } = parseBind(bind);
  await assertPortFree(host, port, bind);
}

async function assertPortFree(host: string, port: number, bind: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(portInUse(bind, `listen ${bind}: ${error.code}`));
      else
        reject(
          new PatternDbError('E_SERVER_START', `Cannot listen on ${bind}: ${error.message}.`, {
            evidence: `listen ${bind}: ${error.code ?? error.message}`,
            fix:
              error.code === 'EACCES'
                ? 'Ports below 1024 need privileges: use a higher port with --bind.'
                : 'Use an address of this machine with --bind, e.g. 127.0.0.1:8000.',
          }),
        );
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Reads what the log gained since `offset`, as whole lines. */
class LogFollower {
  private offset: number;
  private partial = '';
  readonly lines: string[] = [];
  constructor(
    private readonly file: string,
    start: number,
    private readonly onLine?: (line: string) => void,
  ) {
    this.offset = start;
  }
  async poll(final = false): Promise<void> {
    const handle = await fs.open(this.file, 'r').catch(() => null);
    if (!handle) return;
    try {
      const { size } = await handle.stat();
      if (size > this.offset) {
        const buffer = Buffer.alloc(size - this.offset);
        await handle.read(buffer, 0, buffer.length, this.offset);
        this.offset = size;
        this.partial += buffer.toString('utf8');
      }
    } finally {
      await handle.close();
    }
    const parts = this.partial.split('\n');
    this.partial = final ? '' : (parts.pop() ?? '');
    for (const line of cleanSurrealLines(parts)) {
      this.lines.push(line);
      if (this.lines.length > 200) this.lines.shift();
      this.onLine?.(line);
    }
  }
}

function startFailure(logLines: string[], bind: string, storage: string, how: string): PatternDbError {
  const lines = cleanSurrealLines(logLines);
  const text = lines.join('\n');
  const evidence = lines.slice(-15).join('\n');
  const said = surrealErrorText(lines);
  if (/Address already in use/i.test(text)) return portInUse(bind, evidence);
  if (/already locked by another process/.test(text)) {
    return new PatternDbError('E_STORE_LOCKED', `The server's store ${storage} is in use by another process.`, {
      evidence,
      fix: 'Stop the program holding the store (another surreal server, or Pattern with its embedded store), or choose another folder.',
    });
  }
  const classified = classifySurrealError(lines);
  if (classified.code === 'E_STORE_FORMAT') return classified;
  return new PatternDbError('E_SERVER_START', `The surreal server ${how}${said ? `: ${said}` : ''}.`, {
    evidence,
    fix: 'Read the server log lines above (the whole log is server.log in the state folder).',
  });
}

function waitForSpawn(child: ReturnType<typeof spawn>, bin: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new PatternDbError('E_SURREAL_MISSING', `${bin} does not exist.`, {
              fix: 'Install SurrealDB or set SURREAL_BIN to the path of a surreal program.',
            })
          : new PatternDbError('E_SERVER_START', `Could not run ${bin}: ${error.message}.`, { cause: error }),
      ),
    );
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cancelled(message: string, evidence?: string): PatternDbError {
  return new PatternDbError('E_CANCELLED', message, evidence ? { evidence } : {});
}

/**
 * Starts the server and waits until /health answers. Its pid is on record (the state file) from the moment it exists,
 * so a pattern-db killed during the wait leaves a server `server stop` finds; a cancel or any failure before it is
 * ready stops it and removes the record.
 */
export async function startManagedServer(options: StartServerOptions): Promise<ManagedServerState> {
  const storage = normaliseStorage(options.storage);
  const { host, port } = parseBind(options.bind);
  const url = connectUrl(host, port);
  const stateDir = path.resolve(options.stateDir);
  if (options.store) await assertServerPathsOutsideStore(storage, stateDir, options.store);
  await makeStateDir(stateDir);
  // A new server's data is the user's data: its folder is theirs alone, like everything else pattern-db writes.
  const folder = storageFolder(storage);
  if (folder) {
    await makePrivateDir(folder).catch((error: NodeJS.ErrnoException) => {
      throw new PatternDbError('E_NOT_WRITABLE', `The server's folder ${folder} cannot be created (${error.code ?? error.message}).`, {
        cause: error,
        fix: 'Choose a folder under one you can write to, e.g. surrealkv://./pattern-server.db.',
      });
    });
  }

  const previous = await readServerState(stateDir);
  if (previous && (await checkServerPid(stateDir, previous)) === 'ours') {
    throw new PatternDbError('E_SERVER_START', `A managed server is already running (pid ${previous.pid}, ${previous.url}).`, {
      evidence: `${path.join(stateDir, STATE_FILE)}: pid ${previous.pid}, storage ${previous.storage}`,
      fix: `Use it as it is, or stop it first with \`pattern-db server stop --state-dir ${stateDir}\`.`,
    });
  }
  await assertPortFree(host, port, options.bind);
  if (options.signal?.aborted) throw cancelled('Cancelled before the server was started.');

  const logFile = path.join(stateDir, LOG_FILE);
  const fd = openSync(logFile, 'a', 0o600);
  const logStart = (await fs.stat(logFile)).size;
  const launch = managedServerLaunch(options.bind, storage);
  let child: ReturnType<typeof spawn>;
  try {
    // The log file descriptor (not a pipe) lets the server keep writing after pattern-db exits.
    child = spawn(options.bin, launch.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: serverEnv({ username: options.username, password: options.password }, launch.settings),
    });
    await waitForSpawn(child, options.bin);
  } finally {
    closeSync(fd);
  }
  child.unref();
  let exited: string | null = null;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      resolve();
    }),
  );
  const state: ManagedServerState = {
    pid: child.pid!,
    url,
    bind: options.bind,
    storage,
    logFile,
    startedAt: new Date().toISOString(),
    version: 'unknown',
    username: options.username,
    bin: options.bin,
  };
  const log = new LogFollower(logFile, logStart, options.onLine);
  try {
    await recordServer(stateDir, state);
    await pauseAt('server-spawned', stateDir);
    const http = new SurrealHttp({ url, timeoutMs: 1_000 });
    const timeoutMs = options.readyTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await log.poll();
      if (exited !== null) {
        await log.poll(true);
        throw startFailure(log.lines, options.bind, storage, `${exited} before it was ready`);
      }
      if (options.signal?.aborted) throw cancelled('Cancelled while the server was starting; it was stopped.', log.lines.slice(-5).join('\n'));
      if (await http.health().then(() => true, () => false)) break;
      if (Date.now() > deadline) {
        await log.poll(true);
        throw startFailure(log.lines, options.bind, storage, `did not become healthy within ${timeoutMs} ms and was stopped`);
      }
      await sleep(100);
    }
    await log.poll(true);
    state.version = await http.version().catch(() => 'unknown');
    // Read again now that it serves: a wrapper script that execs surreal has become the server by now.
    await recordServer(stateDir, state);
    return state;
  } catch (error) {
    // Our own child, not yet reaped: its pid cannot belong to anyone else.
    if (exited === null) child.kill('SIGKILL');
    await Promise.race([gone, sleep(5_000)]);
    await fs.rm(path.join(stateDir, STATE_FILE), { force: true }).catch(() => undefined);
    throw error;
  }
}

async function recordServer(stateDir: string, state: ManagedServerState): Promise<void> {
  const identity = await processIdentity(state.pid);
  if (identity) state.identity = identity;
  await writeServerState(stateDir, state);
}

const STALL_MS = 2_000;

/**
 * SurrealDB 3.0.5 often hangs for good after "Web server stopped. Bye!" on a surrealkv store (threads parked, a second
 * signal ignored) before its storage shutdown starts. Killing it then writes nothing half-way: it syncs its WAL on
 * every commit and replays it on start. Once the storage shutdown has begun (more log lines), it is left to finish.
 */
async function shutdownStalled(logFile: string, offset: number): Promise<boolean> {
  const text = await fs.readFile(logFile).then((b) => b.subarray(offset).toString('utf8'), () => '');
  const lines = cleanSurrealLines(text.split('\n'));
  const stoppedAt = lines.findIndex((l) => l.includes('Web server stopped'));
  return stoppedAt >= 0 && stoppedAt === lines.length - 1;
}

/** SIGTERM; SIGKILL when the shutdown stalls (see above) or after `timeoutMs` (default 30 s). */
export async function stopManagedServer(
  stateDir: string,
  options: { timeoutMs?: number } = {},
): Promise<{ stopped: boolean; pid?: number; forced?: boolean; /** the recorded server, which had stopped already */ gone?: ManagedServerState }> {
  const state = await readServerState(stateDir);
  const stateFile = path.join(stateDir, STATE_FILE);
  if (!state || (await checkServerPid(stateDir, state)) === 'gone') {
    await fs.rm(stateFile, { force: true });
    return { stopped: false, ...(state ? { gone: state } : {}) };
  }
  // Checked again before every signal: once our server has exited, its pid may be given to another program.
  const isOurs = async () => (await checkPid(state.pid, state.identity)).kind === 'same';
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(state.pid, name);
    } catch {
      // exited in between
    }
  };
  const logOffset = await fs.stat(state.logFile).then((s) => s.size, () => 0);
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 30_000);
  signal('SIGTERM');
  let forced = false;
  while (await isOurs()) {
    const stalled = Date.now() - started >= STALL_MS && (await shutdownStalled(state.logFile, logOffset));
    if (stalled || Date.now() >= deadline) {
      forced = true;
      if (await isOurs()) signal('SIGKILL');
      for (let i = 0; i < 100 && (await isOurs()); i += 1) await sleep(50);
      break;
    }
    await sleep(50);
  }
  await fs.rm(stateFile, { force: true });
  return { stopped: true, pid: state.pid, forced };
}

export async function managedServerStatus(
  stateDir: string,
): Promise<{ running: boolean; state?: ManagedServerState; healthy?: boolean; version?: string }> {
  const state = await readServerState(stateDir);
  if (!state) return { running: false };
  if ((await checkServerPid(stateDir, state)) === 'gone') return { running: false, state };
  const http = new SurrealHttp({ url: state.url, timeoutMs: 2_000 });
  const healthy = await http.health().then(() => true, () => false);
  const version = healthy ? await http.version().catch(() => undefined) : undefined;
  return { running: true, state, healthy, ...(version ? { version } : {}) };
}
