// A dedicated server user for Pattern: root level (the only level Pattern signs in at) with the EDITOR role, not OWNER.
import { randomBytes } from 'node:crypto';
import { PatternDbError } from '../core/errors.js';
import { SurrealHttp } from '../surreal/http.js';
import { ident } from '../core/surql-ident.js';
import { listRootUsers, rootClient } from '../surreal/server-catalog.js';

export const APP_ROLE = 'EDITOR';

/**
 * Why EDITOR: Pattern's startup migrations DEFINE tables, fields, analyzers and indexes and write records, which
 * EDITOR allows; it cannot define or remove users or accesses, which only OWNER can. The trade-off: a root-level
 * user sees every namespace on the server, because Pattern cannot sign in below root.
 */
export const ROLE_REASON =
  'EDITOR can define the tables, fields, analyzers and indexes Pattern\'s migrations need and read and write every record, ' +
  'but cannot create, change or remove users or accesses (OWNER can). It is still a root-level user, so it can reach every ' +
  'namespace on this server: Pattern signs in at root level only.';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function assertUserName(name: string): void {
  if (!NAME.test(name)) {
    throw new PatternDbError('E_USAGE', `${JSON.stringify(name)} is not a usable user name.`, {
      fix: 'Use letters, digits and _ (not starting with a digit, up to 64), e.g. pattern_app.',
    });
  }
}

/** 32 characters from 24 random bytes (192 bits), URL-safe base64: safe unquoted in .env, shells and SurrealQL. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** A SurrealQL string literal. DEFINE USER … PASSWORD takes a literal only (3.0.5 refuses a $parameter there). */
export function surqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export interface AppUserInput {
  url: string;
  /** The administrator who creates the user (an OWNER at root level). */
  username: string;
  /** Where that username was found, in the user's words (e.g. "SURREAL_USER in /home/me/.env"), for messages. */
  usernameFrom?: string;
  password: string;
  name: string;
  replace: boolean;
}

export interface AppUserResult {
  name: string;
  role: string;
  replaced: boolean;
  /** Shown once; never logged or written anywhere but the .env the user asks for. */
  password: string;
}

function permissionError(error: unknown, admin: string): unknown {
  if (error instanceof PatternDbError && /Not enough permissions|IAM error/i.test(error.message)) {
    return new PatternDbError('E_PERMISSION', `${admin} may not define users on this server.`, {
      evidence: error.evidence ?? error.message,
      fix: 'Run this with a root user that has the OWNER role (SURREAL_USER/SURREAL_PASS), e.g. the one the server was started with.',
    });
  }
  return error;
}

/**
 * Defining a user takes OWNER; Pattern's own user is an EDITOR, and an OWNER redefined as EDITOR loses the right. The
 * usual way here: a .env that `--write-env` filled names Pattern's user, and this command signs in with it too.
 */
function signedInAsTheUserToCreate(input: AppUserInput): PatternDbError {
  const from = input.usernameFrom ? ` (${input.usernameFrom})` : '';
  return new PatternDbError('E_USAGE', `This command signs in as ${input.name}${from}, the very user it was asked to ${input.replace ? 'replace' : 'create'}; nothing was changed. A user cannot redefine itself: only an OWNER may define users, and ${input.name} would come out an EDITOR.`, {
    fix: `Sign in as another root user with the OWNER role, e.g. the one the server was started with: --username root, with its password in SURREAL_PASS in the environment (or typed when asked): the .env's is its own user's.`,
  });
}

export async function createAppUser(input: AppUserInput): Promise<AppUserResult> {
  assertUserName(input.name);
  if (input.name === input.username) throw signedInAsTheUserToCreate(input);
  const root = rootClient(input);
  const users = await listRootUsers(root);
  const exists = Object.hasOwn(users, input.name);
  if (exists && !input.replace) {
    throw new PatternDbError('E_ALREADY_EXISTS', `The server already has a root user ${input.name}; it was left as it was.`, {
      fix: 'Pick another name, or pass --replace to give it a new password and the EDITOR role (whatever uses the old password stops working).',
    });
  }
  const password = generatePassword();
  const define = exists ? 'DEFINE USER OVERWRITE' : 'DEFINE USER';
  try {
    await root.sql(`${define} ${ident(input.name)} ON ROOT PASSWORD ${surqlString(password)} ROLES ${APP_ROLE};`);
  } catch (error) {
    throw permissionError(error, input.username);
  }
  // Prove it works the way Pattern will use it: a root sign-in with the new credentials.
  await new SurrealHttp({ url: input.url, username: input.name, password }).checkCredentials();
  return { name: input.name, role: APP_ROLE.toLowerCase(), replaced: exists, password };
}
