// What every round needs around its commands: a fresh memory server of the target's major, a private copy of the
// store with a Pattern config beside it, and the count of messages that arrived.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SurrealHttp } from '../src/surreal/http.js';
import { startManagedServer, stopManagedServer } from '../src/surreal/server.js';

export const BENCH_CREDENTIALS = { username: 'root', password: 'bench-password-1' };

export interface BenchServer {
  url: string;
  pid: number;
}

/** A port nothing listens on now, on the loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Runs `fn` against a fresh in-memory server, stopped (and its state folder removed) afterwards, whatever happens. */
export async function withServer<T>(bin: string, fn: (server: BenchServer) => Promise<T>): Promise<T> {
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-server-'));
  try {
    const server = await startManagedServer({ bin, storage: 'memory', bind: `127.0.0.1:${await freePort()}`, ...BENCH_CREDENTIALS, stateDir });
    try {
      return await fn({ url: server.url, pid: server.pid });
    } finally {
      await stopManagedServer(stateDir);
    }
  } finally {
    await fs.rm(stateDir, { recursive: true, force: true });
  }
}

const PATTERN_TOML = '[user]\nid = "bench"\n[agent]\nname = "Pattern"\n[model]\nprovider = "Anthropic"\n[database]\ntype = "embedded"\npath = "./pattern.db"\n';

/** Runs `fn` in a temp folder holding a copy of the store (`pattern.db`) and its `pattern.toml`, removed afterwards. */
export async function withStoreCopy<T>(store: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-copy-'));
  try {
    await fs.cp(store, path.join(dir, 'pattern.db'), { recursive: true, filter: (src) => path.basename(src) !== 'LOCK' });
    await fs.writeFile(path.join(dir, 'pattern.toml'), PATTERN_TOML);
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Messages the target holds: a clean exit is not taken for a complete import. */
export async function messagesIn(url: string): Promise<number> {
  const http = new SurrealHttp({ url, ...BENCH_CREDENTIALS, namespace: 'pattern', database: 'pattern' });
  const [count] = (await http.sql('RETURN count(SELECT VALUE id FROM msg);').catch(() => [0])) as number[];
  return Number(count ?? 0);
}
