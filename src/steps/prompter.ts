import { PatternDbError } from '../core/errors.js';

/** How a step asks the user something. Without a terminal every question names the flag that answers it. */
export interface Prompter {
  readonly interactive: boolean;
  /** `detail` is what the user should read before answering (e.g. the config diff). */
  confirm(question: string, flag: string, detail?: string): Promise<boolean>;
  password(question: string, flag: string): Promise<string>;
  choose(question: string, choices: Array<{ label: string; value: string }>, flag: string): Promise<string>;
}

export const nonInteractivePrompter: Prompter = {
  interactive: false,
  confirm: (question, flag) => Promise.reject(needsInput(question, flag)),
  password: (question, flag) => Promise.reject(needsInput(question, flag)),
  choose: (question, _choices, flag) => Promise.reject(needsInput(question, flag)),
};

function needsInput(question: string, flag: string): PatternDbError {
  return new PatternDbError('E_NEEDS_INPUT', `${question} There is no terminal to ask on.`, {
    fix: `Answer it with ${flag}.`,
  });
}
