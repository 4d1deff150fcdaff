import { expect, it } from 'vitest';
import { INSERT_RECORDS, INSERT_TEXT, insertGroups } from '../../src/core/insert-groups.js';

it('groups a page of records in order, none dropped, at most INSERT_RECORDS to a statement', () => {
  const texts = Array.from({ length: 1000 }, (_, i) => `{ id: t:${i} }`);
  const groups = [...insertGroups(texts)];
  expect(groups.flat()).toEqual(texts);
  expect(groups.every((g) => g.length <= INSERT_RECORDS)).toBe(true);
  expect(groups).toHaveLength(Math.ceil(1000 / INSERT_RECORDS));
});

it('ends a group early, with the record that takes its text to INSERT_TEXT', () => {
  const large = 'x'.repeat(INSERT_TEXT);
  const texts = ['a', large, 'b', 'c', 'x'.repeat(INSERT_TEXT / 2), 'y'.repeat(INSERT_TEXT / 2), 'd'];
  expect([...insertGroups(texts)].map((g) => g.map((t) => t[0]))).toEqual([['a', 'x'], ['b', 'c', 'x', 'y'], ['d']]);
  expect([...insertGroups([])]).toEqual([]);
});
