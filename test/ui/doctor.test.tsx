// The interactive doctor: marks, details on request, re-running one check or all, quitting with the results.
import { cleanup } from 'ink-testing-library';
import { afterEach, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/doctor-model.js';
import { DoctorApp, type DoctorRunner } from '../../src/ui/doctor/doctor-app.js';
import { KEY, renderUi } from './render.js';

afterEach(cleanup);

const result = (id: string, group: CheckResult['group'], title: string, status: CheckResult['status'], message: string, extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  group,
  title,
  status,
  code: { ok: 'D_OK', warn: 'W_SOMETHING', fail: 'E_CONN_REFUSED', skip: 'S_SKIPPED' }[status],
  message,
  ms: 1,
  ...extra,
});

const RESULTS: CheckResult[] = [
  result('config.found', 'config', 'Config file', 'ok', '/home/me/pattern.toml', { evidence: ['Pattern looks, in this order'] }),
  result('store.exists', 'store', 'Store folder', 'skip', 'the config points at a server'),
  result('server.health', 'server', 'Server reachable', 'fail', 'Nothing is listening at 127.0.0.1:8001.', {
    evidence: ['GET http://127.0.0.1:8001/health: ECONNREFUSED'],
    fix: 'Start the server.',
  }),
  result('server.defaults', 'server', 'Default credentials', 'warn', 'The server accepts root/root.', { fix: 'Give root a strong password.' }),
];

/** A runner that answers from a script: each run reports the results up to the check asked for. */
function scriptedRunner(script: CheckResult[] = RESULTS): DoctorRunner & { calls: Array<string | undefined>; release: () => void } {
  const calls: Array<string | undefined> = [];
  let gate: (() => void) | undefined;
  return {
    calls,
    release: () => gate?.(),
    checks: script.map(({ id, group, title }) => ({ id, group, title })),
    async run(onResult, upTo) {
      calls.push(upTo);
      if (calls.length > 1) await new Promise<void>((resolve) => (gate = resolve));
      const last = upTo ? script.findIndex((r) => r.id === upTo) : script.length - 1;
      for (const r of script.slice(0, last + 1)) onResult(r);
    },
  };
}

async function renderDoctorApp(runner: DoctorRunner, size = { columns: 100, rows: 30 }) {
  const quit: CheckResult[][] = [];
  const app = await renderUi(<DoctorApp runner={runner} onQuit={(r) => quit.push(r)} {...size} />);
  await app.waitForText('doctor: problems found');
  return { ...app, quit };
}

it('shows every check under its group with its mark, and opens failures and warnings with evidence and fix', async () => {
  const app = await renderDoctorApp(scriptedRunner());
  const frame = app.frame();
  expect(frame).toContain('Configuration');
  expect(frame).toContain('✔ Config file: /home/me/pattern.toml');
  expect(frame).toContain('– Store folder: skipped: the config points at a server');
  expect(frame).toContain('✘ Server reachable: Nothing is listening at 127.0.0.1:8001. [E_CONN_REFUSED]');
  expect(frame).toContain('GET http://127.0.0.1:8001/health: ECONNREFUSED');
  expect(frame).toContain('fix: Start the server.');
  expect(frame).toContain('! Default credentials: The server accepts root/root. [W_SOMETHING]');
  expect(frame).not.toContain('Pattern looks, in this order');
  expect(frame).toContain('doctor: problems found: 1 ok, 1 warning, 1 failure, 1 skipped');
});

it('enter opens the selected check\'s evidence and closes it again', async () => {
  const app = await renderDoctorApp(scriptedRunner());
  await app.press(KEY.enter);
  await app.waitForText('Pattern looks, in this order');
  await app.press(KEY.enter);
  await app.waitFor(() => expect(app.frame()).not.toContain('Pattern looks, in this order'));
});

