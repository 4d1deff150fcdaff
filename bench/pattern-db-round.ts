// One round of `pattern-db migrate --json` on the cached store, in place, into a fresh server: its wall time, each
// step's time from its status lines, and the peak memory of it, its children and the server. It counts only if it exits
// 0, its result says the verification passed and the store's files are as they were.
import path from 'node:path';
import { repoRoot } from '../src/files/compiled-path.js';
import type { PathRound } from './bench-round.js';
import { commandLimitMs, programOf, type BenchContext } from './bench-context.js';
import { BENCH_CREDENTIALS, withServer, withStoreInPlace } from './bench-server.js';
import { runCommand } from './measure.js';
import { migrateFailure } from './migrate-result.js';
import { startProcessSampler } from './process-sampler.js';
import { stepTimes } from './step-times.js';

export async function patternDbRound(ctx: BenchContext): Promise<PathRound> {
  const { driver, target } = ctx.args;
  const env = {
    ...process.env,
    SURREAL_USER: BENCH_CREDENTIALS.username,
    SURREAL_PASS: BENCH_CREDENTIALS.password,
    ...(ctx.programs[3] ? { SURREAL_BIN: ctx.programs[3].path } : {}),
    ...(ctx.programs[2] ? { SURREAL2_BIN: ctx.programs[2].path } : {}),
  };
  const { value: round, changed } = await withStoreInPlace(ctx.store, (dir) =>
    withServer(programOf(ctx, target), async (server): Promise<PathRound> => {
      const args = [path.join(repoRoot, 'bin/pattern-db.js'), 'migrate', '--yes', '--json', '--driver', driver, '--target-version', String(target), '--target', server.url];
      const sampler = startProcessSampler(server.pid);
      const run = await runCommand(process.execPath, args, { cwd: dir, env, timeoutMs: commandLimitMs(ctx), onSpawn: sampler.watch }).finally(() => sampler.stop());
      const use = await sampler.stop();
      const failure = run.timedOut ? run.failure : migrateFailure(run.exitCode, run.stdout.map((l) => l.line), run.stderrTail);
      const steps = stepTimes(run.stdout).map(({ step, seconds }) => ({ step, seconds }));
      return { steps, totalSeconds: run.seconds, ...use, ...(failure ? { failure } : {}) };
    }),
  );
  if (!changed.length || round.failure) return round;
  return { ...round, failure: `it changed the store it read: ${changed.slice(0, 5).join(', ')}` };
}
