// Drives a WizardController as a user would: each prompt answered from a queue kept per prompt id, and the wizard
// left once it is done or failed. What it asked and said is kept as it goes (read it meanwhile, or after run()).
import type { WizardController } from '../../src/commands/wizard-controller.js';
import type { PreflightResult } from '../../src/steps/run-state.js';
import type { Answer, PromptSpec, WizardInput } from '../../src/ui/contract.js';

export interface DrivenWizard {
  /** Every prompt, in order. */
  asked: PromptSpec[];
  /** Every diagnostic, in order. */
  diagnostics: Array<{ code: string; message: string }>;
  /** The snapshot of each preflight that copied (or took over) one: the survey's, then the run's. */
  snapshots: string[];
}

/** `before[id]` runs before the prompt `id` is answered; a prompt with no answer left throws. */
export function driveWizard(controller: WizardController, answers: Record<string, Answer[]>, before: Record<string, () => Promise<void>> = {}): DrivenWizard {
  const driven: DrivenWizard = { asked: [], diagnostics: [], snapshots: [] };
  controller.bus.subscribe((input: WizardInput) => {
    if (input.type === 'event' && input.event.type === 'diagnostic') driven.diagnostics.push({ code: input.event.code, message: input.event.message });
    if (input.type === 'result' && input.step === 'preflight') {
      const snapshot = (input.result as PreflightResult).snapshot;
      if (snapshot) driven.snapshots.push(snapshot);
    }
    if (input.type === 'prompt') {
      const id = input.prompt.id;
      driven.asked.push(input.prompt);
      const answer = answers[id]?.shift();
      if (answer === undefined) throw new Error(`no answer for ${id}`);
      void (before[id]?.() ?? Promise.resolve()).then(() => controller.actions.answer(id, answer));
    }
    if (input.type === 'done' || input.type === 'failed') setImmediate(() => controller.actions.quit());
  });
  return driven;
}

/** The answers that take the wizard into an existing server, signed in as given, through to its last screen. */
export function existingServerAnswers(server: { url: string; username: string; password: string }, next: Answer[] = ['finish']): Record<string, Answer[]> {
  return {
    start: [true],
    'target.kind': ['existing'],
    'target.url': [server.url],
    'target.username': [server.username],
    'target.password': [server.password],
    'step--yes': [true],
    'step--write-env': ['env'],
    next,
  };
}
