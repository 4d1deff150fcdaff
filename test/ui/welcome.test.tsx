import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { facts, phase } from './fixtures.js';
import { renderWizardApp } from './harness.js';

afterEach(cleanup);

it('shows what was found and what will and will not change, then asks to start', async () => {
  const app = await renderWizardApp({
    inputs: [phase('welcome'), { type: 'facts', facts: facts(12) }, { type: 'prompt', prompt: { kind: 'confirm', id: 'start', question: 'Start the migration?', defaultYes: true } }],
  });
  await app.waitForText('Start the migration?');
  const frame = app.frame();
  expect(frame).toContain('/home/someone/pattern/pattern.toml');
  expect(frame).toContain('/home/someone/pattern/pattern.db (surrealkv, 12.3 MB)');
  expect(frame).toMatch(/Records\s+78,066 in 12 tables/);
  expect(frame).toContain('message 12,000 · memory 11,001');
  expect(frame).toMatch(/\+\d+ more/);
  expect(frame).toContain('3.0.5 at /home/someone/pattern/bin/surreal (PATH)');
  expect(frame).toContain('@surrealdb/node 3.0.3 (SurrealDB 3.0.2)');
  expect(frame).toContain('Will change');
  expect(frame).toContain('• [database] in pattern.toml (after a backup)');
  expect(frame).toContain('Will not be touched');
  expect(frame).toContain('• The embedded store (read from a copy)');
  await app.press('y');
  expect(app.actions.answer).toHaveBeenCalledWith('start', true);
});

it('a route decided before the welcome screen (by the store or by flags) shows its warning there', async () => {
  const warning = 'Pattern releases of the SurrealDB era embed the Rust SDK 2.3, which refuses 3.x servers; the data goes to a SurrealDB 3 server.';
  const app = await renderWizardApp({
    inputs: [phase('welcome'), { type: 'facts', facts: { ...facts(12), routeWarning: { code: 'W_PATTERN_SDK', message: warning } } }, { type: 'prompt', prompt: { kind: 'confirm', id: 'start', question: 'Start the migration?', defaultYes: true } }],
  });
  await app.waitForText('Start the migration?');
  expect(app.frame().replace(/\s+/g, ' ')).toContain(`! ${warning}`);
  expect(app.frame()).toContain('Will change');
  expect(app.frame().split('\n').length).toBeLessThanOrEqual(24);
});

it('long facts wrap instead of being cut, and what does not fit scrolls into view', async () => {
  const long = { ...facts(12, true), willChange: ['[database] in pattern.toml, pointed at the server after showing the diff and asking, with a backup of the file kept next to it'] };
  const app = await renderWizardApp({
    inputs: [phase('welcome'), { type: 'facts', facts: long }, { type: 'prompt', prompt: { kind: 'confirm', id: 'start', question: 'Start the migration?', defaultYes: true } }],
  });
  await app.waitForText('Start the migration?');
  const seen = [app.frame()];
  expect(seen[0]).toMatch(/lines 1-\d+ of \d+/);
  for (let i = 0; i < 10 && !/lines \d+-(\d+) of \1 /.test(seen.at(-1)!); i++) {
    await app.press('\u001B[B'); // ↓
    seen.push(app.frame());
  }
  const text = seen.join('\n');
  expect(text).not.toContain('…');
  expect(text.replace(/\s+/g, ' ')).toContain('with a backup of the file kept next to it');
  expect(text.replace(/\s+/g, '')).toContain(`${long.storePath}(surrealkv,12.3MB)`.replace(/\s+/g, ''));
});
