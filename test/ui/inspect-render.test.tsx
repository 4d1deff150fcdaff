import chalk from 'chalk';
import { afterEach, expect, it, vi } from 'vitest';
import { renderInspect } from '../../src/ui/inspect/render-inspect.js';
import { terminal } from './fake-terminal.js';
import { fakeSource } from './inspect-fake.js';
import { KEY, tick, waitFor } from './render.js';

// The inspector only runs where CI is unset; ink decides at import time, so unset it before ink loads.
vi.hoisted(() => {
  delete process.env.CI;
});

const COLOUR = /\u001B\[(?:3\d|4\d|9[0-7]|10[0-7])(?:;\d+)*m/;
const levelBefore = chalk.level;

afterEach(() => {
  chalk.level = levelBefore;
  vi.unstubAllEnvs();
});

it('resolves when q is pressed, and the keys reach the app', async () => {
  const term = terminal();
  const { source } = fakeSource();
  let done = false;
  const finished = renderInspect(source, undefined, term.options).then(() => {
    done = true;
  });
  await waitFor(() => expect(term.stdout.written).toContain('100,000'));
  await tick();
  term.stdin.write(KEY.down);
  term.stdin.write(KEY.enter);
  await waitFor(() => expect(term.stdout.written).toContain('agent:r000000'));
  expect(done).toBe(false);
  term.stdin.write('q');
  await finished;
  expect(done).toBe(true);
});

it('ctrl-c quits through the app even while typing in the console', async () => {
  const term = terminal();
  const { source } = fakeSource();
  const finished = renderInspect(source, undefined, term.options);
  await waitFor(() => expect(term.stdout.written).toContain('100,000'));
  await tick();
  term.stdin.write('c');
  await waitFor(() => expect(term.stdout.written).toContain('SurrealQL in'));
  term.stdin.write('q');
  await tick();
  term.stdin.write(KEY.ctrlC);
  await finished;
});

it('colours values by type on a colour terminal, and writes none with NO_COLOR set', async () => {
  chalk.level = 3;
  const coloured = terminal();
  const first = renderInspect(fakeSource().source, undefined, coloured.options);
  await waitFor(() => expect(coloured.stdout.written).toContain('100,000'));
  expect(coloured.stdout.written).toMatch(COLOUR);
  coloured.stdin.write('q');
  await first;

  vi.stubEnv('NO_COLOR', '1');
  const plain = terminal();
  const second = renderInspect(fakeSource().source, undefined, plain.options);
  await waitFor(() => expect(plain.stdout.written).toContain('100,000'));
  await tick();
  plain.stdin.write(KEY.down);
  plain.stdin.write(KEY.enter);
  await waitFor(() => expect(plain.stdout.written).toContain('agent:r000000'));
  expect(plain.stdout.written).not.toMatch(COLOUR);
  plain.stdin.write('q');
  await second;
});
