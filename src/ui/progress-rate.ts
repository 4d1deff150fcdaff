// Rate and time left from the times the reducer saw progress arrive (a sliding window, so a stall shows). When the
// step reports its whole work (the import: records, then indexes), the rate and the time left are of that work.
import type { ProgressEvent, ProgressPhase, ProgressUnit, ProgressWork } from '../core/events.js';

const WINDOW_MS = 10_000;
/** Samples closer than this replace each other, so a flood of events keeps the list short. */
const MIN_SPACING_MS = 250;
const MIN_ELAPSED_MS = 500;

export interface ProgressSample {
  at: number;
  /** The work done (or `done`, when the step reports no work). */
  done: number;
}

export interface ProgressView {
  done: number;
  total?: number;
  unit: ProgressUnit;
  label?: string;
  phase?: ProgressPhase;
  work?: ProgressWork;
  /** Work units (else `unit`s) per second over the last few seconds. */
  rate?: number;
  /** The rate while the records went in: what the work plan's index estimates are relative to. */
  recordsRate?: number;
  /** At the last event. */
  secondsLeft?: number;
  samples: ProgressSample[];
}

export interface TimeLeft {
  seconds: number;
  /** The part under way has run past its estimate: what is left is at least `seconds` (the parts after it). */
  atLeast: boolean;
}

const measured = (event: ProgressEvent): number => event.work?.done ?? event.done;

export function nextProgress(previous: ProgressView | undefined, event: ProgressEvent, at: number): ProgressView {
  const done = measured(event);
  const restart = !previous || previous.unit !== event.unit || done < (previous.work?.done ?? previous.done);
  const samples = restart ? [] : trimWindow(previous.samples, at);
  const last = samples.at(-1);
  if (last && at - last.at < MIN_SPACING_MS && samples.length > 1) samples[samples.length - 1] = { at, done };
  else samples.push({ at, done });

  const anchor = samples[0]!;
  const elapsedMs = at - anchor.at;
  const observed = elapsedMs >= MIN_ELAPSED_MS ? ((done - anchor.done) * 1000) / elapsedMs : restart ? undefined : previous.rate;
  // Measured however short the records took (a small store loads in one chunk): a noisy pace beats none.
  const recordsRate = event.phase?.kind === 'index' ? previous?.recordsRate : event.phase && elapsedMs > 0 ? ((done - anchor.done) * 1000) / elapsedMs : undefined;
  // An index that builds faster than its estimate (a full-text index on short texts) says nothing about the next one:
  // only a slower one corrects the estimate, so the time left never lies short.
  const rate = event.phase?.kind === 'index' && recordsRate !== undefined ? Math.min(observed ?? recordsRate, recordsRate) : observed;
  const view: ProgressView = { done: event.done, unit: event.unit, samples };
  if (recordsRate !== undefined) view.recordsRate = recordsRate;
  if (event.total !== undefined) view.total = event.total;
  if (event.label !== undefined) view.label = event.label;
  else if (!restart && previous.label !== undefined) view.label = previous.label;
  if (event.phase) view.phase = event.phase;
  if (event.work) view.work = event.work;
  if (rate !== undefined) view.rate = rate;
  const total = event.work?.total ?? event.total;
  if (total !== undefined && rate !== undefined && rate > 0) view.secondsLeft = Math.max(0, total - done) / rate;
  return view;
}

/**
 * The time left at `now`: the estimate at the last event, counted down since. It never reaches 0 before the work
 * does: while a part (an index build, which reports nothing until it ends) runs past its estimate, what is left is
 * at least the parts after it.
 */
export function timeLeft(view: ProgressView, now: number): TimeLeft | undefined {
  const last = view.samples.at(-1);
  if (view.secondsLeft === undefined || view.rate === undefined || !(view.rate > 0) || !last) return undefined;
  const counted = view.secondsLeft - Math.max(0, now - last.at) / 1000;
  const work = view.work;
  if (!work) return { seconds: Math.max(0, counted), atLeast: false };
  if (work.done >= work.total) return { seconds: 0, atLeast: false };
  const afterPart = Math.max(0, work.total - work.partEnd) / view.rate;
  if (counted > afterPart) return { seconds: counted, atLeast: false };
  // Between parts (one just ended, the next not yet begun) nothing has run late.
  return { seconds: afterPart, atLeast: work.done < work.partEnd };
}

/** Keeps one sample older than the window as the anchor, so the rate spans the whole window. */
function trimWindow(samples: ProgressSample[], at: number): ProgressSample[] {
  let start = 0;
  while (start + 1 < samples.length && at - samples[start + 1]!.at >= WINDOW_MS) start += 1;
  return samples.slice(start);
}
