// One round of the by-hand paths on a copy of the store, both from the same `surreal export` (`--v3` from the 2.x CLI
// for the upgrade, as SurrealDB documents it):
//   fast:  the export split (bench/export-split.ts), `surreal import` of the data, then of the indexes, into a fresh
//          server; no verification; it counts when every command exits 0 and every message arrived;
//   naive: `surreal import` of the whole export into another fresh server (unless --skip-naive).
// Each path's peak memory is sampled apart (the export's goes with the fast path).
import path from 'node:path';
import { surrealEnv } from '../src/surreal/cli.js';
import type { PathRound, StepSeconds } from './bench-round.js';
import type { BenchArgs } from './bench-args.js';
import { commandLimitMs, programOf, type BenchContext } from './bench-context.js';
import { BENCH_CREDENTIALS, messagesIn, withServer, withThrowawayStore } from './bench-server.js';
import { splitExportFile } from './export-split.js';
import { runCommand, type Run } from './measure.js';
import { startProcessSampler, type ProcessSampler } from './process-sampler.js';

const SELECTION = ['--namespace', 'pattern', '--database', 'pattern'];
/** Split by a script, not by surreal: shown, and left out of the fast path's total. */
export const SPLIT_STEP = 'split (not in total)';

const env = () => surrealEnv(BENCH_CREDENTIALS);

function importInto(bin: string, url: string, file: string, cwd: string, timeoutMs: number, sampler: ProcessSampler): Promise<Run> {
  return runCommand(bin, ['import', '--endpoint', url, ...SELECTION, '--log', 'warn', file], { cwd, env: env(), timeoutMs, onSpawn: sampler.watch });
}

/** The naive import is given up on (and reported as failed) after three times the fast path, and no less than a minute: from 100,000 messages on it runs for many minutes. */
const naiveLimitMs = (fast: PathRound) => Math.max(60_000, Math.round((Number.isFinite(fast.totalSeconds) ? fast.totalSeconds : 60) * 3_000));

/** The round's verdict on what arrived: a failed command is its own reason; a clean exit must have brought every message. */
async function arrival(url: string, ctx: BenchContext, failure: string | undefined): Promise<{ failure?: string; detail: string }> {
  const landed = await messagesIn(url);
  const detail = `${landed} of ${ctx.messages} messages arrived`;
  if (failure) return { failure, detail };
  return landed === ctx.messages ? { detail } : { failure: 'exit 0, but messages are missing', detail };
}

const total = (steps: StepSeconds[]) => steps.filter((s) => s.step !== SPLIT_STEP).reduce((sum, s) => sum + s.seconds, 0);

async function fastPath(ctx: BenchContext, dir: string, exportFile: string, exported: Run, sampler: ProcessSampler): Promise<PathRound> {
  const steps: StepSeconds[] = [{ step: 'export', seconds: exported.seconds }];
  const data = path.join(dir, 'data.surql');
  const indexes = path.join(dir, 'indexes.surql');
  const splitStarted = Date.now();
  const split = await splitExportFile(exportFile, data, indexes);
  steps.push({ step: SPLIT_STEP, seconds: (Date.now() - splitStarted) / 1000 });
  const bin = programOf(ctx, ctx.args.target);
  const outcome = await withServer(bin, async (server) => {
    sampler.setServer(server.pid);
    const dataRun = await importInto(bin, server.url, data, dir, commandLimitMs(ctx), sampler);
    steps.push({ step: 'data import', seconds: dataRun.seconds });
    // Going on after a refusal, as someone by hand would: `surreal import` loads the rest of a file before it reports.
    const indexRun = await importInto(bin, server.url, indexes, dir, commandLimitMs(ctx), sampler);
    steps.push({ step: `index import (${split.indexes} indexes)`, seconds: indexRun.seconds });
    // Both, when both failed: a refused data import is expected on 2.x routes, an index import that ran out of time is not.
    const failures = [dataRun.failure && `data import: ${dataRun.failure}`, indexRun.failure && `index import: ${indexRun.failure}`].filter(Boolean);
    return arrival(server.url, ctx, failures.join('; ') || undefined);
  });
  return { steps, totalSeconds: total(steps), ...(await sampler.stop()), ...outcome };
}

async function naivePath(ctx: BenchContext, dir: string, exportFile: string, exported: Run, limitMs: number): Promise<PathRound> {
  const bin = programOf(ctx, ctx.args.target);
  return withServer(bin, async (server) => {
    const sampler = startProcessSampler(server.pid);
    try {
      const run = await importInto(bin, server.url, exportFile, dir, limitMs, sampler);
      const steps = [
        { step: 'export (the fast path’s)', seconds: exported.seconds },
        { step: 'import', seconds: run.seconds },
      ];
      const outcome = await arrival(server.url, ctx, run.failure);
      return { steps, totalSeconds: total(steps), ...(await sampler.stop()), ...outcome };
    } finally {
      await sampler.stop();
    }
  });
}

export interface ByHandRound {
  fast: PathRound;
  /** Only when the bench runs the naive path (not with --skip-naive). */
  naive?: PathRound;
}

/** The round's paths: the fast one, and the naive one when the bench runs it (`naive` is called only then). */
export async function withNaive(args: BenchArgs, fast: PathRound, naive: () => PathRound | Promise<PathRound>): Promise<ByHandRound> {
  return args.naive ? { fast, naive: await naive() } : { fast };
}

/** `onStoreCopied`: called once the store's throwaway copy is made, the store no longer open to this round. */
export async function byHandRound(ctx: BenchContext, onStoreCopied?: () => void): Promise<ByHandRound> {
  const { engine, target } = ctx.args;
  return withThrowawayStore(ctx.store, async (dir) => {
    const exportFile = path.join(dir, 'export.surql');
    const v3 = engine === 2 && target === 3 ? ['--v3'] : [];
    // --log info for its success line, where the clock stops (bench/measure.ts: the export may hang while closing).
    const args = ['export', '--endpoint', `surrealkv://${path.join(dir, 'pattern.db')}`, ...SELECTION, ...v3, '--log', 'info', exportFile];
    const sampler = startProcessSampler();
    try {
      const exported = await runCommand(programOf(ctx, engine), args, { cwd: dir, env: env(), doneWhen: /exported successfully/, timeoutMs: commandLimitMs(ctx), onSpawn: sampler.watch });
      if (exported.failure) {
        const failed = { steps: [{ step: 'export', seconds: exported.seconds }], totalSeconds: exported.seconds, failure: `export: ${exported.failure}` };
        return withNaive(ctx.args, { ...failed, ...(await sampler.stop()) }, () => ({ ...failed, peaks: new Map() }));
      }
      const fast = await fastPath(ctx, dir, exportFile, exported, sampler);
      return withNaive(ctx.args, fast, () => naivePath(ctx, dir, exportFile, exported, naiveLimitMs(fast)));
    } finally {
      await sampler.stop();
    }
  }, onStoreCopied);
}
