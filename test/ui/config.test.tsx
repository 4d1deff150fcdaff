import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { diff, event, phase } from './fixtures.js';
import { renderWizardApp } from './harness.js';

afterEach(cleanup);

it('shows the diff coloured by sign with the question below, then the backup path', async () => {
  const app = await renderWizardApp({
    inputs: [
      phase('config'),
      ...diff.split('\n').map((line) => event({ type: 'log', step: 'config', stream: 'stdout', line })),
      { type: 'prompt', prompt: { kind: 'confirm', id: 'config.write', question: 'Write these changes to pattern.toml?', detail: diff } },
    ],
  });
  await app.waitForText('Write these changes to pattern.toml? y/N');
  const lines = app.frame().split('\n');
  const removed = lines.findIndex((l) => l.startsWith('-type = "surrealkv"'));
  const added = lines.findIndex((l) => l.startsWith('+url = "ws://127.0.0.1:8000"'));
  const question = lines.findIndex((l) => l.startsWith('Write these changes'));
  expect(removed).toBeGreaterThan(0);
  expect(added).toBeGreaterThan(removed);
  expect(question).toBeGreaterThan(added);
  // The diff is on the panel once, not repeated as the prompt's detail.
  expect(lines.filter((l) => l.startsWith('+url')).length).toBe(1);
  expect(app.raw()).toMatch(/\+url = "ws:\/\/127\.0\.0\.1:8000"/);
  await app.press('y');
  expect(app.actions.answer).toHaveBeenCalledWith('config.write', true);
  await app.feed({
    type: 'result',
    step: 'config',
    result: { configPath: '/p/pattern.toml', backupPath: '/p/pattern.toml.2026-11-27.bak', diff, written: true, url: 'ws://127.0.0.1:8000' },
  });
  await app.waitForText('Written. The original is kept as /p/pattern.toml.2026-11-27.bak');
  expect(app.frame()).toContain('+type = "remote"');
});
