// With --driver cli, every chunk and index goes by a `surreal import` of its own. Each signs in with the run's root
// session token, not the password (whose hash the server would check at every sign-in); a token that lapsed is refused
// before anything is imported, and that import goes again with the password.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { client, expectEveryRecordOnce } from '../helpers/pattern-server.js';
import { startTestServer, surrealBin } from '../helpers/surreal.js';

/**
 * A real surreal that writes, for each import, which credentials it was given, before running it; given a token, it
 * first waits `tokenDelay` seconds.
 */
async function credentialsLoggingSurreal(dir: string, tokenDelay = 0): Promise<{ bin: string; log: string }> {
  const bin = path.join(dir, 'credentials-logging-surreal');
  const log = path.join(dir, 'credentials.log');
  const script = [
    '#!/bin/sh',
    'if [ "$1" = import ]; then',
    `  echo "token=\${SURREAL_TOKEN:+yes} user=\${SURREAL_USER:+yes} pass=\${SURREAL_PASS:+yes}" >> '${log}'`,
    `  if [ -n "$SURREAL_TOKEN" ]; then sleep ${tokenDelay}; fi`,
    'fi',
    `exec '${await surrealBin(3)}' "$@"`,
  ];
  await fs.writeFile(bin, script.join('\n') + '\n', { mode: 0o755 });
  return { bin, log };
}

async function loggedImports(log: string): Promise<string[]> {
  return (await fs.readFile(log, 'utf8')).trim().split('\n');
}

it('--driver cli: every `surreal import` signs in with the run\'s session token, never with the password', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 3);
  const server = await startTestServer();
  try {
    const surreal = await credentialsLoggingSurreal(folder.dir);
    const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password, SURREAL_BIN: surreal.bin };
    const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', 'cli', '--target', server.url], { cwd: folder.dir, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.result?.verify?.ok).toBe(true);
    const imports = await loggedImports(surreal.log);
    // The records' chunks and the seven indexes.
    expect(imports.length).toBeGreaterThanOrEqual(8);
    expect(new Set(imports)).toEqual(new Set(['token=yes user= pass=']));
    await expectEveryRecordOnce(server, folder.counts);
  } finally {
    await server.stop();
  }
}, 120_000);

it('--driver cli: an import whose token lapsed goes again with the password, and every record arrives once', async () => {
  const folder = await patternFolder(100, 1, PATTERN_TOML, 3);
  const server = await startTestServer();
  try {
    // A root user whose tokens last a second (counted in whole seconds): each import given one waits 2.2 s before it signs in.
    const shortLived = { username: 'short', password: 'short-lived-tokens-1' };
    await client(server).sql(`DEFINE USER ${shortLived.username} ON ROOT PASSWORD '${shortLived.password}' ROLES OWNER DURATION FOR TOKEN 1s;`);
    const surreal = await credentialsLoggingSurreal(folder.dir, 2.2);
    const env = { SURREAL_USER: shortLived.username, SURREAL_PASS: shortLived.password, SURREAL_BIN: surreal.bin };
    const run = await runPatternDb(['migrate', '--yes', '--json', '--driver', 'cli', '--target', server.url], { cwd: folder.dir, env });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.result?.verify?.ok).toBe(true);
    const imports = await loggedImports(surreal.log);
    const byToken = imports.filter((line) => line === 'token=yes user= pass=').length;
    const byPassword = imports.filter((line) => line === 'token= user=yes pass=yes').length;
    expect(byToken + byPassword).toBe(imports.length);
    expect(byToken, 'each import tried its token first').toBeGreaterThanOrEqual(8);
    expect(byPassword, 'and went again with the password once the token was refused').toBe(byToken);
    await expectEveryRecordOnce(server, folder.counts);
  } finally {
    await server.stop();
  }
}, 180_000);
