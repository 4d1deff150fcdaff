// A private `surreal start` on a folder pattern-db owns: a snapshot copy it reads (stores no in-process engine can read:
// SurrealDB 2.x, 3.1+), or a store it generates. Bound to loopback on a free port, and ended with the process that
// started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { deferred } from '../core/deferred.js';
import { PatternDbError } from '../core/errors.js';
import { cleanSurrealLines, surrealErrorText } from './cli.js';
import { SurrealHttp } from './http.js';
import { serverEnv } from './server-env.js';
import { STORE_READER_ENV } from './store-reader-env.js';
import { forcedLine, programWasKilled, underWatchdog, watchdogPipe } from './parent-watchdog.js';
import { killedBySystem, STORE_OPEN_FIX } from './killed-by-system.js';
import { unopenableDamage } from './store-log-damage.js';
import { manifestNotWhole, tableFilesNotWhole, unreadableDamage } from './store-table-damage.js';

export interface PrivateServer {
  url: string;
  /** Empty when the server runs without authentication. */
  username: string;
  password: string;
  /** The server's version, e.g. "2.6.5". */
  version: string;
  /**
   * The first lines it logged, after those of any earlier start on the same folder (only the first start says what its
   * open repaired: store-log-damage.ts). Read when asked: a line on stderr can arrive after the server answers.
   */
  readonly openingLines: readonly string[];
  /** A client of this server, scoped to a namespace and database when given. */
  client(selection?: { namespace: string; database: string }): SurrealHttp;
  /**
   * Runs `work` (requests to this server); when it fails because the server exited without being asked to (killed by
   * the system, most likely for memory), the server's end is what it fails with.
   */
  explaining<T>(work: () => Promise<T>): Promise<T>;
  /** Hands each line the server prints from now on to `listener`, until the returned function is called. */
  onLine(listener: (line: string) => void): () => void;
  /** Ends the server: SIGTERM, then SIGKILL if it has not exited within the stop grace. `forced` says it needed the kill. */
  stop(): Promise<{ forced: boolean; lines: string[] }>;
  close(): Promise<void>;
  /**
   * Ends the server at once (SIGKILL), without letting it close the store: only for a folder removed right after,
   * which nothing opens again. A 2.x server takes 0.6 s to close a 5,000-message store, 2 s at 20,000.
   */
  discard(): Promise<void>;
}

export interface ServeOptions {
  bin: string;
  /** Absolute path of the folder; never a live store. */
  folder: string;
  /**
   * `throwaway-root`: a random root user, created in the store if it has none (else the server runs without auth).
   * `none`: no authentication and nothing written for it, for a store that must hold only what pattern-db puts there.
   */
  auth?: 'throwaway-root' | 'none';
  /** The root user to serve with instead of a random one (it must exist in the store, or the store must have none). */
  credentials?: { username: string; password: string };
  /** Extra environment for the server (e.g. its request size limits). */
  env?: Record<string, string>;
  /**
   * Lets a 2.x server cache the values it reads and keep small ones in its index, as it does by default (for a server
   * that writes, then reads again).
   */
  keepValuesRead?: boolean;
  signal?: AbortSignal;
  readyTimeoutMs?: number;
  /** How long the server may take to exit after SIGTERM before it is killed (default 3 s). */
  stopGraceMs?: number;
}

const FORCED = forcedLine('the server');
/** What 2.x and 3.x servers log once their HTTP port is bound (`--log info`). */
const LISTENING = 'Started web server on';

/**
 * Whether the server said it created the root user it was given (2.x and 3.x, before they listen): then no sign-in
 * need prove it exists before the first request (a server on an empty folder was ready in 85 ms instead of 159).
 */
