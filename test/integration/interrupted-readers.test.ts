// doctor and inspect read a store through a snapshot copy and a private server: interrupted at any moment (SIGTERM,
// SIGINT, a closed terminal's SIGHUP), they remove the copy, stop the server and exit 130; the store is untouched.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderDigest, patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { runPatternDb } from '../helpers/pattern-db.js';
import { processesLeftMentioning } from '../helpers/processes.js';
import { snapshotsLeftIn } from '../helpers/store-damage.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function storeFolder(): Promise<PatternFolder> {
  const folder = await patternFolder(200, 1, PATTERN_TOML, 2);
  cleanups.push(() => fs.rm(folder.dir, { recursive: true, force: true }));
  return folder;
}

/** Runs the command and sends `signal` once it has made its snapshot copy of the store; its exit code. */
async function interruptedOnceCopied(folder: PatternFolder, args: string[], signal: NodeJS.Signals): Promise<number | undefined> {
  let pid = 0;
  const run = runPatternDb(args, { cwd: folder.dir, env: { XDG_STATE_HOME: folder.dir }, onSpawn: (spawned) => (pid = spawned), timeoutMs: 120_000 });
  for (let i = 0; i < 600 && (await snapshotsLeftIn(folder.dir)).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(await snapshotsLeftIn(folder.dir)).toHaveLength(1);
  process.kill(pid, signal);
  return (await run).exitCode;
}

describe('a reader of the store, interrupted', () => {
  it.each([
    [['doctor', '--json'], 'SIGTERM'],
    [['doctor'], 'SIGHUP'],
    [['inspect', '--query', 'RETURN 1'], 'SIGTERM'],
    [['inspect', '--json'], 'SIGINT'],
  ] as const)('%j, sent %s while the store is opened: exits 130, its snapshot removed, its private server stopped', async (args, signal) => {
    const folder = await storeFolder();
    const digest = await folderDigest(folder.storePath);
    expect(await interruptedOnceCopied(folder, [...args], signal)).toBe(130);
    expect(await snapshotsLeftIn(folder.dir)).toEqual([]);
    expect(await processesLeftMentioning(path.join(folder.dir, '.pattern-db'), 5_000)).toEqual([]);
    expect(await folderDigest(folder.storePath)).toBe(digest);
  }, 120_000);
});
