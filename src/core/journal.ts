// The journal of a run: what finished, with which artifacts, so a crashed or cancelled run can resume.
import type { RunOptions } from './options.js';
import type { Major } from './route.js';

export const JOURNAL_VERSION = 1;

export interface Artifact {
  path: string;
  sha256: string;
  bytes: number;
}

export interface StepRecord {
  state: 'done' | 'failed' | 'running';
  finishedAt?: string;
  artifacts?: Artifact[];
  /** The step's result (JSON), reused by later steps on resume. */
  result?: unknown;
  /** Progress inside a step that can continue where it stopped (the import's chunks). */
  checkpoint?: Record<string, unknown>;
  error?: { code: string; message: string };
}

export interface Journal {
  version: number;
  startedAt: string;
  updatedAt: string;
  /** The inputs that must match for a resume to continue this run. */
  fingerprint: Record<string, string>;
  /** The steps the run planned, in order (journals written before this was kept lack it). */
  plan?: string[];
  /** The user the run signed in as (a new server's root user): a resume that is given none goes on as that one. */
  username?: string;
  steps: Record<string, StepRecord>;
}

export function newJournal(fingerprint: Record<string, string>, plan?: readonly string[], now = new Date(), username?: string): Journal {
  const at = now.toISOString();
  return { version: JOURNAL_VERSION, startedAt: at, updatedAt: at, fingerprint, ...(plan ? { plan: [...plan] } : {}), ...(username ? { username } : {}), steps: {} };
}

/** Names the inputs that differ between a journal and this run; empty when it can resume. */
export function fingerprintDifferences(journal: Journal, fingerprint: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(journal.fingerprint), ...Object.keys(fingerprint)]);
  // A key the other side lacks counts as empty: a flag added since the journal was written is not a difference.
  return [...keys].filter((key) => (journal.fingerprint[key] ?? '') !== (fingerprint[key] ?? '')).sort();
}

/** The first step of the journal's own plan (else of `steps`) that did not finish: a finished `export` is not an unfinished `import`. */
export function firstUnfinished(journal: Journal, steps: readonly string[]): string | undefined {
  return (journal.plan ?? steps).find((step) => journal.steps[step]?.state !== 'done');
}

/** Whether the journal's run finished: every step it planned, and every step of `steps`, is done. */
export function isFinished(journal: Journal, steps: readonly string[]): boolean {
  return steps.length > 0 && steps.every((step) => journal.steps[step]?.state === 'done') && firstUnfinished(journal, steps) === undefined;
}

/**
 * Whether an interrupted run left anything to continue: a step past the preflight finished or checkpointed. A run
 * that stopped in its preflight wrote nothing, so a new run starts fresh rather than being told to resume it.
 */
export function hasProgress(journal: Journal): boolean {
  return Object.entries(journal.steps).some(([step, record]) => step !== 'preflight' && (record.state === 'done' || record.checkpoint !== undefined));
}

/** Where an interrupted migration that left something to continue stopped; undefined when there is nothing to continue. */
export function stoppedStep(journal: Journal | null): string | undefined {
  return journal && hasProgress(journal) ? firstUnfinished(journal, ['preflight', 'export', 'server', 'import', 'verify', 'config']) : undefined;
}

/** The options of a run that continues the journal's: where the data went and under which names, as that run had it. */
export function resumedOptions(options: RunOptions, journal: Journal): RunOptions {
  const f = journal.fingerprint;
  return {
    ...options,
    resume: true,
    ...(f.target ? { target: f.target } : {}),
    ...(f.startServer ? { startServer: f.startServer, bind: f.bind || options.bind } : {}),
    ...(f.targetVersion ? { targetVersion: Number(f.targetVersion) as Major } : {}),
    namespace: f.namespace || options.namespace,
    database: f.database || options.database,
    ...resumedUser(options, journal),
  };
}

/** A resume given no user goes on as the one the run signed in as (a new server's root user may not be root). */
export function resumedUser(options: Pick<RunOptions, 'usernameFrom'>, journal: Journal | null): Partial<Pick<RunOptions, 'username' | 'usernameFrom'>> {
  return journal?.username && (options.usernameFrom ?? 'default') === 'default' ? { username: journal.username, usernameFrom: 'journal' } : {};
}
