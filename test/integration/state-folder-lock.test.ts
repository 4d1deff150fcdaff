// One run at a time in a state folder: a second migrate (or a --resume typed in another terminal) started while the
// first one runs is refused before it writes anything there, and the first one finishes as if it were alone.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { pauseMarker, PAUSE_ENV } from '../../src/core/pause-point.js';
import { patternFolder } from '../helpers/fixture-store.js';
import { errorsOf, runPatternDb } from '../helpers/pattern-db.js';
import { startTestServer } from '../helpers/surreal.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

it('a --resume in the same state folder while the run it would resume still runs is refused (E_STATE_IN_USE), and leaves its journal alone', async () => {
  const folder = await patternFolder(30);
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  const server = await startTestServer({ major: 3 });
  cleanups.push(() => server.stop());
  const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password };
  const args = ['migrate', '--yes', '--json', '--target', server.url];
  const marker = path.join(folder.dir, '.pattern-db', pauseMarker('before-import'));

  const first = runPatternDb(args, { cwd: folder.dir, env: { ...env, [PAUSE_ENV]: 'before-import' }, timeoutMs: 180_000 });
  for (let i = 0; i < 1200 && !(await fs.stat(marker).then(() => true, () => false)); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  const journal = await fs.readFile(path.join(folder.dir, '.pattern-db', 'journal.json'), 'utf8');

  // The same command with --resume, typed in another terminal: it would reuse the first run's server and import too.
  const second = await runPatternDb([...args, '--resume'], { cwd: folder.dir, env });
  expect(second.exitCode, second.stdout).toBe(1);
  expect(errorsOf(second)).toEqual(['E_STATE_IN_USE']);
  expect(second.result?.error.message).toMatch(/^Another pattern-db run \(process \d+\) is using the state folder .*\.pattern-db\.$/);
  expect(await fs.readFile(path.join(folder.dir, '.pattern-db', 'journal.json'), 'utf8')).toBe(journal);

  await fs.rm(marker);
  const finished = await first;
  expect(finished.exitCode, finished.stdout + finished.stderr).toBe(0);
  expect(finished.result).toMatchObject({ ok: true });
}, 180_000);
