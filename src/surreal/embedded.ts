// The embedded engine (@surrealdb/node), always in a child process: the engine can keep a process alive after
// close() and hold the surrealkv LOCK, so the only reliable way to let go of a store is to end the process.
import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { PatternDbError } from '../core/errors.js';
import { compiledPath } from '../files/compiled-path.js';
import { createPrivateFile } from '../files/private-files.js';
import type { Scope } from '../core/inspect-types.js';
import type { ValueDigest } from '../core/record-digest.js';
import type { PageStart } from '../core/record-range.js';
import type { DatabaseInfo, EmbeddedReply, EmbeddedRequest, ExportProgress, RecordHash, RunStatement } from './embedded-protocol.js';
import type { RangeDigest } from './range-digest.js';
import { engineCannotRead, storeFormatOf } from './store.js';
import { howToGetSurreal } from './store-reader.js';
import { READER_BLOCK_CACHE_BYTES } from './store-reader-env.js';
import { killedBySystem, STORE_OPEN_FIX } from './killed-by-system.js';
import { COPY_DAMAGED, KEEP_A_COPY, manifestNotWhole, tableFilesNotWhole, unreadableDamage } from './store-table-damage.js';
import { errorText } from '../core/error-text.js';

export const EMBEDDED_ENGINE = '@surrealdb/node 3.0.3 (SurrealDB 3.0.2)';
export const EMBEDDED_ENGINE_MAJOR = 3;
/** How long a request whose send failed waits for the engine's exit to say why. */
const SEND_FAILED_GRACE_MS = 1_000;

function classifyOpenError(message: string, storePath: string): PatternDbError {
  if (/already locked/i.test(message)) {
    return new PatternDbError('E_STORE_LOCKED', `The store ${storePath} is locked by another process.`, {
      evidence: message,
      fix: 'Stop the program that has it open (Pattern, or a surreal server started on it), then run again.',
    });
  }
  if (/out-of-date|manifest|fill whole buffer|storage version|corrupt|Invalid revision/i.test(message)) {
    return new PatternDbError('E_STORE_FORMAT', `The embedded engine (${EMBEDDED_ENGINE}) cannot read ${storePath}.`, {
      evidence: message,
      fix: 'The store was probably written by another SurrealDB version: export it with a surreal CLI of that version.',
    });
  }
  return new PatternDbError('E_STORE_FORMAT', `The embedded engine could not open ${storePath}: ${message}`, {
    evidence: message,
    fix: 'Check that the folder is a surrealkv store written by SurrealDB 3.',
  });
}

function withEvidence(error: PatternDbError, evidence: string[]): PatternDbError {
  return new PatternDbError(error.code, error.message, { evidence: evidence.join('\n'), ...(error.fix ? { fix: error.fix } : {}) });
}

/**
 * A 3.0 engine on a store written by SurrealDB 3.1+ that carries no stamp (3.1, 3.2) opens it, then fails on what it
 * reads: `A deserialization error occured: Invalid revision `4` for type `TableDefinition``. A damaged table file
 * fails what reads it.
 */
function classifyReadError(message: string, storePath: string): Error {
  const damaged = unreadableDamage(message);
  if (damaged) return damaged;
  if (!/Invalid revision `\d+` for type/.test(message)) return new Error(message);
  return new PatternDbError('E_STORE_FORMAT', `The embedded engine (${EMBEDDED_ENGINE}) cannot read ${storePath}: it was written by a newer SurrealDB (3.1 or later).`, {
    evidence: message,
    fix: `A surreal 3.1 or later reads it. ${howToGetSurreal('surrealkv-3.1+')}`,
  });
}

/** A request the engine gave up on without answering it (embedded-worker.ts): it would have been waited on for ever. */
function droppedBy(op: EmbeddedRequest['op'], storePath: string): PatternDbError {
  const what = op === 'open' ? 'opening' : 'reading';
  return new PatternDbError('E_ENGINE_DROPPED', `The embedded engine (${EMBEDDED_ENGINE}) gave up ${what} ${storePath} without answering: it would never have finished, nor said why.`, {
    evidence: `request: ${op}`,
    fix: `It does that on a store it cannot read, most likely a damaged one (a table file cut short or overwritten by a crash). ${COPY_DAMAGED} ${KEEP_A_COPY}`,
  });
}

/**
 * What keeps the engine's process small; a value the user set in the environment wins.
 * - The block cache is by default half the machine's memory, and it keeps what a read brought in: reading a store
 *   once (census, verification) made the reader grow with the store (684 MB at 100,000 messages). Every page is read
 *   once here, so a small cache costs nothing (measured with verify-records.ts's VERIFY_PAGE).
 * - glibc's allocator kept the freed buffers of the pages read (each a few MB) in up to 16 arenas: two arenas, and
 *   buffers from 128 KiB on given back to the system when freed, took 15-58 MB off, at no cost measured.
 */
