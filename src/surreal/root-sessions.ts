// The root session tokens of this process, one per server and user, shared by every SurrealHttp client of it. A server
// checks a sign-in (or Basic credentials) against the password hash, about 45 ms of its CPU on 3.3.5 here; a migration
// made eight sign-ins, one per client, some of them while the server built the indexes.
import { createHash } from 'node:crypto';

interface Session {
  token: Promise<string | undefined>;
  /** The token once the sign-in answered. */
  settled?: string | undefined;
}

const sessions = new Map<string, Session>();

/** Keyed by a digest: the password itself is not kept in a key. */
export function sessionKey(base: string, username: string, password: string): string {
  return createHash('sha256').update(`${base}\u0000${username}\u0000${password}`).digest('hex');
}

/**
 * The session for `key`, signed in by `signIn` if there is none yet. A sign-in that got no answer (a server not up
 * yet) is forgotten, so the next request asks again; one the server refused (undefined) stands.
 */
export function sharedSession(key: string, signIn: () => Promise<string | undefined>): Promise<string | undefined> {
  const found = sessions.get(key);
  if (found) return found.token;
  const session: Session = {
    token: signIn().then(
      (token) => ((session.settled = token), token),
      (error: unknown) => {
        if (sessions.get(key) === session) sessions.delete(key);
        throw error;
      },
    ),
  };
  sessions.set(key, session);
  return session.token;
}

/** The server refused `token` (it expired, or the server started again with a new key): the next request signs in. */
export function forgetSession(key: string, token: string): void {
  if (sessions.get(key)?.settled === token) sessions.delete(key);
}

/** A root sign-in made for another reason (the credentials check) hands its token on: no client signs in again. */
export function adoptSession(key: string, token: string): void {
  if (!sessions.has(key)) sessions.set(key, { token: Promise.resolve(token), settled: token });
}
