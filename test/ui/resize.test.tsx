import { afterEach, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { WizardBus } from '../../src/ui/contract.js';
import { WizardApp } from '../../src/ui/wizard-app.js';
import { facts, phase } from './fixtures.js';
import { renderUi } from './render.js';

afterEach(cleanup);

it('follows the terminal when it is resized', async () => {
  const bus = new WizardBus();
  bus.feed(phase('welcome'));
  bus.feed({ type: 'facts', facts: facts(6, true) });
  const app = await renderUi(<WizardApp bus={bus} actions={{ answer: vi.fn(), cancel: vi.fn(), retry: vi.fn(), quit: vi.fn() }} />);
  await app.waitForText('Will change');
  const widest = () => Math.max(...app.frame().split('\n').map((line) => [...line].length));
  expect(widest()).toBeGreaterThan(60);
  Object.defineProperty(app.stdout, 'columns', { value: 60, configurable: true });
  app.stdout.emit('resize');
  await app.waitFor(() => expect(widest()).toBeLessThanOrEqual(60));
});
