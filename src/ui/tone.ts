// Colours carry meaning, the same everywhere; chalk drops them under NO_COLOR (see no-color.ts).
import type { DiagnosticLevel, StepState } from '../core/events.js';

export const TONE = { done: 'green', warn: 'yellow', error: 'red', accent: 'cyan' } as const;

export const LEVEL_MARK: Record<DiagnosticLevel, { mark: string; color: string }> = {
  info: { mark: '✔', color: TONE.done },
  warn: { mark: '!', color: TONE.warn },
  error: { mark: '✘', color: TONE.error },
};

export const STEP_MARK: Record<Exclude<StepState, 'running'>, { mark: string; color?: string }> = {
  done: { mark: '✔', color: TONE.done },
  failed: { mark: '✘', color: TONE.error },
  skipped: { mark: '–' },
};