function createdRoot(lines: string[]): boolean {
  return lines.some((line) => line.includes('no root users were found. The root user'));
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

function exited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** How long a failed request waits to see whether the server's exit is what failed it. */
const EXIT_SEEN_MS = 500;
const CONNECTION_ERRORS = new Set(['E_CONN_LOST', 'E_CONN_REFUSED', 'E_TIMEOUT']);
/** Errors a server's death can cause: its connection lost, or a body stream broken off (not a PatternDbError, nor a cancel). */
const mayBeServerGone = (error: unknown): boolean =>
  error instanceof PatternDbError ? CONNECTION_ERRORS.has(error.code) : !(error instanceof Error && error.name === 'AbortError');

/** Lines of a start kept from its beginning (a store's open logs a dozen). */
const FIRST_LINES = 100;

interface Started {
  child: ChildProcess;
  /** Tells the watchdog shell to stop the server, or to kill it at once. */
  letGo: (how: 'stop' | 'kill') => void;
  url: string;
  lines: string[];
  /** Its first FIRST_LINES lines, kept while `lines` keeps only the latest. */
  firstLines: string[];
  listeners: Set<(line: string) => void>;
}

/** Lines of a server that did not start; `killed` when something else than pattern-db killed it meanwhile. */
interface Failed {
  failed: string[];
  firstLines: string[];
  killed?: true;
}

async function startOnce(options: ServeOptions, credentials: { username: string; password: string } | null): Promise<Started | Failed> {
  const port = await freeLoopbackPort();
  const bind = `127.0.0.1:${port}`;
  const args = ['start', '--no-banner', '--log', 'info', '--bind', bind, ...(credentials ? [] : ['--unauthenticated']), `surrealkv://${options.folder}`];
  // Ended with pattern-db, however it ends (parent-watchdog.ts).
  const command = underWatchdog(options.bin, args, options.stopGraceMs ?? 3_000, FORCED);
  const child = spawn(command.file, command.args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: serverEnv(credentials ?? {}, { ...(options.keepValuesRead ? {} : STORE_READER_ENV), ...options.env }),
  });
  const letGo = watchdogPipe(child.stdin!);
  const lines: string[] = [];
  const firstLines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const listening = deferred();
  let damagedAtStart = false;
  const collect = (line: string) => {
    if (!line.trim()) return;
    if (line.includes(LISTENING)) listening.resolve();
    if (STARTUP_RETRY.test(line) && unreadableDamage(line)) damagedAtStart = true;
    lines.push(line);
    if (lines.length > 400) lines.splice(0, lines.length - 400);
    if (firstLines.length < FIRST_LINES) firstLines.push(line);
    for (const listener of listeners) listener(line);
  };
  // Whole lines: a warning split across two reads would reach a listener as two lines it cannot parse.
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream, crlfDelay: Infinity }).on('line', collect);
  const url = `http://${bind}`;
  const http = new SurrealHttp({ url, timeoutMs: 1_000 });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  let heardListening = false;
  const stop = async () => {
    letGo('stop');
    await exited(child);
  };
  for (;;) {
    if (hasExited(child)) return { failed: cleanSurrealLines(lines), firstLines, ...(programWasKilled(child.exitCode) ? { killed: true as const } : {}) };
    if (options.signal?.aborted) {
      await stop();
      throw new PatternDbError('E_CANCELLED', 'Cancelled while the private server was starting; it was stopped.');
    }
    if (await http.health().then(() => true, () => false)) return { child, letGo, url, lines, firstLines, listeners };
    if (damagedAtStart) {
      await stop();
      return { failed: cleanSurrealLines(lines), firstLines };
    }
    if (Date.now() > deadline) {
      await stop();
      return { failed: [...cleanSurrealLines(lines), `not healthy after ${options.readyTimeoutMs ?? 120_000} ms`], firstLines };
    }
    // Asked again as soon as it says it listens, else after a pause: a server on an empty folder was ready in 44 ms
    // instead of 110 (medians of 25 starts); on a store the pause cost up to 100 ms after its open.
    if (heardListening) await sleep(100);
    else heardListening = await Promise.race([sleep(100).then(() => false), listening.promise.then(() => true)]);
  }
}

/** What a surreal 3 answers for a store whose manifest lists a table file it cannot load. */
const MANIFEST_NOT_LOADED = /Failed to load manifest/;
/**
 * A surreal 3.3 that cannot read what it needs to start retries for two minutes before it gives up (`Storage is not
 * ready for the startup step yet; still retrying. task="Check version" … error=… SSTable error: checksum verification
 * failed …`): a damaged table file does not mend meanwhile.
 */
const STARTUP_RETRY = /still retrying/;

/** The version a server logs first (`Running 2.6.5 for linux on x86_64`), before it answers /version. */
function loggedVersion(lines: readonly string[]): string | undefined {
  return lines.map((line) => /\bRunning (\d+\.\d+\.\d+\S*) for /.exec(line)?.[1]).find(Boolean);
}

