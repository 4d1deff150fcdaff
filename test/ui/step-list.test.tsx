import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { WizardInput } from '../../src/ui/contract.js';
import { fitStepRow } from '../../src/ui/step-list.js';
import { phase, status, summary } from './fixtures.js';
import { renderWizardApp } from './harness.js';

afterEach(cleanup);

const plan: WizardInput = { type: 'plan', steps: ['preflight', 'export', 'server', 'import', 'verify', 'config'] };
const stepRow = (frame: string) => frame.split('\n')[1]!;

describe('the step row', () => {
  it('shows every step of the plan, waiting, from the first screen', async () => {
    const app = await renderWizardApp({ inputs: [plan] });
    await app.waitForText('checks');
    expect(stepRow(app.frame())).toBe('· checks  · export  · server  · import  · verify  · config');
  });

  it('marks each state apart: done, skipped, running, failed, waiting', async () => {
    const app = await renderWizardApp({
      inputs: [plan, phase('import'), status('preflight', 'done'), status('export', 'skipped'), status('server', 'done'), status('import', 'failed'), status('verify', 'running')],
    });
    await app.waitForText('✘ import');
    expect(stepRow(app.frame())).toMatch(/^✔ checks {2}– export {2}✔ server {2}✘ import {2}\S verify {2}· config$/);
  });

  it('drops the server step when the plan no longer starts one', async () => {
    const app = await renderWizardApp({ inputs: [plan, status('preflight', 'done')] });
    await app.waitForText('✔ checks');
    await app.feed({ type: 'plan', steps: ['preflight', 'export', 'import', 'verify', 'config'] });
    await app.waitFor(() => expect(stepRow(app.frame())).toBe('✔ checks  · export  · import  · verify  · config'));
  });

  it('shows a declined config change as declined, on the step row and in the last screen\'s title', async () => {
    const app = await renderWizardApp({
      inputs: [
        plan,
        ...['preflight', 'export', 'server', 'import', 'verify'].map((s) => status(s, 'done')),
        { type: 'result', step: 'config', result: { configPath: '/p/pattern.toml', diff: '-a\n+b', written: false, declined: true, url: 'ws://x' } },
        status('config', 'done'),
        phase('done'),
        { type: 'done', summary, exitCode: 1 },
      ],
    });
    await app.waitForText('declined');
    const lines = app.frame().split('\n');
    expect(lines[0]).toBe('pattern-db · Done · config change declined: Pattern still uses the store');
    expect(lines[1]).toMatch(/✔ verify {2}⊘ config declined$/);
    expect(lines[1]).not.toContain('✔ config');
  });

  it('keeps a step done in this session done when a retry skips it', async () => {
    const app = await renderWizardApp({ inputs: [plan, status('export', 'done'), status('export', 'skipped')] });
    await app.waitForText('export');
    expect(stepRow(app.frame())).toContain('✔ export');
  });

  it('lists the marks in the help panel', async () => {
    const app = await renderWizardApp({ inputs: [plan, phase('import')] });
    await app.waitForText('? help');
    await app.press('?');
    await app.waitForText('steps');
    expect(app.frame()).toMatch(/steps +· waiting {2}⠋ running {2}✔ done {2}– skipped {2}⊘ declined {2}✘ failed/);
  });
});

describe('fitting the step row to the width', () => {
  const steps = (states: string[]) => ['preflight', 'export', 'server', 'import', 'verify', 'config'].map((name, i) => ({ name, state: states[i] as never }));
  const labels = (items: ReturnType<typeof fitStepRow>) => items.map((i) => i.label);

  it('keeps every name at 80 columns', () => {
    expect(labels(fitStepRow(steps(['done', 'done', 'done', 'running', 'waiting', 'waiting']), 80))).toEqual(['checks', 'export', 'server', 'import', 'verify', 'config']);
  });

  it('shrinks the done steps to their marks first, and never the running one', () => {
    expect(labels(fitStepRow(steps(['done', 'done', 'done', 'running', 'waiting', 'waiting']), 40))).toEqual(['', '', '', 'import', 'verify', 'config']);
    expect(labels(fitStepRow(steps(['done', 'done', 'done', 'running', 'waiting', 'waiting']), 20))).toEqual(['', '', '', 'import', '', '']);
  });
});
