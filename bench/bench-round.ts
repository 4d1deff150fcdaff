// What one round of one path (pattern-db, fast by hand, naive by hand) measured.

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
}

export interface SizeRounds {
  patternDb: PathRound[];
  fast: PathRound[];
  naive: PathRound[];
}
