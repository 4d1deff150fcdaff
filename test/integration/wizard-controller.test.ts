// The wizard's decisions, driven without a terminal: answer its prompts as a user would and check the migration.
import { promises as fs } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { WizardController } from '../../src/commands/wizard-controller.js';
import type { Answer, WizardInput } from '../../src/ui/contract.js';
import { initialWizardState, reduceWizard } from '../../src/ui/wizard-state.js';
import { interactiveOptions, patternFolder } from '../helpers/fixture-store.js';
import { SurrealHttp } from '../../src/surreal/http.js';
import { startTestServer } from '../helpers/surreal.js';
import { driveWizard, existingServerAnswers } from '../helpers/wizard-drive.js';
import { runUntilKilled } from '../helpers/kill-points.js';

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

it('a resumed run whose password the server refuses asks for it again on r, and goes on from where the import stopped', async () => {
  const folder = await patternFolder(500);
  const server = await startTestServer();
  stops.push(server.stop);
  const env = { SURREAL_USER: server.username, SURREAL_PASS: server.password };
  const stateDir = path.join(folder.dir, '.pattern-db');
  const interrupted = await runUntilKilled({ name: 'every record in', pause: 'records-in' }, ['migrate', '--yes', '--json', '--target', server.url], { cwd: folder.dir, stateDir, env });
  expect(interrupted.killed).toBe(true);

  const controller = new WizardController(interactiveOptions(folder));
  const answers: Record<string, Answer> = { resume: 'resume', start: true, 'step--yes': true, 'step--write-env': 'dotenv' };
  const passwords = ['mistyped-password', server.password];
  const asked: string[] = [];
  const failures: Array<{ code: string; fix: string }> = [];
  const events: Array<{ code: string; step: string }> = [];
  let screen = initialWizardState(100, 30);
  let atResumeQuestion: string[] = [];
  controller.bus.subscribe((input: WizardInput) => {
    screen = reduceWizard(screen, input);
    if (input.type === 'prompt') {
      if (input.prompt.id === 'resume') atResumeQuestion = screen.steps.map((s) => `${s.name} ${s.state}`);
      asked.push(input.prompt.id);
      const answer = input.prompt.id === 'target.password' ? passwords.shift()! : answers[input.prompt.id]!;
      setImmediate(() => controller.actions.answer(input.prompt.id, answer));
    }
    if (input.type === 'event' && input.event.type === 'diagnostic') events.push({ code: input.event.code, step: input.event.step ?? '' });
    if (input.type === 'failed') {
      failures.push({ code: input.error.code, fix: input.error.fix ?? '' });
      setImmediate(() => (failures.length === 1 ? controller.actions.retry() : controller.actions.quit()));
    }
    if (input.type === 'done') setImmediate(() => controller.actions.quit());
  });

  const exitCode = await controller.run();
  expect(failures.map((f) => f.code)).toEqual(['E_AUTH']);
  expect(exitCode).toBe(0);
  expect(failures[0]!.fix).toContain(`Press r to type the password of ${server.username} again`);
  expect(asked.filter((id) => id === 'target.password')).toHaveLength(2);
  // The chunks the killed run had sent are not sent again: its records were all in.
  expect(events.map((e) => e.code)).not.toContain('W_TARGET_RESET');
  // The step row: what the killed run finished is done while the question is asked, and on the last screen (not "skipped").
  expect(atResumeQuestion).toContain('export done');
  expect(atResumeQuestion).not.toContain('import done');
  expect(screen.steps.map((s) => `${s.name} ${s.state}`)).toEqual(['preflight done', 'export done', 'import done', 'verify done', 'config done']);
  const http = new SurrealHttp({ url: server.url, username: server.username, password: server.password, namespace: 'pattern', database: 'pattern' });
  const [messages] = (await http.sql('RETURN count(SELECT VALUE id FROM msg);')) as number[];
  expect(messages).toBe(folder.counts.msg);
  expect(await fs.readFile(folder.configPath, 'utf8')).toContain('type = "remote"');
}, 300_000);

