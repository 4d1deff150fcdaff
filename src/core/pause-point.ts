// A test hook: PATTERN_DB_PAUSE_AT=<point> stops the program at that named point, so a test can SIGKILL it exactly
// there (the kill-and-resume harness, test/helpers/kill-points.ts). Unset, nothing pauses.
import type { StepName } from './events.js';

export const PAUSE_ENV = 'PATTERN_DB_PAUSE_AT';

/**
 * The points no outside signal marks precisely enough: inside the snapshot copy, a private 2.x server's export begun
 * (its body not yet read), the in-process export's file made (the import begun on it) but not yet written, a server
 * not yet healthy, chunks of records sent by the import the export step began, before the import step checkpoints,
 * full-text indexes building beside the held-back records, every record imported but no index built and no record
 * compared yet, the verification about to read the target's definitions, a config backed up but not yet replaced.
 */
export const PAUSE_POINTS = ['snapshot-copy', 'served-export', 'engine-export', 'server-spawned', 'import-ahead', 'indexes-beside', 'records-in', 'verify-definitions', 'config-backup'] as const;
/**
 * Before a step's "running" status (the runner): between it and the step before. A kill on the status line the step
 * before ends with lands too late when the next steps are quick: the verification and the config write take
 * milliseconds, less than a loaded test machine takes to read that line and send the signal.
 */
export type BeforeStep = `before-${StepName}`;
export type PausePoint = (typeof PAUSE_POINTS)[number] | BeforeStep;

export function pausesAt(env: Record<string, string | undefined>, point: PausePoint): boolean {
  return env[PAUSE_ENV] === point;
}

/** The file written in the state folder once the program waits at `point`. */
export function pauseMarker(point: PausePoint): string {
  return `paused-at-${point}`;
}
