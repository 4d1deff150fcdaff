import { describe, expect, it } from 'vitest';
import type { ProgressEvent, ProgressPhase, ProgressWork } from '../../src/core/events.js';
import { nextProgress, timeLeft, type ProgressView } from '../../src/ui/progress-rate.js';

const RECORDS: ProgressPhase = { kind: 'records', indexes: 1 };
const INDEX: ProgressPhase = { kind: 'index', name: 'msg_content_search', table: 'msg', k: 1, n: 1, tableRecords: 1_000 };

/** An import of 1,000 records, then one index estimated at 3,000 record-equivalents. */
const at = (done: number, phase: ProgressPhase, work: ProgressWork): ProgressEvent => ({ type: 'progress', step: 'import', done, total: 1_000, unit: 'records', phase, work });

function feed(events: Array<[ProgressEvent, number]>): ProgressView {
  return events.reduce<ProgressView | undefined>((view, [event, when]) => nextProgress(view, event, when), undefined)!;
}

describe('time left of an import with an index phase', () => {
  const recordsDone = feed([
    [at(0, RECORDS, { done: 0, total: 4_000, partEnd: 1_000 }), 0],
    [at(1_000, RECORDS, { done: 1_000, total: 4_000, partEnd: 1_000 }), 1_000],
    [at(1_000, INDEX, { done: 1_000, total: 4_000, partEnd: 4_000 }), 1_100],
  ]);

  it('counts the index in the time left when the last record is in', () => {
    expect(recordsDone.rate).toBeCloseTo(1_000 / 1.1);
    expect(timeLeft(recordsDone, 1_100)).toEqual({ seconds: expect.closeTo(3.3, 5), atLeast: false });
  });

  it('counts down while the index builds without a word from the server', () => {
    expect(timeLeft(recordsDone, 2_100)!.seconds).toBeCloseTo(2.3);
    expect(timeLeft(recordsDone, 2_100)!.atLeast).toBe(false);
  });

  it('never says 0 while the last index builds past its estimate', () => {
    const left = timeLeft(recordsDone, 60_000)!;
    expect(left.atLeast).toBe(true);
    expect(left.seconds).toBe(0);
  });

  it('keeps the later parts in the time left while the records run late', () => {
    const slow = feed([
      [at(0, RECORDS, { done: 0, total: 4_000, partEnd: 1_000 }), 0],
      [at(500, RECORDS, { done: 500, total: 4_000, partEnd: 1_000 }), 1_000],
    ]);
    expect(timeLeft(slow, 1_000)).toEqual({ seconds: 7, atLeast: false }); // 3,500 left at 500/s
    expect(timeLeft(slow, 30_000)).toEqual({ seconds: 6, atLeast: true }); // the index's 3,000 after the records
  });

  /** Progress inside the k-th of two indexes, each worth 3,000 units after 1,000 records. */
  const twoIndexes = (k: number, done: number, partEnd: number): ProgressEvent => at(1_000, { ...INDEX, k, n: 2 }, { done, total: 7_000, partEnd });

  it('corrects the estimate with the rate the index build actually had', () => {
    const view = feed([
      [at(0, RECORDS, { done: 0, total: 7_000, partEnd: 1_000 }), 0],
      [at(1_000, RECORDS, { done: 1_000, total: 7_000, partEnd: 1_000 }), 1_000],
      [twoIndexes(1, 1_000, 4_000), 1_000],
      // The first index took 30 s, not the 3 s the records' pace promised.
      [twoIndexes(2, 4_000, 7_000), 31_000],
    ]);
    expect(view.rate).toBeCloseTo(100);
    expect(timeLeft(view, 31_000)!.seconds).toBeCloseTo(30);
  });

  it('does not let an index that beat its estimate make the next one look cheaper', () => {
    const view = feed([
      [at(0, RECORDS, { done: 0, total: 7_000, partEnd: 1_000 }), 0],
      [at(1_000, RECORDS, { done: 1_000, total: 7_000, partEnd: 1_000 }), 1_000],
      [twoIndexes(1, 1_000, 4_000), 1_000],
      // The first index took 0.5 s, not 3 s: its 3,000 units at 6,000/s would promise the second one in 0.5 s.
      [twoIndexes(2, 4_000, 7_000), 1_500],
    ]);
    expect(view.rate).toBeCloseTo(1_000); // the records' pace
    expect(timeLeft(view, 1_500)!.seconds).toBeCloseTo(3);
  });

  it('takes the records’ pace even when they all went in within half a second', () => {
    const quick = feed([
      [at(0, RECORDS, { done: 0, total: 4_000, partEnd: 1_000 }), 0],
      [at(1_000, RECORDS, { done: 1_000, total: 4_000, partEnd: 1_000 }), 200],
      [at(1_000, INDEX, { done: 1_000, total: 4_000, partEnd: 4_000 }), 200],
    ]);
    expect(quick.rate).toBeCloseTo(5_000);
    expect(timeLeft(quick, 200)).toEqual({ seconds: expect.closeTo(0.6, 5), atLeast: false });
  });

  it('is 0 only when all the work is done', () => {
    const done = feed([
      [at(0, RECORDS, { done: 0, total: 4_000, partEnd: 1_000 }), 0],
      [at(1_000, INDEX, { done: 4_000, total: 4_000, partEnd: 4_000 }), 5_000],
    ]);
    expect(timeLeft(done, 9_000)).toEqual({ seconds: 0, atLeast: false });
  });
});
