// The wizard on a SurrealDB 2 store loads it once: the run takes over the snapshot and the private server its survey
// opened, unless the store changed meanwhile; and no private server outlives the wizard.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { WizardController } from '../../src/commands/wizard-controller.js';
import { EXIT_CODES } from '../../src/core/errors.js';
import type { Answer } from '../../src/ui/contract.js';
import { interactiveOptions, patternFolder, PATTERN_TOML, type PatternFolder } from '../helpers/fixture-store.js';
import { processesLeftMentioning, processesMentioning } from '../helpers/processes.js';
import { startTestServer } from '../helpers/surreal.js';
import { driveWizard, existingServerAnswers, type DrivenWizard } from '../helpers/wizard-drive.js';

const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
});

const codesOf = (seen: DrivenWizard): string[] => seen.diagnostics.map((d) => d.code);

async function upgradeAnswers(): Promise<Record<string, Answer[]>> {
  const three = await startTestServer({ major: 3 });
  stops.push(three.stop);
  return { ...existingServerAnswers(three), 'target.upgrade': [true] };
}

/** A store file's time moved on: what Pattern writing to the store between the survey and the start looks like. */
async function touchStore(folder: PatternFolder): Promise<void> {
  const files = (await fs.readdir(folder.storePath, { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && e.name !== 'LOCK');
  const file = path.join(files[0]!.parentPath, files[0]!.name);
  const later = new Date(Date.now() + 60_000);
  await fs.utimes(file, later, later);
}

it('the run takes over the snapshot and private server the survey opened: the store is copied and loaded once', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
  const options = interactiveOptions(folder);
  const controller = new WizardController(options);
  const seen = driveWizard(controller, await upgradeAnswers());

  expect(await controller.run()).toBe(EXIT_CODES.ok);

  expect(seen.snapshots).toHaveLength(2);
  expect(seen.snapshots[1]).toBe(seen.snapshots[0]);
  expect(codesOf(seen).filter((c) => c === 'I_SNAPSHOT')).toHaveLength(1);
  // One census: the survey's. The run's export read through the same server without counting again.
  expect(codesOf(seen).filter((c) => c === 'I_SOURCE')).toHaveLength(1);
  expect(codesOf(seen)).toContain('I_VERIFIED');
  expect(await processesLeftMentioning(options.stateDir, 5_000)).toEqual([]);
}, 600_000);

it('a store that changed after the survey is copied again, and the survey\'s server is ended before the run goes on', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
  const options = interactiveOptions(folder);
  const controller = new WizardController(options);
  let surveyed = '';
  let leftAtConfig: { processes: number[]; snapshotKept: boolean } | undefined;
  const seen = driveWizard(controller, await upgradeAnswers(), {
    start: async () => {
      surveyed = seen.snapshots[0]!;
      await touchStore(folder);
    },
    'step--yes': async () => {
      leftAtConfig = {
        processes: await processesMentioning(surveyed),
        snapshotKept: await fs.stat(surveyed).then(() => true, () => false),
      };
    },
  });

  expect(await controller.run()).toBe(EXIT_CODES.ok);

  expect(seen.snapshots).toHaveLength(2);
  expect(seen.snapshots[1]).not.toBe(surveyed);
  expect(codesOf(seen)).not.toContain('I_SNAPSHOT');
  expect(codesOf(seen)).toContain('I_VERIFIED');
  expect(leftAtConfig).toEqual({ processes: [], snapshotKept: false });
}, 600_000);

it('with --driver cli nothing carries over: the run copies the store and opens its own private server', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
  const options = { ...interactiveOptions(folder), driver: 'cli' as const };
  const controller = new WizardController(options);
  const seen = driveWizard(controller, await upgradeAnswers());

  expect(await controller.run()).toBe(EXIT_CODES.ok);

  expect(seen.snapshots).toHaveLength(2);
  expect(seen.snapshots[1]).not.toBe(seen.snapshots[0]);
  expect(codesOf(seen)).not.toContain('I_SNAPSHOT');
  expect(codesOf(seen)).toContain('I_VERIFIED');
  expect(await processesLeftMentioning(options.stateDir, 5_000)).toEqual([]);
}, 600_000);

it('leaving at "Start the migration?" ends the survey\'s private server and removes its snapshot', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
  const options = interactiveOptions(folder);
  const controller = new WizardController(options);
  let runningAtStart: number[] = [];
  driveWizard(controller, { start: [false] }, {
    start: async () => {
      runningAtStart = await processesMentioning(options.stateDir);
    },
  });

  expect(await controller.run()).toBe(EXIT_CODES.cancelled);

  // The survey's server was still serving the snapshot while the question waited.
  expect(runningAtStart.length).toBeGreaterThan(0);
  expect(await processesLeftMentioning(options.stateDir, 5_000)).toEqual([]);
  expect(await fs.readdir(path.join(options.stateDir, 'snapshots')).catch(() => [])).toEqual([]);
}, 600_000);
