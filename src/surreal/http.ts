// SurrealDB's HTTP endpoints (/health, /version, /sql, /import, /signin), with every failure turned into a PatternDbError.
import { CborCodec } from 'surrealdb';
import type { Agent } from 'undici';
import { PatternDbError } from '../core/errors.js';
import { isLoopback } from '../core/loopback-host.js';
import { StatementResultScanner } from '../core/statement-results.js';
import { ident } from '../core/surql-ident.js';
import { adoptSession, forgetSession, sessionKey, sharedSession } from './root-sessions.js';
import { isUnsendableAnswer, unsendableAnswerError } from './unsendable-answer.js';

export interface SurrealHttpOptions {
  url: string;
  username?: string;
  password?: string;
  namespace?: string;
  database?: string;
  /** Applies to every request but /import, whose size is unbounded (the caller passes a signal instead). */
  timeoutMs?: number;
}

export interface StatementResult {
  status: 'OK' | 'ERR';
  result: unknown;
  time?: string;
  [key: string]: unknown;
}

export interface ImportError {
  index: number;
  message: string;
}

const AUTH_FIX =
  'Check SURREAL_USER and SURREAL_PASS: they must name a root user of the server (Pattern signs in at root level only, ' +
  'so namespace or database users will not work).';
const REFUSED_FIX =
  'Start the server (for example `pattern-db server start`), or check the host and port of the URL.';

/** The HTTP base URL for any SurrealDB endpoint URL: ws→http, wss→https, without a trailing /rpc or /. */
export function httpBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PatternDbError('E_HTTP', `${url} is not a URL.`, {
      fix: 'Write the server address as http://HOST:PORT (or https://, ws://, wss://), e.g. http://127.0.0.1:8000.',
    });
  }
  const scheme = { 'http:': 'http:', 'https:': 'https:', 'ws:': 'http:', 'wss:': 'https:' }[parsed.protocol];
  if (!scheme) {
    throw new PatternDbError('E_HTTP', `${parsed.protocol}// is not a server address: only http, https, ws and wss reach a SurrealDB server.`, {
      evidence: url.replace(/\/\/[^@/]*@/, '//'),
      fix: 'Write the server address as http://HOST:PORT, e.g. http://127.0.0.1:8000. Local stores (surrealkv://, memory) have no HTTP endpoints.',
    });
  }
  if (parsed.username || parsed.password) {
    throw new PatternDbError('E_HTTP', 'The server URL holds credentials; they would show up in logs and process lists.', {
      evidence: `${scheme}//${parsed.host}${parsed.pathname}`,
      fix: 'Remove user:password@ from the URL and set SURREAL_USER and SURREAL_PASS instead.',
    });
  }
  const pathname = parsed.pathname.replace(/\/+$/, '').replace(/\/rpc$/, '').replace(/\/+$/, '');
  return `${scheme}//${parsed.host}${pathname}`;
}

function causeChain(error: unknown): Array<{ code?: string; message: string; name?: string }> {
  const chain: Array<{ code?: string; message: string; name?: string }> = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth += 1) {
    const e = current as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
    chain.push({
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(typeof e.name === 'string' ? { name: e.name } : {}),
      message: typeof e.message === 'string' ? e.message : String(current),
    });
    current = e.cause;
  }
  return chain;
}

function tlsError(code: string, detail: string, request: string, cause: unknown): PatternDbError {
  const evidence = `${request}: ${detail}`;
  if (/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY|CERT_UNTRUSTED/.test(code)) {
    return new PatternDbError('E_TLS', 'The server\'s TLS certificate is not signed by an authority this machine trusts (likely self-signed).', {
      evidence,
      cause,
      fix:
        'Use a certificate from a trusted authority, or trust its CA: for pattern-db, NODE_EXTRA_CA_CERTS=ca.pem; ' +
        'for Pattern, the system trust store (e.g. /usr/local/share/ca-certificates, then update-ca-certificates).',
    });
  }
  if (/EXPIRED|NOT_YET_VALID/.test(code)) {
    return new PatternDbError('E_TLS', 'The server\'s TLS certificate has expired or is not valid yet.', {
      evidence,
      cause,
      fix: 'Renew the certificate on the server (and check this machine\'s clock).',
    });
  }
  if (/ALTNAME|HOSTNAME/.test(code)) {
    return new PatternDbError('E_TLS', 'The server\'s TLS certificate is for a different host name than the URL.', {
      evidence,
      cause,
      fix: 'Use the host name the certificate was issued for, or issue a certificate that includes this name.',
    });
  }
  return new PatternDbError('E_TLS', 'The TLS handshake with the server failed.', {
    evidence,
    cause,
    fix: 'Check the scheme: https:// needs a server started with --web-crt/--web-key; a plain server needs http://.',
  });
}

