// `migrate` interrupted by Ctrl-C, once or twice (a second press while it stops must not cut the stopping short): it
// exits 130 with E_CANCELLED, the private server reading its snapshot stopped, the store and the config untouched.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { folderDigest, patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { processesLeftMentioning, processesMentioning } from '../helpers/processes.js';
import { startTestServer } from '../helpers/surreal.js';
import { waitFor } from '../helpers/wait-for.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

it.each(['once', 'twice'] as const)('a 2.x store, Ctrl-C pressed %s while its private server reads the snapshot: exits 130, its private server stopped', async (times) => {
  const folder = await patternFolder(200, 1, PATTERN_TOML, 2);
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  const server = await startTestServer({ major: 3 });
  cleanups.push(server.stop);
  const digest = await folderDigest(folder.storePath);
  let pid = 0;
  const run = runPatternDb(['migrate', '--yes', '--json', '--target', server.url], {
    cwd: folder.dir,
    env: { SURREAL_USER: server.username, SURREAL_PASS: server.password },
    onSpawn: (spawned) => (pid = spawned),
    timeoutMs: 120_000,
  });
  const stateDir = path.join(folder.dir, '.pattern-db');
  const reader = await waitFor(async () => ((await processesMentioning(stateDir)).length ? true : undefined), 60_000, 20);
  expect(reader, 'the private server never started').toBe(true);
  process.kill(pid, 'SIGINT');
  // The second once the first is being handled (two sent at once arrive as one).
  if (times === 'twice') setTimeout(() => process.kill(pid, 'SIGINT'), 20);
  const ended = await run;

  expect(ended.exitCode, ended.stdout + ended.stderr).toBe(130);
  expect(ended.result?.error?.code).toBe('E_CANCELLED');
  expect(await processesLeftMentioning(stateDir, 5_000)).toEqual([]);
  expect(await folderDigest(folder.storePath)).toBe(digest);
  expect(await fs.readFile(folder.configPath, 'utf8')).toBe(PATTERN_TOML);
}, 120_000);
