import { describe, expect, it } from 'vitest';
import type { PageStart } from '../../src/core/record-range.js';
import type { RangeDigest } from '../../src/surreal/range-digest.js';
import type { SourceStore } from '../../src/surreal/source-store.js';
import { SourceRangesAhead } from '../../src/steps/source-ranges-ahead.js';

/** A table `t` of five records, read two at a time; each page asked for is noted. */
function fiveRecords(asked: string[]): SourceStore {
  const ids = ['t:1', 't:2', 't:3', 't:4', 't:5'];
  return {
    rangeDigest: async (table: string, start: PageStart, limit: number): Promise<RangeDigest> => {
      const { after, at } = 'after' in start ? start : { after: undefined, at: undefined };
      asked.push(`${table} after ${after ?? '-'} at ${at}`);
      const from = after === undefined ? 0 : ids.indexOf(`t:${after}`) + 1;
      const page = ids.slice(from, from + limit);
      return { count: page.length, ...(page.length ? { last: page.at(-1)! } : {}), digest: page.join(',') };
    },
  } as unknown as SourceStore;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SourceRangesAhead.read', () => {
  it('reads no page while it is told to wait, then reads the rest, each page once', async () => {
    const asked: string[] = [];
    let open: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (open = resolve));
    let pages = 0;
    // The records start to load after the first page: the reading waits until they are in.
    const mayRead = () => (pages++ === 0 ? Promise.resolve() : closed);
    const reading = SourceRangesAhead.read(fiveRecords(asked), ['t'], 2, new AbortController().signal, mayRead);
    for (let i = 0; i < 5; i++) await tick();
    expect(asked).toEqual(['t after - at 0']);
    open();
    const ahead = await reading;
    // Each page named by the key it follows and by the records before it, for a reader that counts (PageBy).
    expect(asked).toEqual(['t after - at 0', 't after 2 at 2', 't after 4 at 4']);
    expect((await ahead.take('t', '2', 2))?.digest).toBe('t:3,t:4');
    expect(ahead.take('t', '2', 2), 'taken once').toBeUndefined();
  });
});
