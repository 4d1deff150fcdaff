import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { summary } from './fixtures.js';
import { renderWizardApp } from './harness.js';
import { KEY } from './render.js';

afterEach(cleanup);

it('shows what changed, where things are, the next commands and production advice; q quits', async () => {
  const app = await renderWizardApp({ inputs: [{ type: 'done', summary, exitCode: 0 }] });
  await app.waitForText('Pattern now uses the SurrealDB server.');
  const frame = app.frame();
  expect(frame).toMatch(/Server\s+http:\/\/127\.0\.0\.1:8000 \(SurrealDB 3\.0\.5\)/);
  expect(frame).toMatch(/Backup\s+\/home\/someone\/pattern\/pattern\.toml\.bak/);
  expect(frame).toMatch(/Stop\s+pattern-db server stop/);
  expect(frame).toContain('$ pattern-cli agent list');
  expect(frame).toContain('For production');
  expect(frame).toContain('• Run the server under systemd');
  expect(frame.trimEnd().split('\n').at(-1)).toBe('l output · ? help · q/ctrl-c quit');
  await app.press('q');
  expect(app.actions.quit).toHaveBeenCalledTimes(1);
});

it('a non-zero exit code reads as finished with problems', async () => {
  const app = await renderWizardApp({ inputs: [{ type: 'done', summary, exitCode: 3 }] });
  await app.waitForText('Finished with problems (exit code 3).');
});

it('a last screen longer than the window scrolls to its last command and its last advice', async () => {
  const long = {
    ...summary,
    nextCommands: Array.from({ length: 14 }, (_, i) => `pattern-db command-${i + 1} --state-dir .pattern-db`),
    production: [...summary.production, `The last advice, long enough to wrap: ${'keep the export made today; '.repeat(3)}THE END`],
  };
  const app = await renderWizardApp({ inputs: [{ type: 'done', summary: long, exitCode: 0 }] });
  await app.waitForText('Pattern now uses the SurrealDB server.');
  expect(app.frame()).toMatch(/lines 1-\d+ of 23 · ↑\/↓ scroll/);
  expect(app.frame()).not.toContain('command-14');
  expect(app.frame().trimEnd().split('\n').at(-1)).toMatch(/^↑\/↓ scroll · pgup\/pgdn page/);
  await app.press('\u001B[F'); // End
  await app.waitForText(/lines \d+-23 of 23/);
  expect(app.frame()).toContain('$ pattern-db command-14');
  expect(app.frame()).toContain('THE END');
  await app.press('\u001B[H'); // Home
  await app.waitForText(/lines 1-\d+ of 23/);
  expect(app.frame()).toMatch(/Server\s+http:\/\/127\.0\.0\.1:8000/);
});

it('while "What next?" is open the arrows move in it, and pgdn/end scroll the last screen', async () => {
  const long = { ...summary, nextCommands: Array.from({ length: 14 }, (_, i) => `pattern-db command-${i + 1}`) };
  const app = await renderWizardApp({
    inputs: [
      { type: 'done', summary: long, exitCode: 0 },
      { type: 'prompt', prompt: { kind: 'select', id: 'next', question: 'What next?', choices: [{ label: 'Make the first backup now', value: 'backup' }, { label: 'Finish', value: 'finish' }] } },
    ],
  });
  await app.waitForText('What next?');
  expect(app.frame()).toMatch(/lines 1-\d+ of 21 · pgup\/pgdn scroll/);
  expect(app.frame().trimEnd().split('\n').at(-1)).toMatch(/pgup\/pgdn scroll/);
  await app.press(KEY.down);
  await app.waitForText(/❯ Finish/);
  expect(app.frame()).toMatch(/lines 1-\d+ of 21/);
  await app.press('\u001B[6~'); // PgDn
  await app.waitFor(() => expect(app.frame()).not.toMatch(/lines 1-\d+ of 21/));
  await app.press('\u001B[F'); // End
  await app.waitForText(/lines \d+-21 of 21/);
  expect(app.frame()).toContain('$ pattern-db command-14');
  expect(app.frame()).toContain('• Run the server under systemd');
  await app.press(KEY.enter);
  await app.waitFor(() => expect(app.actions.answer).toHaveBeenCalledWith('next', 'finish'));
});
