// What one round of one path (pattern-db, fast by hand, naive by hand) measured.
import { errorText } from '../src/core/error-text.js';

export interface StepSeconds {
  step: string;
  seconds: number;
}

export interface PathRound {
  steps: StepSeconds[];
  /** Wall time of the whole path. */
  totalSeconds: number;
  /** Why the round does not count: a command failed, the verification did not pass, messages are missing. */
  failure?: string;
  /** What else is worth knowing, e.g. how many messages arrived. */
  detail?: string;
  /** Peak resident memory per kind of process, kB. */
  peaks: Map<string, number>;
  /** CPU seconds per kind of process, where they were sampled. */
  cpuSeconds?: Map<string, number>;
}

export interface SizeRounds {
  patternDb: PathRound[];
  fast: PathRound[];
  naive: PathRound[];
}

/** A round that threw (a server that would not start, a store that cannot be copied) is a failed round, not a crash. */
export function failedRound(error: unknown): PathRound {
  return { steps: [], totalSeconds: NaN, failure: errorText(error), peaks: new Map() };
}

/** What the bench says of one path's round: its time, why it did not count, what else is worth knowing. */
export function roundLine(name: string, round: PathRound): string {
  const time = Number.isFinite(round.totalSeconds) ? `${round.totalSeconds.toFixed(2)} s` : '—';
  return `${name} ${time}${round.failure ? ` FAILED (${round.failure})` : ''}${round.detail ? ` [${round.detail}]` : ''}`;
}