const ENGINE_ENV = {
  SURREAL_SURREALKV_BLOCK_CACHE_CAPACITY: String(READER_BLOCK_CACHE_BYTES),
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: String(128 * 1024),
};

/**
 * The in-process export's page texts are garbage a moment later: by default V8 let them pile up (a heap of 99 MB at
 * 20,000 messages). --optimize-for-size, used until 6 December, collected them sooner, at a cost: collections took
 * 172 ms of the 0.6 s the 5,000-message export took. A young generation half the default size keeps the peak under
 * 300 MB for less (the export alone, from the snapshot without the index data): 100,000 messages in 13.1 s and
 * 242 MB against 15.1 s and 205 MB; 20,000 in 1.50-1.63 s against 1.99-2.00 s; 5,000 in 0.45 s against 0.50-0.65 s.
 * With the default size: 12.1 s and 266 MB at 100,000.
 */
const ENGINE_NODE_FLAGS = ['--max-semi-space-size=8'];

/** Flags that make node run code given with them, and take it as the next argument unless joined to it by `=`. */
const CODE_FLAGS = new Set(['-e', '--eval', '-p', '--print', '-pe', '-ep', '--input-type']);

/**
 * This process's node flags, less those that run code of their own (`node -e SCRIPT`): the engine's process would run
 * that code too, and a SCRIPT that reads a store would start another engine's process, and so on without end.
 */
function inheritedNodeFlags(flags: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    const name = flag.split('=', 1)[0]!;
    if (!CODE_FLAGS.has(name)) kept.push(flag);
    else if (name === flag) i++;
  }
  return kept;
}

function startEngineProcess(): ChildProcess {
  return fork(compiledPath(import.meta.url, './embedded-worker.js'), [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    execArgv: [...inheritedNodeFlags(process.execArgv), ...ENGINE_NODE_FLAGS],
    env: { ...ENGINE_ENV, ...process.env },
  });
}

/** The engine's process startEngineAhead started, not yet taken by an open. */
let ahead: ChildProcess | undefined;

/** Whether `child` keeps this process alive: a process started ahead must not, until an open takes it. */
function holdOn(child: ChildProcess, hold: boolean): void {
  for (const handle of [child, child.channel, child.stderr as Socket | null]) {
    if (hold) handle?.ref();
    else handle?.unref();
  }
}

/**
 * Starts the engine's process now, for the next EmbeddedStore.open to take: node and the engine's module load in it
 * (0.13-0.15 s of the 0.22-0.28 s an open of the 5,000-message store's snapshot took) while this process copies the
 * store. Returns what ends it if no open took it; it ends with this process anyway (embedded-worker.ts).
 */
export function startEngineAhead(): () => void {
  const child = (ahead ??= startEngineProcess());
  holdOn(child, false);
  return () => {
    if (ahead !== child) return;
    ahead = undefined;
    child.kill('SIGKILL');
  };
}

function takeEngineAhead(): ChildProcess | undefined {
  const child = ahead;
  ahead = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return undefined;
  holdOn(child, true);
  return child;
}

