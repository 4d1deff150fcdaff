// Starts the inspector on the terminal and resolves when the user quits (q or ctrl-c).
import { render } from 'ink';
import type { InspectHistory, InspectSource } from '../../core/inspect-types.js';
import { applyNoColor } from '../no-color.js';
import { InspectApp } from './inspect-app.js';

export interface RenderInspectOptions {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

export async function renderInspect(source: InspectSource, history?: InspectHistory, options: RenderInspectOptions = {}): Promise<void> {
  applyNoColor();
  const instance = render(<InspectApp source={source} {...(history ? { history } : {})} />, {
    // ctrl-c reaches the app, which exits through the same path as q (so the snapshot is removed).
    exitOnCtrlC: false,
    patchConsole: !options.stdout,
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
  });
  await instance.waitUntilExit();
}
