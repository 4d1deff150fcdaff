// Which server the doctor checks and with what: --target or the config's url; the credentials Pattern would use.
import { SurrealHttp } from '../../surreal/http.js';
import { findServer } from '../../files/database-target.js';
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
  const { target, namespace: ns, database: db } = findings.input;
  const found = await findServer({ ...credentialSearch(findings), target, namespace: ns, database: db }, findings.config?.database);
  if (!found) return undefined;
  const { url, namespace, database } = found;
  const credentials = findings.input.credentials ?? found.credentials;
  const http = new SurrealHttp({
    url,
    namespace,
    database,
    timeoutMs: REQUEST_TIMEOUT_MS,
    ...(credentials.username && credentials.password ? { username: credentials.username.value, password: credentials.password.value } : {}),
  });
  findings.server = {
    url,
    from: findings.input.target ? '--target' : 'config',
    namespace,
    database,
    http,
    ...(credentials.username ? { username: credentials.username } : {}),
    ...(credentials.password ? { password: credentials.password } : {}),
  };
  return findings.server;
}

