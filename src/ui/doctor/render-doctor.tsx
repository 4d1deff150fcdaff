// Starts the interactive doctor on the terminal; resolves with the exit code of the latest results once the user quits.
import { render } from 'ink';
import { doctorExitCode, type CheckResult } from '../../core/doctor-model.js';
import { applyNoColor } from '../no-color.js';
import { DoctorApp, type DoctorRunner } from './doctor-app.js';

export async function renderDoctor(runner: DoctorRunner): Promise<number> {
  applyNoColor();
  let latest: CheckResult[] = [];
  let running: Promise<void> = Promise.resolve();
  // Quitting mid-run still lets the run finish its cleanup (snapshot copies are removed).
  const tracked: DoctorRunner = { checks: runner.checks, run: (onResult, upTo) => (running = runner.run(onResult, upTo)) };
  const instance = render(<DoctorApp runner={tracked} onQuit={(results) => (latest = results)} />, { exitOnCtrlC: false });
  await instance.waitUntilExit();
  await running.catch(() => undefined);
  return doctorExitCode(latest);
}
