// The environment a `surreal start` of ours runs with: an allow-list, not pattern-db's whole environment. A server
// lives on (the managed one for months) and must not carry the tokens and keys of the shell that started it; a
// SURREAL_* the user exported for other work (SURREAL_UNAUTHENTICATED, SURREAL_IMPORT_FILE, SURREAL_CAPS_*…) would
// also change what the server does.
import { surrealEnv } from './cli.js';

/** What a server needs from the parent: where programs and temporary files are, the user's home, language and zone. */
const KEPT = /^(PATH|HOME|USER|LOGNAME|TMPDIR|TMP|TEMP|TZ|LANG|LANGUAGE|LC_[A-Z_]+|SYSTEMROOT)$/;

export function serverEnv(
  credentials: { username?: string; password?: string },
  extra: Record<string, string> = {},
  parent: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parent)) if (KEPT.test(name) && value !== undefined) kept[name] = value;
  return { ...surrealEnv(credentials, kept), ...extra };
}
