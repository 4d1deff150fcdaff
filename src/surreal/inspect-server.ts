// The inspector's server source: the RPC `query` method over POST /rpc, with the namespace/database as headers for
// each request, answered in CBOR so record ids, datetimes and the like keep their types on SurrealDB 2 and 3 alike
// (2.x's /sql turns values into JSON before writing CBOR); /health and /version for the server's status.
import { CborCodec } from 'surrealdb';
import { median } from '../core/stats.js';
import { PatternDbError } from '../core/errors.js';
import type { InspectSource, Scope, Selection, SourceStatus } from '../core/inspect-types.js';
import type { RunStatement } from './embedded-protocol.js';
import { SurrealHttp, withoutDatabasePrefix } from './http.js';
import { InspectReader, type InspectExecutor } from './inspect-reader.js';
import { ReadOnlyUser, type Credentials } from './inspect-readonly-user.js';
import { toInspectValue } from './inspect-values.js';
import { CAST_TO_TEXT_FIX } from './unsendable-answer.js';
import { errorText } from '../core/error-text.js';

export interface ServerInspectOptions {
  url: string;
  username: string;
  password: string;
  selection?: Selection;
  writable: boolean;
  timeoutMs?: number;
  /** Sees every statement text sent (tests check that pages stay bounded). */
  onRequest?: (sql: string, scope: Scope) => void;
  /**
   * The server is a private one on a snapshot of this store: shown as the store, released on close; its requests run
   * through `explaining`, which names the server's own end as the failure when it ended by itself.
   */
  servedStore?: {
    storePath: string;
    snapshot: string;
    /** What SurrealDB dropped of a damaged log when it opened the snapshot (store-log-damage.ts). */
    damaged?: string;
    release: () => Promise<void>;
    explaining: <T>(work: () => Promise<T>) => Promise<T>;
  };
}


class ServerExecutor implements InspectExecutor {
  readonly description;
  private readonly http: SurrealHttp;
  private readonly readOnly: ReadOnlyUser;

  constructor(private readonly options: ServerInspectOptions) {
    this.http = new SurrealHttp({ url: options.url, username: options.username, password: options.password, timeoutMs: options.timeoutMs ?? 30_000 });
    this.readOnly = new ReadOnlyUser(options.url, { username: options.username, password: options.password }, options.timeoutMs ?? 30_000);
    const served = options.servedStore;
    this.description = {
      kind: served ? ('embedded' as const) : ('server' as const),
      location: served ? served.storePath : this.http.base,
      writable: options.writable,
      ...(served ? { snapshot: served.snapshot } : {}),
      ...(served?.damaged ? { damaged: served.damaged } : {}),
      ...(options.selection ? { selection: options.selection } : {}),
    };
  }

  run(scope: Scope, sql: string, vars: Record<string, string> = {}): Promise<RunStatement[]> {
    return this.explained(() => this.runAs(this.options, scope, sql, vars));
  }

  runReadOnly(scope: Scope, sql: string): Promise<RunStatement[]> {
    return this.explained(async () => this.runAs(await this.readOnly.credentials(), scope, sql, {}));
  }

  /** A private server that ended by itself is named as what failed the request. */
  private explained<T>(work: () => Promise<T>): Promise<T> {
    return this.options.servedStore ? this.options.servedStore.explaining(work) : work();
  }

  private async runAs(credentials: Credentials, scope: Scope, sql: string, vars: Record<string, string>): Promise<RunStatement[]> {
    this.options.onRequest?.(sql, scope);
    const { url, timeoutMs } = this.options;
    const { username, password } = credentials;
    // A private server on a store that already has root users runs without authentication (see private-server.ts).
    const http = new SurrealHttp({
      url,
      ...(username ? { username, password } : {}),
      ...(scope.namespace ? { namespace: scope.namespace } : {}),
      ...(scope.namespace && scope.database ? { database: scope.database } : {}),
      timeoutMs: timeoutMs ?? 30_000,
    });
    const label = `POST ${http.base}/rpc (query)`;
    const body = await http.rpcCbor('query', [sql, vars], { unsendableFix: CAST_TO_TEXT_FIX });
    let decoded: unknown;
    try {
      decoded = CborCodec.DEFAULT.decode(body);
    } catch {
      decoded = undefined;
    }
    const answer = (decoded ?? {}) as { result?: unknown; error?: { message?: unknown } };
    if (answer.error) {
      // A query the server cannot parse fails as a whole: its own words, as the console shows them.
      const message = typeof answer.error.message === 'string' ? answer.error.message : JSON.stringify(answer.error);
      throw new PatternDbError('E_STATEMENT', withoutDatabasePrefix(message), {
        evidence: `${label} → ${message.slice(0, 2000)}`,
        fix: "Read the server's text: it points at the part of the query it could not parse.",
      });
    }
    if (!Array.isArray(answer.result)) {
      throw new PatternDbError('E_HTTP', `${label} answered with something that is not a list of statement results.`, {
        evidence: Buffer.from(body.subarray(0, 300)).toString('utf8'),
        fix: 'Check that the URL points at a SurrealDB server and not at a proxy or another program.',
      });
    }
    return answer.result.map((statement: { status?: string; result?: unknown; time?: unknown }) => {
      const time = typeof statement.time === 'string' ? { time: statement.time } : {};
      return statement.status === 'OK'
        ? { ok: true, result: toInspectValue(statement.result), ...time }
        : { ok: false, error: typeof statement.result === 'string' ? statement.result : JSON.stringify(statement.result), ...time };
    });
  }

  async status(): Promise<SourceStatus> {
    const version = await this.http.version().catch((error: unknown) => `unknown (${errorText(error)})`);
    const timings: number[] = [];
    let health = 'answers /health';
    let healthy = true;
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      try {
        await this.http.health();
      } catch (error) {
        healthy = false;
        health = errorText(error);
      }
      timings.push(performance.now() - started);
    }
    const served = this.options.servedStore;
    if (served) {
      return { kind: 'embedded', location: served.storePath, version: `surreal ${version} (a private server on the snapshot)`, healthy, health, latencyMs: median(timings), snapshot: served.snapshot };
    }
    return {
      kind: 'server',
      location: this.http.base,
      version,
      healthy,
      health,
      latencyMs: median(timings),
      user: this.options.username,
    };
  }

  async close(): Promise<void> {
    // Every request stands alone; only the read-only user and a private server on a snapshot are held.
    await this.readOnly.remove();
    await this.options.servedStore?.release();
  }
}

/** Checks the server answers and takes the credentials before anything is shown. */
export async function openServerSource(options: ServerInspectOptions): Promise<InspectSource> {
  const executor = new ServerExecutor(options);
  const http = new SurrealHttp({ url: options.url, username: options.username, password: options.password, timeoutMs: options.timeoutMs ?? 30_000 });
  await http.health();
  if (options.username) await http.checkCredentials();
  return new InspectReader(executor);
}
