import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ProgressPhase, ProgressUnit, ProgressWork } from '../../src/core/events.js';
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

it('import shows the records phase, then each index with its table, and counts the indexes in bar and time left', async () => {
  let now = 0;
  const app = await renderWizardApp({ clock: () => now, inputs: [phase('import'), status('import', 'running')] });
  const progress = async (at: number, done: number, phaseOf: ProgressPhase, work: ProgressWork) => {
    now = at;
    await app.feed(event({ type: 'progress', step: 'import', done, total: 1_000, unit: 'records', label: 'msg', phase: phaseOf, work }));
  };
  const index = (k: number, name: string): ProgressPhase => ({ kind: 'index', name, table: 'msg', k, n: 2, tableRecords: 1_000 });
  await progress(0, 0, { kind: 'records', indexes: 2 }, { done: 0, total: 5_000, partEnd: 1_000 });
  await progress(1_000, 1_000, { kind: 'records', indexes: 2 }, { done: 1_000, total: 5_000, partEnd: 1_000 });
  await app.waitForText('records · table msg · then 2 indexes');
  expect(app.frame()).toContain('1,000 records/s · 4s left');
  await progress(1_000, 1_000, index(1, 'msg_content_search'), { done: 1_000, total: 5_000, partEnd: 4_000 });
  await app.waitForText('index 1 of 2: msg_content_search on msg (1,000 records)');
  let frame = app.frame();
  expect(frame).toContain('1,000 records of 1,000 records');
  expect(frame).toMatch(/█+░+  20%/);
  expect(frame).toContain('4s left');
  expect(frame).not.toContain('records/s');
  // The server says nothing while the index builds: the time left counts down (the panel ticks each second)…
  now = 3_000;
  await app.waitForText('2s left');
  // …and when the index runs past its estimate, it does not reach 0 while the second index waits.
  now = 60_000;
  await app.waitForText('longer than estimated');
  frame = app.frame();
  expect(frame).toMatch(/at least \d+s left/);
  expect(frame).not.toContain(' 0s left');
  expect(frame).not.toContain('100%');
});
