// Prompts only where a person can answer: stdin and stdout are terminals and CI is unset.
import { createInterface } from 'node:readline';
import type { Prompter } from '../steps/prompter.js';
import { nonInteractivePrompter } from '../steps/prompter.js';
import { readSecret } from './secret-input.js';

export function isInteractive(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && !env.CI);
}

/** A visible answer (never a secret: those go through readSecret). */
function ask(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}

export const terminalPrompter: Prompter = {
  interactive: true,
  async confirm(question) {
    return /^y(es)?$/i.test((await ask(`${question} [y/N] `)).trim());
  },
  async password(question) {
    return readSecret(`${question} `);
  },
  async choose(question, choices) {
    const menu = choices.map((c, i) => `  ${i + 1}. ${c.label}`).join('\n');
    for (;;) {
      const picked = Number((await ask(`${question}\n${menu}\nChoose 1-${choices.length}: `)).trim());
      const choice = choices[picked - 1];
      if (choice) return choice.value;
    }
  },
};

export function prompterFor(interactive: boolean): Prompter {
  return interactive ? terminalPrompter : nonInteractivePrompter;
}
