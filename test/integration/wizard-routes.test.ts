// The wizard on a SurrealDB 2 store: the route is the user's choice, made knowing what it means for Pattern.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { WizardController } from '../../src/commands/wizard-controller.js';
import { stopManagedServer } from '../../src/surreal/server.js';
import { interactiveOptions, patternFolder, PATTERN_TOML } from '../helpers/fixture-store.js';
import { freePort, startTestServer } from '../helpers/surreal.js';
import { driveWizard } from '../helpers/wizard-drive.js';

const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const stop of stops) await stop().catch(() => undefined);
});

it('a new server for a SurrealDB 2 store: asks which major, says what each means, and stays on 2.x when told', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
  const options = interactiveOptions(folder);
  stops.push(() => stopManagedServer(options.stateDir).then(() => undefined));
  const controller = new WizardController(options);
  const { asked } = driveWizard(controller, {
    start: [true],
    'target.kind': ['new'],
    'target.storage': ['memory'],
    'target.version': ['2'],
    'target.bind': [`127.0.0.1:${await freePort()}`],
    'target.username': ['root'],
    // Enter on nothing, then a password too short for a new server's root user: each is asked again, saying why.
    'target.password': ['', 'short', 'wizard-two-pass-1'],
    'step--yes': [true],
    'step--write-env': ['env'],
    next: ['finish'],
  });

  expect(await controller.run()).toBe(0);

  const version = asked.find((p) => p.id === 'target.version');
  expect(version?.kind).toBe('select');
  const hints = version?.kind === 'select' ? Object.fromEntries(version.choices.map((c) => [c.value, c.hint])) : {};
  expect(hints['2']).toBe('Pattern connects as it is');
  expect(hints['3']).toContain('only a Pattern built with a SurrealDB 3 SDK');
  expect(version?.warning).toMatchObject({ code: 'W_PATTERN_SDK', message: expect.stringContaining('refuses 3.x servers') });
  const server = JSON.parse(await fs.readFile(path.join(options.stateDir, 'server.json'), 'utf8')) as { version: string };
  expect(server.version).toMatch(/^2\./);
  expect(await fs.readFile(folder.configPath, 'utf8')).toContain('type = "remote"');
  const passwordProblems = asked.filter((p) => p.id === 'target.password').map((p) => (p.kind === 'password' ? p.problem : 'not a password prompt'));
  expect(passwordProblems).toEqual([undefined, expect.stringContaining('A password is needed'), expect.stringContaining('at least 8 characters')]);
  expect(asked.find((p) => p.id === 'target.username')).toMatchObject({ warnIfRoot: true });
}, 600_000);

it('an existing SurrealDB 3 server for a SurrealDB 2 store: the upgrade is confirmed first; declined, the wizard asks for another server', async () => {
  const folder = await patternFolder(300, 1, PATTERN_TOML, 2);
  const three = await startTestServer({ major: 3 });
  const two = await startTestServer({ major: 2 });
  stops.push(three.stop, two.stop);
  const controller = new WizardController(interactiveOptions(folder));
  const { asked } = driveWizard(controller, {
    start: [true],
    'target.kind': ['existing'],
    'target.url': [three.url, two.url],
    'target.username': [three.username, two.username],
    'target.password': [three.password, two.password],
    'target.upgrade': [false],
    'step--yes': [true],
    'step--write-env': ['env'],
    next: ['finish'],
  });

  expect(await controller.run()).toBe(0);

  const upgrade = asked.find((p) => p.id === 'target.upgrade');
  expect(upgrade?.question).toContain('will be upgraded to SurrealDB 3');
  expect(upgrade?.warning).toMatchObject({ code: 'W_PATTERN_SDK', message: expect.stringContaining('refuses 3.x servers') });
  expect(asked.filter((p) => p.id === 'target.url')).toHaveLength(2);
  expect(asked.some((p) => p.id === 'target.version')).toBe(false);
  expect(await fs.readFile(folder.configPath, 'utf8')).toContain(`url = "${two.url.replace('http', 'ws')}"`);
  // An existing server's user is the one it has: typing root there is not warned of.
  for (const p of asked.filter((p) => p.id === 'target.username' || p.id === 'target.password')) expect(p).not.toHaveProperty('warnIfRoot');
}, 600_000);
