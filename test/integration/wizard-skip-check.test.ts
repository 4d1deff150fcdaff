// A failed prerequisite that is safe to skip can be skipped in the wizard; the rest stay blocking.
// Only the free-space reading is replaced (a nearly full disk cannot be made here); the store and engine are real.
import { expect, it, vi } from 'vitest';
import { WizardController } from '../../src/commands/wizard-controller.js';
import type { WizardInput } from '../../src/ui/contract.js';
import { interactiveOptions, patternFolder } from '../helpers/fixture-store.js';

vi.mock('../../src/surreal/store.js', async (original) => ({
  ...(await original<typeof import('../../src/surreal/store.js')>()),
  freeBytes: async () => 1000,
}));

it('offers to skip the free-space check, and after a skip shows it as a warning and goes on', async () => {
  const folder = await patternFolder(300);
  const controller = new WizardController(interactiveOptions(folder));
  const asked: string[] = [];
  const diagnostics: string[] = [];
  controller.bus.subscribe((input: WizardInput) => {
    if (input.type === 'event' && input.event.type === 'diagnostic') diagnostics.push(input.event.code);
    if (input.type !== 'prompt') return;
    asked.push(input.prompt.id);
    // First "check again" (still failing), then "skip", then decline to start.
    const answer = input.prompt.id === 'prerequisites.skip' ? (asked.filter((id) => id === 'prerequisites.skip').length === 1 ? 'recheck' : 'skip') : false;
    setImmediate(() => controller.actions.answer(input.prompt.id, answer));
  });

  expect(await controller.run()).toBe(130);
  expect(asked).toEqual(['prerequisites.skip', 'prerequisites.skip', 'start']);
  expect(diagnostics.filter((c) => c === 'E_DISK_FULL')).toHaveLength(2);
  expect(diagnostics).toContain('W_CHECK_SKIPPED');
}, 120_000);
