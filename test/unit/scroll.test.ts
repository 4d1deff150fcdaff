import { describe, expect, it } from 'vitest';
import { moveScroll, positionLabel, SCROLL_START, scrollWindow, unseenRows, wrapRows, type ScrollMove } from '../../src/ui/scroll.js';

const walk = (moves: ScrollMove[], total: number, rows: number) => moves.reduce((p, m) => moveScroll(p, m, total, rows), SCROLL_START);

describe('the scroll window', () => {
  it('starts at the top and says where it is', () => {
    expect(scrollWindow(SCROLL_START, 18, 14)).toEqual({ start: 0, end: 14 });
    expect(positionLabel(SCROLL_START, 18, 14)).toBe('lines 1-14 of 18');
  });

  it('moves a row with the arrows, a page less one row with pgup/pgdn, and never past either end', () => {
    expect(walk(['down'], 18, 14).top).toBe(1);
    expect(walk(['down', 'up', 'up'], 18, 14).top).toBe(0);
    expect(walk(['pageDown'], 40, 10).top).toBe(9);
    expect(walk(['pageDown', 'pageDown', 'pageDown', 'pageDown', 'pageDown'], 40, 10).top).toBe(30);
    expect(walk(['end'], 40, 10).top).toBe(30);
    expect(walk(['end', 'pageUp'], 40, 10).top).toBe(21);
    expect(walk(['end', 'home'], 40, 10).top).toBe(0);
    expect(positionLabel(walk(['end'], 40, 10), 40, 10)).toBe('lines 31-40 of 40');
  });

  it('content that fits does not move', () => {
    expect(walk(['down', 'end', 'pageDown'], 5, 10).top).toBe(0);
    expect(scrollWindow(SCROLL_START, 5, 10)).toEqual({ start: 0, end: 5 });
  });
});

describe('what has been on screen', () => {
  it('counts the window shown now as seen', () => {
    expect(unseenRows(SCROLL_START, 18, 14)).toBe(4);
    expect(unseenRows(SCROLL_START, 5, 10)).toBe(0);
  });

  it('reaches zero only when every row was in a window', () => {
    expect(unseenRows(walk(['down', 'down', 'down'], 18, 14), 18, 14)).toBe(1);
    expect(unseenRows(walk(['down', 'down', 'down', 'down'], 18, 14), 18, 14)).toBe(0);
    expect(unseenRows(walk(['pageDown', 'pageDown', 'pageDown'], 40, 10), 40, 10)).toBe(40 - 37);
  });

  it('jumping to the end skips the middle, and the middle still counts as unread', () => {
    const jumped = walk(['end'], 40, 10);
    expect(unseenRows(jumped, 40, 10)).toBe(20);
    // Coming back up through the middle fills the gap.
    expect(unseenRows(walk(['end', 'pageUp', 'pageUp', 'pageUp'], 40, 10), 40, 10)).toBe(0);
  });

  it('stays seen after scrolling back to the top', () => {
    expect(unseenRows(walk(['end', 'home', 'pageDown', 'pageDown', 'pageDown', 'home'], 40, 10), 40, 10)).toBe(0);
  });
});

describe('wrapRows', () => {
  it('keeps short lines whole, and an empty line as one row', () => {
    expect(wrapRows('short', 10)).toEqual(['short']);
    expect(wrapRows('', 10)).toEqual(['']);
  });

  it('breaks long lines at a space in the second half of the row, losing nothing', () => {
    const line = '# a long comment that explains why the database section points at the server';
    const rows = wrapRows(line, 30);
    expect(rows.every((r) => r.length <= 30)).toBe(true);
    expect(rows.join('')).toBe(line);
    expect(rows[0]).toBe('# a long comment that ');
  });

  it('cuts a long word where it must', () => {
    const word = 'x'.repeat(25);
    expect(wrapRows(word, 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });
});

it('wrapRows: rows after the first hang under an indent, and nothing is lost', () => {
  const line = '  • This server keeps data in memory: it is gone when it stops. Use surrealkv:// storage to keep it.';
  const rows = wrapRows(line, 40, 4);
  expect(rows.every((r) => r.length <= 40)).toBe(true);
  expect(rows.slice(1).every((r) => r.startsWith('    ') && r[4] !== ' ')).toBe(true);
  expect(rows.map((r, i) => (i ? r.slice(4) : r)).join('')).toBe(line);
});
