// `pattern-db migrate` on a terminal: the wizard's controller driving its Ink UI.
import { EXIT_CODES } from '../core/errors.js';
import type { RunOptions } from '../core/options.js';
import { renderWizard } from '../ui/render-wizard.js';
import { WizardController } from './wizard-controller.js';
import { wizardStoppedLine } from './wizard-stopped.js';

/** `options` carry the credentials found where Pattern finds them (lookupRunCredentials). */
export async function runWizard(options: RunOptions): Promise<number> {
  const controller = new WizardController(options);
  const ui = renderWizard(controller.bus, controller.actions);
  const exitCode = await controller.run();
  ui.unmount();
  await ui.waitUntilExit().catch(() => undefined);
  if (exitCode === EXIT_CODES.cancelled) process.stdout.write(`${await wizardStoppedLine(options.stateDir)}\n`);
  return exitCode;
}