function hostOf(request: string): string {
  const url = request.split(' ').pop() ?? request;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** A failed fetch (no HTTP answer) as a PatternDbError; `request` is e.g. "GET http://127.0.0.1:8000/health". */
export function classifyFetchError(error: unknown, request: string): PatternDbError {
  if (error instanceof PatternDbError) return error;
  const chain = causeChain(error);
  const codes = chain.map((c) => c.code ?? '').join(' ');
  const names = chain.map((c) => c.name ?? '').join(' ');
  const detail = chain.map((c) => (c.code ? `${c.code}: ${c.message}` : c.message)).join(' ← ');
  const evidence = `${request}: ${detail}`;
  if (/\bTimeoutError\b/.test(names) || /UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT|ETIMEDOUT/.test(codes)) {
    return new PatternDbError('E_TIMEOUT', `The server did not answer ${request} in time.`, {
      evidence,
      cause: error,
      fix: 'Check that the server is up and reachable (a firewall can swallow packets), or retry with a longer timeout.',
    });
  }
  if (/\bAbortError\b/.test(names) || codes.includes('ABORT_ERR')) {
    return new PatternDbError('E_CANCELLED', `Cancelled while waiting for ${request}.`, { evidence, cause: error });
  }
  if (codes.includes('ECONNREFUSED')) {
    return new PatternDbError('E_CONN_REFUSED', `Nothing is listening at ${hostOf(request)}.`, {
      evidence,
      cause: error,
      fix: REFUSED_FIX,
    });
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(codes)) {
    return new PatternDbError('E_HOST_NOT_FOUND', `The host name ${hostOf(request)} does not resolve.`, {
      evidence,
      cause: error,
      fix: 'Check the spelling of the host, or use its IP address (e.g. 127.0.0.1 for this machine).',
    });
  }
  const tls = chain.find((c) => /CERT|TLS|SSL|EPROTO/.test(c.code ?? '') || /certificate|SSL routines/i.test(c.message));
  if (tls) return tlsError(tls.code ?? '', detail, request, error);
  if (/ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED/.test(codes) || /other side closed/i.test(detail)) {
    return new PatternDbError('E_CONN_LOST', `The server closed the connection during ${request}.`, {
      evidence,
      cause: error,
      fix: 'Check whether the server is still running (`pattern-db server status`) and read its log; it may have crashed or restarted.',
    });
  }
  if (/^bad port$/.test(chain.at(-1)?.message ?? '')) {
    return new PatternDbError('E_HTTP', `Node's fetch refuses to connect to port ${hostOf(request).split(':').pop()}.`, {
      evidence,
      cause: error,
      fix: 'The port is on the WHATWG "bad ports" list (e.g. 1, 9, 6000, 6665-6669) that fetch blocks: run the server on another port, e.g. 8000.',
    });
  }
  return new PatternDbError('E_HTTP', `${request} failed: ${chain.at(-1)?.message ?? 'unknown error'}.`, {
    evidence,
    cause: error,
    fix: 'Check the server URL and that the server is running.',
  });
}

/**
 * SurrealDB 2 puts "There was a problem with the database: " before every request-level error (a 401's "The
 * password did not verify", a 400's "Parse error: …"); 3.x says the same without it. The evidence keeps it.
 */
export function withoutDatabasePrefix(text: string): string {
  return text.replace(/^There was a problem with the database: /, '');
}

/** The server's own words from an error body: JSON `information` (or `description`), else the text itself. */
export function serverText(body: string): string {
  try {
    const json = JSON.parse(body) as { information?: unknown; description?: unknown; details?: unknown };
    for (const value of [json.information, json.description, json.details]) {
      if (typeof value === 'string' && value) return withoutDatabasePrefix(value);
    }
  } catch {
    // not JSON: 401 answers are plain text
  }
  return withoutDatabasePrefix(body.trim());
}

/**
 * The most of one answer read into memory: far above any answer pattern-db asks for (pages, counts, digests; an export
 * is streamed), far below what would exhaust it. A server that sends without end (or a program that is not SurrealDB)
 * is stopped there, instead of filling the memory at the network's pace.
 */
const ANSWER_CAP = 256 << 20;

async function readAnswer(response: Response, label: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const tooLarge = () =>
    new PatternDbError('E_HTTP', `${label} answered with more than ${ANSWER_CAP >> 20} MB, far more than pattern-db asked for; it stopped reading.`, {
      fix: 'Check that the URL points at a SurrealDB server and not at another program.',
    });
  if (Number(response.headers.get('content-length')) > ANSWER_CAP) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  // fetch's signal ends the wait for the answer's head, not always for its body: a server sending a byte a second
  // is stopped by the same deadline here.
  let stop: (() => void) | undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    stop = () => reject(signal!.reason);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
  stopped.catch(() => undefined);
  try {
    for (;;) {
      const next = reader ? await Promise.race([reader.read(), stopped]).catch(async (error: unknown) => {
        await reader.cancel().catch(() => undefined);
        throw error;
      }) : { done: true as const, value: undefined };
      if (next.done) break;
      total += next.value.length;
      if (total > ANSWER_CAP) {
        await reader!.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(next.value);
    }
  } finally {
    // Node keeps a signal that has listeners for as long as the signals it follows (AbortSignal.any): a listener left
    // on it kept `stopped`, and through each race on it every chunk read, for the whole of a verification (about
    // 450 MB by the end of 100,000 messages' records, read twice).
    signal?.removeEventListener('abort', stop!);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

/**
 * A signal that aborts after `ms`, as AbortSignal.timeout's does, but held by its own timer until `clear`: a timeout
 * signal that only AbortSignal.any refers to can be garbage-collected before it fires (nodejs/node#48951; bin/ runs
 * V8 with --optimize-for-size), and a request to a server that stopped answering then waited for ever.
 */
function deadline(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`The operation timed out after ${ms} ms.`, 'TimeoutError')), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** A non-200 HTTP answer as a PatternDbError. */
export function classifyHttpStatus(status: number, body: string, request: string): PatternDbError {
  const text = serverText(body);
  const evidence = `${request} → ${status} ${body.trim().slice(0, 2000)}`;
  if (status === 401) {
    return new PatternDbError('E_AUTH', `The server refused the credentials: ${text || 'authentication failed'}.`, {
      evidence,
      fix: AUTH_FIX,
    });
  }
  if (status === 403) {
    return new PatternDbError('E_PERMISSION', `The user is not allowed to do this: ${text || 'forbidden'}.`, {
      evidence,
      fix: request.endsWith('/import')
        ? 'Use a root user with the OWNER role (SURREAL_USER/SURREAL_PASS): the server refuses /import to any other, an EDITOR (what `pattern-db user create` makes) too.'
        : 'Use a root user with the OWNER or EDITOR role (SURREAL_USER/SURREAL_PASS), or check the server\'s --deny-* capabilities.',
    });
  }
  return new PatternDbError('E_HTTP', `The server answered ${status}: ${text || '(empty body)'}.`, {
    evidence,
    fix: /specify a (namespace|database)/i.test(text)
      ? 'Set the namespace and database (Pattern uses [database] namespace/database from its config).'
      : `Read the server's answer in the evidence; a managed server's log is <state-dir>/server.log.`,
  });
}

/** Whether a body is a JSON list of statement results (what /import's 422 carries), not an error object. */
/** What every other statement of a transaction that failed says (2.x and 3.x): the one that failed says why. */
const TAKEN_DOWN = /^(The query was not executed due to a (failed|cancelled) transaction|Cannot COMMIT: the transaction was aborted)/;

/** The statement that failed, rather than the first of a transaction it took down with it. */
function causeOf(results: StatementResult[], firstFailed: number): number {
  const cause = results.findIndex((r, i) => i >= firstFailed && r.status !== 'OK' && !TAKEN_DOWN.test(resultText(r.result)));
  return cause >= 0 ? cause : firstFailed;
}

function resultText(result: unknown): string {
  return typeof result === 'string' ? result : JSON.stringify(result);
}

/**
 * For requests bounded only by their caller's signal (/import). Node's fetch gives up on an answer after 300 s without
 * headers: a SurrealDB 2.6.5 server answers a chunk that defines an index only once the index is built, which took
 * more than 300 s for a 5,000-message Pattern store (`npm run bench -- --engine 2`). Loaded on first use: undici is
 * the largest package of the bundle, and most commands never send such a request.
 */
let unboundedDispatcher: Promise<Agent> | undefined;
const unbounded = (): Promise<Agent> => (unboundedDispatcher ??= import('./undici-agent.js').then(({ Agent }) => new Agent({ headersTimeout: 0, bodyTimeout: 0 })));

type RequestOptions = { body?: string | Uint8Array; signal?: AbortSignal; authenticated?: boolean; bounded?: boolean; contentType?: string; accept?: string };

/**
 * The headers that ask a server on this machine for uncompressed answers. fetch asks for gzip, and a 3.x server then
 * compresses every page of records it sends (2.x does not): over loopback that is CPU spent twice, by the server and
 * by us, on the 2 cores a migration already fills. 2→3 at 5,000 messages ran a median 1.06 s faster without it (9
 * alternating pairs, faster in 8). A server elsewhere keeps compressing: there the network is what is short.
 */
export function encodingHeaders(base: string): Record<string, string> {
  return isLoopback(new URL(base).hostname) ? { 'Accept-Encoding': 'identity' } : {};
}

export class SurrealHttp {
  readonly base: string;
  private readonly options: SurrealHttpOptions;
  private readonly encoding: Record<string, string>;

  constructor(options: SurrealHttpOptions) {
    this.base = httpBase(options.url);
    this.options = options;
    this.encoding = encodingHeaders(this.base);
  }

  /**
   * The root session's token, signed in for once per server and user in this process (root-sessions.ts): a server
   * checks Basic credentials against the password hash on every request, a token by its signature. Undefined when the
   * server refuses the sign-in: requests then carry the Basic credentials, and fail the way those fail.
   */
  private async authorization(signal: AbortSignal | undefined): Promise<string | undefined> {
    const { username, password } = this.options;
    if (username === undefined || password === undefined) return undefined;
    const token = await this.sessionToken(signal);
    return token ? `Bearer ${token}` : `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  /** That token, for a `surreal` program to sign in with; undefined without credentials or when the server refuses them. */
  async sessionToken(signal?: AbortSignal): Promise<string | undefined> {
    const { username, password } = this.options;
    if (username === undefined || password === undefined) return undefined;
    return sharedSession(sessionKey(this.base, username, password), () => this.signInForToken(username, password, signal)).catch(() => undefined);
  }

  /** A token that was refused (expired): the next request signs in again. */
  forgetSessionToken(token: string): void {
    const { username, password } = this.options;
    if (username !== undefined && password !== undefined) forgetSession(sessionKey(this.base, username, password), token);
  }

  private async signInForToken(username: string, password: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    const timeout = signal ? undefined : deadline(this.options.timeoutMs ?? 30_000);
    const label = `POST ${this.base}/signin`;
    try {
      const bounded = signal ?? timeout!.signal;
      const response = await fetch(`${this.base}/signin`, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: username, pass: password }),
        signal: bounded,
      });
      const text = Buffer.from(await readAnswer(response, label, bounded)).toString('utf8');
      return response.status === 200 ? tokenOf(text) : undefined;
    } finally {
      timeout?.clear();
    }
  }

  private headers(authorization: string | undefined, scoped: boolean): Record<string, string> {
    const { namespace, database } = this.options;
    const headers: Record<string, string> = { Accept: 'application/json', ...this.encoding };
    if (authorization) headers.Authorization = authorization;
    if (scoped && namespace) headers['surreal-ns'] = namespace;
    if (scoped && database) headers['surreal-db'] = database;
    return headers;
  }

  /** Sends a request and hands back the response unread; a failure to get any answer becomes a PatternDbError. */
  private async send(
    method: 'GET' | 'POST',
    route: string,
    init: RequestOptions = {},
    timeout?: AbortSignal,
  ): Promise<{ response: Response; label: string; signal: AbortSignal | undefined }> {
    const label = `${method} ${this.base}${route}`;
    const present = [init.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
    const signal = present.length ? AbortSignal.any(present) : undefined;
    // Sign-in and the health routes need no session: without ns/db or credentials they cannot fail on them.
    const authenticated = init.authenticated ?? true;
    // Encoded here, natively: fetch checks a string for lone surrogates, then encodes it with a TextEncoder. Profiled
    // over a 20,000-message import, those took 313 ms of CPU, Buffer.from 81 ms (a lone surrogate becomes U+FFFD either way).
    const body = typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body;
    // What fetch says of a string body, kept for the bytes it is now sent as.
    const contentType = init.contentType ?? (typeof init.body === 'string' ? 'text/plain;charset=UTF-8' : undefined);
    const attempt = async (): Promise<{ response: Response; token: string | undefined }> => {
      const authorization = authenticated ? await this.authorization(signal) : undefined;
      const headers = this.headers(authorization, authenticated);
      if (contentType) headers['Content-Type'] = contentType;
      if (init.accept) headers.Accept = init.accept;
      const response = await fetch(`${this.base}${route}`, {
        method,
        headers,
        ...(body !== undefined ? { body: body as BodyInit } : {}),
        ...(signal ? { signal } : {}),
        ...(init.bounded === false ? { dispatcher: await unbounded() } : {}),
      });
      return { response, token: authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined };
    };
    try {
      const first = await attempt();
      if (first.response.status !== 401 || !first.token) return { response: first.response, label, signal };
      // The session expired (a token lasts an hour on a default root user): signed in again, and asked once more.
      await first.response.body?.cancel();
      this.forgetSessionToken(first.token);
      return { response: (await attempt()).response, label, signal };
    } catch (error) {
      throw classifyFetchError(error, label);
    }
  }

  /** The answer read whole: text, or the raw bytes of a 200 when a binary `accept` was asked for. */
  private async request(
    method: 'GET' | 'POST',
    route: string,
    init: RequestOptions = {},
  ): Promise<{ status: number; text: string; label: string; bytes?: Uint8Array }> {
    // The deadline covers the answer's body too, and ends with it.
    const timeout = init.bounded === false ? undefined : deadline(this.options.timeoutMs ?? 30_000);
    let bytes: Uint8Array;
    let answer: { response: Response; label: string };
    try {
      const { response, label, signal } = await this.send(method, route, init, timeout?.signal);
      answer = { response, label };
      bytes = await readAnswer(response, label, signal).catch((error: unknown) => {
        throw error instanceof PatternDbError ? error : classifyFetchError(error, label);
      });
    } finally {
      timeout?.clear();
    }
    const { response, label } = answer;
    if (!init.accept || response.status !== 200) return { status: response.status, text: Buffer.from(bytes).toString('utf8'), label };
    return { status: response.status, text: '', label, bytes };
  }

  private async expectOk(response: { status: number; text: string; label: string }): Promise<string> {
    if (response.status !== 200) throw classifyHttpStatus(response.status, response.text, response.label);
    return response.text;
  }

  private parseResults(text: string, label: string): StatementResult[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed)) {
      throw new PatternDbError('E_HTTP', `${label} answered with something that is not a list of statement results.`, {
        evidence: `${label} → 200 ${text.slice(0, 500)}`,
        fix: 'Check that the URL points at a SurrealDB server and not at a proxy or another program.',
      });
    }
    return parsed as StatementResult[];
  }

  /** GET /health: resolves when the server and its storage answer. */
  async health(opts: { signal?: AbortSignal } = {}): Promise<void> {
    await this.expectOk(await this.request('GET', '/health', { authenticated: false, ...opts }));
  }

  /** GET /version, e.g. "3.0.5". */
  async version(opts: { signal?: AbortSignal } = {}): Promise<string> {
    const text = await this.expectOk(await this.request('GET', '/version', { authenticated: false, ...opts }));
    return text.trim().replace(/^surrealdb-/, '');
  }

  /** POST /sql, returning every statement's raw result without judging it. */
  async sqlResults(text: string, opts: { signal?: AbortSignal } = {}): Promise<StatementResult[]> {
    const response = await this.request('POST', '/sql', { body: text, ...opts });
    return this.parseResults(await this.expectOk(response), response.label);
  }

  /** POST /sql; an ERR in any statement throws E_STATEMENT (a 200 does not mean success). */
  async sql(text: string, opts: { signal?: AbortSignal } = {}): Promise<unknown[]> {
    const results = await this.sqlResults(text, opts);
    const failed = results.findIndex((r) => r.status !== 'OK');
    if (failed >= 0) throw this.statementError(results, causeOf(results, failed));
    return results.map((r) => r.result);
  }

  /**
   * POST /rpc in CBOR, undecoded: the one route whose CBOR keeps SurrealDB's value tags in both majors (2.x's /sql
   * turns values into JSON first, then writes that JSON as CBOR: record ids, datetimes and decimals become strings).
   * The ns/db headers and Basic credentials scope the call, as for /sql. `unsendableFix` is what to tell the user when
   * the answer holds a value with no CBOR form (unsendable-answer.ts).
   */
  async rpcCbor(method: string, params: unknown[], opts: { signal?: AbortSignal; unsendableFix?: string } = {}): Promise<Uint8Array> {
    const body = CborCodec.DEFAULT.encode({ id: 1, method, params });
    const response = await this.request('POST', '/rpc', { body, contentType: 'application/cbor', accept: 'application/cbor', ...(opts.signal ? { signal: opts.signal } : {}) });
    if (isUnsendableAnswer(response.status, serverText(response.text))) throw unsendableAnswerError(response.label, response.status, response.text, opts.unsendableFix);
    await this.expectOk(response);
    return response.bytes ?? new Uint8Array();
  }

  /**
   * POST /export with a JSON config, the whole dump as text (for small selections such as users only). Keys a
   * server does not know are ignored by both majors.
   */
  async exportText(config: Record<string, boolean>, opts: { signal?: AbortSignal } = {}): Promise<string> {
    const response = await this.request('POST', '/export', { body: JSON.stringify(config), contentType: 'application/json', accept: 'text/plain', ...opts });
    await this.expectOk(response);
    return Buffer.from(response.bytes ?? new Uint8Array()).toString('utf8');
  }

  /** Creates the namespace and database of this client if they do not exist (SurrealDB 3's /sql and /import do not). */
  async ensureDatabase(opts: { signal?: AbortSignal } = {}): Promise<void> {
    const { namespace, database } = this.options;
    if (!namespace || !database) {
      throw new PatternDbError('E_HTTP', 'No namespace and database to create.', {
        fix: 'Set the namespace and database (Pattern uses [database] namespace/database from its config).',
      });
    }
    await this.sql(
      `DEFINE NAMESPACE IF NOT EXISTS ${ident(namespace)}; USE NS ${ident(namespace)}; DEFINE DATABASE IF NOT EXISTS ${ident(database)};`,
      opts,
    );
  }

  private statementError(results: StatementResult[], failed: number): PatternDbError {
    const result = results[failed]!;
    const message = resultText(result.result);
    const evidence = `POST ${this.base}/sql → 200, statement index ${failed}: ${JSON.stringify(result)}`;
    // SurrealDB 3 reports missing ns/db headers inside a 200 ("Specify a namespace to use"): a request problem.
    const unnamed = /^Specify a (namespace|database) to use/.exec(message);
    if (unnamed) {
      return new PatternDbError('E_HTTP', `The request names no ${unnamed[1]}: ${message}.`, {
        evidence,
        fix: 'Set the namespace and database (Pattern uses [database] namespace/database from its config).',
      });
    }
    const missing = /^The (namespace|database) '.*' does not exist/.test(message);
    return new PatternDbError('E_STATEMENT', `Statement ${failed + 1} of ${results.length} failed: ${message}`, {
      evidence,
      fix: missing
        ? 'SurrealDB 3 does not create namespaces or databases on first use over HTTP: create them first (DEFINE NAMESPACE / DEFINE DATABASE).'
        : "Read the server's text above: it names what is wrong with the statement.",
    });
  }

  /**
   * POST /import. SurrealDB 3 answers only with the statements that failed (indexes count those answers, not the
   * statements sent; 3.0.5 with 200, 3.3.5 with 422 Unprocessable Entity when one failed); SurrealDB 2 with every
   * statement's result unless the server skips successes. So the answer is read as it streams and only the failures
   * are kept. The caller decides what an error means.
   */
  async importBody(body: string | Uint8Array, opts: { signal?: AbortSignal } = {}): Promise<{ errors: ImportError[] }> {
    const { response, label } = await this.send('POST', '/import', { body, bounded: false, ...opts });
    if (response.status !== 200 && response.status !== 422) throw classifyHttpStatus(response.status, await response.text().catch(() => ''), label);
    const scanner = new StatementResultScanner();
    const decoder = new TextDecoder();
    let head = '';
    try {
      for await (const chunk of response.body ?? []) {
        const text = decoder.decode(chunk as Uint8Array, { stream: true });
        if (head.length < 2000) head += text.slice(0, 2000 - head.length);
        scanner.feed(text);
      }
      scanner.feed(decoder.decode());
    } catch (error) {
      throw classifyFetchError(error, label);
    }
    if (!scanner.complete) {
      if (response.status === 422) throw classifyHttpStatus(response.status, head, label);
      throw new PatternDbError('E_HTTP', `${label} answered with something that is not a whole list of statement results.`, {
        evidence: `${label} → 200 ${head.slice(0, 500)}`,
        fix: 'Check that the URL points at a SurrealDB server and not at a proxy or another program, and that the server did not stop mid-answer.',
      });
    }
    return { errors: scanner.failures };
  }

  /**
   * POST /signin at root level, or at namespace/database level when `scope` names them: true when accepted,
   * false when refused (401); other answers throw.
   */
  async signin(
    credentials: { username: string; password: string },
    scope: { namespace?: string; database?: string } = {},
    opts: { signal?: AbortSignal } = {},
  ): Promise<boolean> {
    const body = {
      user: credentials.username,
      pass: credentials.password,
      ...(scope.namespace ? { ns: scope.namespace } : {}),
      ...(scope.namespace && scope.database ? { db: scope.database } : {}),
    };
    const response = await this.request('POST', '/signin', { body: JSON.stringify(body), contentType: 'application/json', authenticated: false, ...opts });
    if (response.status === 401) return false;
    await this.expectOk(response);
    return true;
  }

  /** POST /signin as a root user; resolves 'root' or throws E_AUTH. */
  async checkCredentials(opts: { signal?: AbortSignal } = {}): Promise<'root'> {
    const { username, password } = this.options;
    if (username === undefined || password === undefined) {
      throw new PatternDbError('E_AUTH', 'No credentials to sign in with.', { fix: AUTH_FIX });
    }
    const response = await this.request('POST', '/signin', {
      body: JSON.stringify({ user: username, pass: password }),
      contentType: 'application/json',
      authenticated: false,
      ...opts,
    });
    await this.expectOk(response);
    const token = tokenOf(response.text);
    if (token) adoptSession(sessionKey(this.base, username, password), token);
    return 'root';
  }
}

/** The token of a /signin answer. */
function tokenOf(text: string): string | undefined {
  try {
    const token = (JSON.parse(text) as { token?: unknown }).token;
    return typeof token === 'string' && token ? token : undefined;
  } catch {
    return undefined;
  }
}
