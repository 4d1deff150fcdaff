// The run's snapshot, opened once: a reader one step opened is left open for the next step of the same run that reads
// the snapshot (the export's census for the verification, the preflight's carried-over reader for the export). In
// memory only; a resumed run opens the snapshot again.
import type { StepName } from '../core/events.js';
import type { SourceStore } from '../surreal/source-store.js';
import type { RunShared } from './run-shared.js';
import type { StepContext } from './step.js';

const kept = new WeakMap<RunShared, SourceStore>();

/**
 * Keeps `source` (an open reader of the run's snapshot) for `step`, later in this run, so the snapshot is opened once;
 * false when that step is not in the run or a reader is kept already (the caller closes it).
 */
export function keepSource(ctx: StepContext, source: SourceStore, step: StepName): boolean {
  const shared = ctx.shared;
  if (!shared?.has(step) || kept.has(shared)) return false;
  kept.set(shared, source);
  shared.onEnd(async () => {
    if (kept.get(shared) !== source) return;
    kept.delete(shared);
    await source.close();
  });
  return true;
}

/** keepSource for the verification: the export's census leaves its reader open for it. */
export function keepSourceForVerify(ctx: StepContext, source: SourceStore): boolean {
  return keepSource(ctx, source, 'verify');
}

/** The source an earlier step kept open, handed over once (the taker closes it). */
export function takeKeptSource(ctx: StepContext): SourceStore | undefined {
  const source = ctx.shared ? kept.get(ctx.shared) : undefined;
  if (source) kept.delete(ctx.shared!);
  return source;
}
