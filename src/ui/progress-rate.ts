// Rate and time left from the times the reducer saw progress arrive (a sliding window, so a stall shows).
import type { ProgressEvent, ProgressUnit } from '../core/events.js';

const WINDOW_MS = 10_000;
/** Samples closer than this replace each other, so a flood of events keeps the list short. */
const MIN_SPACING_MS = 250;
const MIN_ELAPSED_MS = 500;

export interface ProgressSample {
  at: number;
  done: number;
}

export interface ProgressView {
  done: number;
  total?: number;
  unit: ProgressUnit;
  label?: string;
  /** Units per second over the last few seconds. */
  rate?: number;
  secondsLeft?: number;
  samples: ProgressSample[];
}

export function nextProgress(previous: ProgressView | undefined, event: ProgressEvent, at: number): ProgressView {
  const restart = !previous || previous.unit !== event.unit || event.done < previous.done;
  const samples = restart ? [] : trimWindow(previous.samples, at);
  const last = samples.at(-1);
  if (last && at - last.at < MIN_SPACING_MS && samples.length > 1) samples[samples.length - 1] = { at, done: event.done };
  else samples.push({ at, done: event.done });

  const anchor = samples[0]!;
  const elapsedMs = at - anchor.at;
  const rate = elapsedMs >= MIN_ELAPSED_MS ? ((event.done - anchor.done) * 1000) / elapsedMs : restart ? undefined : previous.rate;
  const view: ProgressView = { done: event.done, unit: event.unit, samples };
  if (event.total !== undefined) view.total = event.total;
  if (event.label !== undefined) view.label = event.label;
  else if (!restart && previous.label !== undefined) view.label = previous.label;
  if (rate !== undefined) view.rate = rate;
  if (event.total !== undefined && rate !== undefined && rate > 0) view.secondsLeft = Math.max(0, event.total - event.done) / rate;
  return view;
}

/** Keeps one sample older than the window as the anchor, so the rate spans the whole window. */
function trimWindow(samples: ProgressSample[], at: number): ProgressSample[] {
  let start = 0;
  while (start + 1 < samples.length && at - samples[start + 1]!.at >= WINDOW_MS) start += 1;
  return samples.slice(start);
}
