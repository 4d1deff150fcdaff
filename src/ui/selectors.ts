// Facts the panels read, derived from the state, so no component decides anything.
import type { DiagnosticEvent, StepState } from '../core/events.js';
import type { Choice } from './contract.js';
import { formatAmount, formatCount } from './format.js';
import type { ShownPhase, StepView, WizardState } from './wizard-state.js';

const PHASE_STEP: Partial<Record<ShownPhase, string>> = {
  prerequisites: 'preflight',
  export: 'export',
  server: 'server',
  import: 'import',
  verify: 'verify',
  config: 'config',
};

const TITLES: Record<ShownPhase, string> = {
  starting: 'Looking at your Pattern installation',
  resume: 'An earlier run did not finish',
  welcome: "Move Pattern's database to a SurrealDB server",
  prerequisites: 'Checking prerequisites',
  target: 'Choose the server',
  export: 'Exporting the embedded store',
  server: 'Starting the SurrealDB server',
  import: 'Importing into the server',
  verify: 'Verifying every record',
  config: 'Pointing pattern.toml at the server',
  done: 'Done',
  failed: 'Stopped',
};

export function phaseTitle(phase: ShownPhase): string {
  return TITLES[phase];
}

/** The first row: the phase, and at the end whether the config change was declined (then Pattern still uses the store). */
export function headerTitle(state: WizardState): string {
  if (state.phase === 'done' && configDeclined(state)) return `${TITLES.done} · config change declined: Pattern still uses the store`;
  return TITLES[state.phase];
}

function configDeclined(state: WizardState): boolean {
  return Boolean(state.results.config?.declined);
}

/** The step row: a config step that finished without writing because the user said no is declined, not done. */
export function shownSteps(state: WizardState): StepView[] {
  return state.steps.map((s) => (s.name === 'config' && s.state === 'done' && configDeclined(state) ? { ...s, state: 'declined' } : s));
}

/** The question waits, hidden, while the verification's table is open. */
export function promptShown(state: WizardState): boolean {
  return Boolean(state.prompt) && !(state.showVerify && state.results.verify);
}

/** The verification's table replaces the panel: opened with v, or as the verify step's own panel once it reported. */
export function verifyTableShown(state: WizardState): boolean {
  if (!state.results.verify || state.showHelp) return false;
  return state.showVerify || state.phase === 'verify';
}

/** The step whose output the log panel shows. */
export function currentStep(state: WizardState): string | undefined {
  if (state.phase === 'failed') {
    return state.failure?.error.step ?? findLast(state.steps, (s) => s.state === 'failed')?.name ?? lastRunning(state);
  }
  return PHASE_STEP[state.phase] ?? lastRunning(state) ?? findLast(state.steps, (s) => s.state !== 'waiting')?.name;
}

function lastRunning(state: WizardState): string | undefined {
  return findLast(state.steps, (s) => s.state === 'running')?.name;
}

function findLast<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i -= 1) if (test(items[i]!)) return items[i];
  return undefined;
}

/** What the runner last said of a step; undefined while it waits. */
export function stepState(state: WizardState, name: string): StepState | undefined {
  const shown = state.steps.find((s) => s.name === name)?.state;
  return shown === 'waiting' ? undefined : shown === 'declined' ? 'done' : shown;
}

/** Preflight's checks in the order they ran: I_ passed, W_ warnings, E_ errors. */
export function checklist(state: WizardState): DiagnosticEvent[] {
  return state.diagnostics.filter((d) => d.step === 'preflight');
}

/**
 * Warnings and errors for the always-visible area, leaving out what the current panel already shows and what was
 * shown where a choice was made (the route's warning on the welcome screen or at its question): not on every screen.
 */
export function shownDiagnostics(state: WizardState): DiagnosticEvent[] {
  const problems = state.diagnostics.filter((d) => d.level !== 'info' && !state.warnedAtChoice.includes(d.code));
  const visible = problems.filter((d) => {
    if (state.phase === 'prerequisites' && d.step === 'preflight') return false;
    if (state.failure && d.code === state.failure.error.code) return false;
    // The failure's diagnosis already shows what the doctor found, with its fix.
    if (state.diagnosis?.results.some((r) => r.code === d.code)) return false;
    return true;
  });
  return [...visible.filter((d) => d.level === 'error'), ...visible.filter((d) => d.level === 'warn')];
}

/** The config diff: from the config result, else the confirm prompt's detail, else the config step's output. */
export function configDiff(state: WizardState): string {
  if (state.results.config?.diff) return state.results.config.diff;
  const spec = state.prompt?.spec;
  if (state.phase === 'config' && spec?.kind === 'confirm' && spec.detail) return spec.detail;
  return (state.logs.config ?? []).map((l) => l.line).join('\n');
}

/** The prompt's detail is shown by the prompt, except where the panel already shows it (the config diff). */
export function promptShowsDetail(state: WizardState): boolean {
  return state.phase !== 'config';
}

/** The warning under the question: "root" as it is typed, else what the question itself warns of. */
export function promptWarning(state: WizardState): string | undefined {
  return rootWarning(state) ?? state.prompt?.spec.warning?.message;
}

export function rootWarning(state: WizardState): string | undefined {
  const prompt = state.prompt;
  // An empty text field stands for its default, so a default of root warns until something else is typed.
  const value = prompt?.draft || (prompt?.spec.kind === 'text' ? prompt.spec.defaultValue ?? '' : '');
  // An existing server's user and password are what they are: a warning there could only be obeyed by failing.
  if (!prompt || value.trim().toLowerCase() !== 'root' || !('warnIfRoot' in prompt.spec && prompt.spec.warnIfRoot)) return undefined;
  if (prompt.spec.id === 'target.username') return 'root is the first user name anyone tries: pick another one for this server.';
  if (prompt.spec.id === 'target.password') return 'root is the first password anyone tries: use a long random one.';
  return undefined;
}

export function isTyping(state: WizardState): boolean {
  const kind = state.prompt?.spec.kind;
  return kind === 'text' || kind === 'password';
}

/** One line on what a finished export or import did, from its result. */
export function stepSummary(state: WizardState, step: 'export' | 'import'): string | undefined {
  if (step === 'export') {
    const r = state.results.export;
    return r && `Exported ${formatCount(r.records)} records (${formatAmount(r.bytes, 'bytes')}) to ${r.file}`;
  }
  const r = state.results.import;
  return r && `Imported ${formatCount(r.records)} records in ${formatCount(r.chunks)} chunks into ${r.url}`;
}

/** A choice as the list shows it: its label, and its hint in brackets. */
export function choiceLabel(choice: Choice): string {
  return choice.hint ? `${choice.label}  (${choice.hint})` : choice.label;
}
