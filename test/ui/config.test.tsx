import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { diff, event, phase } from './fixtures.js';
import { renderWizardApp } from './harness.js';
import { KEY } from './render.js';

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

const longDiff = [
  '--- /home/someone/pattern/pattern.toml',
  '+++ /home/someone/pattern/pattern.toml (new)',
  '@@ -1,30 +1,32 @@',
  ' [database]',
  ...Array.from({ length: 24 }, (_, i) => ` # note ${i + 1}: a comment kept as it was`),
  '-type = "embedded"',
  `+url = "ws://127.0.0.1:8000"   # ${'a long trailing comment that is wider than the screen '.repeat(2)}END`,
  '+type = "remote"',
].join('\n');

it('a diff longer than the screen scrolls; y waits until every line has been on screen', async () => {
  const app = await renderWizardApp({
    inputs: [phase('config'), { type: 'prompt', prompt: { kind: 'confirm', id: 'step--yes', question: 'Write these changes to pattern.toml?', detail: longDiff } }],
  });
  await app.waitForText('Write these changes to pattern.toml? y/N');
  expect(app.frame()).toMatch(/lines 1-\d+ of 32 · ↓ to read the remaining \d+ lines before answering/);
  expect(app.frame()).not.toContain('+type = "remote"');
  expect(app.frame().trimEnd().split('\n').at(-1)).toMatch(/^↑\/↓ scroll · .*y\/n yes\/no/);
  await app.press('y');
  await app.waitForText(/y waits until all is read: ↓ for the other \d+/);
  expect(app.actions.answer).not.toHaveBeenCalled();

  const seen = new Set<string>();
  for (let i = 0; i < 20 && !/lines \d+-32 of 32 · ↑\/↓ scroll/.test(app.frame()); i++) {
    app.frame().split('\n').forEach((l) => seen.add(l));
    await app.press(KEY.down);
  }
  app.frame().split('\n').forEach((l) => seen.add(l));
  expect(app.frame()).toMatch(/lines \d+-32 of 32 · ↑\/↓ scroll/);
  // The long line wrapped: all of it was on screen, its end too.
  expect([...seen].some((l) => l.includes('END'))).toBe(true);
  expect([...seen].some((l) => l.startsWith('+type = "remote"'))).toBe(true);
  await app.press('y');
  expect(app.actions.answer).toHaveBeenCalledWith('step--yes', true);
});

it('n declines without reading the whole diff', async () => {
  const app = await renderWizardApp({
    inputs: [phase('config'), { type: 'prompt', prompt: { kind: 'confirm', id: 'step--yes', question: 'Write these changes to pattern.toml?', detail: longDiff } }],
  });
  await app.waitForText('Write these changes to pattern.toml? y/N');
  await app.press('n');
  expect(app.actions.answer).toHaveBeenCalledWith('step--yes', false);
});

it('keys faster than frames: ↓ to the end and y in one write approve; y alone in one write with too few ↓ does not', async () => {
  const app = await renderWizardApp({
    inputs: [phase('config'), { type: 'prompt', prompt: { kind: 'confirm', id: 'step--yes', question: 'Write these changes to pattern.toml?', detail: longDiff } }],
  });
  await app.waitForText('Write these changes to pattern.toml? y/N');
  await app.press(`${KEY.down.repeat(3)}y`);
  await app.waitForText(/y waits until all is read/);
  expect(app.actions.answer).not.toHaveBeenCalled();
  await app.press(`${KEY.down.repeat(30)}y`);
  await app.waitFor(() => expect(app.actions.answer).toHaveBeenCalledWith('step--yes', true));
});
