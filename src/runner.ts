// Runs a plan of steps in order, journals each one, and resumes from the first unfinished step.
import { promises as fs } from 'node:fs';
import { asPatternDbError, PatternDbError } from './core/errors.js';
import { reporterFor, type Emit, type StepName } from './core/events.js';
import { fingerprintDifferences, firstUnfinished, hasProgress, isFinished, newJournal, type Journal } from './core/journal.js';
import type { RunOptions } from './core/options.js';
import { readJournal, writeJournal } from './files/journal-file.js';
import { pauseAt } from './files/pause-at.js';
import { holdStateLock, type HeldStateLock } from './files/state-lock.js';
import { sha256File } from './files/sha256-file.js';
import type { Prompter } from './steps/prompter.js';
import type { RunState } from './steps/run-state.js';
import { RunShared } from './steps/run-shared.js';
import type { SurveyedSource } from './steps/surveyed-source.js';
import type { Step } from './steps/step.js';

export interface RunInput {
  steps: Step[];
  options: RunOptions;
  emit: Emit;
  signal: AbortSignal;
  prompter: Prompter;
  /** Inputs that identify this run; a resume must match them. Dry runs keep no journal. */
  fingerprint?: Record<string, string>;
  /** Each step's result as it finishes (or is restored on resume), for a UI that shows more than events. */
  onResult?: (step: StepName, result: unknown) => void;
  /** `throw`: the command that runs the plan reports a failure itself, so the runner emits nothing about it. */
  failures?: 'report' | 'throw';
  /** The wizard's survey keeps what it read of the store here; its run takes it over (steps/surveyed-source.ts). */
  surveyed?: SurveyedSource;
  /** The caller holds the state folder's lock already (files/state-lock.ts): the runner does not take it. */
  stateLocked?: boolean;
}

export interface RunOutcome {
  ok: boolean;
  state: RunState;
  error?: PatternDbError;
  failedStep?: string;
  /** `--resume` of a run whose every step had finished: nothing ran, `state` is that run's results. */
  alreadyFinished?: { startedAt: string; updatedAt: string };
}

async function openJournal(input: RunInput): Promise<Journal | null> {
  const { options, fingerprint } = input;
  if (!fingerprint || options.dryRun) return null;
  const existing = await readJournal(options.stateDir);
  const names = input.steps.map((s) => s.name);
  if (options.resume) {
    if (!existing) {
      input.emit({
        type: 'diagnostic',
        level: 'info',
        code: 'I_NOTHING_TO_RESUME',
        message: `No journal in ${options.stateDir}: starting a fresh run.`,
      });
      return newJournal(fingerprint, names, new Date(), options.username);
    }
    const differences = fingerprintDifferences(existing, fingerprint);
    if (differences.length) {
      throw new PatternDbError('E_JOURNAL', `The run in ${options.stateDir} was started with other settings (${differences.join(', ')}).`, {
        evidence: differences.map((key) => `${key}: was ${existing.fingerprint[key] ?? '(unset)'}, now ${fingerprint[key] ?? '(unset)'}`).join('\n'),
        fix: 'Resume with the same flags as the first run, or start over without --resume.',
      });
    }
    return existing;
  }
  const unfinished = existing && firstUnfinished(existing, names);
  if (existing && unfinished && hasProgress(existing)) {
    throw new PatternDbError('E_JOURNAL', `An earlier run stopped before finishing "${unfinished}".`, {
      fix: `Pass --resume to finish it, or remove ${options.stateDir}/journal.json to start over.`,
    });
  }
  return newJournal(fingerprint, names, new Date(), options.username);
}

async function artifactsStillMatch(step: Step, journal: Journal): Promise<boolean> {
  const record = journal.steps[step.name];
  for (const artifact of record?.artifacts ?? []) {
    const actual = await sha256File(artifact.path).catch(() => null);
    if (actual !== artifact.sha256) return false;
  }
  return true;
}

/** A finished run is not run again, not even its preflight: that would copy the store, and refuse a config it rewrote. */
function finishedOutcome(input: RunInput, journal: Journal): RunOutcome {
  const state: RunState = {};
  for (const step of input.steps) {
    const result = journal.steps[step.name]?.result;
    if (result === undefined) continue;
    keep(state, step.name, result);
    input.onResult?.(step.name, result);
  }
  return { ok: true, state, alreadyFinished: { startedAt: journal.startedAt, updatedAt: journal.updatedAt } };
}

/** Each step's result is kept under its own name, for the steps after it. */
function keep(state: RunState, name: string, result: unknown): void {
  (state as Record<string, unknown>)[name] = result;
}

