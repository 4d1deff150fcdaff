// After a migration the credentials live in .env, where Pattern reads them: every command finds them there too.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { seedPatternDatabase } from '../helpers/pattern-server.js';
import { startTestServer, surrealBin, tempDir, type TestServer } from '../helpers/surreal.js';

let server: TestServer;
let dir: string;
const noCredentials = { SURREAL_USER: undefined, SURREAL_PASS: undefined };

beforeAll(async () => {
  server = await startTestServer();
  await seedPatternDatabase(server, 'pattern', 'pattern', 30);
  dir = await tempDir();
  const remote = `[database]\ntype = "remote"\nurl = "${server.url.replace('http', 'ws')}"\nnamespace = "pattern"\ndatabase = "pattern"\n`;
  await fs.writeFile(path.join(dir, 'pattern.toml'), PATTERN_TOML.replace(/\[database\][\s\S]*?(?=\n\[\[groups\]\])/, remote));
  await fs.writeFile(path.join(dir, '.env'), `SURREAL_USER=${server.username}\nSURREAL_PASS=${server.password}\n`, { mode: 0o600 });
});

afterAll(async () => {
  await server.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

it('doctor signs in with the credentials from .env', async () => {
  const run = await runPatternDb(['doctor', '--json'], { cwd: dir, env: { ...noCredentials, SURREAL_BIN: await surrealBin() } });
  const auth = run.events.find((e) => e.type === 'check' && e.id === 'server.auth');
  expect(auth).toMatchObject({ status: 'ok', evidence: expect.arrayContaining([expect.stringContaining('username from .env, password from .env')]) });
});

it('inspect reads the server named by the config with the credentials from .env', async () => {
  const run = await runPatternDb(['inspect', '--json'], { cwd: dir, env: noCredentials });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect(JSON.stringify(run.result)).toContain('"msg"');
});

it('backup exports the server named by the config with the credentials from .env', async () => {
  const run = await runPatternDb(['backup', '--json', '--dir', 'backups'], { cwd: dir, env: noCredentials });
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect((await fs.readdir(path.join(dir, 'backups'))).filter((f) => f.endsWith('.surql.gz'))).toHaveLength(1);
});
