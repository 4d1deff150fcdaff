// Colours carry meaning, the same everywhere; chalk drops them under NO_COLOR (see no-color.ts).
import type { DiagnosticLevel, StepState } from '../core/events.js';

export const TONE = { done: 'green', warn: 'yellow', error: 'red', accent: 'cyan' } as const;

export const LEVEL_MARK: Record<DiagnosticLevel, { mark: string; color: string }> = {
  info: { mark: '✔', color: TONE.done },
  warn: { mark: '!', color: TONE.warn },
  error: { mark: '✘', color: TONE.error },
};

/** What the step row shows of a step: the runner's states, and the two only the wizard knows. */
export type StepViewState = StepState | 'waiting' | 'declined';

/** The running step shows a spinner instead of a mark. */
export const STEP_MARK: Record<Exclude<StepViewState, 'running'>, { mark: string; color?: string; dim?: boolean }> = {
  waiting: { mark: '·', dim: true },
  done: { mark: '✔', color: TONE.done },
  skipped: { mark: '–', dim: true },
  declined: { mark: '⊘', color: TONE.warn },
  failed: { mark: '✘', color: TONE.error },
};

/** The step row's legend, in the order a step goes through its states (the help panel shows it). */
export const STEP_LEGEND: Array<[StepViewState, string]> = [
  ['waiting', 'waiting'],
  ['running', 'running'],
  ['done', 'done'],
  ['skipped', 'skipped'],
  ['declined', 'declined'],
  ['failed', 'failed'],
];