export async function runPlan(input: RunInput): Promise<RunOutcome> {
  const { steps, options, emit, signal, prompter } = input;
  const state: RunState = {};
  const shared = new RunShared(steps.map((s) => s.name));
  let journal: Journal | null = null;
  let current: Step | undefined;
  // The state folder is taken before a step other than the preflight runs, and once the preflight has checked where
  // it is (never inside the store), before anything is journaled. A dry run writes nothing, not even the lock.
  const held: { lock?: HeldStateLock | null } = {};
  const takeStateFolder = async () => {
    if (held.lock === undefined && !options.dryRun && !input.stateLocked) held.lock = await holdStateLock(options.stateDir);
  };
  try {
    journal = await openJournal(input);
    if (options.resume && journal && isFinished(journal, steps.map((s) => s.name))) return finishedOutcome(input, journal);
    for (const step of steps) {
      current = step;
      const report = reporterFor(step.name, emit);
      const record = journal?.steps[step.name];
      if (options.resume && journal && record?.state === 'done' && !step.rerunOnResume && !step.rerunWhen?.(state)) {
        if (!(await artifactsStillMatch(step, journal))) {
          throw new PatternDbError('E_JOURNAL', `The files the "${step.name}" step wrote have changed since it finished.`, {
            evidence: (record.artifacts ?? []).map((a) => `${a.path} sha256 ${a.sha256}`).join('\n'),
            fix: 'Start over without --resume: the earlier output can no longer be trusted.',
          });
        }
        keep(state, step.name, record.result);
        input.onResult?.(step.name, record.result);
        report.status('skipped', 'done in an earlier run');
        continue;
      }
      if (signal.aborted) throw new PatternDbError('E_CANCELLED', 'Cancelled.');
      if (step.name !== 'preflight') await takeStateFolder();
      await pauseAt(`before-${step.name}`, options.stateDir);
      report.status('running');
      const resumedFrom = options.resume && record?.state !== 'done' ? record?.checkpoint : undefined;
      const earlierResult = options.resume && record?.state === 'done' ? record.result : undefined;
      const result = await step.run({
        options,
        report,
        signal,
        state,
        prompter,
        shared,
        ...(input.surveyed ? { surveyed: input.surveyed } : {}),
        ...(resumedFrom ? { resumedFrom } : {}),
        ...(earlierResult !== undefined ? { earlierResult } : {}),
        checkpoint: async (data) => {
          if (!journal) return;
          journal.steps[step.name] = { ...journal.steps[step.name], state: 'running', checkpoint: data };
          await writeJournal(options.stateDir, journal);
        },
      });
      await takeStateFolder();
      keep(state, step.name, result);
      input.onResult?.(step.name, result);
      if (journal) {
        const artifacts = await Promise.all(
          (step.artifacts?.(result as never) ?? []).map(async (artifact) => {
            const path = typeof artifact === 'string' ? artifact : artifact.path;
            const { size } = await fs.stat(path);
            return { path, sha256: typeof artifact === 'string' ? await sha256File(path) : artifact.sha256, bytes: size };
          }),
        );
        journal.steps[step.name] = { state: 'done', finishedAt: new Date().toISOString(), result, artifacts };
        await writeJournal(options.stateDir, journal);
      }
      report.status('done', step.summary?.(result as never));
    }
    return { ok: true, state };
  } catch (thrown) {
    if (input.failures === 'throw') throw thrown;
    const error = signal.aborted ? new PatternDbError('E_CANCELLED', 'Cancelled; the journal is saved, --resume continues.') : asPatternDbError(thrown);
    const stepName = current?.name;
    // A refused command line ran nothing, and is not journaled: its state folder may be the very place refused. Nor is
    // a run refused the state folder: the journal there is another run's.
    if (journal && stepName && error.code !== 'E_USAGE' && error.code !== 'E_STATE_IN_USE') {
      const previous = journal.steps[stepName];
      journal.steps[stepName] = { ...previous, state: 'failed', error: { code: error.code, message: error.message } };
      await writeJournal(options.stateDir, journal).catch(() => undefined);
    }
    emit({
      type: 'diagnostic',
      ...(stepName ? { step: stepName } : {}),
      level: 'error',
      code: error.code,
      message: error.message,
      ...(error.fix ? { fix: error.fix } : {}),
      ...(error.evidence ? { evidence: error.evidence } : {}),
    });
    if (stepName) emit({ type: 'status', step: stepName, state: 'failed', message: error.message });
    return { ok: false, state, error, ...(stepName ? { failedStep: stepName } : {}) };
  } finally {
    await shared.end();
    await held.lock?.release();
  }
}

/** Steps that are part of a larger command (restore, tenant add --write-config): no journal, and a failure is thrown. */
export async function runSteps(input: Omit<RunInput, 'fingerprint' | 'failures'>): Promise<RunState> {
  return (await runPlan({ ...input, failures: 'throw' })).state;
}
