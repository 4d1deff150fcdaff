// Rendering helpers that wait on content instead of sleeping, and yield after every key press.
import { render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import type { ReactElement } from 'react';

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  tab: '\t',
  ctrlC: '\u0003',
  backspace: '\u007F',
} as const;

/** Lets React 19 and Ink run effects and input handlers (as Shopify's cli-kit test helpers do). */
export async function tick(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Retries an assertion until it passes or the time is up; the last failure is what the test reports. */
export async function waitFor(assertion: () => void, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

export async function press(stdin: { write(data: string): void }, key: string): Promise<void> {
  stdin.write(key);
  await tick();
}

export async function renderUi(tree: ReactElement) {
  const instance = render(tree);
  await tick();
  const raw = () => instance.lastFrame() ?? '';
  const frame = () => stripVTControlCharacters(raw());
  return {
    ...instance,
    raw,
    frame,
    press: (key: string) => press(instance.stdin, key),
    waitFor,
    /** Types one character at a time, as a person does. */
    type: async (text: string) => {
      for (const char of text) await press(instance.stdin, char);
    },
    /** Then yields once more, so the inputs that just appeared have attached their key handlers. */
    waitForText: async (text: string | RegExp) => {
      await waitFor(() => {
        const now = frame();
        if (typeof text === 'string' ? !now.includes(text) : !text.test(now)) throw new Error(`Waiting for ${String(text)} in:\n${now}`);
      });
      await tick();
    },
  };
}
