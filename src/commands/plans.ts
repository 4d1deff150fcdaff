// Which steps each command runs. `migrate` runs them all; each step is also a command of its own.
import type { StepName } from '../core/events.js';
import type { RunOptions } from '../core/options.js';
import { configStep } from '../steps/config.js';
import { exportStep } from '../steps/export.js';
import { importStep } from '../steps/import.js';
import { preflightStep } from '../steps/preflight.js';
import { serverStep } from '../steps/server.js';
import type { Step } from '../steps/step.js';
import { verifyStep } from '../steps/verify.js';

export type PlannedCommand = 'migrate' | 'preflight' | 'export' | 'import' | 'verify' | 'config';

/** Verification comes before the config rewrite: Pattern is pointed at the server only once the data is proven there. */
export function planFor(command: PlannedCommand, options: RunOptions): Step[] {
  const target = Boolean(options.target || options.startServer);
  switch (command) {
    case 'migrate':
      if (options.dryRun) return [preflightStep({ store: true, target: true, exportFile: true, emptyTarget: true, census: true, configRewrite: true }), configStep];
      return [
        preflightStep({ store: true, target: true, exportFile: true, emptyTarget: true, census: false, configRewrite: true }),
        exportStep,
        ...(options.startServer ? [serverStep] : []),
        importStep,
        verifyStep,
        configStep,
      ];
    case 'preflight':
      return [preflightStep({ store: true, target, exportFile: true, emptyTarget: true, census: true, configRewrite: true })];
    case 'export':
      return [preflightStep({ store: true, target: false, exportFile: true, emptyTarget: false, census: false, configRewrite: false }), exportStep];
    case 'import':
      return [preflightStep({ store: false, target: true, exportFile: false, emptyTarget: true, census: false, configRewrite: false }), importStep];
    case 'verify':
      return [preflightStep({ store: true, target: true, exportFile: false, emptyTarget: false, census: true, configRewrite: false }), verifyStep];
    case 'config':
      return [configStep];
  }
}

/**
 * The steps `migrate` will run, by name, for the wizard's step row. Until the target is chosen a new server is
 * assumed (the first choice offered); choosing a server that already runs drops the server step.
 */
export function migrateStepNames(options: RunOptions, existingServer = false): StepName[] {
  const startServer = options.startServer ?? (options.target || existingServer ? undefined : 'undecided');
  return planFor('migrate', { ...options, ...(startServer ? { startServer } : {}) }).map((step) => step.name);
}

/** The inputs a resumed run must share with the run it continues. */
export function fingerprintOf(command: PlannedCommand, options: RunOptions): Record<string, string> {
  return {
    command,
    config: options.configPath ?? '',
    source: options.source ?? '',
    target: options.target ?? '',
    startServer: options.startServer ?? '',
    bind: options.startServer ? options.bind : '',
    targetVersion: options.targetVersion ? String(options.targetVersion) : '',
    namespace: options.namespace,
    database: options.database,
    exportFile: options.exportFile,
  };
}
