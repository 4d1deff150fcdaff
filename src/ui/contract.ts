// What the wizard's controller (src/commands/wizard-controller.ts) and its Ink UI (src/ui/) say to each other.
// The controller runs the steps; the UI only shows state and reports what the user chose.
import type { CheckResult } from '../core/doctor-model.js';
import type { PatternDbEvent, StepName } from '../core/events.js';
import type { DoneSummary } from '../core/done-summary.js';
import type { MigrationPreview } from '../core/migration-preview.js';

export type WizardPhase =
  | 'resume' // an earlier run is unfinished: offer to continue it
  | 'welcome' // what was found and what will happen
  | 'prerequisites' // live checklist
  | 'target' // new server or existing one, credentials
  | 'export'
  | 'server'
  | 'import'
  | 'verify'
  | 'config'
  | 'done'
  | 'failed';

export interface Choice {
  label: string;
  value: string;
  hint?: string;
}

/**
 * A question the controller needs answered. Answers: confirm → boolean; select/text/password → string; secret → true
 * once the user has stored it. `warning` says what the answer risks, next to the question; its diagnostic code, if any, is then not
 * pinned to the later screens.
 */
export type PromptSpec = (
  | { kind: 'confirm'; id: string; question: string; detail?: string; defaultYes?: boolean }
  | { kind: 'select'; id: string; question: string; choices: Choice[]; detail?: string }
  | {
      kind: 'text';
      id: string;
      question: string;
      defaultValue?: string;
      placeholder?: string;
      detail?: string;
      /** Asked again: why the last answer was refused (shown under the question), and that answer, to correct. */
      problem?: string;
      value?: string;
      /** A name chosen for a new server: "root" is warned of as it is typed. */
      warnIfRoot?: boolean;
    }
  | {
      kind: 'password';
      id: string;
      question: string;
      detail?: string;
      /** a strong password the user may take with one key */
      generated?: string;
      /** Asked again: why the last answer was refused (shown under the input; the answer itself is not kept). */
      problem?: string;
      /** A password chosen for a new server: "root" is warned of as it is typed. */
      warnIfRoot?: boolean;
    }
  /** A generated secret, shown once on the terminal before anything uses it; gone from the screen once answered. */
  | { kind: 'secret'; id: string; question: string; secret: string; detail?: string }
) & { warning?: { code?: string; message: string } };

export type Answer = boolean | string;

export interface ErrorView {
  code: string;
  message: string;
  fix?: string;
  evidence?: string;
  step?: string;
}

export type WizardInput =
  | { type: 'phase'; phase: WizardPhase }
  | { type: 'facts'; facts: MigrationPreview }
  /**
   * Every step the migration will run, in order: sent before the first screen, again when the target changes it.
   * `fresh`: none of them has run yet (the marks of an earlier run, set aside, are dropped).
   */
  | { type: 'plan'; steps: StepName[]; fresh?: boolean }
  | { type: 'event'; event: PatternDbEvent }
  /** A step's typed result when it finishes (e.g. the verify report, the config diff). */
  | { type: 'result'; step: StepName; result: unknown }
  | { type: 'prompt'; prompt: PromptSpec }
  | { type: 'failed'; error: ErrorView; canRetry: boolean }
  /** After a failure: the doctor's checks of config, store and server, as they come in. */
  | { type: 'diagnosis'; results: CheckResult[]; running: boolean }
  | { type: 'done'; summary: DoneSummary; exitCode: number };

/** What the UI asks of the controller. */
export interface WizardActions {
  answer(id: string, value: Answer): void;
  /** q / Ctrl-C: stop children, keep the journal, leave. */
  cancel(): void;
  /** After a failure: run again from the step that failed (resume). */
  retry(): void;
  /** Leave after done or failed. */
  quit(): void;
}

/** The controller feeds the UI through this; the UI subscribes once. Inputs sent before subscription are replayed. */
export class WizardBus {
  private readonly backlog: WizardInput[] = [];
  private listener: ((input: WizardInput) => void) | undefined;

  feed(input: WizardInput): void {
    if (this.listener) this.listener(input);
    else this.backlog.push(input);
  }

  subscribe(listener: (input: WizardInput) => void): () => void {
    this.listener = listener;
    for (const input of this.backlog.splice(0)) listener(input);
    return () => {
      if (this.listener === listener) this.listener = undefined;
    };
  }
}
