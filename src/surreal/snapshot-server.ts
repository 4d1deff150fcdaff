// A private `surreal start` on a snapshot copy, for stores no in-process engine can read (SurrealDB 2.x, 3.1+): bound to
// loopback on a free port, signed in with throwaway root credentials, and ended with the process that opened it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { PatternDbError } from '../core/errors.js';
import { cleanSurrealLines, surrealEnv, surrealErrorText } from './cli.js';
import { SurrealHttp } from './http.js';

export interface ServedSnapshot {
  url: string;
  username: string;
  password: string;
  /** The server's version, e.g. "2.6.5". */
  version: string;
  /** A client of this server, scoped to a namespace and database when given. */
  client(selection?: { namespace: string; database: string }): SurrealHttp;
  close(): Promise<void>;
}

export interface ServeOptions {
  bin: string;
  /** Absolute path of a snapshot copy; never the live store. */
  snapshot: string;
  signal?: AbortSignal;
  readyTimeoutMs?: number;
}

/**
 * The server runs under a small shell that holds our end of a pipe: when pattern-db exits in any way (even SIGKILL),
 * the pipe closes, `read` returns and the shell kills the server, so no private server outlives its run.
 */
const WATCHDOG = [
  'trap "" INT',
  '"$0" "$@" <&- & server=$!',
  'read -r _',
  'kill -TERM "$server" 2>/dev/null',
  // A surrealkv server can hang after "Bye!" (see server.ts): give it 3 s, then kill it.
  'for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$server" 2>/dev/null || exit 0; sleep 0.3; done',
  'kill -KILL "$server" 2>/dev/null',
  'wait "$server" 2>/dev/null',
  'exit 0',
].join('; ');

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

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function startOnce(options: ServeOptions, credentials: { username: string; password: string } | null): Promise<{ child: ChildProcess; url: string; lines: string[] } | { failed: string[] }> {
  const port = await freeLoopbackPort();
  const bind = `127.0.0.1:${port}`;
  const args = ['start', '--no-banner', '--log', 'info', '--bind', bind, ...(credentials ? [] : ['--unauthenticated']), `surrealkv://${options.snapshot}`];
  const child = spawn('/bin/sh', ['-c', WATCHDOG, options.bin, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: surrealEnv(credentials ?? {}),
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(line);
    if (lines.length > 400) lines.splice(0, lines.length - 400);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const url = `http://${bind}`;
  const http = new SurrealHttp({ url, timeoutMs: 1_000 });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  let gone = false;
  void exited(child).then(() => (gone = true));
  const stop = async () => {
    child.stdin!.end();
    await exited(child);
  };
  for (;;) {
    if (gone) return { failed: cleanSurrealLines(lines) };
    if (options.signal?.aborted) {
      await stop();
      throw new PatternDbError('E_CANCELLED', 'Cancelled while the snapshot server was starting; it was stopped.');
    }
    if (await http.health().then(() => true, () => false)) return { child, url, lines };
    if (Date.now() > deadline) {
      await stop();
      return { failed: [...cleanSurrealLines(lines), `not healthy after ${options.readyTimeoutMs ?? 120_000} ms`] };
    }
    await sleep(100);
  }
}

/** Starts a private server on the snapshot and waits until it answers. */
export async function serveSnapshot(options: ServeOptions): Promise<ServedSnapshot> {
  const credentials = { username: `pattern-db-${randomBytes(4).toString('hex')}`, password: randomBytes(24).toString('base64url') };
  let started = await startOnce(options, credentials);
  // The port can be taken between choosing and binding it: try another once.
  if ('failed' in started && started.failed.some((l) => /Address already in use/i.test(l))) started = await startOnce(options, credentials);
  if ('failed' in started) {
    throw new PatternDbError('E_STORE_FORMAT', `surreal could not open the snapshot ${options.snapshot}: ${surrealErrorText(started.failed) ?? started.failed.at(-1) ?? 'it exited'}.`, {
      evidence: started.failed.slice(-12).join('\n'),
      fix: 'The store may be damaged, or written by a SurrealDB version this surreal cannot read: check it with `pattern-db doctor`.',
    });
  }
  let { child, url } = started;
  // A store that already has root users keeps them, and the throwaway user is not created: serve it without auth
  // (loopback only, a private port, for the few seconds of this run) rather than fail.
  const signedIn = await new SurrealHttp({ url }).signin(credentials).catch(() => false);
  let auth: { username: string; password: string } | null = credentials;
  if (!signedIn) {
    child.stdin!.end();
    await exited(child);
    const open = await startOnce(options, null);
    if ('failed' in open) {
      throw new PatternDbError('E_STORE_FORMAT', `surreal could not open the snapshot ${options.snapshot}.`, { evidence: open.failed.slice(-12).join('\n') });
    }
    ({ child, url } = open);
    auth = null;
  }
  const version = await new SurrealHttp({ url }).version();
  const running = child;
  return {
    url,
    username: auth?.username ?? '',
    password: auth?.password ?? '',
    version,
    client: (selection) => new SurrealHttp({ url, ...(auth ?? {}), ...(selection ?? {}), timeoutMs: 600_000 }),
    async close() {
      running.stdin!.end();
      await exited(running);
    },
  };
}
