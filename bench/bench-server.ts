// What every round needs around its commands: a fresh memory server of the target's major, the store with a Pattern
// config beside it (in place, or a throwaway copy), and the count of messages that arrived.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SurrealHttp } from '../src/surreal/http.js';
import { startManagedServer, stopManagedServer } from '../src/surreal/server.js';
import { linkedCopy } from '../src/surreal/store.js';
import { listingChanges, listStore } from '../src/surreal/store-listing.js';
import { onInterrupt } from './interrupt.js';

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

/** Each server a bench started and has not stopped yet: what withdraws its stop on interrupt (interrupt.ts). */
const stopsOnInterrupt = new Map<string, () => void>();

/** startManagedServer for a bench: the server is stopped if the bench is interrupted. Stop it with stopBenchServer. */
export async function startBenchServer(options: Parameters<typeof startManagedServer>[0]): ReturnType<typeof startManagedServer> {
  const { stateDir } = options;
  stopsOnInterrupt.set(stateDir, onInterrupt('server', async () => {
    await stopManagedServer(stateDir);
    await fs.rm(stateDir, { recursive: true, force: true });
  }));
  try {
    return await startManagedServer(options);
  } catch (error) {
    stopped(stateDir);
    throw error;
  }
}

function stopped(stateDir: string): void {
  stopsOnInterrupt.get(stateDir)?.();
  stopsOnInterrupt.delete(stateDir);
}

export async function stopBenchServer(stateDir: string): Promise<void> {
  try {
    await stopManagedServer(stateDir);
  } finally {
    stopped(stateDir);
  }
}

/** Runs `fn` against a fresh in-memory server, stopped (and its state folder removed) afterwards, whatever happens. */
export async function withServer<T>(bin: string, fn: (server: BenchServer) => Promise<T>): Promise<T> {
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-server-'));
  try {
    const server = await startBenchServer({ bin, storage: 'memory', bind: `127.0.0.1:${await freePort()}`, ...BENCH_CREDENTIALS, stateDir });
    try {
      return await fn({ url: server.url, pid: server.pid });
    } finally {
      await stopBenchServer(stateDir);
    }
  } finally {
    await fs.rm(stateDir, { recursive: true, force: true });
  }
}

/** A Pattern config whose embedded store is `storePath` (a path relative to the config's folder, or absolute). */
function patternToml(storePath: string): string {
  return `[user]\nid = "bench"\n[agent]\nname = "Pattern"\n[model]\nprovider = "Anthropic"\n[database]\ntype = "embedded"\npath = ${JSON.stringify(storePath)}\n`;
}

/**
 * Lets the disk settle before the next round: the writes and removals of this one, written back now, would otherwise
 * slow whatever the next one writes. Here a 100,000-message store (1.8 GB) copied right after another copy of it took
 * 6.1-10.0 s; after the removal of both and a `sync`, 0.37-0.38 s.
 */
function settleDisk(): Promise<void> {
  return new Promise((resolve) => execFile('sync', () => resolve()));
}

/** A temp folder for one round, removed afterwards, then the disk settled. */
async function withRoundFolder<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-round-'));
  const removed = onInterrupt('folder', () => fs.rm(dir, { recursive: true, force: true }));
  try {
    return await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
    removed();
    await settleDisk();
  }
}

/**
 * Runs `fn` in a temp folder whose `pattern.toml` names the cached store where it is, as a user's config names the
 * store Pattern wrote long before: pattern-db never writes into a store. A copy made for the round would be files
 * written a moment before, and copying those is what this disk does slowest: pattern-db's preflight (its own copy of
 * the store) took 9.2-13.1 s at 100,000 messages that way, against 0.8-1.3 s on the cached store (3 alternating
 * pairs). `changed` names the store's entries (sizes, times) that differ after `fn`: a round that changed any fails.
 */
export async function withStoreInPlace<T>(store: string, fn: (dir: string) => Promise<T>): Promise<{ value: T; changed: string[] }> {
  return withRoundFolder(async (dir) => {
    await fs.writeFile(path.join(dir, 'pattern.toml'), patternToml(store));
    const before = await listStore(store);
    const value = await fn(dir);
    return { value, changed: listingChanges(before, await listStore(store)) };
  });
}

/**
 * Runs `fn` in a temp folder holding `pattern.db`, a throwaway copy of the store for a program that writes into what it
 * opens (a surreal 3.1+ stamps a 3.0 store): its table files are hard links to the cached store's, as in pattern-db's own
 * throwaway copy (linkedCopy), so the round starts without writing the store's bulk. Throws if a shared file changed:
 * the cache is then no longer the generated store.
 */
export async function withThrowawayStore<T>(store: string, fn: (dir: string) => Promise<T>, onCopied?: () => void): Promise<T> {
  return withRoundFolder(async (dir) => {
    const copy = await linkedCopy(store, path.join(dir, 'pattern.db'));
    onCopied?.();
    await fs.writeFile(path.join(dir, 'pattern.toml'), patternToml('./pattern.db'));
    try {
      return await fn(dir);
    } finally {
      const changed = await copy.changedShared();
      if (changed.length) throw new Error(`a round wrote into the cached store's table files (${changed.join(', ')}): remove ${path.dirname(store)} so that the next bench generates it anew`);
    }
  });
}

/** Messages the target holds: a clean exit is not taken for a complete import. */
export async function messagesIn(url: string): Promise<number> {
  const http = new SurrealHttp({ url, ...BENCH_CREDENTIALS, namespace: 'pattern', database: 'pattern' });
  const [count] = (await http.sql('RETURN count(SELECT VALUE id FROM msg);').catch(() => [0])) as number[];
  return Number(count ?? 0);
}
