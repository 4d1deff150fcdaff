// The wizard's decisions, driven without a terminal: answer its prompts as a user would and check the migration.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { WizardController } from '../../src/commands/wizard-controller.js';
import type { Answer, WizardInput } from '../../src/ui/contract.js';
import { interactiveOptions, patternFolder } from '../helpers/fixture-store.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { startTestServer } from '../helpers/surreal.js';
import { existingServerAnswers } from '../helpers/wizard-drive.js';

const stops: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const stop of stops) await stop();
});

it('walks from welcome to done, asking only what it needs, and migrates into an existing server', async () => {
  const folder = await patternFolder(500);
  const server = await startTestServer();
  stops.push(server.stop);
  const controller = new WizardController(interactiveOptions(folder));
  const answers: Record<string, Answer> = {
    start: true,
    'target.kind': 'existing',
    'target.url': server.url,
    'target.username': server.username,
    'target.password': server.password,
    'step--yes': true,
    'step--write-env': 'dotenv',
  };
  // The first password is wrong: the wizard checks the server right away and asks again.
  const passwords = ['wrong-password-1', server.password];
  const errors: string[] = [];
  const phases: string[] = [];
  const asked: string[] = [];
  let diffShown = '';
  controller.bus.subscribe((input: WizardInput) => {
    if (input.type === 'phase') phases.push(input.phase);
    if (input.type === 'prompt') {
      asked.push(input.prompt.id);
      if (input.prompt.id === 'step--yes') diffShown = input.prompt.detail ?? '';
      const answer = input.prompt.id === 'target.password' ? passwords.shift()! : answers[input.prompt.id]!;
      setImmediate(() => controller.actions.answer(input.prompt.id, answer));
    }
    if (input.type === 'event' && input.event.type === 'diagnostic' && input.event.level === 'error') errors.push(input.event.code);
    if (input.type === 'done' || input.type === 'failed') setImmediate(() => controller.actions.quit());
  });

  const exitCode = await controller.run();

  expect(exitCode).toBe(0);
  expect(phases).toEqual(['prerequisites', 'welcome', 'target', 'export', 'import', 'verify', 'config', 'done']);
  const target = ['target.url', 'target.username', 'target.password'];
  expect(asked).toEqual(['start', 'target.kind', ...target, ...target, 'step--yes', 'step--write-env', 'next']);
  expect(errors).toEqual(['E_AUTH']);
  expect(diffShown).toContain('+type = "remote"');
  expect(await fs.readFile(folder.configPath, 'utf8')).toContain(`url = "${server.url.replace('http', 'ws')}"`);
  const env = await fs.readFile(path.join(folder.dir, '.env'), 'utf8');
  expect(env).toContain(`SURREAL_PASS=${server.password}`);
  expect((await fs.stat(path.join(folder.dir, '.env'))).mode & 0o777).toBe(0o600);
}, 300_000);

it('stops when the user declines to start, writing nothing', async () => {
  const folder = await patternFolder(500);
  const controller = new WizardController(interactiveOptions(folder));
  controller.bus.subscribe((input) => {
    if (input.type === 'prompt') setImmediate(() => controller.actions.answer(input.prompt.id, false));
  });
  expect(await controller.run()).toBe(130);
  expect((await fs.readdir(folder.dir)).sort()).toEqual(['.pattern-db', 'pattern.db', 'pattern.toml']);
}, 120_000);

it('after a failure runs the doctor and shows its diagnosis: here the server that went away', async () => {
  const folder = await patternFolder(500);
  const server = await startTestServer();
  stops.push(server.stop);
  const controller = new WizardController(interactiveOptions(folder));
  const answers: Record<string, Answer> = {
    start: true,
    'target.kind': 'existing',
    'target.url': server.url,
    'target.username': server.username,
    'target.password': server.password,
  };
  const diagnoses: Array<{ running: boolean; codes: string[] }> = [];
  let failedWith = '';
  controller.bus.subscribe((input: WizardInput) => {
    if (input.type === 'prompt') setImmediate(() => controller.actions.answer(input.prompt.id, answers[input.prompt.id]!));
    // The server stops once the export begins, so the import cannot reach it.
    if (input.type === 'phase' && input.phase === 'export') void server.stop();
    if (input.type === 'failed') failedWith = input.error.code;
    if (input.type === 'diagnosis') {
      diagnoses.push({ running: input.running, codes: input.results.filter((r) => r.status === 'fail').map((r) => r.code) });
      if (!input.running) setImmediate(() => controller.actions.quit());
    }
  });

  const exitCode = await controller.run();

  expect(exitCode).toBe(1);
  expect(['E_CONN_REFUSED', 'E_CONN_LOST']).toContain(failedWith);
  expect(diagnoses[0]).toEqual({ running: true, codes: [] });
  expect(diagnoses.at(-1)).toEqual({ running: false, codes: ['E_CONN_REFUSED'] });
  expect(await fs.readFile(folder.configPath, 'utf8')).not.toContain('type = "remote"');
}, 300_000);

it("offers Pattern's own user and the first backup on the last screen, and does both", async () => {
  const folder = await patternFolder(500);
  const server = await startTestServer();
  stops.push(server.stop);
  const controller = new WizardController(interactiveOptions(folder));
  const answers = existingServerAnswers(server, ['user', 'backup']);
  const offered: string[][] = [];
  let summary: Array<{ label: string; value: string }> = [];
  let next: string[] = [];
  controller.bus.subscribe((input: WizardInput) => {
    if (input.type === 'prompt') {
      if (input.prompt.kind === 'select' && input.prompt.id === 'next') offered.push(input.prompt.choices.map((c) => c.value));
      const answer = answers[input.prompt.id]!.shift()!;
      setImmediate(() => controller.actions.answer(input.prompt.id, answer));
    }
    if (input.type === 'done') {
      summary = input.summary.lines;
      next = input.summary.nextCommands;
      if (summary.some((l) => l.label === 'First backup')) setImmediate(() => controller.actions.quit());
    }
  });

  expect(await controller.run()).toBe(0);

  expect(offered).toEqual([
    ['user', 'backup', 'finish'],
    ['backup', 'finish'],
  ]);
  const env = await fs.readFile(path.join(folder.dir, '.env'), 'utf8');
  const password = /^SURREAL_PASS=(.+)$/m.exec(env)?.[1] ?? '';
  expect(env).toContain('SURREAL_USER=pattern_app');
  expect((await fs.stat(path.join(folder.dir, '.env'))).mode & 0o777).toBe(0o600);
  const asApp = new SurrealHttp({ url: server.url, username: 'pattern_app', password, namespace: 'pattern', database: 'pattern' });
  expect(await asApp.sql('RETURN count(SELECT VALUE id FROM msg);')).toEqual([500]);
  expect(summary.find((l) => l.label === 'Pattern signs in as')?.value).toContain('pattern_app (root EDITOR)');
  const backups = await fs.readdir(path.join(folder.dir, 'backups'));
  expect(backups.filter((f) => f.endsWith('.surql.gz'))).toHaveLength(1);
  expect(backups.filter((f) => f.endsWith('.sha256'))).toHaveLength(1);
  expect(next.some((c) => c.startsWith('pattern-db user create') || c.startsWith('pattern-db backup --'))).toBe(false);
  expect(next.some((c) => c.startsWith('pattern-db backup schedule'))).toBe(true);
  expect(summary.find((l) => l.label === 'First backup')?.value).toMatch(/pattern-pattern-.*\.surql\.gz \(.* MB, \d+ records, verified\)/);
}, 300_000);
