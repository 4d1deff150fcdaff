// The wizard app with a real bus, recorded actions and a fixed terminal size.
import { vi } from 'vitest';
import { WizardBus, type WizardActions, type WizardInput } from '../../src/ui/contract.js';
import { WizardApp } from '../../src/ui/wizard-app.js';
import { renderUi, tick } from './render.js';

export async function renderWizardApp(options: { columns?: number; rows?: number; clock?: () => number; inputs?: WizardInput[] } = {}) {
  const bus = new WizardBus();
  const actions = { answer: vi.fn(), cancel: vi.fn(), retry: vi.fn(), quit: vi.fn() } satisfies WizardActions;
  for (const input of options.inputs ?? []) bus.feed(input);
  const ui = await renderUi(
    <WizardApp bus={bus} actions={actions} columns={options.columns ?? 80} rows={options.rows ?? 24} {...(options.clock ? { clock: options.clock } : {})} />,
  );
  const feed = async (...inputs: WizardInput[]) => {
    for (const input of inputs) bus.feed(input);
    await tick();
  };
  return { ...ui, bus, actions, feed };
}
