// One cell of the server's kill matrix: `migrate --start-server` with its managed server SIGKILLed at a point while
// pattern-db runs on. The run must notice and say so honestly; then the same command with --resume finishes the job.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Journal } from '../../src/core/journal.js';
import { PATTERN_TOML, type PatternFolder } from './fixture-store.js';
import { recordRow, runUntilKilled, type Interrupted, type KillPoint } from './kill-points.js';
import { credentials, expectFinished, expectNothingLeft, newCell, serverStorageOf, type Route } from './kill-resume.js';
import { runPatternDb, type RunResult } from './pattern-db.js';

const diagnostics = (run: RunResult, code: string) => run.events.filter((e) => e.type === 'diagnostic' && e.code === code);

/**
 * What the run left running must have done: failed naming the stopped server and --resume, journaled nothing as done
 * that it did not finish, and left the config alone; or, past the last step that needs the server, finished and said
 * in its last words that the server stopped and how to start it.
 */
async function expectHonestEnd(interrupted: Interrupted, point: KillPoint, folder: PatternFolder, stateDir: string): Promise<void> {
  const { run, server } = interrupted;
  const output = run.stdout + run.stderr;
  expect(run.result, output).toBeDefined();
  const journal = JSON.parse(await fs.readFile(path.join(stateDir, 'journal.json'), 'utf8')) as Journal;
  const said = new Set(run.events.filter((e) => e.type === 'status' && e.state === 'done').map((e) => e.step as string));
  for (const [step, record] of Object.entries(journal.steps)) if (record.state === 'done') expect(said, `${step} journaled as done`).toContain(step);
  if (run.exitCode !== 0) {
    expect(run.result?.error?.code, output).toBe('E_SERVER_STOPPED');
    expect(run.result?.error?.message).toContain(`pid ${server!.pid}`);
    expect(run.result?.error?.fix).toContain('--resume');
    // Killed with SIGKILL, as the out-of-memory killer does: its log ends without a word, which the fix explains.
    expect(run.result?.error?.fix).toContain('one that ends without a word was killed, most likely by the system for lack of memory');
    expect(journal.steps[run.result?.failedStep]?.state).toBe('failed');
    expect(await fs.readFile(folder.configPath, 'utf8'), 'the config, left alone').toBe(PATTERN_TOML);
    return;
  }
  expect(point.serverNoLongerNeeded, `finished although the server died ${point.name}\n${output}`).toBe(true);
  if (point.mayFinish) return; // it died after pattern-db exited
  const [stopped] = diagnostics(run, 'W_SERVER_STOPPED');
  expect(stopped, output).toBeDefined();
  expect(stopped!.message).toContain(`pid ${server!.pid}`);
  expect(stopped!.fix).toContain(`pattern-db server start --storage ${server!.storage}`);
  expect(run.events.indexOf(stopped!), 'said last, just before the result').toBe(run.events.length - 2);
}

export async function killServerAndResume(route: Route, point: KillPoint, folders: PatternFolder[]): Promise<void> {
  const { folder, stateDir, port, args } = await newCell(route, folders);
  const interrupted = await runUntilKilled(point, args, { cwd: folder.dir, stateDir, env: credentials, victim: 'server' });
  expect(interrupted.killed, point.name).toBe(true);
  await expectHonestEnd(interrupted, point, folder, stateDir);

  const started = Date.now();
  const resumed = await runPatternDb([...args, '--resume'], { cwd: folder.dir, env: credentials });
  await recordRow(route.name, { point: point.name, interrupted, resumed, resumeMs: Date.now() - started, victim: 'server' });
  if (interrupted.run.exitCode === 0) {
    // Nothing is left to do; the user starts the server the finished run's last words named.
    expect(resumed.exitCode, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.result?.nothingToResume).toContain('pattern-db server start');
    const major = route.flags.includes('--target-version') ? route.flags[route.flags.indexOf('--target-version') + 1] : String(route.engine);
    const bind = `127.0.0.1:${port}`;
    const start = await runPatternDb(['server', 'start', '--json', '--storage', `surrealkv://${serverStorageOf(folder)}`, '--bind', bind, '--major', major!, '--state-dir', stateDir], { cwd: folder.dir, env: credentials });
    expect(start.exitCode, start.stdout + start.stderr).toBe(0);
  } else {
    expect(diagnostics(resumed, 'I_SERVER_GONE'), resumed.stdout).toHaveLength(1);
  }
  await expectFinished(resumed, folder, port);
  await expectNothingLeft(folder, stateDir);
}
