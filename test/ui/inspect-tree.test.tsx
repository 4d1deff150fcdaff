import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEYS, renderInspector } from './inspect-fake.js';
import { KEY } from './render.js';

afterEach(cleanup);

const legend = (frame: string) => frame.trimEnd().split('\n').slice(-2).join(' ');

it('shows namespaces, databases and tables with their counts, the cursor on the configured database', async () => {
  const app = await renderInspector();
  await app.waitForText('100,000');
  const frame = app.frame();
  expect(frame).toContain('pattern-db inspect · read-only · http://127.0.0.1:8000');
  expect(frame).toMatch(/pattern\s+4 tables, 100,125 records/);
  expect(frame).toMatch(/msg\s+100,000/);
  expect(frame).toMatch(/group\s+2/);
  expect(legend(frame)).toContain('enter definitions');
  // Counts come from the tree: no table was read to show them.
  expect(app.calls.records).toEqual([]);
});

it('moves with the arrows, opens a table with enter and goes back with esc and backspace', async () => {
  const app = await renderInspector();
  await app.waitForText('100,000');
  await app.press(KEY.down);
  await app.waitFor(() => expect(legend(app.frame())).toContain('enter records'));
  await app.press(KEY.enter);
  await app.waitForText('agent:r000000');
  expect(app.frame()).toContain('pattern › pattern › agent › records 1–3 of 3');
  await app.press(KEYS.escape);
  await app.waitForText('namespaces › databases › tables');
  await app.press(KEY.down);
  await app.press(KEY.enter);
  await app.waitForText('group:r000000');
  await app.press(KEY.backspace);
  await app.waitForText('namespaces › databases › tables');
});

it('/ filters the tree and esc clears the filter', async () => {
  const app = await renderInspector();
  await app.waitForText('100,000');
  await app.press('/');
  await app.type('agent');
  await app.waitFor(() => expect(app.frame()).not.toMatch(/group\s+2/));
  expect(app.frame()).toMatch(/agent_messages\s+120/);
  expect(app.frame()).toContain('/agent');
  await app.press(KEY.enter);
  await app.waitFor(() => expect(legend(app.frame())).toMatch(/esc\s+clear filter/));
  // The cursor is on the first matching table: enter opens it.
  await app.press(KEY.enter);
  await app.waitForText('agent:r000000');
  await app.press(KEYS.escape);
  await app.waitForText('/agent');
  await app.press(KEYS.escape);
  await app.waitFor(() => expect(app.frame()).toMatch(/group\s+2/));
  expect(app.frame()).not.toContain('/agent');
});

it('enter on a database opens its definitions, with password hashes hidden', async () => {
  const app = await renderInspector();
  await app.waitForText('100,000');
  await app.press(KEY.enter);
  await app.waitForText('Analyzers (1)');
  expect(app.frame()).toContain('msg_content_analyzer');
  await app.press(KEY.down);
  await app.waitForText("PASSHASH '<hidden>'");
});

it('says what went wrong when the tree cannot be read', async () => {
  const app = await renderInspector({ failTree: true });
  await app.waitForText(/Could not read the namespaces, databases and tables: The server closed the\s+connection\./);
  expect(app.frame()).toContain('Check whether the server is still running.');
});
