// Connects to a migrated database the way Pattern does: the [database] of its pattern.toml, root credentials from
// SURREAL_USER/SURREAL_PASS in its .env, over the ws:// url, through a SurrealDB SDK client (`surreal sql`, whose major
// picks the SDK: 2.x is what Pattern embeds). Read independently of pattern-db's own code.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'smol-toml';
import { surrealBin, tempDir } from './surreal.js';

export interface PatternConnection {
  url: string;
  namespace: string;
  database: string;
  username: string;
  password: string;
}

/** KEY=VALUE lines of a dotenv file; a double-quoted value loses its quotes and its `\` escapes. */
function readDotenv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const raw = match[2]!;
    vars[match[1]!] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\n/g, '\n').replace(/\\(.)/g, '$1') : raw;
  }
  return vars;
}

/** Where and as whom Pattern connects after the move, read from `dir`/pattern.toml and `dir`/.env. */
export async function patternConnection(dir: string): Promise<PatternConnection> {
  const database = parse(await fs.readFile(path.join(dir, 'pattern.toml'), 'utf8')).database as Record<string, unknown>;
  if (database.type !== 'remote') throw new Error(`pattern.toml still says [database] type = ${String(database.type)}`);
  const env = readDotenv(await fs.readFile(path.join(dir, '.env'), 'utf8'));
  if (!env.SURREAL_USER || !env.SURREAL_PASS) throw new Error('.env holds no SURREAL_USER/SURREAL_PASS');
  return {
    url: String(database.url),
    namespace: String(database.namespace),
    database: String(database.database),
    username: env.SURREAL_USER,
    password: env.SURREAL_PASS,
  };
}

export interface SqlSession {
  exitCode: number;
  /** One entry per query line: the statements' results (a statement's error is its text, as `surreal sql` prints it). */
  results: unknown[][];
  stderr: string;
}

/**
 * Runs `queries` (one per line) through `surreal sql` of that major against the connection, credentials in its
 * environment only. It runs in a throwaway folder, since `surreal sql` writes a history.txt where it runs.
 */
export async function patternSql(major: 2 | 3, connection: PatternConnection, queries: string[]): Promise<SqlSession> {
  const cwd = await tempDir('pattern-db-sql-');
  try {
    const args = ['sql', '--endpoint', connection.url, '--namespace', connection.namespace, '--database', connection.database, '--json', '--hide-welcome'];
    const run = await execa(await surrealBin(major), args, {
      cwd,
      input: `${queries.join('\n')}\n`,
      env: { SURREAL_USER: connection.username, SURREAL_PASS: connection.password, SURREAL_ONLINE_VERSION_CHECK: 'false', NO_COLOR: '1' },
      extendEnv: false,
      reject: false,
      timeout: 120_000,
    });
    const results = String(run.stdout)
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as unknown[]);
    return { exitCode: run.exitCode ?? -1, results, stderr: String(run.stderr).replace(/\x1b\[[0-9;]*m/g, '') };
  } finally {
    await fs.rm(cwd, { recursive: true, force: true });
  }
}
