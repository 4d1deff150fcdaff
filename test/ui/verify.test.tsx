import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { phase, verifyReport } from './fixtures.js';
import { renderWizardApp } from './harness.js';

afterEach(cleanup);

it('shows source and target counts per table and an overall ✔', async () => {
  const app = await renderWizardApp({ inputs: [phase('verify'), { type: 'result', step: 'verify', result: verifyReport(3) }] });
  await app.waitForText('All 3,000 records in 3 tables match (by hash).');
  expect(app.frame()).toMatch(/table\s+source\s+target\s+content/);
  expect(app.frame()).toMatch(/message\s+1,000\s+1,000\s+✔/);
});

it('puts differing tables first and names what differs', async () => {
  const report = verifyReport(3, true);
  report.tables.reverse();
  const app = await renderWizardApp({ inputs: [phase('verify'), { type: 'result', step: 'verify', result: report }] });
  await app.waitForText('1 of 3 tables differ.');
  const rows = app.frame().split('\n').filter((line) => /^(message|table_)/.test(line));
  expect(rows[0]).toMatch(/^message\s+1,000\s+999\s+2 missing, 1 extra$/);
});

it('shows how many records are compared while verifying', async () => {
  const app = await renderWizardApp({
    inputs: [phase('verify'), { type: 'event', event: { type: 'progress', step: 'verify', done: 500, total: 2_000, unit: 'records', label: 'memory' } }],
  });
  await app.waitForText('500 records of 2,000 records');
  expect(app.frame()).toContain('table memory');
});
