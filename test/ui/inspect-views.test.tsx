import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEYS, renderInspector } from './inspect-fake.js';
import { KEY } from './render.js';

afterEach(cleanup);

const widest = (frame: string) => Math.max(...frame.split('\n').map((line) => [...line].length));

it('f shows the server facts: version, health, latency', async () => {
  const app = await renderInspector();
  await app.waitForText('100,000');
  await app.press('f');
  await app.waitForText('Latency');
  expect(app.frame()).toMatch(/Source\s+server http:\/\/127\.0\.0\.1:8000/);
  expect(app.frame()).toMatch(/Version\s+SurrealDB 3\.0\.5/);
  expect(app.frame()).toMatch(/Health\s+healthy \(answers \/health\)/);
  expect(app.frame()).toMatch(/Latency\s+0\.8 ms \(median of 5 round trips\)/);
  expect(app.frame()).toMatch(/Mode\s+read-only/);
  await app.press(KEYS.escape);
  await app.waitForText('namespaces › databases › tables');
});

it("a damaged 2.x store's snapshot: the header and the status line say that only what SurrealDB 2 read is shown", async () => {
  const app = await renderInspector({ snapshot: true, damaged: 'SurrealDB 2 found the log of /home/me/pattern.db damaged …', columns: 160 });
  await app.waitForText('100,000');
  expect(app.frame().split('\n')[0]).toContain('/home/me/pattern.db (snapshot) · damaged log');
  expect(app.frame()).toContain("The store's log is damaged: this shows what SurrealDB read of it, up to the damage (pattern-db doctor says what was dropped).");
  const healthy = await renderInspector({ snapshot: true, columns: 160 });
  await healthy.waitForText('100,000');
  expect(healthy.frame()).not.toContain('damaged');
  expect(healthy.frame()).toContain('A snapshot copy of the store: nothing done here reaches the folder Pattern uses.');
});

it('? opens the help with every key and the read-only rule, and closes it', async () => {
  const app = await renderInspector({ snapshot: true, rows: 30 });
  await app.waitForText('msg');
  await app.press('?');
  await app.waitForText('Read-only');
  expect(app.frame()).toMatch(/pgup\/pgdn\s+previous\/next page of records/);
  expect(app.frame()).toMatch(/Open with --write to\s+allow them\./);
  expect(app.frame()).toMatch(/nothing done here reaches the folder\s+Pattern uses/);
  await app.press('?');
  await app.waitForText('namespaces › databases › tables');
});

it('a narrow terminal gets one column; a wide one the tree beside the view, with a preview of the table under the cursor', async () => {
  const narrow = await renderInspector({ columns: 70 });
  await narrow.waitForText('100,000');
  expect(widest(narrow.frame())).toBeLessThanOrEqual(70);
  await narrow.press(KEY.down);
  await narrow.press(KEY.enter);
  await narrow.waitForText('agent:r000000');
  // The tree is gone while the records are shown.
  expect(narrow.frame()).not.toMatch(/msg\s+100,000/);
  cleanup();

  const wide = await renderInspector({ columns: 140, rows: 30 });
  await wide.waitForText('100,000');
  await wide.press(KEY.down);
  await wide.press(KEY.down);
  await wide.press(KEY.down);
  await wide.waitForText('Indexes (2)');
  expect(wide.frame()).toMatch(/^main\s+Table msg\s+schemaless, TYPE ANY, 100,000 records$/m);
  expect(wide.frame()).toMatch(/msg_vector_idx\s+vector \(HNSW\)/);
  await wide.press(KEY.enter);
  await wide.waitForText('msg:r000000');
  // The side tree stays, marking the open table.
  expect(wide.frame()).toMatch(/▸\s+msg\s+100,000\s+msg:r0000\d\d  position/);
  expect(widest(wide.frame())).toBeLessThanOrEqual(140);
});

it('follows the terminal when it is resized', async () => {
  const { source } = await import('./inspect-fake.js').then((m) => m.fakeSource());
  const { InspectApp } = await import('../../src/ui/inspect/inspect-app.js');
  const { renderUi } = await import('./render.js');
  const app = await renderUi(<InspectApp source={source} />);
  await app.waitForText('100,000');
  Object.defineProperty(app.stdout, 'columns', { value: 120, configurable: true });
  app.stdout.emit('resize');
  await app.waitForText('Analyzers (1)'); // the wide layout previews the database under the cursor
  Object.defineProperty(app.stdout, 'columns', { value: 60, configurable: true });
  app.stdout.emit('resize');
  await app.waitFor(() => expect(app.frame()).not.toContain('Analyzers (1)'));
  expect(widest(app.frame())).toBeLessThanOrEqual(60);
});
