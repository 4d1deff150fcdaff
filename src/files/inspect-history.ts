// The query console's history, one file per user: ${XDG_STATE_HOME:-~/.local/state}/pattern-db/inspect-history.jsonl.
// Queries that may carry a secret are not written (the file would keep it on disk); the file is the user's alone (0600).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InspectHistory } from '../core/inspect-types.js';
import { writePrivateFile } from './private-files.js';

export const HISTORY_LIMIT = 500;

export function historyPath(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'state');
  return path.join(base, 'pattern-db', 'inspect-history.jsonl');
}

/** Parts of names that say a value is a secret: passwords and their hashes, keys, tokens, credentials, sign-in params. */
const SECRET_PARTS = new Set([
  'pass',
  'passwd',
  'password',
  'passphrase',
  'passhash',
  'passscram',
  'secret',
  'key',
  'apikey',
  'token',
  'jwt',
  'bearer',
  'authorization',
  'credential',
  'credentials',
  'signin',
  'signup',
  // crypto:: hash and password functions: their argument is the secret.
  'crypto',
]);

/** \uXXXX and \u{X…} read as the characters they stand for, so an escaped name is still seen. */
function unescaped(text: string): string {
  return text.replace(/\\u\{([0-9a-f]{1,6})\}|\\u([0-9a-f]{4})/gi, (whole, long: string | undefined, short: string | undefined) => {
    const code = Number.parseInt(long ?? short ?? '', 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Whether a query may carry a secret, so that it stays out of the file: a DEFINE/ALTER of a USER or ACCESS (passwords,
 * hashes, keys), any crypto:: call (a hash function's argument is the secret), and any name with a secret's word as a
 * part, in any case or spelling (`SET password = …`, `PASSHASH`, `api_key`, `apiKey`, `{ user, pass }` sign-in params,
 * `$token`, an Authorization header). Conservative: a harmless query that is left out costs only its recall.
 */
export function holdsSecret(query: string): boolean {
  const text = unescaped(query);
  if (/\b(DEFINE|ALTER)\s+(ACCESS|USER)\b/i.test(text)) return true;
  const parts = text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/);
  return parts.some((part) => SECRET_PARTS.has(part));
}

/** The last `limit` queries, oldest first; a missing or damaged file is an empty history. */
export async function loadHistory(file: string, limit = HISTORY_LIMIT): Promise<string[]> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  const entries: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as { query?: unknown };
      if (typeof entry.query === 'string') entries.push(entry.query);
    } catch {
      // a torn line from a crash: skip it
    }
  }
  return entries.slice(-limit);
}

/** Appends to a file that only the user can read: 0600 whatever the umask, and a file left wider is narrowed first. */
async function appendPrivately(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, 'a', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.appendFile(text);
  } finally {
    await handle.close();
  }
}

/** Appends a query; once the file holds twice the limit, it is rewritten with the newest `limit`. */
export async function appendHistory(file: string, query: string, limit = HISTORY_LIMIT): Promise<void> {
  if (!query.trim() || holdsSecret(query)) return;
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const before = await fs.readFile(file, 'utf8').catch(() => '');
  // A line torn by a crash is closed first, so this entry stays readable.
  const line = `${before && !before.endsWith('\n') ? '\n' : ''}${JSON.stringify({ at: new Date().toISOString(), query })}\n`;
  await appendPrivately(file, line);
  const lines = (before + line).split('\n').filter((l) => l.trim());
  if (lines.length <= limit * 2) return;
  await writePrivateFile(file, lines.slice(-limit).join('\n') + '\n');
}

/** The file-backed store the console uses; append failures never disturb the session. */
export async function fileHistory(file: string): Promise<InspectHistory> {
  const entries = await loadHistory(file);
  let writes = Promise.resolve();
  return {
    entries,
    append(query) {
      writes = writes.then(() => appendHistory(file, query)).catch(() => undefined);
    },
  };
}
