// A `surreal start` server that outlives pattern-db: started detached, found again through <stateDir>/server.json.
import { spawn } from 'node:child_process';
import { promises as fs, closeSync, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PatternDbError } from '../core/errors.js';
import { classifySurrealError, cleanSurrealLines, surrealEnv, surrealErrorText } from './cli.js';
import { SurrealHttp } from './http.js';

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
}

export interface StartServerOptions {
  bin: string;
  /** `memory` or `surrealkv://DIR` (relative to the current directory, or absolute). */
  storage: string;
  /** HOST:PORT, e.g. 127.0.0.1:8000 or [::1]:8000. */
  bind: string;
  username: string;
  password: string;
  stateDir: string;
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
  const expanded = dir === '~' || dir.startsWith('~/') ? path.join(os.homedir(), dir.slice(1)) : dir;
  return `surrealkv://${path.resolve(cwd, expanded)}${query}`;
}

/** Splits HOST:PORT ([v6]:PORT allowed). */
export function parseBind(bind: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(bind.trim());
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PatternDbError('E_USAGE', `--bind ${bind} is not HOST:PORT.`, {
      fix: 'Write it as HOST:PORT, e.g. --bind 127.0.0.1:8000 (0.0.0.0:8000 listens on every interface).',
    });
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function connectUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** True while `pid` runs; a zombie (exited, not yet reaped by its parent) counts as gone. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    return !/\)\s+Z\b/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Alive and still a surreal server: a reused pid must not be taken for ours (or killed). */
async function isOurServer(pid: number): Promise<boolean> {
  if (!isProcessAlive(pid)) return false;
  if (process.platform !== 'linux') return true;
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  return cmdline === null || cmdline.split('\0').includes('start');
}

export async function readServerState(stateDir: string): Promise<ManagedServerState | null> {
  const text = await fs.readFile(path.join(stateDir, STATE_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    return JSON.parse(text) as ManagedServerState;
  } catch {
    return null;
  }
}

async function writeServerState(stateDir: string, state: ManagedServerState): Promise<void> {
  const file = path.join(stateDir, STATE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(temporary, file);
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

export async function startManagedServer(options: StartServerOptions): Promise<ManagedServerState> {
  const storage = normaliseStorage(options.storage);
  const { host, port } = parseBind(options.bind);
  const url = connectUrl(host, port);
  const stateDir = path.resolve(options.stateDir);
  await fs.mkdir(stateDir, { recursive: true, mode: 0o700 });

  const previous = await readServerState(stateDir);
  if (previous && (await isOurServer(previous.pid))) {
    throw new PatternDbError('E_SERVER_START', `A managed server is already running (pid ${previous.pid}, ${previous.url}).`, {
      evidence: `${path.join(stateDir, STATE_FILE)}: pid ${previous.pid}, storage ${previous.storage}`,
      fix: 'Use it as it is, or stop it first with `pattern-db server stop`.',
    });
  }
  await assertPortFree(host, port, options.bind);

  const logFile = path.join(stateDir, LOG_FILE);
  const fd = openSync(logFile, 'a', 0o600);
  const logStart = (await fs.stat(logFile)).size;
  const args = ['start', '--no-banner', '--log', 'info', '--bind', options.bind, storage];
  let child: ReturnType<typeof spawn>;
  try {
    // The log file descriptor (not a pipe) lets the server keep writing after pattern-db exits.
    child = spawn(options.bin, args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      // A 2.x server answers /import with every statement's result unless told to keep only the errors (3.x always does).
      env: { ...surrealEnv({ username: options.username, password: options.password }), SURREAL_SKIP_IMPORT_SUCCESS_RESULTS: 'true' },
    });
    await waitForSpawn(child, options.bin);
  } finally {
    closeSync(fd);
  }
  child.unref();
  const pid = child.pid!;
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  });

  const log = new LogFollower(logFile, logStart, options.onLine);
  const http = new SurrealHttp({ url, timeoutMs: 1_000 });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  const kill = async () => {
    if (exited === null) child.kill('SIGKILL');
    await log.poll(true);
  };
  for (;;) {
    await log.poll();
    if (exited !== null) {
      await log.poll(true);
      throw startFailure(log.lines, options.bind, storage, `${exited} before it was ready`);
    }
    if (options.signal?.aborted) {
      await kill();
      throw new PatternDbError('E_CANCELLED', 'Cancelled while the server was starting; it was stopped.', {
        evidence: log.lines.slice(-5).join('\n'),
      });
    }
    if (await http.health().then(() => true, () => false)) break;
    if (Date.now() > deadline) {
      await kill();
      throw startFailure(log.lines, options.bind, storage, `did not become healthy within ${options.readyTimeoutMs ?? 30_000} ms and was stopped`);
    }
    await sleep(100);
  }
  await log.poll(true);

  const state: ManagedServerState = {
    pid,
    url,
    bind: options.bind,
    storage,
    logFile,
    startedAt: new Date().toISOString(),
    version: await http.version().catch(() => 'unknown'),
    username: options.username,
  };
  await writeServerState(stateDir, state);
  return state;
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
): Promise<{ stopped: boolean; pid?: number; forced?: boolean }> {
  const state = await readServerState(stateDir);
  const stateFile = path.join(stateDir, STATE_FILE);
  if (!state || !(await isOurServer(state.pid))) {
    await fs.rm(stateFile, { force: true });
    return { stopped: false };
  }
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
  while (await isOurServer(state.pid)) {
    const stalled = Date.now() - started >= STALL_MS && (await shutdownStalled(state.logFile, logOffset));
    if (stalled || Date.now() >= deadline) {
      forced = true;
      signal('SIGKILL');
      for (let i = 0; i < 100 && (await isOurServer(state.pid)); i += 1) await sleep(50);
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
  if (!(await isOurServer(state.pid))) return { running: false, state };
  const http = new SurrealHttp({ url: state.url, timeoutMs: 2_000 });
  const healthy = await http.health().then(() => true, () => false);
  const version = healthy ? await http.version().catch(() => undefined) : undefined;
  return { running: true, state, healthy, ...(version ? { version } : {}) };
}
