// POST /export as a stream: the server's dump of one namespace/database, never held in memory whole.
import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { classifyFetchError, classifyHttpStatus, encodingHeaders, httpBase } from './http.js';

export interface ExportRequest {
  url: string;
  /** Empty for a server without authentication (a private one on a snapshot, see snapshot-server.ts). */
  username: string;
  password: string;
  namespace: string;
  database: string;
  /** A 2.6+ server writes the dump for SurrealDB 3 (as `surreal export --v3` does), logging what 3.x may refuse. */
  v3?: boolean;
  signal?: AbortSignal;
}

/**
 * What a backup holds: everything an export of the database holds, its own users and accesses included (DEFINE USER
 * … ON DATABASE, with the PASSHASH a restore needs for them to sign in again). Root and namespace users live above
 * the database and are not part of it.
 */
export const BACKUP_EXPORT_OPTIONS = {
  users: true,
  accesses: true,
  params: true,
  functions: true,
  analyzers: true,
  tables: true,
  versions: false,
  records: true,
} as const;

/**
 * Starts the export and returns its body. A 200 only says the export began: the server drops an error that happens
 * later and ends the body early (reference/surrealdb-facts.md §5), so the caller must check what arrived.
 */
export async function openExportStream(request: ExportRequest): Promise<Readable> {
  const base = httpBase(request.url);
  const label = `POST ${base}/export`;
  let response: Response;
  try {
    response = await fetch(`${base}/export`, {
      method: 'POST',
      headers: {
        Accept: 'text/plain',
        ...encodingHeaders(base),
        'Content-Type': 'application/json',
        ...(request.username ? { Authorization: `Basic ${Buffer.from(`${request.username}:${request.password}`).toString('base64')}` } : {}),
        'surreal-ns': request.namespace,
        'surreal-db': request.database,
      },
      body: JSON.stringify({ ...BACKUP_EXPORT_OPTIONS, ...(request.v3 ? { v3: true } : {}) }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    throw classifyFetchError(error, label);
  }
  if (response.status !== 200 || !response.body) {
    throw classifyHttpStatus(response.status, await response.text().catch(() => ''), label);
  }
  const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  // A connection that breaks mid-body surfaces as a stream error: give it the same words as any other.
  const out = new PassThrough();
  body.on('error', (error) => out.destroy(classifyFetchError(error, label)));
  // An error before the caller reads (the export stopped while its body waited) would otherwise crash the process; the
  // stream keeps it, and the pipeline or loop that reads it later fails with it.
  out.on('error', () => undefined);
  return body.pipe(out);
}
