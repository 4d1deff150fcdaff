import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { event, phase, status } from './fixtures.js';
import { renderWizardApp } from './harness.js';
import { KEY } from './render.js';

afterEach(cleanup);

const running = [
  phase('import'),
  status('preflight', 'done'),
  status('import', 'running'),
  event({ type: 'log', step: 'import', stream: 'stdout', line: 'chunk 3 of 9 imported' }),
  event({ type: 'log', step: 'import', stream: 'stderr', line: 'slow statement' }),
];

it('the legend lists the keys that work while a step runs', async () => {
  const app = await renderWizardApp({ inputs: running });
  await app.waitForText('Importing into the server');
  const legend = app.frame().trimEnd().split('\n').at(-1);
  expect(legend).toBe('l output · ? help · q/ctrl-c cancel');
});

it('l shows and hides the current step output', async () => {
  const app = await renderWizardApp({ inputs: running });
  await app.waitForText('Importing into the server');
  expect(app.frame()).not.toContain('chunk 3 of 9 imported');
  await app.press('l');
  await app.waitForText('output of import');
  expect(app.frame()).toContain('chunk 3 of 9 imported');
  expect(app.frame()).toContain('slow statement');
  expect(app.frame()).toContain('╭');
  expect(app.frame()).toContain('l hide output');
  await app.press('l');
  await app.waitFor(() => expect(app.frame()).not.toContain('chunk 3 of 9 imported'));
});

it('keys that arrive in one burst each count: "l?" shows the output and the help', async () => {
  const app = await renderWizardApp({ inputs: running });
  await app.waitForText('Importing into the server');
  await app.press('l?');
  await app.waitForText('l hide output · ? close help');
  expect(app.frame()).toContain('chunk 3 of 9 imported');
  expect(app.frame()).toMatch(/^Keys$/m);
});

it('? opens and closes the help', async () => {
  const app = await renderWizardApp({ inputs: running });
  await app.waitForText('Importing into the server');
  await app.press('?');
  await app.waitForText('show or hide the output of the current step');
  expect(app.frame()).toContain('? close help');
  expect(app.frame()).toMatch(/↑\/↓ pgup\/pgdn\s+scroll a long diff or the last screen \(home\/end: top\/end\)/);
  expect(app.frame()).not.toContain('…');
  await app.press('?');
  await app.waitFor(() => expect(app.frame()).not.toContain('show or hide the output'));
});

it('q and ctrl-c ask the controller to cancel while running', async () => {
  const app = await renderWizardApp({ inputs: running });
  await app.waitForText('Importing into the server');
  await app.press('q');
  expect(app.actions.cancel).toHaveBeenCalledTimes(1);
  await app.waitForText('(stopping…)');
  await app.press(KEY.ctrlC);
  expect(app.actions.cancel).toHaveBeenCalledTimes(2);
  expect(app.actions.quit).not.toHaveBeenCalled();
});

it('keys that do not apply now do nothing', async () => {
  const app = await renderWizardApp({ inputs: running });
  await app.waitForText('Importing into the server');
  await app.press('r');
  await app.press('d');
  expect(app.actions.retry).not.toHaveBeenCalled();
  expect(app.frame()).not.toContain('Evidence');
});
