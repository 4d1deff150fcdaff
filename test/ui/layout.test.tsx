import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { WizardInput } from '../../src/ui/contract.js';
import { diff, event, facts, phase, status, summary, verifyReport } from './fixtures.js';
import { renderWizardApp } from './harness.js';

afterEach(cleanup);

const LONG = '/home/someone/projects/a-rather-long-folder-name/that-keeps-going/and-going/further-still';
const steps = ['preflight', 'export', 'server', 'import', 'verify', 'config'];
const logs = (step: string, n: number) =>
  Array.from({ length: n }, (_, i) => event({ type: 'log', step, stream: 'stdout', line: `${step} line ${i} ${LONG}/${'x'.repeat(40)}` }));
const warnings = Array.from({ length: 5 }, (_, i) =>
  event({ type: 'diagnostic', step: 'export', level: 'warn', code: `W_TEST_${i}`, message: `Warning ${i} about ${LONG}`, fix: `Do something about ${LONG}` }),
);
const running = (current: string) => steps.map((s) => status(s, s === current ? 'running' : steps.indexOf(s) < steps.indexOf(current) ? 'done' : 'skipped'));

const screens: Record<string, WizardInput[]> = {
  welcome: [
    phase('welcome'),
    { type: 'facts', facts: facts(40, true) },
    { type: 'prompt', prompt: { kind: 'confirm', id: 'start', question: `Start? The export goes to ${LONG}/export.surql`, detail: `${LONG}\n${LONG}\n${LONG}\n${LONG}` } },
  ],
  prerequisites: [
    phase('prerequisites'),
    status('preflight', 'running'),
    ...Array.from({ length: 30 }, (_, i) =>
      event({ type: 'diagnostic', step: 'preflight', level: i % 7 === 3 ? 'warn' : 'info', code: `I_${i}`, message: `Check ${i} ${LONG}`, evidence: LONG, fix: `${LONG}\n${LONG}\n${LONG}` }),
    ),
  ],
  import: [
    phase('import'),
    ...running('import'),
    ...warnings,
    ...logs('import', 60),
    event({ type: 'progress', step: 'import', done: 123_456, total: 1_000_000, unit: 'records', label: `a_table_with_a_really_long_name_${'y'.repeat(80)}` }),
  ],
  server: [phase('server'), ...running('server'), ...logs('server', 80)],
  verify: [phase('verify'), ...running('verify'), { type: 'result', step: 'verify', result: verifyReport(40, true) }],
  config: [phase('config'), ...running('config'), { type: 'prompt', prompt: { kind: 'confirm', id: 'config.write', question: 'Write?', detail: `${diff}\n${diff}\n${diff}` } }],
  failed: [
    phase('import'),
    ...running('import'),
    ...warnings,
    {
      type: 'failed',
      error: { code: 'E_IMPORT', step: 'import', message: `The import failed at chunk 7 of ${LONG}/export.surql: ${'a statement failed. '.repeat(6)}`, fix: `${LONG}\n${LONG}\n${LONG}\n${LONG}\n${LONG}`, evidence: Array.from({ length: 40 }, () => LONG).join('\n') },
      canRetry: true,
    },
  ],
  done: [...running('config'), { type: 'done', summary: { ...summary, nextCommands: Array.from({ length: 20 }, (_, i) => `pattern-cli ${i} ${LONG}`) }, exitCode: 0 }],
};

/** Keys pressed after the inputs: the import screen with its output open, the failure with its evidence. */
const keys: Record<string, [string, string]> = { import: ['l', 'output of'], failed: ['d', 'Evidence:'] };

async function show(name: string, columns: number, rows: number) {
  const app = await renderWizardApp({ columns, rows, inputs: screens[name]! });
  await app.waitFor(() => expect(app.frame()).not.toContain('Looking at your Pattern installation'));
  const key = keys[name];
  if (key) {
    await app.press(key[0]);
    await app.waitForText(key[1]);
  }
  return app;
}

describe('an 80x24 terminal', () => {
  for (const name of Object.keys(screens)) {
    it(`${name}: every line fits 80 columns and the frame fits 24 rows`, async () => {
      const app = await show(name, 80, 24);
      const lines = app.frame().split('\n');
      expect(lines.length).toBeLessThanOrEqual(24);
      for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
      // The legend is always the last line.
      expect(lines.at(-1)).toMatch(/ctrl-c/);
    });
  }
});

describe('a taller terminal', () => {
  it('shows more log lines and more tables', async () => {
    const count = (frame: string, pattern: RegExp) => frame.split('\n').filter((l) => pattern.test(l)).length;
    const small = await show('import', 80, 24);
    const smallLogs = count(small.frame(), /import line/);
    const smallVerify = await show('verify', 80, 24);
    const smallTables = count(smallVerify.frame(), /^table_\d+/);
    const big = await show('import', 120, 50);
    const bigVerify = await show('verify', 120, 50);
    expect(count(big.frame(), /import line/)).toBeGreaterThan(smallLogs);
    expect(count(bigVerify.frame(), /^table_\d+/)).toBeGreaterThan(smallTables);
    expect(smallVerify.frame()).toMatch(/^\d+ more tables identical$/m);
  });
});