export class EmbeddedStore {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (p: ExportProgress) => void }
  >();
  private stderr = '';
  /** close() kills the engine's process: a SIGKILL before that came from elsewhere (the out-of-memory killer). */
  private closing = false;
  /** Why the process ended, once it has: what every request then fails with. */
  private gone: PatternDbError | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly path: string,
  ) {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    child.on('message', (reply: EmbeddedReply) => this.receive(reply));
    child.on('exit', (code, signal) => {
      const error = (this.gone =
        signal === 'SIGKILL' && !this.closing
          ? killedBySystem(`${EMBEDDED_ENGINE}, the process reading ${this.path}`, 'pattern-db used it', this.stderr.trim().split('\n'), { fix: STORE_OPEN_FIX })
          : this.stopped(signal ?? `exit ${code}`));
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    });
  }

  private stopped(how: string): PatternDbError {
    return new PatternDbError('E_INTERNAL', `The embedded engine stopped (${how}).`, {
      evidence: this.stderr.trim() || undefined,
      fix: 'Run again; if it repeats, the store may be damaged: check it with `pattern-db doctor`.',
    });
  }

  /**
   * Opens a snapshot copy (absolute path) of a store; never pass the live store. Without a selection nothing is USEd
   * (SurrealDB 3 creates what USE names): only run() then works, with the scope it is given.
   */
  static async open(snapshotPath: string, selection?: { namespace: string; database: string }): Promise<EmbeddedStore> {
    // Refused before the engine starts: it would write into the folder (LOCK, a WAL segment) and then fail on the
    // first definition it reads ("Invalid revision `4` for type `TableDefinition`").
    const finding = await storeFormatOf(snapshotPath);
    const refusal = engineCannotRead({ path: snapshotPath, ...finding }, EMBEDDED_ENGINE);
    if (refusal) throw withEvidence(refusal, finding.evidence);
    // The engine never answers the open of a store whose manifest or table file is missing, empty or cut short:
    // refused by name. Whatever else it gives up on, its process reports (embedded-worker.ts).
    const damaged = (await manifestNotWhole(snapshotPath)) ?? (await tableFilesNotWhole(snapshotPath));
    if (damaged) throw damaged;
    const store = new EmbeddedStore(takeEngineAhead() ?? startEngineProcess(), snapshotPath);
    try {
      await store.call({ op: 'open', path: snapshotPath, ...selection });
    } catch (error) {
      store.close();
      throw error instanceof PatternDbError && error.code !== 'E_INTERNAL'
        ? error
        : classifyOpenError(errorText(error), snapshotPath);
    }
    return store;
  }

  private receive(reply: EmbeddedReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    if (reply.kind === 'progress') {
      waiter.onProgress?.(reply.progress);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.kind === 'result') waiter.resolve(reply.result);
    else if (reply.kind === 'dropped') waiter.reject(droppedBy(reply.op, this.path));
    else waiter.reject(classifyReadError(reply.message, this.path));
  }

  private call<T>(request: EmbeddedRequest, onProgress?: (p: ExportProgress) => void, signal?: AbortSignal): Promise<T> {
    if (this.gone) return Promise.reject(this.closing ? new PatternDbError('E_INTERNAL', 'The embedded engine is not running.') : this.gone);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.close();
        reject(new PatternDbError('E_CANCELLED', 'Cancelled; the embedded engine was stopped.'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = <V>(fn: (v: V) => void) => (v: V) => {
        signal?.removeEventListener('abort', onAbort);
        fn(v);
      };
      this.pending.set(id, { resolve: done(resolve as (v: unknown) => void), reject: done(reject), ...(onProgress ? { onProgress } : {}) });
      // A child that died before its exit is seen fails the send; without a callback that is an uncaught 'error'. Its
      // exit, seen a moment later, says why and settles the request; a channel that closed on a live child does not.
      this.child.send({ id, request }, (error) => {
        if (!error) return;
        setTimeout(() => {
          const waiter = this.pending.get(id);
          if (!waiter) return;
          this.pending.delete(id);
          waiter.reject(this.stopped(error.message));
        }, SEND_FAILED_GRACE_MS);
      });
    });
  }

  databases(): Promise<Record<string, string[]>> {
    return this.call({ op: 'databases' });
  }

  info(): Promise<DatabaseInfo> {
    return this.call({ op: 'info' });
  }

  count(table: string): Promise<number> {
    return this.call({ op: 'count', table });
  }

  hashes(table: string, start: PageStart, limit: number): Promise<RecordHash[]> {
    return this.call({ op: 'hashes', table, start, limit });
  }

  /** One digest for a whole page of records (verification by ranges). */
  rangeDigest(table: string, start: PageStart, limit: number): Promise<RangeDigest> {
    return this.call({ op: 'rangeDigest', table, start, limit });
  }

  /** One page of (id, digest of the record's canonical value), for comparing with a server of another major. */
  valueDigests(table: string, start: PageStart, limit: number, omit: readonly string[] = []): Promise<ValueDigest[]> {
    return this.call({ op: 'valueDigests', table, start, limit, omit: [...omit] });
  }

  query(sql: string): Promise<unknown[]> {
    return this.call({ op: 'query', sql });
  }

  /** Statements in a scope of their own, each with its own result or error (the inspector's reads and console). */
  run(sql: string, scope: Scope = {}, vars?: Record<string, unknown>): Promise<RunStatement[]> {
    return this.call({ op: 'run', sql, ...(vars ? { vars } : {}), ...scope });
  }

  /**
   * Exports into `file`, made here (0600; an existing file is refused) before the engine fills it; `onCreated` runs
   * once it exists, empty, before the engine writes to it. The engine refuses a path that names another file by then.
   */
  async export(
    file: string,
    options: { batch?: number; onProgress?: (p: ExportProgress) => void; onCreated?: (file: string) => Promise<void>; signal?: AbortSignal } = {},
  ): Promise<{ bytes: number; records: number }> {
    const made = await createPrivateFile(file);
    await options.onCreated?.(file);
    return this.call({ op: 'export', file, made, batch: options.batch ?? 1000 }, options.onProgress, options.signal);
  }

  close(): void {
    if (this.gone) return;
    this.closing = true;
    this.child.kill('SIGKILL');
  }
}
