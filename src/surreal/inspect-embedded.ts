// The inspector's embedded source: the store is copied first and the copy opened in the engine's child process,
// so nothing the inspector does (even with --write) reaches the folder Pattern uses. The copy goes when it closes.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { median } from '../core/stats.js';
import { PatternDbError } from '../core/errors.js';
import type { InspectSource, Scope, Selection, SourceDescription, SourceStatus } from '../core/inspect-types.js';
import type { RunStatement } from './embedded-protocol.js';
import { EMBEDDED_ENGINE, EmbeddedStore } from './embedded.js';
import { InspectReader, type InspectExecutor } from './inspect-reader.js';
import { openServerSource } from './inspect-server.js';
import { servePrivately, type PrivateServer } from './private-server.js';
import { storeReaderFor } from './source-store.js';
import { damageMessage, openNoticingDamage, type StoreDamage } from './store-log-damage.js';
import { howToGetSurreal, locateStoreReader } from './store-reader.js';
import { assertStoreFree, inspectStore, removeSnapshot, snapshotRoomShortfall, snapshotStore } from './store.js';
import type { StoreFormat } from '../core/store-format.js';
import { errorText } from '../core/error-text.js';

export interface EmbeddedInspectOptions {
  storePath: string;
  /** The snapshot goes to <stateDir>/snapshots. */
  stateDir: string;
  selection?: Selection;
  writable: boolean;
  /** The console will run text read-only: a 3.0 store is then served too, so that a server enforces it. */
  readOnlyConsole?: boolean;
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
      throw new PatternDbError('E_STATEMENT', errorText(error), {
        fix: "Read the engine's text above: it names what is wrong with the query.",
      });
    }
  }

  runReadOnly(): Promise<RunStatement[]> {
    // The engine runs without authentication: a VIEWER signed in here could still write records (tried on 3.0.2).
    throw new PatternDbError('E_READ_ONLY', 'Not run: the read-only console on a SurrealDB 3.0 store needs a surreal 3 to serve its snapshot, so that the server refuses writes; none was found.', {
      fix: `${howToGetSurreal(3)} Or open with --write: queries then run on the snapshot copy only, asking before each write.`,
    });
  }

  async status(): Promise<SourceStatus> {
    const timings: number[] = [];
    let healthy = true;
    let health = 'the engine answers';
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      try {
        await this.store.run('RETURN 1');
      } catch (error) {
        healthy = false;
        health = errorText(error);
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
  const shortfall = await snapshotRoomShortfall(info, options.stateDir);
  if (shortfall) throw shortfall;
  const snapshot = await snapshotStore(info, snapshots);
  if (info.format !== 'surrealkv-3.0') return openServedSource(options, info.path, info.format, snapshot);
  if (options.readOnlyConsole && !options.writable) {
    const reader = await locateStoreReader(info.format);
    if (reader) return openServedSource(options, info.path, info.format, snapshot, reader.path);
  }
  let store: EmbeddedStore;
  let damage: StoreDamage | undefined;
  try {
    ({ opened: store, damage } = await openNoticingDamage(snapshot, info.format, () => EmbeddedStore.open(snapshot)));
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
    ...(damage ? { damaged: damageMessage(damage, info.path) } : {}),
  };
  return new InspectReader(new EmbeddedExecutor(store, description, options.onRequest));
}

/** A store the embedded engine cannot read (2.x, 3.1+): a private server of its kind on the snapshot, read as any server is. */
async function openServedSource(options: EmbeddedInspectOptions, storePath: string, format: StoreFormat, snapshot: string, bin?: string): Promise<InspectSource> {
  let served: PrivateServer | undefined;
  try {
    const program = bin ?? (await storeReaderFor(format)).path;
    // Only this first open of the snapshot says what it repaired.
    const first = await openNoticingDamage(snapshot, format, () => servePrivately({ bin: program, folder: snapshot }), (opened) => opened.openingLines);
    served = first.opened;
    const damage = first.damage;
    if (!served.username && !options.writable) {
      // A store with root users of its own is served without authentication, and there record writes are checked
      // against no role: the read-only console needs a server that signs in. An owner of ours goes into the snapshot.
      const owner = { username: `pattern_db_owner_${randomBytes(6).toString('hex')}`, password: randomBytes(24).toString('base64url') };
      await served.client().sql(`DEFINE USER ${owner.username} ON ROOT PASSWORD '${owner.password}' ROLES OWNER`);
      await served.close();
      served = undefined;
      served = await servePrivately({ bin: program, folder: snapshot, credentials: owner });
      if (!served.username) throw new PatternDbError('E_SERVER_START', `The private server on ${snapshot} would not sign in with the user defined for it, so it cannot enforce a read-only console.`, { fix: 'Open with --write (queries then run on the snapshot copy only, asking before each write), or report this.' });
    }
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
        ...(damage ? { damaged: damageMessage(damage, storePath) } : {}),
        release: async () => {
          await running.close();
          await removeSnapshot(snapshot);
        },
        explaining: (work) => running.explaining(work),
      },
    });
  } catch (error) {
    await served?.close();
    await removeSnapshot(snapshot);
    throw error;
  }
}
