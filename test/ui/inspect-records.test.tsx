import chalk from 'chalk';
import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { PAGE_SIZE } from '../../src/core/inspect-types.js';
import { KEYS, renderInspector } from './inspect-fake.js';
import { KEY } from './render.js';

const levelBefore = chalk.level;
afterEach(() => {
  cleanup();
  chalk.level = levelBefore;
});

const crumb = (frame: string) => frame.split('\n')[1] ?? '';

/** The inspector with the cursor on msg (100,000 records) and its first page open. */
async function openMsg(options: Parameters<typeof renderInspector>[0] = {}) {
  const app = await renderInspector(options);
  await app.waitForText('100,000');
  for (let i = 0; i < 3; i += 1) await app.press(KEY.down);
  await app.waitFor(() => expect(app.frame()).toContain('enter records'));
  await app.press(KEY.enter);
  await app.waitForText('msg:r000000');
  return app;
}

it('reads one page of 50 at a time: pgdn, G for the last page, g for the first, never the whole table', async () => {
  const app = await openMsg();
  expect(crumb(app.frame())).toContain('msg › records 1–50 of 100,000 · page 1/2,000');
  expect(app.frame()).toContain('1 of 100,000');
  await app.press(KEYS.pageDown);
  await app.waitForText('msg:r000050');
  expect(crumb(app.frame())).toContain('records 51–100 of 100,000 · page 2/2,000');
  await app.press('G');
  await app.waitForText('msg:r099999');
  expect(crumb(app.frame())).toContain('records 99,951–100,000 of 100,000 · page 2000/2,000');
  expect(app.frame()).toContain('100,000 of 100,000');
  await app.press(KEYS.pageDown); // nothing after the last page
  await app.press('g');
  await app.waitForText('msg:r000000');
  expect(app.calls.records.map((c) => c.start)).toEqual([0, 50, 99_950]);
  expect(app.calls.records.every((c) => c.table === 'msg' && c.limit === PAGE_SIZE)).toBe(true);
});

it('the cursor crosses page boundaries: up from the first row shows the previous page, down from its last row the next', async () => {
  const app = await openMsg();
  await app.press(KEYS.pageDown);
  await app.waitForText('msg:r000050');
  await app.press(KEY.up);
  await app.waitFor(() => expect(app.frame()).toContain('50 of 100,000'));
  expect(app.frame()).toContain('msg:r000049');
  await app.press(KEY.down);
  await app.waitFor(() => expect(app.frame()).toContain('51 of 100,000'));
  expect(app.frame()).toContain('msg:r000050');
});

it('pages read before are kept only a few at a time and read again when needed', async () => {
  const app = await openMsg();
  for (const page of [1, 2, 3, 4, 5]) {
    await app.press(KEYS.pageDown);
    await app.waitForText(`msg:r${String(page * PAGE_SIZE).padStart(6, '0')}`);
  }
  await app.press('g');
  await app.waitForText('msg:r000000');
  expect(app.calls.records.filter((c) => c.start === 0)).toHaveLength(2);
});

it('enter opens a record with its fields coloured by type and its edges in and out', async () => {
  chalk.level = 3;
  const app = await renderInspector();
  await app.waitForText('100,000');
  await app.press(KEY.down);
  await app.press(KEY.enter);
  await app.waitForText('agent:r000000');
  await app.press(KEY.enter);
  await app.waitForText('Edges out (2)');
  const frame = app.frame();
  expect(frame).toContain('name: "Agent 0"');
  expect(frame).toContain('owner_id: user:u1');
  expect(frame).toMatch(/settings:\n\s+enabled: true\n\s+limit: NULL/);
  expect(frame).toContain('Edges in (1)');
  expect(frame).toMatch(/← owns:e1\s+from user:u1/);
  expect(frame).toMatch(/→ agent_messages:e2\s+to msg:r000001/);
  expect(app.calls.record).toEqual(['agent:r000000']);
  const raw = app.raw();
  expect(raw).toContain(chalk.cyan('user:u1'));
  expect(raw).toContain(chalk.green('"Agent 0"'));
  expect(raw).toContain(chalk.blue('2025-08-01T10:00:00Z'));
  expect(raw).toContain(chalk.magenta('true'));
  await app.press('d');
  await app.waitForText('Table agent');
  await app.press(KEYS.escape);
  await app.waitForText('Edges out (2)');
  await app.press(KEYS.escape);
  await app.waitForText('records 1–3 of 3');
});

it('d shows the table definition with each index and its kind', async () => {
  const app = await openMsg();
  await app.press('d');
  await app.waitForText('Indexes (2)');
  expect(app.frame()).toMatch(/msg_content_search\s+full-text\s+FIELDS content FULLTEXT/);
  expect(app.frame()).toMatch(/msg_vector_idx\s+vector \(HNSW\)\s+FIELDS embedding HNSW/);
  expect(app.frame()).toContain('Permissions: NONE');
  expect(crumb(app.frame())).toContain('pattern › pattern › msg › definition');
});

it('/ filters the records of the page in view', async () => {
  const app = await openMsg();
  await app.press('/');
  await app.type('r000007');
  await app.press(KEY.enter);
  await app.waitFor(() => expect(app.frame()).not.toContain('msg:r000006'));
  expect(app.frame()).toContain('msg:r000007');
  expect(app.frame()).toContain('1 of 50 on this page match "r000007"');
  await app.press(KEY.enter);
  await app.waitForText('Edges in (1)');
  expect(app.calls.record).toEqual(['msg:r000007']);
});

it('tab chooses an edge of a record and enter opens the record at its other end; esc comes back', async () => {
  const app = await renderInspector();
  await app.waitForText('100,000');
  await app.press(KEY.down);
  await app.press(KEY.enter);
  await app.waitForText('agent:r000000');
  await app.press(KEY.enter);
  await app.waitForText('Edges out (2)');
  expect(app.frame()).not.toContain('enter follow edge');
  await app.press(KEY.tab);
  await app.waitFor(() => expect(app.frame()).toMatch(/▸ ← owns:e1\s+from user:u1/));
  await app.press(KEY.tab);
  await app.press(KEY.tab);
  await app.waitFor(() => expect(app.frame()).toMatch(/▸ → agent_messages:e3\s+to msg:r000002/));
  expect(app.frame()).toContain('enter follow edge');
  await app.press(KEY.enter);
  await app.waitForText('› msg › msg:r000002');
  expect(app.calls.record).toEqual(['agent:r000000', 'msg:r000002']);
  await app.press(KEYS.escape);
  await app.waitFor(() => expect(app.frame()).toMatch(/▸ → agent_messages:e3/));
});
