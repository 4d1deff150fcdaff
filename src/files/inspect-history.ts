// The query console's history, one file per user: ${XDG_STATE_HOME:-~/.local/state}/pattern-db/inspect-history.jsonl.
// Queries that carry a password or key are not written (the file would keep a secret on disk).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InspectHistory } from '../core/inspect-types.js';

export const HISTORY_LIMIT = 500;

export function historyPath(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'state');
  return path.join(base, 'pattern-db', 'inspect-history.jsonl');
}

/** PASSWORD '…', PASSHASH '…', PASSSCRAM '…', KEY '…' (DEFINE USER, DEFINE ACCESS): such queries stay out of the file. */
export function holdsSecret(query: string): boolean {
  return /\b(PASSWORD|PASSHASH|PASSSCRAM|KEY)\s*['"]/i.test(query);
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

/** Appends a query; once the file holds twice the limit, it is rewritten with the newest `limit`. */
export async function appendHistory(file: string, query: string, limit = HISTORY_LIMIT): Promise<void> {
  if (!query.trim() || holdsSecret(query)) return;
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const before = await fs.readFile(file, 'utf8').catch(() => '');
  // A line torn by a crash is closed first, so this entry stays readable.
  const line = `${before && !before.endsWith('\n') ? '\n' : ''}${JSON.stringify({ at: new Date().toISOString(), query })}\n`;
  await fs.appendFile(file, line, { mode: 0o600 });
  const lines = (before + line).split('\n').filter((l) => l.trim());
  if (lines.length <= limit * 2) return;
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, lines.slice(-limit).join('\n') + '\n', { mode: 0o600 });
  await fs.rename(temp, file);
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
