// Prompts only where a person can answer: stdin and stdout are terminals and CI is unset.
import { createInterface } from 'node:readline';
import type { Prompter } from '../steps/prompter.js';
import { nonInteractivePrompter } from '../steps/prompter.js';

export function isInteractive(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && !env.CI);
}

function ask(question: string, muted: boolean): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (muted) {
      // Echo nothing of what is typed after the question.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.includes(question)) process.stderr.write(s);
      };
    }
    rl.question(question, (answer) => {
      rl.close();
      if (muted) process.stderr.write('\n');
      resolve(answer);
    });
  });
}

export const terminalPrompter: Prompter = {
  interactive: true,
  async confirm(question) {
    return /^y(es)?$/i.test((await ask(`${question} [y/N] `, false)).trim());
  },
  async password(question) {
    return ask(`${question} `, true);
  },
  async choose(question, choices) {
    const menu = choices.map((c, i) => `  ${i + 1}. ${c.label}`).join('\n');
    for (;;) {
      const picked = Number((await ask(`${question}\n${menu}\nChoose 1-${choices.length}: `, false)).trim());
      const choice = choices[picked - 1];
      if (choice) return choice.value;
    }
  },
};

export function prompterFor(interactive: boolean): Prompter {
  return interactive ? terminalPrompter : nonInteractivePrompter;
}