async function cannotOpen(options: ServeOptions, { failed, killed }: Failed): Promise<PatternDbError> {
  if (killed) {
    const version = loggedVersion(failed);
    return killedBySystem(`surreal ${version ? `${version} ` : ''}(${options.bin})`, `opening ${options.folder}`, failed, { fix: STORE_OPEN_FIX });
  }
  const damaged =
    unopenableDamage(failed, options.folder) ??
    (failed.some((line) => MANIFEST_NOT_LOADED.test(line)) ? await tableFilesNotWhole(options.folder) : undefined) ??
    (await manifestNotWhole(options.folder, failed)) ??
    failed.map((line) => unreadableDamage(line)).find(Boolean);
  if (damaged) return damaged;
  return new PatternDbError('E_STORE_FORMAT', `surreal could not open ${options.folder}: ${surrealErrorText(failed) ?? failed.at(-1) ?? 'it exited'}.`, {
    evidence: failed.slice(-12).join('\n'),
    fix: 'The store may be damaged, or written by a SurrealDB version this surreal cannot read: check it with `pattern-db doctor`.',
  });
}

/** `starts`: the first lines of every start on the folder, this one's added. */
async function startWithRetry(options: ServeOptions, credentials: { username: string; password: string } | null, starts: string[][]): Promise<Started> {
  let started = await startOnce(options, credentials);
  starts.push(started.firstLines);
  // The port can be taken between choosing and binding it (the store already opened): try another once.
  if ('failed' in started && started.failed.some((l) => /Address already in use/i.test(l))) {
    started = await startOnce(options, credentials);
    starts.push(started.firstLines);
  }
  if ('failed' in started) throw await cannotOpen(options, started);
  return started;
}

/** Starts a private server on the folder and waits until it answers. */
export async function servePrivately(options: ServeOptions): Promise<PrivateServer> {
  const throwaway = options.credentials ?? { username: `pattern-db-${randomBytes(4).toString('hex')}`, password: randomBytes(24).toString('base64url') };
  let auth: { username: string; password: string } | null = options.auth === 'none' ? null : throwaway;
  const starts: string[][] = [];
  let started = await startWithRetry(options, auth, starts);
  // A store that already has root users keeps them, and the throwaway user is not created: serve it without auth
  // (loopback only, a private port, for the few seconds of this run) rather than fail.
  if (auth && !createdRoot(started.lines) && !(await new SurrealHttp({ url: started.url }).signin(auth).catch(() => false))) {
    started.letGo('stop');
    await exited(started.child);
    auth = null;
    started = await startWithRetry(options, null, starts);
  }
  const { child, url, lines, listeners } = started;
  let lettingGo = false;
  const letGo = (how: 'stop' | 'kill') => {
    lettingGo = true;
    started.letGo(how);
  };
  const version = await new SurrealHttp({ url }).version();
  const explain = async (error: unknown): Promise<unknown> => {
    if (!lettingGo && !hasExited(child) && mayBeServerGone(error)) await Promise.race([exited(child), sleep(EXIT_SEEN_MS)]);
    if (lettingGo || !hasExited(child)) return error;
    const what = `surreal ${version} (the private server on ${options.folder})`;
    if (programWasKilled(child.exitCode)) return killedBySystem(what, 'pattern-db used it', cleanSurrealLines(lines), { fix: STORE_OPEN_FIX, cause: error });
    return new PatternDbError('E_SURREAL_FAILED', `${what} exited by itself (exit code ${child.exitCode ?? child.signalCode}) while pattern-db used it.`, {
      evidence: cleanSurrealLines(lines).slice(-12).join('\n'),
      cause: error,
    });
  };
  const stop = async () => {
    letGo('stop');
    await exited(child);
    return { forced: lines.some((l) => l.includes(FORCED)), lines: cleanSurrealLines(lines) };
  };
  return {
    url,
    username: auth?.username ?? '',
    password: auth?.password ?? '',
    version,
    get openingLines() {
      return starts.flat();
    },
    client: (selection) => new SurrealHttp({ url, ...(auth ?? {}), ...(selection ?? {}), timeoutMs: 600_000 }),
    async explaining(work) {
      try {
        return await work();
      } catch (error) {
        throw await explain(error);
      }
    },
    onLine(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop,
    async close() {
      await stop();
    },
    async discard() {
      letGo('kill');
      await exited(child);
    },
  };
}
