// The inspector's key legend is one row at any width: the least important keys give way, `?` (help) stays.
import { afterEach, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEYS, renderInspector } from './inspect-fake.js';
import { KEY } from './render.js';

afterEach(cleanup);

function expectOneRowLegend(frame: string, columns: number, rows: number) {
  const lines = frame.trimEnd().split('\n');
  const legend = lines.at(-1)!;
  expect(lines[0]).toMatch(/^pattern-db inspect/);
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  expect(Array.from(legend).length).toBeLessThanOrEqual(columns);
  expect(legend).toContain('? help');
  expect(legend).not.toContain('…');
  // The row above the legend is the status line, not the legend's second half.
  expect(lines.at(-2)).not.toMatch(/ · q quit|^q quit/);
}

for (const columns of [60, 80, 100, 140, 200]) {
  it(`at ${columns} columns the legend of the tree, a filtered tree, the records and a record is one row`, async () => {
    const rows = 24;
    const app = await renderInspector({ columns, rows });
    await app.waitForText('100,000');
    await app.press(KEY.down);
    await app.waitForText('enter records');
    expectOneRowLegend(app.frame(), columns, rows);
    if (columns === 200) expect(app.frame().trimEnd().split('\n').at(-1)).toContain('r refresh');

    await app.press(KEY.enter);
    await app.waitForText('agent:r000000');
    expectOneRowLegend(app.frame(), columns, rows);
    await app.press(KEY.enter);
    await app.waitForText('Edges out (2)');
    await app.press(KEY.tab);
    await app.waitForText('enter follow edge');
    expectOneRowLegend(app.frame(), columns, rows);

    await app.press(KEYS.escape);
    await app.press(KEYS.escape);
    await app.waitForText('enter records');
    await app.press('/');
    await app.type('ag');
    await app.press(KEY.enter);
    await app.waitForText('esc clear filter');
    expectOneRowLegend(app.frame(), columns, rows);
  });
}
