// Which server the doctor checks and with what: --target or the config's url; the credentials Pattern would use.
import { DEFAULTS } from '../../core/options.js';
import { SurrealHttp } from '../../surreal/http.js';
import { patternCredentials } from '../../files/pattern-credentials.js';
import type { DoctorFindings, ServerFindings } from './findings.js';

const REQUEST_TIMEOUT_MS = 10_000;

/** Where the doctor looks for credentials: where Pattern would, with --username in front. */
export function credentialSearch(findings: DoctorFindings): { cwd: string; env: NodeJS.ProcessEnv; username?: string } {
  const { cwd, env, username } = findings.input;
  return { cwd, env, ...(username !== undefined ? { username } : {}) };
}

/** Resolves the server once; undefined when neither --target nor a remote config names one. Throws on a malformed URL. */
export async function serverOf(findings: DoctorFindings): Promise<ServerFindings | undefined> {
  if (findings.server) return findings.server;
  const db = findings.config?.database;
  const remote = db?.type === 'remote' ? db : undefined;
  const url = findings.input.target ?? remote?.url;
  if (!url) return undefined;
  const namespace = findings.input.namespace ?? remote?.namespace ?? DEFAULTS.namespace;
  const database = findings.input.database ?? remote?.database ?? DEFAULTS.database;
  const given = findings.input.credentials;
  const found = given
    ? { username: { value: given.username, from: 'flag' as const }, password: { value: given.password, from: 'flag' as const } }
    : await patternCredentials({ ...credentialSearch(findings), ...(remote ? { config: remote } : {}) });
  const http = new SurrealHttp({
    url,
    namespace,
    database,
    timeoutMs: REQUEST_TIMEOUT_MS,
    ...(found.username && found.password ? { username: found.username.value, password: found.password.value } : {}),
  });
  findings.server = {
    url,
    from: findings.input.target ? '--target' : 'config',
    namespace,
    database,
    http,
    ...(found.username ? { username: found.username } : {}),
    ...(found.password ? { password: found.password } : {}),
  };
  return findings.server;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[?::1\]?)$/i;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}
