import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { VerifyReport } from '../../src/core/verify-report.js';
import type { WizardInput } from '../../src/ui/contract.js';
import { phase, status, summary, verifyReport } from './fixtures.js';
import { renderWizardApp } from './harness.js';

afterEach(cleanup);

const verified = (report: VerifyReport): WizardInput => ({ type: 'result', step: 'verify', result: report });
const PGDN = '\u001B[6~';

it('shows source, target and compared records per table, the definitions compared, and an overall ✔', async () => {
  const app = await renderWizardApp({ inputs: [phase('verify'), verified(verifyReport(3))] });
  await app.waitForText('All 3,000 records in 3 tables match (by hash).');
  expect(app.frame()).toMatch(/table\s+source\s+target\s+compared\s+result/);
  expect(app.frame()).toMatch(/definitions\s+36\s+✔ identical/);
  expect(app.frame()).toMatch(/message\s+1,000\s+1,000\s+1,000\s+✔ identical/);
});

it('puts differing tables first and names each kind of difference with an example id', async () => {
  const report = verifyReport(3, true);
  report.tables.reverse();
  const app = await renderWizardApp({ inputs: [phase('verify'), verified(report)] });
  await app.waitForText('1 of 3 tables differ.');
  const lines = app.frame().split('\n');
  const at = lines.findIndex((line) => /^message/.test(line));
  expect(lines[at]).toMatch(/^message\s+1,000\s+999\s+1,001\s+✘ 2 missing, 1 extra$/);
  expect(lines[at + 1]).toBe('  missing message:a and 1 more');
  expect(lines[at + 2]).toBe('  extra message:z');
  expect(lines[at + 3]).toMatch(/^table_\d /);
});

it('at 80x24, folds 27 identical tables into one line, and scrolls to them', async () => {
  const app = await renderWizardApp({ inputs: [phase('done'), verified(verifyReport(29)), { type: 'done', summary, exitCode: 0 }] });
  await app.waitForText('v verification');
  await app.press('v');
  await app.waitForText('All 29,000 records in 29 tables match');
  const frame = app.frame();
  expect(frame).toMatch(/^\d+ more tables identical$/m);
  expect(frame).toMatch(/↑\/↓\/pgup\/pgdn scroll/);
  expect(frame).not.toContain('table_28');
  await app.press(PGDN);
  await app.press(PGDN);
  await app.waitForText('table_28');
  expect(app.frame()).toMatch(/↑ \d+ above · end of the table/);
  await app.press('v');
  await app.waitForText('Pattern now uses the SurrealDB server.');
});

it('never folds a table that differs into the identical ones', async () => {
  const report = verifyReport(29);
  const bad = (name: string) => ({ table: name, source: 10, target: 9, missing: 1, extra: 0, changed: 0, compared: 10, examples: [`${name}:1`], exampleOf: { missing: `${name}:1` } });
  report.tables = [...Array.from({ length: 20 }, (_, i) => bad(`broken_${i}`)), ...report.tables.slice(20)];
  report.ok = false;
  const app = await renderWizardApp({ inputs: [phase('verify'), verified(report)] });
  await app.waitForText('20 of 29 tables differ.');
  expect(app.frame()).toMatch(/^↓ \d+ more rows, \d+ of them differ$/m);
  expect(app.frame()).not.toMatch(/more tables identical/);
});

it('opens the table with v on a failure, and hides the question behind it until closed', async () => {
  const inputs: WizardInput[] = [
    phase('config'),
    status('verify', 'done'),
    verified(verifyReport(3)),
    { type: 'prompt', prompt: { kind: 'confirm', id: 'config.write', question: 'Write these changes?' } },
  ];
  const app = await renderWizardApp({ inputs });
  await app.waitForText('Write these changes?');
  await app.press('v');
  await app.waitForText('All 3,000 records in 3 tables match');
  expect(app.frame()).not.toContain('Write these changes?');
  await app.press('y');
  expect(app.actions.answer).not.toHaveBeenCalled();
  await app.press('v');
  await app.waitForText('Write these changes?');
});

it('shows how many records are compared while verifying', async () => {
  const app = await renderWizardApp({
    inputs: [phase('verify'), { type: 'event', event: { type: 'progress', step: 'verify', done: 500, total: 2_000, unit: 'records', label: 'memory' } }],
  });
  await app.waitForText('500 records of 2,000 records');
  expect(app.frame()).toContain('table memory');
});

it('closes the table when the run moves on to another phase, so no question waits unseen', async () => {
  const app = await renderWizardApp({ inputs: [phase('failed'), verified(verifyReport(3)), { type: 'failed', error: { code: 'E_VERIFY_MISMATCH', message: 'differs' }, canRetry: true }] });
  await app.waitForText('v verification');
  await app.press('v');
  await app.waitForText('All 3,000 records in 3 tables match');
  await app.feed(phase('config'), { type: 'prompt', prompt: { kind: 'confirm', id: 'config.write', question: 'Write these changes?' } });
  await app.waitForText('Write these changes?');
});
