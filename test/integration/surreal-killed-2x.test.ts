// The out-of-memory killer on the 2.x routes: SurrealDB 2 holds every key of a store it opens in memory, so a store too
// big for the machine gets its private server killed (SIGKILL), while it opens the store's copy or while it is read.
// pattern-db says so (not "the store may be damaged"), leaves nothing behind, and --resume finishes the job.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PatternDbError } from '../../src/core/errors.js';
import { pauseMarker, PAUSE_ENV } from '../../src/core/pause-point.js';
import { servePrivately } from '../../src/surreal/private-server.js';
import { openSourceStore } from '../../src/surreal/source-store.js';
import { folderDigest, patternFolder } from '../helpers/fixture-store.js';
import { oomKilledSurreal } from '../helpers/oom-killed-surreal.js';
import { runPatternDb, type RunResult } from '../helpers/pattern-db.js';
import { processesLeftMentioning, programsMentioning } from '../helpers/processes.js';
import { startTestServer, surrealBin, surrealVersion, tempDir, type TestServer } from '../helpers/surreal.js';
import { waitFor } from '../helpers/wait-for.js';

const MESSAGES = 60;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function target3(): Promise<TestServer> {
  const server = await startTestServer({ major: 3 });
  cleanups.push(server.stop);
  return server;
}

function upgrade(cwd: string, server: TestServer, env: Record<string, string>, extra: string[] = []): Promise<RunResult> {
  return runPatternDb(['migrate', '--yes', '--json', '--target', server.url, ...extra], {
    cwd,
    env: { SURREAL_USER: server.username, SURREAL_PASS: server.password, ...env },
  });
}

function killedError(run: RunResult): Record<string, any> | undefined {
  return run.events.find((e) => e.type === 'diagnostic' && e.level === 'error' && e.code === 'E_SURREAL_KILLED');
}

/** What must hold after the kill: said as such, the store untouched, no server and no copy left. */
async function expectSaidAndNothingLeft(run: RunResult, doing: RegExp, stateDir: string): Promise<void> {
  expect(run.exitCode, run.stdout + run.stderr).not.toBe(0);
  const error = killedError(run);
  expect(error, run.stdout + run.stderr).toBeDefined();
  expect(error!.message).toMatch(doing);
  expect(error!.message).toMatch(/, not by pattern-db: most likely the system ran out of memory\.$/);
  expect(error!.fix).toMatch(/^SurrealDB 2 holds every key of a store it opens in memory/);
  expect(error!.fix).toMatch(/--resume/);
  expect(error!.fix).toMatch(/The store itself is untouched/);
  const snapshots = path.join(stateDir, 'snapshots');
  expect(await processesLeftMentioning(snapshots, 10_000)).toEqual([]);
  expect(await fs.readdir(snapshots).catch(() => [])).toEqual([]);
}

/**
 * 16 MiB more in the store's export than the connection's buffers hold (about 4 MB here), so that the server is still
 * writing it when it is killed: the 60 messages' 0.4 MB alone could be written whole before the kill.
 */
async function addPadding(storePath: string, bin: string): Promise<void> {
  const writer = await servePrivately({ bin, folder: storePath, auth: 'none', keepValuesRead: true });
  try {
    await writer.client({ namespace: 'pattern', database: 'pattern' }).sql(`FOR $i IN 0..16 { CREATE type::thing('padding', $i) SET body = string::repeat('.', ${1 << 20}) RETURN NONE };`);
  } finally {
    await writer.close();
  }
}

describe('a private 2.x server killed from outside, as the out-of-memory killer does', () => {
  it('while it opens the store copy: said as such, nothing left, and --resume with memory to spare finishes the job', async () => {
    const folder = await patternFolder(MESSAGES, 1, undefined, 2);
    const before = await folderDigest(folder.storePath);
    const server = await target3();
    const stateDir = path.join(folder.dir, '.pattern-db');

    const killed = await upgrade(folder.dir, server, { SURREAL2_BIN: await oomKilledSurreal(await surrealBin(2)) });
    await expectSaidAndNothingLeft(killed, /^surreal 2\.\d+\.\d+ \(.+\) was killed \(SIGKILL\) while opening .+snapshot-\d+-\d+, /, stateDir);
    expect(await folderDigest(folder.storePath)).toBe(before);

    const resumed = await upgrade(folder.dir, server, { SURREAL2_BIN: await surrealBin(2) }, ['--resume']);
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.result?.verify).toMatchObject({ ok: true });
    expect(await folderDigest(folder.storePath)).toBe(before);
  }, 300_000);

  it('while its export is read: said as such, not as a lost connection, and nothing left', async () => {
    const folder = await patternFolder(MESSAGES, 1, undefined, 2);
    const bin = await surrealBin(2);
    await addPadding(folder.storePath, bin);
    const before = await folderDigest(folder.storePath);
    const server = await target3();
    const stateDir = path.join(folder.dir, '.pattern-db');
    const marker = path.join(stateDir, pauseMarker('served-export'));

    const running = upgrade(folder.dir, server, { SURREAL2_BIN: bin, [PAUSE_ENV]: 'served-export' });
    const paused = await waitFor(() => fs.access(marker).then(() => true, () => undefined), 120_000, 20);
    expect(paused, 'the run never paused in its export').toBe(true);
    const servers = await programsMentioning(bin, path.join(stateDir, 'snapshots'));
    expect(servers).toHaveLength(1);
    process.kill(servers[0]!, 'SIGKILL');
    await fs.rm(marker);

    await expectSaidAndNothingLeft(await running, /^surreal 2\.\d+\.\d+ \(the private server on .+snapshot-\d+-\d+\) was killed \(SIGKILL\) while pattern-db used it, /, stateDir);
    expect(await folderDigest(folder.storePath)).toBe(before);
  }, 300_000);
});

describe('a private 2.x server that ends by itself under a reader (someone sends it SIGTERM)', () => {
  it('is named as what failed the read, with its exit code, not as a refused connection', async () => {
    const bin = await surrealBin(2);
    const folder = path.join(await tempDir(), 'store');
    const source = await openSourceStore(folder, 'surrealkv-2', { namespace: 'n', database: 'd' }, { path: bin, version: await surrealVersion(2), major: 2 });
    try {
      const [server] = await programsMentioning(bin, folder);
      process.kill(server!, 'SIGTERM');
      const error = await source.count('t').then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(PatternDbError);
      expect((error as PatternDbError).code).toBe('E_SURREAL_FAILED');
      expect((error as PatternDbError).message).toMatch(/^surreal 2\.\d+\.\d+ \(the private server on .+\) exited by itself \(exit code \d+\) while pattern-db used it\.$/);
    } finally {
      await source.discard();
    }
    expect(await processesLeftMentioning(folder, 10_000)).toEqual([]);
  }, 60_000);
});