it('arrows move the selection; enter on a failure hides its details', async () => {
  const app = await renderDoctorApp(scriptedRunner());
  await app.press(KEY.down);
  await app.press(KEY.down);
  await app.waitFor(() => expect(app.frame()).toMatch(/› ✘ Server reachable/));
  await app.press(KEY.enter);
  await app.waitFor(() => expect(app.frame()).not.toContain('fix: Start the server.'));
});

it('r re-runs the selected check (and those it builds on); the keys to re-run wait while it runs', async () => {
  const runner = scriptedRunner();
  const app = await renderDoctorApp(runner);
  expect(app.frame()).toContain('r re-run this check');
  await app.press(KEY.down);
  await app.press(KEY.down);
  // Under load two presses can land before the view moves once: r goes only once the selection is there.
  await app.waitFor(() => expect(app.frame()).toMatch(/› ✘ Server reachable/));
  await app.press('r');
  await app.waitForText('checking…');
  expect(runner.calls).toEqual([undefined, 'server.health']);
  expect(app.frame()).not.toContain('r re-run this check');
  await app.press('a');
  expect(runner.calls).toHaveLength(2);
  runner.release();
  await app.waitForText('doctor: problems found');
  expect(app.frame()).toContain('r re-run this check');
});

it('r re-runs the check the arrows just selected, when the keys arrive faster than the view redraws', async () => {
  const runner = scriptedRunner();
  const app = await renderDoctorApp(runner);
  expect(app.frame()).toContain('r re-run this check');
  for (const key of [KEY.down, KEY.down, 'r']) app.stdin.write(key);
  await app.waitForText('checking…');
  expect(runner.calls).toEqual([undefined, 'server.health']);
  runner.release();
  await app.waitForText('doctor: problems found');
});

it('a re-runs every check', async () => {
  const runner = scriptedRunner();
  const app = await renderDoctorApp(runner);
  await app.press('a');
  expect(runner.calls).toEqual([undefined, undefined]);
  runner.release();
  await app.waitForText('doctor: problems found');
});

it('q quits with the latest result of every check', async () => {
  const app = await renderDoctorApp(scriptedRunner());
  await app.press('q');
  expect(app.quit).toHaveLength(1);
  expect(app.quit[0]!.map((r) => r.status)).toEqual(['ok', 'skip', 'fail', 'warn']);
});

it('? explains the marks and the exit codes', async () => {
  const app = await renderDoctorApp(scriptedRunner());
  await app.press('?');
  await app.waitForText('Exit code: 0 healthy, 5 warnings only, 1 a failure.');
});

it('on a short terminal the list scrolls with the selection and says how much is hidden', async () => {
  const many = Array.from({ length: 20 }, (_, i) => result(`server.c${i}`, 'server', `Check ${i}`, i === 19 ? 'fail' : 'ok', `message ${i}`));
  const app = await renderDoctorApp(scriptedRunner(many), { columns: 60, rows: 12 });
  expect(app.frame()).toContain('Check 0');
  expect(app.frame()).toMatch(/↓ \d+ more/);
  expect(app.frame().split('\n').length).toBeLessThanOrEqual(11);
  for (let i = 0; i < 19; i++) await app.press(KEY.down);
  await app.waitFor(() => expect(app.frame()).toMatch(/› ✘ Check 19/));
  expect(app.frame()).not.toContain('Check 0:');
  expect(app.frame()).toMatch(/↑ \d+ more/);
});

it('an open check whose line is cut at the edge shows its whole message', async () => {
  const long = result('server.auth', 'server', 'Credentials accepted', 'fail', 'The server refused pattern_app: the password is wrong or there is no such root user.', { fix: 'Check SURREAL_PASS.' });
  const app = await renderDoctorApp(scriptedRunner([long]), { columns: 60, rows: 20 });
  expect(app.frame().replace(/\n\s+/g, ' ')).toContain('there is no such root user. [E_CONN_REFUSED]');
  expect(app.frame().match(/Credentials accepted/g)).toHaveLength(1);
});
