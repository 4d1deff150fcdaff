// With `--driver sdk` the embedded engine's process starts while the preflight copies the store (surreal/embedded.ts
// startEngineAhead), and the open of the snapshot takes it. One nobody took ends with the run, and never keeps
// pattern-db running. It runs the engine, whatever code its parent was given on node's command line.
import { execa } from 'execa';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { pauseMarker, PAUSE_ENV } from '../../src/core/pause-point.js';
import { fingerprintOf, planFor } from '../../src/commands/plans.js';
import { runOptionsFrom } from '../../src/commands/run-options.js';
import { runPlan } from '../../src/runner.js';
import { nonInteractivePrompter } from '../../src/steps/prompter.js';
import { patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { repoRoot, runPatternDb } from '../helpers/pattern-db.js';
import { expectEveryRecordOnce } from '../helpers/pattern-server.js';
import { engineWorkersOf } from '../helpers/processes.js';
import { startTestServer, tempDir } from '../helpers/surreal.js';
import { waitFor } from '../helpers/wait-for.js';

const alive = (pid: number) => fs.access(`/proc/${pid}`).then(() => true, () => false);
const goneWithin = (pid: number, ms: number) => waitFor(async () => ((await alive(pid)) ? undefined : true), ms, 20);

/** `migrate --driver sdk`, paused once the store is copied: the engine's process that started meanwhile, and the run. */
async function pausedAfterCopy(folder: { dir: string }, args: string[], env: Record<string, string>) {
  const marker = path.join(folder.dir, '.pattern-db', pauseMarker('snapshot-copy'));
  let pid = 0;
  const running = runPatternDb(['migrate', '--yes', '--json', '--driver', 'sdk', ...args], {
    cwd: folder.dir,
    env: { ...env, [PAUSE_ENV]: 'snapshot-copy' },
    onSpawn: (spawned) => (pid = spawned),
  });
  expect(await waitFor(() => fs.access(marker).then(() => true, () => undefined), 60_000, 10), 'paused at snapshot-copy').toBe(true);
  const ahead = await engineWorkersOf(pid);
  expect(ahead, 'the engine\'s processes once the store is copied').toHaveLength(1);
  return { pid, ahead: ahead[0]!, running, resume: () => fs.rm(marker) };
}

it('--driver sdk: the engine\'s process starts while the store is copied, and it is the one that reads the snapshot', async () => {
  const folder = await patternFolder(200, 1, PATTERN_TOML, 3);
  const server = await startTestServer();
  try {
    const { pid, ahead, running, resume } = await pausedAfterCopy(folder, ['--target', server.url], { SURREAL_USER: server.username, SURREAL_PASS: server.password });
    const seen = new Set<number>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        for (const worker of await engineWorkersOf(pid)) seen.add(worker);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await resume();
    const run = await running;
    watching = false;
    await watch;
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.result?.export?.driver).toBe('sdk');
    expect(run.result?.verify?.ok).toBe(true);
    expect([...seen], 'every engine process of the run').toEqual([ahead]);
    expect(await goneWithin(ahead, 5_000), 'the engine\'s process, ended with the run').toBe(true);
    await expectEveryRecordOnce(server, folder.counts);
  } finally {
    await server.stop();
  }
}, 120_000);

it('--driver sdk: a run refused after the engine\'s process started ends it, in a process that goes on (the wizard\'s)', async () => {
  const folder = await patternFolder(20, 1, PATTERN_TOML, 3);
  const server = await startTestServer();
  try {
    // The export file is checked after the copy: an earlier one is never overwritten.
    await fs.writeFile(path.join(folder.dir, 'pattern_export.surql'), '-- an earlier export\n');
    const options = { ...runOptionsFrom({ target: server.url, driver: 'sdk', yes: true }, folder.dir), username: server.username, password: server.password };
    const marker = path.join(options.stateDir, pauseMarker('snapshot-copy'));
    process.env[PAUSE_ENV] = 'snapshot-copy';
    const running = runPlan({ steps: planFor('migrate', options), options, emit: () => undefined, signal: new AbortController().signal, prompter: nonInteractivePrompter, fingerprint: fingerprintOf('migrate', options) });
    expect(await waitFor(() => fs.access(marker).then(() => true, () => undefined), 60_000, 10), 'paused at snapshot-copy').toBe(true);
    delete process.env[PAUSE_ENV];
    const started = await engineWorkersOf();
    expect(started, 'the engine\'s process, started while the store was copied').toHaveLength(1);
    await fs.rm(marker);
    const outcome = await running;
    expect(outcome.error?.code).toBe('E_NOT_WRITABLE');
    expect(await goneWithin(started[0]!, 5_000), 'the engine\'s process, once the run ended').toBe(true);
  } finally {
    delete process.env[PAUSE_ENV];
    await server.stop();
  }
}, 120_000);

it('an engine\'s process started ahead and never taken does not keep its parent running, and ends with it', async () => {
  // A file, not `node -e`: the engine's process is started with its parent's node flags, and would run the script too.
  const script = path.join(await tempDir('pattern-db-engine-ahead-'), 'parent.mjs');
  const module = path.join(repoRoot, 'dist/src/surreal/embedded.js');
  await fs.writeFile(script, `import { startEngineAhead } from ${JSON.stringify(module)};\nstartEngineAhead();\nsetTimeout(() => undefined, 1000);\n`);
  const parent = execa('node', [script], { reject: false, timeout: 30_000 });
  const [worker] = (await waitFor(async () => {
    const found = await engineWorkersOf(parent.pid!);
    return found.length ? found : undefined;
  }, 5_000, 10)) ?? [];
  expect(worker, 'the engine\'s process, started ahead').toBeDefined();
  const ended = await parent;
  expect(ended.timedOut, 'the parent, kept running by it').toBe(false);
  expect(ended.exitCode, ended.stderr).toBe(0);
  expect(await goneWithin(worker!, 5_000), 'the engine\'s process, once its parent is gone').toBe(true);
}, 60_000);

it('an engine\'s process started by a `node -e` parent runs the engine, not the parent\'s code, and keeps its other node flags', async () => {
  const module = path.join(repoRoot, 'dist/src/surreal/embedded.js');
  // Were the child to run this code too, it would end at once instead of starting another engine's process.
  const script = [
    `if (process.env.PATTERN_DB_TEST_PARENT) process.exit(3);`,
    `process.env.PATTERN_DB_TEST_PARENT = '1';`,
    `const { startEngineAhead } = await import(${JSON.stringify(module)});`,
    `startEngineAhead();`,
    `setTimeout(() => undefined, 2000);`,
  ].join('\n');
  const parent = execa('node', ['--max-old-space-size=900', '--input-type=module', '-e', script], { reject: false, timeout: 30_000 });
  const [worker] = (await waitFor(async () => {
    const found = await engineWorkersOf(parent.pid!);
    return found.length ? found : undefined;
  }, 5_000, 10)) ?? [];
  expect(worker, 'the engine\'s process').toBeDefined();
  const args = (await fs.readFile(`/proc/${worker}/cmdline`, 'utf8')).split('\0');
  expect(args).not.toContain('-e');
  expect(args.some((arg) => arg.startsWith('--input-type'))).toBe(false);
  expect(args).toContain('--max-old-space-size=900');
  expect(args.at(-2)).toMatch(/embedded-worker\.js$/);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await alive(worker!), 'the engine\'s process, still there').toBe(true);
  const ended = await parent;
  expect(ended.exitCode, ended.stderr).toBe(0);
  expect(await goneWithin(worker!, 5_000), 'the engine\'s process, once its parent is gone').toBe(true);
}, 60_000);
