// The wizard's view state: a pure reducer over what the controller says (WizardInput) and what the user did (UiAction).
import { stripVTControlCharacters } from 'node:util';
import type { DiagnosticEvent, PatternDbEvent, StepName, StepState } from '../core/events.js';
import type { StepViewState } from './tone.js';
import type { CheckResult } from '../core/doctor-model.js';
import type { VerifyReport } from '../core/verify-report.js';
import type { ConfigResult, ExportResult, ImportResult, PreflightResult, ServerResult } from '../steps/run-state.js';
import type { MigrationPreview } from '../core/migration-preview.js';
import type { DoneSummary } from '../core/done-summary.js';
import type { ErrorView, PromptSpec, WizardInput, WizardPhase } from './contract.js';
import { nextProgress, type ProgressView } from './progress-rate.js';
import { moveScroll, SCROLL_START, type ScrollMove, type ScrollPosition } from './scroll.js';

export const MAX_LOG_LINES = 200;

/** 'starting' is the moment before the controller names a phase. */
export type ShownPhase = WizardPhase | 'starting';

export interface StepView {
  name: string;
  state: StepViewState;
  message?: string;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface PromptView {
  spec: PromptSpec;
  /** What is typed so far (text and password), for warnings such as "root". */
  draft: string;
  /** Changes with every prompt, so a repeated question gets a fresh input. */
  seq: number;
}

export interface WizardResults {
  preflight?: PreflightResult;
  export?: ExportResult;
  server?: ServerResult;
  import?: ImportResult;
  verify?: VerifyReport;
  config?: ConfigResult;
}

export type PendingRequest = 'cancel' | 'retry' | 'quit';

export interface WizardState {
  columns: number;
  rows: number;
  phase: ShownPhase;
  facts?: MigrationPreview;
  /** The plan's steps in order (waiting until they start), then any other step the controller reported. */
  steps: StepView[];
  progress: Record<string, ProgressView>;
  diagnostics: DiagnosticEvent[];
  logs: Record<string, LogLine[]>;
  prompt?: PromptView;
  promptCount: number;
  results: WizardResults;
  failure?: { error: ErrorView; canRetry: boolean };
  /** The doctor's checks run after a failure. */
  diagnosis?: { results: CheckResult[]; running: boolean };
  done?: { summary: DoneSummary; exitCode: number };
  showLogs: boolean;
  showHelp: boolean;
  /** The verification's table, opened with v once there is a report (it replaces the panel and the question). */
  showVerify: boolean;
  /** The first row of the verification's table on screen. */
  verifyOffset: number;
  diagnosisExpanded: boolean;
  /** Codes of warnings shown where a choice was made (welcome facts, a question): the diagnostics area leaves them out. */
  warnedAtChoice: string[];
  /** Where the long content of this phase (the config diff, the last screen) is scrolled to, and what was seen. */
  scroll: ScrollPosition;
  /** y was pressed before the whole config diff had been on screen. */
  readingNudged: boolean;
  /** What the user asked the controller for and is waiting on. */
  request?: PendingRequest;
}

export type UiAction =
  | { type: 'toggleLogs' }
  | { type: 'toggleHelp' }
  | { type: 'toggleDiagnosis' }
  | { type: 'toggleVerify' }
  | { type: 'scrollVerify'; offset: number }
  | { type: 'editPrompt'; id: string; value: string }
  | { type: 'promptAnswered'; id: string }
  | { type: 'requested'; request: PendingRequest }
  | { type: 'resize'; columns: number; rows: number }
  /** `total` and `rows` are the content's rows and its window, as the screen shows them (scroll-content.ts). */
  | { type: 'scroll'; move: ScrollMove; total: number; rows: number }
  | { type: 'nudgeReading' };

export function initialWizardState(columns: number, rows: number): WizardState {
  return {
    columns,
    rows,
    phase: 'starting',
    steps: [],
    progress: {},
    diagnostics: [],
    logs: {},
    promptCount: 0,
    results: {},
    showLogs: false,
    showHelp: false,
    showVerify: false,
    verifyOffset: 0,
    diagnosisExpanded: false,
    warnedAtChoice: [],
    scroll: SCROLL_START,
    readingNudged: false,
  };
}

/** New content starts at its top, unseen. */
const freshScroll = { scroll: SCROLL_START, readingNudged: false };

/** `now` stamps progress for rate and time left; tests pass their own clock. */
export function reduceWizard(state: WizardState, input: WizardInput | UiAction, now: number = Date.now()): WizardState {
  switch (input.type) {
    case 'phase':
      if (input.phase === 'failed') return { ...state, phase: 'failed', showVerify: false };
      // A new phase brings its own panel (and maybe a question): the table opened with v closes, and scrolling starts afresh.
      return { ...state, ...(input.phase === state.phase ? {} : freshScroll), phase: input.phase, showVerify: input.phase === state.phase && state.showVerify, failure: undefined, diagnosis: undefined, diagnosisExpanded: false, request: state.request === 'retry' ? undefined : state.request };
    case 'facts':
      return { ...state, facts: input.facts, warnedAtChoice: withCode(state.warnedAtChoice, input.facts.routeWarning?.code) };
    case 'plan':
      return { ...state, steps: planned(input.fresh ? [] : state.steps, input.steps) };
    case 'event':
      return reduceEvent(state, input.event, now);
    case 'result':
      return { ...state, results: withResult(state.results, input.step, input.result) };
    case 'prompt': {
      const seq = state.promptCount + 1;
      const draft = input.prompt.kind === 'text' ? (input.prompt.value ?? input.prompt.defaultValue ?? '') : '';
      return { ...state, prompt: { spec: input.prompt, draft, seq }, promptCount: seq, warnedAtChoice: withCode(state.warnedAtChoice, input.prompt.warning?.code) };
    }
    case 'failed':
      return { ...state, phase: 'failed', failure: { error: input.error, canRetry: input.canRetry }, diagnosis: undefined, prompt: undefined, request: undefined, diagnosisExpanded: false };
    case 'diagnosis':
      return state.failure ? { ...state, diagnosis: { results: input.results, running: input.running } } : state;
    case 'done':
      return { ...state, ...freshScroll, phase: 'done', done: { summary: input.summary, exitCode: input.exitCode }, prompt: undefined, request: undefined };
    case 'toggleLogs':
      return { ...state, showLogs: !state.showLogs };
    case 'toggleHelp':
      return { ...state, showHelp: !state.showHelp };
    case 'toggleVerify':
      return state.results.verify ? { ...state, showVerify: !state.showVerify } : state;
    case 'scrollVerify':
      return { ...state, verifyOffset: Math.max(0, input.offset) };
    case 'toggleDiagnosis':
      return state.failure ? { ...state, diagnosisExpanded: !state.diagnosisExpanded } : state;
    case 'editPrompt':
      return state.prompt?.spec.id === input.id ? { ...state, prompt: { ...state.prompt, draft: input.value } } : state;
    case 'promptAnswered':
      return state.prompt?.spec.id === input.id ? { ...state, prompt: undefined } : state;
    case 'requested':
      return { ...state, request: input.request };
    case 'resize':
      if (state.columns === input.columns && state.rows === input.rows) return state;
      // Another width wraps the content into other rows: what was seen is counted again.
      if (state.columns !== input.columns) return { ...state, columns: input.columns, rows: input.rows, scroll: SCROLL_START };
      return { ...state, columns: input.columns, rows: input.rows };
    case 'scroll':
      return { ...state, scroll: moveScroll(state.scroll, input.move, input.total, input.rows) };
    case 'nudgeReading':
      return { ...state, readingNudged: true };
  }
}

function reduceEvent(state: WizardState, event: PatternDbEvent, now: number): WizardState {
  switch (event.type) {
    case 'status':
      return reduceStatus(state, event.step, event.state, event.message);
    case 'progress':
      return { ...state, progress: { ...state.progress, [event.step]: nextProgress(state.progress[event.step], event, now) } };
    case 'log': {
      const lines = [...(state.logs[event.step] ?? []), { stream: event.stream, line: printable(event.line) }].slice(-MAX_LOG_LINES);
      return { ...state, logs: { ...state.logs, [event.step]: lines } };
    }
    case 'diagnostic':
      return { ...state, diagnostics: [...state.diagnostics, event] };
  }
}

/** The plan's order; steps it no longer holds go, unless they have started (a step never vanishes once seen). */
function planned(steps: StepView[], plan: StepName[]): StepView[] {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const kept = steps.filter((s) => !plan.includes(s.name as StepName) && s.state !== 'waiting');
  return [...plan.map((name) => byName.get(name) ?? { name, state: 'waiting' as const }), ...kept];
}

function reduceStatus(state: WizardState, name: string, stepState: StepState, message: string | undefined): WizardState {
  const before = state.steps.find((s) => s.name === name);
  // A retry skips what this session already did: that stays done.
  const shown: StepViewState = stepState === 'skipped' && before?.state === 'done' ? 'done' : stepState;
  const view: StepView = message ? { name, state: shown, message } : { name, state: shown };
  const steps = before ? state.steps.map((s) => (s.name === name ? view : s)) : [...state.steps, view];
  if (stepState !== 'running') return { ...state, steps };
  // A step that starts (again, after a retry) reports its checks, progress and result afresh.
  const { [name]: _stale, ...progress } = state.progress;
  const { [name as keyof WizardResults]: _old, ...results } = state.results;
  return { ...state, steps, progress, results, diagnostics: state.diagnostics.filter((d) => d.step !== name) };
}

function withCode(codes: string[], code: string | undefined): string[] {
  return code && !codes.includes(code) ? [...codes, code] : codes;
}

/** The contract carries results as `unknown`; the step name says which shape it is. */
function withResult(results: WizardResults, step: StepName, result: unknown): WizardResults {
  return { ...results, [step]: result } as WizardResults;
}

/** Child processes colour and tab their output; on screen that would break widths and NO_COLOR. */
function printable(line: string): string {
  return stripVTControlCharacters(line).replace(/\t/g, '  ').replace(/\r/g, '');
}
