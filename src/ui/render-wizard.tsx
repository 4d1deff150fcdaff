// Starts the wizard on the terminal. Ctrl-C reaches the app (→ actions.cancel) instead of killing the process.
import { render } from 'ink';
import type { WizardActions, WizardBus } from './contract.js';
import { applyNoColor } from './no-color.js';
import { WizardApp } from './wizard-app.js';

export interface RenderWizardOptions {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  exitOnCtrlC?: boolean;
}

export interface WizardHandle {
  waitUntilExit(): Promise<void>;
  unmount(): void;
}

export function renderWizard(bus: WizardBus, actions: WizardActions, options: RenderWizardOptions = {}): WizardHandle {
  applyNoColor();
  const instance = render(<WizardApp bus={bus} actions={actions} />, {
    exitOnCtrlC: options.exitOnCtrlC ?? false,
    // Stray console output lands above the wizard on the real terminal; a caller's own stream leaves the console alone.
    patchConsole: !options.stdout,
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
  });
  // Ink settles this promise only if it exists when the app unmounts: ask for it now, not after exit().
  const exited = instance.waitUntilExit();
  return {
    waitUntilExit: async () => {
      await exited;
    },
    unmount: () => instance.unmount(),
  };
}
