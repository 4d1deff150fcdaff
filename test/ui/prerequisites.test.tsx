import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { event, phase, status } from './fixtures.js';
import { renderWizardApp } from './harness.js';
import { waitFor } from './render.js';

afterEach(cleanup);

it('lists each check with its mark and dimmed evidence, and the fix under a problem', async () => {
  const app = await renderWizardApp({
    inputs: [
      phase('prerequisites'),
      status('preflight', 'running'),
      event({ type: 'diagnostic', step: 'preflight', level: 'info', code: 'I_CONFIG', message: 'Config: /p/pattern.toml', evidence: 'type = "surrealkv"' }),
      event({ type: 'diagnostic', step: 'preflight', level: 'warn', code: 'W_DRIVER_SDK', message: 'surreal 2.1.4 is not 3.x', fix: 'Install surreal 3: scripts/ensure-surreal' }),
      event({ type: 'diagnostic', step: 'preflight', level: 'error', code: 'E_PORT_IN_USE', message: 'Port 8000 is taken', evidence: 'pid 4242 (node)', fix: 'Pass --bind 127.0.0.1:8001' }),
    ],
  });
  await app.waitForText('Port 8000 is taken');
  const frame = app.frame();
  expect(frame).toContain('✔ Config: /p/pattern.toml  type = "surrealkv"');
  expect(frame).toContain('! surreal 2.1.4 is not 3.x');
  expect(frame).toContain('→ Install surreal 3: scripts/ensure-surreal');
  expect(frame).toContain('✘ Port 8000 is taken  pid 4242 (node)');
  expect(frame).toContain('→ Pass --bind 127.0.0.1:8001');
  expect(frame).toContain('Checking…');
  // The checklist already shows preflight's problems: the diagnostics area does not repeat them.
  expect(frame.split('Pass --bind').length).toBe(2);
  await app.feed(status('preflight', 'done'));
  await waitFor(() => expect(app.frame()).not.toContain('Checking…'));
});
