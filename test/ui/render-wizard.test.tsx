import chalk from 'chalk';
import { afterEach, expect, it, vi } from 'vitest';
import { WizardBus, type WizardActions } from '../../src/ui/contract.js';
import { renderWizard } from '../../src/ui/render-wizard.js';
import { terminal } from './fake-terminal.js';
import { phase, status } from './fixtures.js';
import { KEY, tick, waitFor } from './render.js';

// The wizard only ever runs where CI is unset; ink decides at import time, so unset it before ink loads.
vi.hoisted(() => {
  delete process.env.CI;
});

const COLOUR = /\u001B\[(?:3\d|4\d|9[0-7]|10[0-7])(?:;\d+)*m/;
const levelBefore = chalk.level;

afterEach(() => {
  chalk.level = levelBefore;
  vi.unstubAllEnvs();
});

function start() {
  const bus = new WizardBus();
  const actions = { answer: vi.fn(), cancel: vi.fn(), retry: vi.fn(), quit: vi.fn() } satisfies WizardActions;
  const term = terminal();
  const handle = renderWizard(bus, actions, term.options);
  bus.feed(phase('import'));
  bus.feed(status('preflight', 'done'));
  bus.feed({ type: 'failed', error: { code: 'E_AUTH', message: 'The server refused the credentials.', fix: 'Check SURREAL_PASS.' }, canRetry: true });
  return { bus, actions, term, handle };
}

it('writes colours on a colour terminal, and none with NO_COLOR set', async () => {
  chalk.level = 3;
  const coloured = start();
  await waitFor(() => expect(coloured.term.stdout.written).toContain('E_AUTH'));
  expect(coloured.term.stdout.written).toMatch(COLOUR);
  expect(coloured.term.stdout.written).toContain(`${chalk.green('✔')} checks`);
  expect(coloured.term.stdout.written).toContain(chalk.red('✘'));
  coloured.handle.unmount();

  vi.stubEnv('NO_COLOR', '1');
  const plain = start();
  await waitFor(() => expect(plain.term.stdout.written).toContain('Check SURREAL_PASS.'));
  expect(plain.term.stdout.written).toContain('✔ checks');
  expect(plain.term.stdout.written).not.toMatch(COLOUR);
  plain.handle.unmount();
});

it('sends ctrl-c to cancel instead of exiting, and exits after quit', async () => {
  const bus = new WizardBus();
  const actions = { answer: vi.fn(), cancel: vi.fn(), retry: vi.fn(), quit: vi.fn() } satisfies WizardActions;
  const term = terminal();
  const handle = renderWizard(bus, actions, term.options);
  bus.feed(phase('import'));
  bus.feed(status('import', 'running'));
  await waitFor(() => expect(term.stdout.written).toContain('Importing into the server'));
  await tick();
  term.stdin.write(KEY.ctrlC);
  await waitFor(() => expect(actions.cancel).toHaveBeenCalledTimes(1));
  bus.feed({ type: 'failed', error: { code: 'E_CANCELLED', message: 'Cancelled.' }, canRetry: true });
  await waitFor(() => expect(term.stdout.written).toContain('E_CANCELLED'));
  await tick();
  let exited = false;
  const exit = handle.waitUntilExit().then(() => {
    exited = true;
  });
  term.stdin.write('q');
  await exit;
  expect(exited).toBe(true);
  expect(actions.quit).toHaveBeenCalledTimes(1);
});
