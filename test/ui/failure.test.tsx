import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { phase, status } from './fixtures.js';
import { renderWizardApp } from './harness.js';
import { KEY } from './render.js';

afterEach(cleanup);

const failed = [
  phase('import'),
  status('import', 'failed'),
  {
    type: 'failed' as const,
    error: {
      code: 'E_AUTH',
      step: 'import',
      message: 'The server refused the credentials for user pattern.',
      fix: 'Check SURREAL_USER and SURREAL_PASS, or start over with new ones.',
      evidence: 'POST http://127.0.0.1:8000/import\nHTTP 401 Unauthorized\n{"code":401,"details":"Authentication failed"}',
    },
    canRetry: true,
  },
];

it('shows the code, the message and the fix; d expands the evidence', async () => {
  const app = await renderWizardApp({ inputs: failed });
  await app.waitForText('E_AUTH (step import)');
  expect(app.frame()).toContain('The server refused the credentials for user pattern.');
  expect(app.frame()).toContain('Fix: Check SURREAL_USER and SURREAL_PASS');
  expect(app.frame()).toContain('Evidence: 3 lines (d shows them)');
  expect(app.frame()).not.toContain('HTTP 401 Unauthorized');
  expect(app.frame().trimEnd().split('\n').at(-1)).toBe('r retry · d details · l output · ? help · q/ctrl-c quit');
  await app.press('d');
  await app.waitForText('HTTP 401 Unauthorized');
  expect(app.frame()).toContain('POST http://127.0.0.1:8000/import');
  await app.press('d');
  await app.waitFor(() => expect(app.frame()).not.toContain('HTTP 401 Unauthorized'));
});

it('r asks the controller to retry, once', async () => {
  const app = await renderWizardApp({ inputs: failed });
  await app.waitForText('E_AUTH');
  await app.press('r');
  await app.press('r');
  expect(app.actions.retry).toHaveBeenCalledTimes(1);
  await app.feed(phase('import'), status('import', 'running'));
  await app.waitFor(() => expect(app.frame()).not.toContain('E_AUTH'));
});

it('q quits after a failure, and so does ctrl-c', async () => {
  const app = await renderWizardApp({ inputs: failed });
  await app.waitForText('E_AUTH');
  await app.press('q');
  expect(app.actions.quit).toHaveBeenCalledTimes(1);
  expect(app.actions.cancel).not.toHaveBeenCalled();
  cleanup();
  const other = await renderWizardApp({ inputs: failed });
  await other.waitForText('E_AUTH');
  await other.press(KEY.ctrlC);
  expect(other.actions.quit).toHaveBeenCalledTimes(1);
});

it("shows the doctor's diagnosis under the failure as it comes in: problems with their fixes", async () => {
  const check = (id: string, title: string, status: 'ok' | 'fail' | 'warn', code: string, message: string, fix?: string) => ({
    id,
    group: 'server' as const,
    title,
    status,
    code,
    message,
    ms: 1,
    ...(fix ? { fix } : {}),
  });
  const app = await renderWizardApp({
    inputs: [...failed, { type: 'diagnosis' as const, results: [check('config.found', 'Config file', 'ok', 'D_CONFIG_FOUND', 'found')], running: true }],
  });
  await app.waitForText('Diagnosis (pattern-db doctor): checking…');
  await app.feed({
    type: 'diagnosis',
    running: false,
    results: [
      check('config.found', 'Config file', 'ok', 'D_CONFIG_FOUND', 'found'),
      check('server.auth', 'Credentials accepted', 'fail', 'E_AUTH', 'The server refused pattern.', 'Check SURREAL_PASS.'),
      check('store.disk', 'Disk room for an export', 'warn', 'W_DISK_LOW', 'About 9 MB is needed.', 'Free some disk space.'),
    ],
  });
  await app.waitForText('Diagnosis (pattern-db doctor): 2 found, 1 check passed');
  expect(app.frame()).toContain('✘ Credentials accepted: The server refused pattern. [E_AUTH] (the failure above)');
  expect(app.frame()).toContain('! Disk room for an export: About 9 MB is needed. [W_DISK_LOW]');
  expect(app.frame()).toContain('→ Free some disk space.');
});
