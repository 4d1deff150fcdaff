// The inspector's server source: POST /sql with the namespace/database as headers for each request, answers in CBOR
// so record ids, datetimes and the like keep their types; /health and /version for the server facts.
import { CborCodec } from 'surrealdb';
import { median } from '../core/stats.js';
import { PatternDbError } from '../core/errors.js';
import type { InspectSource, Scope, Selection, SourceFacts } from '../core/inspect-types.js';
import type { RunStatement } from './embedded-protocol.js';
import { classifyFetchError, classifyHttpStatus, serverText, SurrealHttp } from './http.js';
import { InspectReader, type InspectExecutor } from './inspect-reader.js';
import { toInspectValue } from './inspect-values.js';

export interface ServerInspectOptions {
  url: string;
  username: string;
  password: string;
  selection?: Selection;
  writable: boolean;
  timeoutMs?: number;
  /** Sees every statement text sent (tests check that pages stay bounded). */
  onRequest?: (sql: string, scope: Scope) => void;
  /** The server is a private one on a snapshot of this store: shown as the store, released on close. */
  servedStore?: { storePath: string; snapshot: string; release: () => Promise<void> };
}


class ServerExecutor implements InspectExecutor {
  readonly description;
  private readonly http: SurrealHttp;

  constructor(private readonly options: ServerInspectOptions) {
    this.http = new SurrealHttp({ url: options.url, username: options.username, password: options.password, timeoutMs: options.timeoutMs ?? 30_000 });
    const served = options.servedStore;
    this.description = {
      kind: served ? ('embedded' as const) : ('server' as const),
      location: served ? served.storePath : this.http.base,
      writable: options.writable,
      ...(served ? { snapshot: served.snapshot } : {}),
      ...(options.selection ? { selection: options.selection } : {}),
    };
  }

  async run(scope: Scope, sql: string, vars: Record<string, string> = {}): Promise<RunStatement[]> {
    this.options.onRequest?.(sql, scope);
    const url = new URL(`${this.http.base}/sql`);
    // Variables travel as query parameters, where the server reads them as strings.
    for (const [name, value] of Object.entries(vars)) url.searchParams.set(name, value);
    const label = `POST ${this.http.base}/sql`;
    const headers: Record<string, string> = { Accept: 'application/cbor' };
    // A private server on a store that already has root users runs without authentication (see snapshot-server.ts).
    if (this.options.username) headers.Authorization = `Basic ${Buffer.from(`${this.options.username}:${this.options.password}`).toString('base64')}`;
    if (scope.namespace) headers['surreal-ns'] = scope.namespace;
    if (scope.namespace && scope.database) headers['surreal-db'] = scope.database;
    let response: Response;
    let body: Uint8Array;
    try {
      response = await fetch(url, { method: 'POST', headers, body: sql, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw classifyFetchError(error, label);
    }
    // Refusals (parse errors, 401, 403) come as JSON or text whatever Accept says.
    if (response.status !== 200) {
      const text = Buffer.from(body).toString('utf8');
      if (response.status !== 400) throw classifyHttpStatus(response.status, text, label);
      // A query the server cannot parse: its own words, as the console shows them.
      throw new PatternDbError('E_STATEMENT', serverText(text), {
        evidence: `${label} → 400 ${text.slice(0, 2000)}`,
        fix: "Read the server's text: it points at the part of the query it could not parse.",
      });
    }
    let decoded: unknown;
    try {
      decoded = CborCodec.DEFAULT.decode(body);
    } catch {
      decoded = undefined;
    }
    if (!Array.isArray(decoded)) {
      throw new PatternDbError('E_HTTP', `${label} answered with something that is not a list of statement results.`, {
        evidence: Buffer.from(body.subarray(0, 300)).toString('utf8'),
        fix: 'Check that the URL points at a SurrealDB 3 server and not at a proxy or another program.',
      });
    }
    return decoded.map((answer: { status?: string; result?: unknown; time?: unknown }) => {
      const time = typeof answer.time === 'string' ? { time: answer.time } : {};
      return answer.status === 'OK'
        ? { ok: true, result: toInspectValue(answer.result), ...time }
        : { ok: false, error: typeof answer.result === 'string' ? answer.result : JSON.stringify(answer.result), ...time };
    });
  }

  async facts(): Promise<SourceFacts> {
    const version = await this.http.version().catch((error: unknown) => `unknown (${error instanceof Error ? error.message : String(error)})`);
    const timings: number[] = [];
    let health = 'answers /health';
    let healthy = true;
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      try {
        await this.http.health();
      } catch (error) {
        healthy = false;
        health = error instanceof Error ? error.message : String(error);
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
    // Every request stands alone; only a private server on a snapshot is held.
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
