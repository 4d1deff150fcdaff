// The inspector's embedded source: the store is copied first and the copy opened in the engine's child process,
// so nothing the inspector does (even with --write) reaches the folder Pattern uses. The copy goes when it closes.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { median } from '../core/stats.js';
import { PatternDbError } from '../core/errors.js';
import type { InspectSource, Scope, Selection, SourceDescription, SourceFacts } from '../core/inspect-types.js';
import type { RunStatement } from './embedded-protocol.js';
import { EMBEDDED_ENGINE, EmbeddedStore } from './embedded.js';
import { InspectReader, type InspectExecutor } from './inspect-reader.js';
import { openServerSource } from './inspect-server.js';
import { servePrivately, type PrivateServer } from './private-server.js';
import { storeReaderFor } from './source-store.js';
import { assertStoreFree, freeBytes, inspectStore, removeSnapshot, snapshotStore, type StoreFormat } from './store.js';

export interface EmbeddedInspectOptions {
  storePath: string;
  /** The snapshot goes to <stateDir>/snapshots. */
  stateDir: string;
  selection?: Selection;
  writable: boolean;
  onRequest?: (sql: string, scope: Scope) => void;
}


class EmbeddedExecutor implements InspectExecutor {
  constructor(
    private readonly store: EmbeddedStore,
    readonly description: SourceDescription,
    private readonly onRequest?: (sql: string, scope: Scope) => void,
  ) {}

  async run(scope: Scope, sql: string, vars?: Record<string, string>): Promise<RunStatement[]> {
    this.onRequest?.(sql, scope);
    try {
      return await this.store.run(sql, scope, vars);
    } catch (error) {
      if (error instanceof PatternDbError) throw error;
      // The engine rejects a query it cannot parse as a whole: its message is the server's text.
      throw new PatternDbError('E_STATEMENT', error instanceof Error ? error.message : String(error), {
        fix: "Read the engine's text above: it names what is wrong with the query.",
      });
    }
  }

  async facts(): Promise<SourceFacts> {
    const timings: number[] = [];
    let healthy = true;
    let health = 'the engine answers';
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      try {
        await this.store.run('RETURN 1');
      } catch (error) {
        healthy = false;
        health = error instanceof Error ? error.message : String(error);
      }
      timings.push(performance.now() - started);
    }
    return {
      kind: 'embedded',
      location: this.description.location,
      version: EMBEDDED_ENGINE,
      healthy,
      health,
      latencyMs: median(timings),
      ...(this.description.snapshot ? { snapshot: this.description.snapshot } : {}),
    };
  }

  async close(): Promise<void> {
    this.store.close();
    if (this.description.snapshot) await removeSnapshot(this.description.snapshot);
  }
}

/** Refuses a missing folder or a store in use (the same checks as the migration), then reads a snapshot copy. */
export async function openEmbeddedSource(options: EmbeddedInspectOptions): Promise<InspectSource> {
  const info = await inspectStore(options.storePath);
  assertStoreFree(info);
  const snapshots = path.join(options.stateDir, 'snapshots');
  const free = await freeBytes(options.stateDir);
  if (free < info.bytes * 1.1) {
    throw new PatternDbError('E_DISK_FULL', `A snapshot of the store needs ${(info.bytes / 1e6).toFixed(1)} MB; ${(free / 1e6).toFixed(1)} MB is free for ${options.stateDir}.`, {
      fix: 'Free some disk space, or pass --state-dir DIR on a disk with room.',
    });
  }
  const snapshot = await snapshotStore(info, snapshots);
  if (info.format !== 'surrealkv-3.0') return openServedSource(options, info.path, info.format, snapshot);
  let store: EmbeddedStore;
  try {
    store = await EmbeddedStore.open(snapshot);
  } catch (error) {
    await fs.rm(snapshot, { recursive: true, force: true });
    throw error;
  }
  const description: SourceDescription = {
    kind: 'embedded',
    location: info.path,
    writable: options.writable,
    snapshot,
    ...(options.selection ? { selection: options.selection } : {}),
  };
  return new InspectReader(new EmbeddedExecutor(store, description, options.onRequest));
}

/** A store the embedded engine cannot read (2.x, 3.1+): a private server of its kind on the snapshot, read as any server is. */
async function openServedSource(options: EmbeddedInspectOptions, storePath: string, format: StoreFormat, snapshot: string): Promise<InspectSource> {
  let served: PrivateServer | undefined;
  try {
    served = await servePrivately({ bin: (await storeReaderFor(format)).path, folder: snapshot });
    const running = served;
    return await openServerSource({
      url: running.url,
      username: running.username,
      password: running.password,
      writable: options.writable,
      ...(options.selection ? { selection: options.selection } : {}),
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      servedStore: {
        storePath,
        snapshot,
        release: async () => {
          await running.close();
          await removeSnapshot(snapshot);
        },
      },
    });
  } catch (error) {
    await served?.close();
    await removeSnapshot(snapshot);
    throw error;
  }
}
