// Proof that Pattern works after the move of a SurrealDB 2 store (issue 10 §5): connected the way Pattern connects
// (the rewritten pattern.toml, the .env pattern-db wrote, ws://, a SurrealDB SDK of Pattern's major), it finds its
// agents, every message, and full-text search. And why upgrading warns: Pattern's SDK major is refused by a 3.x server.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { stopManagedServer } from '../../src/surreal/server.js';
import { patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { runPatternDb, type RunResult } from '../helpers/pattern-db.js';
import { patternConnection, patternSql } from '../helpers/pattern-sql.js';
import { freePort } from '../helpers/surreal.js';

const MESSAGES = 300;
// A word of the fixture's vocabulary: the generated messages really contain it.
const SEARCH_WORD = 'medication';

const serverDirs: string[] = [];
afterAll(async () => {
  for (const dir of serverDirs) await stopManagedServer(dir).catch(() => undefined);
});

/** `migrate --yes --write-env` of a fresh 2.x Pattern folder into a new managed server; the server is stopped after the tests. */
async function migrated(extra: string[]): Promise<{ folder: PatternFolder; run: RunResult }> {
  const folder = await patternFolder(MESSAGES, 1, PATTERN_TOML, 2);
  serverDirs.push(path.join(folder.dir, '.pattern-db'));
  const args = ['migrate', '--yes', '--json', '--write-env', '--start-server', 'memory', '--bind', `127.0.0.1:${await freePort()}`, ...extra];
  const run = await runPatternDb(args, { cwd: folder.dir, env: { SURREAL_USER: 'root', SURREAL_PASS: randomBytes(12).toString('hex') } });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  return { folder, run };
}

it('stays on SurrealDB 2: Pattern, connecting with the rewritten config and .env, finds its agents, messages and full-text search', async () => {
  const { folder, run } = await migrated([]);
  expect(run.result?.preflight?.route).toEqual({ source: 2, target: 2 });
  const connection = await patternConnection(folder.dir);
  expect(connection.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);

  const session = await patternSql(2, connection, [
    'SELECT * FROM agent',
    'RETURN count(SELECT VALUE id FROM msg)',
    // SurrealDB 2 answers `@1@` without a full-text index with "There was no suitable index supporting the expression",
    // so rows here prove msg_content_search came across (Pattern never defines it again once its schema version is 1).
    `SELECT id, content FROM msg WHERE content @1@ '${SEARCH_WORD}'`,
  ]);
  expect(session.exitCode, session.stderr).toBe(0);
  const [[agents], [messages], [hits]] = session.results as [[Array<{ id: string; name: string }>], [number], [Array<{ id: string; content: unknown }>]];
  expect(agents.map((a) => a.name).sort()).toEqual(['Anchor', 'Archive', 'Entropy', 'Flux', 'Momentum', 'Pattern']);
  expect(agents.every((a) => a.id.startsWith('agent:'))).toBe(true);
  expect(messages).toBe(folder.counts.msg);
  expect(messages).toBe(MESSAGES);
  expect(Array.isArray(hits), `the search answered ${JSON.stringify(hits)}`).toBe(true);
  expect(hits.length).toBeGreaterThan(0);
  expect(hits.length).toBeLessThan(MESSAGES);
  // snowball(english) stems the word to "medic"; every hit holds it.
  for (const hit of hits) expect(JSON.stringify(hit.content).toLowerCase()).toContain('medic');

  // The major lock the other way round: a SurrealDB 3 client cannot talk to this 2.x server at all.
  const from3 = await patternSql(3, connection, ['SELECT * FROM agent']);
  expect(from3.exitCode).not.toBe(0);
  expect(from3.stderr).toContain('SubProtocol error: Server sent no subprotocol');
}, 300_000);

it('upgrades to SurrealDB 3: the 2.x client Pattern embeds is refused by the new server, which is why the run warns', async () => {
  const { folder, run } = await migrated(['--target-version', '3']);
  expect(run.result?.preflight?.route).toEqual({ source: 2, target: 3 });
  expect(run.events.some((e) => e.type === 'diagnostic' && e.code === 'W_PATTERN_SDK')).toBe(true);
  const connection = await patternConnection(folder.dir);

  // 2.6.5's SDK asks the 3.3.5 server for a WebSocket subprotocol it no longer offers: it never gets as far as the
  // version check ("server version … does not match the range supported by the client"), but is refused all the same.
  const from2 = await patternSql(2, connection, ['SELECT * FROM agent']);
  expect(from2.exitCode).toBe(1);
  expect(from2.results).toEqual([]);
  expect(from2.stderr).toContain('There was a problem with the database: There was an error processing a remote WS request: WebSocket protocol error: SubProtocol error: Server sent no subprotocol');

  // The same connection through a 3.x client works: the refusal is the major, not the address or the credentials.
  const from3 = await patternSql(3, connection, ['SELECT * FROM agent', 'RETURN count(SELECT VALUE id FROM msg)', `SELECT VALUE id FROM msg WHERE content @1@ '${SEARCH_WORD}'`]);
  expect(from3.exitCode, from3.stderr).toBe(0);
  const [[agents], [messages], [hits]] = from3.results as [[unknown[]], [number], [unknown[]]];
  expect(agents).toHaveLength(6);
  expect(messages).toBe(MESSAGES);
  expect(hits.length).toBeGreaterThan(0);
}, 300_000);
