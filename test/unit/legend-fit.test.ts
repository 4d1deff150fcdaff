import { expect, it } from 'vitest';
import type { KeyHint } from '../../src/ui/keys.js';
import { fitHints, legendWidth } from '../../src/ui/legend-fit.js';

const hints: KeyHint[] = [
  { keys: ['↑', '↓'], label: 'move' },
  { keys: ['c'], label: 'console', rank: 3 },
  { keys: ['f'], label: 'facts', rank: 4 },
  { keys: ['/'], label: 'filter', rank: 1 },
  { keys: ['r'], label: 'refresh', rank: 5 },
  { keys: ['?'], label: 'help' },
  { keys: ['q'], label: 'quit' },
];
const text = (list: KeyHint[]) => list.map((h) => `${h.keys.join('/')} ${h.label}`).join(' · ');

it('keeps every key when they fit', () => {
  expect(fitHints(hints, 200)).toEqual(hints);
  expect(legendWidth(hints)).toBe(text(hints).length);
});

it('leaves out the highest ranks first, keeping the order of the rest', () => {
  expect(text(fitHints(hints, 50))).toBe('↑/↓ move · c console · / filter · ? help · q quit');
  expect(text(fitHints(hints, 40))).toBe('↑/↓ move · / filter · ? help · q quit');
});

it('as a last resort leaves out unranked keys from the end, but never ?', () => {
  expect(text(fitHints(hints, 20))).toBe('↑/↓ move · ? help');
  expect(text(fitHints(hints, 5))).toBe('? help');
});

it('fits every width from 60 to 200', () => {
  for (let width = 60; width <= 200; width++) expect(legendWidth(fitHints(hints, width))).toBeLessThanOrEqual(width);
});
