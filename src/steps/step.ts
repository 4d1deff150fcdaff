import type { Reporter, StepName } from '../core/events.js';
import type { RunOptions } from '../core/options.js';
import type { RunState } from './run-state.js';
import type { Prompter } from './prompter.js';
import type { RunShared } from './run-shared.js';
import type { SurveyedSource } from './surveyed-source.js';

export interface StepContext {
  options: RunOptions;
  report: Reporter;
  signal: AbortSignal;
  state: RunState;
  prompter: Prompter;
  /** Saves progress inside the step to the journal (the import's chunks), so --resume continues from there. */
  checkpoint(data: Record<string, unknown>): Promise<void>;
  /** The checkpoint an interrupted earlier run saved for this step, when resuming. */
  resumedFrom?: Record<string, unknown>;
  /** What this step returned in the run being resumed, when it runs again (the preflight). */
  earlierResult?: unknown;
  /** Work a step starts for a later step of this run (the import's for the verification); absent outside a plan. */
  shared?: RunShared;
  /** The wizard's: what its survey read of the store, kept for the run it then starts (surveyed-source.ts). */
  surveyed?: SurveyedSource;
}

export interface Step<R = unknown> {
  name: StepName;
  title: string;
  /** Runs again on resume even when it finished, with `earlierResult`: preflight checks the world as it is now. */
  rerunOnResume?: boolean;
  /** Runs again on resume, though it finished, when what an earlier step of this run did calls for it. */
  rerunWhen?(state: RunState): boolean;
  run(ctx: StepContext): Promise<R>;
  /** The line shown beside "done". */
  summary?(result: R): string;
  /** Files whose checksums must still match for a resume to trust this step; with the checksum when the step took it as it wrote the file. */
  artifacts?(result: R): Array<string | { path: string; sha256: string }>;
}
