// The console's read-only session: the server, not a scan of the text, refuses writes. The text runs as a system user
// with the VIEWER role (it cannot create, update, delete or define, and a custom function it calls runs with its
// rights). Credentials that are VIEWER already are used as they are; otherwise a short-lived VIEWER is defined at root
// and removed when the inspector closes. Checked on SurrealDB 2.6.5 and 3.3.5; the server must run with
// authentication (with --unauthenticated, record writes are not checked against any role).
import { randomBytes } from 'node:crypto';
import { PatternDbError } from '../core/errors.js';
import { SurrealHttp, withoutDatabasePrefix } from './http.js';

/** Every user pattern-db defines for a read-only console starts so: an administrator can tell what it is. */
export const READONLY_USER_PREFIX = 'pattern_db_readonly_';

export interface Credentials {
  username: string;
  password: string;
}

/** The roles of a DEFINE USER text as INFO FOR ROOT gives it, upper-case ([] when it names none). */
export function rolesOf(definition: string): string[] {
  const roles = /\bROLES\s+([A-Za-z]+(?:\s*,\s*[A-Za-z]+)*)/i.exec(definition)?.[1];
  return roles ? roles.split(',').map((r) => r.trim().toUpperCase()) : [];
}

export class ReadOnlyUser {
  private made: Promise<Credentials> | undefined;
  private defined: string | undefined;

  /** `own` is empty on a private server that runs without authentication. */
  constructor(
    private readonly url: string,
    private readonly own: Credentials,
    private readonly timeoutMs: number,
  ) {}

  /** The credentials to run console text with; defined on first use. */
  credentials(): Promise<Credentials> {
    // A failure is not kept: the next query tries again (the network may have come back, or the rights changed).
    this.made ??= this.make().catch((error: unknown) => {
      this.made = undefined;
      throw error;
    });
    return this.made;
  }

  private admin(): SurrealHttp {
    return new SurrealHttp({ url: this.url, ...(this.own.username ? this.own : {}), timeoutMs: this.timeoutMs });
  }

  private async ownRoles(): Promise<string[]> {
    if (!this.own.username) return [];
    const [root] = await this.admin().sqlResults('INFO FOR ROOT').catch(() => []);
    const users = root?.status === 'OK' ? (root.result as { users?: Record<string, unknown> } | null)?.users : undefined;
    const definition = users?.[this.own.username];
    return typeof definition === 'string' ? rolesOf(definition) : [];
  }

  private async make(): Promise<Credentials> {
    const roles = await this.ownRoles();
    if (roles.length > 0 && roles.every((role) => role === 'VIEWER')) return this.own;
    const username = `${READONLY_USER_PREFIX}${randomBytes(6).toString('hex')}`;
    const password = randomBytes(24).toString('base64url');
    // The token and session durations bound what a leaked sign-in could do; the user itself goes on close.
    const statement = `DEFINE USER ${username} ON ROOT PASSWORD '${password}' ROLES VIEWER DURATION FOR TOKEN 1m, FOR SESSION 15m`;
    const [answer] = await this.admin().sqlResults(statement);
    if (answer?.status !== 'OK') {
      const words = withoutDatabasePrefix(typeof answer?.result === 'string' ? answer.result : 'no answer');
      throw new PatternDbError('E_READ_ONLY', `The console runs queries as a user that can only read, and ${this.own.username || 'this session'} may not define one: ${words}`, {
        evidence: `DEFINE USER ${username} ON ROOT … ROLES VIEWER → ${words}`,
        fix: 'Inspect as a root user with the OWNER role (SURREAL_USER / --username), or as a root user with only the VIEWER role (used as it is); --write runs queries with your own rights, asking before each write.',
      });
    }
    this.defined = username;
    return { username, password };
  }

  /** Removes the user this session defined (a no-op when none was). */
  async remove(): Promise<void> {
    await this.made?.catch(() => undefined);
    if (!this.defined) return;
    const name = this.defined;
    this.defined = undefined;
    await this.admin().sqlResults(`REMOVE USER IF EXISTS ${name} ON ROOT`).catch(() => undefined);
  }
}