it('a new server whose run fails before it starts is left out of the diagnosis: no "start the server" for a server the run starts', async () => {
  const folder = await patternFolder(300);
  // Something else holds the port the new server was to listen on.
  const blocker = net.createServer((socket) => socket.end('not surreal\n'));
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as AddressInfo).port;
  const controller = new WizardController(interactiveOptions(folder));
  const answers: Record<string, Answer> = {
    start: true,
    'target.kind': 'new',
    'target.storage': 'memory',
    'target.bind': `127.0.0.1:${port}`,
    'target.username': 'admin',
    'target.password': 'new-server-pass-1',
  };
  let failedWith = '';
  let checks: Array<{ id: string; status: string; fix: string }> = [];
  controller.bus.subscribe((input: WizardInput) => {
    if (input.type === 'prompt') setImmediate(() => controller.actions.answer(input.prompt.id, answers[input.prompt.id]!));
    if (input.type === 'failed') failedWith = input.error.code;
    if (input.type === 'diagnosis' && !input.running) {
      checks = input.results.map((r) => ({ id: r.id, status: r.status, fix: r.fix ?? '' }));
      setImmediate(() => controller.actions.quit());
    }
  });

  expect(await controller.run()).not.toBe(0);

  expect(failedWith).toBe('E_PORT_IN_USE');
  expect(checks.length).toBeGreaterThan(0);
  expect(checks.filter((c) => c.id.startsWith('server.') && c.status !== 'skip')).toEqual([]);
  expect(checks.map((c) => c.fix).join('\n')).not.toContain('start the server');
}, 120_000);

it('a second wizard in the same folder is refused at once, before any question, while the first one waits at its own', async () => {
  const folder = await patternFolder(300);
  const first = new WizardController(interactiveOptions(folder));
  const asked = { first: [] as string[], second: [] as string[] };
  let answerFirst: (() => void) | undefined;
  const firstAsked = new Promise<void>((resolve) => {
    first.bus.subscribe((input: WizardInput) => {
      if (input.type !== 'prompt') return;
      asked.first.push(input.prompt.id);
      answerFirst = () => first.actions.answer(input.prompt.id, false);
      resolve();
    });
  });
  const firstRun = first.run();
  await firstAsked;

  const second = new WizardController(interactiveOptions(folder));
  let refused: { code: string; message: string } | undefined;
  second.bus.subscribe((input: WizardInput) => {
    if (input.type === 'prompt') {
      asked.second.push(input.prompt.id);
      setImmediate(() => second.actions.answer(input.prompt.id, false));
    }
    if (input.type === 'failed') {
      refused = { code: input.error.code, message: input.error.message };
      setImmediate(() => second.actions.quit());
    }
  });
  expect(await second.run()).not.toBe(0);
  expect(refused).toEqual({ code: 'E_STATE_IN_USE', message: expect.stringContaining(`(process ${process.pid})`) });
  expect(asked.second).toEqual([]);

  answerFirst!();
  expect(await firstRun).toBe(130);
  expect(asked.first).toEqual(['start']);
}, 120_000);

it('relaunched after the config change was declined: offers a new migration, setting the finished run and its export file aside', async () => {
  const folder = await patternFolder(300);
  const server = await startTestServer();
  stops.push(server.stop);
  const declining = new WizardController(interactiveOptions(folder));
  driveWizard(declining, { ...existingServerAnswers(server), 'step--yes': [false] });
  expect(await declining.run()).toBe(1);
  const exportFile = path.join(folder.dir, 'pattern_export.surql');
  const exported = await fs.readFile(exportFile);

  const relaunched = new WizardController(interactiveOptions(folder));
  const { asked } = driveWizard(relaunched, { resume: ['fresh'], start: [false] });
  expect(await relaunched.run()).toBe(130);

  const offer = asked[0];
  expect(offer?.id).toBe('resume');
  expect(offer?.question).toMatch(/^An earlier migration finished \(.+\), its config change declined, and its export file is still there\. Start a new one\?$/);
  expect(offer?.kind === 'select' ? offer.choices.find((c) => c.value === 'quit')?.hint : '').toBe(`pattern-db config --target ${server.url} points Pattern at that server without moving the data again`);
  // The checks passed (the start question came): the old export file is kept beside, not in the new run's way.
  expect(asked.map((p) => p.id)).toEqual(['resume', 'start']);
  const aside = (await fs.readdir(folder.dir)).filter((f) => /^pattern_export\.surql\.\d+\.old$/.test(f));
  expect(aside).toHaveLength(1);
  expect(await fs.readFile(path.join(folder.dir, aside[0]!))).toEqual(exported);
}, 300_000);
