import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ProgressUnit } from '../../src/core/events.js';
import { event, phase, status } from './fixtures.js';
import { renderWizardApp } from './harness.js';

afterEach(cleanup);

async function withClock(step: 'export' | 'import') {
  let now = 0;
  const app = await renderWizardApp({ clock: () => now, inputs: [phase(step), status(step, 'running')] });
  const progress = async (at: number, done: number, unit: ProgressUnit, total?: number, label?: string) => {
    now = at;
    await app.feed(event({ type: 'progress', step, done, unit, ...(total !== undefined ? { total } : {}), ...(label ? { label } : {}) }));
  };
  return { app, progress };
}

it('import shows the bar, percentage, records of total, table, rate and time left', async () => {
  const { app, progress } = await withClock('import');
  await app.waitForText('Connecting to the server…');
  await progress(0, 0, 'records', 10_000, 'agent');
  await progress(2_000, 2_000, 'records', 10_000, 'memory');
  await progress(4_000, 4_000, 'records', 10_000, 'message');
  await app.waitForText('40%');
  const frame = app.frame();
  expect(frame).toMatch(/█+░+  40%/);
  expect(frame).toContain('4,000 records of 10,000 records');
  expect(frame).toContain('table message');
  expect(frame).toContain('1,000 records/s · 6s left');
});

it('export without a known total shows megabytes so far and the rate', async () => {
  const { app, progress } = await withClock('export');
  await progress(0, 0, 'bytes', undefined, 'message');
  await progress(2_000, 5_000_000, 'bytes');
  await app.waitForText('5.0 MB so far');
  expect(app.frame()).toContain('2.5 MB/s');
  expect(app.frame()).toContain('table message');
  expect(app.frame()).not.toContain('left');
});

it('a finished export says what it wrote', async () => {
  const { app, progress } = await withClock('export');
  await progress(1_000, 12_345_678, 'bytes', 12_345_678);
  await app.waitForText('100%');
  await app.feed(
    { type: 'result', step: 'export', result: { file: '/p/pattern-export.surql', sha256: 'x', bytes: 12_345_678, records: 12_345, recordsByTable: {}, driver: 'cli', ms: 900 } },
    status('export', 'done'),
  );
  await app.waitForText('Exported 12,345 records (12.3 MB) to /p/pattern-export.surql');
});
