// The run's snapshot, opened once: the export's census leaves its reader open for the verification that follows in
// the same run (in memory only; a resumed run opens the snapshot again).
import type { SourceStore } from '../surreal/source-store.js';
import type { RunShared } from './run-shared.js';
import type { StepContext } from './step.js';

const kept = new WeakMap<RunShared, SourceStore>();

/**
 * Keeps `source` (the snapshot, opened by the export's census) for the verification that follows in this run, so the
 * snapshot is opened once; false when none follows (the caller closes it).
 */
export function keepSourceForVerify(ctx: StepContext, source: SourceStore): boolean {
  const shared = ctx.shared;
  if (!shared?.has('verify') || kept.has(shared)) return false;
  kept.set(shared, source);
  shared.onEnd(async () => {
    if (kept.get(shared) === source) await source.close();
  });
  return true;
}

/** The source an earlier step kept open for the verification, handed over once (the taker closes it). */
export function takeKeptSource(ctx: StepContext): SourceStore | undefined {
  const source = ctx.shared ? kept.get(ctx.shared) : undefined;
  if (source) kept.delete(ctx.shared!);
  return source;
}

